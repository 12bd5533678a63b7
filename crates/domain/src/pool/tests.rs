//! Ledger rule tests.
