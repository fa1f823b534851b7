//! Accounts and access: sign-up with invitation codes, sign-in, sessions, the current user,
//! language preference, and the role checks every server function uses.

pub mod api;
#[cfg(feature = "ssr")]
mod flow;
pub mod model;
pub mod pages;
pub mod recovery;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod store;
