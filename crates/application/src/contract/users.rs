//! Contract of `UserRepo`: reads, case-insensitive unique usernames, updates, deletes
//! and the last-enabled-admin backstop.

use super::check::{audit_count, conflict, not_found, ok, one_audit, snapshot, unchanged};
use super::seed::{self, T0, about, new_user, username};
use crate::error::Conflict;
use crate::ports::Store;
use domain::{AuditAction, ObjectKind, PasswordHash, Role, SecurityStamp, User, UserId};

fn audit_on(action: AuditAction, id: UserId) -> domain::NewAuditEntry {
    about(action, None, ObjectKind::User, id.get())
}

async fn read<S: Store>(store: &S, id: UserId) -> User {
    ok(store.user(id).await, "reading a user").unwrap_or_else(|| panic!("user {id} should exist"))
}

/// A created user reads back field by field, by id and by username in any case.
pub async fn a_user_reads_back_by_id_and_by_username_in_any_case<S: Store>(store: S) {
    let before = audit_count(&store).await;
    let new = new_user("Miller", Role::Manager);
    let entry = seed::created(AuditAction::UserCreated, None, ObjectKind::User);
    let id = ok(store.insert_user(&new, &entry, None).await, "insert_user");
    let audit = one_audit(&store, before, AuditAction::UserCreated, "insert_user").await;
    assert_eq!(audit.entry.object.id, Some(id.get()), "a create fills in the new id");

    let expected = User::new(
        id,
        username("Miller"),
        Role::Manager,
        PasswordHash::new("plain:Miller password".into()),
        false,
        SecurityStamp::INITIAL,
        T0,
    );
    assert_eq!(read(&store, id).await, expected, "user(id)");
    for spelling in ["Miller", "miller", "MILLER", "mIlLeR"] {
        let found = ok(store.user_by_username(&username(spelling)).await, "user_by_username");
        assert_eq!(found.as_ref(), Some(&expected), "user_by_username({spelling})");
    }
    let nobody = ok(store.user_by_username(&username("Millers")).await, "user_by_username");
    assert_eq!(nobody, None, "an unknown username reads as None");
    let missing = ok(store.user(UserId::new(seed::MISSING)).await, "user(missing)");
    assert_eq!(missing, None, "an unknown id reads as None");
}

/// A username that differs only in case is taken.
pub async fn a_username_differing_only_in_case_is_a_duplicate_and_changes_nothing<S: Store>(store: S) {
    seed::user(&store, "Miller", Role::Manager).await;
    let before = snapshot(&store).await;
    let entry = seed::created(AuditAction::UserCreated, None, ObjectKind::User);
    for name in ["Miller", "miller", "MILLER"] {
        let result = store.insert_user(&new_user(name, Role::Admin), &entry, None).await;
        conflict(result, Conflict::DuplicateUsername, &format!("insert_user({name})"));
    }
    unchanged(&store, &before, "duplicate usernames").await;
}

/// Role, disabled flag, password hash and stamp round-trip through `update_user`.
pub async fn updating_a_user_round_trips_role_disabled_flag_stamp_and_hash<S: Store>(store: S) {
    seed::user(&store, "admin", Role::Admin).await;
    let id = seed::user(&store, "miller", Role::Manager).await;
    let mut user = read(&store, id).await;
    user.set_role(Role::Admin);
    user.set_password_hash(PasswordHash::new("$argon2id$v=19$new".into()));
    user.set_disabled(true);
    assert_eq!(user.security_stamp(), SecurityStamp::new(3), "the domain moved the stamp twice");

    let before = audit_count(&store).await;
    let entry = audit_on(AuditAction::UserRoleChanged, id);
    ok(store.update_user(&user, &entry).await, "update_user");
    one_audit(&store, before, AuditAction::UserRoleChanged, "update_user").await;
    assert_eq!(read(&store, id).await, user, "the updated user reads back exactly");

    user.set_disabled(false);
    user.set_role(Role::Manager);
    user.rehash(PasswordHash::new("$argon2id$v=19$rehashed".into()));
    ok(store.update_user(&user, &entry).await, "second update_user");
    assert_eq!(read(&store, id).await, user, "the second update reads back exactly");
}

/// The only enabled admin can be neither demoted nor disabled; a second one can.
pub async fn demoting_or_disabling_the_only_enabled_admin_is_refused_and_changes_nothing<S: Store>(store: S) {
    let admin = seed::user(&store, "admin", Role::Admin).await;
    let retired = seed::user(&store, "retired", Role::Admin).await;
    let mut old = read(&store, retired).await;
    old.set_disabled(true);
    ok(store.update_user(&old, &audit_on(AuditAction::UserDisabled, retired)).await, "disabling one of two admins");
    seed::user(&store, "manager", Role::Manager).await;

    let before = snapshot(&store).await;
    let mut demoted = read(&store, admin).await;
    demoted.set_role(Role::Manager);
    let entry = audit_on(AuditAction::UserRoleChanged, admin);
    conflict(store.update_user(&demoted, &entry).await, Conflict::LastAdmin, "demote");
    let mut disabled = read(&store, admin).await;
    disabled.set_disabled(true);
    let entry = audit_on(AuditAction::UserDisabled, admin);
    conflict(store.update_user(&disabled, &entry).await, Conflict::LastAdmin, "disable");
    unchanged(&store, &before, "demoting or disabling the last admin").await;

    old.set_disabled(false);
    ok(store.update_user(&old, &audit_on(AuditAction::UserEnabled, retired)).await, "enabling the second admin");
    ok(
        store.update_user(&demoted, &audit_on(AuditAction::UserRoleChanged, admin)).await,
        "demoting one of two enabled admins",
    );
    assert_eq!(read(&store, admin).await.role(), Role::Manager);
}

