//! The rankings' use cases: boards, charts (numbers, worded when the page renders) and the
//! branches' star ratings.

use sqlx::PgConnection;

use super::model::RatingRow;
use super::store::{branch_weeks, member_points, points_by_rule, points_on};
use crate::error::AppError;
use crate::ids::{OrgId, UserId};
use crate::ui::charts::{Chart, Label, Series, Word};

/// The member's charts: points a day over the last 30 days, and points by rule this month.
pub async fn my_charts(conn: &mut PgConnection, user_id: UserId) -> Result<Vec<Chart>, AppError> {
    use chrono::Datelike;
    let today = crate::time::day_of(chrono::Utc::now());
    let days: Vec<chrono::NaiveDate> = (0..30)
        .rev()
        .map(|n| today - chrono::Duration::days(n))
        .collect();
    let keys: Vec<String> = days.iter().map(|d| format!("d:{d}")).collect();
    let daily = points_on(conn, user_id, &keys).await?;
    let month_start = today.with_day(1).unwrap_or(today);
    let by_rule = points_by_rule(conn, user_id, month_start).await?;
    let (rules, rule_points): (Vec<Label>, Vec<i64>) = by_rule
        .into_iter()
        .map(|(code, p)| {
            let label = crate::points::model::RuleCode::parse(&code)
                .map(Label::Rule)
                .unwrap_or(Label::Text(code));
            (label, p)
        })
        .unzip();
    Ok(vec![
        Chart::new(
            Word::MyDays,
            Chart::texts(days.iter().map(|d| d.format("%m-%d").to_string())),
            Series::Line {
                name: Word::Points,
                values: daily,
                percent: false,
            },
        ),
        Chart::new(
            Word::MyRules,
            rules,
            Series::Bars {
                name: Word::Points,
                values: rule_points,
            },
        ),
    ])
}

/// A branch's charts: 参学率 over the last 12 weeks, and how its members' points this month
/// are spread.
pub async fn branch_charts(conn: &mut PgConnection, org_id: OrgId) -> Result<Vec<Chart>, AppError> {
    use chrono::Datelike;
    let now = chrono::Utc::now();
    let monday = crate::time::week_start(crate::time::day_of(now));
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
    let (counts, members) = branch_weeks(conn, org_id, &keys).await?;
    let rates: Vec<i64> = counts
        .iter()
        .map(|c| i64::from(super::model::participation(*c, members)))
        .collect();
    let month = super::model::Period::Month.key(now);
    let spread = super::model::distribution(&member_points(conn, org_id, &month).await?);
    Ok(vec![
        Chart::new(
            Word::BranchWeeks,
            Chart::texts(weeks.iter().map(|d| d.format("%m-%d").to_string())),
            Series::Line {
                name: Word::Participation,
                values: rates,
                percent: true,
            },
        ),
        Chart::new(
            Word::BranchSpread,
            Chart::texts(super::model::BUCKETS.iter().map(|(_, l)| (*l).to_owned())),
            Series::Bars {
                name: Word::Members,
                values: spread.to_vec(),
            },
        ),
    ])
}

/// The organizations of a board side by side: points per member and 参学率.
pub fn orgs_chart(rows: &[super::model::OrgBoardRow]) -> Chart {
    Chart::new(
        Word::Orgs,
        Chart::texts(rows.iter().map(|r| r.name.clone())),
        Series::PerMemberAndParticipation {
            per_member: rows
                .iter()
                .map(|r| r.per_member.parse().unwrap_or(0.0))
                .collect(),
            participation: rows.iter().map(|r| i64::from(r.participation)).collect(),
        },
    )
}

/// How many branches got each number of stars.
pub fn stars_chart(rows: &[RatingRow]) -> Chart {
    let levels = [5u8, 4, 3, 2, 0];
    Chart::new(
        Word::Stars,
        levels.iter().map(|s| Label::Stars(*s)).collect(),
        Series::Bars {
            name: Word::Branches,
            values: levels
                .iter()
                .map(|l| rows.iter().filter(|r| r.stars == *l).count() as i64)
                .collect(),
        },
    )
}

/// Computes and saves the ratings of the branches under `superior` for `period`, only for
/// branches founded six months before it ends; published ratings stay as they are. Returns
/// how many branches were rated.
pub async fn compute_ratings(
    conn: &mut PgConnection,
    actor: &crate::auth::model::Actor,
    superior: &crate::orgs::store::Org,
    period: &super::model::RatingPeriod,
) -> Result<u32, AppError> {
    use super::model::{BranchInputs, old_enough, score_branches};
    let (start, end) = (period.start(), period.end());
    let weights = super::store::rating_weights(conn).await?;
    let inputs = super::store::rating_inputs(conn, &superior.path, &period.month_keys()).await?;
    let life = crate::org_life::compliance::flow::life_components(conn, &superior.path, start, end)
        .await?;
    let today = crate::time::day_of(chrono::Utc::now());
    let transfers =
        crate::transfers::store::handled_in_time_by_branch(conn, &superior.path, start, end, today)
            .await?;
    let branches: Vec<BranchInputs> = inputs
        .iter()
        .filter(|i| old_enough(i.founded_on, end))
        .map(|i| {
            let (meetings, records) = life.get(&i.org_id).copied().unwrap_or((None, None));
            BranchInputs {
                org_id: i.org_id,
                members: i.members,
                points: i.points,
                participants: i.participants,
                meetings,
                records,
                transfers: transfers.get(&i.org_id).copied().flatten(),
            }
        })
        .collect();
    let key = period.to_string();
    let scored = score_branches(&weights, &branches);
    for s in &scored {
        let rating = super::store::NewRating {
            superior_id: superior.id,
            org_id: s.inputs.org_id,
            period: &key,
            participation: s.participation,
            per_member: s.per_member,
            score: s.score,
            stars: s.stars,
            meetings: s.inputs.meetings,
            records: s.inputs.records,
            transfers: s.inputs.transfers,
        };
        super::store::save_computed(conn, &rating, actor.user_id).await?;
    }
    Ok(scored.len() as u32)
}

