//! Reports for committees: the dashboard of an organization's figures over a month or a
//! quarter with the change since the one before, and the sheets they export (the
//! dashboard's table, study per member, the roster, transfers, star ratings) as XLSX and
//! CSV.

pub mod api;
pub mod bulletins;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
