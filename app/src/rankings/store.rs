//! SQL for the boards: members of a scope ranked by their running totals, "my rank" with
//! its neighbours, and the branches under an organization with their period figures.

use sqlx::{PgConnection, Row, postgres::PgRow};

use super::api::BoardRow;
use super::model::{ChartView, Figures, ScopeChoice};
use crate::error::AppError;
use crate::orgs::model::OrgPath;

/// The members of a scope (everyone with a current membership under `path`, or on the
/// platform when `None`), ranked by points in a period: competition rank for display,
/// a row number for paging and neighbours. Whether the viewer shares a branch with each
/// member decides whether an anonymous member's name shows.
const BOARD: &str = "WITH members AS (
        SELECT DISTINCT m.user_id FROM memberships m JOIN orgs b ON b.id = m.org_id
        WHERE m.ended_at IS NULL AND ($1::ltree IS NULL OR b.path <@ $1::ltree)),
    board AS (
        SELECT mb.user_id, COALESCE(t.points, 0) AS points,
               rank() OVER (ORDER BY COALESCE(t.points, 0) DESC) AS rank,
               row_number() OVER (ORDER BY COALESCE(t.points, 0) DESC, mb.user_id) AS rn
        FROM members mb LEFT JOIN point_totals t ON t.user_id = mb.user_id AND t.period = $2)";

const BOARD_COLUMNS: &str = "b.user_id, b.points, b.rank, b.rn, u.display_name, u.rank_anonymous,
        EXISTS (SELECT 1 FROM memberships x JOIN memberships y ON y.org_id = x.org_id
                WHERE x.user_id = b.user_id AND x.ended_at IS NULL
                  AND y.user_id = $3 AND y.ended_at IS NULL) AS shares_branch";

fn board_row(r: &PgRow, viewer: i64, anonymous: &str) -> BoardRow {
    let user_id: i64 = r.get("user_id");
    let hidden = user_id != viewer
        && r.get::<bool, _>("rank_anonymous")
        && !r.get::<bool, _>("shares_branch");
    BoardRow {
        rank: r.get::<i64, _>("rank") as u32,
        name: if hidden {
            anonymous.to_owned()
        } else {
            r.get("display_name")
        },
        points: r.get("points"),
        me: user_id == viewer,
    }
}

/// A page of a member board, and how many members it has.
pub async fn board_page(
    conn: &mut PgConnection,
    scope: Option<&OrgPath>,
    period_key: &str,
    viewer: i64,
    offset: i64,
    limit: i64,
    anonymous: &str,
) -> Result<(i64, Vec<BoardRow>), AppError> {
    let path = scope.map(ToString::to_string);
    let rows = sqlx::query(&format!(
        "{BOARD}
         SELECT {BOARD_COLUMNS}, (SELECT count(*) FROM board) AS total
         FROM board b JOIN users u ON u.id = b.user_id
         WHERE b.rn > $4 AND b.rn <= $4 + $5
         ORDER BY b.rn"
    ))
    .bind(&path)
    .bind(period_key)
    .bind(viewer)
    .bind(offset)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let total = match rows.first() {
        Some(r) => r.get("total"),
        None => member_count(conn, scope).await?,
    };
    Ok((
        total,
        rows.iter()
            .map(|r| board_row(r, viewer, anonymous))
            .collect(),
    ))
}

async fn member_count(conn: &mut PgConnection, scope: Option<&OrgPath>) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT count(DISTINCT m.user_id) FROM memberships m JOIN orgs b ON b.id = m.org_id
         WHERE m.ended_at IS NULL AND ($1::ltree IS NULL OR b.path <@ $1::ltree)",
    )
    .bind(scope.map(ToString::to_string))
    .fetch_one(conn)
    .await?)
}

/// The viewer's place on a board with `n` neighbours above and below; empty when the
/// viewer is not a member of the scope.
pub async fn around_me(
    conn: &mut PgConnection,
    scope: Option<&OrgPath>,
    period_key: &str,
    viewer: i64,
    n: i64,
    anonymous: &str,
) -> Result<Vec<BoardRow>, AppError> {
    let rows = sqlx::query(&format!(
        "{BOARD}, me AS (SELECT rn FROM board WHERE user_id = $3)
         SELECT {BOARD_COLUMNS}
         FROM board b JOIN users u ON u.id = b.user_id, me
         WHERE b.rn BETWEEN me.rn - $4 AND me.rn + $4
         ORDER BY b.rn"
    ))
    .bind(scope.map(ToString::to_string))
    .bind(period_key)
    .bind(viewer)
    .bind(n)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| board_row(r, viewer, anonymous))
        .collect())
}

