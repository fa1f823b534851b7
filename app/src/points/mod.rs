//! Points (学习积分): versioned rules, the append-only ledger with caps and idempotent
//! awards, running totals per member and branch, the weekly no-sign-in deduction, and the
//! 积分 tab.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
pub mod rewards;
#[cfg(feature = "ssr")]
pub mod store;
