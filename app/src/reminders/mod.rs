//! Reminders before what is due: a meeting 24 hours and 1 hour before it starts (to those
//! expected, not to those excused), and a required study item from 3 days before its due
//! date (to those of its audience who have not finished it). Each reminder reaches each
//! member once, however many servers run the job.

#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
#[cfg(feature = "ssr")]
mod store;