/// A member's wish to appear as 匿名成员 outside their branch.
pub async fn set_anonymous(
    conn: &mut PgConnection,
    user_id: i64,
    on: bool,
) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET rank_anonymous = $2 WHERE id = $1")
        .bind(user_id)
        .bind(on)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn anonymous(conn: &mut PgConnection, user_id: i64) -> Result<bool, AppError> {
    Ok(
        sqlx::query_scalar("SELECT rank_anonymous FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(conn)
            .await?,
    )
}

/// Every organization strictly under `root` with its own members, points, participants and
/// weekly points for the period.
pub async fn org_figures(
    conn: &mut PgConnection,
    root: &OrgPath,
    period_key: &str,
    week_keys: &[String],
) -> Result<Vec<Figures>, AppError> {
    let rows = sqlx::query(
        "SELECT o.id, o.parent_id, o.name,
                (SELECT count(*) FROM memberships m WHERE m.org_id = o.id AND m.ended_at IS NULL) AS members,
                COALESCE((SELECT points FROM branch_point_totals t WHERE t.org_id = o.id AND t.period = $2), 0)::bigint AS points,
                (SELECT count(*) FROM branch_participants p WHERE p.org_id = o.id AND p.period = $2) AS participants,
                ARRAY(SELECT COALESCE(t.points, 0)::bigint FROM unnest($3::text[]) WITH ORDINALITY AS w (key, i)
                      LEFT JOIN branch_point_totals t ON t.org_id = o.id AND t.period = w.key
                      ORDER BY w.i) AS weekly
         FROM orgs o
         WHERE o.path <@ $1::ltree AND o.path <> $1::ltree AND o.kind <> 'group'",
    )
    .bind(root.to_string())
    .bind(period_key)
    .bind(week_keys)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Figures {
            id: r.get("id"),
            parent_id: r.get("parent_id"),
            name: r.get("name"),
            members: r.get("members"),
            points: r.get("points"),
            participants: r.get("participants"),
            weekly: r.get("weekly"),
        })
        .collect())
}

/// The organizations whose boards a member may see: their branches and everything above
/// them, the Party tree first, nearest first.
pub async fn my_orgs(
    conn: &mut PgConnection,
    user_id: i64,
) -> Result<Vec<(i64, String, OrgPath)>, AppError> {
    let rows = sqlx::query(
        "SELECT DISTINCT o.id, o.name, o.path::text AS path, o.tree = 'league' AS league, nlevel(o.path) AS depth
         FROM memberships m JOIN orgs b ON b.id = m.org_id JOIN orgs o ON b.path <@ o.path
         WHERE m.user_id = $1 AND m.ended_at IS NULL
         ORDER BY league, depth DESC",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let path =
                OrgPath::parse(r.get("path")).ok_or_else(|| AppError::internal("bad org path"))?;
            Ok((r.get("id"), r.get("name"), path))
        })
        .collect()
}

/// The scopes a viewer may see, with their paths: their branches and every organization
/// above them, the organizations they serve, and the platform (no path), in that order.
pub async fn scope_choices(
    conn: &mut PgConnection,
    actor: &crate::auth::model::Actor,
) -> Result<Vec<(ScopeChoice, Option<OrgPath>)>, AppError> {
    let mut out = Vec::new();
    for (id, name, path) in my_orgs(conn, actor.user_id).await? {
        out.push((
            ScopeChoice {
                key: format!("org:{id}"),
                name,
            },
            Some(path),
        ));
    }
    for g in &actor.grants {
        if let Some(path) = &g.path
            && !out.iter().any(|(_, p)| p.as_ref() == Some(path))
            && let Some(org) = crate::orgs::store::org(conn, path.id()).await?
        {
            out.push((
                ScopeChoice {
                    key: format!("org:{}", org.id),
                    name: org.name,
                },
                Some(org.path),
            ));
        }
    }
    out.push((
        ScopeChoice {
            key: "platform".into(),
            name: String::new(),
        },
        None,
    ));
    Ok(out)
}

