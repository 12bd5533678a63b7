//! Tests of the user module.

use super::*;

fn user() -> User {
    User::new(
        UserId::new(1),
        Username::parse("Alpha.One").unwrap(),
        Role::Manager,
        PasswordHash::new("$argon2id$x".into()),
        false,
        SecurityStamp::INITIAL,
        UtcDateTime::UNIX_EPOCH,
    )
}

#[test]
fn usernames_follow_the_allowed_shape() {
    assert!(Username::parse("sgt_miller-2.b").is_ok());
    assert_eq!(Username::parse("ab"), Err(UsernameError::Length));
    assert_eq!(Username::parse(&"a".repeat(65)), Err(UsernameError::Length));
    assert_eq!(Username::parse("bad name"), Err(UsernameError::Characters));
    assert_eq!(Username::parse("émile"), Err(UsernameError::Characters));
}

#[test]
fn usernames_compare_case_insensitively() {
    let a = Username::parse("Miller").unwrap();
    assert!(a.same_as(&Username::parse("mILLER").unwrap()));
    assert_eq!(a.normalized(), "miller");
    assert_eq!(a.as_str(), "Miller");
}

#[test]
fn roles_parse_in_any_case() {
    assert_eq!(Role::parse("ADMIN"), Ok(Role::Admin));
    assert!(Role::parse("owner").is_err());
}

#[test]
fn passwords_need_twelve_characters_and_never_print() {
    assert_eq!(Password::parse("elevenchars"), Err(PasswordError::TooShort));
    let p = Password::parse("twelve chars").unwrap();
    assert_eq!(format!("{p:?}"), "Password([redacted])");
    assert!(Password::attempt("short").is_ok());
}

#[test]
fn changing_the_password_or_disabling_moves_the_stamp_on() {
    let mut u = user();
    let s0 = u.security_stamp();
    u.set_password_hash(PasswordHash::new("$argon2id$y".into()));
    let s1 = u.security_stamp();
    assert_ne!(s0, s1);
    u.set_disabled(true);
    assert_ne!(s1, u.security_stamp());
    let s2 = u.security_stamp();
    u.set_disabled(false);
    assert_eq!(s2, u.security_stamp());
    u.set_role(Role::Admin);
    assert_eq!(s2, u.security_stamp());
}

#[test]
fn rehashing_the_same_password_replaces_the_hash_but_keeps_the_stamp() {
    let mut u = user();
    let s0 = u.security_stamp();
    u.rehash(PasswordHash::new("$argon2id$v=19$m=19456$new".into()));
    assert_eq!(u.password_hash().as_str(), "$argon2id$v=19$m=19456$new");
    assert_eq!(u.security_stamp(), s0);
}
