//! A small but valid XLSX file built from structured fuzz input, so that the fuzzer gets
//! past the zip and the workbook and into the cell reader. Every part calamine reads is
//! written: `[Content_Types].xml`, `xl/workbook.xml`, `xl/_rels/workbook.xml.rels`, the
//! worksheet, and optionally `xl/sharedStrings.xml` and `xl/styles.xml`. Cell references
//! may be far away (`XFD1048576`), past Excel's limits, or raw text; cells may be of any
//! type; the file may carry a prefix (junk, or an OLE/CFB header, which calamine parses
//! before the zip) and a highly compressible padding part (the unpacked-size limit).

use std::fmt::Write as _;
use std::io::Write as _;

use arbitrary::Arbitrary;

#[derive(Arbitrary, Debug)]
pub struct Book {
    pub prefix: Prefix,
    pub stored: bool,
    pub sheet_name: String,
    pub sheet_target: SheetTarget,
    pub date1904: Option<bool>,
    pub dimension: Option<Ref>,
    pub shared: Option<Vec<Shared>>,
    pub styles: Option<Styles>,
    pub rows: Vec<Row>,
    /// Raw XML put at the end of `sheetData`, as is.
    pub raw_in_sheet: Option<String>,
    /// The last row is repeated `repeat_count(repeat)` more times (0 most of the time;
    /// up to 1,000, or with `APP_FUZZ_BIG` up to 250,000, past the 200,000 rows limit).
    pub repeat: u8,
    /// With `APP_FUZZ_BIG`, a part of zeros: 255 gives two of 60 MiB (past the 100 MiB
    /// total), 254 one of 65 MiB (past the 64 MiB a part may unpack to), 253 one of 1 MiB;
    /// else none.
    pub padding: u8,
}

#[derive(Arbitrary, Debug)]
pub enum Prefix {
    None,
    Junk(Vec<u8>),
    Cfb(CfbHeader),
}

