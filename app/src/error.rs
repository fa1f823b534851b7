//! `AppError`: the one error type that crosses the wire, and the message keys it carries.
//!
//! The server never sends prose: it sends a [`Msg`] key, and the browser renders it in the
//! reader's language. The HTTP status of every error is decided by [`AppError::status`], in
//! this one place.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::Strings;

/// What went wrong, as a key the UI renders in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Msg {
    Required,
    TooLong,
    PasswordTooShort,
    PasswordTooCommon,
    PasswordMismatch,
    PhoneInvalid,
    UsernameInvalid,
    LoginInvalid,
    NameInvalid,
    PhoneTaken,
    UsernameTaken,
    InvitationUnknown,
    InvitationExpired,
    InvitationUsedUp,
    InvitationValidity,
    InvitationUses,
    BadCredentials,
    WrongCurrentPassword,
    CodeWrong,
    ResetNotForOfficers,
    RobotUrlInvalid,
    RobotUrlPrivate,
    RobotSecretInvalid,
    RobotSecretNotUsed,
    QuietHoursInvalid,
    RewardTitleTooLong,
    RewardDescriptionTooLong,
    RewardCostInvalid,
    RewardStockInvalid,
    RewardPerMemberInvalid,
    /// A reward's last day before today.
    RewardClosesPast,
    /// Outside the reward's window.
    RewardClosed,
    RewardOutOfStock,
    /// The member has redeemed as many of it as one may.
    RewardLimitReached,
    /// The member's balance is below the reward's cost.
    PointsShort,
    /// The redemption is not in a state that may become the one asked for.
    RedemptionStepInvalid,
    EmailInvalid,
    /// A channel was chosen without the address it needs (a phone, an e-mail address).
    ChannelNoAddress,
    CreditCodeInvalid,
    CreditCodeTaken,
    EnterpriseUnknown,
    KindNotAllowedHere,
    StatusNotInTree,
    MoveIntoOwnSubtree,
    UserUnknown,
    RoleNotForKind,
    RoleAlreadyHeld,
    AlreadyInTree,
    Duplicate,
    PointsInvalid,
    CapInvalid,
    DateInvalid,
    RuleStartTooEarly,
    ImportColumnMissing,
    ImportEmpty,
    ImportNotUtf8,
    ImportUnreadable,
    SheetTooManyRows,
    SheetTooManyColumns,
    SheetTooManyCells,
    SheetTooLarge,
    UploadQuotaFull,
    QuestionKindUnknown,
    OptionsGap,
    OptionsTooFew,
    AnswerInvalid,
    AnswerSingle,
    AnswerMultiple,
    QuestionDuplicate,
    UploadMissing,
    FileEmpty,
    FileTooLarge,
    FileTypeNotAllowed,
    TimeLimitInvalid,
    QuestionCountInvalid,
    QuestionsTooFew,
    WindowInvalid,
    CountInvalid,
    StatusUnknown,
    CreditCodeTwice,
    StarsInvalid,
    ReasonRequired,
    RatingPublished,
    RatingsUnconfirmed,
    RatingPeriodUnknown,
    ReportPeriodUnknown,
    BoardScopeUnknown,
    BoardPeriodUnknown,
    LengthInvalid,
    MediaMissing,
    DateTimeInvalid,
    QuizSubmitted,
    QuizLate,
    QuizNotOpen,
    PickNotInQuiz,
    TransferNoBranch,
    TransferNotABranch,
    TransferSameBranch,
    TransferStepHandled,
    TransferReasonRequired,
    TransferValidityNumber,
    TransferValidityTooLong,
    TransferLetterVoid,
    TransferLetterExpired,
    TransferDuesMonth,
    TransferDuesTooFarAhead,
    TransferDuesTooOld,
    TransferAlreadyOpen,
    TransferNotWithdrawable,
    TransferNotReturned,
    TransferNotWaiting,
    TransferLetterUnknown,
    TransferNoLetter,
    TransferOutsideName,
    LeagueMoreThanYoung,
    FoundingNoYoung,
    EnterpriseDeregistered,
    EnterpriseHasOrg,
    ApplicationOpen,
    ApplicationHandled,
    DistrictUnknown,
    AreaTaken,
    MeetingEndBeforeStart,
    MeetingTooSoon,
    MeetingNoPlace,
    MeetingRoomTaken,
    LinkInvalid,
    MeetingStarted,
    NoAttendees,
    BallotIncomplete,
    BallotCast,
    BallotClosed,
    EvaluationExists,
    EvaluationDays,
    EvaluationNotClosed,
    NoticeDays,
    NoticeAcked,
    ReturnReasonRequired,
    LeaveReasonInvalid,
    LeaveClosed,
    LeaveAnswered,
    NotExpected,
    CheckInTooEarly,
    CheckInClosed,
    CheckInCodeWrong,
    CheckInTwice,
    CheckInCodeFormat,
    AttendanceReasonRequired,
    RecordChanged,
    AlreadyReminded,
    RecordLocked,
    RecordNotSubmitted,
    RecordEmpty,
    NotYetHeld,
    MoneyInvalid,
    DuesFixedRange,
    DuesReasonRequired,
    DuesMonths,
    DuesTooFarAhead,
    DuesNoBase,
    DuesAlreadySettled,
    DuesBaseDeclared,
    DuesNotPayer,
    DuesMonthPaid,
    DuesProviderMismatch,
    TransferDuesFixed,
    DuesRatesExist,
    DuesRateMonth,
    DevCount,
    DevPresentOverEligible,
    DevFavourOverPresent,
    DevQuorum,
    DevMajority,
    DevBirthDate,
    DevBirthDateRequired,
    DevBirthDateSet,
    DevTooYoungParty,
    DevTooYoungLeague,
    DevTooOldLeague,
    DevTooOldTuiyou,
    DevStepNotNow,
    DevDateFuture,
    DevDateBeforeLast,
    DevActivistYear,
    DevHours,
    DevNoSponsors,
    DevNoReview,
    DevTraining,
    DevApprovalLate,
    DevExtension,
    DevNoRequest,
    DevProbationNotOver,
    DevQuotaFull,
    DevNotFullMember,
    DevSponsorCount,
    DevContactCount,
    DevCaseOpen,
    DevChanged,
    DevNoBranch,
    DevNotLeagueMember,
    DevNoTuiyou,
    DevRecommendedAlready,
    DevPersonUnknown,
    InboundOutsideName,
    InboundTaken,
    InboundSettled,
    BadRequest,
    Network,
}

