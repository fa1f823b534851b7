//! Study content and effective study time, as plain rules: item kinds and scopes, reading
//! length estimates, how a heartbeat is credited, and when an item counts as read or
//! watched. No I/O.

use serde::{Deserialize, Serialize};

use crate::auth::model::{Actor, Role};
use crate::error::{FieldError, Msg, field_ok};
use crate::i18n::Strings;
use crate::ids::{ItemId, OrgId};

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
    pub item_id: ItemId,
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
    item_id: ItemId,
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

/// An optional id field (a select's value, a hidden input): empty names nothing.
pub fn parse_optional_id<Id>(input: &str) -> Result<Option<Id>, std::num::ParseIntError>
where
    Id: std::str::FromStr<Err = std::num::ParseIntError>,
{
    match input.trim() {
        "" => Ok(None),
        s => s.parse().map(Some),
    }
}

/// The organizations (ltree paths) within which an author may edit content and columns: each
/// one where they hold a role, with everything under it.
pub fn editable_roots(actor: &Actor) -> Vec<String> {
    actor
        .grants
        .iter()
        .filter_map(|g| g.path.as_ref().map(ToString::to_string))
        .collect()
}

/// The year's study hours target: higher for those who serve a branch (its secretary or
/// committee).
pub fn hours_target(actor: &Actor) -> u32 {
    let serves_a_branch = actor
        .grants
        .iter()
        .any(|g| matches!(g.role, Role::Secretary | Role::CommitteeMember));
    crate::points::model::study_hours_target(serves_a_branch)
}

/// The editor's length field: empty for an article, whose length is estimated from its text.
pub fn length_field(kind: ItemKind, length_secs: u32) -> String {
    if kind == ItemKind::Article {
        String::new()
    } else {
        format_length(length_secs)
    }
}

/// The item form as typed (`save_item`), one field per input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemForm {
    /// The item's id; empty for a new item.
    pub id: String,
    pub kind: String,
    pub title: String,
    /// Markdown: an article's text, or a media item's description.
    pub body: String,
    pub tags: String,
    /// An organization's id; empty for the whole platform.
    pub scope: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub required: Option<String>,
    pub due_on: String,
    /// Upload ids of the media file and of the cover (empty: none).
    pub media: String,
    pub cover: String,
    pub length: String,
    /// A column's id; empty for none.
    pub column: String,
    /// A micro-lesson's questions: drawn with this tag (any when empty), this many.
    pub quiz_tag: String,
    pub quiz_count: String,
}

/// What an item form names: the item (`None` for a new one), its kind, scope and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRefs {
    pub id: Option<ItemId>,
    pub kind: ItemKind,
    pub scope: Option<OrgId>,
    pub column: Option<i64>,
}

/// An item form's text and settings once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedItem {
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub required: bool,
    pub due_on: Option<chrono::NaiveDate>,
    /// The length typed for media; `None` where it is estimated from the text instead.
    pub length_secs: Option<u32>,
    /// Questions to draw after a micro-lesson; 0 for other kinds (which clears any).
    pub quiz_count: i64,
}

impl ItemForm {
    /// The ids and kind the form names; `Err` is the field that is not what the page sends
    /// (a bad request rather than a typing mistake).
    pub fn refs(&self) -> Result<ItemRefs, &'static str> {
        let id = parse_optional_id(&self.id).map_err(|_| "id")?;
        let scope = parse_optional_id(&self.scope).map_err(|_| "scope")?;
        let column = parse_optional_id(&self.column).map_err(|_| "column")?;
        let kind = ItemKind::parse(&self.kind).ok_or("kind")?;
        Ok(ItemRefs {
            id: id.map(ItemId),
            kind,
            scope,
            column,
        })
    }

    /// Every field checked at once for an item of `kind`, every problem reported against
    /// its field. `has_media`: the media field names an upload (the caller's own, or the
    /// item's). A video or audio needs its file and length; a micro-lesson may be questions
    /// alone, and then, like an article, has its length estimated from the text.
    pub fn check(&self, kind: ItemKind, has_media: bool) -> Result<CheckedItem, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = field_ok(&mut errors, "title", parse_title(&self.title));
        let body = if kind == ItemKind::Article {
            parse_body(&self.body)
        } else {
            parse_description(&self.body)
        };
        let body = field_ok(&mut errors, "body", body);
        let tags = field_ok(&mut errors, "tags", parse_tags(&self.tags));
        let due_on = field_ok(&mut errors, "due_on", parse_due_on(&self.due_on));
        if kind.is_media() && !has_media {
            errors.push(FieldError::new("media", Msg::MediaMissing));
        }
        let estimated = kind == ItemKind::Article || (kind == ItemKind::MicroLesson && !has_media);
        let length_secs = if estimated {
            Some(None)
        } else {
            field_ok(&mut errors, "length", parse_length(&self.length)).map(Some)
        };
        let quiz_count = if kind == ItemKind::MicroLesson {
            field_ok(
                &mut errors,
                "quiz_count",
                parse_lesson_questions(&self.quiz_count),
            )
        } else {
            Some(0)
        };
        match (title, body, tags, due_on, length_secs, quiz_count) {
            (
                Some(title),
                Some(body),
                Some(tags),
                Some(due_on),
                Some(length_secs),
                Some(quiz_count),
            ) if errors.is_empty() => Ok(CheckedItem {
                title,
                body,
                tags,
                required: self.required.is_some(),
                due_on,
                length_secs,
                quiz_count,
            }),
            _ => Err(errors),
        }
    }
}

