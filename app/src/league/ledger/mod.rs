//! The enterprise ledger (台账): registry sheets imported and merged by credit code, and
//! the ledger page.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
