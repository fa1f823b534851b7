//! Instructors (指导员/联络员): people a committee names to follow a branch or a founding
//! application and the organization founded from it; their list of what they follow, each
//! with its next action and how long it has waited (seed 004: 谁联系、谁跟进).

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod store;
