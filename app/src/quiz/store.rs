//! SQL for the question bank, quiz attempts and grading, contests and the wrong-answer book.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Row};

use super::model::{
    NewQuestion, QuestionKind, QuizKind, RowError, chosen_for, in_time, is_right, units,
};
use crate::error::{AppError, Msg};
use crate::ids::{OrgId, UserId};
use crate::points::model::{PointSource, RuleCode};
use crate::points::store::{NewAward, Outcome, award};

/// A question with its answer: for grading on the server only.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: Vec<i16>,
    pub explanation: String,
}

impl Question {
    /// The question with what a member chose for it, graded.
    pub fn answered(self, chosen: Vec<i16>) -> AnswerRow {
        AnswerRow {
            correct: is_right(&self.answer, &chosen),
            question: self,
            chosen,
        }
    }
}

/// A question as answered in an attempt or a retry: what was chosen, and whether it was
/// right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    pub question: Question,
    pub chosen: Vec<i16>,
    pub correct: bool,
}

/// Adds a parsed sheet to the bank, all or nothing: a stem already in the bank is reported
/// by its row like any other problem. Returns how many were added.
pub async fn import_questions(
    conn: &mut PgConnection,
    rows: &[(u32, NewQuestion)],
    file_name: &str,
    by: UserId,
) -> Result<Result<usize, Vec<RowError>>, AppError> {
    let stems: Vec<&str> = rows.iter().map(|(_, q)| q.stem.as_str()).collect();
    let existing: Vec<String> = sqlx::query_scalar(
        "SELECT stem FROM questions WHERE active AND md5(stem) IN (SELECT md5(s) FROM unnest($1::text[]) AS s)",
    )
    .bind(&stems)
    .fetch_all(&mut *conn)
    .await?;
    let errors: Vec<RowError> = rows
        .iter()
        .filter(|(_, q)| existing.contains(&q.stem))
        .map(|(row, _)| RowError {
            row: *row,
            column: "题干".into(),
            msg: Msg::QuestionDuplicate,
        })
        .collect();
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let import_id: i64 = sqlx::query_scalar(
        "INSERT INTO question_imports (file_name, rows, by_user) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(file_name)
    .bind(rows.len() as i32)
    .bind(by)
    .fetch_one(&mut *conn)
    .await?;
    for (_, q) in rows {
        sqlx::query(
            "INSERT INTO questions (kind, stem, options, answer, explanation, tags, import_id, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(q.kind.as_str())
        .bind(&q.stem)
        .bind(&q.options)
        .bind(&q.answer)
        .bind(&q.explanation)
        .bind(&q.tags)
        .bind(import_id)
        .bind(by)
        .execute(&mut *conn)
        .await?;
    }
    Ok(Ok(rows.len()))
}

/// A question of the bank with its tags, for the administrators' list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankQuestionRow {
    pub question: Question,
    pub tags: Vec<String>,
}

/// A page of the bank, newest first, optionally matching `q` in the stem or a tag.
pub async fn bank_page(
    conn: &mut PgConnection,
    q: &str,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<BankQuestionRow>), AppError> {
    let pattern = format!("%{}%", q.replace(['%', '_'], ""));
    let total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM questions WHERE active AND ($1 = '%%' OR stem ILIKE $1 OR $2 = ANY (tags))",
    )
    .bind(&pattern)
    .bind(q)
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query(
        "SELECT id, kind, stem, options, answer, explanation, tags FROM questions
         WHERE active AND ($1 = '%%' OR stem ILIKE $1 OR $2 = ANY (tags))
         ORDER BY id DESC LIMIT $3 OFFSET $4",
    )
    .bind(&pattern)
    .bind(q)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    let rows = rows
        .iter()
        .map(|r| {
            Ok(BankQuestionRow {
                question: Question::from_row(r)?,
                tags: r.get("tags"),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok((total, rows))
}

/// Questions by id, in the order given.
pub async fn questions(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<Question>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, kind, stem, options, answer, explanation FROM questions
         WHERE id = ANY ($1) ORDER BY array_position($1, id)",
    )
    .bind(ids)
    .fetch_all(conn)
    .await?)
}

/// `n` questions for a member's daily quiz: those not given to them in the repeat window
/// first, in random order; repeats only when the bank runs out.
pub async fn draw_for_member(
    conn: &mut PgConnection,
    user_id: UserId,
    n: usize,
    window_days: i32,
) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT q.id FROM questions q
         WHERE q.active
         ORDER BY EXISTS (
                    SELECT 1 FROM quiz_attempts a
                    WHERE a.user_id = $1 AND a.started_at > now() - make_interval(days => $3)
                      AND q.id = ANY (a.question_ids)),
                  random()
         LIMIT $2",
    )
    .bind(user_id)
    .bind(n as i64)
    .bind(window_days)
    .fetch_all(conn)
    .await?)
}

