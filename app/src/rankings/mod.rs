//! Rankings (排行): member boards by scope and period with "my rank" and its neighbours,
//! organization boards compared per member and by participation, privacy, and star ratings.

pub mod api;
#[cfg(feature = "ssr")]
mod figure_cache;
#[cfg(feature = "ssr")]
mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
