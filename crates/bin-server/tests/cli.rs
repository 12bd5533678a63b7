//! The `asset-tracker` binary as an operator runs it: exit codes and messages.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_asset-tracker");

/// Runs the binary in an empty temporary directory with only the given variables.
fn run(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let dir = std::env::temp_dir().join(format!("asset-tracker-cli-{}-{}", std::process::id(), args.join("-")));
    std::fs::create_dir_all(&dir).unwrap();
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(&dir)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("start asset-tracker");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_config_under_production_with_plain_cookies_fails_naming_them_and_masks_passwords() {
    let out = run(
        &["check-config"],
        &[
            ("APP_PROFILE", "production"),
            ("APP_SESSION__SECURE_COOKIE", "false"),
            ("APP_DATABASE__URL", "postgres://tracker:topsecretpw@db/tracker?password=querysecretpw"),
            ("APP_REDIS__URL", "redis://:redissecretpw@redis:6379/0"),
        ],
        None,
    );
    assert!(!out.status.success());
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(stderr.contains("APP_SESSION__SECURE_COOKIE: must be true in production"), "{stderr}");
    assert!(stdout.contains("database.url = \"postgres://tracker:***@db/tracker?password=***\""), "{stdout}");
    assert!(stdout.contains("redis.url = \"redis://:***@redis:6379/0\""), "{stdout}");
    for secret in ["topsecretpw", "querysecretpw", "redissecretpw"] {
        assert!(!stdout.contains(secret) && !stderr.contains(secret), "{secret} shown");
    }
}

#[test]
fn check_config_under_development_succeeds_and_prints_every_section() {
    let out = run(&["check-config"], &[], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for key in [
        "server.port = 8080",
        "database.url = \"sqlite://data/asset-tracker.db\"",
        "security.requests_per_minute = 300",
        "server.header_read_timeout_secs = 10",
        "metrics.address = \"127.0.0.1:9100\"",
        "redis.url = <not set>",
    ] {
        assert!(stdout.contains(key), "{key} missing from:\n{stdout}");
    }
}

#[test]
fn an_unknown_profile_is_one_clear_line_and_a_failure() {
    let out = run(&["serve"], &[("APP_PROFILE", "staging")], None);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("unknown profile \"staging\""), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn create_admin_refuses_a_short_password_and_names_the_rule() {
    let url = "sqlite::memory:";
    let out = run(
        &["create-admin", "--username", "ops", "--password-stdin"],
        &[("APP_DATABASE__URL", url), ("APP_DATABASE__MAX_CONNECTIONS", "1")],
        Some("short\n"),
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("password: must be at least 12 characters"), "{}", text(&out.stderr));
}

#[test]
fn create_admin_reads_the_password_from_stdin_and_creates_the_account() {
    let out = run(
        &["create-admin", "--username", "ops", "--password-stdin"],
        &[("APP_DATABASE__URL", "sqlite::memory:"), ("APP_DATABASE__MAX_CONNECTIONS", "1")],
        Some("a long enough password\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created admin 'ops'"));
}

#[test]
fn create_admin_without_a_terminal_or_stdin_flag_says_how_to_pass_the_password() {
    let out = run(&["create-admin", "--username", "ops"], &[("APP_DATABASE__URL", "sqlite::memory:")], None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--password-stdin"), "{}", text(&out.stderr));
}

#[test]
fn an_unreachable_database_is_one_line_without_a_backtrace_or_password() {
    let out = run(
        &["migrate"],
        &[
            ("APP_DATABASE__URL", "postgres://tracker:topsecretpw@127.0.0.1:1/tracker"),
            ("APP_DATABASE__ACQUIRE_TIMEOUT_SECS", "2"),
        ],
        None,
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("topsecretpw"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
