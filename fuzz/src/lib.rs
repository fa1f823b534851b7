//! Helpers shared by the fuzz targets: the checks every read sheet must pass, a builder
//! of small but valid XLSX files from structured (`arbitrary`) input, and a check that
//! rendered Markdown holds no script.

pub mod xlsx;

/// The limits that `app::uploads::sheet::rows_of` promises (see
/// `app::uploads::model::sheet_limits`), checked on a sheet it accepted.
pub fn check_sheet(rows: &[Vec<String>]) {
    use app::uploads::model::sheet_limits::{CELLS, COLUMNS, ROWS};
    assert!(rows.len() <= ROWS as usize, "{} rows accepted", rows.len());
    let mut cells = 0u64;
    for (i, row) in rows.iter().enumerate() {
        assert!(
            row.len() <= COLUMNS as usize,
            "row {i} has {} columns",
            row.len()
        );
        cells += row.len() as u64;
    }
    // Padding cells (the gaps before a far cell) count here too, so this is a bound on
    // what was allocated: at most ROWS x COLUMNS cells.
    assert!(
        cells <= u64::from(ROWS) * u64::from(COLUMNS),
        "{cells} cells allocated"
    );
    let filled = rows.iter().flatten().filter(|c| !c.is_empty()).count() as u64;
    assert!(filled <= CELLS, "{filled} cells accepted");
}

/// Checks that sanitised HTML has no element or attribute that could run script: no
/// `script`/`style`/`iframe`/... element, no `on*` or `style` attribute, no `javascript:`,
/// `vbscript:` or `data:` link. The HTML is ammonia's serialisation: text never holds a raw
/// `<`, and attribute values are always in double quotes.
pub fn check_safe_html(html: &str) {
    const BAD_TAGS: &[&str] = &[
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
        "input", "button", "textarea", "select", "svg", "math", "meta", "link", "base",
        "template", "noscript",
    ];
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let tag = &rest[open + 1..];
        // The tag runs to the first '>' outside a quoted value.
        let mut end = None;
        let mut quoted = false;
        for (i, c) in tag.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '>' if !quoted => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end.unwrap_or_else(|| panic!("unclosed tag in {html:?}"));
        let body = &tag[..end];
        rest = &tag[end + 1..];
        let body = body.strip_prefix('/').unwrap_or(body);
        let name_end = body
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        assert!(!BAD_TAGS.contains(&name.as_str()), "<{name}> kept in {html:?}");
        // Attributes: name="value" pairs.
        let mut attrs = &body[name_end..];
        loop {
            attrs = attrs.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if attrs.is_empty() {
                break;
            }
            let key_end = attrs
                .find(|c: char| c == '=' || c.is_ascii_whitespace())
                .unwrap_or(attrs.len());
            let key = attrs[..key_end].to_ascii_lowercase();
            attrs = &attrs[key_end..];
            let mut value = "";
            if let Some(v) = attrs.strip_prefix("=\"") {
                let close = v.find('"').unwrap_or_else(|| panic!("bad attribute in {html:?}"));
                value = &v[..close];
                attrs = &v[close + 1..];
            }
            assert!(
                !key.starts_with("on") && key != "style" && key != "srcdoc" && key != "formaction",
                "attribute {key} kept in {html:?}"
            );
            if matches!(key.as_str(), "href" | "src" | "cite" | "action" | "background" | "poster")
            {
                // As a browser reads the URL (WHATWG URL parser): the attribute's entities
                // decoded, leading and trailing C0 controls and spaces trimmed, tabs and
                // newlines removed anywhere. Any other character inside a scheme makes the
                // URL relative (`jav\u{1}ascript:` is not `javascript:`).
                let v: String = value
                    .replace("&quot;", "\"")
                    .replace("&nbsp;", "\u{a0}")
                    .replace("&amp;", "&")
                    .trim_matches(|c: char| c <= ' ')
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!v.starts_with(scheme), "{key}={value:?} kept in {html:?}");
                }
            }
        }
    }
}
