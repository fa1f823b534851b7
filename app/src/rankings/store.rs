//! SQL for the boards: members of a scope ranked by their running totals, "my rank" with
//! its neighbours, and the branches under an organization with their period figures.

use sqlx::{PgConnection, Row};

use super::model::{BoardRow, Figures, ScopeChoice};
use crate::auth::model::Claim;
use crate::error::AppError;
use crate::ids::{OrgId, UserId};
use crate::orgs::model::OrgPath;

/// A scope's members in board order: their copies of the period's running totals, and the
/// members without a total in the period at 0 points. Only for pages deep in the zero block,
/// where its sort is worth no more care.
const ORDERED: &str = "SELECT user_id, points FROM board_totals WHERE period = $1 AND scope_id = $2
    UNION ALL
    SELECT s.user_id, 0 FROM member_scopes s WHERE s.scope_id = $2
      AND NOT EXISTS (SELECT 1 FROM point_totals t WHERE t.user_id = s.user_id AND t.period = $1)";

/// A member on a board before their name is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Placed {
    user_id: UserId,
    points: i32,
}

/// Board order: more points first, then the lower user id.
fn board_order(a: &Placed, b: &Placed) -> std::cmp::Ordering {
    b.points.cmp(&a.points).then(a.user_id.cmp(&b.user_id))
}

/// A scope's key in the board tables: the organization's id, 0 for the platform.
fn scope_id(scope: Option<&OrgPath>) -> i64 {
    scope.map_or(0, |p| p.id().0)
}

/// Wraps a statement giving `(part, user_id, points)` rows with each member's name and
/// whether it is hidden from the viewer (`viewer`, a placeholder): a member who chose to be
/// anonymous and shares no branch with the viewer.
fn with_names(rows: &str, viewer: &str) -> String {
    format!(
        "SELECT r.part, r.user_id, r.points, u.display_name,
                u.rank_anonymous AND NOT EXISTS (
                    SELECT 1 FROM memberships x JOIN memberships y ON y.org_id = x.org_id
                    WHERE x.user_id = u.id AND x.ended_at IS NULL
                      AND y.user_id = {viewer} AND y.ended_at IS NULL) AS hidden
         FROM ({rows}) r JOIN users u ON u.id = r.user_id"
    )
}

/// A row of a board query: the part of the board it feeds, the member, their points, their
/// name and whether it is hidden from the viewer.
type NamedRow = (i32, UserId, i32, String, bool);

/// The board rows of placed members, with names from the rows that were read.
fn named(
    placed: &[Placed],
    ranks: &[u32],
    people: &std::collections::HashMap<UserId, (String, bool)>,
    viewer: UserId,
) -> Vec<BoardRow> {
    placed
        .iter()
        .zip(ranks)
        .map(|(p, rank)| {
            let (name, hidden) = people.get(&p.user_id).cloned().unwrap_or_default();
            let me = p.user_id == viewer;
            BoardRow {
                rank: *rank,
                name: (!hidden || me).then_some(name),
                points: p.points,
                me,
            }
        })
        .collect()
}

/// What a member board shows: how many members the scope has, a page of it, the viewer
/// and their neighbours (empty when the viewer is not in the scope), and the viewer's
/// privacy choice.
pub struct BoardParts {
    pub total: i64,
    pub rows: Vec<BoardRow>,
    pub mine: Vec<BoardRow>,
    pub anonymous: bool,
}

/// One index range of a scope's totals in a period, tagged with the part of the board it
/// feeds; `$3` is the viewer's points, `$4` the viewer, `$6` the page size, `$7` neighbours.
fn range(part: u8, cond: &str, order: &str, limit: &str) -> String {
    format!(
        "(SELECT {part} AS part, user_id, points FROM board_totals
          WHERE period = $1 AND scope_id = $2 AND {cond} AND (SELECT s FROM short)
          ORDER BY {order} LIMIT {limit})"
    )
}

/// Members of the scope looked at, at most, when searching for those without a total.
const SILENT_SCAN: i64 = 5_000;