/// A message about one form field (or about the whole form when `field` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub msg: Msg,
}

impl FieldError {
    pub fn new(field: &str, msg: Msg) -> Self {
        Self {
            field: field.to_owned(),
            msg,
        }
    }

    /// An error about the whole form rather than one field.
    pub fn form(msg: Msg) -> Self {
        Self::new("", msg)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("sign-in required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("conflict: {0:?}")]
    Conflict(Msg),
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// A request the server could not even decode: missing or malformed arguments.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The browser could not reach the server.
    #[error("network: {0}")]
    Network(String),
    /// The database cannot be reached right now; try again shortly.
    #[error("service unavailable")]
    Unavailable,
    /// Something unexpected; the details are in the server log under `request_id`.
    #[error("internal error, request {request_id}")]
    Internal { request_id: String },
}

/// Keeps a parsed value, or records its message under `field` and gives `None`; for
/// forms that report every bad field at once.
pub fn field_ok<T>(errors: &mut Vec<FieldError>, field: &str, parsed: Result<T, Msg>) -> Option<T> {
    parsed
        .map_err(|msg| errors.push(FieldError::new(field, msg)))
        .ok()
}

impl AppError {
    /// One invalid field.
    pub fn invalid(field: &str, msg: Msg) -> Self {
        Self::Invalid(vec![FieldError::new(field, msg)])
    }

    /// Turns a list of field errors into `Err(Invalid)` when it is not empty.
    pub fn check(errors: Vec<FieldError>) -> Result<(), Self> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Self::Invalid(errors))
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Invalid(_) => 422,
            Self::Conflict(_) => 409,
            Self::RateLimited { .. } => 429,
            Self::BadRequest(_) => 400,
            Self::Network(_) | Self::Unavailable => 503,
            Self::Internal { .. } => 500,
        }
    }

    /// The message for one field, if any.
    pub fn field(&self, name: &str) -> Option<Msg> {
        match self {
            Self::Invalid(errors) => errors.iter().find(|e| e.field == name).map(|e| e.msg),
            _ => None,
        }
    }

    /// The text shown above a form or in place of a page: everything but field messages.
    pub fn summary(&self, t: &Strings) -> String {
        match self {
            Self::Unauthenticated => t.err_unauthenticated.to_owned(),
            Self::Forbidden => t.err_forbidden.to_owned(),
            Self::NotFound => t.err_not_found.to_owned(),
            Self::Invalid(errors) => errors
                .iter()
                .find(|e| e.field.is_empty())
                .map(|e| e.msg.text(t).to_owned())
                .unwrap_or_else(|| t.err_invalid.to_owned()),
            Self::Conflict(msg) => msg.text(t).to_owned(),
            Self::RateLimited { retry_after_secs } => t.err_rate_limited.replace(
                "{minutes}",
                &retry_after_secs.div_ceil(60).max(1).to_string(),
            ),
            Self::BadRequest(_) => t.err_bad_request.to_owned(),
            Self::Network(_) => t.err_network.to_owned(),
            Self::Unavailable => t.err_unavailable.to_owned(),
            Self::Internal { request_id } => t.err_internal.replace("{id}", request_id),
        }
    }
}

