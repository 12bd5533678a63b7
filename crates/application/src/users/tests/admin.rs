//! Changing roles, disabling, resetting passwords and deleting accounts.

use super::{
    NEW_PASSWORD, expect_conflict, expect_forbidden, expect_invalid, expect_not_found, last_audit, snapshot, stored,
};
use crate::error::{Conflict, UseCaseError};
use crate::testing::{Fixture, PASSWORD, anonymous, fixture, seed_user, staff};
use crate::testing::{new_password, role};
use domain::{AuditAction, Role, UserId};

const NOBODY: UserId = UserId::new(9_999);

/// The fixture plus a second admin, `boss`, whose actor is returned.
async fn with_boss() -> (Fixture, UserId, crate::actor::Actor) {
    let f = fixture().await;
    let boss_id = seed_user(&f.t, "boss", Role::Admin).await;
    (f, boss_id, staff(boss_id, "boss", Role::Admin))
}

#[tokio::test]
async fn promoting_a_manager_keeps_their_sessions() {
    let f = fixture().await;
    let stamp = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    f.t.change_role(&f.admin, f.manager_id, role("ADMIN")).await.expect("promote");
    let user = stored(&f.t, f.manager_id).await.expect("manager");
    assert_eq!(user.role(), Role::Admin);
    assert_eq!(user.security_stamp(), stamp);
    let audit = last_audit(&f.t);
    assert_eq!(audit.entry.action, AuditAction::UserRoleChanged);
    assert_eq!(audit.entry.details, "changed the role of manager from manager to admin");
}

#[tokio::test]
async fn only_admins_are_offered_the_roles_to_give() {
    let f = fixture().await;
    assert_eq!(f.t.assignable_roles(&f.admin).expect("admin"), &[Role::Admin, Role::Manager]);
    expect_forbidden(f.t.assignable_roles(&f.manager));
    expect_forbidden(f.t.assignable_roles(&anonymous()));
}

#[tokio::test]
async fn changing_roles_is_forbidden_to_managers_and_the_public() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    expect_forbidden(f.t.change_role(&f.manager, f.manager_id, role("admin")).await);
    expect_forbidden(f.t.change_role(&anonymous(), f.manager_id, role("admin")).await);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn an_unknown_role_is_reported_and_an_unknown_user_is_not_found() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    let errors = expect_invalid(f.t.change_role(&f.admin, f.manager_id, role("owner")).await);
    assert_eq!(errors.message_for("role"), Some("must be one of: admin, manager"));
    expect_not_found(f.t.change_role(&f.admin, NOBODY, role("admin")).await);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn the_last_enabled_admin_cannot_demote_themself() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    expect_conflict(f.t.change_role(&f.admin, f.admin_id, role("manager")).await, Conflict::LastAdmin);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn an_admin_may_be_demoted_while_another_enabled_admin_remains() {
    let (f, boss_id, _) = with_boss().await;
    f.t.change_role(&f.admin, f.admin_id, role("manager")).await.expect("demote self");
    assert_eq!(stored(&f.t, f.admin_id).await.expect("admin").role(), Role::Manager);
    assert_eq!(stored(&f.t, boss_id).await.expect("boss").role(), Role::Admin);
}