/// Members of the scope without a total in the period (at 0 points) after or before a user
/// id, nearest first. The total is looked up per member, so the scan stops when enough are
/// found, and it looks at no more than `SILENT_SCAN` members: where such members are that
/// rare, a page or a neighbour list may leave out one of them (ranks stay exact, as they come
/// from the histogram).
fn silent(part: u8, cmp: &str, cursor: &str, dir: &str, limit: &str) -> String {
    format!(
        "(SELECT {part}, ms.user_id, 0 FROM (
              SELECT user_id FROM member_scopes
              WHERE scope_id = $2 AND user_id {cmp} {cursor} AND (SELECT s FROM short)
              ORDER BY user_id {dir} LIMIT {SILENT_SCAN}) ms
          WHERE (SELECT 1 FROM point_totals t WHERE t.user_id = ms.user_id AND t.period = $1) IS NULL
          ORDER BY ms.user_id {dir} LIMIT {limit})"
    )
}

/// What a member board needs to know first, in one row: the scope's size, whether the
/// viewer (`$3`) is in the scope (`$2`) and their points in the period (`$1`), their name and
/// privacy choice, and, for a scope larger than `$5` (what the first page holds; 0 past it)
/// and at most `$4` members, its histogram of points (a larger one's is kept).
const FACTS: &str = "
    SELECT $2::bigint AS scope_id, t.total, t.member, t.points, t.anonymous, t.viewer_name, h.at, h.n
    FROM (SELECT COALESCE((SELECT members FROM scope_member_counts WHERE scope_id = $2), 0)::bigint AS total,
                 EXISTS (SELECT 1 FROM member_scopes WHERE scope_id = $2 AND user_id = $3) AS member,
                 -- The member's own running total: the same figure as their copy in every
                 -- scope, found by its key.
                 COALESCE((SELECT points FROM point_totals WHERE user_id = $3 AND period = $1), 0) AS points,
                 COALESCE(u.rank_anonymous, false) AS anonymous, u.display_name AS viewer_name
          FROM (SELECT 1) one LEFT JOIN users u ON u.id = $3) t
    LEFT JOIN LATERAL (
        SELECT array_agg(points ORDER BY points DESC) AS at, array_agg(n ORDER BY points DESC) AS n
        FROM (SELECT points, count(*) AS n FROM board_totals
              WHERE period = $1 AND scope_id = $2 AND t.total > $5 AND t.total <= $4
              GROUP BY points) g) h ON true";

/// A member board's first facts (see [`FACTS`]), for one scope.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Facts {
    scope_id: i64,
    total: i64,
    member: bool,
    points: i32,
    anonymous: bool,
    viewer_name: Option<String>,
    at: Option<Vec<i32>>,
    n: Option<Vec<i64>>,
}

/// How many rows the first page shows (0 for a later page): a scope that fits on it needs
/// no histogram.
fn first_page(offset: i64, limit: i64) -> i64 {
    if offset == 0 { limit } else { 0 }
}

