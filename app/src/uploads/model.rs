//! Uploads as plain rules: what may be uploaded for what purpose, how large, and how a
//! file's first bytes say what it really is (the name and the browser's type are only
//! hints). No I/O; the browser uses the same limits to warn before sending.

use crate::ids::UserId;
use serde::{Deserialize, Serialize};

use crate::error::Msg;

/// What an upload is for; decides the accepted types and the size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Purpose {
    Video,
    Audio,
    Image,
    /// A CSV or XLSX sheet to import (question bank, enterprise ledger).
    Sheet,
    /// A meeting record's attachment: the notice, the sign-in sheet, photos (PDF or image).
    Attachment,
}

const MIB: u64 = 1024 * 1024;

impl Purpose {
    pub const ALL: [Purpose; 5] = [
        Purpose::Video,
        Purpose::Audio,
        Purpose::Image,
        Purpose::Sheet,
        Purpose::Attachment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Video => "video",
            Purpose::Audio => "audio",
            Purpose::Image => "image",
            Purpose::Sheet => "sheet",
            Purpose::Attachment => "attachment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The largest file accepted, in bytes.
    pub fn max_bytes(self) -> u64 {
        match self {
            Purpose::Video => 500 * MIB,
            Purpose::Audio => 100 * MIB,
            Purpose::Image => 5 * MIB,
            Purpose::Sheet => 30 * MIB,
            Purpose::Attachment => 20 * MIB,
        }
    }

    /// The file types accepted, as extensions (for the file picker's `accept`).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Purpose::Video => &["mp4", "webm", "mov"],
            Purpose::Audio => &["mp3", "m4a", "ogg", "wav"],
            Purpose::Image => &["jpg", "jpeg", "png", "webp"],
            Purpose::Sheet => &["csv", "xlsx"],
            Purpose::Attachment => &["pdf", "jpg", "jpeg", "png", "webp"],
        }
    }

    pub fn accept(self) -> String {
        self.extensions()
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A file type recognised from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    Mp4,
    Webm,
    Mp3,
    M4a,
    Ogg,
    Wav,
    Jpeg,
    Png,
    Webp,
    Xlsx,
    Csv,
    Pdf,
}

impl FileType {
    /// The extension the stored file gets.
    pub fn ext(self) -> &'static str {
        match self {
            FileType::Mp4 => "mp4",
            FileType::Webm => "webm",
            FileType::Mp3 => "mp3",
            FileType::M4a => "m4a",
            FileType::Ogg => "ogg",
            FileType::Wav => "wav",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Webp => "webp",
            FileType::Xlsx => "xlsx",
            FileType::Csv => "csv",
            FileType::Pdf => "pdf",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Mp4 => "video/mp4",
            FileType::Webm => "video/webm",
            FileType::Mp3 => "audio/mpeg",
            FileType::M4a => "audio/mp4",
            FileType::Ogg => "audio/ogg",
            FileType::Wav => "audio/wav",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Csv => "text/csv",
            FileType::Pdf => "application/pdf",
        }
    }

    fn purposes(self) -> &'static [Purpose] {
        match self {
            FileType::Mp4 => &[Purpose::Video, Purpose::Audio],
            FileType::Webm => &[Purpose::Video],
            FileType::Mp3 | FileType::M4a | FileType::Ogg | FileType::Wav => &[Purpose::Audio],
            FileType::Jpeg | FileType::Png | FileType::Webp => {
                &[Purpose::Image, Purpose::Attachment]
            }
            FileType::Xlsx | FileType::Csv => &[Purpose::Sheet],
            FileType::Pdf => &[Purpose::Attachment],
        }
    }
}

/// Bytes needed to recognise a file.
pub const SNIFF_LEN: usize = 16;