/// A member board as the viewer may see it: the scope chosen among the viewer's, the
/// others they could choose, and the page with the viewer's neighbours.
pub struct MemberBoard {
    pub scope: String,
    pub scopes: Vec<super::model::ScopeChoice>,
    pub parts: super::store::BoardParts,
    /// The charts beside the board (see [`board_charts`]).
    pub charts: Vec<Chart>,
}

/// The charts beside a member board: the viewer's own (points a day, points by rule this
/// month) and, when the board's scope is a branch they run, the branch's (participation by
/// week, members by points).
pub async fn board_charts(
    conn: &mut PgConnection,
    actor: &crate::auth::model::Actor,
    path: Option<&crate::orgs::model::OrgPath>,
) -> Result<Vec<Chart>, AppError> {
    let mut charts = my_charts(conn, actor.user_id).await?;
    if let Some(p) = path
        && actor.can_manage(p)
        && super::store::is_branch(conn, p.id()).await?
    {
        charts.extend(branch_charts(conn, p.id()).await?);
    }
    Ok(charts)
}

/// A page of the members of a scope of the viewer's, ranked by their points in `period`,
/// with the charts beside it. A scope named in the request is
/// read with the viewer in one round trip, its facts used only once the viewer is found to
/// see it.
pub async fn member_board(
    conn: &mut PgConnection,
    user: &crate::auth::model::Claim,
    scope: &str,
    period: super::model::Period,
    page: i64,
) -> Result<MemberBoard, AppError> {
    use super::model::{NEIGHBOURS, PAGE_SIZE, choose, scope_id_of};
    let key = period.key(chrono::Utc::now());
    let offset = (page - 1) * PAGE_SIZE;
    let ((actor, choices), facts) = match scope_id_of(scope) {
        Some(sid) => {
            let (v, f) = super::store::viewer_with_facts(conn, user, sid, &key, offset, PAGE_SIZE)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            (v, Some(f))
        }
        None => (
            super::store::viewer(conn, user)
                .await?
                .ok_or(AppError::Unauthenticated)?,
            None,
        ),
    };
    let (scope, path) = choose(&choices, scope)?;
    let parts = super::store::member_board(
        conn,
        path.as_ref(),
        &key,
        actor.user_id,
        offset,
        PAGE_SIZE,
        NEIGHBOURS,
        facts,
    )
    .await?;
    let charts = board_charts(conn, &actor, path.as_ref()).await?;
    Ok(MemberBoard {
        scope,
        scopes: choices.into_iter().map(|(c, _)| c).collect(),
        parts,
        charts,
    })
}

/// An organization board: the organizations under one of the viewer's, side by side.
pub struct OrgBoard {
    pub scope: String,
    pub scopes: Vec<super::model::ScopeChoice>,
    pub rows: Vec<super::model::OrgBoardRow>,
    /// The organization whose branches the viewer may rate.
    pub rate_org: Option<OrgId>,
}

/// The organizations under a scope of the viewer's (by default the nearest above their
/// branch: its branches are the peers), compared per member and by participation. The
/// platform has nothing above it, so it is no scope here.
pub async fn org_board(
    conn: &mut PgConnection,
    user: &crate::auth::model::Claim,
    scope: &str,
    period: super::model::Period,
) -> Result<OrgBoard, AppError> {
    use super::model::choose;
    let (actor, choices) = super::store::viewer(conn, user)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let choices: Vec<_> = choices.into_iter().filter(|(_, p)| p.is_some()).collect();
    let nearest = choices
        .get(1)
        .or(choices.first())
        .map(|(c, _)| c.key.clone());
    let scope_key = match scope.trim() {
        "" => nearest.ok_or(AppError::Forbidden)?,
        _ => scope.to_owned(),
    };
    if choices.is_empty() {
        return Err(AppError::Forbidden);
    }
    let (scope, path) = choose(&choices, &scope_key)?;
    let path =
        path.ok_or_else(|| AppError::invalid("scope", crate::error::Msg::BoardScopeUnknown))?;
    let now = chrono::Utc::now();
    let weeks = super::model::week_keys(period, now);
    let rows = super::store::org_board_rows(conn, &path, &period.key(now), &weeks)
        .await?
        .to_vec();
    Ok(OrgBoard {
        scope,
        scopes: choices.into_iter().map(|(c, _)| c).collect(),
        rows,
        rate_org: actor.can_administer(&path).then(|| path.id()),
    })
}
