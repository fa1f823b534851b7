//! League founding (一键入团): the enterprise ledger (台账) imported from registry sheets
//! and merged by credit code, founding applications (public form, tracking link, review by
//! street, district and city, founding in the tree), and coverage.

pub mod coverage;
pub mod founding;
pub mod ledger;
