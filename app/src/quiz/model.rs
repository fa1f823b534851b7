//! Quizzes as plain rules: question kinds, reading a question bank sheet (every bad row
//! reported), the answers a member picked, grading, and the points a score earns. No I/O.

use crate::ids::{OrgId, UserId};
use serde::{Deserialize, Serialize};

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{FieldError, Msg, field_ok};
use crate::i18n::Strings;
use crate::time::parse_local_datetime;
pub use crate::uploads::model::RowError;
use crate::uploads::model::{find_column, split_sheet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuestionKind {
    Single,
    Multiple,
    TrueFalse,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 3] = [
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::TrueFalse,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true_false",
        }
    }

    /// The code, or what a sheet's 题型 column says (单选题, 多选, 判断题, ...).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().trim_end_matches('题').to_ascii_lowercase();
        match s.as_str() {
            "single" | "单选" => Some(QuestionKind::Single),
            "multiple" | "多选" => Some(QuestionKind::Multiple),
            "true_false" | "truefalse" | "判断" => Some(QuestionKind::TrueFalse),
            _ => None,
        }
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            QuestionKind::Single => t.quiz_kind_single,
            QuestionKind::Multiple => t.quiz_kind_multiple,
            QuestionKind::TrueFalse => t.quiz_kind_true_false,
        }
    }
}

/// Which quiz an attempt belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuizKind {
    /// 每日答题: five questions drawn for the member each day.
    Daily,
    /// 每周答题: one set for everybody each week.
    Weekly,
    /// 专项答题: a set with a window and a time limit.
    Special,
    /// The questions after a micro-lesson.
    Lesson,
}

impl QuizKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuizKind::Daily => "daily",
            QuizKind::Weekly => "weekly",
            QuizKind::Special => "special",
            QuizKind::Lesson => "lesson",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            QuizKind::Daily,
            QuizKind::Weekly,
            QuizKind::Special,
            QuizKind::Lesson,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Questions in a daily quiz.
pub const DAILY_QUESTIONS: usize = 5;
/// Questions in a weekly quiz.
pub const WEEKLY_QUESTIONS: usize = 10;
/// A daily quiz avoids the questions the member was given in this many days.
pub const REPEAT_WINDOW_DAYS: i32 = 30;
/// A timed answer sheet is still accepted this long after its deadline (the network).
pub const GRACE_SECS: i64 = 5;

/// The options of every true/false question.
pub const TRUE_FALSE_OPTIONS: [&str; 2] = ["正确", "错误"];

/// A question ready to go into the bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
    /// Indices into `options`, sorted, without repeats.
    pub answer: Vec<i16>,
    pub explanation: String,
    pub tags: Vec<String>,
}

const OPTION_COLUMNS: [&str; 6] = ["A", "B", "C", "D", "E", "F"];

/// Where each column is in the header row. Chinese and English names are both accepted;
/// options are `选项A`..`选项F` or `A`..`F`.
struct Columns {
    kind: usize,
    stem: usize,
    options: Vec<(usize, usize)>,
    answer: usize,
    explanation: Option<usize>,
    tags: Option<usize>,
}

fn columns(header: &[String]) -> Result<Columns, Vec<RowError>> {
    let missing = |name: &str| RowError {
        row: 1,
        column: name.to_owned(),
        msg: Msg::ImportColumnMissing,
    };
    let kind = find_column(header, &["题型", "kind", "type"]);
    let stem = find_column(header, &["题干", "stem", "question"]);
    let answer = find_column(header, &["答案", "answer"]);
    let options: Vec<(usize, usize)> = OPTION_COLUMNS
        .iter()
        .enumerate()
        .filter_map(|(i, letter)| {
            find_column(
                header,
                &[
                    &format!("选项{letter}"),
                    letter,
                    &format!("option_{letter}"),
                ],
            )
            .map(|c| (i, c))
        })
        .collect();
    let mut errors = Vec::new();
    if kind.is_none() {
        errors.push(missing("题型"));
    }
    if stem.is_none() {
        errors.push(missing("题干"));
    }
    if answer.is_none() {
        errors.push(missing("答案"));
    }
    if options.len() < 2 {
        errors.push(missing("选项A"));
    }
    match (kind, stem, answer) {
        (Some(kind), Some(stem), Some(answer)) if errors.is_empty() => Ok(Columns {
            kind,
            stem,
            options,
            answer,
            explanation: find_column(header, &["解析", "explanation"]),
            tags: find_column(header, &["标签", "tags"]),
        }),
        _ => Err(errors),
    }
}

