//! The model's enums as the text columns that hold them: each decodes through its `parse`
//! and encodes through its `as_str`, so that a store reads `r.try_get("kind")?` or derives
//! `sqlx::FromRow` instead of parsing by hand, and a value no enum knows is a decode error
//! (an opaque internal error to the user, logged with the column) rather than a guess.
//! Typed ids (`ids.rs`) are `bigint` columns the same way. The models stay free of sqlx:
//! the impls live here, on the server only.

use sqlx::Postgres;
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef};

macro_rules! text_columns {
    ($($ty:ty),* $(,)?) => {$(
        impl sqlx::Type<Postgres> for $ty {
            fn type_info() -> PgTypeInfo {
                <str as sqlx::Type<Postgres>>::type_info()
            }

            fn compatible(ty: &PgTypeInfo) -> bool {
                <str as sqlx::Type<Postgres>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, Postgres> for $ty {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <&str as sqlx::Decode<Postgres>>::decode(value)?;
                <$ty>::parse(text)
                    .ok_or_else(|| format!("{text:?} is not a {}", stringify!($ty)).into())
            }
        }

        impl sqlx::Encode<'_, Postgres> for $ty {
            fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <&str as sqlx::Encode<Postgres>>::encode_by_ref(&self.as_str(), buf)
            }
        }

        impl Word for $ty {
            fn from_word(text: &str) -> Option<Self> {
                <$ty>::parse(text)
            }
        }
    )*};
}

/// A value stored as a word in a column, read back through its `parse`.
pub trait Word: Sized {
    fn from_word(text: &str) -> Option<Self>;
}

/// A column's word inside a JSON value that a statement built from its rows (a page's facts
/// gathered in one statement), read like the column itself: `#[serde(deserialize_with =
/// "crate::columns::word")]`. A word no enum knows is an error, as in a column.
pub fn word<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Word,
{
    use serde::de::Error;
    let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
    T::from_word(&text).ok_or_else(|| {
        D::Error::custom(format!("{text:?} is not a {}", std::any::type_name::<T>()))
    })
}

/// An enum's word or null, read as [`word`] reads one.
pub fn word_or_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Word,
{
    use serde::de::Error;
    let text = <Option<std::borrow::Cow<'de, str>> as serde::Deserialize>::deserialize(d)?;
    text.map(|text| {
        T::from_word(&text).ok_or_else(|| {
            D::Error::custom(format!("{text:?} is not a {}", std::any::type_name::<T>()))
        })
    })
    .transpose()
}

text_columns!(
    crate::auth::model::Role,
    crate::orgs::model::Tree,
    crate::orgs::model::OrgKind,
    crate::orgs::model::MemberStatus,
    crate::quiz::model::QuestionKind,
    crate::quiz::model::QuizKind,
    crate::points::model::RuleCode,
    crate::points::model::CapPeriod,
    crate::points::model::PointSource,
    crate::uploads::model::Purpose,
    crate::study::model::ItemKind,
    crate::league::founding::model::AppState,
    crate::league::founding::model::FoundingEvent,
    crate::league::ledger::model::AreaLevel,
    crate::org_life::records::model::RecordState,
    crate::org_life::records::model::RecordChange,
    crate::org_life::meetings::model::MeetingKind,
    crate::transfers::model::StepKind,
    crate::transfers::model::Status,
    crate::transfers::model::Action,
    crate::transfers::model::EventKind,
    crate::rankings::model::RatingStatus,
    crate::dues::model::Category,
    crate::development::model::Stage,
    crate::development::model::StepKind,
    crate::transfers::inbound::model::InboundState,
    crate::transfers::inbound::model::InboundKind,
    crate::dues::model::Method,
    crate::dues::model::PaymentState,
    crate::points::rewards::model::RewardKind,
    crate::points::rewards::model::RedemptionState,
);

/// A path is read as `path::text` (the column itself is an `ltree`); it is written by SQL
/// from ids, never bound whole, so it decodes only.
impl sqlx::Type<Postgres> for crate::orgs::model::OrgPath {
    fn type_info() -> PgTypeInfo {
        <str as sqlx::Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <str as sqlx::Type<Postgres>>::compatible(ty)
    }
}

impl Word for crate::orgs::model::OrgPath {
    fn from_word(text: &str) -> Option<Self> {
        Self::parse(text)
    }
}

impl<'r> sqlx::Decode<'r, Postgres> for crate::orgs::model::OrgPath {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as sqlx::Decode<Postgres>>::decode(value)?;
        Self::parse(text).ok_or_else(|| format!("{text:?} is not an organization path").into())
    }
}

macro_rules! id_columns {
    ($($ty:ty),* $(,)?) => {$(
        impl sqlx::Type<Postgres> for $ty {
            fn type_info() -> PgTypeInfo {
                <i64 as sqlx::Type<Postgres>>::type_info()
            }
        }

        impl<'r> sqlx::Decode<'r, Postgres> for $ty {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                <i64 as sqlx::Decode<Postgres>>::decode(value).map(Self)
            }
        }

        impl sqlx::Encode<'_, Postgres> for $ty {
            fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <i64 as sqlx::Encode<Postgres>>::encode_by_ref(&self.0, buf)
            }
        }

        impl sqlx::postgres::PgHasArrayType for $ty {
            fn array_type_info() -> PgTypeInfo {
                <i64 as sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }
    )*};
}

id_columns!(
    crate::ids::UserId,
    crate::ids::OrgId,
    crate::ids::TransferId,
    crate::ids::MeetingId,
    crate::ids::ItemId,
    crate::ids::ApplicationId,
);
