//! Server functions for quizzes: the quiz page, starting and submitting quizzes (graded on
//! the server; answers reach the browser only after submitting), the wrong-answer book,
//! knowledge contest boards, and, for administrators, the question bank and special quizzes.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{QuestionKind, QuizKind, RowError, SpecialQuizFields};
use crate::error::AppError;

/// A question as the member sees it while answering: no answer, no explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: i64,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
}

/// What the browser may see before answering: no answer, no explanation.
#[cfg(feature = "ssr")]
impl From<super::store::Question> for QuestionView {
    fn from(q: super::store::Question) -> Self {
        Self {
            id: q.id,
            kind: q.kind,
            stem: q.stem,
            options: q.options,
        }
    }
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

#[cfg(feature = "ssr")]
impl From<super::store::AnswerRow> for ReviewItem {
    fn from(r: super::store::AnswerRow) -> Self {
        let super::store::Question {
            id,
            kind,
            stem,
            options,
            answer,
            explanation,
        } = r.question;
        Self {
            question: QuestionView {
                id,
                kind,
                stem,
                options,
            },
            chosen: r.chosen,
            answer,
            correct: r.correct,
            explanation,
        }
    }
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

#[cfg(feature = "ssr")]
impl QuizView {
    /// An attempt as the quiz page shows it: its questions (without answers) until it is
    /// submitted, then its result.
    fn of(o: super::flow::Opened, now: chrono::DateTime<chrono::Utc>) -> Self {
        use super::flow::Sheet;
        let a = o.attempt;
        let (questions, seconds_left, result) = match o.sheet {
            Sheet::Questions(qs) => (
                qs.into_iter().map(QuestionView::from).collect(),
                super::model::seconds_left(a.kind, a.deadline_at, now),
                None,
            ),
            Sheet::Review(items) => (
                vec![],
                None,
                Some(ResultView {
                    correct: a.correct.unwrap_or(0) as u32,
                    total: a.total as u32,
                    points: a.points.unwrap_or(0),
                    items: items.into_iter().map(ReviewItem::from).collect(),
                }),
            ),
        };
        Self {
            attempt_id: a.id,
            kind: a.kind,
            title: o.title,
            questions,
            seconds_left,
            result,
            cover: None,
        }
    }