/// An attempt as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Attempt {
    pub id: i64,
    pub user_id: UserId,
    pub kind: QuizKind,
    pub set_id: Option<i64>,
    pub question_ids: Vec<i64>,
    pub started_at: DateTime<Utc>,
    pub deadline_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub correct: Option<i32>,
    pub total: i32,
    pub points: Option<i32>,
}

const ATTEMPT_COLUMNS: &str = "id, user_id, kind, set_id, question_ids, started_at, deadline_at, submitted_at, correct, total, points";

/// The member's attempt at a quiz, if they started it.
pub async fn find_attempt(
    conn: &mut PgConnection,
    user_id: UserId,
    kind: QuizKind,
    quiz_key: &str,
) -> Result<Option<Attempt>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE user_id = $1 AND kind = $2 AND quiz_key = $3"
    ))
    .bind(user_id)
    .bind(kind.as_str())
    .bind(quiz_key)
    .fetch_optional(conn)
    .await?)
}

pub async fn attempt(conn: &mut PgConnection, id: i64) -> Result<Option<Attempt>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Starts an attempt, or returns the one a concurrent request started first.
#[expect(clippy::too_many_arguments, reason = "one column each")]
pub async fn start_attempt(
    conn: &mut PgConnection,
    user_id: UserId,
    kind: QuizKind,
    quiz_key: &str,
    set_id: Option<i64>,
    question_ids: &[i64],
    now: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
) -> Result<Attempt, AppError> {
    sqlx::query(
        "INSERT INTO quiz_attempts (user_id, kind, quiz_key, set_id, question_ids, started_at, deadline_at, total)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id, kind, quiz_key) DO NOTHING",
    )
    .bind(user_id)
    .bind(kind.as_str())
    .bind(quiz_key)
    .bind(set_id)
    .bind(question_ids)
    .bind(now)
    .bind(deadline)
    .bind(question_ids.len() as i32)
    .execute(&mut *conn)
    .await?;
    find_attempt(conn, user_id, kind, quiz_key)
        .await?
        .ok_or_else(|| AppError::internal("attempt vanished"))
}

/// What grading gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    pub correct: u32,
    pub total: u32,
    pub points: i32,
    pub items: Vec<AnswerRow>,
}

/// Grades a submitted sheet in the caller's transaction: the attempt row is locked, so a
/// second submit (even a concurrent one) finds it submitted and changes nothing. Late
/// sheets and picks outside the quiz are refused before anything is written.
pub async fn submit(
    conn: &mut PgConnection,
    attempt_id: i64,
    user_id: UserId,
    picks: &[(i64, i16)],
    now: DateTime<Utc>,
) -> Result<Graded, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE id = $1 FOR UPDATE"
    ))
    .bind(attempt_id)
    .fetch_optional(&mut *conn)
    .await?;
    let a = match row.as_ref().map(Attempt::from_row).transpose()? {
        Some(a) if a.user_id == user_id => a,
        _ => return Err(AppError::NotFound),
    };
    if a.submitted_at.is_some() {
        return Err(AppError::Conflict(Msg::QuizSubmitted));
    }
    if !in_time(a.deadline_at.map(|d| d.timestamp()), now.timestamp()) {
        return Err(AppError::Conflict(Msg::QuizLate));
    }
    let qs = questions(conn, &a.question_ids).await?;
    let fits = picks.iter().all(|(q, o)| {
        qs.iter()
            .any(|x| x.id == *q && *o >= 0 && (*o as usize) < x.options.len())
    });
    if !fits {
        return Err(AppError::invalid("", Msg::PickNotInQuiz));
    }
    let items: Vec<AnswerRow> = qs
        .into_iter()
        .map(|q| {
            let chosen = chosen_for(picks, q.id);
            q.answered(chosen)
        })
        .collect();
    let correct = items.iter().filter(|i| i.correct).count() as u32;
    let total = items.len() as u32;
    for i in &items {
        sqlx::query(
            "INSERT INTO quiz_answers (attempt_id, question_id, chosen, correct) VALUES ($1, $2, $3, $4)",
        )
        .bind(a.id)
        .bind(i.question.id)
        .bind(&i.chosen)
        .bind(i.correct)
        .execute(&mut *conn)
        .await?;
    }
    let wrong: Vec<i64> = items
        .iter()
        .filter(|i| !i.correct)
        .map(|i| i.question.id)
        .collect();
    note_wrong(conn, user_id, &wrong, now).await?;
    let points = award_for(conn, &a, correct, total, now).await?;
    sqlx::query(
        "UPDATE quiz_attempts SET submitted_at = $2, correct = $3, points = $4 WHERE id = $1",
    )
    .bind(a.id)
    .bind(now)
    .bind(correct as i32)
    .bind(points)
    .execute(conn)
    .await?;
    Ok(Graded {
        correct,
        total,
        points,
        items,
    })
}

