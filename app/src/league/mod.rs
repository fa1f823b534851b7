//! League founding (一键入团): the enterprise ledger (台账) imported from registry sheets
//! and merged by credit code, and the ledger page. Applications, review and coverage come
//! next.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
