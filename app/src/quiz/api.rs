//! Server functions for quizzes: the quiz page, starting and submitting quizzes (graded on
//! the server; answers reach the browser only after submitting), the wrong-answer book,
//! knowledge contest boards, and, for administrators, the question bank and special quizzes.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{QuestionKind, QuizKind, RowError};
use crate::error::AppError;

/// A question as the member sees it while answering: no answer, no explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: i64,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
}

/// A question after answering: what was chosen, what was right, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub question: QuestionView,
    pub chosen: Vec<i16>,
    pub answer: Vec<i16>,
    pub correct: bool,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultView {
    pub correct: u32,
    pub total: u32,
    pub points: i32,
    pub items: Vec<ReviewItem>,
}

/// An attempt: its questions to answer, or its result once submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizView {
    pub attempt_id: i64,
    pub kind: QuizKind,
    pub title: String,
    pub questions: Vec<QuestionView>,
    /// Seconds left to answer, for timed quizzes.
    pub seconds_left: Option<i64>,
    pub result: Option<ResultView>,
    /// A special quiz not yet begun: what the member is about to start (no questions yet).
    pub cover: Option<QuizCover>,
}

/// A special quiz before its attempt begins: its one attempt starts only when the member
/// presses 开始答题 (a POST), never by opening its page or a link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizCover {
    pub set_id: i64,
    pub questions: u32,
    pub minutes: Option<u32>,
    pub closes: String,
}

