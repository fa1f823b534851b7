//! A meeting's record (minutes) as plain rules: where it stands in its review, when a save
//! against a version is allowed, the review's decision and its reason, and the kinds of
//! file attached to it. No I/O.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Msg};
use crate::org_life::meetings::model::parse_reason;

/// Where a meeting's record (minutes) stands in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordState {
    Draft,
    Submitted,
    Accepted,
    Returned,
}

/// The longest minutes and resolutions, in characters.
pub const MINUTES_MAX_CHARS: usize = 20_000;

impl RecordState {
    /// The state's name in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::Returned => "returned",
        }
    }

    /// A record state by its name; none for an unknown one.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Submitted, Self::Accepted, Self::Returned]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    /// The branch may edit and submit: a draft, or a record sent back.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }
}

/// A change in a record's history. On the wire and in the database it is the word
/// (`save`, `return`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum RecordChange {
    Save,
    Submit,
    Accept,
    /// Sent back to the branch with a reason.
    Return,
}

impl RecordChange {
    pub const ALL: [RecordChange; 4] = [
        RecordChange::Save,
        RecordChange::Submit,
        RecordChange::Accept,
        RecordChange::Return,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RecordChange::Save => "save",
            RecordChange::Submit => "submit",
            RecordChange::Accept => "accept",
            RecordChange::Return => "return",
        }
    }
}

crate::words::wire_words!(RecordChange);

/// A save of the minutes against the version the editor loaded: refused as stale when
/// someone saved since, refused when the record is under review or accepted.
pub fn check_save(state: RecordState, current: i32, loaded: i32) -> Result<(), Msg> {
    if !state.editable() {
        Err(Msg::RecordLocked)
    } else if current != loaded {
        Err(Msg::RecordChanged)
    } else {
        Ok(())
    }
}

/// Minutes and resolutions as typed, trimmed; each longer than [`MINUTES_MAX_CHARS`] is
/// refused in its field.
pub fn parse_minutes(
    minutes: &str,
    resolutions: &str,
) -> Result<(String, String), Vec<FieldError>> {
    let (minutes, resolutions) = (minutes.trim().to_owned(), resolutions.trim().to_owned());
    let errors: Vec<FieldError> = [("minutes", &minutes), ("resolutions", &resolutions)]
        .into_iter()
        .filter(|(_, v)| v.chars().count() > MINUTES_MAX_CHARS)
        .map(|(field, _)| FieldError::new(field, Msg::TooLong))
        .collect();
    if errors.is_empty() {
        Ok((minutes, resolutions))
    } else {
        Err(errors)
    }
}

/// The superior's reason, trimmed: a record sent back needs one (2 to 200 characters, as
/// for leave), an accepted one may carry a remark of at most 200.
pub fn parse_review_reason(accept: bool, reason: &str) -> Result<String, Msg> {
    let reason = reason.trim().to_owned();
    if !accept && parse_reason(&reason).is_none() {
        return Err(Msg::ReturnReasonRequired);
    }
    if reason.chars().count() > 200 {
        return Err(Msg::TooLong);
    }
    Ok(reason)
}

/// Where a review takes a record: only a submitted one is accepted or sent back.
pub fn reviewed(state: RecordState, accept: bool) -> Result<RecordState, Msg> {
    match (state, accept) {
        (RecordState::Submitted, true) => Ok(RecordState::Accepted),
        (RecordState::Submitted, false) => Ok(RecordState::Returned),
        _ => Err(Msg::RecordNotSubmitted),
    }
}

/// What a file attached to a record may be: the meeting's notice, the sign-in sheet, a
/// photo, or other.
pub const ATTACHMENT_KINDS: [&str; 4] = ["notice", "sign_in", "photo", "other"];

/// Is `kind` one of [`ATTACHMENT_KINDS`]?
pub fn is_attachment_kind(kind: &str) -> bool {
    ATTACHMENT_KINDS.contains(&kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_save_only_against_the_current_version_of_an_editable_record() {
        assert_eq!(check_save(RecordState::Draft, 3, 3), Ok(()));
        assert_eq!(check_save(RecordState::Returned, 4, 4), Ok(()));
        assert_eq!(
            check_save(RecordState::Draft, 4, 3),
            Err(Msg::RecordChanged)
        );
        assert_eq!(
            check_save(RecordState::Submitted, 3, 3),
            Err(Msg::RecordLocked)
        );
        assert_eq!(
            check_save(RecordState::Accepted, 3, 3),
            Err(Msg::RecordLocked)
        );
        for st in [
            RecordState::Draft,
            RecordState::Submitted,
            RecordState::Accepted,
            RecordState::Returned,
        ] {
            assert_eq!(RecordState::parse(st.as_str()), Some(st));
        }
    }

    #[test]
    fn minutes_and_resolutions_are_trimmed_and_each_too_long_one_is_refused() {
        assert_eq!(
            parse_minutes(" 议程一 ", "\n决议\n"),
            Ok(("议程一".to_owned(), "决议".to_owned()))
        );
        let long = "字".repeat(MINUTES_MAX_CHARS + 1);
        let fields = |r: Result<(String, String), Vec<FieldError>>| -> Vec<String> {
            r.unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(parse_minutes(&long, "")), ["minutes"]);
        assert_eq!(
            fields(parse_minutes(&long, &long)),
            ["minutes", "resolutions"]
        );
        assert!(parse_minutes(&"字".repeat(MINUTES_MAX_CHARS), "").is_ok());
    }

    #[test]
    fn a_record_sent_back_needs_a_reason_and_no_reason_is_over_two_hundred_characters() {
        assert_eq!(parse_review_reason(true, "  "), Ok(String::new()));
        assert_eq!(parse_review_reason(true, " 很好 "), Ok("很好".to_owned()));
        assert_eq!(
            parse_review_reason(false, "  "),
            Err(Msg::ReturnReasonRequired)
        );
        assert_eq!(
            parse_review_reason(false, "缺"),
            Err(Msg::ReturnReasonRequired)
        );
        assert_eq!(
            parse_review_reason(false, " 缺少签到表 "),
            Ok("缺少签到表".to_owned())
        );
        assert_eq!(
            parse_review_reason(true, &"好".repeat(201)),
            Err(Msg::TooLong)
        );
        assert_eq!(
            parse_review_reason(false, &"缺".repeat(201)),
            Err(Msg::ReturnReasonRequired)
        );
    }

    #[test]
    fn only_a_submitted_record_is_accepted_or_sent_back() {
        assert_eq!(
            reviewed(RecordState::Submitted, true),
            Ok(RecordState::Accepted)
        );
        assert_eq!(
            reviewed(RecordState::Submitted, false),
            Ok(RecordState::Returned)
        );
        for st in [
            RecordState::Draft,
            RecordState::Accepted,
            RecordState::Returned,
        ] {
            assert_eq!(reviewed(st, true), Err(Msg::RecordNotSubmitted));
            assert_eq!(reviewed(st, false), Err(Msg::RecordNotSubmitted));
        }
    }

    #[test]
    fn attachments_are_a_notice_a_sign_in_sheet_a_photo_or_other() {
        for kind in ["notice", "sign_in", "photo", "other"] {
            assert!(is_attachment_kind(kind));
        }
        assert!(!is_attachment_kind("video"));
        assert!(!is_attachment_kind(""));
    }
}
