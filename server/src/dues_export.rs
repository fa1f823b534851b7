//! `GET /orglife/dues/export.csv?org=..&year=..` and `…/export.xlsx`: an organization's dues
//! figures for a year: each month over everything under it, then each branch in the year's
//! last month so far (members owing, members paid, expected, paid, still owed, in yuan).
//! For the branch's collectors and the admins above. Every text cell is formula-safe.

use app::dues::flow::Summary;
use app::dues::model::MonthTotals;
use app::error::AppError;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::header;
use tower_sessions::Session;

use crate::AppState;
use crate::life_export::Params;

const HEADER: [&str; 7] = [
    "组织",
    "月份",
    "应交人数",
    "已交人数",
    "应交金额（元）",
    "已交金额（元）",
    "欠交金额（元）",
];

pub async fn csv(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<Params>,
) -> Response {
    crate::ledger_export::csv_reply(summary(&state, session, params).await.and_then(|s| {
        let body = app::uploads::sheet::csv_sheet(
            &HEADER,
            rows(&s).into_iter().map(|r| {
                [
                    r.0,
                    r.1.month.to_string(),
                    r.1.members.to_string(),
                    r.1.paid_up.to_string(),
                    r.1.expected.yuan(),
                    r.1.paid.yuan(),
                    r.1.arrears.yuan(),
                ]
            }),
        )?;
        Ok((format!("dues-{}-{}.csv", s.org.id, s.year), body))
    }))
}

pub async fn xlsx(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<Params>,
) -> Response {
    let sheet = summary(&state, session, params)
        .await
        .and_then(|s| Ok((format!("dues-{}-{}.xlsx", s.org.id, s.year), workbook(&s)?)));
    match sheet {
        Ok((name, body)) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => crate::ledger_export::csv_reply(Err(e)),
    }
}

/// The organization's months, then each branch's last month.
fn rows(s: &Summary) -> Vec<(String, MonthTotals)> {
    s.months
        .iter()
        .map(|m| (s.org.name.clone(), m.clone()))
        .chain(s.branches.iter().map(|b| (b.1.clone(), b.2.clone())))
        .collect()
}

fn workbook(s: &Summary) -> Result<Vec<u8>, AppError> {
    use app::uploads::model::formula_safe;
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::internal(e);
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    for (c, h) in HEADER.iter().enumerate() {
        sheet
            .write_with_format(0, c as u16, *h, &bold)
            .map_err(fail)?;
    }
    for (i, (org, t)) in rows(s).iter().enumerate() {
        let r = i as u32 + 1;
        // Text goes in as strings (never formulas), made safe for programs that re-read it.
        sheet.write_string(r, 0, formula_safe(org)).map_err(fail)?;
        sheet
            .write_string(r, 1, t.month.to_string())
            .map_err(fail)?;
        sheet.write_number(r, 2, t.members).map_err(fail)?;
        sheet.write_number(r, 3, t.paid_up).map_err(fail)?;
        for (c, f) in [(4, t.expected), (5, t.paid), (6, t.arrears)] {
            sheet
                .write_number_with_format(r, c, f.0 as f64 / 100.0, &money)
                .map_err(fail)?;
        }
    }
    sheet.set_column_width(0, 24).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

async fn summary(state: &AppState, session: Session, p: Params) -> Result<Summary, AppError> {
    let (org, year) = p.org_and_year()?;
    let mut conn = state.pool.acquire().await?;
    let actor = crate::uploads::session_actor(&mut conn, &session).await?;
    app::dues::flow::summary(&mut conn, &actor, org, year, chrono::Utc::now()).await
}