async fn award_for(
    conn: &mut PgConnection,
    a: &Attempt,
    correct: u32,
    total: u32,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let (rule, source_kind, source_id) = match a.kind {
        QuizKind::Daily => (
            RuleCode::DailyQuiz,
            PointSource::DailyQuiz,
            a.id.to_string(),
        ),
        QuizKind::Weekly => (
            RuleCode::WeeklyQuiz,
            PointSource::WeeklyQuiz,
            a.id.to_string(),
        ),
        // The special quiz's cap is per quiz: the source is the quiz itself.
        QuizKind::Special => (
            RuleCode::SpecialQuiz,
            PointSource::SpecialQuiz,
            a.set_id.unwrap_or_default().to_string(),
        ),
        QuizKind::Lesson => return Ok(0),
    };
    let units = units(a.kind, correct, total);
    if units <= 0 {
        return Ok(0);
    }
    let outcome = award(
        conn,
        &NewAward {
            user_id: a.user_id,
            rule,
            units,
            source_kind,
            source_id: &source_id,
            idempotency_key: &format!("quiz:{}", a.id),
            at: now,
        },
    )
    .await?;
    Ok(match outcome {
        Outcome::Awarded { points } => points,
        Outcome::Duplicate | Outcome::Capped | Outcome::NoRule => 0,
    })
}

/// Puts wrong answers in the wrong-answer book (again, if they had been cleared).
async fn note_wrong(
    conn: &mut PgConnection,
    user_id: UserId,
    question_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if question_ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO wrong_answers (user_id, question_id, last_wrong_at)
         SELECT $1, q, $3 FROM unnest($2::bigint[]) AS q
         ON CONFLICT (user_id, question_id) DO UPDATE
            SET times_wrong = wrong_answers.times_wrong + 1, last_wrong_at = $3, cleared_at = NULL",
    )
    .bind(user_id)
    .bind(question_ids)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The answers a submitted attempt gave, graded, in the attempt's order.
pub async fn review(conn: &mut PgConnection, a: &Attempt) -> Result<Vec<AnswerRow>, AppError> {
    let qs = questions(conn, &a.question_ids).await?;
    let rows = sqlx::query("SELECT question_id, chosen FROM quiz_answers WHERE attempt_id = $1")
        .bind(a.id)
        .fetch_all(conn)
        .await?;
    Ok(qs
        .into_iter()
        .map(|q| {
            let chosen = rows
                .iter()
                .find(|r| r.get::<i64, _>("question_id") == q.id)
                .map(|r| r.get::<Vec<i16>, _>("chosen"))
                .unwrap_or_default();
            q.answered(chosen)
        })
        .collect())
}

/// This week's shared set, made on first use from random questions of the bank; `None`
/// while the bank is empty.
pub async fn weekly_set(
    conn: &mut PgConnection,
    week_key: &str,
    title: &str,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    n: usize,
) -> Result<Option<(i64, Vec<i64>)>, AppError> {
    sqlx::query(
        "INSERT INTO quiz_sets (kind, title, week_key, question_ids, opens_at, closes_at)
         SELECT 'weekly', $2, $1, ids, $3, $4
         FROM (SELECT array(SELECT id FROM questions WHERE active ORDER BY random() LIMIT $5) AS ids) s
         WHERE cardinality(ids) > 0
         ON CONFLICT (week_key) DO NOTHING",
    )
    .bind(week_key)
    .bind(title)
    .bind(opens)
    .bind(closes)
    .bind(n as i64)
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query_as("SELECT id, question_ids FROM quiz_sets WHERE week_key = $1")
            .bind(week_key)
            .fetch_optional(conn)
            .await?,
    )
}

/// A special quiz as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SpecialSet {
    pub id: i64,
    pub title: String,
    pub question_ids: Vec<i64>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub time_limit_secs: Option<i32>,
    pub contest: bool,
    pub scope_org_id: Option<OrgId>,
}

