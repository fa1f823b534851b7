//! A message to a member as a key with its arguments, stored as such and put into words
//! only when it is read, in the reader's language. Names in the arguments are the only
//! text a message carries (an organization's, a meeting's, a member's).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::i18n::Strings;
use crate::org_life::meetings::model::MeetingKind;
use crate::orgs::model::Tree;
use crate::transfers::model::Status;

/// What a message says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    /// A secretary's reminder to finish a required study item.
    StudyReminder {
        title: String,
    },
    MeetingScheduled {
        org: String,
        title: String,
    },
    /// The meeting moved; `when` is its new start as "2026-11-26 19:00" (Asia/Shanghai).
    MeetingChanged {
        title: String,
        when: String,
    },
    LeaveAsked {
        title: String,
    },
    LeaveAnswered {
        title: String,
        approved: bool,
    },
    RecordSubmitted {
        org: String,
        title: String,
    },
    RecordReviewed {
        title: String,
        accepted: bool,
    },
    /// An item of organization life not scheduled near the end of its period.
    LifeWarning {
        org: String,
        item: LifeItem,
    },
    /// An item of organization life not held in its period, to the superior.
    LifeEscalation {
        org: String,
        item: LifeItem,
    },
    NoticeSent {
        org: String,
        title: String,
    },
    EvaluationOpened {
        org: String,
    },
    /// A transfer step waits for the reader; `name` is the member's.
    TransferTodo {
        name: String,
    },
    TransferProgress {
        status: Status,
    },
    /// The member asks the reader to act on their transfer's waiting step.
    TransferReminder {
        name: String,
    },
    TransferOverdue {
        name: String,
    },
    /// A member paid dues online; the payment waits for the reader to confirm it.
    DuesToConfirm {
        name: String,
    },
    /// The branch declined or reversed the reader's dues payment.
    DuesSettled {
        state: crate::dues::model::PaymentState,
    },
    /// The reader is `months` months behind with dues in `tree` (sent from the 5th).
    DuesReminder {
        tree: Tree,
        months: u32,
    },
    /// A member of the reader's branch (or of a branch below) has paid no dues for
    /// `months` months in a row.
    DuesLapse {
        name: String,
        months: u32,
    },
    /// A step of `name`'s application (to join the Party or League) waits for the reader.
    DevelopmentTodo {
        name: String,
    },
    /// The reader's application reached a stage.
    DevelopmentStage {
        stage: crate::development::model::Stage,
    },
    /// League membership ended past the League's age: the reader's own (`name` none), or
    /// that of `name`, a member of the reader's branch.
    LeagueAgedOut {
        name: Option<String>,
    },
    /// `name` asks the reader's branch to accept a transfer in from outside.
    InboundTodo {
        name: String,
    },
    /// The reader's transfer in was accepted or returned.
    InboundSettled {
        accepted: bool,
    },
    /// `by`, the reader's branch secretary, issued a code to set a new password for the
    /// reader's account.
    ResetCodeIssued {
        by: String,
    },
    /// A meeting the reader is expected at starts at `when` (Asia/Shanghai), in `hours`.
    MeetingSoon {
        title: String,
        when: String,
        hours: u32,
    },
    /// For a group: `org` holds `title` at `when` (Asia/Shanghai) at `place`.
    MeetingPlanned {
        org: String,
        title: String,
        when: String,
        place: String,
    },
    /// A required item the reader has not finished is due on `due`.
    StudyDue {
        title: String,
        due: String,
    },
    /// The reader was named instructor (指导员) of `name`, an organization or an applying
    /// enterprise.
    InstructorNamed {
        name: String,
    },
    /// The reward the reader redeemed is ready for them (or the right is granted).
    RewardIssued {
        title: String,
    },
    /// The organization cancelled the reader's redemption; its points came back.
    RewardCancelled {
        title: String,
    },
}

