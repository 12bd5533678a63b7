//! Issuing, listing, revoking and presenting API tokens.

use super::*;
use crate::memory::PlainHasher;
use crate::ports::{TokenKeys, TokenRepo};
use crate::testing::{anonymous, fixture};
use domain::{AuditAction, Role};
use time::Duration;

fn input(name: &str, days: &str) -> TokenInput {
    TokenInput { name: name.into(), expires_in_days: days.into() }
}

#[tokio::test]
async fn an_issued_token_acts_as_its_owner_and_names_itself_in_the_audit() {
    let f = fixture().await;
    let issued = f.t.create_token(&f.manager, input(" Discord bot ", "30")).await.unwrap();
    assert_eq!(issued.token.name.as_str(), "Discord bot");
    assert_eq!(issued.token.expires_at, Some(issued.token.created_at + Duration::days(30)));
    assert_eq!(f.t.tokens(&f.manager).await.unwrap(), vec![issued.token.clone()]);
    assert!(f.t.tokens(&f.admin).await.unwrap().is_empty(), "tokens are listed to their owner only");

    let acting = f.t.token_actor(&issued.secret).await.unwrap().expect("the token acts");
    assert_eq!((acting.id, acting.role), (f.manager_id, Role::Manager));
    assert_eq!(acting.token.as_ref().map(TokenName::as_str), Some("Discord bot"));
    let entry = f.t.store.audit_entries().pop().unwrap();
    assert_eq!(entry.entry.action, AuditAction::TokenCreated);
    assert_eq!(entry.entry.object.id, Some(issued.token.id.get()));

    let audit = f.t.audit(&acting, AuditAction::MissionCreated, None, ObjectRef::created(ObjectKind::Mission), "x");
    assert_eq!(audit.details, "x (API token \"Discord bot\")");
}

#[tokio::test]
async fn only_the_digest_is_stored() {
    let f = fixture().await;
    let issued = f.t.create_token(&f.admin, input("ci", "")).await.unwrap();
    let digest = PlainHasher::new().digest(&issued.secret);
    assert_ne!(digest.as_str(), issued.secret);
    let (token, owner) = f.t.store.token_bearer(&digest).await.unwrap().expect("found by digest");
    assert_eq!((token.id, owner.id()), (issued.token.id, f.admin_id));
    assert_eq!(token.expires_at, None);
    assert!(f.t.token_actor("not-a-token").await.unwrap().is_none());
}

#[tokio::test]
async fn a_token_stops_at_its_expiry_on_revocation_and_while_its_owner_is_disabled() {
    let f = fixture().await;
    let expiring = f.t.create_token(&f.manager, input("short", "1")).await.unwrap();
    f.t.clock.advance(Duration::days(1));
    assert!(f.t.token_actor(&expiring.secret).await.unwrap().is_none(), "expired");

    let kept = f.t.create_token(&f.manager, input("kept", "")).await.unwrap();
    f.t.disable_user(&f.admin, f.manager_id).await.unwrap();
    assert!(f.t.token_actor(&kept.secret).await.unwrap().is_none(), "the owner is disabled");
    f.t.enable_user(&f.admin, f.manager_id).await.unwrap();
    f.t.change_role(&f.admin, f.manager_id, crate::users::ChangeRole { role: "admin".into() }).await.unwrap();
    let acting = f.t.token_actor(&kept.secret).await.unwrap().expect("enabled again");
    assert_eq!(acting.role, Role::Admin, "a token carries the owner's current role");

    f.t.revoke_token(&f.manager, kept.token.id).await.unwrap();
    assert!(f.t.token_actor(&kept.secret).await.unwrap().is_none(), "revoked");
    assert_eq!(f.t.store.audit_entries().pop().unwrap().entry.action, AuditAction::TokenRevoked);
}

#[tokio::test]
async fn tokens_are_managed_by_their_owner_in_a_browser_session_only() {
    let f = fixture().await;
    let issued = f.t.create_token(&f.manager, input("bot", "")).await.unwrap();
    let before = f.t.store.audit_entries().len();
    assert!(matches!(f.t.revoke_token(&f.admin, issued.token.id).await, Err(UseCaseError::NotFound("token"))));
    assert!(matches!(f.t.create_token(&anonymous(), input("x", "")).await, Err(UseCaseError::Forbidden)));
    assert!(matches!(f.t.tokens(&anonymous()).await, Err(UseCaseError::Forbidden)));
    let by_token = Actor::Staff(f.t.token_actor(&issued.secret).await.unwrap().unwrap());
    assert!(matches!(f.t.create_token(&by_token, input("more", "")).await, Err(UseCaseError::Forbidden)));
    assert!(matches!(f.t.revoke_token(&by_token, issued.token.id).await, Err(UseCaseError::Forbidden)));
    assert_eq!(f.t.store.audit_entries().len(), before, "refusals write nothing");
    assert!(f.t.token_actor(&issued.secret).await.unwrap().is_some());
}

