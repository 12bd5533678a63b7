//! Tests of the user-account use cases: listing, reading and creating accounts here;
//! the other admin actions, the own account, login and the system's creates in the
//! submodules.

mod account;
mod admin;
mod auth;
mod system;
mod throttle;

use super::CreateUser;
use crate::error::{Conflict, UseCaseError, UseCaseResult, ValidationErrors};
use crate::ports::UserRepo;
use crate::testing::{PASSWORD, TestTracker, anonymous, audit_actions, fixture, seed_user, staff};
use domain::{AuditAction, AuditEntry, ObjectKind, Role, SecurityStamp, User, UserId};

/// A password long enough for a new account.
const NEW_PASSWORD: &str = "a brand new secret";

/// The account as stored, if it exists.
async fn stored(t: &TestTracker, id: UserId) -> Option<User> {
    t.store.user(id).await.expect("read user")
}

/// Everything a user-account use case may change: the audit trail and every account.
async fn snapshot(t: &TestTracker) -> (Vec<AuditAction>, Vec<User>) {
    (audit_actions(t), t.store.users().await.expect("read users"))
}

/// The newest audit entry.
fn last_audit(t: &TestTracker) -> AuditEntry {
    t.store.audit_entries().pop().expect("an audit entry")
}

/// A valid command creating `username` as a manager.
fn new_manager(username: &str) -> CreateUser {
    CreateUser {
        username: username.into(),
        role: "manager".into(),
        password: NEW_PASSWORD.into(),
        idempotency_key: None,
    }
}