/// A due item of organization life: its kind in its tree and its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeItem {
    pub kind: MeetingKind,
    pub tree: Tree,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Message {
    /// The kind stored beside the message, for lists and counts.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::StudyReminder { .. } => "study_reminder",
            Message::MeetingScheduled { .. } => "meeting_scheduled",
            Message::MeetingChanged { .. } => "meeting_changed",
            Message::LeaveAsked { .. } => "leave_asked",
            Message::LeaveAnswered { .. } => "leave_answered",
            Message::RecordSubmitted { .. } => "record_submitted",
            Message::RecordReviewed { accepted: true, .. } => "record_accepted",
            Message::RecordReviewed {
                accepted: false, ..
            } => "record_returned",
            Message::LifeWarning { .. } => "life_warning",
            Message::LifeEscalation { .. } => "life_escalation",
            Message::NoticeSent { .. } => "notice",
            Message::EvaluationOpened { .. } => "evaluation_opened",
            Message::TransferTodo { .. } => "transfer_todo",
            Message::TransferProgress { .. } => "transfer_progress",
            Message::TransferReminder { .. } => "transfer_reminder",
            Message::TransferOverdue { .. } => "transfer_overdue",
            Message::DuesToConfirm { .. } => "dues_to_confirm",
            Message::DuesSettled { .. } => "dues_settled",
            Message::DuesReminder { .. } => "dues_reminder",
            Message::DuesLapse { .. } => "dues_lapse",
            Message::DevelopmentTodo { .. } => "development_todo",
            Message::DevelopmentStage { .. } => "development_stage",
            Message::LeagueAgedOut { .. } => "league_aged_out",
            Message::InboundTodo { .. } => "inbound_todo",
            Message::InboundSettled { .. } => "inbound_settled",
            Message::ResetCodeIssued { .. } => "reset_code_issued",
            Message::MeetingSoon { .. } => "meeting_soon",
            Message::MeetingPlanned { .. } => "meeting_planned",
            Message::StudyDue { .. } => "study_due",
            Message::InstructorNamed { .. } => "instructor_named",
            Message::RewardIssued { .. } => "reward_issued",
            Message::RewardCancelled { .. } => "reward_cancelled",
        }
    }

    /// The message in the reader's words.
    pub fn render(&self, t: &Strings) -> String {
        let life = |text: &str, org: &str, i: &LifeItem| {
            text.replace("{org}", org)
                .replace("{item}", i.kind.label(i.tree, t))
                .replace("{start}", &i.start.to_string())
                .replace("{end}", &i.end.to_string())
        };
        match self {
            Message::StudyReminder { title } => t.reminder_title.replace("{title}", title),
            Message::MeetingScheduled { org, title } => t
                .life_meeting_notice
                .replace("{org}", org)
                .replace("{title}", title),
            Message::MeetingChanged { title, when } => t
                .life_meeting_changed_notice
                .replace("{title}", title)
                .replace("{when}", when),
            Message::LeaveAsked { title } => t.life_leave_asked_notice.replace("{title}", title),
            Message::LeaveAnswered { title, approved } => if *approved {
                t.life_leave_approved_notice
            } else {
                t.life_leave_declined_notice
            }
            .replace("{title}", title),
            Message::RecordSubmitted { org, title } => t
                .life_record_submitted_notice
                .replace("{org}", org)
                .replace("{title}", title),
            Message::RecordReviewed { title, accepted } => if *accepted {
                t.life_record_accepted_notice
            } else {
                t.life_record_returned_notice
            }
            .replace("{title}", title),
            Message::LifeWarning { org, item } => life(t.life_warning_notice, org, item),
            Message::LifeEscalation { org, item } => life(t.life_escalation_notice, org, item),
            Message::NoticeSent { org, title } => t
                .notice_sent_notice
                .replace("{org}", org)
                .replace("{title}", title),
            Message::EvaluationOpened { org } => t.evaluation_opened_notice.replace("{org}", org),
            Message::TransferTodo { name } => t.transfer_notify_todo.replace("{name}", name),
            Message::TransferProgress { status } => t
                .transfer_notify_member
                .replace("{status}", status.label(t)),
            Message::TransferOverdue { name } => t.transfer_notify_overdue.replace("{name}", name),
            Message::TransferReminder { name } => {
                t.transfer_notify_reminder.replace("{name}", name)
            }
            Message::DuesToConfirm { name } => t.dues_notify_confirm.replace("{name}", name),
            Message::DuesSettled { state } => {
                t.dues_notify_settled.replace("{state}", state.label(t))
            }
            Message::DuesReminder { tree, months } => t
                .dues_notify_reminder
                .replace("{kind}", crate::dues::model::dues_name(*tree, t))
                .replace("{months}", &months.to_string()),
            Message::DuesLapse { name, months } => t
                .dues_notify_lapse
                .replace("{name}", name)
                .replace("{months}", &months.to_string()),
            Message::DevelopmentTodo { name } => t.dev_notify_todo.replace("{name}", name),
            Message::DevelopmentStage { stage } => {
                t.dev_notify_stage.replace("{stage}", stage.label(t))
            }
            Message::LeagueAgedOut { name: None } => t.dev_notify_aged_out.to_owned(),
            Message::LeagueAgedOut { name: Some(name) } => {
                t.dev_notify_aged_out_branch.replace("{name}", name)
            }
            Message::InboundTodo { name } => t.inbound_notify_todo.replace("{name}", name),
            Message::InboundSettled { accepted: true } => t.inbound_notify_accepted.to_owned(),
            Message::InboundSettled { accepted: false } => t.inbound_notify_returned.to_owned(),
            Message::ResetCodeIssued { by } => t.reset_notify_issued.replace("{name}", by),
            Message::MeetingSoon { title, when, hours } => t
                .remind_meeting_soon
                .replace("{title}", title)
                .replace("{when}", when)
                .replace("{hours}", &hours.to_string()),
            Message::MeetingPlanned {
                org,
                title,
                when,
                place,
            } => t
                .group_meeting_planned
                .replace("{org}", org)
                .replace("{title}", title)
                .replace("{when}", when)
                .replace("{place}", place),
            Message::StudyDue { title, due } => t
                .remind_study_due
                .replace("{title}", title)
                .replace("{due}", due),
            Message::InstructorNamed { name } => t.instructor_notify.replace("{name}", name),
            Message::RewardIssued { title } => t.reward_issued_notice.replace("{title}", title),
            Message::RewardCancelled { title } => {
                t.reward_cancelled_notice.replace("{title}", title)
            }
        }
    }
}