/// Published to the platform, or to an organization above one of the member's branches.
const SET_VISIBLE: &str = "s.kind = 'special' AND (
        s.scope_org_id IS NULL OR EXISTS (
            SELECT 1 FROM memberships m
            JOIN orgs b ON b.id = m.org_id
            JOIN orgs o ON o.id = s.scope_org_id
            WHERE m.user_id = $1 AND m.ended_at IS NULL AND b.path <@ o.path))";

const SET_COLUMNS: &str = "s.id, s.title, s.question_ids, s.opens_at, s.closes_at, s.time_limit_secs, s.contest, s.scope_org_id";

/// A special quiz the member may take (else `None`, whatever the reason).
pub async fn visible_special(
    conn: &mut PgConnection,
    user_id: UserId,
    set_id: i64,
) -> Result<Option<SpecialSet>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SET_COLUMNS} FROM quiz_sets s WHERE s.id = $2 AND {SET_VISIBLE}"
    ))
    .bind(user_id)
    .bind(set_id)
    .fetch_optional(conn)
    .await?)
}

pub async fn special(conn: &mut PgConnection, set_id: i64) -> Result<Option<SpecialSet>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SET_COLUMNS} FROM quiz_sets s WHERE s.id = $1 AND s.kind = 'special'"
    ))
    .bind(set_id)
    .fetch_optional(conn)
    .await?)
}

/// A special quiz in the member's list: the set, its window in Asia/Shanghai minutes
/// (`MM-DD HH:MI`), and the member's attempt at it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SpecialCardRow {
    #[sqlx(flatten)]
    pub set: SpecialSet,
    pub opens: String,
    pub closes: String,
    /// The member submitted an attempt.
    pub done: bool,
    pub correct: Option<i32>,
    pub total: Option<i32>,
}

/// Special quizzes the member may see: open, coming, or closed in the last 30 days.
pub async fn specials_for(
    conn: &mut PgConnection,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<SpecialCardRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SET_COLUMNS},
                to_char(s.opens_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI') AS opens,
                to_char(s.closes_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI') AS closes,
                a.submitted_at IS NOT NULL AS done, a.correct, a.total
         FROM quiz_sets s
         LEFT JOIN quiz_attempts a ON a.set_id = s.id AND a.user_id = $1
         WHERE {SET_VISIBLE} AND s.closes_at > $2 - interval '30 days'
         ORDER BY (s.closes_at < $2), s.opens_at DESC LIMIT 20"
    ))
    .bind(user_id)
    .bind(now)
    .fetch_all(conn)
    .await?)
}

/// A new special quiz.
#[derive(Debug, Clone)]
pub struct NewSpecial<'a> {
    pub title: &'a str,
    pub tag: &'a str,
    pub count: i64,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub time_limit_secs: i32,
    pub contest: bool,
    pub scope_org_id: Option<OrgId>,
    pub by: UserId,
}

/// Creates a special quiz from `count` random questions (with `tag`, when given); refuses
/// when the bank has fewer.
pub async fn create_special(conn: &mut PgConnection, s: &NewSpecial<'_>) -> Result<i64, AppError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM questions WHERE active AND ($1 = '' OR $1 = ANY (tags)) ORDER BY random() LIMIT $2",
    )
    .bind(s.tag)
    .bind(s.count)
    .fetch_all(&mut *conn)
    .await?;
    if (ids.len() as i64) < s.count {
        return Err(AppError::invalid("count", Msg::QuestionsTooFew));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO quiz_sets (kind, title, question_ids, opens_at, closes_at, time_limit_secs, contest, scope_org_id, created_by)
         VALUES ('special', $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(s.title)
    .bind(&ids)
    .bind(s.opens_at)
    .bind(s.closes_at)
    .bind(s.time_limit_secs)
    .bind(s.contest)
    .bind(s.scope_org_id)
    .bind(s.by)
    .fetch_one(conn)
    .await?)
}

/// A member on a contest's board, with what the board's privacy rule needs: whether they
/// rank anonymously and whether they share a branch with the viewer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ContestMemberRow {
    pub rank: i64,
    pub user_id: UserId,
    pub display_name: String,
    pub rank_anonymous: bool,
    pub correct: Option<i32>,
    pub total: i32,
    /// Seconds from starting to submitting.
    pub secs: Option<i32>,
    /// The member's first current branch.
    pub branch: Option<String>,
    pub shares_branch: bool,
}

