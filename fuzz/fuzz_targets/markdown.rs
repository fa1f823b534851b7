//! `app::study::markdown::render` on any UTF-8 text: never a panic, and the sanitised
//! HTML keeps no script (no script-like element, `on*`/`style` attribute or
//! `javascript:` link).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (html, plain) = app::study::markdown::render(text);
    app_fuzz::check_safe_html(&html);
    // The plain text is whitespace-normalised.
    assert!(!plain.starts_with(' ') && !plain.ends_with(' ') && !plain.contains("  "));
});
