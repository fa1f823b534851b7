//! `GET /orglife/export.csv?org=..&year=..`: a branch's meetings of a year with attendance
//! and records, as a CSV sheet. For those who run the branch and the admins above.

use app::error::AppError;
use app::org_life::meetings::model::MeetingKind;
use app::org_life::records::model::RecordState;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::TimeZone;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;

/// `?org=..&year=..`, as the organization sheets take them.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Params {
    org: String,
    year: String,
}

impl Params {
    /// The organization and the year (2000 to 2100); either unreadable is bad input.
    pub fn org_and_year(&self) -> Result<(app::ids::OrgId, i32), AppError> {
        let bad = |field: &str| AppError::invalid(field, app::error::Msg::BadRequest);
        let org = self.org.trim().parse().map_err(|_| bad("org"))?;
        let year = self
            .year
            .trim()
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| bad("year"))?;
        Ok((org, year))
    }
}

const HEADER: [&str; 14] = [
    "日期",
    "开始",
    "结束",
    "类型",
    "标题",
    "地点",
    "主持人",
    "记录人",
    "应到",
    "实到",
    "请假",
    "缺席及原因",
    "纪要状态",
    "会议纪要与决议",
];

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<Params>,
) -> Response {
    crate::ledger_export::csv_reply(sheet(&state, session, params).await)
}

async fn sheet(
    state: &AppState,
    session: Session,
    p: Params,
) -> Result<(String, Vec<u8>), AppError> {
    let (org, year) = p.org_and_year()?;
    let bad = |field: &str| AppError::invalid(field, app::error::Msg::BadRequest);
    let mut conn = state.pool.acquire().await?;
    let actor = crate::uploads::session_actor(&mut conn, &session).await?;
    let o = app::orgs::store::org(&mut conn, org)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&o.path) {
        return Err(AppError::Forbidden);
    }
    let shanghai = app::time::shanghai();
    let start = |y: i32| {
        shanghai
            .with_ymd_and_hms(y, 1, 1, 0, 0, 0)
            .single()
            .map(|t| t.with_timezone(&chrono::Utc))
            .ok_or_else(|| bad("year"))
    };
    let lines = app::org_life::records::store::record_lines(
        &mut conn,
        o.id,
        start(year)?,
        start(year + 1)?,
    )
    .await?;
    let t = app::i18n::Locale::ZhCn.strings();
    let out = app::uploads::sheet::csv_sheet(
        &HEADER,
        lines.into_iter().map(|l| {
            let (s, e) = (
                l.starts_at.with_timezone(&shanghai),
                l.ends_at.with_timezone(&shanghai),
            );
            let kind = MeetingKind::parse(&l.kind)
                .map(|k| k.label(o.tree, t))
                .unwrap_or_default();
            let state = match RecordState::parse(&l.state) {
                Some(RecordState::Draft) => t.record_draft,
                Some(RecordState::Submitted) => t.record_submitted,
                Some(RecordState::Accepted) => t.record_accepted,
                Some(RecordState::Returned) => t.record_returned,
                None => "",
            };
            let text = if l.resolutions.is_empty() {
                l.minutes
            } else {
                format!("{}\n决议：{}", l.minutes, l.resolutions)
            };
            [
                s.format("%Y-%m-%d").to_string(),
                s.format("%H:%M").to_string(),
                e.format("%H:%M").to_string(),
                kind.to_owned(),
                l.title,
                l.place,
                l.chair,
                l.recorder,
                l.expected.to_string(),
                l.present.to_string(),
                l.on_leave.to_string(),
                l.absent,
                state.to_owned(),
                text,
            ]
        }),
    )?;
    Ok((format!("org-life-{}-{year}.csv", o.id), out))
}
