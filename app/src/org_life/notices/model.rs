//! Notices to acknowledge (通知, 签阅) as plain rules: who sends them, the sending form,
//! acknowledging in time, and who has and has not acknowledged. No I/O.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::model::Role;

/// Those who run an organization send its notices: its admins, secretary and committee.
pub fn sends_notices(role: Role) -> bool {
    matches!(
        role,
        Role::OrgAdmin | Role::Secretary | Role::CommitteeMember
    )
}

/// A notice as its sender typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeForm {
    pub title: String,
    pub body: String,
    /// Days to acknowledge it in.
    pub days: String,
}

/// A notice that passed the form's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub title: String,
    pub body: String,
    pub days: i64,
}

impl NoticeForm {
    /// A title of 2 to 60 characters, a text of at most 5,000, and 1 to 30 days to
    /// acknowledge it in.
    pub fn parse(&self) -> Result<NewNotice, Vec<crate::error::FieldError>> {
        use crate::error::{FieldError, Msg};
        let mut errors = vec![];
        let title = self.title.trim();
        match title.chars().count() {
            0 => errors.push(FieldError::new("title", Msg::Required)),
            1 | 61.. => errors.push(FieldError::new("title", Msg::NameInvalid)),
            _ => {}
        }
        let body = self.body.trim();
        match body.chars().count() {
            0 => errors.push(FieldError::new("body", Msg::Required)),
            5001.. => errors.push(FieldError::new("body", Msg::TooLong)),
            _ => {}
        }
        let days = self
            .days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=30).contains(d));
        if days.is_none() {
            errors.push(FieldError::new("days", Msg::NoticeDays));
        }
        match days {
            Some(days) if errors.is_empty() => Ok(NewNotice {
                title: title.to_owned(),
                body: body.to_owned(),
                days,
            }),
            _ => Err(errors),
        }
    }
}

/// A notice acknowledged at `at` is in time (and earns the notice point) up to its
/// deadline, that moment included.
pub fn in_time(at: DateTime<Utc>, ack_by: DateTime<Utc>) -> bool {
    at <= ack_by
}

/// A notice's recipients (name, when they acknowledged) split into those who acknowledged,
/// with when, and those who have not, each in the order given.
pub fn split_receipts(
    recipients: Vec<(String, Option<DateTime<Utc>>)>,
) -> (Vec<(String, DateTime<Utc>)>, Vec<String>) {
    let mut acked = vec![];
    let mut pending = vec![];
    for (name, at) in recipients {
        match at {
            Some(at) => acked.push((name, at)),
            None => pending.push(name),
        }
    }
    (acked, pending)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_needs_a_title_a_text_and_one_to_thirty_days() {
        let good = NoticeForm {
            title: "关于学习全会精神的通知".into(),
            body: "请各位党员本周内完成学习。".into(),
            days: "3".into(),
        };
        assert_eq!(good.parse().unwrap().days, 3);
        for days in ["0", "31", "三", ""] {
            let bad = NoticeForm {
                days: days.into(),
                ..good.clone()
            };
            let errors = bad.parse().unwrap_err();
            assert_eq!(errors[0].field, "days", "{days}");
        }
        let empty = NoticeForm::default().parse().unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "body", "days"]);
        let long = NoticeForm {
            body: "字".repeat(5001),
            ..good
        };
        assert_eq!(long.parse().unwrap_err()[0].field, "body");
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn admins_secretaries_and_committee_members_send_notices() {
        assert!(sends_notices(Role::OrgAdmin));
        assert!(sends_notices(Role::Secretary));
        assert!(sends_notices(Role::CommitteeMember));
        assert!(!sends_notices(Role::PlatformAdmin));
    }

    #[test]
    fn a_notice_acknowledged_by_its_deadline_is_in_time() {
        let by = at("2026-11-26T12:00:00Z");
        assert!(in_time(at("2026-11-26T11:59:59Z"), by));
        assert!(in_time(by, by));
        assert!(!in_time(at("2026-11-26T12:00:01Z"), by));
    }

    #[test]
    fn receipts_split_into_who_acknowledged_and_who_has_not() {
        let t = at("2026-11-26T12:00:00Z");
        let (acked, pending) = split_receipts(vec![
            ("甲".to_owned(), None),
            ("乙".to_owned(), Some(t)),
            ("丙".to_owned(), None),
        ]);
        assert_eq!(acked, vec![("乙".to_owned(), t)]);
        assert_eq!(pending, ["甲", "丙"]);
    }
}
