//! Organization life (组织生活): the items a branch must hold and the branch calendar,
//! meetings (scheduling, leave, check-in with a rotating code, attendance by hand), their
//! records (minutes) with the superior's review, notices to acknowledge, the annual member
//! evaluation by secret ballot, and the superior's view of compliance with its alerts.

pub mod calendar;
pub mod compliance;
pub mod evaluation;
pub mod meetings;
pub mod notices;
pub mod records;
