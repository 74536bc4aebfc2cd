//! Generic runtime that generated OpenAPI/WSDL clients call: transport, auth, errors, SOAP envelope.
//!
//! Nothing in this crate is specific to one vendor: API-specific behaviour (how errors are
//! reported in bodies, how a token is obtained) is plugged in through [`ApiConventions`] and
//! [`TokenService`].
//!
//! Cargo features: `rest` (REST calls, [`ApiClient::raw`]) and `soap` (SOAP calls,
//! WS-Security, the XML writer), both on by default; either can be built alone.
#![deny(missing_docs)]

pub mod auth;
pub mod client;
pub mod conventions;
pub mod error;
#[cfg(feature = "rest")]
pub mod multipart;
pub mod openapi;
pub mod rate_limit;
#[cfg(feature = "rest")]
pub mod rest;
pub mod retry;
pub mod secret;
pub mod soap;
#[cfg(feature = "soap")]
pub mod swa;
pub mod wire;
#[cfg(feature = "soap")]
pub mod wsse;
#[cfg(feature = "soap")]
pub mod xml;
#[cfg(feature = "soap")]
pub mod xml_read;
#[cfg(feature = "soap")]
pub mod xsd;

#[cfg(feature = "soap")]
mod soap_envelope;
#[cfg(feature = "soap")]
mod soap_response;
#[cfg(feature = "soap")]
mod timefmt;
mod token_cache;
mod transport;

pub use auth::{Auth, LoginContext, TokenService};
#[cfg(feature = "soap")]
pub use auth::{PasswordType, UsernameToken};
pub use client::{ApiClient, ClientBuilder};
pub use conventions::ApiConventions;
pub use error::{ApiMessage, DeclaredError, Error, SoapFault};
#[cfg(feature = "rest")]
pub use multipart::FilePart;
pub use openapi::Base64;
pub use rate_limit::{Clock, RateLimit};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use soap::SoapVersion;
pub use wire::{Id, OneOrMany};

pub use reqwest;
pub use serde;
pub use serde_json;