/// A text message to someone outside the portal, put into words when it is sent, in the
/// language chosen for its recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextMessage {
    /// The proposed secretary of a newly founded League organization is asked to sign up.
    SecretaryInvited { org: String, link: String },
    /// An enterprise of the ledger is invited to apply to found a League organization.
    FoundingInvite { name: String, link: String },
    /// A one-time code to reset the password or to sign in, valid for `minutes`; the code
    /// itself is the message's secret (`{code}`), filled in only when it is sent.
    AccountCode { sign_in: bool, minutes: u32 },
    /// A member's reminder (a meeting soon, a required item due), as the portal words it.
    Reminder { message: Box<Message> },
}

impl TextMessage {
    /// The message in the words of `t`.
    pub fn render(&self, t: &Strings) -> String {
        match self {
            Self::SecretaryInvited { org, link } => t
                .founding_sms_secretary
                .replace("{org}", org)
                .replace("{link}", link),
            Self::FoundingInvite { name, link } => t
                .founding_sms_invite
                .replace("{name}", name)
                .replace("{link}", link),
            Self::AccountCode { sign_in, minutes } => {
                let text = if *sign_in {
                    t.sms_code_sign_in
                } else {
                    t.sms_code_reset
                };
                text.replace("{minutes}", &minutes.to_string())
            }
            Self::Reminder { message } => format!("{}{}", t.sms_prefix, message.render(t)),
        }
    }
}

/// Hours of the day (Asia/Shanghai) in which no text message is sent: from `from:00` up to
/// `to:00`, across midnight when `from` is later than `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub from: u8,
    pub to: u8,
}

