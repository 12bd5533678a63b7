//! Contract of `TokenRepo`: a token is stored with its digest, found by it with its
//! owner as the owner is now, listed to its owner newest first, deleted only by its
//! owner, and deleted with its owner.

use super::check::{audit_count, ok, one_audit};
use super::seed::{about, at, created, user};
use crate::error::RepoError;
use crate::ports::{NewApiToken, Store};
use domain::{ApiTokenId, AuditAction, ObjectKind, Role, TokenDigest, TokenName, UserId};

fn new_token(owner: UserId, name: &str, digest: &str, expires: Option<i64>) -> NewApiToken {
    NewApiToken {
        owner,
        name: TokenName::parse(name).expect("valid token name"),
        digest: TokenDigest::new(digest.into()),
        created_at: at(0),
        expires_at: expires.map(at),
    }
}

/// A stored token reads back by digest with its owner's current row, and is listed
/// to its owner only, newest first; its creation is audited with its id.
pub async fn a_token_is_found_by_its_digest_with_its_owner_as_the_owner_is_now<S: Store>(store: S) {
    let alice = user(&store, "alice", Role::Manager).await;
    let bob = user(&store, "bob", Role::Admin).await;
    let before = audit_count(&store).await;
    let first = ok(
        store
            .insert_token(
                &new_token(alice, "bot", "d1", Some(60)),
                &created(AuditAction::TokenCreated, None, ObjectKind::ApiToken),
            )
            .await,
        "insert_token",
    );
    let entry = one_audit(&store, before, AuditAction::TokenCreated, "issuing a token").await;
    assert_eq!(entry.entry.object.id, Some(first.get()), "the audit entry names the new token");
    let second = ok(
        store
            .insert_token(
                &new_token(alice, "ci", "d2", None),
                &created(AuditAction::TokenCreated, None, ObjectKind::ApiToken),
            )
            .await,
        "insert_token",
    );
    let listed = ok(store.tokens_of(alice).await, "tokens_of");
    assert_eq!(listed.iter().map(|t| t.id).collect::<Vec<_>>(), vec![second, first], "newest first");
    assert_eq!(listed[1].expires_at, Some(at(60)));
    assert_eq!(listed[0].expires_at, None);
    assert_eq!(listed[1].name.as_str(), "bot");
    assert!(ok(store.tokens_of(bob).await, "tokens_of").is_empty());

    let (token, owner) = ok(store.token_bearer(&TokenDigest::new("d1".into())).await, "token_bearer").expect("found");
    assert_eq!((token.id, token.owner, owner.id()), (first, alice, alice));
    assert_eq!(token.created_at, at(0));
    assert!(ok(store.token_bearer(&TokenDigest::new("d3".into())).await, "token_bearer").is_none());

    let disable = about(AuditAction::UserDisabled, None, ObjectKind::User, alice.get());
    ok(store.set_disabled(alice, true, &disable).await, "set_disabled");
    let (_, owner) = ok(store.token_bearer(&TokenDigest::new("d2".into())).await, "token_bearer").expect("found");
    assert!(owner.is_disabled(), "the owner is read as it is now");
}

/// Only the owner deletes a token; the owner's deletion deletes every token; a token
/// for a missing user is not found and writes nothing.
pub async fn tokens_are_deleted_by_their_owner_and_with_their_owner<S: Store>(store: S) {
    let alice = user(&store, "alice", Role::Manager).await;
    let bob = user(&store, "bob", Role::Admin).await;
    let issue = created(AuditAction::TokenCreated, None, ObjectKind::ApiToken);
    let kept = ok(store.insert_token(&new_token(alice, "kept", "k1", None), &issue).await, "insert_token");
    let gone = ok(store.insert_token(&new_token(alice, "gone", "k2", None), &issue).await, "insert_token");

    let before = audit_count(&store).await;
    let revoke = about(AuditAction::TokenRevoked, None, ObjectKind::ApiToken, gone.get());
    let refused = store.delete_token(bob, gone, &revoke).await;
    assert!(matches!(refused, Err(RepoError::NotFound("token"))), "another user's token: {refused:?}");
    assert_eq!(audit_count(&store).await, before, "a refused delete writes no audit entry");
    ok(store.delete_token(alice, gone, &revoke).await, "delete_token");
    one_audit(&store, before, AuditAction::TokenRevoked, "revoking a token").await;
    assert_eq!(ok(store.tokens_of(alice).await, "tokens_of").iter().map(|t| t.id).collect::<Vec<_>>(), vec![kept]);
    assert!(ok(store.token_bearer(&TokenDigest::new("k2".into())).await, "token_bearer").is_none());

    let missing = UserId::new(alice.get() + bob.get() + 1000);
    let before = audit_count(&store).await;
    let orphan = store.insert_token(&new_token(missing, "orphan", "k3", None), &issue).await;
    assert!(matches!(orphan, Err(RepoError::NotFound("user"))), "a missing owner: {orphan:?}");
    assert_eq!(audit_count(&store).await, before);

    let delete = about(AuditAction::UserDeleted, None, ObjectKind::User, alice.get());
    ok(store.delete_user(alice, &delete).await, "delete_user");
    assert!(ok(store.token_bearer(&TokenDigest::new("k1".into())).await, "token_bearer").is_none());
    assert!(ok(store.tokens_of(alice).await, "tokens_of").is_empty());
}

