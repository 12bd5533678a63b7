//! Contract of `UserRepo`: reads, case-insensitive unique usernames, field-level
//! updates (with the security stamp moved by the store), the rehash compare-and-set,
//! deletes and the last-enabled-admin backstop.

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

/// A rename changes the username only (the stamp stays, so sessions go on), may change
/// the case of one's own name, and refuses another account's name in any case.
pub async fn a_rename_changes_the_username_only_and_refuses_a_taken_name<S: Store>(store: S) {
    seed::user(&store, "Miller", Role::Manager).await;
    let id = seed::user(&store, "smith", Role::Admin).await;
    let mut expected = read(&store, id).await;
    let before = audit_count(&store).await;
    ok(store.set_username(id, &username("Jones"), &audit_on(AuditAction::UserRenamed, id)).await, "set_username");
    one_audit(&store, before, AuditAction::UserRenamed, "set_username").await;
    expected.rename(username("Jones"));
    assert_eq!(read(&store, id).await, expected, "set_username changes the name only, the stamp included");
    let found = ok(store.user_by_username(&username("jones")).await, "user_by_username");
    assert_eq!(found.map(|u| u.id()), Some(id), "the new name logs in, in any case");
    assert_eq!(ok(store.user_by_username(&username("smith")).await, "user_by_username"), None, "the old name is free");
    ok(store.set_username(id, &username("JONES"), &audit_on(AuditAction::UserRenamed, id)).await, "own name, new case");
    let before = snapshot(&store).await;
    for name in ["Miller", "miller"] {
        let result = store.set_username(id, &username(name), &audit_on(AuditAction::UserRenamed, id)).await;
        conflict(result, Conflict::DuplicateUsername, &format!("set_username({name})"));
    }
    unchanged(&store, &before, "renames to a taken name").await;
}

/// Each field-level write changes its field only, and moves the stamp exactly as the
/// domain does: a new password and disabling an enabled account move it, the rest keep it.
pub async fn field_writes_change_their_field_and_move_the_stamp_like_the_domain<S: Store>(store: S) {
    seed::user(&store, "admin", Role::Admin).await;
    let id = seed::user(&store, "miller", Role::Manager).await;
    let mut expected = read(&store, id).await;

    let before = audit_count(&store).await;
    ok(store.set_role(id, Role::Admin, &audit_on(AuditAction::UserRoleChanged, id)).await, "set_role");
    one_audit(&store, before, AuditAction::UserRoleChanged, "set_role").await;
    expected.set_role(Role::Admin);
    assert_eq!(read(&store, id).await, expected, "set_role changes the role only");

    let hash = PasswordHash::new("$argon2id$v=19$new".into());
    let before = audit_count(&store).await;
    ok(store.set_password_hash(id, &hash, &audit_on(AuditAction::UserPasswordReset, id)).await, "set_password_hash");
    one_audit(&store, before, AuditAction::UserPasswordReset, "set_password_hash").await;
    expected.set_password_hash(hash);
    assert_eq!(read(&store, id).await, expected, "set_password_hash replaces the hash and moves the stamp");
    assert_eq!(expected.security_stamp(), SecurityStamp::new(2));

    for (disabled, action) in [(true, AuditAction::UserDisabled), (true, AuditAction::UserDisabled)] {
        let before = audit_count(&store).await;
        ok(store.set_disabled(id, disabled, &audit_on(action, id)).await, "set_disabled");
        one_audit(&store, before, action, "set_disabled").await;
        expected.set_disabled(disabled);
        assert_eq!(read(&store, id).await, expected, "set_disabled({disabled})");
    }
    assert_eq!(expected.security_stamp(), SecurityStamp::new(3), "disabling moved the stamp once, not twice");
    ok(store.set_disabled(id, false, &audit_on(AuditAction::UserEnabled, id)).await, "enabling");
    expected.set_disabled(false);
    assert_eq!(read(&store, id).await, expected, "enabling keeps the stamp");
}

