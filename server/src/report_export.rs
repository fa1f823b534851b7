//! `GET /dashboard/export.csv?org=..&period=..&sheet=..` and `…/export.xlsx`: a committee's
//! sheets (the dashboard's table by branch, study per member, the roster, transfers, star
//! ratings) for the admins of the organization and the platform's. Rows are read a page at
//! a time: the CSV streams each page as it is read (holding a connection only while a page
//! is read), the XLSX workbook keeps only the row
//! being written in memory (rust_xlsxwriter's constant-memory worksheet). At most
//! [`MOST_ROWS`] rows per file, with a last line that says so when more were left out.
//! Every cell becomes text in one place ([`Cell::sheet_text`]), formula-safe.

use app::error::{AppError, Msg};
use app::ids::OrgId;
use app::orgs::store::Org;
use app::reports::model::{BranchFigures, Cell, Export, MOST_ROWS, ReportPeriod, branch_cells};
use app::reports::store::Page;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use http::header;
use serde::Deserialize;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::AppState;

/// Rows read from the database at a time.
const PAGE: i64 = 500;

/// Said on the last line when the sheet was cut at [`MOST_ROWS`].
const CUT: &str = "（行数超过上限，仅导出前 50000 行；请选择下级组织分别导出）";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Params {
    org: String,
    period: String,
    sheet: String,
}

/// What one export reads: whose, over which period, which sheet (the branch table is
/// computed once, as the dashboard computes it).
struct Job {
    org: Org,
    period: ReportPeriod,
    sheet: Export,
    branches: Vec<BranchFigures>,
}

impl Job {
    fn file_name(&self, ext: &str) -> String {
        format!(
            "{}-{}-{}.{ext}",
            self.sheet.as_str(),
            self.org.id,
            self.period
        )
    }

    /// The rows after `after`, at most [`PAGE`].
    async fn page(&self, conn: &mut PgConnection, after: i64) -> Result<Page, AppError> {
        use app::reports::store::{ratings_page, roster_page, study_page, transfers_page};
        let root = &self.org.path;
        match self.sheet {
            Export::Branches => Ok(self
                .branches
                .iter()
                .enumerate()
                .map(|(i, b)| (i as i64 + 1, branch_cells(b)))
                .skip_while(|(k, _)| *k <= after)
                .take(PAGE as usize)
                .collect()),
            Export::Study => study_page(conn, root, self.period, after, PAGE).await,
            Export::Roster => roster_page(conn, root, after, PAGE).await,
            Export::Transfers => transfers_page(conn, root, self.period, after, PAGE).await,
            Export::Ratings => ratings_page(conn, root, self.period, after, PAGE).await,
        }
    }
}

/// Who asks, for what: bad input is refused before anything is read; only the
/// organization's admins (and the platform's) export its sheets.
async fn job(conn: &mut PgConnection, session: &Session, p: &Params) -> Result<Job, AppError> {
    let today = app::time::day_of(chrono::Utc::now());
    let org: OrgId = p
        .org
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("org", Msg::BadRequest))?;
    let sheet =
        Export::parse(p.sheet.trim()).ok_or_else(|| AppError::invalid("sheet", Msg::BadRequest))?;
    let period = app::reports::flow::parse_period(&p.period, today)?;
    let actor = crate::uploads::session_actor(conn, session).await?;
    let org = app::reports::flow::exporting(conn, &actor, org).await?;
    let branches = if sheet == Export::Branches {
        app::reports::flow::figures(conn, &org, period, today).await?
    } else {
        vec![]
    };
    Ok(Job {
        org,
        period,
        sheet,
        branches,
    })
}

