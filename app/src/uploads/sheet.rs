//! Reading an uploaded sheet (CSV or XLSX) into rows of text cells, for the imports.

use std::path::Path;

use super::model::{SheetBudget, formula_safe, sheet_limits, unescape_cell};
use crate::error::Msg;
use crate::ids::UserId;

/// The caller's uploaded sheet `upload` (its id from the form) and its rows, read off the
/// async threads. A missing or foreign upload, or an unreadable file, is a message on the
/// `file` field.
pub async fn read_upload(
    conn: &mut sqlx::PgConnection,
    user_id: UserId,
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
/// A sheet past a limit of [`sheet_limits`] is refused with that limit's message before
/// anything is allocated for its size.
pub fn read_rows(path: &Path, ext: &str) -> Result<Vec<Vec<String>>, Msg> {
    let bytes = std::fs::read(path).map_err(|_| Msg::UploadMissing)?;
    rows_of(&bytes, ext)
}

/// As [`read_rows`], for a file's bytes.
pub fn rows_of(bytes: &[u8], ext: &str) -> Result<Vec<Vec<String>>, Msg> {
    match ext {
        "csv" => csv_text_rows(std::str::from_utf8(bytes).map_err(|_| Msg::ImportNotUtf8)?),
        "xlsx" => xlsx_rows(bytes),
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
    let mut budget = SheetBudget::default();
    let mut rows = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|_| Msg::ImportUnreadable)?;
        let row = u32::try_from(row).map_err(|_| Msg::SheetTooManyRows)?;
        let mut cells = Vec::with_capacity(record.len().min(sheet_limits::COLUMNS as usize));
        for (column, cell) in record.iter().enumerate() {
            budget.admit(row, u32::try_from(column).unwrap_or(u32::MAX))?;
            cells.push(unescape_cell(cell.to_owned()));
        }
        rows.push(cells);
    }
    Ok(rows)
}

/// Refuses a zip whose parts would unpack past the limits: each part is inflated (and
/// thrown away) up to one byte past its limit, whatever its header claims.
fn check_unpacked(bytes: &[u8]) -> Result<(), Msg> {
    use sheet_limits::{PART_BYTES, PARTS, UNPACKED_BYTES};
    use std::io::Read;
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| Msg::ImportUnreadable)?;
    if zip.len() > PARTS {
        return Err(Msg::SheetTooLarge);
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|_| Msg::ImportUnreadable)?;
        let size = std::io::copy(&mut part.take(PART_BYTES + 1), &mut std::io::sink())
            .map_err(|_| Msg::ImportUnreadable)?;
        total += size;
        if size > PART_BYTES || total > UNPACKED_BYTES {
            return Err(Msg::SheetTooLarge);
        }
    }
    Ok(())
}

/// An XLSX file's rows. Only a plain zip goes to calamine: an encrypted or legacy file (a
/// compound document, which calamine would otherwise parse with sizes it trusts) or anything
/// else that does not start as a zip is unreadable. calamine panics on some malformed
/// sheets (a shared string index out of range, found by fuzzing); such a panic is caught
/// here and reads as an unreadable file, never as a server fault.
fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(Msg::ImportUnreadable);
    }
    check_unpacked(bytes)?;
    std::panic::catch_unwind(|| read_cells(bytes)).unwrap_or(Err(Msg::ImportUnreadable))
}

fn read_cells(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    use calamine::{DataRef, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| Msg::ImportUnreadable)?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(Msg::ImportEmpty)?;
    // Cell by cell, never the whole range: a range is allocated from the first used cell to
    // the last, which one far-away cell makes enormous.
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| Msg::ImportUnreadable)?;
    let mut budget = SheetBudget::default();
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| Msg::ImportUnreadable)? {
        let (row, column) = cell.get_position();
        budget.admit(row, column)?;
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            other => unescape_cell(calamine::Data::from(other.clone()).to_string()),
        };
        let (row, column) = (row as usize, column as usize);
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut rows[row];
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
    }
    Ok(rows)
}

/// A CSV sheet for download: a byte-order mark first (so that spreadsheet programs read
/// the Chinese as UTF-8), the header, then the rows, every cell made formula-safe.
pub fn csv_sheet<R, C>(header: &[&str], rows: R) -> Result<Vec<u8>, crate::error::AppError>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    use crate::error::AppError;
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(header.iter().map(|h| formula_safe(h).into_owned()))
            .map_err(AppError::internal)?;
        for row in rows {
            w.write_record(row.into_iter().map(|c| formula_safe(&c).into_owned()))
                .map_err(AppError::internal)?;
        }
        w.flush().map_err(AppError::internal)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files the fuzzer found (`fuzz/`): each made calamine panic or ask for terabytes.
    #[test]
    fn sheets_that_broke_the_reader_are_unreadable_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests-data/sheets");
        for name in [
            "compound-partial-sector.xlsx",
            "compound-huge-sector.xlsx",
            "shared-string-out-of-range.xlsx",
        ] {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            assert_eq!(
                rows_of(&bytes, "xlsx"),
                Err(Msg::ImportUnreadable),
                "{name}"
            );
        }
    }

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
