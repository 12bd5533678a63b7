//! Router tests of the web pages, through the real router with real sessions and CSRF
//! protection, over the in-memory store. One test binary; each area has its module.

mod support;

mod account;
mod admin;
mod api;
mod csrf;
mod errors;
mod headers;
mod libraries;
mod manage;
mod manage_missions;
mod public;
mod route_table;
