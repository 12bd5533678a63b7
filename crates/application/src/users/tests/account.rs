//! A staff member's own profile and password.

use super::{NEW_PASSWORD, expect_forbidden, expect_invalid, expect_not_found, last_audit, snapshot, stored};
use crate::error::UseCaseError;
use crate::testing::{PASSWORD, anonymous, fixture};
use crate::users::ChangePassword;
use domain::AuditAction;

fn change(current: &str, new: &str, confirm: &str) -> ChangePassword {
    ChangePassword { current_password: current.into(), new_password: new.into(), confirm_password: confirm.into() }
}

#[tokio::test]
async fn staff_read_their_own_profile() {
    let f = fixture().await;
    assert_eq!(f.t.profile(&f.manager).await.expect("profile").id(), f.manager_id);
    assert_eq!(f.t.profile(&f.admin).await.expect("profile").id(), f.admin_id);
}

#[tokio::test]
async fn the_public_has_no_profile_and_a_deleted_account_is_not_found() {
    let f = fixture().await;
    expect_forbidden(f.t.profile(&anonymous()).await);
    f.t.delete_user(&f.admin, f.manager_id).await.expect("delete");
    expect_not_found(f.t.profile(&f.manager).await);
}

#[tokio::test]
async fn changing_your_password_moves_the_stamp_and_only_the_new_one_works() {
    let f = fixture().await;
    let stamp = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    f.t.change_own_password(&f.manager, change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)).await.expect("change");
    assert_ne!(stored(&f.t, f.manager_id).await.expect("manager").security_stamp(), stamp);
    let audit = last_audit(&f.t);
    assert_eq!(audit.entry.action, AuditAction::UserPasswordChanged);
    assert_eq!(audit.entry.actor_id, Some(f.manager_id));
    assert_eq!(audit.entry.object.id, Some(f.manager_id.get()));
    assert!(f.t.authenticate("manager", NEW_PASSWORD).await.is_ok());
    assert!(matches!(f.t.authenticate("manager", PASSWORD).await, Err(UseCaseError::InvalidCredentials)));
}

#[tokio::test]
async fn the_public_cannot_change_a_password() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    expect_forbidden(f.t.change_own_password(&anonymous(), change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)).await);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn a_wrong_current_password_is_reported_and_nothing_changes() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    let result = f.t.change_own_password(&f.manager, change("not my password", NEW_PASSWORD, NEW_PASSWORD)).await;
    let errors = expect_invalid(result);
    assert_eq!(errors.message_for("current_password"), Some("is not correct"));
    assert_eq!(errors.fields().len(), 1);
    let too_long = "x".repeat(2_000);
    let errors =
        expect_invalid(f.t.change_own_password(&f.manager, change(&too_long, NEW_PASSWORD, NEW_PASSWORD)).await);
    assert_eq!(errors.message_for("current_password"), Some("is not correct"));
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn every_problem_with_a_password_change_is_reported_at_once() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    let errors = expect_invalid(f.t.change_own_password(&f.manager, change("wrong", "short", "shorter")).await);
    assert_eq!(errors.message_for("current_password"), Some("is not correct"));
    assert_eq!(errors.message_for("new_password"), Some("must be at least 12 characters"));
    assert_eq!(errors.message_for("confirm_password"), Some("does not match"));
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn a_mismatched_confirmation_alone_is_reported() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    let result = f.t.change_own_password(&f.manager, change(PASSWORD, NEW_PASSWORD, "a brand new secreT")).await;
    let errors = expect_invalid(result);
    assert_eq!(errors.message_for("confirm_password"), Some("does not match"));
    assert_eq!(errors.fields().len(), 1);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn a_disabled_account_cannot_change_its_password() {
    let f = fixture().await;
    f.t.disable_user(&f.admin, f.manager_id).await.expect("disable");
    let before = snapshot(&f.t).await;
    expect_forbidden(f.t.change_own_password(&f.manager, change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)).await);
    assert_eq!(snapshot(&f.t).await, before);
}

fn rename(username: &str) -> crate::users::Rename {
    crate::users::Rename { username: username.into() }
}

#[tokio::test]
async fn renaming_yourself_keeps_your_sessions_and_the_new_name_logs_in() {
    let f = fixture().await;
    let stamp = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    f.t.rename_own(&f.manager, rename(" Quartermaster ")).await.expect("rename");
    let user = stored(&f.t, f.manager_id).await.expect("manager");
    assert_eq!(user.username().as_str(), "Quartermaster", "stored trimmed");
    assert_eq!(user.security_stamp(), stamp, "a rename ends no session");
    let audit = last_audit(&f.t);
    assert_eq!(audit.entry.action, AuditAction::UserRenamed);
    assert_eq!(audit.entry.actor_id, Some(f.manager_id));
    assert_eq!(audit.entry.details, "changed own username from manager to Quartermaster");
    assert!(f.t.authenticate("quartermaster", PASSWORD).await.is_ok(), "the new name, in any case");
    assert!(matches!(f.t.authenticate("manager", PASSWORD).await, Err(UseCaseError::InvalidCredentials)));
}

#[tokio::test]
async fn the_same_name_writes_nothing_and_a_new_case_of_it_is_a_rename() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    f.t.rename_own(&f.manager, rename("manager")).await.expect("same name");
    assert_eq!(snapshot(&f.t).await, before, "no write, no audit entry");
    f.t.rename_own(&f.manager, rename("Manager")).await.expect("new case");
    assert_eq!(stored(&f.t, f.manager_id).await.expect("manager").username().as_str(), "Manager");
}

#[tokio::test]
async fn a_bad_or_taken_name_is_reported_beside_the_field_and_changes_nothing() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    let errors = expect_invalid(f.t.rename_own(&f.manager, rename("x")).await);
    assert!(errors.message_for("username").is_some(), "{errors:?}");
    let errors = expect_invalid(f.t.rename_own(&f.manager, rename("ADMIN")).await);
    assert_eq!(errors.message_for("username"), Some("is already taken by another account"));
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn the_public_cannot_rename_and_a_deleted_account_is_not_found() {
    let f = fixture().await;
    expect_forbidden(f.t.rename_own(&anonymous(), rename("someone")).await);
    f.t.delete_user(&f.admin, f.manager_id).await.expect("delete");
    expect_not_found(f.t.rename_own(&f.manager, rename("someone")).await);
}
