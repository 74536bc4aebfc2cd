//! Typed async client for SwiftKanban's REST API and SOAP services.
//!
//! The modules under [`generated`] are produced by `cargo xtask regen` from the pinned
//! documents in `specs/` and never edited by hand; this file adds what is SwiftKanban-specific.
//!
//! Cargo features: `rest` (the REST operations, on `Client`) and `soap` (the SOAP services and
//! their XML types), both on by default; either builds alone.
#![deny(missing_docs)]

pub use client_runtime as runtime;

#[rustfmt::skip]
pub mod generated;

mod card_ref;
pub mod swiftkanban;

pub use card_ref::CardRef;
#[cfg(feature = "rest")]
pub use generated::rest;
#[cfg(feature = "soap")]
pub use generated::soap;
pub use generated::{types, Client};
#[cfg(feature = "soap")]
pub use runtime::UsernameToken;
pub use runtime::{Auth, Error, SoapVersion};
pub use swiftkanban::login;