impl QuietHours {
    /// The form's two hours: both blank for none, else two different hours 0 to 23.
    pub fn parse(from: &str, to: &str) -> Result<Option<Self>, crate::error::FieldError> {
        use crate::error::{FieldError, Msg};
        let (from, to) = (from.trim(), to.trim());
        if from.is_empty() && to.is_empty() {
            return Ok(None);
        }
        let hour = |s: &str| s.parse::<u8>().ok().filter(|h| *h < 24);
        match (hour(from), hour(to)) {
            (Some(f), Some(t)) if f != t => Ok(Some(Self { from: f, to: t })),
            _ => Err(FieldError::new("quiet_from", Msg::QuietHoursInvalid)),
        }
    }

    fn covers(self, hour: u8) -> bool {
        if self.from < self.to {
            (self.from..self.to).contains(&hour)
        } else {
            hour >= self.from || hour < self.to
        }
    }

    /// When a text message made at `local` (Asia/Shanghai) may go: at once (`None`) outside
    /// the hours, else at their end.
    pub fn delay(self, local: chrono::NaiveDateTime) -> Option<chrono::NaiveDateTime> {
        use chrono::Timelike;
        if !self.covers(local.hour() as u8) {
            return None;
        }
        let end = local.date().and_hms_opt(u32::from(self.to), 0, 0)?;
        Some(if end > local {
            end
        } else {
            end + chrono::Duration::days(1)
        })
    }
}

/// The kinds of reminder a member may also have sent beyond the portal's own list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReminderKind {
    /// A meeting the member is expected at, a day and an hour before.
    Meeting,
    /// A required study item about to fall due.
    Study,
    /// Dues behind.
    Dues,
    /// A transfer step waiting for the member.
    Transfer,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 4] = [Self::Meeting, Self::Study, Self::Dues, Self::Transfer];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Meeting => "meeting",
            Self::Study => "study",
            Self::Dues => "dues",
            Self::Transfer => "transfer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Self::Meeting => t.prefs_kind_meeting,
            Self::Study => t.prefs_kind_study,
            Self::Dues => t.prefs_kind_dues,
            Self::Transfer => t.prefs_kind_transfer,
        }
    }

    /// The kind of a message, when it is a reminder a member may have sent elsewhere too.
    pub fn of(message: &Message) -> Option<Self> {
        match message {
            Message::MeetingSoon { .. } => Some(Self::Meeting),
            Message::StudyDue { .. } => Some(Self::Study),
            Message::DuesReminder { .. } => Some(Self::Dues),
            Message::TransferReminder { .. } => Some(Self::Transfer),
            _ => None,
        }
    }
}

/// A way to reach a member beyond the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Self::Sms, Self::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Self::Sms => t.prefs_channel_sms,
            Self::Email => t.prefs_channel_email,
        }
    }
}

/// The channels a form ticked: names `channel:kind` (`email:meeting`); anything else is
/// refused.
pub fn parse_channels<'a>(
    ticked: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<(ReminderKind, Channel)>, crate::error::Msg> {
    let mut out = vec![];
    for name in ticked {
        let pair = name
            .split_once(':')
            .and_then(|(c, k)| Some((ReminderKind::parse(k)?, Channel::parse(c)?)))
            .ok_or(crate::error::Msg::BadRequest)?;
        if !out.contains(&pair) {
            out.push(pair);
        }
    }
    Ok(out)
}

/// An e-mail address as a member types it: blank for none; else one `@` with something
/// before it and a domain with a dot after it, no spaces, at most 254 characters.
pub fn parse_email(input: &str) -> Result<Option<String>, crate::error::Msg> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let ok = s.len() <= 254
        && s.len() >= 6
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
        && match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if ok {
        Ok(Some(s.to_owned()))
    } else {
        Err(crate::error::Msg::EmailInvalid)
    }
}

/// A reader's e-mails of a day beyond this many wait for the day's digest.
pub const DIGEST_AFTER: i64 = 3;

/// When a day's digest goes: at 20:00 (Asia/Shanghai) that day.
pub fn digest_at(day: NaiveDate) -> chrono::NaiveDateTime {
    day.and_hms_opt(20, 0, 0).unwrap_or_default()
}