/// A member's points on each of the given day keys (0 where none).
pub async fn points_on(
    conn: &mut PgConnection,
    user_id: i64,
    keys: &[String],
) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(t.points, 0)::bigint FROM unnest($2::text[]) WITH ORDINALITY AS k (key, i)
         LEFT JOIN point_totals t ON t.user_id = $1 AND t.period = k.key ORDER BY k.i",
    )
    .bind(user_id)
    .bind(keys)
    .fetch_all(conn)
    .await?)
}

/// A member's points by rule since `from` (their own ledger rows of this month).
pub async fn points_by_rule(
    conn: &mut PgConnection,
    user_id: i64,
    from: chrono::NaiveDate,
) -> Result<Vec<(String, i64)>, AppError> {
    let rows = sqlx::query(
        "SELECT r.code, sum(l.points)::bigint AS points FROM point_ledger l JOIN point_rules r ON r.id = l.rule_id
         WHERE l.user_id = $1 AND l.day >= $2 GROUP BY r.code ORDER BY points DESC",
    )
    .bind(user_id)
    .bind(from)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get("code"), r.get("points")))
        .collect())
}

/// A branch's participants in each of the given week keys, and its current members.
pub async fn branch_weeks(
    conn: &mut PgConnection,
    org_id: i64,
    keys: &[String],
) -> Result<(Vec<i64>, i64), AppError> {
    let counts: Vec<i64> = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM branch_participants p WHERE p.org_id = $1 AND p.period = k.key)
         FROM unnest($2::text[]) WITH ORDINALITY AS k (key, i) ORDER BY k.i",
    )
    .bind(org_id)
    .bind(keys)
    .fetch_all(&mut *conn)
    .await?;
    let members: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM memberships WHERE org_id = $1 AND ended_at IS NULL",
    )
    .bind(org_id)
    .fetch_one(conn)
    .await?;
    Ok((counts, members))
}

/// The period points of each current member of a branch.
pub async fn member_points(
    conn: &mut PgConnection,
    org_id: i64,
    period_key: &str,
) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(t.points, 0)::bigint FROM memberships m
         LEFT JOIN point_totals t ON t.user_id = m.user_id AND t.period = $2
         WHERE m.org_id = $1 AND m.ended_at IS NULL",
    )
    .bind(org_id)
    .bind(period_key)
    .fetch_all(conn)
    .await?)
}

/// Whether an organization is a branch (members belong to it directly).
pub async fn is_branch(conn: &mut PgConnection, org_id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM orgs WHERE id = $1 AND kind IN ('branch', 'joint_branch'))",
    )
    .bind(org_id)
    .fetch_one(conn)
    .await?)
}

/// The member's charts: points a day over the last 30 days, and points by rule this month.
pub async fn my_charts(conn: &mut PgConnection, user_id: i64) -> Result<Vec<ChartView>, AppError> {
    use chrono::Datelike;
    let t = crate::i18n::use_t();
    let today = crate::points::model::day_of(chrono::Utc::now());
    let days: Vec<chrono::NaiveDate> = (0..30)
        .rev()
        .map(|n| today - chrono::Duration::days(n))
        .collect();
    let keys: Vec<String> = days.iter().map(|d| format!("d:{d}")).collect();
    let labels: Vec<String> = days.iter().map(|d| d.format("%m-%d").to_string()).collect();
    let daily = points_on(conn, user_id, &keys).await?;
    let month_start = today.with_day(1).unwrap_or(today);
    let by_rule = points_by_rule(conn, user_id, month_start).await?;
    let (rule_labels, rule_points): (Vec<String>, Vec<i64>) = by_rule
        .into_iter()
        .map(|(code, p)| {
            let label = crate::points::model::RuleCode::parse(&code)
                .map(|c| c.label(t).to_owned())
                .unwrap_or(code);
            (label, p)
        })
        .unzip();
    Ok(vec![
        super::charts::line(t.chart_my_days, t.points_col, &labels, &daily, false),
        super::charts::bars(t.chart_my_rules, t.points_col, &rule_labels, &rule_points),
    ])
}