/// What the first bytes of a file are, given the name's extension for the two formats that
/// have no magic number of their own (CSV is text; an XLSX is a ZIP file).
pub fn sniff(head: &[u8], file_name: &str) -> Option<FileType> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    if at(4, b"ftyp") {
        let brand = head.get(8..12).unwrap_or_default();
        return Some(if brand == b"M4A " {
            FileType::M4a
        } else {
            FileType::Mp4
        });
    }
    if at(0, &[0x1a, 0x45, 0xdf, 0xa3]) {
        return Some(FileType::Webm);
    }
    if at(0, b"ID3") || (head.len() >= 2 && head[0] == 0xff && head[1] & 0xe0 == 0xe0) {
        return Some(FileType::Mp3);
    }
    if at(0, b"OggS") {
        return Some(FileType::Ogg);
    }
    if at(0, b"RIFF") && at(8, b"WAVE") {
        return Some(FileType::Wav);
    }
    if at(0, b"RIFF") && at(8, b"WEBP") {
        return Some(FileType::Webp);
    }
    if at(0, &[0xff, 0xd8, 0xff]) {
        return Some(FileType::Jpeg);
    }
    if at(0, &[0x89, b'P', b'N', b'G']) {
        return Some(FileType::Png);
    }
    if at(0, b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if at(0, b"PK\x03\x04") && ext == "xlsx" {
        return Some(FileType::Xlsx);
    }
    // Text without control characters other than tabs and line ends. The head may end in
    // the middle of a UTF-8 character, so only its valid prefix is looked at.
    let text = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
    };
    let texty = !head.is_empty()
        && text.len() + 4 > head.len()
        && !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'));
    (ext == "csv" && texty).then_some(FileType::Csv)
}

/// Checks an upload for its purpose: the size first (the browser knows it before sending),
/// then the type its bytes show.
pub fn check(purpose: Purpose, size: u64, file_type: Option<FileType>) -> Result<FileType, Msg> {
    if size == 0 {
        return Err(Msg::FileEmpty);
    }
    if size > purpose.max_bytes() {
        return Err(Msg::FileTooLarge);
    }
    match file_type {
        Some(t) if t.purposes().contains(&purpose) => Ok(t),
        _ => Err(Msg::FileTypeNotAllowed),
    }
}

/// A file name to keep for display: its last path part, at most 100 characters.
pub fn display_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let base: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if base.is_empty() {
        "file".to_owned()
    } else {
        base
    }
}

/// "12.5 MB", for limits and progress.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / MIB as f64)
}

/// What the upload endpoint answers with once a file is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedFile {
    pub id: String,
    pub url: String,
    pub file_name: String,
    pub size: u64,
}

/// The endpoint's address for a file: `/api/uploads?purpose=video&name=...`, the name
/// percent-encoded.
pub fn endpoint(purpose: Purpose, file_name: &str) -> String {
    let mut name = String::new();
    for b in file_name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            name.push(b as char);
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    format!("/api/uploads?purpose={}&name={name}", purpose.as_str())
}

/// The browser's check before sending: the size and the name's extension (the server then
/// checks the bytes).
pub fn precheck(purpose: Purpose, file_name: &str, size: u64) -> Result<(), Msg> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !purpose.extensions().contains(&ext.as_str()) {
        return Err(Msg::FileTypeNotAllowed);
    }
    if size == 0 {
        return Err(Msg::FileEmpty);
    }
    if size > purpose.max_bytes() {
        return Err(Msg::FileTooLarge);
    }
    Ok(())
}

/// What an uploaded file belongs to, as far as who may fetch it goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadUses {
    pub uploader: UserId,
    /// The stored file's extension.
    pub ext: String,
    /// Study items and columns it is the media or cover of: published, the scope (none:
    /// the platform), and whether the viewer is a member within that scope.
    pub study: Vec<(bool, Option<crate::orgs::model::OrgPath>, bool)>,
    /// Meetings it is attached to, and development cases it documents: the branch, and
    /// whether the viewer is expected at the meeting or a member of the branch (for a
    /// case: the person, a contact or a sponsor).
    pub meetings: Vec<(crate::orgs::model::OrgPath, bool)>,
}

