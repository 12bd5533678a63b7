//! Admins created by the system: on the first run and from the command line.

use super::{NEW_PASSWORD, expect_conflict, expect_invalid, last_audit, snapshot, stored};
use crate::error::Conflict;
use crate::testing::admin;
use crate::testing::{fixture, tracker};
use domain::{AuditAction, Role};

#[tokio::test]
async fn the_first_run_creates_an_admin_in_an_empty_store() {
    let t = tracker();
    assert!(!t.has_accounts().await.expect("read"));
    let id = t.create_first_admin(admin("Founder", NEW_PASSWORD)).await.expect("create").expect("created");
    let user = stored(&t, id).await.expect("stored");
    assert_eq!(user.username().as_str(), "Founder");
    assert_eq!(user.role(), Role::Admin);
    assert!(t.authenticate("founder", NEW_PASSWORD).await.is_ok());
    let audit = last_audit(&t);
    assert_eq!(audit.entry.action, AuditAction::UserCreated);
    assert_eq!((audit.entry.actor_id, audit.entry.actor_name.as_str()), (None, "system"));
    assert_eq!(audit.entry.object.id, Some(id.get()));
    assert_eq!(audit.entry.details, "created the first admin Founder");
    assert!(t.has_accounts().await.expect("read"));
}

#[tokio::test]
async fn the_first_run_does_nothing_once_any_account_exists() {
    let t = tracker();
    t.create_first_admin(admin("founder", NEW_PASSWORD)).await.expect("first").expect("created");
    let before = snapshot(&t).await;
    assert_eq!(t.create_first_admin(admin("second", NEW_PASSWORD)).await.expect("second"), None);
    assert_eq!(t.create_first_admin(admin("", "")).await.expect("unused input is not checked"), None);
    assert_eq!(snapshot(&t).await, before);
}

#[tokio::test]
async fn malformed_first_admin_credentials_are_reported_and_nothing_is_created() {
    let t = tracker();
    let errors = expect_invalid(t.create_first_admin(admin("a", "short")).await);
    assert_eq!(errors.message_for("username"), Some("must be 3 to 64 characters long"));
    assert_eq!(errors.message_for("password"), Some("must be at least 12 characters"));
    assert_eq!(snapshot(&t).await, (Vec::new(), Vec::new()));
}

#[tokio::test]
async fn an_operator_creates_an_admin_whatever_accounts_exist() {
    let f = fixture().await;
    let id = f.t.create_admin(admin("operator.made", NEW_PASSWORD)).await.expect("create");
    assert_eq!(stored(&f.t, id).await.expect("stored").role(), Role::Admin);
    let audit = last_audit(&f.t);
    assert_eq!((audit.entry.actor_id, audit.entry.actor_name.as_str()), (None, "system"));
    assert_eq!(audit.entry.details, "created admin operator.made");
}

#[tokio::test]
async fn an_operator_cannot_reuse_a_username_or_pass_malformed_credentials() {
    let f = fixture().await;
    let before = snapshot(&f.t).await;
    expect_conflict(f.t.create_admin(admin("Manager", NEW_PASSWORD)).await, Conflict::DuplicateUsername);
    let errors = expect_invalid(f.t.create_admin(admin("bad name", "short")).await);
    assert_eq!(errors.fields().len(), 2);
    assert!(errors.message_for("username").is_some() && errors.message_for("password").is_some());
    assert_eq!(snapshot(&f.t).await, before);
}
