//! A meeting's record (minutes and resolutions): written against a version, submitted to
//! the superior, accepted or sent back, with its history, attachments and the export.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
