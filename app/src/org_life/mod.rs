//! Organization life (组织生活): the items a branch must hold and the branch calendar, and
//! meetings: scheduling, leave, check-in with a rotating code, attendance by hand, and the
//! record (minutes) with its review by the superior.

pub mod api;
#[cfg(feature = "ssr")]
pub mod ballot;
#[cfg(feature = "ssr")]
pub mod code;
pub mod compliance_api;
#[cfg(feature = "ssr")]
pub mod compliance_flow;
pub mod compliance_pages;
#[cfg(feature = "ssr")]
pub mod compliance_store;
pub mod evaluation_api;
#[cfg(feature = "ssr")]
pub mod evaluation_flow;
pub mod evaluation_pages;
#[cfg(feature = "ssr")]
pub mod evaluation_store;
pub mod ics;
pub mod meeting_api;
#[cfg(feature = "ssr")]
pub mod meeting_flow;
pub mod meeting_pages;
#[cfg(feature = "ssr")]
pub mod meeting_store;
pub mod model;
pub mod notice_api;
pub mod notice_pages;
#[cfg(feature = "ssr")]
pub mod notice_store;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
