//! Messages to a member inside the portal (站内消息): a secretary's reminder to finish a
//! required study item, and later meeting notices. Listed on 我的 with an unread count.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