/// Whether `actor` may fetch a file: its uploader, a platform admin, anyone who may study
/// a published item (or column) it belongs to or who manages that item's scope, and for a
/// meeting's attachment, those the meeting's page is open to (those expected, the
/// branch's members, those who run it and the admins above).
pub fn may_fetch(actor: &crate::auth::model::Actor, uses: &UploadUses) -> bool {
    actor.user_id == uses.uploader
        || actor.is_platform_admin()
        || uses.study.iter().any(|(published, scope, member)| {
            (*published && (scope.is_none() || *member))
                || scope.as_ref().is_some_and(|p| actor.can_manage(p))
        })
        || uses.meetings.iter().any(|(branch, attending)| {
            *attending
                || actor.can_manage(branch)
                || branch.parent().is_some_and(|p| actor.can_administer(&p))
        })
}

/// The most an imported sheet may hold, checked while it is read and before anything is
/// allocated for it; each limit has its own message naming it.
pub mod sheet_limits {
    pub const ROWS: u32 = 200_000;
    pub const COLUMNS: u32 = 100;
    pub const CELLS: u64 = 2_000_000;
    /// An XLSX file is a zip: the most its parts may unpack to, together and each.
    pub const UNPACKED_BYTES: u64 = 100 * super::MIB;
    pub const PART_BYTES: u64 = 64 * super::MIB;
    /// The most parts (files inside the zip) an XLSX file may have.
    pub const PARTS: usize = 1_000;
}

/// Counts a sheet's cells as they are read and refuses the first one past a limit:
/// `row` and `column` are 0-based positions as the file states them.
#[derive(Debug, Default)]
pub struct SheetBudget {
    cells: u64,
}

impl SheetBudget {
    pub fn admit(&mut self, row: u32, column: u32) -> Result<(), Msg> {
        use sheet_limits::{CELLS, COLUMNS, ROWS};
        if row >= ROWS {
            return Err(Msg::SheetTooManyRows);
        }
        if column >= COLUMNS {
            return Err(Msg::SheetTooManyColumns);
        }
        self.cells += 1;
        if self.cells > CELLS {
            return Err(Msg::SheetTooManyCells);
        }
        Ok(())
    }
}

/// A cell as a spreadsheet program may safely open it: text that starts like a formula
/// (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so that a name such
/// as `=HYPERLINK(..)` is shown as text, never run. Every sheet the portal writes passes
/// its cells through here; [`unescape_cell`] undoes it when such a sheet is imported again.
pub fn formula_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A cell of an imported sheet as it was before [`formula_safe`] escaped it.
pub fn unescape_cell(cell: String) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => cell,
    }
}

/// What is wrong with one row of an imported sheet, by its row number in the sheet (the
/// header is row 1) and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: u32,
    pub column: String,
    pub msg: Msg,
}

/// The end of reading a sheet's rows: the rows when every one was right, else every
/// problem found, and a sheet with neither rows nor problems is itself a problem (row 2,
/// the first after the header, is missing).
pub fn rows_or_errors<T>(rows: Vec<T>, mut errors: Vec<RowError>) -> Result<Vec<T>, Vec<RowError>> {
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError {
            row: 2,
            column: String::new(),
            msg: Msg::ImportEmpty,
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Where a column is in a header row, by any of its names (case and spaces ignored).
pub fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let h = h.trim().to_ascii_lowercase();
        names.iter().any(|n| h == n.to_ascii_lowercase())
    })
}

