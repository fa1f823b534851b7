//! The Party and League organization trees, enterprises, memberships and their history,
//! scoped roles and invitation codes, and the admin pages for them.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