/// A member board in two round trips: the facts (the scope's size, the viewer's points and,
/// for a small scope, the histogram of points; a large scope's is kept for a few seconds),
/// unless the caller read them beside the viewer; then, for a scope that fits on the page,
/// all of it, else every index range the page and the neighbours need, with the names, in
/// one statement. A page deep in the zero block takes one more.
#[expect(
    clippy::too_many_arguments,
    reason = "the board query's parts: scope, period, viewer, page and neighbours"
)]
pub async fn member_board(
    conn: &mut PgConnection,
    scope: Option<&OrgPath>,
    period_key: &str,
    viewer: UserId,
    offset: i64,
    limit: i64,
    n: i64,
    facts: Option<Facts>,
) -> Result<BoardParts, AppError> {
    let sid = scope_id(scope);
    let facts = match facts {
        Some(f) if f.scope_id == sid => f,
        _ => {
            sqlx::query_as(&format!("SELECT f.* FROM ({FACTS}) f"))
                .bind(period_key)
                .bind(sid)
                .bind(viewer)
                .bind(LARGE_HISTOGRAM)
                .bind(first_page(offset, limit))
                .fetch_one(&mut *conn)
                .await?
        }
    };
    let (total, member, p) = (facts.total, facts.member, facts.points);
    if total <= first_page(offset, limit) {
        return whole_scope(conn, sid, period_key, viewer, limit, n, facts).await;
    }
    // How the scope spreads over points: the ranks, and whether anyone has no total at all
    // (when nobody is silent, their ranges are not read).
    let hist = if total <= LARGE_HISTOGRAM {
        let at = facts.at.clone().unwrap_or_default();
        let n = facts.n.clone().unwrap_or_default();
        std::sync::Arc::new(super::model::Histogram::new(
            at.into_iter().zip(n).collect(),
        ))
    } else {
        histogram(conn, scope, period_key, total).await?
    };
    let any_silent = total > hist.with_total;

    // The page: members with points from one range; the zero block (totals of 0, and
    // members without one) and those below zero only when the page reaches them.
    let mut parts = vec!["SELECT 0 AS part, user_id, points FROM p0".to_owned()];
    // Where the histogram has a page more above 0 than this page reaches (a kept one may be
    // a minute old), the page is all from the first range: the rest are not even planned.
    let page_full = hist.above(0) >= offset + 2 * limit;
    if !page_full {
        parts.push(range(1, "points = 0", "user_id", "$6"));
        parts.push(range(3, "points < 0", "points DESC, user_id", "$6"));
        if any_silent {
            parts.push(silent(2, ">", "0", "", "$6"));
        }
    }
    if member {
        let always = "(SELECT true AS s)";
        let mut around = vec![
            range(4, "points = $3 AND user_id < $4", "user_id DESC", "$7"),
            range(4, "points > $3", "points, user_id DESC", "$7"),
            range(5, "points = $3 AND user_id > $4", "user_id", "$7"),
            range(5, "points < $3", "points DESC, user_id", "$7"),
        ];
        match p.cmp(&0) {
            _ if !any_silent => {}
            std::cmp::Ordering::Equal => {
                around.push(silent(4, "<", "$4", "DESC", "$7"));
                around.push(silent(5, ">", "$4", "", "$7"));
            }
            std::cmp::Ordering::Less => around.push(silent(4, ">", "0", "DESC", "$7")),
            std::cmp::Ordering::Greater => around.push(silent(5, ">", "0", "", "$7")),
        }
        // The neighbours are wanted whatever the page holds.
        parts.extend(
            around
                .into_iter()
                .map(|q| q.replace("(SELECT s FROM short)", always)),
        );
    }
    let rows: Vec<NamedRow> = sqlx::query_as(&format!(
        "WITH p0 AS (SELECT user_id, points FROM board_totals
                     WHERE period = $1 AND scope_id = $2 AND points > 0
                     ORDER BY points DESC, user_id OFFSET $5 LIMIT $6),
              short AS (SELECT count(*) < $6 AS s FROM p0)
         {}",
        with_names(&parts.join("\n UNION ALL "), "$4")
    ))
    .bind(period_key)
    .bind(sid)
    .bind(p)
    .bind(viewer)
    .bind(offset)
    .bind(limit + 1)
    .bind(n)
    .fetch_all(&mut *conn)
    .await?;
    let of = |part: i32| -> Vec<Placed> {
        rows.iter()
            .filter(|r| r.0 == part)
            .map(|r| Placed {
                user_id: r.1,
                points: r.2,
            })
            .collect()
    };

    // Joined with the names, the rows come in no particular order.
    let mut page = of(0);
    page.sort_by(board_order);
    let mut deep_rows = Vec::new();
    if page.is_empty() && offset > 0 {
        // Deep in the zero block or below it: the whole order, sorted.
        let deep: Vec<NamedRow> = sqlx::query_as(&with_names(
            &format!(
                "SELECT 0 AS part, user_id, points FROM ({ORDERED}) m
                 ORDER BY points DESC, user_id OFFSET $3 LIMIT $4"
            ),
            "$5",
        ))
        .bind(period_key)
        .bind(sid)
        .bind(offset)
        .bind(limit)
        .bind(viewer)
        .fetch_all(&mut *conn)
        .await?;
        page = deep
            .iter()
            .map(|r| Placed {
                user_id: r.1,
                points: r.2,
            })
            .collect();
        page.sort_by(board_order);
        deep_rows = deep;
    } else if (page.len() as i64) < limit {
        let mut zero = of(1);
        zero.extend(of(2));
        zero.sort_by(board_order);
        page.extend(zero);
        page.extend(of(3));
    }
    page.truncate(limit as usize);

    let mut mine = Vec::new();
    if member {
        let mut above = of(4);
        above.sort_by(|a, b| board_order(b, a));
        above.truncate(n as usize);
        above.reverse();
        let mut below = of(5);
        below.sort_by(board_order);
        below.truncate(n as usize);
        mine = above;
        mine.push(Placed {
            user_id: viewer,
            points: p,
        });
        mine.extend(below);
    }

    let points: Vec<i32> = page.iter().map(|p| p.points).collect();
    let first = match points.first() {
        Some(p) if offset > 0 => hist.rank(total, *p),
        _ => 1,
    };
    let page_ranks = super::model::page_ranks(offset, first, &points);
    let mine_ranks: Vec<u32> = mine.iter().map(|r| hist.rank(total, r.points)).collect();
    let mut everyone = page.clone();
    everyone.extend(mine.iter().copied());
    let mut ranks = page_ranks;
    ranks.extend(mine_ranks);
    let mut people: std::collections::HashMap<UserId, (String, bool)> = rows
        .into_iter()
        .chain(deep_rows)
        .map(|r| (r.1, (r.3, r.4)))
        .collect();
    people.insert(viewer, (facts.viewer_name.unwrap_or_default(), false));
    let mut named_rows = named(&everyone, &ranks, &people, viewer);
    let mine_rows = named_rows.split_off(page.len());
    Ok(BoardParts {
        total,
        rows: named_rows,
        mine: mine_rows,
        anonymous: facts.anonymous,
    })
}

