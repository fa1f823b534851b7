//! Organization life (组织生活): the items a branch must hold and the branch calendar. So far:
//! due items from frequencies (data per tree), the calendar of a month's due items, and the
//! rules for check-in, leave and the secret ballot that meetings will use.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