/// A special quiz in the member's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialCard {
    pub id: i64,
    pub title: String,
    pub questions: u32,
    pub minutes: Option<u32>,
    pub opens: String,
    pub closes: String,
    pub open: bool,
    pub closed: bool,
    pub contest: bool,
    pub done: bool,
    pub score: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizHomeView {
    /// Today's daily quiz score ("4/5") once submitted.
    pub daily: Option<String>,
    pub weekly: Option<String>,
    pub specials: Vec<SpecialCard>,
    pub wrong: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrongView {
    pub question: QuestionView,
    pub times_wrong: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankRow {
    pub id: i64,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: Vec<i16>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankView {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub rows: Vec<BankRow>,
}

/// The outcome of an import: how many questions went in, or every bad row (and then none
/// went in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub imported: usize,
    pub errors: Vec<RowError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestMember {
    pub rank: u32,
    pub name: String,
    pub branch: String,
    pub correct: u32,
    pub total: u32,
    pub secs: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestBranch {
    pub name: String,
    pub members: u32,
    pub took: u32,
    /// Participation in whole percent.
    pub rate: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestView {
    pub title: String,
    pub members: Vec<ContestMember>,
    pub branches: Vec<ContestBranch>,
}

/// A special quiz in the administrators' list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecialAdminView {
    pub scopes: Vec<crate::study::api::ScopeOption>,
    pub bank_size: i64,
}

/// The quiz page: today's and this week's quiz, special quizzes, the wrong-answer book.
#[server(endpoint = "quiz_home")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn quiz_home() -> Result<QuizHomeView, AppError> {
    use super::store;
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let now = chrono::Utc::now();
    let [day, week, ..] = crate::points::model::period_keys(now);
    let score =
        |a: Option<store::Attempt>| a.and_then(|a| a.correct.map(|c| format!("{c}/{}", a.total)));
    Ok(QuizHomeView {
        daily: score(store::find_attempt(&mut conn, actor.user_id, QuizKind::Daily, &day).await?),
        weekly: score(
            store::find_attempt(&mut conn, actor.user_id, QuizKind::Weekly, &week).await?,
        ),
        specials: store::specials_for(&mut conn, actor.user_id, now).await?,
        wrong: store::wrong_count(&mut conn, actor.user_id).await?,
    })
}

/// Starts (or reopens) a quiz: `daily`, `weekly`, `special` with its id, or `lesson`
/// with the micro-lesson's item id. A quiz already submitted comes back with its result.
/// A special quiz's one attempt begins only with `begin` (its 开始答题 button); without
/// it, a special quiz not yet begun comes back as its cover.
#[server(endpoint = "start_quiz")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(kind, set_id)))]
pub async fn start_quiz(
    kind: String,
    set_id: Option<i64>,
    begin: Option<bool>,
) -> Result<QuizView, AppError> {
    use super::model::{DAILY_QUESTIONS, REPEAT_WINDOW_DAYS, WEEKLY_QUESTIONS};
    use super::store;
    use crate::auth::session;
    use crate::error::Msg;
    use crate::i18n::use_t;
    let kind = QuizKind::parse(&kind).ok_or_else(|| AppError::BadRequest("kind".into()))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let u = actor.user_id;
    let now = chrono::Utc::now();
    let [day, week, ..] = crate::points::model::period_keys(now);
    let t = use_t();
    let (attempt, title) = match kind {
        QuizKind::Daily => {
            let a = match store::find_attempt(&mut tx, u, kind, &day).await? {
                Some(a) => a,
                None => {
                    let ids =
                        store::draw_for_member(&mut tx, u, DAILY_QUESTIONS, REPEAT_WINDOW_DAYS)
                            .await?;
                    if ids.is_empty() {
                        return Err(AppError::Conflict(Msg::QuestionsTooFew));
                    }
                    store::start_attempt(&mut tx, u, kind, &day, None, &ids, now, None).await?
                }
            };
            (a, t.quiz_daily.to_owned())
        }
        QuizKind::Weekly => {
            let monday = crate::time::week_start(crate::time::day_of(now));
            let opens =
                crate::time::start_of(monday).ok_or_else(|| AppError::internal("week start"))?;
            let title = format!("{} {}", t.quiz_weekly, monday.format("%Y-%m-%d"));
            let a = match store::find_attempt(&mut tx, u, kind, &week).await? {
                Some(a) => a,
                None => {
                    let Some((set_id, ids)) = store::weekly_set(
                        &mut tx,
                        &week,
                        &title,
                        opens,
                        opens + chrono::Duration::days(7),
                        WEEKLY_QUESTIONS,
                    )
                    .await?
                    else {
                        return Err(AppError::Conflict(Msg::QuestionsTooFew));
                    };
                    let closes = opens + chrono::Duration::days(7);
                    store::start_attempt(
                        &mut tx,
                        u,
                        kind,
                        &week,
                        Some(set_id),
                        &ids,
                        now,
                        Some(closes),
                    )
                    .await?
                }
            };
            (a, title)
        }
        QuizKind::Lesson => {
            let item_id = set_id.ok_or_else(|| AppError::BadRequest("set_id".into()))?;
            let item = crate::study::store::visible_item(&mut tx, u, item_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let key = item.id.to_string();
            let a = match store::find_attempt(&mut tx, u, kind, &key).await? {
                Some(a) => a,
                None => {
                    let ids = crate::study::store::lesson_questions(&mut tx, item.id).await?;
                    if ids.is_empty() {
                        return Err(AppError::NotFound);
                    }
                    store::start_attempt(&mut tx, u, kind, &key, None, &ids, now, None).await?
                }
            };
            (a, format!("{} · {}", t.lesson_quiz, item.title))
        }
        QuizKind::Special => {
            let set_id = set_id.ok_or_else(|| AppError::BadRequest("set_id".into()))?;
            let set = store::visible_special(&mut tx, u, set_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let key = set.id.to_string();
            let a = match store::find_attempt(&mut tx, u, kind, &key).await? {
                Some(a) => a,
                None => {
                    if now < set.opens_at || now >= set.closes_at {
                        return Err(AppError::Conflict(Msg::QuizNotOpen));
                    }
                    if begin != Some(true) {
                        let view = QuizView {
                            attempt_id: 0,
                            kind,
                            title: set.title,
                            questions: vec![],
                            seconds_left: None,
                            result: None,
                            cover: Some(QuizCover {
                                set_id: set.id,
                                questions: set.question_ids.len() as u32,
                                minutes: set.time_limit_secs.map(|s| (s as u32).div_ceil(60)),
                                closes: crate::time::local_minute(set.closes_at),
                            }),
                        };
                        return Ok(view);
                    }
                    let deadline = set
                        .time_limit_secs
                        .map(|s| (now + chrono::Duration::seconds(s.into())).min(set.closes_at));
                    store::start_attempt(
                        &mut tx,
                        u,
                        kind,
                        &key,
                        Some(set.id),
                        &set.question_ids,
                        now,
                        deadline,
                    )
                    .await?
                }
            };
            (a, set.title)
        }
    };
    let view = store::quiz_view(&mut tx, attempt, title, now).await?;
    tx.commit().await?;
    Ok(view)
}

/// Submits an answer sheet: `answers` is `"question:option,..."`. Graded on the server;
/// a second submit, a late one, or a pick outside the quiz changes nothing.
#[server(endpoint = "submit_quiz")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(attempt_id)))]
pub async fn submit_quiz(attempt_id: i64, answers: String) -> Result<ResultView, AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let picks = super::model::parse_picks(&answers)
        .ok_or_else(|| AppError::invalid("", Msg::PickNotInQuiz))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let g = super::store::submit(
        &mut tx,
        attempt_id,
        actor.user_id,
        &picks,
        chrono::Utc::now(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        attempt_id,
        correct = g.correct,
        points = g.points,
        "quiz submitted"
    );
    Ok(ResultView {
        correct: g.correct,
        total: g.total,
        points: g.points,
        items: g.items,
    })
}

/// The member's open wrong answers (without their answers: they are for retrying).
#[server(endpoint = "wrong_book")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn wrong_book() -> Result<Vec<WrongView>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    Ok(super::store::wrong_book(&mut conn, actor.user_id)
        .await?
        .into_iter()
        .map(|(q, times_wrong)| WrongView {
            question: q.unanswered(),
            times_wrong,
        })
        .collect())
}

/// Retries a question of the wrong-answer book; a right answer clears it.
#[server(endpoint = "retry_wrong")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(question_id)))]
pub async fn retry_wrong(question_id: i64, answers: String) -> Result<ReviewItem, AppError> {
    use crate::auth::session;
    use crate::error::Msg;
    let picks = super::model::parse_picks(&answers)
        .ok_or_else(|| AppError::invalid("", Msg::PickNotInQuiz))?;
    if picks.iter().any(|(q, _)| *q != question_id) {
        return Err(AppError::invalid("", Msg::PickNotInQuiz));
    }
    let chosen = super::model::chosen_for(&picks, question_id);
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let item = super::store::retry_wrong(
        &mut tx,
        actor.user_id,
        question_id,
        &chosen,
        chrono::Utc::now(),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(item)
}

/// A knowledge contest's boards, for those who may take it or who manage its scope.
#[server(endpoint = "contest_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(set_id)))]
pub async fn contest_board(set_id: i64) -> Result<ContestView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let set = match super::store::visible_special(&mut conn, actor.user_id, set_id).await? {
        Some(s) => s,
        None => {
            let s = super::store::special(&mut conn, set_id)
                .await?
                .ok_or(AppError::NotFound)?;
            session::require_scope(&mut conn, &actor, s.scope_org_id)
                .await
                .map_err(|_| AppError::NotFound)?;
            s
        }
    };
    if !set.contest {
        return Err(AppError::NotFound);
    }
    Ok(ContestView {
        members: super::store::contest_members(
            &mut conn,
            set.id,
            100,
            actor.user_id,
            crate::i18n::use_t().anonymous_member,
        )
        .await?,
        branches: super::store::contest_branches(&mut conn, &set).await?,
        title: set.title,
    })
}

/// The question bank, 20 to a page: for platform administrators.
#[server(endpoint = "question_bank")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn question_bank(q: String, page: i64) -> Result<BankView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let q: String = q.trim().chars().take(40).collect();
    let page = page.max(1);
    let (total, rows) = super::store::bank_page(&mut conn, &q, 20, (page - 1) * 20).await?;
    Ok(BankView {
        total,
        page,
        pages: (total + 19) / 20,
        rows,
    })
}

/// Imports an uploaded CSV or XLSX sheet into the bank: every row, or none and every bad
/// row reported.
#[server(endpoint = "import_questions")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn import_questions(upload: String) -> Result<ImportView, AppError> {
    use crate::auth::session;
    use crate::uploads::sheet;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let (file, rows) = sheet::read_upload(&mut tx, actor.user_id, &upload).await?;
    let parsed = match super::model::parse_sheet(&rows) {
        Ok(p) => p,
        Err(errors) => {
            return Ok(ImportView {
                imported: 0,
                errors,
            });
        }
    };
    let outcome =
        super::store::import_questions(&mut tx, &parsed, &file.file_name, actor.user_id).await?;
    match outcome {
        Ok(imported) => {
            tx.commit().await?;
            tracing::info!(imported, by = actor.user_id, "questions imported");
            Ok(ImportView {
                imported,
                errors: vec![],
            })
        }
        Err(errors) => Ok(ImportView {
            imported: 0,
            errors,
        }),
    }
}

/// What the special-quiz form needs: where the caller may publish, and the bank's size.
#[server(endpoint = "special_quiz_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn special_quiz_form() -> Result<SpecialAdminView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    if !actor.manages_anything() {
        return Err(AppError::Forbidden);
    }
    Ok(SpecialAdminView {
        scopes: crate::study::store::publish_scopes(&mut conn, &actor).await?,
        bank_size: super::store::bank_page(&mut conn, "", 0, 0).await?.0,
    })
}