/// An e-mail's subject and text, in its reader's words: each message with its link into
/// the portal (whole when the portal's address `site` is known), and where the choice is
/// changed. One message is a reminder of its kind; several are the day's digest.
pub fn mail_text(items: &[(Message, String)], site: Option<&str>, t: &Strings) -> (String, String) {
    let subject = match items {
        [(message, _)] => match ReminderKind::of(message) {
            Some(kind) => format!("{} · {}", t.app_name, kind.label(t)),
            None => t.app_name.to_owned(),
        },
        _ => format!(
            "{} · {}",
            t.app_name,
            t.mail_digest.replace("{n}", &items.len().to_string())
        ),
    };
    let mut body = String::new();
    for (message, link) in items {
        let link = match site {
            Some(site) => format!("{}{link}", site.trim_end_matches('/')),
            None => link.clone(),
        };
        body.push_str(&format!("{}\n{link}\n\n", message.render(t)));
    }
    body.push_str(t.mail_footer);
    body.push('\n');
    (subject, body)
}

/// The most reminders a digest text message words; the rest are counted.
pub const SMS_DIGEST_LISTS: usize = 4;

/// A day's reminders by text message in one text: the first [`SMS_DIGEST_LISTS`] worded,
/// the rest counted with where to read them.
pub fn sms_digest_text(items: &[Message], t: &Strings) -> String {
    let mut parts: Vec<String> = items
        .iter()
        .take(SMS_DIGEST_LISTS)
        .map(|m| m.render(t))
        .collect();
    if items.len() > SMS_DIGEST_LISTS {
        let more = (items.len() - SMS_DIGEST_LISTS).to_string();
        parts.push(t.sms_digest_more.replace("{n}", &more));
    }
    let text = t
        .sms_digest
        .replace("{n}", &items.len().to_string())
        .replace("{items}", &parts.join(t.sms_digest_sep));
    format!("{}{text}", t.sms_prefix)
}

/// What the form of how to be reached holds, each field read: the channels ticked, the
/// e-mail address and the quiet hours; every field's message when any is wrong.
#[expect(clippy::type_complexity, reason = "the three parts of one form")]
pub fn parse_prefs<'a>(
    ticked: impl IntoIterator<Item = &'a str>,
    email: &str,
    quiet_from: &str,
    quiet_to: &str,
) -> Result<
    (
        Vec<(ReminderKind, Channel)>,
        Option<String>,
        Option<QuietHours>,
    ),
    Vec<crate::error::FieldError>,
> {
    use crate::error::FieldError;
    match (
        parse_channels(ticked),
        parse_email(email),
        QuietHours::parse(quiet_from, quiet_to),
    ) {
        (Ok(c), Ok(e), Ok(q)) => Ok((c, e, q)),
        (c, e, q) => {
            let mut errors = vec![];
            errors.extend(c.err().map(|m| FieldError::new("channels", m)));
            errors.extend(e.err().map(|m| FieldError::new("email", m)));
            errors.extend(q.err());
            Err(errors)
        }
    }
}

#[cfg(test)]
mod channel_tests {
    use super::*;

