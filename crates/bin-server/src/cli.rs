//! The command line: `serve` (the default), `migrate`, `create-admin`, `check-config`,
//! `healthcheck`, `backup`, `import-legacy`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
    /// Call the running server's /health; exit 0 when it answers 200, 1 otherwise.
    Healthcheck {
        /// The URL to call instead of the configured server's (http:// only), such as
        /// http://127.0.0.1:8080/ready.
        #[arg(long)]
        url: Option<String>,
        /// Seconds to wait for the answer.
        #[arg(long, default_value_t = crate::healthcheck::DEFAULT_TIMEOUT_SECS,
              value_parser = clap::value_parser!(u64).range(1..=300))]
        timeout_secs: u64,
    },
    /// Copy the SQLite database, consistently, while the server runs (PostgreSQL:
    /// deploy/backup.sh).
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        to: PathBuf,
    },
    /// Import the Flask tracker's database (PostgreSQL or SQLite) into the configured
    /// database, which must be empty, and print a report of everything that had to be
    /// adapted (docs/LEGACY_IMPORT.md).
    ImportLegacy {
        /// The old database: postgres://user@host/db or sqlite://path/to/file.db.
        #[arg(long)]
        from: String,
        /// Read, plan and print the report without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
}
