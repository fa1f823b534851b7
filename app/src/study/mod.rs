//! Online study (学习): articles and other items published to the platform or an
//! organization's subtree, the study page, and effective study time measured by the server
//! from heartbeats, which earns time and completion points and study hours.

pub mod api;
pub mod editor_pages;
#[cfg(feature = "ssr")]
pub mod flow;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
pub mod streak;
