//! Quiz use cases, each in the caller's transaction or connection: the quiz page's figures,
//! starting a quiz, a contest's boards, importing a sheet into the bank, and special
//! quizzes. The one place in quizzes that sequences store calls or calls on study, uploads
//! and sessions; the server functions around it only say who asks and build the views.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{
    DAILY_QUESTIONS, QuizKind, QuizStart, REPEAT_WINDOW_DAYS, RowError, SpecialQuizFields,
    WEEKLY_QUESTIONS, attempt_deadline, weekly_window, window_open,
};
use super::store::{
    self, AnswerRow, Attempt, ContestBranchRow, ContestMemberRow, Question, SpecialCardRow,
    SpecialSet,
};
use crate::auth::model::Actor;
use crate::auth::session;
use crate::error::{AppError, Msg};
use crate::i18n::Strings;
use crate::ids::{ItemId, OrgId, UserId};

/// The quiz page's figures for a member.
pub struct Home {
    /// Today's daily quiz and this week's weekly quiz, when the member started them.
    pub daily: Option<Attempt>,
    pub weekly: Option<Attempt>,
    pub specials: Vec<SpecialCardRow>,
    /// Questions open in the wrong-answer book.
    pub wrong: i64,
}

/// The quiz page: today's and this week's attempts, the special quizzes the member may
/// take, and how many wrong answers wait for a retry.
pub async fn home(
    conn: &mut PgConnection,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Home, AppError> {
    let u = actor.user_id;
    let [day, week, ..] = crate::points::model::period_keys(now);
    Ok(Home {
        daily: store::find_attempt(conn, u, QuizKind::Daily, &day).await?,
        weekly: store::find_attempt(conn, u, QuizKind::Weekly, &week).await?,
        specials: store::specials_for(conn, u, now).await?,
        wrong: store::wrong_count(conn, u).await?,
    })
}

/// What starting a quiz gives.
pub enum Started {
    /// The member's attempt, new or reopened.
    Attempt(Opened),
    /// A special quiz not begun yet: what the member is about to start.
    Cover(SpecialSet),
}

/// An attempt with its title and what the quiz page shows of it.
pub struct Opened {
    pub attempt: Attempt,
    pub title: String,
    pub sheet: Sheet,
}

/// What an attempt shows.
pub enum Sheet {
    /// Not submitted yet: its questions, whose answers stay on the server.
    Questions(Vec<Question>),
    /// Submitted: each question with what was chosen, graded.
    Review(Vec<AnswerRow>),
}

/// Starts (or reopens) a quiz: the daily quiz drawn for the member, the weekly set shared by
/// everybody (made on first use, titled in `t`'s words), the questions after a micro-lesson
/// the member may study, or a special quiz while it is open. A special quiz's one attempt
/// begins only with `begin`; before that the answer is its cover.
pub async fn start(
    conn: &mut PgConnection,
    actor: &Actor,
    quiz: QuizStart,
    now: DateTime<Utc>,
    t: &Strings,
) -> Result<Started, AppError> {
    let u = actor.user_id;
    let set_id = || {
        quiz.set_id
            .ok_or_else(|| AppError::BadRequest("set_id".into()))
    };
    let (attempt, title) = match quiz.kind {
        QuizKind::Daily => (daily(conn, u, now).await?, t.quiz_daily.to_owned()),
        QuizKind::Weekly => weekly(conn, u, now, t).await?,
        QuizKind::Lesson => lesson(conn, u, ItemId(set_id()?), now, t).await?,
        QuizKind::Special => {
            let set = store::visible_special(conn, u, set_id()?)
                .await?
                .ok_or(AppError::NotFound)?;
            match special(conn, u, &set, quiz.begin, now).await? {
                Some(a) => (a, set.title),
                None => return Ok(Started::Cover(set)),
            }
        }
    };
    let sheet = if attempt.submitted_at.is_some() {
        Sheet::Review(store::review(conn, &attempt).await?)
    } else {
        Sheet::Questions(store::questions(conn, &attempt.question_ids).await?)
    };
    Ok(Started::Attempt(Opened {
        attempt,
        title,
        sheet,
    }))
}

/// Today's daily quiz: questions drawn for the member, avoiding those of the last days.
async fn daily(
    conn: &mut PgConnection,
    u: UserId,
    now: DateTime<Utc>,
) -> Result<Attempt, AppError> {
    let [day, ..] = crate::points::model::period_keys(now);
    if let Some(a) = store::find_attempt(conn, u, QuizKind::Daily, &day).await? {
        return Ok(a);
    }
    let ids = store::draw_for_member(conn, u, DAILY_QUESTIONS, REPEAT_WINDOW_DAYS).await?;
    if ids.is_empty() {
        return Err(AppError::Conflict(Msg::QuestionsTooFew));
    }
    store::start_attempt(conn, u, QuizKind::Daily, &day, None, &ids, now, None).await
}

/// This week's quiz and its title: one set for everybody, open until the week ends.
async fn weekly(
    conn: &mut PgConnection,
    u: UserId,
    now: DateTime<Utc>,
    t: &Strings,
) -> Result<(Attempt, String), AppError> {
    let [_, week, ..] = crate::points::model::period_keys(now);
    let (monday, opens, closes) =
        weekly_window(now).ok_or_else(|| AppError::internal("week start"))?;
    let title = format!("{} {}", t.quiz_weekly, monday.format("%Y-%m-%d"));
    if let Some(a) = store::find_attempt(conn, u, QuizKind::Weekly, &week).await? {
        return Ok((a, title));
    }
    let n = WEEKLY_QUESTIONS;
    let Some((set_id, ids)) = store::weekly_set(conn, &week, &title, opens, closes, n).await?
    else {
        return Err(AppError::Conflict(Msg::QuestionsTooFew));
    };
    let a = store::start_attempt(
        conn,
        u,
        QuizKind::Weekly,
        &week,
        Some(set_id),
        &ids,
        now,
        Some(closes),
    )
    .await?;
    Ok((a, title))
}

/// The questions after a micro-lesson the member may study, and their title; an item
/// without questions has no quiz.
async fn lesson(
    conn: &mut PgConnection,
    u: UserId,
    item_id: ItemId,
    now: DateTime<Utc>,
    t: &Strings,
) -> Result<(Attempt, String), AppError> {
    let item = crate::study::store::visible_item(conn, u, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = format!("{} · {}", t.lesson_quiz, item.title);
    let key = item.id.to_string();
    if let Some(a) = store::find_attempt(conn, u, QuizKind::Lesson, &key).await? {
        return Ok((a, title));
    }
    let ids = crate::study::store::lesson_questions(conn, item.id).await?;
    if ids.is_empty() {
        return Err(AppError::NotFound);
    }
    let a = store::start_attempt(conn, u, QuizKind::Lesson, &key, None, &ids, now, None).await?;
    Ok((a, title))
}

/// The member's attempt at a special quiz: the one they have, else a new one while the quiz
/// is open and they pressed 开始答题 (`begin`); `None` while they have not.
async fn special(
    conn: &mut PgConnection,
    u: UserId,
    set: &SpecialSet,
    begin: bool,
    now: DateTime<Utc>,
) -> Result<Option<Attempt>, AppError> {
    let key = set.id.to_string();
    if let Some(a) = store::find_attempt(conn, u, QuizKind::Special, &key).await? {
        return Ok(Some(a));
    }
    if !window_open(set.opens_at, set.closes_at, now) {
        return Err(AppError::Conflict(Msg::QuizNotOpen));
    }
    if !begin {
        return Ok(None);
    }
    let deadline = attempt_deadline(now, set.time_limit_secs, set.closes_at);
    let ids = &set.question_ids;
    let a = store::start_attempt(
        conn,
        u,
        QuizKind::Special,
        &key,
        Some(set.id),
        ids,
        now,
        deadline,
    )
    .await?;
    Ok(Some(a))
}

/// A knowledge contest and its boards.
pub struct Board {
    pub set: SpecialSet,
    /// The first hundred members by score, then by time taken.
    pub members: Vec<ContestMemberRow>,
    pub branches: Vec<ContestBranchRow>,
}

/// A contest's boards, for those who may take it or who manage its scope; to anyone else,
/// and for a special quiz that is no contest, there is no such board.
pub async fn contest_board(
    conn: &mut PgConnection,
    actor: &Actor,
    set_id: i64,
) -> Result<Board, AppError> {
    let set = match store::visible_special(conn, actor.user_id, set_id).await? {
        Some(s) => s,
        None => {
            let s = store::special(conn, set_id)
                .await?
                .ok_or(AppError::NotFound)?;
            // Not `Forbidden`: that would tell an outsider the quiz exists.
            session::require_scope(conn, actor, s.scope_org_id)
                .await
                .map_err(|_| AppError::NotFound)?;
            s
        }
    };
    if !set.contest {
        return Err(AppError::NotFound);
    }
    let members = store::contest_members(conn, set.id, 100, actor.user_id).await?;
    let branches = store::contest_branches(conn, &set).await?;
    Ok(Board {
        set,
        members,
        branches,
    })
}

/// Imports an uploaded sheet into the bank, for platform administrators: every row, or none
/// and every bad row. The caller commits only when every row went in (the store may have
/// written some before it found a stem already in the bank).
pub async fn import(
    conn: &mut PgConnection,
    actor: &Actor,
    upload: &str,
) -> Result<Result<usize, Vec<RowError>>, AppError> {
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let (file, rows) = crate::uploads::sheet::read_upload(conn, actor.user_id, upload).await?;
    let parsed = match super::model::parse_sheet(&rows) {
        Ok(p) => p,
        Err(errors) => return Ok(Err(errors)),
    };
    store::import_questions(conn, &parsed, &file.file_name, actor.user_id).await
}

/// What the special-quiz form offers.
pub struct SpecialForm {
    pub scopes: Vec<crate::study::flow::PublishScope>,
    pub bank_size: i64,
}

/// The special-quiz form, for anyone who serves an organization: where they may publish,
/// and how many questions the bank holds.
pub async fn special_form(conn: &mut PgConnection, actor: &Actor) -> Result<SpecialForm, AppError> {
    if !actor.manages_anything() {
        return Err(AppError::Forbidden);
    }
    Ok(SpecialForm {
        scopes: crate::study::flow::publish_scopes(conn, actor).await?,
        bank_size: store::bank_page(conn, "", 0, 0).await?.0,
    })
}

/// Creates a special quiz for `scope` from random questions of the bank. The scope is
/// checked before the fields, so that someone who may not publish there learns nothing from
/// the form's messages.
pub async fn create_special(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: Option<OrgId>,
    form: &SpecialQuizFields,
) -> Result<i64, AppError> {
    session::require_scope(conn, actor, scope).await?;
    let q = form.parse().map_err(AppError::Invalid)?;
    store::create_special(
        conn,
        &store::NewSpecial {
            title: &q.title,
            tag: &q.tag,
            count: q.count,
            opens_at: q.opens_at,
            closes_at: q.closes_at,
            time_limit_secs: q.time_limit_secs,
            contest: q.contest,
            scope_org_id: scope,
            by: actor.user_id,
        },
    )
    .await
}