impl Msg {
    pub fn text(self, t: &Strings) -> &'static str {
        match self {
            Msg::Required => t.msg_required,
            Msg::TooLong => t.msg_too_long,
            Msg::PasswordTooShort => t.msg_password_too_short,
            Msg::PasswordTooCommon => t.msg_password_too_common,
            Msg::PasswordMismatch => t.msg_password_mismatch,
            Msg::PhoneInvalid => t.msg_phone_invalid,
            Msg::UsernameInvalid => t.msg_username_invalid,
            Msg::LoginInvalid => t.msg_login_invalid,
            Msg::NameInvalid => t.msg_name_invalid,
            Msg::PhoneTaken => t.msg_phone_taken,
            Msg::UsernameTaken => t.msg_username_taken,
            Msg::InvitationUnknown => t.msg_invitation_unknown,
            Msg::InvitationExpired => t.msg_invitation_expired,
            Msg::InvitationUsedUp => t.msg_invitation_used_up,
            Msg::InvitationValidity => t.msg_invitation_validity,
            Msg::InvitationUses => t.msg_invitation_uses,
            Msg::BadCredentials => t.msg_bad_credentials,
            Msg::WrongCurrentPassword => t.msg_wrong_current_password,
            Msg::CodeWrong => t.msg_code_wrong,
            Msg::ResetNotForOfficers => t.msg_reset_not_for_officers,
            Msg::RobotUrlInvalid => t.msg_robot_url_invalid,
            Msg::RobotUrlPrivate => t.msg_robot_url_private,
            Msg::RobotSecretInvalid => t.msg_robot_secret_invalid,
            Msg::RobotSecretNotUsed => t.msg_robot_secret_not_used,
            Msg::QuietHoursInvalid => t.msg_quiet_hours_invalid,
            Msg::RewardTitleTooLong => t.msg_reward_title_too_long,
            Msg::RewardDescriptionTooLong => t.msg_reward_description_too_long,
            Msg::RewardCostInvalid => t.msg_reward_cost_invalid,
            Msg::RewardStockInvalid => t.msg_reward_stock_invalid,
            Msg::RewardPerMemberInvalid => t.msg_reward_per_member_invalid,
            Msg::RewardClosesPast => t.msg_reward_closes_past,
            Msg::RewardClosed => t.msg_reward_closed,
            Msg::RewardOutOfStock => t.msg_reward_out_of_stock,
            Msg::RewardLimitReached => t.msg_reward_limit_reached,
            Msg::PointsShort => t.msg_points_short,
            Msg::RedemptionStepInvalid => t.msg_redemption_step_invalid,
            Msg::EmailInvalid => t.msg_email_invalid,
            Msg::ChannelNoAddress => t.msg_channel_no_address,
            Msg::CreditCodeInvalid => t.msg_credit_code_invalid,
            Msg::CreditCodeTaken => t.msg_credit_code_taken,
            Msg::EnterpriseUnknown => t.msg_enterprise_unknown,
            Msg::KindNotAllowedHere => t.msg_kind_not_allowed,
            Msg::StatusNotInTree => t.msg_status_not_in_tree,
            Msg::MoveIntoOwnSubtree => t.msg_move_into_own_subtree,
            Msg::UserUnknown => t.msg_user_unknown,
            Msg::RoleNotForKind => t.msg_role_not_for_kind,
            Msg::RoleAlreadyHeld => t.msg_role_already_held,
            Msg::AlreadyInTree => t.msg_already_in_tree,
            Msg::Duplicate => t.msg_duplicate,
            Msg::PointsInvalid => t.msg_points_invalid,
            Msg::CapInvalid => t.msg_cap_invalid,
            Msg::DateInvalid => t.msg_date_invalid,
            Msg::RuleStartTooEarly => t.msg_rule_start_too_early,
            Msg::ImportColumnMissing => t.msg_import_column_missing,
            Msg::ImportEmpty => t.msg_import_empty,
            Msg::ImportNotUtf8 => t.msg_import_not_utf8,
            Msg::ImportUnreadable => t.msg_import_unreadable,
            Msg::SheetTooManyRows => t.msg_sheet_too_many_rows,
            Msg::SheetTooManyColumns => t.msg_sheet_too_many_columns,
            Msg::SheetTooManyCells => t.msg_sheet_too_many_cells,
            Msg::SheetTooLarge => t.msg_sheet_too_large,
            Msg::UploadQuotaFull => t.msg_upload_quota_full,
            Msg::QuestionKindUnknown => t.msg_question_kind_unknown,
            Msg::OptionsGap => t.msg_options_gap,
            Msg::OptionsTooFew => t.msg_options_too_few,
            Msg::AnswerInvalid => t.msg_answer_invalid,
            Msg::AnswerSingle => t.msg_answer_single,
            Msg::AnswerMultiple => t.msg_answer_multiple,
            Msg::QuestionDuplicate => t.msg_question_duplicate,
            Msg::UploadMissing => t.msg_upload_missing,
            Msg::FileEmpty => t.msg_file_empty,
            Msg::FileTooLarge => t.msg_file_too_large,
            Msg::FileTypeNotAllowed => t.msg_file_type_not_allowed,
            Msg::TimeLimitInvalid => t.msg_time_limit_invalid,
            Msg::QuestionCountInvalid => t.msg_question_count_invalid,
            Msg::QuestionsTooFew => t.msg_questions_too_few,
            Msg::WindowInvalid => t.msg_window_invalid,
            Msg::CountInvalid => t.msg_count_invalid,
            Msg::LeagueMoreThanYoung => t.msg_league_more_than_young,
            Msg::FoundingNoYoung => t.msg_founding_no_young,
            Msg::EnterpriseDeregistered => t.msg_enterprise_deregistered,
            Msg::EnterpriseHasOrg => t.msg_enterprise_has_org,
            Msg::ApplicationOpen => t.msg_application_open,
            Msg::ApplicationHandled => t.msg_application_handled,
            Msg::DistrictUnknown => t.msg_district_unknown,
            Msg::AreaTaken => t.msg_area_taken,
            Msg::MeetingEndBeforeStart => t.msg_meeting_end_before_start,
            Msg::MeetingTooSoon => t.msg_meeting_too_soon,
            Msg::MeetingNoPlace => t.msg_meeting_no_place,
            Msg::MeetingRoomTaken => t.msg_meeting_room_taken,
            Msg::LinkInvalid => t.msg_link_invalid,
            Msg::MeetingStarted => t.msg_meeting_started,
            Msg::NoAttendees => t.msg_no_attendees,
            Msg::BallotIncomplete => t.msg_ballot_incomplete,
            Msg::BallotCast => t.msg_ballot_cast,
            Msg::BallotClosed => t.msg_ballot_closed,
            Msg::EvaluationExists => t.msg_evaluation_exists,
            Msg::EvaluationDays => t.msg_evaluation_days,
            Msg::MoneyInvalid => t.msg_money_invalid,
            Msg::DuesFixedRange => t.msg_dues_fixed_range,
            Msg::DuesReasonRequired => t.msg_dues_reason_required,
            Msg::DuesMonths => t.msg_dues_months,
            Msg::DuesTooFarAhead => t.msg_dues_too_far_ahead,
            Msg::DuesNoBase => t.msg_dues_no_base,
            Msg::DuesAlreadySettled => t.msg_dues_already_settled,
            Msg::DuesBaseDeclared => t.msg_dues_base_declared,
            Msg::DuesNotPayer => t.msg_dues_not_payer,
            Msg::DuesMonthPaid => t.msg_dues_month_paid,
            Msg::DuesProviderMismatch => t.msg_dues_provider_mismatch,
            Msg::TransferDuesFixed => t.msg_transfer_dues_fixed,
            Msg::DuesRatesExist => t.msg_dues_rates_exist,
            Msg::DuesRateMonth => t.msg_dues_rate_month,
            Msg::EvaluationNotClosed => t.msg_evaluation_not_closed,
            Msg::NoticeDays => t.msg_notice_days,
            Msg::NoticeAcked => t.msg_notice_acked,
            Msg::ReturnReasonRequired => t.msg_return_reason_required,
            Msg::LeaveReasonInvalid => t.msg_leave_reason_invalid,
            Msg::LeaveClosed => t.msg_leave_closed,
            Msg::LeaveAnswered => t.msg_leave_answered,
            Msg::NotExpected => t.msg_not_expected,
            Msg::CheckInTooEarly => t.msg_check_in_too_early,
            Msg::CheckInClosed => t.msg_check_in_closed,
            Msg::CheckInCodeWrong => t.msg_check_in_code_wrong,
            Msg::CheckInTwice => t.msg_check_in_twice,
            Msg::CheckInCodeFormat => t.msg_check_in_code_format,
            Msg::AttendanceReasonRequired => t.msg_attendance_reason_required,
            Msg::RecordChanged => t.msg_record_changed,
            Msg::AlreadyReminded => t.msg_already_reminded,
            Msg::RecordLocked => t.msg_record_locked,
            Msg::RecordNotSubmitted => t.msg_record_not_submitted,
            Msg::RecordEmpty => t.msg_record_empty,
            Msg::NotYetHeld => t.msg_not_yet_held,
            Msg::StatusUnknown => t.msg_status_unknown,
            Msg::CreditCodeTwice => t.msg_credit_code_twice,
            Msg::StarsInvalid => t.msg_stars_invalid,
            Msg::ReasonRequired => t.msg_reason_required,
            Msg::RatingPublished => t.msg_rating_published,
            Msg::RatingsUnconfirmed => t.msg_ratings_unconfirmed,
            Msg::RatingPeriodUnknown => t.msg_rating_period_unknown,
            Msg::ReportPeriodUnknown => t.msg_report_period_unknown,
            Msg::BoardScopeUnknown => t.msg_board_scope_unknown,
            Msg::BoardPeriodUnknown => t.msg_board_period_unknown,
            Msg::LengthInvalid => t.msg_length_invalid,
            Msg::MediaMissing => t.msg_media_missing,
            Msg::DateTimeInvalid => t.msg_datetime_invalid,
            Msg::QuizSubmitted => t.msg_quiz_submitted,
            Msg::QuizLate => t.msg_quiz_late,
            Msg::QuizNotOpen => t.msg_quiz_not_open,
            Msg::PickNotInQuiz => t.msg_pick_not_in_quiz,
            Msg::TransferNoBranch => t.msg_transfer_no_branch,
            Msg::TransferNotABranch => t.msg_transfer_not_a_branch,
            Msg::TransferSameBranch => t.msg_transfer_same_branch,
            Msg::TransferStepHandled => t.msg_transfer_step_handled,
            Msg::TransferReasonRequired => t.msg_transfer_reason_required,
            Msg::TransferValidityNumber => t.msg_transfer_validity_number,
            Msg::TransferValidityTooLong => t.msg_transfer_validity_too_long,
            Msg::TransferLetterVoid => t.msg_transfer_letter_void,
            Msg::TransferLetterExpired => t.msg_transfer_letter_expired,
            Msg::TransferDuesMonth => t.msg_transfer_dues_month,
            Msg::TransferDuesTooFarAhead => t.msg_transfer_dues_too_far_ahead,
            Msg::TransferDuesTooOld => t.msg_transfer_dues_too_old,
            Msg::TransferAlreadyOpen => t.msg_transfer_already_open,
            Msg::TransferNotWithdrawable => t.msg_transfer_not_withdrawable,
            Msg::TransferNotReturned => t.msg_transfer_not_returned,
            Msg::TransferNotWaiting => t.msg_transfer_not_waiting,
            Msg::TransferLetterUnknown => t.msg_transfer_letter_unknown,
            Msg::TransferNoLetter => t.msg_transfer_no_letter,
            Msg::TransferOutsideName => t.msg_transfer_outside_name,
            Msg::DevCount => t.msg_dev_count,
            Msg::DevPresentOverEligible => t.msg_dev_present_over,
            Msg::DevFavourOverPresent => t.msg_dev_favour_over,
            Msg::DevQuorum => t.msg_dev_quorum,
            Msg::DevMajority => t.msg_dev_majority,
            Msg::DevBirthDate => t.msg_dev_birth_date,
            Msg::DevBirthDateRequired => t.msg_dev_birth_date_required,
            Msg::DevBirthDateSet => t.msg_dev_birth_date_set,
            Msg::DevTooYoungParty => t.msg_dev_too_young_party,
            Msg::DevTooYoungLeague => t.msg_dev_too_young_league,
            Msg::DevTooOldLeague => t.msg_dev_too_old_league,
            Msg::DevTooOldTuiyou => t.msg_dev_too_old_tuiyou,
            Msg::DevStepNotNow => t.msg_dev_step_not_now,
            Msg::DevDateFuture => t.msg_dev_date_future,
            Msg::DevDateBeforeLast => t.msg_dev_date_before_last,
            Msg::DevActivistYear => t.msg_dev_activist_year,
            Msg::DevHours => t.msg_dev_hours,
            Msg::DevNoSponsors => t.msg_dev_no_sponsors,
            Msg::DevNoReview => t.msg_dev_no_review,
            Msg::DevTraining => t.msg_dev_training,
            Msg::DevApprovalLate => t.msg_dev_approval_late,
            Msg::DevExtension => t.msg_dev_extension,
            Msg::DevNoRequest => t.msg_dev_no_request,
            Msg::DevProbationNotOver => t.msg_dev_probation_not_over,
            Msg::DevQuotaFull => t.msg_dev_quota_full,
            Msg::DevNotFullMember => t.msg_dev_not_full_member,
            Msg::DevSponsorCount => t.msg_dev_sponsor_count,
            Msg::DevContactCount => t.msg_dev_contact_count,
            Msg::DevCaseOpen => t.msg_dev_case_open,
            Msg::DevChanged => t.msg_dev_changed,
            Msg::DevNoBranch => t.msg_dev_no_branch,
            Msg::DevNotLeagueMember => t.msg_dev_not_league_member,
            Msg::DevNoTuiyou => t.msg_dev_no_tuiyou,
            Msg::DevRecommendedAlready => t.msg_dev_recommended_already,
            Msg::DevPersonUnknown => t.msg_dev_person_unknown,
            Msg::InboundOutsideName => t.msg_inbound_outside_name,
            Msg::InboundTaken => t.msg_inbound_taken,
            Msg::InboundSettled => t.msg_inbound_settled,
            Msg::BadRequest => t.err_bad_request,
            Msg::Network => t.err_network,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(e) | ServerFnErrorErr::Response(e) => Self::Network(e),
            ServerFnErrorErr::Args(e)
            | ServerFnErrorErr::Deserialization(e)
            | ServerFnErrorErr::MissingArg(e)
            | ServerFnErrorErr::UnsupportedRequestMethod(e) => Self::BadRequest(e),
            other => Self::internal(other),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{AppError, Msg};

    tokio::task_local! {
        /// The id of the request being served, set by the server's request-id layer.
        pub static REQUEST_ID: String;
    }

    impl AppError {
        /// Logs an unexpected error with the request id and returns the opaque error the user
        /// sees. Outside a request (a spawned render task) a fresh id is logged instead.
        pub fn internal(err: impl std::fmt::Display) -> Self {
            let request_id = REQUEST_ID
                .try_with(Clone::clone)
                .unwrap_or_else(|_| uuid::Uuid::new_v4().simple().to_string()[..12].to_owned());
            tracing::error!(request_id = %request_id, error = %err, "unexpected error");
            Self::Internal { request_id }
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            // A unique violation (SQLSTATE 23505) is a race two requests can lose, not a
            // fault; callers that expect one map it by constraint name (`unique_violation`).
            if let Some(db) = err.as_database_error()
                && db.code().as_deref() == Some("23505")
            {
                return Self::Conflict(Msg::Duplicate);
            }
            // The database going away: a connection that broke, none to be had, or the
            // server shutting down or starting (SQLSTATE class 57, operator intervention,
            // and class 08, connection exception).
            let going_away = err.as_database_error().is_some_and(|db| {
                db.code()
                    .is_some_and(|c| c.starts_with("57") || c.starts_with("08"))
            });
            if going_away
                || matches!(
                    err,
                    sqlx::Error::PoolTimedOut
                        | sqlx::Error::PoolClosed
                        | sqlx::Error::Io(_)
                        | sqlx::Error::WorkerCrashed
                )
            {
                tracing::error!(error = %err, "database unavailable");
                return Self::Unavailable;
            }
            Self::internal(err)
        }
    }

    /// The constraint name when `err` is a unique violation (SQLSTATE 23505).
    pub fn unique_violation(err: &sqlx::Error) -> Option<String> {
        let db = err.as_database_error()?;
        (db.code().as_deref() == Some("23505"))
            .then(|| db.constraint().unwrap_or_default().to_owned())
    }
}

#[cfg(feature = "ssr")]
pub use ssr::{REQUEST_ID, unique_violation};

#[cfg(not(feature = "ssr"))]
impl AppError {
    /// In the browser an unexpected error has no server log to point to.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        Self::Internal {
            request_id: err.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_maps_to_a_client_status_never_500() {
        for e in [
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::invalid("x", Msg::Required),
            AppError::Conflict(Msg::PhoneTaken),
            AppError::RateLimited {
                retry_after_secs: 5,
            },
            AppError::BadRequest("junk".into()),
        ] {
            assert!((400..500).contains(&e.status()), "{e:?}");
        }
    }

    #[test]
    fn undecodable_arguments_are_a_bad_request() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing".into()));
        assert_eq!(e.status(), 400);
    }

    #[test]
    fn rate_limit_message_says_when_to_try_again() {
        let t = crate::i18n::Locale::ZhCn.strings();
        let text = AppError::RateLimited {
            retry_after_secs: 125,
        }
        .summary(t);
        assert!(text.contains('3'), "{text}");
    }
}