/// Each user's tokens are counted, and deleted all at once in one audited write that
/// leaves every other user's tokens alone.
pub async fn a_users_tokens_are_counted_and_deleted_together<S: Store>(store: S) {
    let alice = user(&store, "alice", Role::Manager).await;
    let bob = user(&store, "bob", Role::Admin).await;
    let carol = user(&store, "carol", Role::Manager).await;
    let issue = created(AuditAction::TokenCreated, None, ObjectKind::ApiToken);
    for (owner, digest) in [(alice, "c1"), (alice, "c2"), (bob, "c3")] {
        ok(store.insert_token(&new_token(owner, digest, digest, None), &issue).await, "insert_token");
    }
    assert_eq!(ok(store.token_counts().await, "token_counts"), vec![(alice, 2), (bob, 1)], "carol has none");

    let before = audit_count(&store).await;
    let revoke = about(AuditAction::TokenRevoked, None, ObjectKind::User, alice.get());
    assert_eq!(ok(store.delete_tokens_of(alice, &revoke).await, "delete_tokens_of"), 2);
    one_audit(&store, before, AuditAction::TokenRevoked, "revoking a user's tokens").await;
    assert!(ok(store.tokens_of(alice).await, "tokens_of").is_empty());
    assert!(ok(store.token_bearer(&TokenDigest::new("c1".into())).await, "token_bearer").is_none());
    assert_eq!(ok(store.token_counts().await, "token_counts"), vec![(bob, 1)]);
    assert_eq!(ok(store.delete_tokens_of(carol, &revoke).await, "delete_tokens_of"), 0, "none to delete");
}

/// A use is recorded on the token only, moving its time forward and never back; it is
/// no change of the tracker's data (no audit entry, the same revision); a missing
/// token is no error.
pub async fn a_tokens_use_only_moves_forward_and_is_no_audited_change<S: Store>(store: S) {
    let alice = user(&store, "alice", Role::Manager).await;
    let issue = created(AuditAction::TokenCreated, None, ObjectKind::ApiToken);
    let used = ok(store.insert_token(&new_token(alice, "used", "u1", None), &issue).await, "insert_token");
    let idle = ok(store.insert_token(&new_token(alice, "idle", "u2", None), &issue).await, "insert_token");
    let (before, revision) = (audit_count(&store).await, ok(store.revision().await, "revision"));
    let last_used = async |id| {
        let tokens = ok(store.tokens_of(alice).await, "tokens_of");
        tokens.into_iter().find(|t| t.id == id).expect("listed").last_used_at
    };
    assert_eq!(last_used(used).await, None);

    ok(store.record_token_use(used, at(120)).await, "record_token_use");
    assert_eq!(last_used(used).await, Some(at(120)));
    ok(store.record_token_use(used, at(60)).await, "record_token_use");
    assert_eq!(last_used(used).await, Some(at(120)), "never back");
    ok(store.record_token_use(used, at(180)).await, "record_token_use");
    assert_eq!(last_used(used).await, Some(at(180)));
    let (token, _) = ok(store.token_bearer(&TokenDigest::new("u1".into())).await, "token_bearer").expect("found");
    assert_eq!(token.last_used_at, Some(at(180)), "read with the bearer too");
    assert_eq!(last_used(idle).await, None, "the other token is untouched");

    ok(store.record_token_use(ApiTokenId::new(used.get() + idle.get() + 1000), at(200)).await, "a missing token");
    assert_eq!(audit_count(&store).await, before, "no audit entry");
    assert_eq!(ok(store.revision().await, "revision"), revision, "no new revision");
}

#[doc(hidden)]
#[macro_export]
macro_rules! __storage_contract_tokens {
    ($fresh:path, $tidy:path) => {
        $crate::__storage_contract_module!(
            tokens,
            $fresh,
            $tidy,
            [
                a_token_is_found_by_its_digest_with_its_owner_as_the_owner_is_now,
                tokens_are_deleted_by_their_owner_and_with_their_owner,
                a_tokens_use_only_moves_forward_and_is_no_audited_change,
                a_users_tokens_are_counted_and_deleted_together,
            ]
        );
    };
}
