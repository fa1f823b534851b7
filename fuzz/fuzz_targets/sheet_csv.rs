//! `rows_of(bytes, "csv")` on any bytes: never a panic, never more than the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = app::uploads::sheet::rows_of(data, "csv") {
        app_fuzz::check_sheet(&rows);
    }
});
