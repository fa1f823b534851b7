//! Meetings: scheduling and changing one, who is expected, leave, check-in with a rotating
//! code shown on the organizer's screen, and attendance marked by hand.

pub mod api;
#[cfg(feature = "ssr")]
pub mod code;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