/// The fields of an OLE compound file header (what `calamine::cfb` reads to look for an
/// `EncryptedPackage`), then sector bytes.
#[derive(Arbitrary, Debug)]
pub struct CfbHeader {
    pub version: u16,
    pub big_sectors: bool,
    pub dir_len: u32,
    pub fat_len: u32,
    pub dir_start: u32,
    pub mini_fat_start: u32,
    pub mini_fat_len: u32,
    pub difat_start: u32,
    pub difat_len: u32,
    pub difat: Vec<u32>,
    pub sectors: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
pub enum SheetTarget {
    Relative,
    Absolute,
    XlPrefixed,
    Chartsheet,
    Raw(String),
}

#[derive(Arbitrary, Debug)]
pub enum Ref {
    /// 0-based column, and the row number as written (1-based; 0 and huge are invalid).
    At { column: u32, row: u64 },
    /// `XFD1048576`, Excel's last cell.
    Last,
    Raw(String),
}

#[derive(Arbitrary, Debug)]
pub enum Shared {
    Plain(String),
    Rich(Vec<String>),
    Phonetic(String, String),
    Empty,
}

#[derive(Arbitrary, Debug)]
pub struct Styles {
    pub formats: Vec<(u16, Format)>,
    pub xfs: Vec<Option<u16>>,
}

#[derive(Arbitrary, Debug)]
pub enum Format {
    Known(u8),
    Raw(String),
}

const KNOWN_FORMATS: &[&str] = &[
    "yyyy-mm-dd",
    "yyyy-mm-dd hh:mm:ss",
    "h:mm:ss",
    "[h]:mm:ss",
    "mm:ss.0",
    "0.00%",
    "General",
    "@",
    "d/m/yy h:mm",
    "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy",
    "\"d\"0",
    "[Red]0.00",
];

#[derive(Arbitrary, Debug)]
pub struct Row {
    pub r: Option<RowRef>,
    pub cells: Vec<Cell>,
}

#[derive(Arbitrary, Debug)]
pub enum RowRef {
    Number(u64),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
pub struct Cell {
    pub r: Option<Ref>,
    pub t: CellType,
    pub s: Option<u32>,
    pub value: Value,
}

#[derive(Arbitrary, Debug)]
pub enum CellType {
    None,
    InlineStr,
    Shared,
    Number,
    Bool,
    Error,
    Str,
    Date,
    Raw(String),
}

#[derive(Arbitrary, Debug)]
pub enum Value {
    Empty,
    Inline(String),
    Rich(Vec<String>),
    Text(String),
    Number(f64),
    Index(u32),
    Formula(String, Option<String>),
    Error(u8),
}

const ERRORS: &[&str] = &[
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#BAD",
];

/// Whether `what` is named in `APP_FUZZ_SKIP` (a comma-separated list): a way to keep
/// fuzzing past a known finding. `cfb` leaves out the OLE/CFB prefix, `shared-index`
/// makes shared-string cells name existing shared strings only, `ref-overflow` keeps cell
/// and row references within what calamine parses without overflowing a `u32`.
pub fn skip(what: &str) -> bool {
    static SKIP: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SKIP.get_or_init(|| {
        std::env::var("APP_FUZZ_SKIP")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_owned())
            .collect()
    })
    .iter()
    .any(|s| s == what)
}

/// Whether `APP_FUZZ_BIG` is set: only then are sheets built past the size limits (rows
/// repeated up to 250,000 times, zero parts of 60-65 MiB). Such an input takes seconds
/// under AddressSanitizer, and once in the corpus it slows every run that mutates it, so
/// they are left out of the ordinary runs.
pub fn big() -> bool {
    static BIG: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *BIG.get_or_init(|| std::env::var_os("APP_FUZZ_BIG").is_some())
}

pub fn repeat_count(repeat: u8) -> usize {
    if !big() {
        return if repeat >= 248 { usize::from(repeat - 247) * 125 } else { 0 };
    }
    match repeat {
        0..=247 => 0,
        248..=251 => usize::from(repeat - 247) * 10,
        252 => 1_000,
        253 => 100_000,
        254 => 199_999,
        255 => 250_000,
    }
}

/// Text escaped for XML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Column letters of a 0-based column: 0 is A, 25 Z, 26 AA, 16383 XFD.
pub fn column_letters(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let d = ((n - 1) % 26) as u8;
        letters.push(b'A' + d);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap()
}

impl Ref {
    fn text(&self) -> String {
        let text = match self {
            Ref::At { column, row } => format!("{}{row}", column_letters(*column)),
            Ref::Last => "XFD1048576".to_owned(),
            Ref::Raw(s) => esc(s),
        };
        if skip("ref-overflow") && overflows(&text) { "A1".to_owned() } else { text }
    }
}

/// Whether calamine's reference parser would overflow a `u32` on `text` (a panic with
/// overflow checks, a wrapped number without): more than 9 digits or 6 letters in a run,
/// or a range (whose end may come before its start).
fn overflows(text: &str) -> bool {
    let (mut digits, mut letters) = (0, 0);
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            letters = 0;
        } else if c.is_ascii_alphabetic() {
            letters += 1;
            digits = 0;
        } else {
            (digits, letters) = (0, 0);
        }
        if digits > 9 || letters > 6 || c == ':' {
            return true;
        }
    }
    false
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn rich(runs: &[String]) -> String {
    let mut s = String::new();
    for run in runs {
        let _ = write!(s, "<r><rPr><b/></rPr><t xml:space=\"preserve\">{}</t></r>", esc(run));
    }
    s
}

