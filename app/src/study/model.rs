//! Study content and effective study time, as plain rules: item kinds and scopes, reading
//! length estimates, how a heartbeat is credited, and when an item counts as read or
//! watched. No I/O.

use serde::{Deserialize, Serialize};

use crate::error::Msg;
use crate::i18n::Strings;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemKind {
    Article,
    Video,
    Audio,
    MicroLesson,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Article,
        ItemKind::Video,
        ItemKind::Audio,
        ItemKind::MicroLesson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Article => "article",
            ItemKind::Video => "video",
            ItemKind::Audio => "audio",
            ItemKind::MicroLesson => "micro_lesson",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            ItemKind::Article => t.kind_article,
            ItemKind::Video => t.kind_video,
            ItemKind::Audio => t.kind_audio,
            ItemKind::MicroLesson => t.kind_micro_lesson,
        }
    }

    /// Watched media (video, audio) rather than read text.
    pub fn is_media(self) -> bool {
        matches!(self, ItemKind::Video | ItemKind::Audio)
    }
}

/// Chinese text is read at about 400 characters a minute; other text at about 200 words.
/// Returns seconds, at least one minute.
pub fn estimated_reading_secs(text: &str) -> u32 {
    let cjk = text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count() as u32;
    let words = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .count() as u32;
    let secs = cjk * 60 / 400 + words * 60 / 200;
    secs.max(60)
}

/// Heartbeats come every 10 to 15 seconds while the page is visible and focused.
pub const BEAT_INTERVAL_SECS: u32 = 12;
/// A beat sooner than this after the last accepted one (a replay, a script) credits nothing.
pub const MIN_BEAT_GAP_SECS: f64 = 8.0;
/// The most one beat can credit: the longest interval plus a little slack.
pub const MAX_BEAT_CREDIT_SECS: f64 = 20.0;

/// The member's study clock: which item they last sent a beat for, and when (seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    pub item_id: i64,
    pub at: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beat {
    /// The clock starts (or moves to this item): nothing to credit yet.
    Started,
    /// Too soon after the last accepted beat: ignored, the clock stays.
    TooFast,
    /// Seconds credited (possibly 0 once the item's length is reached).
    Credited(u32),
}

/// How much a heartbeat for `item_id` at `now` credits, given the member's clock, the item's
/// length and what has been credited for it so far. Only one item is studied at a time:
/// a beat for another item moves the clock and credits nothing.
pub fn credit(
    clock: Option<Clock>,
    item_id: i64,
    now: f64,
    length_secs: u32,
    credited_secs: u32,
) -> Beat {
    let Some(clock) = clock.filter(|c| c.item_id == item_id) else {
        return Beat::Started;
    };
    let elapsed = now - clock.at;
    if elapsed < MIN_BEAT_GAP_SECS {
        return Beat::TooFast;
    }
    let room = length_secs.saturating_sub(credited_secs);
    Beat::Credited((elapsed.min(MAX_BEAT_CREDIT_SECS) as u32).min(room))
}

/// An article counts as read after 30 s and a third of its estimated reading time.
pub fn article_done(credited_secs: u32, length_secs: u32) -> bool {
    credited_secs >= 30 && credited_secs * 3 >= length_secs
}

/// A video or audio counts as watched at 80% of its length or after 5 minutes.
pub fn media_done(credited_secs: u32, length_secs: u32) -> bool {
    credited_secs >= 300 || credited_secs * 5 >= length_secs * 4
}

pub fn is_done(kind: ItemKind, credited_secs: u32, length_secs: u32) -> bool {
    if kind.is_media() {
        media_done(credited_secs, length_secs)
    } else {
        article_done(credited_secs, length_secs)
    }
}

/// Whole minutes crossed when credited time goes from `before` to `after` seconds: the
/// per-minute time points earned by one beat.
pub fn minutes_crossed(before: u32, after: u32) -> std::ops::Range<u32> {
    before / 60..after / 60
}

