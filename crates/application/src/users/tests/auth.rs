//! Logging in and checking sessions.

use super::{NEW_PASSWORD, last_audit, stored};
use crate::error::{RepoResult, UseCaseError, UseCaseResult};
use crate::memory::{ManualClock, MemoryStore, PlainHasher};
use crate::ports::{NewUser, PasswordHasher, UserRepo, Verification};
use crate::testing::{PASSWORD, audit_actions, fixture};
use crate::testing::{new_password, role};
use crate::tracker::Tracker;
use domain::{
    AuditAction, NewAuditEntry, ObjectKind, ObjectRef, Password, PasswordHash, Role, SecurityStamp, User, UserId,
    Username,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The plain test hasher, counting how often it verifies.
#[derive(Debug, Clone, Default)]
pub(super) struct CountingHasher {
    pub(super) verified: Arc<AtomicUsize>,
}

impl crate::ports::TokenKeys for CountingHasher {
    fn issue(&self) -> crate::ports::IssuedToken {
        crate::ports::TokenKeys::issue(&PlainHasher::new())
    }

    fn digest(&self, secret: &str) -> domain::TokenDigest {
        crate::ports::TokenKeys::digest(&PlainHasher::new(), secret)
    }
}

impl PasswordHasher for CountingHasher {
    async fn hash(&self, password: &Password) -> RepoResult<PasswordHash> {
        PlainHasher::new().hash(password).await
    }

    async fn verify(&self, password: &Password, hash: Option<&PasswordHash>) -> RepoResult<Verification> {
        self.verified.fetch_add(1, Ordering::SeqCst);
        PlainHasher::new().verify(password, hash).await
    }
}

#[track_caller]
fn expect_invalid_credentials(result: UseCaseResult<User>) {
    assert!(matches!(result, Err(UseCaseError::InvalidCredentials)), "expected InvalidCredentials, got {result:?}");
}

#[tokio::test]
async fn the_right_password_logs_in_under_any_case_of_the_username_and_writes_no_audit() {
    let f = fixture().await;
    let before = audit_actions(&f.t);
    let user = f.t.authenticate(" Manager ", PASSWORD).await.expect("log in");
    assert_eq!(user.id(), f.manager_id);
    assert_eq!(audit_actions(&f.t), before);
}

#[tokio::test]
async fn wrong_passwords_unknown_users_disabled_users_and_malformed_input_are_all_invalid_credentials() {
    let f = fixture().await;
    expect_invalid_credentials(f.t.authenticate("manager", "not the password").await);
    expect_invalid_credentials(f.t.authenticate("manager", "").await);
    expect_invalid_credentials(f.t.authenticate("nobody", PASSWORD).await);
    expect_invalid_credentials(f.t.authenticate("no such user!", PASSWORD).await);
    expect_invalid_credentials(f.t.authenticate("manager", &"x".repeat(2_000)).await);
    f.t.disable_user(&f.admin, f.manager_id).await.expect("disable");
    expect_invalid_credentials(f.t.authenticate("manager", PASSWORD).await);
}

#[tokio::test]
async fn every_login_attempt_verifies_exactly_one_hash() {
    let f = fixture().await;
    f.t.disable_user(&f.admin, f.manager_id).await.expect("disable");
    let hasher = CountingHasher::default();
    let t = Tracker::new(f.t.store().clone(), hasher.clone(), f.t.clock.clone());
    let long = "x".repeat(2_000);
    let attempts = [
        ("admin", PASSWORD, true),
        ("admin", "not the password", false),
        ("nobody", PASSWORD, false),
        ("no such user!", PASSWORD, false),
        ("admin", long.as_str(), false),
        ("manager", PASSWORD, false),
    ];
    for (i, (username, password, succeeds)) in attempts.into_iter().enumerate() {
        assert_eq!(t.authenticate(username, password).await.is_ok(), succeeds, "attempt {username}");
        assert_eq!(hasher.verified.load(Ordering::SeqCst), i + 1, "attempt {username} verifies once");
    }
}

/// Adds `username` as a manager whose hash has outdated parameters.
async fn seed_outdated(store: &MemoryStore, clock: &ManualClock, username: &str) -> UserId {
    let hash = PlainHasher::outdated().hash(&Password::parse(PASSWORD).expect("password")).await.expect("hash");
    let at = crate::ports::Clock::now(clock);
    let new = NewUser {
        username: Username::parse(username).expect("name"),
        role: Role::Manager,
        password_hash: hash,
        created_at: at,
    };
    let audit = NewAuditEntry {
        at,
        actor_id: None,
        actor_name: "system".into(),
        action: AuditAction::UserCreated,
        campaign_id: None,
        object: ObjectRef::created(ObjectKind::User),
        details: "seeded by a test".into(),
    };
    store.insert_user(&new, &audit, None).await.expect("seed")
}

#[tokio::test]
async fn an_outdated_hash_is_replaced_at_login_without_ending_sessions() {
    let f = fixture().await;
    let id = seed_outdated(f.t.store(), &f.t.clock, "oldtimer").await;
    let before = stored(&f.t, id).await.expect("user");

    let user = f.t.authenticate("oldtimer", PASSWORD).await.expect("log in");
    let after = stored(&f.t, id).await.expect("user");
    assert_eq!(user, after);
    assert_ne!(after.password_hash(), before.password_hash());
    assert_eq!(after.password_hash().as_str(), format!("plain:{PASSWORD}"));
    assert_eq!(after.security_stamp(), before.security_stamp());
    let audit = last_audit(&f.t);
    assert_eq!(audit.entry.action, AuditAction::UserPasswordRehashed);
    assert_eq!((audit.entry.actor_id, audit.entry.actor_name.as_str()), (None, "system"));
    assert_eq!(audit.entry.object.id, Some(id.get()));

    let actions = audit_actions(&f.t);
    f.t.authenticate("oldtimer", PASSWORD).await.expect("log in again");
    assert_eq!(audit_actions(&f.t), actions, "a current hash is not replaced again");
}

#[tokio::test]
async fn an_outdated_hash_is_kept_when_the_password_is_wrong() {
    let f = fixture().await;
    let id = seed_outdated(f.t.store(), &f.t.clock, "oldtimer").await;
    let before = (stored(&f.t, id).await, audit_actions(&f.t));
    expect_invalid_credentials(f.t.authenticate("oldtimer", "not the password").await);
    assert_eq!((stored(&f.t, id).await, audit_actions(&f.t)), before);
}

#[tokio::test]
async fn a_session_lives_while_the_account_keeps_its_stamp() {
    let f = fixture().await;
    let stamp = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    let user = f.t.session_user(f.manager_id, stamp).await.expect("read");
    assert_eq!(user.map(|u| u.id()), Some(f.manager_id));
    assert_eq!(f.t.session_user(f.manager_id, stamp.next()).await.expect("read"), None);
    assert_eq!(f.t.session_user(UserId::new(9_999), SecurityStamp::INITIAL).await.expect("read"), None);
    f.t.change_role(&f.admin, f.manager_id, role("admin")).await.expect("promote");
    let promoted = f.t.session_user(f.manager_id, stamp).await.expect("read").expect("session goes on");
    assert_eq!(promoted.role(), Role::Admin);
}

#[tokio::test]
async fn a_password_change_ends_old_sessions_and_the_new_stamp_lives() {
    let f = fixture().await;
    let old = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    let cmd = crate::users::ChangePassword {
        current_password: PASSWORD.into(),
        new_password: NEW_PASSWORD.into(),
        confirm_password: NEW_PASSWORD.into(),
    };
    f.t.change_own_password(&f.manager, cmd).await.expect("change");
    assert_eq!(f.t.session_user(f.manager_id, old).await.expect("read"), None);
    let new = f.t.profile(&f.manager).await.expect("profile").security_stamp();
    assert!(f.t.session_user(f.manager_id, new).await.expect("read").is_some());
}

#[tokio::test]
async fn a_reset_a_disable_or_a_delete_ends_every_session() {
    let f = fixture().await;
    let admin_stamp = stored(&f.t, f.admin_id).await.expect("admin").security_stamp();
    let stamp = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    f.t.reset_password(&f.admin, f.manager_id, new_password(NEW_PASSWORD)).await.expect("reset");
    assert_eq!(f.t.session_user(f.manager_id, stamp).await.expect("read"), None);

    let stamp = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    f.t.disable_user(&f.admin, f.manager_id).await.expect("disable");
    assert_eq!(f.t.session_user(f.manager_id, stamp).await.expect("read"), None);
    let current = stored(&f.t, f.manager_id).await.expect("manager").security_stamp();
    assert_eq!(f.t.session_user(f.manager_id, current).await.expect("read"), None, "disabled, whatever the stamp");

    f.t.enable_user(&f.admin, f.manager_id).await.expect("enable");
    assert!(f.t.session_user(f.manager_id, current).await.expect("read").is_some());
    f.t.delete_user(&f.admin, f.manager_id).await.expect("delete");
    assert_eq!(f.t.session_user(f.manager_id, current).await.expect("read"), None);
    assert!(f.t.session_user(f.admin_id, admin_stamp).await.expect("read").is_some(), "others go on");
}