#[tokio::test]
async fn a_bad_name_or_lifetime_is_refused_field_by_field() {
    let f = fixture().await;
    for (name, days, field) in [
        ("", "", "name"),
        ("ok", "0", "expires_in_days"),
        ("ok", "3651", "expires_in_days"),
        ("ok", "2.5", "expires_in_days"),
    ] {
        let Err(UseCaseError::Invalid(errors)) = f.t.create_token(&f.admin, input(name, days)).await else {
            panic!("{name:?}/{days:?} must be refused");
        };
        assert!(errors.message_for(field).is_some(), "{field} for {name:?}/{days:?}: {errors:?}");
    }
    assert!(f.t.tokens(&f.admin).await.unwrap().is_empty());
}

#[tokio::test]
async fn deleting_a_user_deletes_their_tokens() {
    let f = fixture().await;
    let issued = f.t.create_token(&f.manager, input("bot", "")).await.unwrap();
    f.t.delete_user(&f.admin, f.manager_id).await.unwrap();
    assert!(f.t.store.tokens_of(f.manager_id).await.unwrap().is_empty());
    assert!(f.t.token_actor(&issued.secret).await.unwrap().is_none());
}

#[tokio::test]
async fn a_working_tokens_use_is_recorded_at_most_once_a_step_and_never_audited() {
    let f = fixture().await;
    let issued = f.t.create_token(&f.manager, input("bot", "")).await.unwrap();
    let audited = f.t.store.audit_entries().len();
    let used_at = async || f.t.tokens(&f.manager).await.unwrap()[0].last_used_at;
    assert_eq!(used_at().await, None, "never used");

    let first = f.t.clock.now();
    f.t.token_actor(&issued.secret).await.unwrap().expect("acts");
    assert_eq!(used_at().await, Some(first));
    f.t.clock.advance(Duration::seconds(30));
    f.t.token_actor(&issued.secret).await.unwrap().expect("acts");
    assert_eq!(used_at().await, Some(first), "within the step, nothing is written");
    f.t.clock.advance(Duration::seconds(30));
    f.t.token_actor(&issued.secret).await.unwrap().expect("acts");
    assert_eq!(used_at().await, Some(first + Duration::minutes(1)), "a step later, recorded again");
    assert_eq!(f.t.store.audit_entries().len(), audited, "a use is no audited change");

    f.t.clock.advance(Duration::minutes(5));
    f.t.disable_user(&f.admin, f.manager_id).await.unwrap();
    assert!(f.t.token_actor(&issued.secret).await.unwrap().is_none());
    assert_eq!(used_at().await, Some(first + Duration::minutes(1)), "a refused token records no use");
}

#[tokio::test]
async fn an_admin_counts_and_revokes_a_users_tokens_in_a_browser_session_only() {
    let f = fixture().await;
    let first = f.t.create_token(&f.manager, input("bot", "")).await.unwrap();
    let second = f.t.create_token(&f.manager, input("mod", "")).await.unwrap();
    assert_eq!(f.t.token_counts(&f.admin).await.unwrap(), vec![(f.manager_id, 2)]);
    assert!(matches!(f.t.token_counts(&f.manager).await, Err(UseCaseError::Forbidden)), "admins only");
    assert!(matches!(f.t.revoke_user_tokens(&f.manager, f.admin_id).await, Err(UseCaseError::Forbidden)));
    let by_token =
        Actor::Staff(StaffMember { token: Some(TokenName::parse("x").unwrap()), ..f.admin.staff().unwrap().clone() });
    assert!(
        matches!(f.t.revoke_user_tokens(&by_token, f.manager_id).await, Err(UseCaseError::Forbidden)),
        "not with a token"
    );
    let missing = UserId::new(f.admin_id.get() + f.manager_id.get() + 100);
    assert!(matches!(f.t.revoke_user_tokens(&f.admin, missing).await, Err(UseCaseError::NotFound("user"))));

    let audited = f.t.store.audit_entries().len();
    assert_eq!(f.t.revoke_user_tokens(&f.admin, f.manager_id).await.unwrap(), 2);
    let entry = f.t.store.audit_entries().pop().unwrap();
    assert_eq!(
        (entry.entry.action, entry.entry.details.as_str()),
        (AuditAction::TokenRevoked, "revoked all 2 API tokens of manager")
    );
    for secret in [&first.secret, &second.secret] {
        assert!(f.t.token_actor(secret).await.unwrap().is_none(), "revoked");
    }
    assert_eq!(f.t.revoke_user_tokens(&f.admin, f.manager_id).await.unwrap(), 0, "none left");
    assert_eq!(f.t.store.audit_entries().len(), audited + 1, "nothing written when there is nothing to revoke");
    assert!(f.t.token_counts(&f.admin).await.unwrap().is_empty());
}