/// A board that fits on its first page (a branch): every member of the scope with their
/// total (0 without one) and name in one statement over the scope's two small ranges, ordered,
/// ranked and cut around the viewer here.
async fn whole_scope(
    conn: &mut PgConnection,
    sid: i64,
    period_key: &str,
    viewer: UserId,
    limit: i64,
    n: i64,
    facts: Facts,
) -> Result<BoardParts, AppError> {
    // One plan for every scope, made once per connection: both ranges are bounded by the page
    // size written into the statement, and each parameter is read through `(SELECT $n)`, so
    // the planner estimates every scope alike. With the values in sight it would estimate a
    // branch smaller than the average scope as cheaper than the shared plan, and plan each
    // request anew (0.55 ms of planning for 0.2 ms of work).
    let rows: Vec<NamedRow> = sqlx::query_as(&with_names(
        &format!(
            "SELECT 0 AS part, ms.user_id, COALESCE(b.points, 0) AS points
             FROM (SELECT user_id FROM member_scopes WHERE scope_id = (SELECT $2) LIMIT {limit}) ms
             LEFT JOIN (SELECT user_id, points FROM board_totals
                        WHERE period = (SELECT $1) AND scope_id = (SELECT $2) LIMIT {limit}) b
                    ON b.user_id = ms.user_id"
        ),
        "(SELECT $3)",
    ))
    .bind(period_key)
    .bind(sid)
    .bind(viewer)
    .fetch_all(&mut *conn)
    .await?;
    let mut all: Vec<Placed> = rows
        .iter()
        .map(|r| Placed {
            user_id: r.1,
            points: r.2,
        })
        .collect();
    all.sort_by(board_order);
    let points: Vec<i32> = all.iter().map(|p| p.points).collect();
    let ranks = super::model::page_ranks(0, 1, &points);
    let people: std::collections::HashMap<UserId, (String, bool)> =
        rows.into_iter().map(|r| (r.1, (r.3, r.4))).collect();
    let named_all = named(&all, &ranks, &people, viewer);
    let mine = match all.iter().position(|p| p.user_id == viewer) {
        Some(at) if facts.member => {
            named_all[super::model::neighbours(all.len(), at, n as usize)].to_vec()
        }
        _ => Vec::new(),
    };
    let mut rows = named_all;
    rows.truncate(limit as usize);
    Ok(BoardParts {
        total: facts.total,
        rows,
        mine,
        anonymous: facts.anonymous,
    })
}

async fn count_histogram(
    conn: &mut PgConnection,
    scope: i64,
    period_key: String,
) -> Result<super::model::Histogram, AppError> {
    let counts: Vec<(i32, i64)> = sqlx::query_as(
        "SELECT points, count(*) FROM board_totals WHERE period = $1 AND scope_id = $2
         GROUP BY points ORDER BY points DESC",
    )
    .bind(period_key)
    .bind(scope)
    .fetch_all(conn)
    .await?;
    Ok(super::model::Histogram::new(counts))
}

/// Scopes with more members than this keep their histogram (see `histogram`).
const LARGE_HISTOGRAM: i64 = 2_000;