    /// A special quiz not begun yet: what the member is about to start, no questions.
    fn cover(set: super::store::SpecialSet) -> Self {
        Self {
            attempt_id: 0,
            kind: QuizKind::Special,
            questions: vec![],
            seconds_left: None,
            result: None,
            cover: Some(QuizCover {
                set_id: set.id,
                questions: set.question_ids.len() as u32,
                minutes: set.time_limit_secs.map(|s| (s as u32).div_ceil(60)),
                closes: crate::time::local_minute(set.closes_at),
            }),
            title: set.title,
        }
    }
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

#[cfg(feature = "ssr")]
impl SpecialCard {
    /// The card as of `now`, which decides whether the quiz is open or closed.
    fn from_row(r: super::store::SpecialCardRow, now: chrono::DateTime<chrono::Utc>) -> Self {
        let s = r.set;
        Self {
            id: s.id,
            title: s.title,
            questions: s.question_ids.len() as u32,
            minutes: s.time_limit_secs.map(|t| (t / 60) as u32),
            opens: r.opens,
            closes: r.closes,
            open: super::model::window_open(s.opens_at, s.closes_at, now),
            closed: s.closes_at <= now,
            contest: s.contest,
            done: r.done,
            score: r.correct.map(|c| format!("{c}/{}", r.total.unwrap_or(0))),
        }
    }
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

#[cfg(feature = "ssr")]
impl From<super::store::BankQuestionRow> for BankRow {
    fn from(r: super::store::BankQuestionRow) -> Self {
        let q = r.question;
        Self {
            id: q.id,
            kind: q.kind,
            stem: q.stem,
            options: q.options,
            answer: q.answer,
            tags: r.tags,
        }
    }
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
    /// `None` for a member hidden from the viewer: the page shows 匿名成员 in the
    /// viewer's language.
    pub name: Option<String>,
    pub branch: String,
    pub correct: u32,
    pub total: u32,
    pub secs: u32,
}

#[cfg(feature = "ssr")]
impl ContestMember {
    /// The member as `viewer` sees them on the board: no name and no branch when hidden.
    fn from_row(r: super::store::ContestMemberRow, viewer: crate::ids::UserId) -> Self {
        let hidden =
            super::model::hidden_on_board(r.user_id, viewer, r.rank_anonymous, r.shares_branch);
        Self {
            rank: r.rank as u32,
            name: (!hidden).then_some(r.display_name),
            branch: if hidden {
                String::new()
            } else {
                r.branch.unwrap_or_default()
            },
            correct: r.correct.unwrap_or(0) as u32,
            total: r.total as u32,
            secs: r.secs.unwrap_or(0) as u32,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestBranch {
    pub name: String,
    pub members: u32,
    pub took: u32,
    /// Participation in whole percent.
    pub rate: u32,
}

#[cfg(feature = "ssr")]
impl From<super::store::ContestBranchRow> for ContestBranch {
    fn from(r: super::store::ContestBranchRow) -> Self {
        Self {
            name: r.name,
            members: r.members as u32,
            took: r.took as u32,
            rate: super::model::percent(r.took, r.members),
        }
    }
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
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let now = chrono::Utc::now();
    let home = super::flow::home(&mut conn, &actor, now).await?;
    let score = |a: Option<super::store::Attempt>| {
        a.and_then(|a| a.correct.map(|c| format!("{c}/{}", a.total)))
    };
    Ok(QuizHomeView {
        daily: score(home.daily),
        weekly: score(home.weekly),
        specials: home
            .specials
            .into_iter()
            .map(|r| SpecialCard::from_row(r, now))
            .collect(),
        wrong: home.wrong,
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
    use super::flow::Started;
    use crate::auth::session;
    // The reader's words, taken before the first wait.
    let t = crate::i18n::use_t();
    let kind = QuizKind::parse(&kind).ok_or_else(|| AppError::BadRequest("kind".into()))?;
    let quiz = super::model::QuizStart {
        kind,
        set_id,
        begin: begin == Some(true),
    };
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let now = chrono::Utc::now();
    let view = match super::flow::start(&mut tx, &actor, quiz, now, t).await? {
        Started::Attempt(opened) => QuizView::of(opened, now),
        Started::Cover(set) => QuizView::cover(set),
    };
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
        items: g.items.into_iter().map(ReviewItem::from).collect(),
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
            question: QuestionView::from(q),
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
    Ok(ReviewItem::from(item))
}

/// A knowledge contest's boards, for those who may take it or who manage its scope.
#[server(endpoint = "contest_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(set_id)))]
pub async fn contest_board(set_id: i64) -> Result<ContestView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let board = super::flow::contest_board(&mut conn, &actor, set_id).await?;
    Ok(ContestView {
        members: board
            .members
            .into_iter()
            .map(|r| ContestMember::from_row(r, actor.user_id))
            .collect(),
        branches: board
            .branches
            .into_iter()
            .map(ContestBranch::from)
            .collect(),
        title: board.set.title,
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
        rows: rows.into_iter().map(BankRow::from).collect(),
    })
}

/// Imports an uploaded CSV or XLSX sheet into the bank: every row, or none and every bad
/// row reported.
#[server(endpoint = "import_questions")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn import_questions(upload: String) -> Result<ImportView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    match super::flow::import(&mut tx, &actor, &upload).await? {
        Ok(imported) => {
            tx.commit().await?;
            tracing::info!(imported, by = actor.user_id.0, "questions imported");
            Ok(ImportView {
                imported,
                errors: vec![],
            })
        }
        // Nothing went in: the transaction is dropped, not committed.
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
    let form = super::flow::special_form(&mut conn, &actor).await?;
    Ok(SpecialAdminView {
        scopes: form.scopes.into_iter().map(Into::into).collect(),
        bank_size: form.bank_size,
    })
}

/// Creates a special quiz (专项答题) for a scope the caller may publish to, from random
/// questions of the bank (with a tag, when given).
#[server(endpoint = "create_special_quiz")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_special_quiz(
    #[server(flatten)] form: SpecialQuizFields,
) -> Result<i64, AppError> {
    use crate::auth::session;
    let scope = form
        .scope()
        .map_err(|_| AppError::BadRequest("scope".into()))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::create_special(&mut tx, &actor, scope, &form).await?;
    tx.commit().await?;
    tracing::info!(set_id = id, by = actor.user_id.0, "special quiz created");
    leptos_axum::redirect("/study/quiz");
    Ok(id)
}
