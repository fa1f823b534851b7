//! `GET /admin/ledger/export.csv?q=..&district=..&filter=..`: the ledger as the ledger page
//! filters it, as a CSV sheet with the import's columns (so that it can be edited and imported
//! again). For platform administrators.

use app::error::AppError;
use app::league::ledger::store::{LedgerQuery, ledger};
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Params {
    q: String,
    district: String,
    filter: String,
}

/// The columns of the import (`public/examples/enterprise-ledger.csv`).
const HEADER: [&str; 10] = [
    "企业名称",
    "统一社会信用代码",
    "区",
    "街道",
    "地址",
    "职工人数",
    "青年职工人数",
    "党员人数",
    "团员人数",
    "经营状态",
];

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<Params>,
) -> Response {
    csv_reply(
        sheet(&state, session, params)
            .await
            .map(|body| ("enterprise-ledger.csv".to_owned(), body)),
    )
}

/// A CSV sheet as a download under its file name, or the error as JSON with its status.
pub fn csv_reply(sheet: Result<(String, Vec<u8>), AppError>) -> Response {
    match sheet {
        Ok((name, body)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, Json(e)).into_response()
        }
    }
}

async fn sheet(state: &AppState, session: Session, p: Params) -> Result<Vec<u8>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let actor = crate::uploads::session_actor(&mut conn, &session).await?;
    if !actor.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    let (_, rows) = ledger(
        &mut conn,
        &LedgerQuery {
            scope: &app::league::ledger::model::LedgerScope::everything(),
            q: &p.q,
            district: &p.district,
            filter: &p.filter,
            limit: i64::MAX,
            offset: 0,
        },
    )
    .await?;
    app::uploads::sheet::csv_sheet(
        &HEADER,
        rows.into_iter().map(|e| {
            [
                e.firm.name,
                e.firm.credit_code,
                e.firm.district,
                e.firm.street,
                e.firm.address,
                e.firm.employees.to_string(),
                e.firm.young_employees.to_string(),
                e.firm.party_members.to_string(),
                e.firm.league_members.to_string(),
                if e.firm.deregistered {
                    "注销"
                } else {
                    "存续"
                }
                .to_owned(),
            ]
        }),
    )
}