static HISTOGRAMS: std::sync::LazyLock<super::figure_cache::Kept<super::model::Histogram>> =
    std::sync::LazyLock::new(|| super::figure_cache::Kept::new(std::time::Duration::from_secs(10)));

/// How a scope's `members` are spread over points in a period. Exact for scopes up to
/// 2,000 members; for larger ones (a company, a city, the platform) at least 10 seconds
/// old and, where counting takes long (the platform's), up to a minute: that moves others'
/// ranks by a little and never the viewer's own points, read live.
pub async fn histogram(
    conn: &mut PgConnection,
    scope: Option<&OrgPath>,
    period_key: &str,
    members: i64,
) -> Result<std::sync::Arc<super::model::Histogram>, AppError> {
    let (sid, key) = (scope_id(scope), period_key.to_owned());
    HISTOGRAMS
        .get(
            conn,
            format!("{key} {sid}"),
            members > LARGE_HISTOGRAM,
            Box::new(move |c| Box::pin(count_histogram(c, sid, key.clone()))),
        )
        .await
}

/// Counts and keeps the histograms of every large scope for the current periods, so that the
/// first visitors of a city's or the platform's board after a start do not wait for them.
pub async fn warm_histograms(conn: &mut PgConnection) -> Result<usize, AppError> {
    let scopes: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT scope_id, members::bigint FROM scope_member_counts WHERE members > $1
         ORDER BY members DESC",
    )
    .bind(LARGE_HISTOGRAM)
    .fetch_all(&mut *conn)
    .await?;
    let keys = crate::points::model::period_keys(chrono::Utc::now());
    let paths: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT s.id, o.path::text FROM unnest($1::bigint[]) AS s (id) LEFT JOIN orgs o ON o.id = s.id",
    )
    .bind(scopes.iter().map(|s| s.0).collect::<Vec<_>>())
    .fetch_all(&mut *conn)
    .await?;
    let mut n = 0;
    for ((_, members), (_, path)) in scopes.iter().zip(&paths) {
        let scope = path.as_deref().and_then(OrgPath::parse);
        for key in &keys {
            histogram(conn, scope.as_ref(), key, *members).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// Computes and keeps the organization boards of every large tree for each period, the
/// largest first, so that the first visitors after a start do not wait for them.
pub async fn warm_org_boards(conn: &mut PgConnection) -> Result<usize, AppError> {
    let roots: Vec<String> = sqlx::query_scalar(
        "SELECT o.path::text FROM scope_member_counts c JOIN orgs o ON o.id = c.scope_id
         WHERE c.members > $1 ORDER BY c.members DESC",
    )
    .bind(LARGE_ORG_BOARD)
    .fetch_all(&mut *conn)
    .await?;
    let now = chrono::Utc::now();
    let mut n = 0;
    for root in roots.iter().filter_map(|p| OrgPath::parse(p)) {
        for period in super::model::Period::ALL {
            let weeks = super::model::week_keys(period, now);
            org_board_rows(conn, &root, &period.key(now), &weeks).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// Drops the boards' copies of periods that have ended; what is left is today, this week,
/// month, year and all time.
pub async fn prune_board_totals(conn: &mut PgConnection) -> Result<u64, AppError> {
    Ok(sqlx::query(
        // The distinct periods by skipping through the index, then the ended ones.
        "WITH RECURSIVE p AS (
             SELECT min(period) AS period FROM board_totals
             UNION ALL
             SELECT (SELECT min(period) FROM board_totals WHERE period > p.period)
             FROM p WHERE p.period IS NOT NULL)
         DELETE FROM board_totals WHERE period IN (
             SELECT period FROM p WHERE period IS NOT NULL AND period <> ALL (board_periods()))",
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// A member's wish to appear as 匿名成员 outside their branch.
pub async fn set_anonymous(
    conn: &mut PgConnection,
    user_id: UserId,
    on: bool,
) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET rank_anonymous = $2 WHERE id = $1")
        .bind(user_id)
        .bind(on)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every organization strictly under `root` with its own members (mobile members counted
/// apart), points, participants and weekly points for the period.
pub async fn org_figures(
    conn: &mut PgConnection,
    root: &OrgPath,
    period_key: &str,
    week_keys: &[String],
) -> Result<Vec<Figures>, AppError> {
    let rows = sqlx::query(
        "SELECT o.id, o.parent_id, o.name,
                (SELECT count(*) FROM memberships m WHERE m.org_id = o.id AND m.ended_at IS NULL AND m.mobile_home IS NULL) AS members,
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

/// Organization boards of trees with more members than this are kept for half a minute.
const LARGE_ORG_BOARD: i64 = 1_000;

static ORG_BOARDS: std::sync::LazyLock<super::figure_cache::Kept<Vec<super::model::OrgBoardRow>>> =
    std::sync::LazyLock::new(|| super::figure_cache::Kept::new(std::time::Duration::from_secs(30)));

/// The organization board under `root` for a period: computed from every organization's
/// figures, and for a large tree (a city of 20,000 branches) kept for half a minute.
pub async fn org_board_rows(
    conn: &mut PgConnection,
    root: &OrgPath,
    period_key: &str,
    week_keys: &[String],
) -> Result<std::sync::Arc<Vec<super::model::OrgBoardRow>>, AppError> {
    let members: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT members FROM scope_member_counts WHERE scope_id = $1), 0)::bigint",
    )
    .bind(root.id())
    .fetch_one(&mut *conn)
    .await?;
    let (root, key, weeks) = (root.clone(), period_key.to_owned(), week_keys.to_vec());
    ORG_BOARDS
        .get(
            conn,
            format!("{key} {root}"),
            members > LARGE_ORG_BOARD,
            Box::new(move |c| {
                let (root, key, weeks) = (root.clone(), key.clone(), weeks.clone());
                Box::pin(async move {
                    let figures = org_figures(c, &root, &key, &weeks).await?;
                    Ok(super::model::org_board(root.id(), &figures))
                })
            }),
        )
        .await
}

/// The viewer's grants (one row of nulls for a user without any; none for no user), then
/// the scopes they count in, each row tagged `kind` 0 or 1; `user` is the placeholder of the
/// user's id. Ordered by [`VIEWER_ORDER`].
/// The viewer's rows for the claim in `user`, `sid` and `epoch`: none when its session is
/// no longer live.
fn viewer_sql(user: &str, sid: &str, epoch: &str) -> String {
    let live = crate::auth::store::live_session_sql(user, sid, epoch);
    format!(
        "SELECT 0 AS kind, g.role, o.id, o.name, o.path::text AS path, false AS league, 0 AS depth
         FROM users u LEFT JOIN role_grants g ON g.user_id = u.id LEFT JOIN orgs o ON o.id = g.org_id
         WHERE u.id = {user} AND {live}
         UNION ALL
         SELECT 1, NULL, o.id, o.name, o.path::text, o.tree = 'league', nlevel(o.path)
         FROM member_scopes s JOIN orgs o ON o.id = s.scope_id
         WHERE s.user_id = {user} AND {live}"
    )
}

/// Grants first, then the scopes: Party before League, the nearest (the branch) first.
const VIEWER_ORDER: &str = "ORDER BY kind, league, depth DESC";

/// The viewer and the scopes they may see, with their paths, in one round trip: their
/// branches and every organization above them, the organizations they serve, and the
/// platform (no path), in that order. `None` for an unknown user.
pub async fn viewer(conn: &mut PgConnection, claim: &Claim) -> Result<Option<Viewer>, AppError> {
    let rows = sqlx::query(&format!("{} {VIEWER_ORDER}", viewer_sql("$1", "$2", "$3")))
        .bind(claim.user_id)
        .bind(&claim.session_id)
        .bind(claim.epoch)
        .fetch_all(conn)
        .await?;
    Ok(viewer_of(claim.user_id, &rows))
}

/// The viewer, as [`viewer`], and in the same round trip the board facts of the scope they
/// asked for (`sid`), before it is known whether they may see it: the caller checks that
/// with the viewer's scopes and uses the facts only then.
pub async fn viewer_with_facts(
    conn: &mut PgConnection,
    claim: &Claim,
    sid: i64,
    period_key: &str,
    offset: i64,
    limit: i64,
) -> Result<Option<(Viewer, Facts)>, AppError> {
    let rows = sqlx::query(&format!(
        "WITH f AS ({FACTS}) SELECT v.*, f.* FROM ({}) v CROSS JOIN f {VIEWER_ORDER}",
        viewer_sql("$3", "$6", "$7")
    ))
    .bind(period_key)
    .bind(sid)
    .bind(claim.user_id)
    .bind(LARGE_HISTOGRAM)
    .bind(first_page(offset, limit))
    .bind(&claim.session_id)
    .bind(claim.epoch)
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let facts = <Facts as sqlx::FromRow<_>>::from_row(first)?;
    Ok(viewer_of(claim.user_id, &rows).map(|v| (v, facts)))
}

/// The viewer's roles, and the scopes they may choose with their paths.
pub type Viewer = (
    crate::auth::model::Actor,
    Vec<(ScopeChoice, Option<OrgPath>)>,
);

fn viewer_of(user_id: UserId, rows: &[sqlx::postgres::PgRow]) -> Option<Viewer> {
    if rows.is_empty() {
        return None;
    }
    let choice = |r: &sqlx::postgres::PgRow| -> Option<(ScopeChoice, Option<OrgPath>)> {
        let id: i64 = r.get::<Option<i64>, _>("id")?;
        let path = OrgPath::parse(r.get::<Option<&str>, _>("path")?)?;
        Some((
            ScopeChoice {
                key: format!("org:{id}"),
                name: r.get("name"),
            },
            Some(path),
        ))
    };
    let (grants, scopes): (Vec<_>, Vec<_>) =
        rows.iter().partition(|r| r.get::<i32, _>("kind") == 0);
    let mut out: Vec<_> = scopes.iter().filter_map(|r| choice(r)).collect();
    for r in &grants {
        if let Some(c) = choice(r)
            && !out.iter().any(|(_, p)| p == &c.1)
        {
            out.push(c);
        }
    }
    out.push((
        ScopeChoice {
            key: "platform".into(),
            name: String::new(),
        },
        None,
    ));
    let actor = crate::auth::model::Actor {
        user_id,
        grants: grants
            .into_iter()
            .filter_map(crate::auth::store::grant_of)
            .collect(),
    };
    Some((actor, out))
}

/// A member's points on each of the given day keys (0 where none).
pub async fn points_on(
    conn: &mut PgConnection,
    user_id: UserId,
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
    user_id: UserId,
    from: chrono::NaiveDate,
) -> Result<Vec<(String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.code, sum(l.points)::bigint AS points FROM point_ledger l JOIN point_rules r ON r.id = l.rule_id
         WHERE l.user_id = $1 AND l.day >= $2 GROUP BY r.code ORDER BY points DESC",
    )
    .bind(user_id)
    .bind(from)
    .fetch_all(conn)
    .await?)
}

/// A branch's participants in each of the given week keys, and its current own members
/// (mobile members counted apart).
pub async fn branch_weeks(
    conn: &mut PgConnection,
    org_id: OrgId,
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
        "SELECT count(*) FROM memberships WHERE org_id = $1 AND ended_at IS NULL AND mobile_home IS NULL",
    )
    .bind(org_id)
    .fetch_one(conn)
    .await?;
    Ok((counts, members))
}

/// The period points of each current own member of a branch (not its mobile members).
pub async fn member_points(
    conn: &mut PgConnection,
    org_id: OrgId,
    period_key: &str,
) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(t.points, 0)::bigint FROM memberships m
         LEFT JOIN point_totals t ON t.user_id = m.user_id AND t.period = $2
         WHERE m.org_id = $1 AND m.ended_at IS NULL AND m.mobile_home IS NULL",
    )
    .bind(org_id)
    .bind(period_key)
    .fetch_all(conn)
    .await?)
}

/// Whether an organization is a branch (members belong to it directly).
pub async fn is_branch(conn: &mut PgConnection, org_id: OrgId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM orgs WHERE id = $1 AND kind IN ('branch', 'joint_branch'))",
    )
    .bind(org_id)
    .fetch_one(conn)
    .await?)
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
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RatingInput {
    #[sqlx(rename = "id")]
    pub org_id: OrgId,
    pub founded_on: chrono::NaiveDate,
    pub members: i64,
    pub points: i64,
    pub participants: i64,
}