/// A title: trimmed, 2 to 80 characters.
pub fn parse_title(input: &str) -> Result<String, Msg> {
    let title = input.trim();
    match title.chars().count() {
        0 => Err(Msg::Required),
        1 => Err(Msg::NameInvalid),
        81.. => Err(Msg::TooLong),
        _ => Ok(title.to_owned()),
    }
}

/// Article text in Markdown: required, at most 100,000 characters.
pub fn parse_body(input: &str) -> Result<String, Msg> {
    match input.trim().chars().count() {
        0 => Err(Msg::Required),
        100_001.. => Err(Msg::TooLong),
        _ => Ok(input.trim().to_owned()),
    }
}

/// Tags separated by commas (either width) or spaces; at most 8, each 1 to 16 characters.
pub fn parse_tags(input: &str) -> Result<Vec<String>, Msg> {
    let mut unique: Vec<String> = Vec::new();
    for tag in input
        .split([',', '，', ' ', '、'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if !unique.iter().any(|u| u == tag) {
            unique.push(tag.to_owned());
        }
    }
    if unique.len() > 8 || unique.iter().any(|t| t.chars().count() > 16) {
        return Err(Msg::TooLong);
    }
    Ok(unique)
}

/// A media length as the author types it: "12:30" (minutes and seconds), "1:02:03", or
/// whole minutes ("15"). 10 seconds to 6 hours.
pub fn parse_length(input: &str) -> Result<u32, Msg> {
    let parts: Vec<&str> = input.trim().split([':', '：']).collect();
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.trim().parse::<u32>().ok()).collect();
    let secs = match nums.as_deref() {
        Some([m]) => m.checked_mul(60),
        Some([m, s]) if *s < 60 => m.checked_mul(60).and_then(|x| x.checked_add(*s)),
        Some([h, m, s]) if *m < 60 && *s < 60 => {
            h.checked_mul(3600).and_then(|x| x.checked_add(m * 60 + s))
        }
        _ => None,
    };
    match secs {
        None if input.trim().is_empty() => Err(Msg::Required),
        Some(s @ 10..=21_600) => Ok(s),
        _ => Err(Msg::LengthInvalid),
    }
}

/// Formats a length for the length field ("12:05").
pub fn format_length(secs: u32) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// A media item's description: optional, at most 100,000 characters.
pub fn parse_description(input: &str) -> Result<String, Msg> {
    match input.trim().chars().count() {
        100_001.. => Err(Msg::TooLong),
        _ => Ok(input.trim().to_owned()),
    }
}

/// Which upload a kind of item plays: video for videos and micro-lessons, audio for audio.
pub fn media_purpose(kind: ItemKind) -> Option<crate::uploads::model::Purpose> {
    use crate::uploads::model::Purpose;
    match kind {
        ItemKind::Video | ItemKind::MicroLesson => Some(Purpose::Video),
        ItemKind::Audio => Some(Purpose::Audio),
        ItemKind::Article => None,
    }
}

/// Questions after a micro-lesson: 0 to 10.
pub fn parse_lesson_questions(input: &str) -> Result<i64, Msg> {
    match input.trim() {
        "" => Ok(0),
        s => match s.parse::<i64>() {
            Ok(n @ 0..=10) => Ok(n),
            _ => Err(Msg::QuestionCountInvalid),
        },
    }
}

/// An optional due date, as a date field sends it ("2026-12-31").
pub fn parse_due_on(input: &str) -> Result<Option<chrono::NaiveDate>, Msg> {
    match input.trim() {
        "" => Ok(None),
        s => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| Msg::DateInvalid),
    }
}