/// A sheet's header row, and its data rows with their row numbers in the sheet.
pub type SplitSheet<'a> = (&'a [String], Vec<(u32, &'a [String])>);

/// A sheet's header and its data rows with their sheet row numbers (the header is row 1),
/// blank rows left out; an empty sheet is an error on row 1.
pub fn split_sheet(rows: &[Vec<String>]) -> Result<SplitSheet<'_>, Vec<RowError>> {
    let Some((header, data)) = rows.split_first() else {
        return Err(vec![RowError {
            row: 1,
            column: String::new(),
            msg: Msg::ImportEmpty,
        }]);
    };
    let data = data
        .iter()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, cells)| (i as u32 + 2, cells.as_slice()))
        .collect();
    Ok((header, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_fetched_only_by_those_who_may_see_what_it_belongs_to() {
        use crate::auth::model::{Actor, Grant, Role};
        use crate::orgs::model::OrgPath;
        let branch = OrgPath(vec![1, 5, 9]);
        let other_company = OrgPath(vec![2, 7]);
        let member = |id| Actor {
            user_id: UserId(id),
            grants: vec![],
        };
        let holding = |id, role, path: &OrgPath| Actor {
            user_id: UserId(id),
            grants: vec![Grant {
                role,
                path: Some(path.clone()),
            }],
        };
        let meeting = UploadUses {
            uploader: UserId(1),
            ext: "pdf".into(),
            study: vec![],
            meetings: vec![(branch.clone(), false)],
        };
        assert!(may_fetch(&member(1), &meeting), "its uploader");
        assert!(!may_fetch(&member(2), &meeting), "a stranger");
        let attending = UploadUses {
            meetings: vec![(branch.clone(), true)],
            ..meeting.clone()
        };
        assert!(may_fetch(&member(2), &attending));
        assert!(may_fetch(&holding(3, Role::Secretary, &branch), &meeting));
        assert!(may_fetch(
            &holding(3, Role::OrgAdmin, &OrgPath(vec![1, 5])),
            &meeting
        ));
        assert!(!may_fetch(
            &holding(3, Role::OrgAdmin, &other_company),
            &meeting
        ));
        assert!(!may_fetch(
            &holding(3, Role::Secretary, &OrgPath(vec![1, 5, 8])),
            &meeting
        ));
        let item = |published, scope: Option<OrgPath>, member_of| UploadUses {
            uploader: UserId(1),
            ext: "mp4".into(),
            study: vec![(published, scope, member_of)],
            meetings: vec![],
        };
        assert!(
            may_fetch(&member(2), &item(true, None, false)),
            "platform-wide"
        );
        assert!(!may_fetch(&member(2), &item(false, None, false)), "a draft");
        assert!(may_fetch(
            &member(2),
            &item(true, Some(branch.clone()), true)
        ));
        assert!(!may_fetch(
            &member(2),
            &item(true, Some(branch.clone()), false)
        ));
        assert!(may_fetch(
            &holding(3, Role::Secretary, &branch),
            &item(false, Some(branch.clone()), false)
        ));
        assert!(!may_fetch(
            &member(2),
            &UploadUses {
                uploader: UserId(1),
                ..Default::default()
            }
        ));
    }

    #[test]
    fn a_sheet_past_any_limit_is_refused_with_that_limits_message() {
        let mut b = SheetBudget::default();
        assert_eq!(b.admit(0, 0), Ok(()));
        assert_eq!(b.admit(199_999, 99), Ok(()));
        assert_eq!(b.admit(200_000, 0), Err(Msg::SheetTooManyRows));
        assert_eq!(b.admit(1_048_575, 16_383), Err(Msg::SheetTooManyRows));
        assert_eq!(b.admit(0, 100), Err(Msg::SheetTooManyColumns));
        let mut b = SheetBudget::default();
        for i in 0..sheet_limits::CELLS {
            assert_eq!(b.admit((i / 10) as u32 % 1000, (i % 10) as u32), Ok(()));
        }
        assert_eq!(b.admit(0, 0), Err(Msg::SheetTooManyCells));
    }

    #[test]
    fn cells_that_start_like_formulas_are_written_as_text_and_read_back_unchanged() {
        for cell in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let safe = formula_safe(cell);
            assert!(safe.starts_with('\''), "{cell:?} became {safe:?}");
            assert_eq!(unescape_cell(safe.into_owned()), cell);
        }
        for cell in ["星云科技", "91440300MA5N100014", "", "a=b", "'quoted"] {
            assert_eq!(formula_safe(cell), cell);
            assert_eq!(unescape_cell(cell.to_owned()), cell);
        }
    }

    #[test]
    fn attachments_take_pdfs_and_images_up_to_20_mib() {
        let pdf = sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "签到表.pdf");
        assert_eq!(pdf, Some(FileType::Pdf));
        assert_eq!(check(Purpose::Attachment, 1024, pdf), Ok(FileType::Pdf));
        assert_eq!(
            check(Purpose::Attachment, 1024, Some(FileType::Jpeg)),
            Ok(FileType::Jpeg)
        );
        assert_eq!(
            check(Purpose::Attachment, 21 * MIB, pdf),
            Err(Msg::FileTooLarge)
        );
        assert_eq!(
            check(Purpose::Attachment, 1024, Some(FileType::Mp4)),
            Err(Msg::FileTypeNotAllowed)
        );
        assert_eq!(
            check(Purpose::Image, 1024, pdf),
            Err(Msg::FileTypeNotAllowed)
        );
    }

    #[test]
    fn files_are_known_by_their_first_bytes_not_their_names() {
        assert_eq!(
            sniff(b"\0\0\0\x18ftypmp42\0\0\0\0", "a.mp4"),
            Some(FileType::Mp4)
        );
        assert_eq!(
            sniff(b"\0\0\0\x18ftypmp42\0\0\0\0", "a.txt"),
            Some(FileType::Mp4)
        );
        assert_eq!(
            sniff(b"\0\0\0\x18ftypM4A \0\0\0\0", "a.m4a"),
            Some(FileType::M4a)
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n", "x.jpg"), Some(FileType::Png));
        assert_eq!(sniff(b"ID3\x04", "song.mp3"), Some(FileType::Mp3));
        assert_eq!(sniff(b"PK\x03\x04rest", "bank.xlsx"), Some(FileType::Xlsx));
        assert_eq!(sniff(b"PK\x03\x04rest", "bank.zip"), None);
        assert_eq!(
            sniff("题型,题干\n".as_bytes(), "bank.csv"),
            Some(FileType::Csv)
        );
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0", "bank.csv"), None);
        assert_eq!(sniff(b"<script>", "clip.mp4"), None);
    }

    #[test]
    fn a_csv_cut_inside_a_chinese_character_is_still_text() {
        let head = &"题型题干答案".as_bytes()[..SNIFF_LEN];
        assert_eq!(sniff(head, "a.csv"), Some(FileType::Csv));
    }

    #[test]
    fn uploads_are_checked_for_size_and_type_by_purpose() {
        assert_eq!(
            check(Purpose::Video, 10, Some(FileType::Mp4)),
            Ok(FileType::Mp4)
        );
        assert_eq!(
            check(Purpose::Audio, 10, Some(FileType::Mp4)),
            Ok(FileType::Mp4)
        );
        assert_eq!(
            check(Purpose::Video, 10, Some(FileType::Png)),
            Err(Msg::FileTypeNotAllowed)
        );
        assert_eq!(
            check(Purpose::Image, 6 * MIB, Some(FileType::Png)),
            Err(Msg::FileTooLarge)
        );
        assert_eq!(
            check(Purpose::Sheet, 0, Some(FileType::Csv)),
            Err(Msg::FileEmpty)
        );
        assert_eq!(check(Purpose::Sheet, 5, None), Err(Msg::FileTypeNotAllowed));
    }

    #[test]
    fn display_names_lose_paths_and_control_characters() {
        assert_eq!(display_name("C:\\Users\\me\\题库.xlsx"), "题库.xlsx");
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("a\nb.csv"), "ab.csv");
        assert_eq!(display_name(""), "file");
        assert_eq!(megabytes(5 * MIB), "5.0 MB");
    }

    #[test]
    fn the_browser_checks_name_and_size_before_sending() {
        assert_eq!(precheck(Purpose::Sheet, "题库.XLSX", 10), Ok(()));
        assert_eq!(
            precheck(Purpose::Sheet, "题库.xls", 10),
            Err(Msg::FileTypeNotAllowed)
        );
        assert_eq!(
            precheck(Purpose::Image, "a.png", 6 * MIB),
            Err(Msg::FileTooLarge)
        );
        assert_eq!(
            endpoint(Purpose::Sheet, "题 a.csv"),
            "/api/uploads?purpose=sheet&name=%E9%A2%98%20a.csv"
        );
    }
}