/// The only enabled admin cannot be deleted; a manager or a second admin can.
pub async fn deleting_the_only_enabled_admin_is_refused_and_changes_nothing<S: Store>(store: S) {
    let admin = seed::user(&store, "admin", Role::Admin).await;
    let manager = seed::user(&store, "manager", Role::Manager).await;
    let before = snapshot(&store).await;
    let entry = audit_on(AuditAction::UserDeleted, admin);
    conflict(store.delete_user(admin, &entry).await, Conflict::LastAdmin, "delete_user");
    unchanged(&store, &before, "deleting the last admin").await;

    let count = audit_count(&store).await;
    let entry = audit_on(AuditAction::UserDeleted, manager);
    ok(store.delete_user(manager, &entry).await, "deleting a manager");
    one_audit(&store, count, AuditAction::UserDeleted, "delete_user").await;
    assert_eq!(ok(store.user(manager).await, "user"), None, "the deleted user is gone");

    let second = seed::user(&store, "second", Role::Admin).await;
    ok(
        store.delete_user(admin, &audit_on(AuditAction::UserDeleted, admin)).await,
        "deleting one of two enabled admins",
    );
    let users = ok(store.users().await, "users");
    assert_eq!(users.iter().map(User::id).collect::<Vec<_>>(), vec![second]);
}

/// Audit entries written by a user outlive the user and keep the actor's name.
pub async fn a_deleted_users_audit_entries_keep_their_name<S: Store>(store: S) {
    seed::user(&store, "admin", Role::Admin).await;
    let miller = seed::user(&store, "miller", Role::Manager).await;
    let entry = seed::by(miller, "miller", seed::created(AuditAction::LibraryCreated, None, ObjectKind::Library));
    ok(store.insert_library(&seed::new_library("NATO"), &entry, None).await, "insert_library");
    let entry = audit_on(AuditAction::UserDeleted, miller);
    ok(store.delete_user(miller, &entry).await, "delete_user");
    let filter = crate::ports::AuditFilter { actor: Some(miller), ..Default::default() };
    let page = ok(store.audit_log(&filter, crate::ports::PageRequest::new(1, 50)).await, "audit_log");
    assert_eq!(page.total, 1, "the deleted user's entry is still there");
    assert_eq!(page.items[0].entry.actor_name, "miller");
    assert_eq!(page.items[0].entry.action, AuditAction::LibraryCreated);
}

/// Writes to an id that does not exist fail with `NotFound` and change nothing.
pub async fn updating_or_deleting_a_missing_user_is_not_found_and_changes_nothing<S: Store>(store: S) {
    seed::user(&store, "admin", Role::Admin).await;
    let before = snapshot(&store).await;
    let ghost = User::new(
        UserId::new(seed::MISSING),
        username("ghost"),
        Role::Manager,
        PasswordHash::new("plain:x".into()),
        false,
        SecurityStamp::INITIAL,
        T0,
    );
    let entry = audit_on(AuditAction::UserRoleChanged, ghost.id());
    not_found(store.update_user(&ghost, &entry).await, "update_user(missing)");
    not_found(store.delete_user(ghost.id(), &entry).await, "delete_user(missing)");
    unchanged(&store, &before, "writes to a missing user").await;
}

/// `users()` lists by lower-cased username, compared byte by byte.
pub async fn users_are_listed_by_lowercased_username<S: Store>(store: S) {
    for name in ["charlie", "Bravo", "alpha", "a_z", "Delta-9", "delta.1"] {
        seed::user(&store, name, Role::Manager).await;
    }
    let users = ok(store.users().await, "users");
    let names: Vec<&str> = users.iter().map(|u| u.username().as_str()).collect();
    assert_eq!(
        names,
        ["a_z", "alpha", "Bravo", "charlie", "Delta-9", "delta.1"],
        "users() must sort by lower(username) in byte order ('-' < '.' < digits < '_' < letters)"
    );
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_users {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            users,
            $fresh,
            $tidy,
            [
                a_user_reads_back_by_id_and_by_username_in_any_case,
                a_username_differing_only_in_case_is_a_duplicate_and_changes_nothing,
                updating_a_user_round_trips_role_disabled_flag_stamp_and_hash,
                demoting_or_disabling_the_only_enabled_admin_is_refused_and_changes_nothing,
                deleting_the_only_enabled_admin_is_refused_and_changes_nothing,
                a_deleted_users_audit_entries_keep_their_name,
                updating_or_deleting_a_missing_user_is_not_found_and_changes_nothing,
                users_are_listed_by_lowercased_username,
            ]
        );
    };
}
