//! Compliance: the superior's view of its branches' organization life (on-time rate,
//! overdue items, six months without), the star rating's components, and the alerts before
//! and after a period ends.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
