//! `rows_of(bytes, "xlsx")` on any bytes (best started from the seed XLSX files in
//! `seeds/sheet_xlsx_raw`): never a panic, never more than the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

// As in `sheet_xlsx`: a panic `rows_of` catches is not a crash; one that escapes still is.
fuzz_target!(init: { let _ = std::panic::take_hook(); }, |data: &[u8]| {
    // APP_FUZZ_SKIP=cfb: leave out inputs that start like an OLE/CFB file (known findings).
    if data.starts_with(CFB_MAGIC) && app_fuzz::xlsx::skip("cfb") {
        return;
    }
    if let Ok(rows) = app::uploads::sheet::rows_of(data, "xlsx") {
        app_fuzz::check_sheet(&rows);
    }
});
