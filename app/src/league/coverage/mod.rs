//! Coverage (覆盖率): enterprises with an organization over the operating enterprises in
//! scope, by street, district and city, with its weekly history.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