impl Book {
    fn sheet_xml(&self) -> String {
        let mut x = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">"
        );
        if let Some(d) = &self.dimension {
            let _ = write!(x, "<dimension ref=\"{}\"/>", d.text());
        }
        x.push_str("<sheetData>");
        let mut last_row = String::new();
        for row in &self.rows {
            last_row.clear();
            let r = &mut last_row;
            match &row.r {
                None => r.push_str("<row>"),
                Some(RowRef::Number(n)) => {
                    let n = if skip("ref-overflow") { n % 1_000_000_000 } else { *n };
                    let _ = write!(r, "<row r=\"{n}\">");
                }
                Some(RowRef::Raw(s)) => {
                    let s = esc(s);
                    let s = if skip("ref-overflow") && overflows(&s) { "1".into() } else { s };
                    let _ = write!(r, "<row r=\"{s}\">");
                }
            }
            for cell in &row.cells {
                r.push_str("<c");
                if let Some(at) = &cell.r {
                    let _ = write!(r, " r=\"{}\"", at.text());
                }
                if let Some(s) = cell.s {
                    let _ = write!(r, " s=\"{s}\"");
                }
                let t = match &cell.t {
                    CellType::None => None,
                    CellType::InlineStr => Some("inlineStr".to_owned()),
                    CellType::Shared => Some("s".to_owned()),
                    CellType::Number => Some("n".to_owned()),
                    CellType::Bool => Some("b".to_owned()),
                    CellType::Error => Some("e".to_owned()),
                    CellType::Str => Some("str".to_owned()),
                    CellType::Date => Some("d".to_owned()),
                    CellType::Raw(s) => Some(esc(s)),
                };
                // APP_FUZZ_SKIP=shared-index: a shared-string cell only ever names a shared
                // string that exists (calamine indexes its list unchecked: a known finding).
                // (calamine keeps no entry for an `<si>` without text: `Empty`, `Rich([])`)
                let shared_len = self.shared.as_ref().map_or(0, |l| {
                    l.iter()
                        .filter(|s| !matches!(s, Shared::Empty) && !matches!(s, Shared::Rich(r) if r.is_empty()))
                        .count()
                });
                let mut t = t;
                let index;
                let mut value = &cell.value;
                if matches!(cell.t, CellType::Shared) && skip("shared-index") {
                    if shared_len == 0 {
                        t = None;
                    } else {
                        let i = match value {
                            Value::Index(i) => *i as usize,
                            _ => 0,
                        };
                        index = Value::Index((i % shared_len) as u32);
                        value = &index;
                    }
                }
                if let Some(t) = t {
                    let _ = write!(r, " t=\"{t}\"");
                }
                r.push('>');
                match value {
                    Value::Empty => {}
                    Value::Inline(s) => {
                        let _ = write!(r, "<is><t>{}</t></is>", esc(s));
                    }
                    Value::Rich(runs) => {
                        let _ = write!(r, "<is>{}</is>", rich(runs));
                    }
                    Value::Text(s) => {
                        let _ = write!(r, "<v>{}</v>", esc(s));
                    }
                    Value::Number(f) => {
                        let _ = write!(r, "<v>{f}</v>");
                    }
                    Value::Index(i) => {
                        let _ = write!(r, "<v>{i}</v>");
                    }
                    Value::Formula(f, v) => {
                        let _ = write!(r, "<f>{}</f>", esc(f));
                        if let Some(v) = v {
                            let _ = write!(r, "<v>{}</v>", esc(v));
                        }
                    }
                    Value::Error(e) => {
                        let _ = write!(r, "<v>{}</v>", ERRORS[usize::from(*e) % ERRORS.len()]);
                    }
                }
                r.push_str("</c>");
            }
            r.push_str("</row>");
            x.push_str(r);
        }
        for _ in 0..repeat_count(self.repeat) {
            x.push_str(&last_row);
        }
        if let Some(raw) = &self.raw_in_sheet {
            x.push_str(raw);
        }
        x.push_str("</sheetData></worksheet>");
        x
    }

    fn shared_xml(shared: &[Shared]) -> String {
        let mut x = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"{MAIN_NS}\" count=\"{0}\" uniqueCount=\"{0}\">",
            shared.len()
        );
        for s in shared {
            match s {
                Shared::Plain(t) => {
                    let _ = write!(x, "<si><t>{}</t></si>", esc(t));
                }
                Shared::Rich(runs) => {
                    let _ = write!(x, "<si>{}</si>", rich(runs));
                }
                Shared::Phonetic(t, p) => {
                    let _ = write!(
                        x,
                        "<si><t>{}</t><rPh sb=\"0\" eb=\"1\"><t>{}</t></rPh></si>",
                        esc(t),
                        esc(p)
                    );
                }
                Shared::Empty => x.push_str("<si></si>"),
            }
        }
        x.push_str("</sst>");
        x
    }

    fn styles_xml(styles: &Styles) -> String {
        let mut x = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"{MAIN_NS}\"><numFmts count=\"{}\">",
            styles.formats.len()
        );
        for (id, format) in &styles.formats {
            let code = match format {
                Format::Known(i) => esc(KNOWN_FORMATS[usize::from(*i) % KNOWN_FORMATS.len()]),
                Format::Raw(s) => esc(s),
            };
            let _ = write!(x, "<numFmt numFmtId=\"{id}\" formatCode=\"{code}\"/>");
        }
        let _ = write!(x, "</numFmts><cellXfs count=\"{}\">", styles.xfs.len());
        for xf in &styles.xfs {
            match xf {
                Some(id) => {
                    let _ = write!(x, "<xf numFmtId=\"{id}\" applyNumberFormat=\"1\"></xf>");
                }
                None => x.push_str("<xf></xf>"),
            }
        }
        x.push_str("</cellXfs></styleSheet>");
        x
    }

    fn workbook_xml(&self) -> String {
        let mut x = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">"
        );
        if let Some(d) = self.date1904 {
            let _ = write!(x, "<workbookPr date1904=\"{}\"></workbookPr>", u8::from(d));
        }
        let _ = write!(
            x,
            "<sheets><sheet name=\"{}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
            esc(&self.sheet_name)
        );
        x
    }

    /// (target in the relationships, path of the part in the zip)
    fn sheet_paths(&self) -> (String, String) {
        match &self.sheet_target {
            SheetTarget::Relative => ("worksheets/sheet1.xml".into(), "xl/worksheets/sheet1.xml".into()),
            SheetTarget::Absolute => {
                ("/xl/worksheets/sheet1.xml".into(), "xl/worksheets/sheet1.xml".into())
            }
            SheetTarget::XlPrefixed => {
                ("xl/worksheets/sheet1.xml".into(), "xl/worksheets/sheet1.xml".into())
            }
            SheetTarget::Chartsheet => {
                ("chartsheets/sheet1.xml".into(), "xl/chartsheets/sheet1.xml".into())
            }
            SheetTarget::Raw(s) => (esc(s), format!("xl/{s}")),
        }
    }

    fn cfb_prefix(h: &CfbHeader) -> Vec<u8> {
        let mut b = vec![0u8; 512];
        b[0..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        b[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
        b[26..28].copy_from_slice(&h.version.to_le_bytes());
        b[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
        let shift: u16 = if h.big_sectors { 0x0C } else { 0x09 };
        b[30..32].copy_from_slice(&shift.to_le_bytes());
        b[32..34].copy_from_slice(&6u16.to_le_bytes());
        b[40..44].copy_from_slice(&h.dir_len.to_le_bytes());
        b[44..48].copy_from_slice(&h.fat_len.to_le_bytes());
        b[48..52].copy_from_slice(&h.dir_start.to_le_bytes());
        b[56..60].copy_from_slice(&4096u32.to_le_bytes());
        b[60..64].copy_from_slice(&h.mini_fat_start.to_le_bytes());
        b[64..68].copy_from_slice(&h.mini_fat_len.to_le_bytes());
        b[68..72].copy_from_slice(&h.difat_start.to_le_bytes());
        b[72..76].copy_from_slice(&h.difat_len.to_le_bytes());
        for i in 0..109 {
            let v = h.difat.get(i).copied().unwrap_or(0xFFFF_FFFF);
            b[76 + 4 * i..80 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        if h.big_sectors {
            b.resize(4096, 0);
        }
        b.extend_from_slice(&h.sectors);
        b
    }

    /// The XLSX file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        use zip::write::SimpleFileOptions;
        let (target, sheet_path) = self.sheet_paths();
        let method = if self.stored {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default().compression_method(method);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut part = |name: &str, body: &[u8], options: SimpleFileOptions| {
            // A name the zip writer refuses (a duplicate sheet path) is left out.
            if zip.start_file(name, options).is_ok() {
                zip.write_all(body).expect("write to memory");
            }
        };
        let mut types = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>",
        );
        let _ = write!(
            types,
            "<Override PartName=\"/{}\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>",
            esc(&sheet_path)
        );
        part("[Content_Types].xml", types.as_bytes(), options);
        part(
            "_rels/.rels",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>").as_bytes(),
            options,
        );
        part("xl/workbook.xml", self.workbook_xml().as_bytes(), options);
        part(
            "xl/_rels/workbook.xml.rels",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL_NS}/worksheet\" Target=\"{target}\"/></Relationships>").as_bytes(),
            options,
        );
        if let Some(shared) = &self.shared {
            part("xl/sharedStrings.xml", Self::shared_xml(shared).as_bytes(), options);
        }
        if let Some(styles) = &self.styles {
            part("xl/styles.xml", Self::styles_xml(styles).as_bytes(), options);
        }
        part(&sheet_path, self.sheet_xml().as_bytes(), options);
        let pad = |n: usize| vec![0u8; n << 20];
        let deflated = options.compression_method(zip::CompressionMethod::Deflated);
        match if big() { self.padding } else { 0 } {
            255 => {
                part("xl/media/pad1.bin", &pad(60), deflated);
                part("xl/media/pad2.bin", &pad(60), deflated);
            }
            254 => part("xl/media/pad1.bin", &pad(65), deflated),
            253 => part("xl/media/pad1.bin", &pad(1), deflated),
            _ => {}
        }
        let zip = zip.finish().expect("zip in memory").into_inner();
        // Data before a zip is allowed (self-extracting archives): the zip reader finds
        // the archive's offset from its central directory.
        let mut bytes = match &self.prefix {
            Prefix::None => Vec::new(),
            Prefix::Junk(j) => j.clone(),
            Prefix::Cfb(_) if skip("cfb") => Vec::new(),
            Prefix::Cfb(h) => Self::cfb_prefix(h),
        };
        bytes.extend_from_slice(&zip);
        bytes
    }
}