/// The new-column form as typed (`create_column`), one field per input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnForm {
    pub title: String,
    pub description: String,
    /// An organization's id; empty for the whole platform.
    pub scope: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub required: Option<String>,
    pub due_on: String,
    /// The cover's upload id; empty for none.
    pub cover: String,
}

/// A column's text and settings once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedColumn {
    pub title: String,
    pub description: String,
    pub required: bool,
    pub due_on: Option<chrono::NaiveDate>,
}

impl ColumnForm {
    /// Every field checked at once, every problem reported against its field; the
    /// description is optional, at most 500 characters.
    pub fn check(&self) -> Result<CheckedColumn, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = field_ok(&mut errors, "title", parse_title(&self.title));
        let description = self.description.trim().to_owned();
        if description.chars().count() > 500 {
            errors.push(FieldError::new("description", Msg::TooLong));
        }
        let due_on = field_ok(&mut errors, "due_on", parse_due_on(&self.due_on));
        match (title, due_on) {
            (Some(title), Some(due_on)) if errors.is_empty() => Ok(CheckedColumn {
                title,
                description,
                required: self.required.is_some(),
                due_on,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;

    fn on(item: i64, at: f64) -> Option<Clock> {
        Some(Clock {
            item_id: ItemId(item),
            at,
        })
    }

    #[test]
    fn the_first_beat_starts_the_clock_and_credits_nothing() {
        assert_eq!(credit(None, ItemId(1), 100.0, 600, 0), Beat::Started);
    }

    #[test]
    fn a_beat_credits_the_time_since_the_last_one() {
        assert_eq!(
            credit(on(1, 100.0), ItemId(1), 112.0, 600, 0),
            Beat::Credited(12)
        );
    }

    #[test]
    fn beats_that_come_too_fast_or_are_replayed_credit_nothing() {
        assert_eq!(
            credit(on(1, 100.0), ItemId(1), 100.0, 600, 0),
            Beat::TooFast
        );
        assert_eq!(
            credit(on(1, 100.0), ItemId(1), 107.9, 600, 0),
            Beat::TooFast
        );
    }

    #[test]
    fn a_gap_credits_at_most_one_interval_and_its_slack() {
        assert_eq!(
            credit(on(1, 100.0), ItemId(1), 3700.0, 6000, 0),
            Beat::Credited(20)
        );
    }

    #[test]
    fn no_item_is_credited_past_its_length() {
        assert_eq!(
            credit(on(1, 100.0), ItemId(1), 112.0, 600, 595),
            Beat::Credited(5)
        );
        assert_eq!(
            credit(on(1, 100.0), ItemId(1), 112.0, 600, 600),
            Beat::Credited(0)
        );
    }

    #[test]
    fn two_items_at_once_credit_nothing_as_the_clock_moves_between_them() {
        let mut clock = None;
        let mut total = 0;
        for (i, now) in [0.0, 12.0, 24.0, 36.0, 48.0].into_iter().enumerate() {
            let item = ItemId(if i % 2 == 0 { 1 } else { 2 });
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

    #[test]
    fn an_empty_id_field_names_nothing_and_a_word_is_refused() {
        assert_eq!(parse_optional_id::<i64>(""), Ok(None));
        assert_eq!(parse_optional_id(" 42 "), Ok(Some(42_i64)));
        assert!(parse_optional_id::<OrgId>("abc").is_err());
    }

    fn actor(grants: &[(Role, Option<&str>)]) -> Actor {
        use crate::auth::model::Grant;
        use crate::orgs::model::OrgPath;
        Actor {
            user_id: UserId(1),
            grants: grants
                .iter()
                .map(|(role, path)| Grant {
                    role: *role,
                    path: path.map(|p| OrgPath::parse(p).unwrap()),
                })
                .collect(),
        }
    }

    #[test]
    fn an_author_edits_within_every_organization_where_they_hold_a_role() {
        let a = actor(&[
            (Role::PlatformAdmin, None),
            (Role::Secretary, Some("1.2")),
            (Role::OrgAdmin, Some("1.3")),
        ]);
        assert_eq!(editable_roots(&a), vec!["1.2".to_owned(), "1.3".to_owned()]);
    }

    #[test]
    fn those_who_serve_a_branch_have_the_higher_study_hours_target() {
        assert_eq!(hours_target(&actor(&[])), 32);
        assert_eq!(hours_target(&actor(&[(Role::OrgAdmin, Some("1"))])), 32);
        assert_eq!(hours_target(&actor(&[(Role::Secretary, Some("1.2"))])), 56);
        assert_eq!(
            hours_target(&actor(&[(Role::CommitteeMember, Some("1.2"))])),
            56
        );
    }

    #[test]
    fn an_articles_length_field_stays_empty_as_its_length_is_estimated() {
        assert_eq!(length_field(ItemKind::Article, 600), "");
        assert_eq!(length_field(ItemKind::Video, 750), "12:30");
    }

    fn video() -> ItemForm {
        ItemForm {
            kind: "video".into(),
            title: "学习视频".into(),
            body: "".into(),
            tags: "党史".into(),
            required: Some("on".into()),
            due_on: "2026-12-31".into(),
            media: "upload".into(),
            length: "12:30".into(),
            ..ItemForm::default()
        }
    }

    #[test]
    fn an_item_form_names_its_item_kind_scope_and_column_or_the_field_that_is_no_number() {
        let refs = ItemForm {
            id: "7".into(),
            scope: "".into(),
            column: "3".into(),
            ..video()
        }
        .refs();
        assert_eq!(
            refs,
            Ok(ItemRefs {
                id: Some(ItemId(7)),
                kind: ItemKind::Video,
                scope: None,
                column: Some(3),
            })
        );
        let bad_scope = ItemForm {
            scope: "x".into(),
            ..video()
        };
        assert_eq!(bad_scope.refs(), Err("scope"));
        let bad_kind = ItemForm {
            kind: "poem".into(),
            ..video()
        };
        assert_eq!(bad_kind.refs(), Err("kind"));
    }

    #[test]
    fn a_video_with_its_file_gives_its_typed_length_and_settings() {
        let item = video().check(ItemKind::Video, true).unwrap();
        assert_eq!(item.length_secs, Some(750));
        assert_eq!(item.tags, vec!["党史".to_owned()]);
        assert!(item.required);
        assert_eq!(item.quiz_count, 0);
    }

    #[test]
    fn an_item_form_reports_every_bad_field_at_once_and_a_video_without_its_file() {
        let bad = ItemForm {
            title: "".into(),
            due_on: "tomorrow".into(),
            length: "".into(),
            ..video()
        };
        let fields: Vec<String> = bad
            .check(ItemKind::Video, false)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["title", "due_on", "media", "length"]);
    }

    #[test]
    fn a_micro_lesson_without_a_video_needs_no_length_but_its_question_count_is_checked() {
        let lesson = ItemForm {
            kind: "micro_lesson".into(),
            length: "".into(),
            quiz_count: "3".into(),
            ..video()
        };
        let item = lesson.check(ItemKind::MicroLesson, false).unwrap();
        assert_eq!((item.length_secs, item.quiz_count), (None, 3));
        let with_video = lesson.check(ItemKind::MicroLesson, true).unwrap_err();
        assert_eq!(with_video[0].field, "length");
        let too_many = ItemForm {
            quiz_count: "11".into(),
            ..lesson
        };
        let errors = too_many.check(ItemKind::MicroLesson, false).unwrap_err();
        assert_eq!(errors[0].field, "quiz_count");
    }

    #[test]
    fn an_article_needs_its_text_and_no_length() {
        let article = ItemForm {
            kind: "article".into(),
            body: "正文".into(),
            length: "not a length".into(),
            ..video()
        };
        assert_eq!(
            article.check(ItemKind::Article, false).unwrap().length_secs,
            None
        );
        let empty = ItemForm {
            body: "  ".into(),
            ..article
        };
        assert_eq!(
            empty.check(ItemKind::Article, false).unwrap_err()[0].field,
            "body"
        );
    }

    #[test]
    fn a_column_form_reports_a_long_description_and_a_bad_date_together() {
        let form = ColumnForm {
            title: "理论学习".into(),
            description: "  简介  ".into(),
            required: None,
            due_on: "".into(),
            ..ColumnForm::default()
        };
        let c = form.check().unwrap();
        assert_eq!(
            (c.description.as_str(), c.required, c.due_on),
            ("简介", false, None)
        );
        let bad = ColumnForm {
            description: "长".repeat(501),
            due_on: "31/12".into(),
            ..form
        };
        let fields: Vec<String> = bad
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["description", "due_on"]);
    }
}
