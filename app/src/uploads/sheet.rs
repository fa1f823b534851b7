//! Reading an uploaded sheet (CSV or XLSX) into rows of text cells, for the imports.

use std::path::Path;

use crate::error::Msg;

/// The caller's uploaded sheet `upload` (its id from the form) and its rows, read off the
/// async threads. A missing or foreign upload, or an unreadable file, is a message on the
/// `file` field.
pub async fn read_upload(
    conn: &mut sqlx::PgConnection,
    user_id: i64,
    upload: &str,
) -> Result<(super::store::Upload, Vec<Vec<String>>), crate::error::AppError> {
    use super::model::Purpose;
    use super::store::{own_upload, upload_dir};
    use crate::error::AppError;
    let file = own_upload(conn, user_id, upload, Purpose::Sheet).await?;
    let path = file.path(&upload_dir()?);
    let ext = file.ext.clone();
    let rows = tokio::task::spawn_blocking(move || read_rows(&path, &ext))
        .await
        .map_err(AppError::internal)?
        .map_err(|msg| AppError::invalid("file", msg))?;
    Ok((file, rows))
}

/// The rows of the first worksheet of an XLSX file, or of a CSV file in UTF-8 (with or
/// without a byte-order mark). Numbers that are whole come out without a decimal point.
pub fn read_rows(path: &Path, ext: &str) -> Result<Vec<Vec<String>>, Msg> {
    match ext {
        "csv" => {
            let bytes = std::fs::read(path).map_err(|_| Msg::UploadMissing)?;
            csv_text_rows(std::str::from_utf8(&bytes).map_err(|_| Msg::ImportNotUtf8)?)
        }
        "xlsx" => xlsx_rows(path),
        _ => Err(Msg::FileTypeNotAllowed),
    }
}

/// The rows of CSV text (a leading byte-order mark is skipped).
pub fn csv_text_rows(text: &str) -> Result<Vec<Vec<String>>, Msg> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(str::to_owned).collect())
                .map_err(|_| Msg::ImportUnreadable)
        })
        .collect()
}

fn xlsx_rows(path: &Path) -> Result<Vec<Vec<String>>, Msg> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).map_err(|_| Msg::ImportUnreadable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(Msg::ImportEmpty)?
        .map_err(|_| Msg::ImportUnreadable)?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_may_be_quoted_with_commas_and_newlines() {
        let rows = csv_text_rows("a,\"b,c\",\"say \"\"hi\"\"\"\r\n1,\"two\nlines\"\n").unwrap();
        assert_eq!(rows[0], vec!["a", "b,c", "say \"hi\""]);
        assert_eq!(rows[1], vec!["1", "two\nlines"]);
    }
}

#[cfg(test)]
mod example_files {
    use super::*;

    #[test]
    fn the_shipped_examples_read_as_the_same_good_bank() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/examples");
        let csv = read_rows(&root.join("question-bank.csv"), "csv").unwrap();
        let xlsx = read_rows(&root.join("question-bank.xlsx"), "xlsx").unwrap();
        assert_eq!(csv, xlsx);
        let questions = crate::quiz::model::parse_sheet(&csv).unwrap();
        assert!(questions.len() >= 10);
    }
}
