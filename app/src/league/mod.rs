//! League founding (一键入团): the enterprise ledger (台账) imported from registry sheets
//! and merged by credit code, the ledger page, and founding applications (public form,
//! tracking link, review by street, district and city, founding in the tree).

pub mod api;
pub mod coverage;
pub mod coverage_api;
pub mod coverage_pages;
#[cfg(feature = "ssr")]
pub mod coverage_store;
pub mod founding;
pub mod founding_api;
#[cfg(feature = "ssr")]
pub mod founding_flow;
pub mod founding_pages;
#[cfg(feature = "ssr")]
pub mod founding_store;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
