//! Organization life (组织生活): the items a branch must hold, meetings with leave and
//! check-in, minutes, compliance. So far the rules: due items from frequencies, the
//! check-in window and rotating code, the leave deadline, ballot tallies.

pub mod model;
