//! The first run and the `create-admin` command: how the first account comes to be,
//! with no default credentials anywhere, and the built-in asset libraries a new store
//! starts with.
//!
//! Invariant: a generated password is printed to the console once and never logged,
//! and production never generates one.

use crate::settings::Profile;
use application::Tracker;
use application::ports::{Clock, PasswordHasher, Store};
use application::users::CreateAdmin;
use rand::Rng;
use rand::distr::Alphanumeric;

/// The username of the admin created on a development or testing first run.
pub const FIRST_ADMIN: &str = "admin";

/// A random password of 24 letters and digits (about 142 bits).
pub fn generate_password() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(24).map(char::from).collect()
}

/// On a store with no library, in every profile, installs the built-in ARMA 3 asset
/// libraries (catalogue data, not credentials). On a store with no account: under
/// development and testing, creates `admin` with a random password printed once to the
/// console; under production, creates nobody and logs how to create the first admin.
pub async fn first_run<S: Store, H: PasswordHasher, C: Clock>(
    tracker: &Tracker<S, H, C>,
    profile: Profile,
) -> Result<(), String> {
    // Only on an empty store, so that libraries an admin deleted stay deleted.
    if !tracker.has_libraries().await.map_err(|e| with_causes(&e))? {
        let installed = tracker.install_builtin_libraries().await.map_err(|e| with_causes(&e))?;
        tracing::info!(libraries = installed, "installed {installed} built-in asset libraries");
    }
    if profile == Profile::Production {
        if !tracker.has_accounts().await.map_err(|e| with_causes(&e))? {
            tracing::warn!(
                "no accounts exist yet: run `asset-tracker create-admin --username NAME` to create the first admin"
            );
        }
        return Ok(());
    }
    let password = generate_password();
    let cmd = CreateAdmin { username: FIRST_ADMIN.to_owned(), password: password.clone() };
    if tracker.create_first_admin(cmd).await.map_err(|e| with_causes(&e))?.is_some() {
        // Printed, not logged: log collectors must never receive a password.
        println!();
        println!("  First run: created the admin account '{FIRST_ADMIN}' with the password: {password}");
        println!("  It is shown only this once: log in and change it on your profile page.");
        println!();
    }
    Ok(())
}

/// The error and every cause below it, for an operator reading a failed start.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}
