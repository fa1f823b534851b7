//! Bulletins (月督查、季通报): a printable page per committee and ended month or quarter,
//! made by the job when the period ends and kept as made.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod store;
