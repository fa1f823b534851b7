//! Messages to a member inside the portal (站内消息), from every feature: reminders,
//! meetings and their records, transfers, organization-life alerts. Stored as keys with
//! arguments and put into words when read; listed on 我的 with an unread count.

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
pub mod robots;
#[cfg(feature = "ssr")]
pub mod store;