    #[test]
    fn e_mail_addresses_are_checked_and_blank_is_none() {
        assert_eq!(parse_email("  "), Ok(None));
        assert_eq!(
            parse_email(" wang@example.com "),
            Ok(Some("wang@example.com".into()))
        );
        for bad in [
            "wang",
            "wang@example",
            "@example.com",
            "wang@@example.com",
            "wang @example.com",
            "wang@example..com",
            "<a@b.cn>",
            "a@b.c\ncc:x@y.z",
        ] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn one_e_mail_is_its_reminder_and_several_are_the_days_digest() {
        let t = crate::i18n::Locale::default().strings();
        let due = |title: &str| Message::StudyDue {
            title: title.into(),
            due: "2026-12-31".into(),
        };
        let (subject, body) = mail_text(
            &[(due("宪法"), "/study/1".into())],
            Some("https://e.example.com/"),
            t,
        );
        assert!(subject.ends_with(t.prefs_kind_study), "{subject}");
        assert!(
            body.contains("宪法") && body.contains("https://e.example.com/study/1"),
            "{body}"
        );
        let (subject, body) = mail_text(
            &[
                (due("宪法"), "/study/1".into()),
                (due("党章"), "/study/2".into()),
            ],
            None,
            t,
        );
        assert!(subject.contains('2'), "{subject}");
        assert!(body.contains("宪法") && body.contains("党章") && body.contains("/study/2"));
    }

    #[test]
    fn a_digest_text_words_the_first_four_and_counts_the_rest() {
        let t = crate::i18n::Locale::default().strings();
        let due = |n: usize| Message::StudyDue {
            title: format!("第{n}课"),
            due: "2026-12-31".into(),
        };
        let two = sms_digest_text(&[due(1), due(2)], t);
        assert!(two.starts_with(t.sms_prefix), "{two}");
        assert!(
            two.contains("2 条") && two.contains("第1课") && two.contains("第2课"),
            "{two}"
        );
        let six: Vec<Message> = (1..=6).map(due).collect();
        let text = sms_digest_text(&six, t);
        assert!(text.contains("6 条") && text.contains("第4课"), "{text}");
        assert!(
            !text.contains("第5课") && text.contains("另有 2 条"),
            "{text}"
        );
        let en = sms_digest_text(&six, crate::i18n::Locale::En.strings());
        assert!(
            en.contains("6 reminders today") && en.contains("2 more"),
            "{en}"
        );
    }

    #[test]
    fn ticked_channels_name_a_channel_and_a_kind() {
        assert_eq!(
            parse_channels(["email:meeting", "sms:dues", "email:meeting"]),
            Ok(vec![
                (ReminderKind::Meeting, Channel::Email),
                (ReminderKind::Dues, Channel::Sms)
            ])
        );
        assert!(parse_channels(["fax:meeting"]).is_err());
        assert!(parse_channels(["email"]).is_err());
        assert_eq!(
            ReminderKind::of(&Message::StudyDue {
                title: "x".into(),
                due: "2026-12-31".into()
            }),
            Some(ReminderKind::Study)
        );
    }
}

#[cfg(test)]
mod quiet_tests {
    use super::*;

