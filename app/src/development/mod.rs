//! Becoming a member (发展党员, 入团): a person's case in one tree, from the application to
//! full membership through dated steps recorded by the right role (the branch, a contact,
//! the superior), with the votes, the contacts and sponsors, training and documents; the
//! League's recommendations (推优入党); birth dates and the age rules; a committee's
//! figures and the branches' yearly plans (名额).

pub mod api;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
