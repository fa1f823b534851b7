//! A member's calendar feed as iCalendar (RFC 5545) text: one event per meeting they are
//! expected at, so that the phone's calendar shows them. Plain text building, no I/O.

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

fn time(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a text value: backslash, semicolon, comma and line breaks.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a character, continuing with a space.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
    out
}

/// The feed: a calendar named `name` with one event per meeting; `origin` makes the
/// events' links back to the portal.
pub fn calendar(name: &str, origin: &str, events: &[FeedEvent]) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//qnej//org life//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        out.push_str(&fold(line));
    }
    out.push_str(&fold(&format!("X-WR-CALNAME:{}", text(name))));
    for e in events {
        let location = if e.place.is_empty() {
            &e.link
        } else {
            &e.place
        };
        let lines = [
            "BEGIN:VEVENT".to_owned(),
            format!("UID:meeting-{}@qnej", e.id),
            format!("DTSTAMP:{}", time(e.stamp)),
            format!("DTSTART:{}", time(e.starts)),
            format!("DTEND:{}", time(e.ends)),
            format!("SUMMARY:{}", text(&e.title)),
            format!("LOCATION:{}", text(location)),
            format!("DESCRIPTION:{}", text(&e.org)),
            format!("URL:{origin}/orglife/meeting/{}", e.id),
            "END:VEVENT".to_owned(),
        ];
        for line in lines {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
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
        let line = format!("SUMMARY:{}", "党".repeat(40));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        let joined: String = folded.trim_end_matches("\r\n").split("\r\n ").collect();
        assert_eq!(joined, line);
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
