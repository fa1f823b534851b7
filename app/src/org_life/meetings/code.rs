//! The rotating check-in code: six digits from a keyed digest (HMAC-SHA256) of the
//! meeting's secret and the 30-second slot, and the QR code that carries the check-in link
//! with the code, drawn as SVG on the server.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::model::code_digits;

/// The code of a meeting in a slot.
pub fn code_for(secret: &[u8], slot: i64) -> String {
    // HMAC takes a key of any length, so this never fails.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&slot.to_be_bytes());
    code_digits(&mac.finalize().into_bytes())
}

/// A QR code of `text` as an SVG document that scales to its box.
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_that_change_with_the_slot_and_the_secret() {
        let a = code_for(b"secret one", 100);
        assert_eq!(a.len(), 6);
        assert!(a.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(a, code_for(b"secret one", 100));
        let others: Vec<String> = (101..111).map(|s| code_for(b"secret one", s)).collect();
        assert!(others.iter().any(|c| *c != a));
        assert_ne!(code_for(b"secret two", 100), a);
    }

    #[test]
    fn the_qr_code_is_an_svg() {
        let svg = qr_svg("http://127.0.0.1/orglife/meeting/1?code=123456");
        assert!(svg.contains("<svg"));
        assert!(svg.contains("viewBox"));
    }
}
