//! The annual member evaluation (民主评议): a secret ballot of a branch, voted once,
//! tallied at the close, and confirmed into each member's record.

pub mod api;
#[cfg(feature = "ssr")]
pub mod ballot;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
