//! Uploaded files: media, covers and sheets, checked for size and type, stored on disk in
//! the configured folder, and read back (sheets to import, media to serve with ranges).

pub mod model;
#[cfg(feature = "hydrate")]
pub mod send;
#[cfg(feature = "ssr")]
pub mod sheet;
#[cfg(feature = "ssr")]
pub mod store;