/// The branches under `superior` with their own members (not mobile ones), points and
/// participants (distinct own members who studied in any of the months).
pub async fn rating_inputs(
    conn: &mut PgConnection,
    superior: &OrgPath,
    month_keys: &[String],
) -> Result<Vec<RatingInput>, AppError> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.founded_on,
                (SELECT count(*) FROM memberships m WHERE m.org_id = o.id AND m.ended_at IS NULL AND m.mobile_home IS NULL) AS members,
                COALESCE((SELECT sum(points) FROM branch_point_totals t WHERE t.org_id = o.id AND t.period = ANY ($2)), 0)::bigint AS points,
                (SELECT count(DISTINCT p.user_id) FROM branch_participants p WHERE p.org_id = o.id AND p.period = ANY ($2)) AS participants
         FROM orgs o
         WHERE o.path <@ $1::ltree AND o.kind IN ('branch', 'joint_branch')",
    )
    .bind(superior.to_string())
    .bind(month_keys)
    .fetch_all(conn)
    .await?)
}

/// A computed rating, saved unless the branch's rating for the period is published.
pub struct NewRating<'a> {
    pub superior_id: OrgId,
    pub org_id: OrgId,
    pub period: &'a str,
    pub participation: u32,
    pub per_member: u32,
    pub score: u32,
    pub stars: u8,
    /// Organization life: meetings held on time and records accepted, in percent.
    pub meetings: Option<u32>,
    pub records: Option<u32>,
    /// Transfer steps acted on in time, in percent.
    pub transfers: Option<u32>,
}

