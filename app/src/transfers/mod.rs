//! Transfers of organization relationship (组织关系转接): the steps computed from the two
//! positions in the tree, approvals with history, introduction letters with gapless numbers
//! and validity, the approvers' queues and the overdue board.

pub mod api;
#[cfg(feature = "ssr")]
mod flow;
pub mod inbound;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
