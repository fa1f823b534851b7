//! When reminders fall due.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// How long before a meeting a reminder goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    Day,
    Hour,
}

impl Lead {
    pub fn hours(self) -> i64 {
        match self {
            Self::Day => 24,
            Self::Hour => 1,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Day => "24h",
            Self::Hour => "1h",
        }
    }
}

/// The reminder due `now` for a meeting starting at `starts_at` and scheduled at
/// `created_at`: the hour's once within the last hour, else the day's within the last day;
/// none for a lead that had already begun when the meeting was scheduled (its notice said
/// as much), and none once it has started. A reminder missed while no server ran is sent
/// late but still before the start.
pub fn meeting_lead(
    starts_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Lead> {
    if now >= starts_at {
        return None;
    }
    [Lead::Hour, Lead::Day]
        .into_iter()
        .find(|l| starts_at - Duration::hours(l.hours()) <= now)
        .filter(|l| created_at <= starts_at - Duration::hours(l.hours()))
}

/// Days before a required item's due date from which its reminder goes.
pub const STUDY_DUE_DAYS: i64 = 3;

/// Whether a required item due on `due_on` is to be reminded of on `today`.
pub fn study_due(due_on: NaiveDate, today: NaiveDate) -> bool {
    today <= due_on && due_on - today <= Duration::days(STUDY_DUE_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(h)
    }

    #[test]
    fn a_meeting_is_reminded_a_day_and_an_hour_before_and_not_after_it_starts() {
        let start = at(48 * 60);
        let made = at(0);
        assert_eq!(meeting_lead(start, made, at(23 * 60)), None);
        assert_eq!(meeting_lead(start, made, at(24 * 60)), Some(Lead::Day));
        assert_eq!(meeting_lead(start, made, at(46 * 60 + 59)), Some(Lead::Day));
        assert_eq!(meeting_lead(start, made, at(47 * 60)), Some(Lead::Hour));
        assert_eq!(meeting_lead(start, made, at(48 * 60 - 1)), Some(Lead::Hour));
        assert_eq!(meeting_lead(start, made, at(48 * 60)), None);
    }

    #[test]
    fn a_meeting_scheduled_late_skips_the_leads_already_begun() {
        let start = at(10 * 60);
        // Scheduled ten hours ahead: no day's reminder, the hour's one still.
        assert_eq!(meeting_lead(start, at(0), at(60)), None);
        assert_eq!(
            meeting_lead(start, at(0), at(9 * 60 + 30)),
            Some(Lead::Hour)
        );
        // Scheduled half an hour ahead: none at all.
        assert_eq!(meeting_lead(start, at(9 * 60 + 30), at(9 * 60 + 40)), None);
    }

    #[test]
    fn a_required_item_is_reminded_from_three_days_before_its_due_date() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert!(!study_due(due, day(6)));
        assert!(study_due(due, day(7)));
        assert!(study_due(due, day(10)));
        assert!(!study_due(due, day(11)));
    }
}
