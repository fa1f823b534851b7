//! Getting back into an account: a new password with a code by text message or a reset
//! code the branch secretary issues in person, and signing in with a code by text message.

pub mod api;
#[cfg(feature = "ssr")]
mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod store;
