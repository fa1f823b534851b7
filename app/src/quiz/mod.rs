//! Quizzes (答题): the question bank and its import, the daily, weekly and special quizzes
//! graded on the server, knowledge contests between branches, and the wrong-answer book.
//! Its own folder rather than part of `study/`, which holds content and study time: the two
//! share only the points ledger.

pub mod api;
pub mod bank_pages;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
pub mod special_pages;
#[cfg(feature = "ssr")]
pub mod store;