#[track_caller]
fn expect_invalid<T: std::fmt::Debug>(result: UseCaseResult<T>) -> ValidationErrors {
    match result {
        Err(UseCaseError::Invalid(errors)) => errors,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[track_caller]
fn expect_conflict<T: std::fmt::Debug>(result: UseCaseResult<T>, expected: Conflict) {
    match result {
        Err(UseCaseError::Conflict(c)) => assert_eq!(c, expected),
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

#[track_caller]
fn expect_forbidden<T: std::fmt::Debug>(result: UseCaseResult<T>) {
    assert!(matches!(result, Err(UseCaseError::Forbidden)), "expected Forbidden, got {result:?}");
}

#[track_caller]
fn expect_not_found<T: std::fmt::Debug>(result: UseCaseResult<T>) {
    assert!(matches!(result, Err(UseCaseError::NotFound("user"))), "expected NotFound(user), got {result:?}");
}

#[tokio::test]
async fn admins_list_every_user_by_username() {
    let f = fixture().await;
    seed_user(&f.t, "Bravo", Role::Manager).await;
    let users = f.t.list_users(&f.admin).await.expect("list");
    let names: Vec<&str> = users.iter().map(|u| u.username().as_str()).collect();
    assert_eq!(names, ["admin", "Bravo", "manager"]);
}

#[tokio::test]
async fn listing_users_is_forbidden_to_managers_and_the_public() {
    let f = fixture().await;
    expect_forbidden(f.t.list_users(&f.manager).await);
    expect_forbidden(f.t.list_users(&anonymous()).await);
}

#[tokio::test]
async fn an_admin_reads_one_user_and_an_unknown_id_is_not_found() {
    let f = fixture().await;
    let user = f.t.user(&f.admin, f.manager_id).await.expect("read");
    assert_eq!(user.username().as_str(), "manager");
    assert_eq!(user.role(), Role::Manager);
    expect_not_found(f.t.user(&f.admin, UserId::new(9_999)).await);
}

#[tokio::test]
async fn reading_a_user_is_forbidden_to_managers_and_the_public() {
    let f = fixture().await;
    expect_forbidden(f.t.user(&f.manager, f.admin_id).await);
    expect_forbidden(f.t.user(&anonymous(), f.admin_id).await);
}

#[tokio::test]
async fn an_admin_creates_a_user_who_can_then_log_in() {
    let f = fixture().await;
    let cmd = CreateUser { role: "Admin".into(), ..new_manager("  Charlie.Two ") };
    let id = f.t.create_user(&f.admin, cmd).await.expect("create");

    let user = stored(&f.t, id).await.expect("created");
    assert_eq!(user.username().as_str(), "Charlie.Two");
    assert_eq!(user.role(), Role::Admin);
    assert!(!user.is_disabled());
    assert_eq!(user.security_stamp(), SecurityStamp::INITIAL);
    assert_ne!(user.password_hash().as_str(), NEW_PASSWORD, "the password is stored hashed");
    assert_eq!(f.t.authenticate("charlie.two", NEW_PASSWORD).await.expect("log in").id(), id);

    let audit = last_audit(&f.t);
    assert_eq!(audit.entry.action, AuditAction::UserCreated);
    assert_eq!(audit.entry.actor_id, Some(f.admin_id));
    assert_eq!(audit.entry.object.kind, ObjectKind::User);
    assert_eq!(audit.entry.object.id, Some(id.get()));
    assert_eq!(audit.entry.details, "created user Charlie.Two (admin)");
}

#[tokio::test]
async fn creating_a_user_is_forbidden_to_managers_and_the_public() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    expect_forbidden(f.t.create_user(&f.manager, new_manager("delta")).await);
    expect_forbidden(f.t.create_user(&anonymous(), new_manager("delta")).await);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn every_malformed_field_of_a_new_user_is_reported_and_nothing_is_created() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    let cmd = CreateUser {
        username: "no spaces allowed".into(),
        role: "owner".into(),
        password: "elevenchars".into(),
        idempotency_key: Some("bad key!".into()),
    };
    let errors = expect_invalid(f.t.create_user(&f.admin, cmd).await);
    assert_eq!(errors.message_for("username"), Some("may contain only letters, digits, '_', '.' and '-'"));
    assert_eq!(errors.message_for("role"), Some("must be one of: admin, manager"));
    assert_eq!(errors.message_for("password"), Some("must be at least 12 characters"));
    assert!(errors.message_for("idempotency_key").is_some());
    assert_eq!(errors.fields().len(), 4);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn a_bad_idempotency_key_alone_is_reported() {
    let f = fixture().await;
    let cmd = CreateUser { idempotency_key: Some("short".into()), ..new_manager("delta") };
    let errors = expect_invalid(f.t.create_user(&f.admin, cmd).await);
    assert_eq!(errors.message_for("idempotency_key"), Some("must be 8 to 128 characters long"));
    assert_eq!(errors.fields().len(), 1);
}

#[tokio::test]
async fn a_username_taken_in_another_case_is_a_conflict() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    expect_conflict(f.t.create_user(&f.admin, new_manager("MANAGER")).await, Conflict::DuplicateUsername);
    let keyed = CreateUser { idempotency_key: Some("key-0001".into()), ..new_manager("Admin") };
    expect_conflict(f.t.create_user(&f.admin, keyed).await, Conflict::DuplicateUsername);
    assert_eq!(snapshot(&f.t).await, before);
}

#[tokio::test]
async fn the_same_idempotency_key_twice_creates_one_user_and_returns_its_id() {
    let f = fixture().await;
    let cmd = CreateUser { idempotency_key: Some("create-echo-1".into()), ..new_manager("echo") };
    let first = f.t.create_user(&f.admin, cmd.clone()).await.expect("first");
    let after_first = snapshot(&f.t).await;
    let second = f.t.create_user(&f.admin, cmd).await.expect("replayed");
    assert_eq!(first, second);
    assert_eq!(snapshot(&f.t).await, after_first);
    assert_eq!(after_first.1.len(), 3);
}

#[tokio::test]
async fn an_idempotency_key_reused_by_another_admin_is_a_conflict() {
    let f = fixture().await;
    let boss_id = seed_user(&f.t, "boss", Role::Admin).await;
    let cmd = CreateUser { idempotency_key: Some("create-echo-1".into()), ..new_manager("echo") };
    f.t.create_user(&f.admin, cmd).await.expect("first");
    let before = snapshot(&f.t).await;
    let other = CreateUser { idempotency_key: Some("create-echo-1".into()), ..new_manager("foxtrot") };
    let boss = staff(boss_id, "boss", Role::Admin);
    expect_conflict(f.t.create_user(&boss, other).await, Conflict::IdempotencyKeyReused);
    assert_eq!(snapshot(&f.t).await, before);
}

#[test]
fn commands_never_print_passwords() {
    let cmd = CreateUser { password: PASSWORD.into(), ..new_manager("golf") };
    assert!(!format!("{cmd:?}").contains(PASSWORD));
    let change = super::ChangePassword {
        current_password: PASSWORD.into(),
        new_password: NEW_PASSWORD.into(),
        confirm_password: NEW_PASSWORD.into(),
    };
    let printed = format!("{change:?}");
    assert!(!printed.contains(PASSWORD) && !printed.contains(NEW_PASSWORD));
}
