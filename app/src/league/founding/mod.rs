//! Founding applications (一键入团): the public form, the tracking link, review by
//! street, district and city, and founding in the tree.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