/// A branch's charts: 参学率 over the last 12 weeks, and how its members' points this month
/// are spread.
pub async fn branch_charts(
    conn: &mut PgConnection,
    org_id: i64,
) -> Result<Vec<ChartView>, AppError> {
    use chrono::Datelike;
    let t = crate::i18n::use_t();
    let now = chrono::Utc::now();
    let monday = crate::points::model::week_start(crate::points::model::day_of(now));
    let weeks: Vec<chrono::NaiveDate> = (0..12)
        .rev()
        .map(|n| monday - chrono::Duration::days(7 * n))
        .collect();
    let keys: Vec<String> = weeks
        .iter()
        .map(|d| {
            let w = d.iso_week();
            format!("w:{}-W{:02}", w.year(), w.week())
        })
        .collect();
    let labels: Vec<String> = weeks
        .iter()
        .map(|d| d.format("%m-%d").to_string())
        .collect();
    let (counts, members) = branch_weeks(conn, org_id, &keys).await?;
    let rates: Vec<i64> = counts
        .iter()
        .map(|c| i64::from(super::model::participation(*c, members)))
        .collect();
    let month = super::model::Period::Month.key(now);
    let spread = super::model::distribution(&member_points(conn, org_id, &month).await?);
    let bucket_labels: Vec<String> = super::model::BUCKETS
        .iter()
        .map(|(_, l)| (*l).to_owned())
        .collect();
    Ok(vec![
        super::charts::line(t.chart_branch_weeks, t.participation, &labels, &rates, true),
        super::charts::bars(
            t.chart_branch_spread,
            t.members_col,
            &bucket_labels,
            &spread,
        ),
    ])
}

/// The organizations of a board side by side: points per member and 参学率.
pub fn orgs_chart(rows: &[super::model::OrgBoardRow]) -> ChartView {
    let t = crate::i18n::use_t();
    let labels: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let per_member: Vec<f64> = rows
        .iter()
        .map(|r| r.per_member.parse().unwrap_or(0.0))
        .collect();
    let rates: Vec<i64> = rows.iter().map(|r| i64::from(r.participation)).collect();
    super::charts::side_by_side(
        t.chart_orgs,
        (t.per_member, t.participation),
        &labels,
        &per_member,
        &rates,
    )
}

/// The weights of the rating components.
pub async fn rating_weights(
    conn: &mut PgConnection,
) -> Result<Vec<(super::model::Component, i32)>, AppError> {
    let rows = sqlx::query("SELECT component, weight FROM rating_weights")
        .fetch_all(conn)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            super::model::Component::parse(r.get("component")).map(|c| (c, r.get("weight")))
        })
        .collect())
}

/// A branch under a superior with its figures over a rating period's months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingInput {
    pub org_id: i64,
    pub founded_on: chrono::NaiveDate,
    pub members: i64,
    pub points: i64,
    pub participants: i64,
}

/// The branches under `superior` with their members, points and participants (distinct
/// members who studied in any of the months).
pub async fn rating_inputs(
    conn: &mut PgConnection,
    superior: &OrgPath,
    month_keys: &[String],
) -> Result<Vec<RatingInput>, AppError> {
    let rows = sqlx::query(
        "SELECT o.id, o.founded_on,
                (SELECT count(*) FROM memberships m WHERE m.org_id = o.id AND m.ended_at IS NULL) AS members,
                COALESCE((SELECT sum(points) FROM branch_point_totals t WHERE t.org_id = o.id AND t.period = ANY ($2)), 0)::bigint AS points,
                (SELECT count(DISTINCT p.user_id) FROM branch_participants p WHERE p.org_id = o.id AND p.period = ANY ($2)) AS participants
         FROM orgs o
         WHERE o.path <@ $1::ltree AND o.kind IN ('branch', 'joint_branch')",
    )
    .bind(superior.to_string())
    .bind(month_keys)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| RatingInput {
            org_id: r.get("id"),
            founded_on: r.get("founded_on"),
            members: r.get("members"),
            points: r.get("points"),
            participants: r.get("participants"),
        })
        .collect())
}

/// A computed rating, saved unless the branch's rating for the period is published.
pub struct NewRating<'a> {
    pub superior_id: i64,
    pub org_id: i64,
    pub period: &'a str,
    pub participation: u32,
    pub per_member: u32,
    pub score: u32,
    pub stars: u8,
}

pub async fn save_computed(
    conn: &mut PgConnection,
    r: &NewRating<'_>,
    by: i64,
) -> Result<(), AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO star_ratings (superior_id, org_id, period, participation, per_member, score, computed_stars, stars)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (org_id, period) DO UPDATE
            SET superior_id = $1, participation = $4, per_member = $5, score = $6, computed_stars = $7,
                stars = $7, status = 'computed', reason = '', computed_at = now()
            WHERE star_ratings.status <> 'published'
         RETURNING id",
    )
    .bind(r.superior_id)
    .bind(r.org_id)
    .bind(r.period)
    .bind(r.participation as i32)
    .bind(r.per_member as i32)
    .bind(r.score as i32)
    .bind(i32::from(r.stars))
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        history(conn, id, "computed", i32::from(r.stars), "", by).await?;
    }
    Ok(())
}

