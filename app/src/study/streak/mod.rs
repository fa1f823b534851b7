//! The daily study streak (连续学习): a day counts with enough verified study minutes or the
//! daily quiz (rule versions as data), long streaks earn freezes that keep the streak over a
//! missed day, and 学习 and 我的 show it with this week's strip.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
#[cfg(feature = "ssr")]
mod store;
