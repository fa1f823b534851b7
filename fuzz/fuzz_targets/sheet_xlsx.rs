//! `rows_of(bytes, "xlsx")` on a valid XLSX file built from structured input (see
//! `app_fuzz::xlsx::Book`): never a panic, never more than the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

// A panic inside calamine that `rows_of` catches (it reads as an unreadable file) is how
// the server behaves, not a crash: the default hook instead of libfuzzer-sys's aborting
// one. A panic that escapes `rows_of` still aborts (it cannot unwind out of the target).
fuzz_target!(init: { let _ = std::panic::take_hook(); }, |book: app_fuzz::xlsx::Book| {
    let bytes = book.to_bytes();
    if let Ok(rows) = app::uploads::sheet::rows_of(&bytes, "xlsx") {
        app_fuzz::check_sheet(&rows);
    }
});
