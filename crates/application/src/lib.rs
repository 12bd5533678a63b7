//! Use cases and ports.
