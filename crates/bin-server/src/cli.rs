//! The command line: `serve` (the default), `migrate`, `create-admin`, `check-config`.

use clap::{Parser, Subcommand};

/// ARMA 3 campaign asset tracker.
#[derive(Debug, Parser)]
#[command(name = "asset-tracker", version, about)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an admin account (the password is asked twice, or read from stdin).
    CreateAdmin {
        /// The new admin's username.
        #[arg(long)]
        username: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print the effective configuration with secrets redacted; exit non-zero on problems.
    CheckConfig,
}