async fn history(
    conn: &mut PgConnection,
    rating_id: i64,
    action: &str,
    stars: i32,
    reason: &str,
    by: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO star_rating_history (rating_id, action, stars, reason, by_user) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(rating_id)
    .bind(action)
    .bind(stars)
    .bind(reason)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// The ratings under a superior for a period, best score first.
pub async fn ratings(
    conn: &mut PgConnection,
    superior_id: i64,
    period: &str,
) -> Result<Vec<super::api::RatingRow>, AppError> {
    let rows = sqlx::query(
        "SELECT r.id, o.name, r.participation, r.per_member, r.score, r.computed_stars, r.stars, r.status, r.reason
         FROM star_ratings r JOIN orgs o ON o.id = r.org_id
         WHERE r.superior_id = $1 AND r.period = $2 ORDER BY r.score DESC, o.name",
    )
    .bind(superior_id)
    .bind(period)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| super::api::RatingRow {
            id: r.get("id"),
            name: r.get("name"),
            participation: r.get::<Option<i32>, _>("participation").map(|v| v as u32),
            per_member: r.get::<Option<i32>, _>("per_member").map(|v| v as u32),
            score: r.get::<i32, _>("score") as u32,
            computed_stars: r.get::<i32, _>("computed_stars") as u8,
            stars: r.get::<i32, _>("stars") as u8,
            status: r.get("status"),
            reason: r.get("reason"),
        })
        .collect())
}

/// A rating's superior, status and computed stars, locked for a change.
pub async fn rating_for_update(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Option<(i64, String, u8)>, AppError> {
    let row = sqlx::query(
        "SELECT superior_id, status, computed_stars FROM star_ratings WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| {
        (
            r.get("superior_id"),
            r.get("status"),
            r.get::<i32, _>("computed_stars") as u8,
        )
    }))
}

/// Confirms a rating with the stars the superior settled on (an adjustment has a reason).
pub async fn confirm(
    conn: &mut PgConnection,
    id: i64,
    stars: u8,
    reason: &str,
    adjusted: bool,
    by: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE star_ratings SET stars = $2, reason = $3, status = 'confirmed' WHERE id = $1",
    )
    .bind(id)
    .bind(i32::from(stars))
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    let action = if adjusted { "adjusted" } else { "confirmed" };
    history(conn, id, action, i32::from(stars), reason, by).await
}

/// Publishes a superior's confirmed ratings of a period; `None` while some are unconfirmed.
pub async fn publish(
    conn: &mut PgConnection,
    superior_id: i64,
    period: &str,
    by: i64,
) -> Result<Option<u64>, AppError> {
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM star_ratings WHERE superior_id = $1 AND period = $2 AND status = 'computed'",
    )
    .bind(superior_id)
    .bind(period)
    .fetch_one(&mut *conn)
    .await?;
    if open > 0 {
        return Ok(None);
    }
    let ids: Vec<(i64, i32)> = sqlx::query_as(
        "UPDATE star_ratings SET status = 'published', published_at = now()
         WHERE superior_id = $1 AND period = $2 AND status = 'confirmed' RETURNING id, stars",
    )
    .bind(superior_id)
    .bind(period)
    .fetch_all(&mut *conn)
    .await?;
    for (id, stars) in &ids {
        history(conn, *id, "published", *stars, "", by).await?;
    }
    Ok(Some(ids.len() as u64))
}

/// How many branches got each number of stars.
pub fn stars_chart(rows: &[super::api::RatingRow]) -> ChartView {
    let t = crate::i18n::use_t();
    let levels = [5u8, 4, 3, 2, 0];
    let labels: Vec<String> = levels
        .iter()
        .map(|s| match s {
            0 => t.stars_rectify.to_owned(),
            n => t.stars_n.replace("{n}", &n.to_string()),
        })
        .collect();
    let counts: Vec<i64> = levels
        .iter()
        .map(|l| rows.iter().filter(|r| r.stars == *l).count() as i64)
        .collect();
    super::charts::bars(t.chart_stars, t.members_col_branches, &labels, &counts)
}
