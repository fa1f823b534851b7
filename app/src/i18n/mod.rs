//! The UI's words in zh-CN (the default) and English, side by side so that they stay in step.
//!
//! A typed table instead of string keys: a missing translation is a compile error. The
//! locale is fixed for a page load; switching language reloads the page (see `auth::api`).

use serde::{Deserialize, Serialize};

mod strings;
pub use strings::Strings;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

/// The cookie that remembers the language for visitors who are not signed in.
pub const LOCALE_COOKIE: &str = "lang";

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The BCP 47 tag, as used in `<html lang>`, the cookie and the database.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// The language's own name, shown on the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::ZhCn => "中文",
            Locale::En => "English",
        }
    }

    pub fn parse(tag: &str) -> Option<Self> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Locale::ZhCn)
        } else if tag.starts_with("en") {
            Some(Locale::En)
        } else {
            None
        }
    }

    /// First guess from an `Accept-Language` header: the supported language with the
    /// highest q-value, Chinese when nothing matches.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(locale) = pieces.next().and_then(Locale::parse) else {
                continue;
            };
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// The value of the language cookie in a `Cookie` header, if any.
    pub fn from_cookie_header(header: &str) -> Option<Self> {
        header.split(';').find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == LOCALE_COOKIE).then(|| Locale::parse(v)).flatten()
        })
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::ZhCn => &strings::ZH_CN,
            Locale::En => &strings::EN,
        }
    }
}

/// The current page's words. Provided by `App`; Chinese if nothing was provided.
pub fn use_t() -> &'static Strings {
    use_locale().strings()
}

/// The language of this page load: provided by the shell on the server; in the browser,
/// where a part of the page may run without what the server provided, read back from
/// `<html lang>` so that it renders the same words. Chinese if neither says.
pub fn use_locale() -> Locale {
    leptos::prelude::use_context::<Locale>()
        .or_else(page_lang)
        .unwrap_or_default()
}

#[cfg(feature = "hydrate")]
fn page_lang() -> Option<Locale> {
    let lang = web_sys::window()?
        .document()?
        .document_element()?
        .get_attribute("lang")?;
    Locale::parse(&lang)
}

#[cfg(not(feature = "hydrate"))]
fn page_lang() -> Option<Locale> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_supported_q_value() {
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Locale::ZhCn
        );
        assert_eq!(Locale::from_accept_language("fr-FR,en;q=0.5"), Locale::En);
        assert_eq!(Locale::from_accept_language("fr-FR"), Locale::ZhCn);
        assert_eq!(Locale::from_accept_language(""), Locale::ZhCn);
    }

    #[test]
    fn the_language_cookie_is_found_among_others() {
        assert_eq!(
            Locale::from_cookie_header("id=abc; lang=en; x=1"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_cookie_header("id=abc"), None);
        assert_eq!(Locale::from_cookie_header("lang=xx"), None);
    }

    #[test]
    fn tags_round_trip() {
        for l in Locale::ALL {
            assert_eq!(Locale::parse(l.tag()), Some(l));
        }
    }
}
