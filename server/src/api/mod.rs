//! The integration API (`/api/v1`): how applicant tracking and HR systems
//! use Vigil without a person copying links. An organisation's
//! administrators create [`keys`] with scopes; [`service`] holds the
//! operations (the same rules and store methods as the web app, scoped to
//! the key's organisation); [`model`] the documents exchanged; [`error`]
//! the one error type and its problem+json form. The HTTP adapters and
//! the OpenAPI document are in `crate::http::api_v1`; signed events in
//! `crate::webhooks`.

pub mod error;
pub mod keys;
pub mod limit;
pub mod model;
pub mod service;
