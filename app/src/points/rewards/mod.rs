//! Points that can be redeemed (积分兑现): an organization offers rewards (a thing or a
//! priority right) with a cost, a stock, a limit per member and a window to the members of
//! its subtree; redeeming spends points and takes one from the stock in one transaction;
//! the organization issues it and marks it collected, or cancels it with a refund. The
//! boards keep counting points earned, not the balance.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod store;
