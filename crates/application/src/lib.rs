//! The tracker's use cases and the ports they need.
//!
//! Invariant: this crate depends on `domain` and on no adapter; it knows no SQL, HTTP
//! or template. Every use case takes the acting user, checks permission itself,
//! validates its raw input through the domain's constructors, applies the rules,
//! writes an audit entry with every change and returns a typed result.

pub mod actor;
pub mod builtin;
pub mod campaigns;
#[cfg(feature = "contract")]
pub mod contract;
pub mod error;
pub mod events;
pub mod input;
pub mod legacy;
pub mod libraries;
#[cfg(feature = "memory")]
pub mod memory;
pub mod missions;
pub mod pool;
pub mod ports;
pub mod public;
#[cfg(test)]
mod testing;
mod tracker;
pub mod users;

pub use actor::{Actor, StaffMember};
pub use error::{
    Conflict, FieldError, FieldPath, LoginLocked, RepoError, UseCaseError, UseCaseResult, ValidationErrors,
};
pub use tracker::{App, Tracker, TrackerOf};
