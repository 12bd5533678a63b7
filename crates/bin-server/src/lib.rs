//! The `asset-tracker` server: configuration profiles, the command line, telemetry,
//! and the wiring of the storage and web adapters around the tracker.
//!
//! Invariant: this crate only wires. It reads configuration files and the environment
//! (nothing else does), picks the storage adapter from the database URL, and hands
//! plain settings structs to the adapters; no rule of the tracker lives here.

pub mod backup;
pub mod bootstrap;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod database;
pub mod healthcheck;
pub mod legacy;
pub mod settings;
pub mod startup;
pub mod telemetry;

pub use startup::{Application, StartError};