    fn at(d: u32, h: u32, m: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn quiet_hours_across_midnight_hold_a_message_until_they_end() {
        let night = QuietHours { from: 22, to: 8 };
        assert_eq!(night.delay(at(7, 21, 59)), None);
        assert_eq!(night.delay(at(7, 22, 0)), Some(at(8, 8, 0)));
        assert_eq!(night.delay(at(8, 3, 30)), Some(at(8, 8, 0)));
        assert_eq!(night.delay(at(8, 8, 0)), None);
        let noon = QuietHours { from: 12, to: 14 };
        assert_eq!(noon.delay(at(7, 13, 10)), Some(at(7, 14, 0)));
        assert_eq!(noon.delay(at(7, 14, 10)), None);
    }

    #[test]
    fn quiet_hours_are_two_different_hours_or_none() {
        assert_eq!(QuietHours::parse("", " "), Ok(None));
        assert_eq!(
            QuietHours::parse("22", "8"),
            Ok(Some(QuietHours { from: 22, to: 8 }))
        );
        for (f, t) in [("22", ""), ("8", "8"), ("24", "6"), ("x", "6")] {
            assert!(QuietHours::parse(f, t).is_err(), "{f} {t}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn has_chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    fn every_message() -> Vec<Message> {
        let item = LifeItem {
            kind: MeetingKind::Lesson,
            tree: Tree::League,
            start: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        };
        let (org, title) = ("Org".to_owned(), "Title".to_owned());
        vec![
            Message::StudyReminder {
                title: title.clone(),
            },
            Message::MeetingScheduled {
                org: org.clone(),
                title: title.clone(),
            },
            Message::MeetingChanged {
                title: title.clone(),
                when: "2026-11-26 19:00".into(),
            },
            Message::LeaveAsked {
                title: title.clone(),
            },
            Message::LeaveAnswered {
                title: title.clone(),
                approved: true,
            },
            Message::LeaveAnswered {
                title: title.clone(),
                approved: false,
            },
            Message::RecordSubmitted {
                org: org.clone(),
                title: title.clone(),
            },
            Message::RecordReviewed {
                title: title.clone(),
                accepted: true,
            },
            Message::RecordReviewed {
                title: title.clone(),
                accepted: false,
            },
            Message::LifeWarning {
                org: org.clone(),
                item,
            },
            Message::LifeEscalation {
                org: org.clone(),
                item,
            },
            Message::NoticeSent {
                org: org.clone(),
                title: title.clone(),
            },
            Message::EvaluationOpened { org },
            Message::TransferTodo {
                name: "Name".into(),
            },
            Message::TransferProgress {
                status: Status::Completed,
            },
            Message::TransferOverdue {
                name: "Name".into(),
            },
            Message::TransferReminder {
                name: "Name".into(),
            },
            Message::DuesToConfirm {
                name: "Name".into(),
            },
            Message::DuesSettled {
                state: crate::dues::model::PaymentState::Reversed,
            },
            Message::DuesReminder {
                tree: Tree::Party,
                months: 2,
            },
            Message::DuesLapse {
                name: "Name".into(),
                months: 6,
            },
            Message::DevelopmentTodo {
                name: "Name".into(),
            },
            Message::DevelopmentStage {
                stage: crate::development::model::Stage::Probationary,
            },
            Message::LeagueAgedOut { name: None },
            Message::LeagueAgedOut {
                name: Some("Name".into()),
            },
            Message::InboundTodo {
                name: "Name".into(),
            },
            Message::InboundSettled { accepted: true },
            Message::InboundSettled { accepted: false },
            Message::ResetCodeIssued { by: "Name".into() },
            Message::MeetingSoon {
                title: "Name".into(),
                when: "2026-12-08 19:00".into(),
                hours: 24,
            },
            Message::StudyDue {
                title: "Name".into(),
                due: "2026-12-10".into(),
            },
            Message::MeetingPlanned {
                org: "Name".into(),
                title: "Name".into(),
                when: "2026-12-08 19:00".into(),
                place: "Name".into(),
            },
        ]
    }

    #[test]
    fn every_message_reads_in_english_without_chinese_and_keeps_its_names() {
        for m in every_message() {
            let en = m.render(Locale::En.strings());
            assert!(!has_chinese(&en), "{m:?}: {en}");
            assert!(!en.contains('{'), "a placeholder left in {en}");
            let zh = m.render(Locale::ZhCn.strings());
            assert!(has_chinese(&zh), "{m:?}: {zh}");
        }
    }

    #[test]
    fn a_message_keeps_its_key_and_arguments_when_stored() {
        for m in every_message() {
            let stored = serde_json::to_string(&m).unwrap();
            assert_eq!(serde_json::from_str::<Message>(&stored).unwrap(), m);
        }
        assert_eq!(
            serde_json::to_value(Message::TransferOverdue { name: "王".into() }).unwrap(),
            serde_json::json!({"TransferOverdue": {"name": "王"}}),
            "the shape the overdue job writes in SQL"
        );
    }

    #[test]
    fn a_text_message_is_worded_in_the_recipients_language() {
        use crate::i18n::Locale;
        let m = TextMessage::SecretaryInvited {
            org: "星河科技团支部".into(),
            link: "https://e.example/signup?code=X".into(),
        };
        let zh = m.render(Locale::ZhCn.strings());
        let en = m.render(Locale::En.strings());
        assert!(zh.contains("星河科技团支部") && zh.contains("https://e.example/signup?code=X"));
        assert!(zh.contains("团支部书记"));
        assert!(en.starts_with("[Youth e-Home]") && en.contains("https://e.example/signup?code=X"));
        let invite = TextMessage::FoundingInvite {
            name: "Acme".into(),
            link: "L".into(),
        };
        assert!(
            invite
                .render(Locale::En.strings())
                .contains("Acme is invited")
        );
        let code = TextMessage::AccountCode {
            sign_in: false,
            minutes: 10,
        };
        let zh = code.render(Locale::ZhCn.strings());
        assert!(zh.contains("{code}") && zh.contains("10 分钟") && zh.contains("重设密码"));
        let en = code.render(Locale::En.strings());
        assert!(en.contains("{code}") && en.contains("10 minutes") && !has_chinese(&en));
    }
}
