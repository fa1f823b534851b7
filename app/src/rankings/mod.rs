//! Rankings (排行): member boards by scope and period with "my rank" and its neighbours,
//! organization boards compared per member and by participation, privacy, and star ratings.

pub mod api;
#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
mod kept;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