/// Reads answer letters ("A", "AC", "A,C", "a c") or, for true/false, 对/错 and the like,
/// into sorted option indices. `None` when it does not name options that exist.
pub fn parse_answer(kind: QuestionKind, input: &str, options: usize) -> Option<Vec<i16>> {
    let s = input.trim();
    if kind == QuestionKind::TrueFalse {
        return match s.to_ascii_lowercase().as_str() {
            "对" | "正确" | "是" | "√" | "t" | "true" | "y" | "a" => Some(vec![0]),
            "错" | "错误" | "否" | "×" | "f" | "false" | "n" | "b" => Some(vec![1]),
            _ => None,
        };
    }
    let mut picked = Vec::new();
    for c in s.chars() {
        if matches!(c, ',' | '，' | ' ' | '、' | ';' | '；') {
            continue;
        }
        let i = OPTION_COLUMNS
            .iter()
            .position(|l| l.eq_ignore_ascii_case(&c.to_string()))?;
        if i >= options {
            return None;
        }
        picked.push(i as i16);
    }
    picked.sort_unstable();
    picked.dedup();
    (!picked.is_empty()).then_some(picked)
}

fn cell(row: &[String], i: usize) -> &str {
    row.get(i).map(|s| s.trim()).unwrap_or("")
}

/// One data row (its sheet row number is `row`), or every problem with it.
fn parse_row(cols: &Columns, cells: &[String], row: u32) -> Result<NewQuestion, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut bad = |column: &str, msg: Msg| {
        errors.push(RowError {
            row,
            column: column.to_owned(),
            msg,
        })
    };
    let kind = QuestionKind::parse(cell(cells, cols.kind));
    if kind.is_none() {
        bad("题型", Msg::QuestionKindUnknown);
    }
    let stem = cell(cells, cols.stem).to_owned();
    match stem.chars().count() {
        0 => bad("题干", Msg::Required),
        1 => bad("题干", Msg::NameInvalid),
        501.. => bad("题干", Msg::TooLong),
        _ => {}
    }
    let options: Vec<String> = match kind {
        Some(QuestionKind::TrueFalse) => TRUE_FALSE_OPTIONS.map(String::from).to_vec(),
        _ => {
            // Options are the filled option columns, which must come without gaps (A, B, C).
            let filled: Vec<(usize, &str)> = cols
                .options
                .iter()
                .map(|&(i, c)| (i, cell(cells, c)))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            if filled.iter().enumerate().any(|(n, (i, _))| n != *i) {
                bad("选项", Msg::OptionsGap);
            }
            if filled.iter().any(|(_, v)| v.chars().count() > 200) {
                bad("选项", Msg::TooLong);
            }
            filled.into_iter().map(|(_, v)| v.to_owned()).collect()
        }
    };
    if kind.is_some_and(|k| k != QuestionKind::TrueFalse) && options.len() < 2 {
        bad("选项", Msg::OptionsTooFew);
    }
    let answer = kind.and_then(|k| parse_answer(k, cell(cells, cols.answer), options.len()));
    match (kind, &answer) {
        (Some(_), None) => bad("答案", Msg::AnswerInvalid),
        (Some(QuestionKind::Single), Some(a)) if a.len() != 1 => bad("答案", Msg::AnswerSingle),
        (Some(QuestionKind::Multiple), Some(a)) if a.len() < 2 => bad("答案", Msg::AnswerMultiple),
        _ => {}
    }
    let explanation = cols
        .explanation
        .map(|c| cell(cells, c).to_owned())
        .unwrap_or_default();
    if explanation.chars().count() > 1000 {
        bad("解析", Msg::TooLong);
    }
    let tags = match cols.tags.map(|c| cell(cells, c)) {
        Some(t) => match crate::study::model::parse_tags(&t.replace(['；', ';', '|'], ",")) {
            Ok(tags) => tags,
            Err(msg) => {
                bad("标签", msg);
                vec![]
            }
        },
        None => vec![],
    };
    match (kind, answer) {
        (Some(kind), Some(answer)) if errors.is_empty() => Ok(NewQuestion {
            kind,
            stem,
            options,
            answer,
            explanation,
            tags,
        }),
        _ => Err(errors),
    }
}

