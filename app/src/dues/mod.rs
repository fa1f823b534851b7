//! Dues (党费/团费): rate tables as versioned data per tree, each member's base declared
//! once a year, the monthly amount computed (never typed), payments of one or more months
//! (online, held until the branch confirms; or recorded by the dues officer), and where each
//! member stands: paid up to, months behind, what is due.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
#[cfg(feature = "ssr")]
pub mod gateway;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
