//! Transfers into the platform (从平台外转入): a member whose relationship is held by an
//! organization outside the platform types in its letter; the receiving branch accepts it
//! (the status and the dues month come from the letter) or returns it with a reason.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
