//! A member's calendar feed as iCalendar (RFC 5545) text: one event per meeting they are
//! expected at, so that the phone's calendar shows them. Built with icalendar, no I/O.

use chrono::{DateTime, Utc};

/// A meeting as the feed shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    pub id: i64,
    pub title: String,
    pub org: String,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub place: String,
    pub link: String,
    /// When the meeting was last changed, for the event's stamp.
    pub stamp: DateTime<Utc>,
}

/// The feed: a calendar named `name` with one event per meeting; `origin` makes the
/// events' links back to the portal. Escaping and line folding are icalendar's.
pub fn calendar(name: &str, origin: &str, events: &[FeedEvent]) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    // A bare carriage return is no line break a calendar would show.
    let text = |s: &str| s.replace('\r', "");
    let mut cal = Calendar::new();
    cal.name(name).append_property(("METHOD", "PUBLISH"));
    for e in events {
        let location = if e.place.is_empty() {
            &e.link
        } else {
            &e.place
        };
        cal.push(
            Event::new()
                .uid(&format!("meeting-{}@qnej", e.id))
                .timestamp(e.stamp)
                .starts(e.starts)
                .ends(e.ends)
                .summary(&text(&e.title))
                .location(&text(location))
                .description(&text(&e.org))
                .url(&format!("{origin}/orglife/meeting/{}", e.id))
                .done(),
        );
    }
    cal.to_string()
}

/// A feed secret as it appears in the address: 32 lowercase letters and digits.
pub fn parse_secret(input: &str) -> Option<&str> {
    let s = input.strip_suffix(".ics").unwrap_or(input);
    (s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    .then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_meeting_becomes_an_event_with_escaped_text_and_utc_times() {
        let e = FeedEvent {
            id: 7,
            title: "支委会; 议题, 二".into(),
            org: "前端开发党支部".into(),
            starts: at("2026-11-26T19:00:00+08:00"),
            ends: at("2026-11-26T20:30:00+08:00"),
            place: "3 楼\\会议室".into(),
            link: String::new(),
            stamp: at("2026-11-20T08:00:00Z"),
        };
        let ics = calendar("青年e家", "https://e.example", &[e]);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART:20261126T110000Z\r\n"));
        assert!(ics.contains("DTEND:20261126T123000Z\r\n"));
        assert!(ics.contains("SUMMARY:支委会\\; 议题\\, 二\r\n"));
        assert!(ics.contains("LOCATION:3 楼\\\\会议室\r\n"));
        assert!(ics.contains("UID:meeting-7@qnej\r\n"));
        assert!(ics.contains("URL:https://e.example/orglife/meeting/7\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let e = FeedEvent {
            id: 8,
            title: "党".repeat(40),
            org: "支部".into(),
            starts: at("2026-11-26T19:00:00+08:00"),
            ends: at("2026-11-26T20:30:00+08:00"),
            place: "会议室".into(),
            link: String::new(),
            stamp: at("2026-11-20T08:00:00Z"),
        };
        let ics = calendar("青年e家", "https://e.example", &[e]);
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}\r\n", "党".repeat(40))));
    }

    #[test]
    fn secrets_are_32_lowercase_letters_and_digits() {
        let s = "abcdefghijklmnopqrstuvwxyz012345";
        assert_eq!(parse_secret(&format!("{s}.ics")), Some(s));
        assert_eq!(parse_secret(s), Some(s));
        assert_eq!(parse_secret("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345.ics"), None);
        assert_eq!(parse_secret("short.ics"), None);
        assert_eq!(parse_secret("../../etc/passwd"), None);
    }
}