#[tokio::test]
async fn a_disabled_admin_does_not_count_as_remaining() {
    let (f, boss_id, _) = with_boss().await;
    f.t.disable_user(&f.admin, boss_id).await.expect("disable boss");
    let before = snapshot(&f.t).await;
    expect_conflict(f.t.change_role(&f.admin, f.admin_id, role("manager")).await, Conflict::LastAdmin);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn setting_the_role_a_user_already_has_writes_nothing() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    f.t.change_role(&f.admin, f.manager_id, role("manager")).await.expect("no-op");
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn disabling_moves_the_stamp_and_enabling_again_keeps_it() {
    let f = fixture().await;
    let stamp = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    f.t.disable_user(&f.admin, f.manager_id).await.expect("disable");
    let disabled = stored(&f.t, f.manager_id).await.expect("manager");
    assert!(disabled.is_disabled());
    assert_ne!(disabled.security_stamp(), stamp);
    assert_eq!(last_audit(&f.t).entry.action, AuditAction::UserDisabled);
    assert_eq!(last_audit(&f.t).entry.details, "disabled user manager");

    f.t.enable_user(&f.admin, f.manager_id).await.expect("enable");
    let enabled = stored(&f.t, f.manager_id).await.expect("manager");
    assert!(!enabled.is_disabled());
    assert_eq!(enabled.security_stamp(), disabled.security_stamp());
    assert_eq!(last_audit(&f.t).entry.action, AuditAction::UserEnabled);
}

#[tokio::test]
async fn disabling_is_forbidden_to_managers_and_the_public() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    expect_forbidden(f.t.disable_user(&f.manager, f.admin_id).await);
    expect_forbidden(f.t.disable_user(&anonymous(), f.manager_id).await);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn nobody_disables_themself_even_with_another_admin_left() {
    let (f, _, _) = with_boss().await;
    let before = snapshot(&f.t).await;
    expect_conflict(f.t.disable_user(&f.admin, f.admin_id).await, Conflict::SelfAction);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn the_last_enabled_admin_cannot_be_disabled() {
    // `admin` was disabled by `boss`, but still acts from a session not yet ended.
    let (f, boss_id, boss) = with_boss().await;
    f.t.disable_user(&boss, f.admin_id).await.expect("disable admin");
    let before = snapshot(&f.t).await;
    expect_conflict(f.t.disable_user(&f.admin, boss_id).await, Conflict::LastAdmin);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn disabling_an_unknown_user_is_not_found_and_a_repeat_writes_nothing() {
    let f = fixture().await;
    expect_not_found(f.t.disable_user(&f.admin, NOBODY).await);
    f.t.disable_user(&f.admin, f.manager_id).await.expect("disable");
    let before = snapshot(&f.t).await;
    f.t.disable_user(&f.admin, f.manager_id).await.expect("again");
    f.t.enable_user(&f.admin, f.admin_id).await.expect("enable an enabled user");
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn resetting_a_password_moves_the_stamp_and_only_the_new_one_works() {
    let f = fixture().await;
    let stamp = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    f.t.reset_password(&f.admin, f.manager_id, new_password(NEW_PASSWORD)).await.expect("reset");
    assert_ne!(stored(&f.t, f.manager_id).await.expect("manager").security_stamp(), stamp);
    assert_eq!(last_audit(&f.t).entry.action, AuditAction::UserPasswordReset);
    assert_eq!(last_audit(&f.t).entry.details, "reset the password of manager");
    assert!(f.t.authenticate("manager", NEW_PASSWORD).await.is_ok());
    assert!(matches!(f.t.authenticate("manager", PASSWORD).await, Err(UseCaseError::InvalidCredentials)));
}

#[tokio::test]
async fn resetting_a_password_is_forbidden_to_managers_and_the_public() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    expect_forbidden(f.t.reset_password(&f.manager, f.admin_id, new_password(NEW_PASSWORD)).await);
    expect_forbidden(f.t.reset_password(&anonymous(), f.admin_id, new_password(NEW_PASSWORD)).await);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn a_short_reset_password_is_reported_and_an_unknown_user_is_not_found() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    let errors = expect_invalid(f.t.reset_password(&f.admin, f.manager_id, new_password("too short")).await);
    assert_eq!(errors.message_for("new_password"), Some("must be at least 12 characters"));
    expect_not_found(f.t.reset_password(&f.admin, NOBODY, new_password(NEW_PASSWORD)).await);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn deleting_a_user_removes_the_account_and_the_audit_keeps_its_name() {
    let f = fixture().await;
    f.t.delete_user(&f.admin, f.manager_id).await.expect("delete");
    assert!(stored(&f.t, f.manager_id).await.is_none());
    let audit = last_audit(&f.t);
    assert_eq!(audit.entry.action, AuditAction::UserDeleted);
    assert_eq!(audit.entry.object.id, Some(f.manager_id.get()));
    assert_eq!(audit.entry.details, "deleted user manager (manager)");
}

#[tokio::test]
async fn deleting_is_forbidden_to_managers_and_the_public() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    expect_forbidden(f.t.delete_user(&f.manager, f.admin_id).await);
    expect_forbidden(f.t.delete_user(&anonymous(), f.manager_id).await);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn nobody_deletes_themself_and_an_unknown_user_is_not_found() {
    let (f, _, _) = with_boss().await;
    let before = snapshot(&f.t).await;
    expect_conflict(f.t.delete_user(&f.admin, f.admin_id).await, Conflict::SelfAction);
    expect_not_found(f.t.delete_user(&f.admin, NOBODY).await);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn the_last_enabled_admin_cannot_be_deleted_but_a_disabled_admin_can() {
    let (f, boss_id, boss) = with_boss().await;
    f.t.disable_user(&boss, f.admin_id).await.expect("disable admin");
    let before = snapshot(&f.t).await;
    expect_conflict(f.t.delete_user(&f.admin, boss_id).await, Conflict::LastAdmin);
    assert_eq!(snapshot(&f.t).await, before);
    f.t.delete_user(&boss, f.admin_id).await.expect("delete the disabled admin");
    assert!(stored(&f.t, f.admin_id).await.is_none());
}

#[tokio::test]
async fn an_admin_renames_an_account_and_its_sessions_go_on() {
    let f = fixture().await;
    let stamp = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    let cmd = crate::users::Rename { username: "logistics".into() };
    f.t.rename_user(&f.admin, f.manager_id, cmd).await.expect("rename");
    let user = stored(&f.t, f.manager_id).await.expect("manager");
    assert_eq!((user.username().as_str(), user.security_stamp()), ("logistics", stamp));
    let audit = last_audit(&f.t);
    assert_eq!(audit.entry.action, AuditAction::UserRenamed);
    assert_eq!(audit.entry.actor_id, Some(f.admin_id));
    assert_eq!(audit.entry.details, "renamed user manager to logistics");
}

#[tokio::test]
async fn renaming_others_is_for_admins_and_a_taken_name_or_unknown_user_changes_nothing() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    let cmd = |name: &str| crate::users::Rename { username: name.into() };
    expect_forbidden(f.t.rename_user(&f.manager, f.admin_id, cmd("usurper")).await);
    expect_forbidden(f.t.rename_user(&anonymous(), f.admin_id, cmd("usurper")).await);
    let errors = expect_invalid(f.t.rename_user(&f.admin, f.manager_id, cmd("Admin")).await);
    assert_eq!(errors.message_for("username"), Some("is already taken by another account"));
    expect_not_found(f.t.rename_user(&f.admin, NOBODY, cmd("ghost")).await);
    assert_eq!(snapshot(&f.t).await, before);
}