/// Reads a whole sheet (the header first). Either every row is a question (with its row
/// number), or the answer is every problem found, by row number; blank rows are skipped; a
/// stem that comes twice is reported on its second row.
pub fn parse_sheet(rows: &[Vec<String>]) -> Result<Vec<(u32, NewQuestion)>, Vec<RowError>> {
    let (header, data) = split_sheet(rows)?;
    let cols = columns(header)?;
    let mut questions = Vec::new();
    let mut errors = Vec::new();
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for (row, cells) in data {
        match parse_row(&cols, cells, row) {
            Ok(q) => {
                if seen.insert(q.stem.clone(), row).is_some() {
                    errors.push(RowError {
                        row,
                        column: "题干".into(),
                        msg: Msg::QuestionDuplicate,
                    });
                } else {
                    questions.push((row, q));
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    crate::uploads::model::rows_or_errors(questions, errors)
}

/// The answers on a submitted sheet: `"12:0,12:2,13:1"` (question id and option index).
/// Questions without a pick are simply absent.
pub fn parse_picks(input: &str) -> Option<Vec<(i64, i16)>> {
    input
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (q, o) = p.split_once(':')?;
            Some((q.trim().parse().ok()?, o.trim().parse().ok()?))
        })
        .collect()
}

/// The picks for one question, sorted and without repeats.
pub fn chosen_for(picks: &[(i64, i16)], question_id: i64) -> Vec<i16> {
    let mut chosen: Vec<i16> = picks
        .iter()
        .filter(|(q, _)| *q == question_id)
        .map(|(_, o)| *o)
        .collect();
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// Right when exactly the right options were chosen (a multiple-choice question is right
/// only with all of its answers and none other).
pub fn is_right(answer: &[i16], chosen: &[i16]) -> bool {
    let mut a = answer.to_vec();
    a.sort_unstable();
    a.dedup();
    !chosen.is_empty() && a == chosen
}

/// The units a score earns under its rule: one per right answer in the daily quiz; the
/// score band in the weekly quiz; twice the band in a special quiz (100% gives 10, the
/// special quiz's cap); nothing after a micro-lesson.
pub fn units(kind: QuizKind, correct: u32, total: u32) -> i32 {
    match kind {
        QuizKind::Daily => correct as i32,
        QuizKind::Weekly => crate::points::model::score_band(correct, total),
        QuizKind::Special => 2 * crate::points::model::score_band(correct, total),
        QuizKind::Lesson => 0,
    }
}

/// Whether a sheet submitted at `now` (seconds) is in time for `deadline`.
pub fn in_time(deadline: Option<i64>, now: i64) -> bool {
    deadline.is_none_or(|d| now <= d + GRACE_SECS)
}

/// A special quiz's title: 2 to 80 characters.
pub fn parse_quiz_title(input: &str) -> Result<String, Msg> {
    crate::study::model::parse_title(input)
}

/// Minutes to answer a special quiz: 1 to 120.
pub fn parse_time_limit(input: &str) -> Result<i32, Msg> {
    match input.trim().parse::<i32>() {
        Ok(m @ 1..=120) => Ok(m * 60),
        _ => Err(Msg::TimeLimitInvalid),
    }
}

/// Questions in a special quiz: 1 to 50.
pub fn parse_question_count(input: &str) -> Result<i64, Msg> {
    match input.trim().parse::<i64>() {
        Ok(n @ 1..=50) => Ok(n),
        _ => Err(Msg::QuestionCountInvalid),
    }
}

/// A 参学率-style rate in whole percent.
pub fn percent(part: i64, whole: i64) -> u32 {
    if whole <= 0 {
        0
    } else {
        (part * 100 / whole) as u32
    }
}

/// Whether a special quiz is open at `now`: from its opening until just before it closes.
pub fn window_open(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    opens_at <= now && now < closes_at
}

/// When an attempt begun at `now` must be handed in: after the quiz's time limit, but never
/// later than the quiz closes; no deadline without a limit.
pub fn attempt_deadline(
    now: DateTime<Utc>,
    time_limit_secs: Option<i32>,
    closes_at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    time_limit_secs.map(|s| (now + chrono::Duration::seconds(s.into())).min(closes_at))
}

/// Seconds left to answer, shown as a countdown: only a special quiz runs against a clock (a
/// weekly one closes with its week, though its attempt has that deadline too).
pub fn seconds_left(
    kind: QuizKind,
    deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<i64> {
    deadline
        .filter(|_| kind == QuizKind::Special)
        .map(|d| (d - now).num_seconds().max(0))
}

/// The week a weekly quiz belongs to at `now`: its Monday (Asia/Shanghai), and the moments
/// it opens and closes (the next Monday). `None` only for a date past the calendar's end.
pub fn weekly_window(now: DateTime<Utc>) -> Option<(NaiveDate, DateTime<Utc>, DateTime<Utc>)> {
    let monday = crate::time::week_start(crate::time::day_of(now));
    let opens = crate::time::start_of(monday)?;
    Some((monday, opens, opens + chrono::Duration::days(7)))
}

/// The contest board's privacy rule: a member who ranks anonymously is hidden (no name, no
/// branch) from viewers outside their branch, never from themselves.
pub fn hidden_on_board(
    member: UserId,
    viewer: UserId,
    anonymous: bool,
    shares_branch: bool,
) -> bool {
    member != viewer && anonymous && !shares_branch
}

/// Which quiz to start: its kind, the special quiz's or micro-lesson's id, and whether a
/// special quiz's one attempt begins now (its 开始答题 button).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuizStart {
    pub kind: QuizKind,
    pub set_id: Option<i64>,
    pub begin: bool,
}

/// The special-quiz form as typed (`create_special_quiz`), one field per input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialQuizFields {
    pub title: String,
    /// Draw only questions with this tag; empty for any.
    pub tag: String,
    pub count: String,
    /// Local date and time (Asia/Shanghai), as a datetime field sends it.
    pub opens: String,
    pub closes: String,
    pub minutes: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub contest: Option<String>,
    /// An organization's id; empty for the whole platform.
    pub scope: String,
}

/// A special quiz that passed the form's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialQuiz {
    pub title: String,
    /// At most 16 characters; empty for any tag.
    pub tag: String,
    pub count: i64,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub time_limit_secs: i32,
    pub contest: bool,
}

impl SpecialQuizFields {
    /// Where the quiz is published: `None` for the platform, else an organization's id. Not
    /// a number is not a typing mistake (the field is a select) but a bad request.
    pub fn scope(&self) -> Result<Option<OrgId>, std::num::ParseIntError> {
        crate::study::model::parse_optional_id(&self.scope)
    }

    /// Every field checked at once, every problem reported against its field; a window that
    /// closes before it opens is reported on `closes`.
    pub fn parse(&self) -> Result<SpecialQuiz, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = field_ok(&mut errors, "title", parse_quiz_title(&self.title));
        let count = field_ok(&mut errors, "count", parse_question_count(&self.count));
        let opens = field_ok(&mut errors, "opens", parse_local_datetime(&self.opens));
        let closes = field_ok(&mut errors, "closes", parse_local_datetime(&self.closes));
        let limit = field_ok(&mut errors, "minutes", parse_time_limit(&self.minutes));
        if let (Some(o), Some(c)) = (opens, closes)
            && c <= o
        {
            errors.push(FieldError::new("closes", Msg::WindowInvalid));
        }
        match (title, count, opens, closes, limit) {
            (Some(title), Some(count), Some(opens_at), Some(closes_at), Some(time_limit_secs))
                if errors.is_empty() =>
            {
                Ok(SpecialQuiz {
                    title,
                    tag: self.tag.trim().chars().take(16).collect(),
                    count,
                    opens_at,
                    closes_at,
                    time_limit_secs,
                    contest: self.contest.is_some(),
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    const HEADER: &[&str] = &[
        "题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "标签",
    ];

    #[test]
    fn a_good_sheet_gives_every_question() {
        let rows = sheet(&[
            HEADER,
            &[
                "单选题",
                "党的最高理想是什么？",
                "实现共产主义",
                "发展经济",
                "",
                "",
                "A",
                "党章总纲",
                "党章；理论",
            ],
            &[
                "多选",
                "以下属于三会一课的是",
                "支部党员大会",
                "党小组会",
                "党课",
                "茶话会",
                "A,B,C",
                "",
                "",
            ],
            &[
                "判断题",
                "团员年龄为14至28周岁。",
                "",
                "",
                "",
                "",
                "对",
                "",
                "",
            ],
            &["", "", "", "", "", "", "", "", ""],
        ]);
        let qs = parse_sheet(&rows).unwrap();
        assert_eq!(qs.len(), 3);
        assert_eq!(qs[2].0, 4);
        let qs: Vec<NewQuestion> = qs.into_iter().map(|(_, q)| q).collect();
        assert_eq!(qs[0].options.len(), 2);
        assert_eq!(qs[0].tags, vec!["党章".to_owned(), "理论".to_owned()]);
        assert_eq!(qs[1].answer, vec![0, 1, 2]);
        assert_eq!(qs[2].answer, vec![0]);
        assert_eq!(qs[2].options, vec!["正确".to_owned(), "错误".to_owned()]);
    }

    #[test]
    fn every_bad_row_is_reported_by_its_row_number() {
        let rows = sheet(&[
            HEADER,
            &["单选", "好的题目", "甲", "乙", "", "", "A", "", ""],
            &["填空", "题型不对", "甲", "乙", "", "", "A", "", ""],
            &["单选", "答案不在选项里", "甲", "乙", "", "", "D", "", ""],
            &["单选", "单选两个答案", "甲", "乙", "丙", "", "AB", "", ""],
            &["多选", "多选一个答案", "甲", "乙", "丙", "", "A", "", ""],
            &["单选", "选项有空缺", "甲", "", "丙", "", "A", "", ""],
            &["单选", "好的题目", "甲", "乙", "", "", "B", "", ""],
        ]);
        let errors = parse_sheet(&rows).unwrap_err();
        let got: Vec<(u32, Msg)> = errors.iter().map(|e| (e.row, e.msg)).collect();
        assert_eq!(
            got,
            vec![
                (3, Msg::QuestionKindUnknown),
                (4, Msg::AnswerInvalid),
                (5, Msg::AnswerSingle),
                (6, Msg::AnswerMultiple),
                (7, Msg::OptionsGap),
                (8, Msg::QuestionDuplicate),
            ]
        );
    }

    #[test]
    fn a_sheet_without_the_needed_columns_says_which() {
        let errors = parse_sheet(&sheet(&[&["题干", "选项A", "选项B"]])).unwrap_err();
        let missing: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(missing, vec!["题型", "答案"]);
        assert_eq!(parse_sheet(&[]).unwrap_err()[0].msg, Msg::ImportEmpty);
        assert_eq!(
            parse_sheet(&sheet(&[HEADER])).unwrap_err()[0].msg,
            Msg::ImportEmpty
        );
    }

    #[test]
    fn answers_are_letters_or_true_false_words() {
        assert_eq!(
            parse_answer(QuestionKind::Multiple, "c、a", 4),
            Some(vec![0, 2])
        );
        assert_eq!(parse_answer(QuestionKind::Single, "E", 4), None);
        assert_eq!(parse_answer(QuestionKind::Single, "", 4), None);
        assert_eq!(parse_answer(QuestionKind::TrueFalse, "×", 2), Some(vec![1]));
        assert_eq!(parse_answer(QuestionKind::TrueFalse, "maybe", 2), None);
    }

    #[test]
    fn grading_needs_exactly_the_right_options() {
        assert!(is_right(&[0, 2], &[0, 2]));
        assert!(!is_right(&[0, 2], &[0]));
        assert!(!is_right(&[0, 2], &[0, 1, 2]));
        assert!(!is_right(&[1], &[]));
        let picks = parse_picks("12:2, 12:0,13:1,12:2").unwrap();
        assert_eq!(chosen_for(&picks, 12), vec![0, 2]);
        assert_eq!(chosen_for(&picks, 14), Vec::<i16>::new());
        assert_eq!(parse_picks(""), Some(vec![]));
        assert_eq!(parse_picks("12-1"), None);
    }

    #[test]
    fn scores_earn_units_by_quiz_kind() {
        assert_eq!(units(QuizKind::Daily, 4, 5), 4);
        assert_eq!(units(QuizKind::Weekly, 10, 10), 5);
        assert_eq!(units(QuizKind::Weekly, 8, 10), 3);
        assert_eq!(units(QuizKind::Special, 10, 10), 10);
        assert_eq!(units(QuizKind::Special, 5, 10), 0);
        assert_eq!(units(QuizKind::Lesson, 3, 3), 0);
    }

    #[test]
    fn a_sheet_is_in_time_until_the_deadline_and_its_grace() {
        assert!(in_time(None, 1_000_000));
        assert!(in_time(Some(100), 100 + GRACE_SECS));
        assert!(!in_time(Some(100), 101 + GRACE_SECS));
    }

    #[test]
    fn special_quiz_settings_are_checked() {
        assert_eq!(parse_time_limit("10"), Ok(600));
        assert!(parse_time_limit("0").is_err());
        assert!(parse_time_limit("abc").is_err());
        assert_eq!(parse_question_count("20"), Ok(20));
        assert!(parse_question_count("51").is_err());
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(1, 0), 0);
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_special_quiz_is_open_from_its_opening_until_just_before_it_closes() {
        let (opens, closes) = (at("2026-05-01T08:00:00Z"), at("2026-05-01T10:00:00Z"));
        assert!(!window_open(opens, closes, at("2026-05-01T07:59:59Z")));
        assert!(window_open(opens, closes, opens));
        assert!(window_open(opens, closes, at("2026-05-01T09:59:59Z")));
        assert!(!window_open(opens, closes, closes));
    }

    #[test]
    fn a_timed_attempt_ends_at_its_limit_or_when_the_quiz_closes_whichever_comes_first() {
        let now = at("2026-05-01T09:00:00Z");
        let closes = at("2026-05-01T10:00:00Z");
        assert_eq!(
            attempt_deadline(now, Some(600), closes),
            Some(at("2026-05-01T09:10:00Z"))
        );
        assert_eq!(attempt_deadline(now, Some(7200), closes), Some(closes));
        assert_eq!(attempt_deadline(now, None, closes), None);
    }

    #[test]
    fn only_a_special_quiz_counts_down_and_never_below_zero() {
        let now = at("2026-05-01T09:00:00Z");
        let deadline = Some(at("2026-05-01T09:01:30Z"));
        assert_eq!(seconds_left(QuizKind::Special, deadline, now), Some(90));
        assert_eq!(seconds_left(QuizKind::Weekly, deadline, now), None);
        assert_eq!(seconds_left(QuizKind::Special, None, now), None);
        let late = at("2026-05-01T09:05:00Z");
        assert_eq!(seconds_left(QuizKind::Special, deadline, late), Some(0));
    }

    #[test]
    fn a_weekly_quiz_runs_from_monday_midnight_in_shanghai_to_the_next_monday() {
        // Sunday 2026-05-03 20:00 in Shanghai is still the week of Monday 2026-04-27.
        let (monday, opens, closes) = weekly_window(at("2026-05-03T12:00:00Z")).unwrap();
        assert_eq!(monday.to_string(), "2026-04-27");
        assert_eq!(opens, at("2026-04-26T16:00:00Z"));
        assert_eq!(closes, at("2026-05-03T16:00:00Z"));
    }

    #[test]
    fn an_anonymous_member_is_hidden_outside_the_viewers_branch_but_never_from_themselves() {
        assert!(hidden_on_board(UserId(1), UserId(2), true, false));
        assert!(!hidden_on_board(UserId(1), UserId(2), true, true));
        assert!(!hidden_on_board(UserId(1), UserId(1), true, false));
        assert!(!hidden_on_board(UserId(1), UserId(2), false, false));
    }

    fn special_form() -> SpecialQuizFields {
        SpecialQuizFields {
            title: "党史知识竞赛".into(),
            tag: "  党史  ".into(),
            count: "20".into(),
            opens: "2026-05-01T09:00".into(),
            closes: "2026-05-01T18:00".into(),
            minutes: "15".into(),
            contest: Some("on".into()),
            scope: "".into(),
        }
    }

    #[test]
    fn a_good_special_quiz_form_gives_its_settings() {
        let q = special_form().parse().unwrap();
        assert_eq!(q.title, "党史知识竞赛");
        assert_eq!(q.tag, "党史");
        assert_eq!((q.count, q.time_limit_secs, q.contest), (20, 900, true));
        assert_eq!(q.opens_at, at("2026-05-01T01:00:00Z"));
        assert_eq!(special_form().scope(), Ok(None));
        let platform_or_org = SpecialQuizFields {
            scope: " 12 ".into(),
            ..special_form()
        };
        assert_eq!(platform_or_org.scope(), Ok(Some(OrgId(12))));
        assert!(
            SpecialQuizFields {
                scope: "x".into(),
                ..special_form()
            }
            .scope()
            .is_err()
        );
    }

    #[test]
    fn a_special_quiz_form_reports_every_bad_field_and_a_window_that_closes_before_it_opens() {
        let bad = SpecialQuizFields {
            title: "".into(),
            count: "0".into(),
            closes: "2026-05-01T08:00".into(),
            minutes: "".into(),
            ..special_form()
        };
        let fields: Vec<String> = bad
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["title", "count", "minutes", "closes"]);
    }
}