fn attachment(content_type: &str, name: String, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

pub async fn csv(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<Params>,
) -> Response {
    let prepared = async {
        let mut conn = state.pool.acquire().await?;
        let job = job(&mut conn, &session, &p).await?;
        Ok::<_, AppError>((conn, job))
    }
    .await;
    // The connection goes back to the pool now: each page takes one only while it is read,
    // so that a slow download holds none.
    let job = match prepared {
        Ok((_, job)) => job,
        Err(e) => return crate::ledger_export::csv_reply(Err(e)),
    };
    let name = job.file_name("csv");
    let mut first = "\u{feff}".as_bytes().to_vec();
    first.extend(csv_lines(std::iter::once(
        job.sheet
            .header()
            .iter()
            .map(|h| Cell::Text((*h).to_owned()))
            .collect(),
    )));
    // The state between pages: the pool, the job, the last key and how many rows went out;
    // `None` once the sheet has ended.
    let start = Some((state.pool.clone(), job, 0i64, 0usize));
    let pages = futures_util::stream::unfold(start, |st| async move {
        let (pool, job, after, sent) = st?;
        let read = async {
            let mut conn = pool.acquire().await?;
            job.page(&mut conn, after).await
        };
        let page = match read.await {
            Ok(page) => page,
            Err(e) => {
                tracing::warn!(error = ?e, "an export stopped part way");
                return Some((Err(std::io::Error::other("export stopped")), None));
            }
        };
        if page.is_empty() {
            return None;
        }
        if sent >= MOST_ROWS {
            // More rows than a file holds: the last line says so.
            let cut = csv_lines(std::iter::once(vec![Cell::Text(CUT.to_owned())]));
            return Some((Ok(Bytes::from(cut)), None));
        }
        let rows: Vec<_> = page.into_iter().take(MOST_ROWS - sent).collect();
        let last = rows.last().map(|(k, _)| *k).unwrap_or(after);
        let n = rows.len();
        let bytes = csv_lines(rows.into_iter().map(|(_, row)| row));
        Some((Ok(Bytes::from(bytes)), Some((pool, job, last, sent + n))))
    });
    // Fused: the compression layer may ask again once the sheet has ended.
    let body = futures_util::stream::once(async move { Ok(Bytes::from(first)) })
        .chain(pages)
        .fuse();
    attachment("text/csv; charset=utf-8", name, Body::from_stream(body))
}

/// Rows as CSV lines, each cell through [`Cell::sheet_text`].
fn csv_lines(rows: impl IntoIterator<Item = Vec<Cell>>) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        for row in rows {
            // Writing into memory cannot fail.
            let _ = w.write_record(row.iter().map(Cell::sheet_text));
        }
        let _ = w.flush();
    }
    out
}

pub async fn xlsx(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<Params>,
) -> Response {
    let made = async {
        let mut conn = state.pool.acquire().await?;
        let job = job(&mut conn, &session, &p).await?;
        let body = workbook(&mut conn, &job).await?;
        Ok::<_, AppError>((job.file_name("xlsx"), body))
    }
    .await;
    match made {
        Ok((name, body)) => attachment(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            name,
            Body::from(body),
        ),
        Err(e) => crate::ledger_export::csv_reply(Err(e)),
    }
}

/// The sheet as a workbook, written a page at a time into a constant-memory worksheet.
async fn workbook(conn: &mut PgConnection, job: &Job) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::internal(e);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory();
    let bold = Format::new().set_bold();
    for (c, h) in job.sheet.header().iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(fail)?;
    }
    sheet.set_column_width(0, 24).map_err(fail)?;
    let (mut after, mut row) = (0i64, 1u32);
    loop {
        let page = job.page(conn, after).await?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        for (_, cells) in page {
            if row as usize > MOST_ROWS {
                sheet.write_string(row, 0, CUT).map_err(fail)?;
                return book.save_to_buffer().map_err(fail);
            }
            for (c, cell) in cells.iter().enumerate() {
                match cell {
                    Cell::Number(n) => sheet.write_number(row, c as u16, *n),
                    Cell::Text(_) => sheet.write_string(row, c as u16, cell.sheet_text()),
                }
                .map_err(fail)?;
            }
            row += 1;
        }
    }
    book.save_to_buffer().map_err(fail)
}
