//! Notices (通知) that members acknowledge (签阅): sent to an organization's subtree,
//! acknowledged in time for the notice point, with who has and has not.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
