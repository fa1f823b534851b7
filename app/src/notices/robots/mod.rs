//! Group robots: an organization's WeChat Work or DingTalk group gets its meetings (when
//! scheduled, and a day and an hour before) through the robot's webhook. The organization's
//! secretary or admins set the robots on `/orglife/robots` and see what was sent and what
//! failed; the server's job sends (see `server::webhooks`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
