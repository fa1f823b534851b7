//! The branch calendar: the items a branch must hold in each period (三会一课 /
//! 三会两制一课), the month's meetings, and the member's calendar feed for the phone.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
#[cfg(feature = "ssr")]
pub mod ics;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
