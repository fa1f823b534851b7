//! Enums that travel as their words (`"approve"`, `"submitted"`), on the wire as in the
//! database. Such an enum has `parse` and `as_str`, carries
//! `#[serde(try_from = "String", into = "&'static str")]` and is named in [`wire_words`].

/// The conversions serde goes through for enums written as their words.
macro_rules! wire_words {
    ($($ty:ty),* $(,)?) => {$(
        impl TryFrom<String> for $ty {
            type Error = String;

            fn try_from(s: String) -> Result<Self, String> {
                <$ty>::parse(&s).ok_or(s)
            }
        }

        impl From<$ty> for &'static str {
            fn from(e: $ty) -> Self {
                e.as_str()
            }
        }
    )*};
}

pub(crate) use wire_words;