/// Formats seconds as 学时 with one decimal ("12.5").
pub fn hours(secs: i64) -> String {
    format!("{:.1}", secs as f64 / 3600.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(item: i64, at: f64) -> Option<Clock> {
        Some(Clock { item_id: item, at })
    }

    #[test]
    fn the_first_beat_starts_the_clock_and_credits_nothing() {
        assert_eq!(credit(None, 1, 100.0, 600, 0), Beat::Started);
    }

    #[test]
    fn a_beat_credits_the_time_since_the_last_one() {
        assert_eq!(credit(on(1, 100.0), 1, 112.0, 600, 0), Beat::Credited(12));
    }

    #[test]
    fn beats_that_come_too_fast_or_are_replayed_credit_nothing() {
        assert_eq!(credit(on(1, 100.0), 1, 100.0, 600, 0), Beat::TooFast);
        assert_eq!(credit(on(1, 100.0), 1, 107.9, 600, 0), Beat::TooFast);
    }

    #[test]
    fn a_gap_credits_at_most_one_interval_and_its_slack() {
        assert_eq!(credit(on(1, 100.0), 1, 3700.0, 6000, 0), Beat::Credited(20));
    }

    #[test]
    fn no_item_is_credited_past_its_length() {
        assert_eq!(credit(on(1, 100.0), 1, 112.0, 600, 595), Beat::Credited(5));
        assert_eq!(credit(on(1, 100.0), 1, 112.0, 600, 600), Beat::Credited(0));
    }

    #[test]
    fn two_items_at_once_credit_nothing_as_the_clock_moves_between_them() {
        let mut clock = None;
        let mut total = 0;
        for (i, now) in [0.0, 12.0, 24.0, 36.0, 48.0].into_iter().enumerate() {
            let item = if i % 2 == 0 { 1 } else { 2 };
            match credit(clock, item, now, 600, 0) {
                Beat::Credited(s) => total += s,
                Beat::Started | Beat::TooFast => {}
            }
            clock = Some(Clock {
                item_id: item,
                at: now,
            });
        }
        assert_eq!(total, 0);
    }

    #[test]
    fn an_article_is_read_after_thirty_seconds_and_a_third_of_its_length() {
        assert!(!article_done(29, 60));
        assert!(article_done(30, 60));
        assert!(!article_done(60, 300));
        assert!(article_done(100, 300));
    }

    #[test]
    fn a_video_is_watched_at_eighty_percent_or_five_minutes() {
        assert!(media_done(80, 100));
        assert!(!media_done(79, 100));
        assert!(media_done(300, 3600));
        assert!(is_done(ItemKind::Video, 300, 3600));
        assert!(!is_done(ItemKind::Article, 300, 3600));
    }

    #[test]
    fn reading_time_is_estimated_from_characters_and_words() {
        assert_eq!(estimated_reading_secs(&"学".repeat(800)), 120);
        assert_eq!(estimated_reading_secs("short"), 60);
        assert_eq!(estimated_reading_secs(&"word ".repeat(400)), 120);
    }

    #[test]
    fn minutes_crossed_count_whole_minutes() {
        assert_eq!(minutes_crossed(50, 70), 0..1);
        assert_eq!(minutes_crossed(60, 70), 1..1);
        assert!(minutes_crossed(10, 59).is_empty());
    }

    #[test]
    fn titles_and_tags_are_checked() {
        assert_eq!(parse_title("  学习贯彻  "), Ok("学习贯彻".to_owned()));
        assert_eq!(parse_title(""), Err(Msg::Required));
        assert_eq!(
            parse_tags("党史， 理论,理论 青年"),
            Ok(vec!["党史".into(), "理论".into(), "青年".into()])
        );
        assert_eq!(parse_tags(&"a,".repeat(9)), Ok(vec!["a".into()]));
        assert!(parse_tags("a b c d e f g h i").is_err());
        assert_eq!(hours(5400), "1.5");
    }

    #[test]
    fn media_lengths_read_as_minutes_and_seconds() {
        assert_eq!(parse_length("12:30"), Ok(750));
        assert_eq!(parse_length("1:02:03"), Ok(3723));
        assert_eq!(parse_length("15"), Ok(900));
        assert_eq!(parse_length("0:05"), Err(Msg::LengthInvalid));
        assert_eq!(parse_length("7:00:00"), Err(Msg::LengthInvalid));
        assert_eq!(parse_length("3:75"), Err(Msg::LengthInvalid));
        assert_eq!(parse_length("abc"), Err(Msg::LengthInvalid));
        assert_eq!(parse_length(""), Err(Msg::Required));
        assert_eq!(format_length(750), "12:30");
        assert_eq!(parse_lesson_questions(""), Ok(0));
        assert!(parse_lesson_questions("11").is_err());
    }
}
