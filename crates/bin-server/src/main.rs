//! `asset-tracker`: parses the command line and runs a command. Every failure is
//! reported as lines on standard error and a non-zero exit, never a panic.

use bin_server::cli::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match bin_server::commands::run(cli.command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("asset-tracker: {message}");
            ExitCode::FAILURE
        }
    }
}