pub use special::*;

/// One argument per form field; the browser build's generated call trips the argument
/// count lint, which an attribute on the function does not reach.
#[allow(clippy::too_many_arguments, reason = "one form field each")]
mod special {
    use leptos::prelude::*;

    use crate::error::AppError;

    /// Creates a special quiz (专项答题) for a scope the caller may publish to, from random
    /// questions of the bank (with a tag, when given).
    #[server(endpoint = "create_special_quiz")]
    #[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
    pub async fn create_special_quiz(
        title: String,
        tag: String,
        count: String,
        opens: String,
        closes: String,
        minutes: String,
        contest: Option<String>,
        scope: String,
    ) -> Result<i64, AppError> {
        use crate::auth::session;
        use crate::error::{FieldError, Msg, field_ok};
        use crate::quiz::model::{parse_question_count, parse_quiz_title, parse_time_limit};
        let scope = match scope.trim() {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| AppError::BadRequest("scope".into()))?,
            ),
        };
        let mut errors = Vec::new();
        let title = field_ok(&mut errors, "title", parse_quiz_title(&title));
        let count = field_ok(&mut errors, "count", parse_question_count(&count));
        let opens = field_ok(
            &mut errors,
            "opens",
            crate::time::parse_local_datetime(&opens),
        );
        let closes = field_ok(
            &mut errors,
            "closes",
            crate::time::parse_local_datetime(&closes),
        );
        let limit = field_ok(&mut errors, "minutes", parse_time_limit(&minutes));
        if let (Some(o), Some(c)) = (opens, closes)
            && c <= o
        {
            errors.push(FieldError::new("closes", Msg::WindowInvalid));
        }
        let tag: String = tag.trim().chars().take(16).collect();
        let mut tx = session::begin().await?;
        let actor = session::require_actor(&mut tx).await?;
        session::require_scope(&mut tx, &actor, scope).await?;
        AppError::check(errors)?;
        let (Some(title), Some(count), Some(opens), Some(closes), Some(limit)) =
            (title, count, opens, closes, limit)
        else {
            return Err(AppError::internal("checked fields missing"));
        };
        let id = crate::quiz::store::create_special(
            &mut tx,
            &crate::quiz::store::NewSpecial {
                title: &title,
                tag: &tag,
                count,
                opens_at: opens,
                closes_at: closes,
                time_limit_secs: limit,
                contest: contest.is_some(),
                scope_org_id: scope,
                by: actor.user_id,
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(set_id = id, by = actor.user_id, "special quiz created");
        leptos_axum::redirect("/study/quiz");
        Ok(id)
    }
}
