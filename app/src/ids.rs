//! Typed ids for what crosses features, so that a transfer's id cannot be passed where a
//! meeting's is expected. On the wire and in the database each is a plain integer
//! (`serde(transparent)`; the sqlx impls are in `columns.rs`).

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
        impl leptos::tachys::html::attribute::IntoAttributeValue for $name {
            type Output = i64;

            fn into_attribute_value(self) -> i64 {
                self.0
            }
        }
    )*};
}

ids!(
    /// A person with an account.
    UserId,
    /// An organization of either tree (Party or League).
    OrgId,
    /// A transfer of membership (组织关系转接).
    TransferId,
    /// A meeting of organization life.
    MeetingId,
    /// A study item: an article, a video or a lesson.
    ItemId,
    /// A founding application (一键入团).
    ApplicationId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_plain_number_on_the_wire_and_in_a_path() {
        assert_eq!(serde_json::to_string(&TransferId(42)).unwrap(), "42");
        assert_eq!(
            serde_json::from_str::<TransferId>("42").unwrap(),
            TransferId(42)
        );
        assert_eq!("42".parse::<TransferId>().unwrap(), TransferId(42));
        assert_eq!(TransferId(42).to_string(), "42");
        assert!("x".parse::<TransferId>().is_err());
    }
}