/// The rehash replaces the hash, keeping the stamp, only while the stored hash is the
/// old one; otherwise it writes nothing, not even its audit entry.
pub async fn a_rehash_replaces_only_the_hash_it_was_given_and_keeps_the_stamp<S: Store>(store: S) {
    seed::user(&store, "admin", Role::Admin).await;
    let id = seed::user(&store, "miller", Role::Manager).await;
    let mut expected = read(&store, id).await;
    let old = expected.password_hash().clone();
    let new = PasswordHash::new("$argon2id$v=19$rehashed".into());
    let entry = audit_on(AuditAction::UserPasswordRehashed, id);

    let before = snapshot(&store).await;
    let stale = PasswordHash::new("plain:an older password".into());
    let swapped = ok(store.rehash_password(id, &stale, &new, &entry).await, "rehash_password(stale)");
    assert!(!swapped, "a rehash from a hash no longer stored is refused");
    unchanged(&store, &before, "a stale rehash").await;

    let count = audit_count(&store).await;
    let swapped = ok(store.rehash_password(id, &old, &new, &entry).await, "rehash_password");
    assert!(swapped, "a rehash from the stored hash succeeds");
    one_audit(&store, count, AuditAction::UserPasswordRehashed, "rehash_password").await;
    expected.rehash(new.clone());
    assert_eq!(read(&store, id).await, expected, "the new hash reads back with the same stamp");
    assert_eq!(expected.security_stamp(), SecurityStamp::INITIAL);
    let again = ok(store.rehash_password(id, &old, &new, &entry).await, "second rehash_password");
    assert!(!again, "the same rehash again finds the hash replaced");
}

/// The only enabled admin can be neither demoted nor disabled; a second one can.
pub async fn demoting_or_disabling_the_only_enabled_admin_is_refused_and_changes_nothing<S: Store>(store: S) {
    let admin = seed::user(&store, "admin", Role::Admin).await;
    let retired = seed::user(&store, "retired", Role::Admin).await;
    ok(store.set_disabled(retired, true, &audit_on(AuditAction::UserDisabled, retired)).await, "disabling one of two");
    seed::user(&store, "manager", Role::Manager).await;

    let before = snapshot(&store).await;
    let entry = audit_on(AuditAction::UserRoleChanged, admin);
    conflict(store.set_role(admin, Role::Manager, &entry).await, Conflict::LastAdmin, "demote");
    let entry = audit_on(AuditAction::UserDisabled, admin);
    conflict(store.set_disabled(admin, true, &entry).await, Conflict::LastAdmin, "disable");
    unchanged(&store, &before, "demoting or disabling the last admin").await;

    ok(store.set_disabled(retired, false, &audit_on(AuditAction::UserEnabled, retired)).await, "enabling the second");
    ok(
        store.set_role(admin, Role::Manager, &audit_on(AuditAction::UserRoleChanged, admin)).await,
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
    ok(store.insert_library(&seed::new_library("NATO"), &[], &entry, None).await, "insert_library");
    let entry = audit_on(AuditAction::UserDeleted, miller);
    ok(store.delete_user(miller, &entry).await, "delete_user");
    let filter = crate::ports::AuditFilter { actor: Some(miller), ..Default::default() };
    let page = ok(store.audit_log(&filter, crate::ports::PageRequest::new(1, 50)).await, "audit_log");
    assert_eq!(page.total, 1, "the deleted user's entry is still there");
    assert_eq!(page.items[0].entry.actor_name, "miller");
    assert_eq!(page.items[0].entry.action, AuditAction::LibraryCreated);
}

/// Writes to an id that does not exist fail with `NotFound` and change nothing.
pub async fn writing_or_deleting_a_missing_user_is_not_found_and_changes_nothing<S: Store>(store: S) {
    seed::user(&store, "admin", Role::Admin).await;
    let before = snapshot(&store).await;
    let ghost = UserId::new(seed::MISSING);
    let entry = audit_on(AuditAction::UserRoleChanged, ghost);
    let hash = PasswordHash::new("plain:x".into());
    not_found(store.set_role(ghost, Role::Admin, &entry).await, "set_role(missing)");
    not_found(store.set_username(ghost, &username("ghost"), &entry).await, "set_username(missing)");
    not_found(store.set_disabled(ghost, true, &entry).await, "set_disabled(missing)");
    not_found(store.set_password_hash(ghost, &hash, &entry).await, "set_password_hash(missing)");
    not_found(store.rehash_password(ghost, &hash, &hash, &entry).await, "rehash_password(missing)");
    not_found(store.delete_user(ghost, &entry).await, "delete_user(missing)");
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
                a_rename_changes_the_username_only_and_refuses_a_taken_name,
                field_writes_change_their_field_and_move_the_stamp_like_the_domain,
                a_rehash_replaces_only_the_hash_it_was_given_and_keeps_the_stamp,
                demoting_or_disabling_the_only_enabled_admin_is_refused_and_changes_nothing,
                deleting_the_only_enabled_admin_is_refused_and_changes_nothing,
                a_deleted_users_audit_entries_keep_their_name,
                writing_or_deleting_a_missing_user_is_not_found_and_changes_nothing,
                users_are_listed_by_lowercased_username,
            ]
        );
    };
}