pub async fn save_computed(
    conn: &mut PgConnection,
    r: &NewRating<'_>,
    by: UserId,
) -> Result<(), AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO star_ratings (superior_id, org_id, period, participation, per_member, score, computed_stars, stars,
                                   meetings, records, transfers)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10)
         ON CONFLICT (org_id, period) DO UPDATE
            SET superior_id = $1, participation = $4, per_member = $5, score = $6, computed_stars = $7,
                stars = $7, meetings = $8, records = $9, transfers = $10, status = 'computed', reason = '', computed_at = now()
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
    .bind(r.meetings.map(|v| v as i32))
    .bind(r.records.map(|v| v as i32))
    .bind(r.transfers.map(|v| v as i32))
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
    by: UserId,
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
    superior_id: OrgId,
    period: &str,
) -> Result<Vec<super::model::RatingRow>, AppError> {
    let rows = sqlx::query(
        "SELECT r.id, o.name, r.participation, r.per_member, r.meetings, r.records, r.transfers, r.score, r.computed_stars,
                r.stars, r.status, r.reason
         FROM star_ratings r JOIN orgs o ON o.id = r.org_id
         WHERE r.superior_id = $1 AND r.period = $2 ORDER BY r.score DESC, o.name",
    )
    .bind(superior_id)
    .bind(period)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| -> Result<_, AppError> {
            Ok(super::model::RatingRow {
                id: r.get("id"),
                name: r.get("name"),
                participation: r.get::<Option<i32>, _>("participation").map(|v| v as u32),
                per_member: r.get::<Option<i32>, _>("per_member").map(|v| v as u32),
                meetings: r.get::<Option<i32>, _>("meetings").map(|v| v as u32),
                records: r.get::<Option<i32>, _>("records").map(|v| v as u32),
                transfers: r.get::<Option<i32>, _>("transfers").map(|v| v as u32),
                score: r.get::<i32, _>("score") as u32,
                computed_stars: r.get::<i32, _>("computed_stars") as u8,
                stars: r.get::<i32, _>("stars") as u8,
                status: r.try_get("status")?,
                reason: r.get("reason"),
            })
        })
        .collect()
}

/// A rating's superior, status and computed stars, locked for a change.
pub async fn rating_for_update(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Option<(OrgId, super::model::RatingStatus, u8)>, AppError> {
    let row = sqlx::query(
        "SELECT superior_id, status, computed_stars FROM star_ratings WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row
        .map(|r| -> sqlx::Result<_> {
            Ok((
                r.try_get("superior_id")?,
                r.try_get("status")?,
                r.try_get::<i32, _>("computed_stars")? as u8,
            ))
        })
        .transpose()?)
}

/// Confirms a rating with the stars the superior settled on (an adjustment has a reason).
pub async fn confirm(
    conn: &mut PgConnection,
    id: i64,
    stars: u8,
    reason: &str,
    adjusted: bool,
    by: UserId,
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
    superior_id: OrgId,
    period: &str,
    by: UserId,
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