/// A contest's members by score, then by time taken; `viewer` is who is looking, for
/// `shares_branch`.
pub async fn contest_members(
    conn: &mut PgConnection,
    set_id: i64,
    limit: i64,
    viewer: UserId,
) -> Result<Vec<ContestMemberRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT rank() OVER (ORDER BY a.correct DESC, a.submitted_at - a.started_at) AS rank,
                u.id AS user_id, u.display_name, u.rank_anonymous, a.correct, a.total,
                extract(epoch FROM a.submitted_at - a.started_at)::int AS secs,
                (SELECT o.name FROM memberships m JOIN orgs o ON o.id = m.org_id
                 WHERE m.user_id = a.user_id AND m.ended_at IS NULL ORDER BY m.tree LIMIT 1) AS branch,
                EXISTS (SELECT 1 FROM memberships x JOIN memberships y ON y.org_id = x.org_id
                        WHERE x.user_id = a.user_id AND x.ended_at IS NULL
                          AND y.user_id = $3 AND y.ended_at IS NULL) AS shares_branch
         FROM quiz_attempts a JOIN users u ON u.id = a.user_id
         WHERE a.set_id = $1 AND a.kind = 'special' AND a.submitted_at IS NOT NULL
         ORDER BY rank, u.id LIMIT $2",
    )
    .bind(set_id)
    .bind(limit)
    .bind(viewer)
    .fetch_all(conn)
    .await?)
}

/// A branch on a contest's board: its current members, and how many of them submitted.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ContestBranchRow {
    pub name: String,
    pub members: i64,
    pub took: i64,
}

/// A contest's branches (under its scope, or all) by participation: members who submitted
/// over current members.
pub async fn contest_branches(
    conn: &mut PgConnection,
    set: &SpecialSet,
) -> Result<Vec<ContestBranchRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.name, count(DISTINCT m.user_id) AS members, count(DISTINCT a.user_id) AS took
         FROM orgs b
         JOIN memberships m ON m.org_id = b.id AND m.ended_at IS NULL
         LEFT JOIN quiz_attempts a ON a.user_id = m.user_id AND a.set_id = $1 AND a.submitted_at IS NOT NULL
         WHERE b.kind IN ('branch', 'joint_branch')
           AND ($2::bigint IS NULL OR b.path <@ (SELECT path FROM orgs WHERE id = $2))
         GROUP BY b.id, b.name
         ORDER BY count(DISTINCT a.user_id)::float / count(DISTINCT m.user_id) DESC, b.name
         LIMIT 100",
    )
    .bind(set.id)
    .bind(set.scope_org_id)
    .fetch_all(conn)
    .await?)
}

/// The member's open wrong answers, most recent first.
pub async fn wrong_book(
    conn: &mut PgConnection,
    user_id: UserId,
) -> Result<Vec<(Question, i32)>, AppError> {
    let rows = sqlx::query(
        "SELECT q.id, q.kind, q.stem, q.options, q.answer, q.explanation, w.times_wrong
         FROM wrong_answers w JOIN questions q ON q.id = w.question_id
         WHERE w.user_id = $1 AND w.cleared_at IS NULL
         ORDER BY w.last_wrong_at DESC LIMIT 200",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((Question::from_row(r)?, r.get("times_wrong"))))
        .collect()
}

/// A retry from the wrong-answer book: right clears it, wrong counts once more. `None`
/// when the question is not in the member's open book.
pub async fn retry_wrong(
    conn: &mut PgConnection,
    user_id: UserId,
    question_id: i64,
    chosen: &[i16],
    now: DateTime<Utc>,
) -> Result<Option<AnswerRow>, AppError> {
    let open: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM wrong_answers WHERE user_id = $1 AND question_id = $2 AND cleared_at IS NULL)",
    )
    .bind(user_id)
    .bind(question_id)
    .fetch_one(&mut *conn)
    .await?;
    if !open {
        return Ok(None);
    }
    let Some(q) = questions(conn, &[question_id]).await?.pop() else {
        return Ok(None);
    };
    if chosen
        .iter()
        .any(|o| *o < 0 || *o as usize >= q.options.len())
    {
        return Err(AppError::invalid("", Msg::PickNotInQuiz));
    }
    let item = q.answered(chosen.to_vec());
    if item.correct {
        sqlx::query(
            "UPDATE wrong_answers SET cleared_at = $3 WHERE user_id = $1 AND question_id = $2",
        )
        .bind(user_id)
        .bind(question_id)
        .bind(now)
        .execute(conn)
        .await?;
    } else {
        note_wrong(conn, user_id, &[question_id], now).await?;
    }
    Ok(Some(item))
}

/// Open wrong answers, for the quiz page's link.
pub async fn wrong_count(conn: &mut PgConnection, user_id: UserId) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM wrong_answers WHERE user_id = $1 AND cleared_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await?)
}
