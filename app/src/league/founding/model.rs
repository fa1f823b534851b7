//! Founding applications as plain rules: reading the public form, the states an application
//! goes through, who reviews it next, and what a final approval founds. No I/O.

use serde::{Deserialize, Serialize};

use crate::auth::model::Phone;
use crate::error::{FieldError, Msg};
use crate::league::ledger::model::{AreaLevel, Founding, founding};
use crate::orgs::model::CreditCode;

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppState {
    /// With the committee of its current level.
    Reviewing,
    /// A reviewer asked the applicant for more information.
    NeedsInfo,
    Approved,
    Rejected,
}

impl AppState {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "reviewing" => Some(Self::Reviewing),
            "needs_info" => Some(Self::NeedsInfo),
            "approved" => Some(Self::Approved),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reviewing => "reviewing",
            Self::NeedsInfo => "needs_info",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Self::Reviewing | Self::NeedsInfo)
    }
}

/// A line of an application's history: what happened. On the wire and in the database it is
/// the word (`submitted`, `founded`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum FoundingEvent {
    Submitted,
    Approved,
    Rejected,
    /// A reviewer asked the applicant for more.
    Asked,
    Answered,
    Founded,
    /// The proposed secretary was sent the sign-up link.
    Invited,
}

impl FoundingEvent {
    pub const ALL: [FoundingEvent; 7] = [
        FoundingEvent::Submitted,
        FoundingEvent::Approved,
        FoundingEvent::Rejected,
        FoundingEvent::Asked,
        FoundingEvent::Answered,
        FoundingEvent::Founded,
        FoundingEvent::Invited,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FoundingEvent::Submitted => "submitted",
            FoundingEvent::Approved => "approved",
            FoundingEvent::Rejected => "rejected",
            FoundingEvent::Asked => "asked",
            FoundingEvent::Answered => "answered",
            FoundingEvent::Founded => "founded",
            FoundingEvent::Invited => "invited",
        }
    }
}

crate::words::wire_words!(FoundingEvent);

/// What a reviewer does with an application at their level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Review {
    Approve,
    Reject,
    /// Ask the applicant for more information.
    Ask,
}

impl Review {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "approve" => Some(Self::Approve),
            "reject" => Some(Self::Reject),
            "ask" => Some(Self::Ask),
            _ => None,
        }
    }

    /// Rejecting and asking need a message for the applicant.
    pub fn needs_reason(self) -> bool {
        !matches!(self, Self::Approve)
    }
}

/// The longest free text (a reason, an answer, a note).
pub const TEXT_MAX: usize = 500;

/// A message for the applicant or a reviewer: trimmed, required when `required`, at most
/// `TEXT_MAX` characters.
pub fn parse_message(input: &str, required: bool) -> Result<String, Msg> {
    let s = input.trim();
    if s.is_empty() && required {
        Err(Msg::Required)
    } else if s.chars().count() > TEXT_MAX {
        Err(Msg::TooLong)
    } else {
        Ok(s.to_owned())
    }
}

/// The public application form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub enterprise_name: String,
    pub credit_code: String,
    pub district: String,
    pub street: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub young_employees: String,
    pub league_members: String,
    pub secretary_name: String,
    pub secretary_phone: String,
    pub note: String,
}

/// An application that passed the form's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub enterprise_name: String,
    pub credit_code: CreditCode,
    /// As the applicant gave them; a ledger match replaces them.
    pub district: String,
    pub street: String,
    pub contact_name: String,
    pub contact_phone: Phone,
    pub young_employees: i32,
    pub league_members: i32,
    pub secretary_name: String,
    pub secretary_phone: Phone,
    pub note: String,
    /// The language the form was filled in (Chinese unless the caller says otherwise).
    pub locale: crate::i18n::Locale,
}

fn person_name(input: &str) -> Result<String, Msg> {
    let s = input.trim();
    match s.chars().count() {
        0 => Err(Msg::Required),
        1 | 31.. => Err(Msg::NameInvalid),
        _ => Ok(s.to_owned()),
    }
}

fn head_count(input: &str) -> Result<i32, Msg> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Msg::Required);
    }
    s.parse::<i32>()
        .ok()
        .filter(|n| (0..=1_000_000).contains(n))
        .ok_or(Msg::CountInvalid)
}

impl ApplicationForm {
    /// Every field checked at once, every problem reported against its field. The district
    /// and street may be left empty: a match in the ledger fills them in, and the reviewer
    /// is told when there is none.
    pub fn parse(&self) -> Result<NewApplication, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |field: &str, r: Result<(), Msg>| {
            if let Err(m) = r {
                errors.push(FieldError::new(field, m));
            }
        };
        let name = self.enterprise_name.trim();
        let name_ok = match name.chars().count() {
            0 => Err(Msg::Required),
            1 | 61.. => Err(Msg::NameInvalid),
            _ => Ok(()),
        };
        check("enterprise_name", name_ok);
        let code = CreditCode::parse(&self.credit_code);
        check("credit_code", code.as_ref().map(|_| ()).map_err(|m| *m));
        let contact_name = person_name(&self.contact_name);
        check(
            "contact_name",
            contact_name.as_ref().map(|_| ()).map_err(|m| *m),
        );
        let contact_phone = Phone::parse(&self.contact_phone);
        check(
            "contact_phone",
            contact_phone.as_ref().map(|_| ()).map_err(|m| *m),
        );
        let young = head_count(&self.young_employees);
        check("young_employees", young.map(|_| ()));
        let league = head_count(&self.league_members);
        check("league_members", league.map(|_| ()));
        if let (Ok(y), Ok(l)) = (young, league) {
            // League members (14 to 28) are young employees (35 or under) too.
            if l > y {
                check("league_members", Err(Msg::LeagueMoreThanYoung));
            } else if founding(l, y) == Founding::NotYet {
                check("young_employees", Err(Msg::FoundingNoYoung));
            }
        }
        let secretary_name = person_name(&self.secretary_name);
        check(
            "secretary_name",
            secretary_name.as_ref().map(|_| ()).map_err(|m| *m),
        );
        let secretary_phone = Phone::parse(&self.secretary_phone);
        check(
            "secretary_phone",
            secretary_phone.as_ref().map(|_| ()).map_err(|m| *m),
        );
        if self.district.trim().chars().count() > 30 {
            check("district", Err(Msg::TooLong));
        }
        if self.street.trim().chars().count() > 30 {
            check("street", Err(Msg::TooLong));
        }
        let note = parse_message(&self.note, false);
        check("note", note.as_ref().map(|_| ()).map_err(|m| *m));
        match (
            code,
            contact_name,
            contact_phone,
            young,
            league,
            secretary_name,
            secretary_phone,
            note,
        ) {
            (Ok(code), Ok(cn), Ok(cp), Ok(y), Ok(l), Ok(sn), Ok(sp), Ok(note))
                if errors.is_empty() =>
            {
                Ok(NewApplication {
                    enterprise_name: name.to_owned(),
                    credit_code: code,
                    district: self.district.trim().to_owned(),
                    street: self.street.trim().to_owned(),
                    contact_name: cn,
                    contact_phone: cp,
                    young_employees: y,
                    league_members: l,
                    secretary_name: sn,
                    secretary_phone: sp,
                    note,
                    locale: crate::i18n::Locale::default(),
                })
            }
            _ => Err(errors),
        }
    }
}

/// The area form of a League committee: a level (empty: none), the district for a district
/// or a street, the street for a street; each at most 30 characters.
pub fn parse_area(
    level: &str,
    district: &str,
    street: &str,
) -> Result<Option<crate::league::ledger::model::Area>, Vec<FieldError>> {
    let level = match level.trim() {
        "" => return Ok(None),
        l => AreaLevel::parse(l).ok_or_else(|| vec![FieldError::new("level", Msg::BadRequest)])?,
    };
    let (district, street) = (district.trim(), street.trim());
    let mut errors = Vec::new();
    let needs_district = level != AreaLevel::City;
    let needs_street = level == AreaLevel::Street;
    for (field, value, needed) in [
        ("district", district, needs_district),
        ("street", street, needs_street),
    ] {
        if needed && value.is_empty() {
            errors.push(FieldError::new(field, Msg::Required));
        } else if value.chars().count() > 30 {
            errors.push(FieldError::new(field, Msg::TooLong));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Some(crate::league::ledger::model::Area {
        level,
        district: if needs_district {
            district.to_owned()
        } else {
            String::new()
        },
        street: if needs_street {
            street.to_owned()
        } else {
            String::new()
        },
    }))
}

/// The level that holds an application after `after` (the first level when `None`): the
/// next one up that has a committee for the enterprise's area. `None`: nobody is left, the
/// application is approved.
pub fn next_level(present: &[AreaLevel], after: Option<AreaLevel>) -> Option<AreaLevel> {
    let mut level = match after {
        None => Some(AreaLevel::Street),
        Some(l) => l.next(),
    };
    while let Some(l) = level {
        if present.contains(&l) {
            return Some(l);
        }
        level = l.next();
    }
    None
}

/// What a final approval founds for an enterprise with these figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Its own League branch, under the street's committee.
    OwnBranch,
    /// It joins the street's joint branch (founding one when there is none yet).
    JointBranch,
}

pub fn outcome(league_members: i32, young_employees: i32) -> Option<Outcome> {
    match founding(league_members, young_employees) {
        Founding::OwnBranch => Some(Outcome::OwnBranch),
        Founding::JointBranch => Some(Outcome::JointBranch),
        Founding::NotYet => None,
    }
}

/// The name of an enterprise's own branch: "<enterprise>团支部", the enterprise's name cut
/// so that the whole stays within the 60 characters an organization's name may have.
pub fn branch_name(enterprise: &str) -> String {
    let suffix = "团支部";
    let room = 60 - suffix.chars().count();
    let mut name: String = enterprise.trim().chars().take(room).collect();
    name.push_str(suffix);
    name
}

/// The name of a street's joint branch.
pub fn joint_branch_name(street: &str, district: &str) -> String {
    let place = if street.is_empty() { district } else { street };
    format!("{place}非公企业联合团支部")
}

/// Whole days since `since` (at least 0): how long an application has waited.
pub fn age_days(since: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> i64 {
    (now - since).num_days().max(0)
}

/// The ledger's facts beside what the applicant said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerFacts {
    pub name: String,
    pub credit_code: String,
    pub address: String,
    pub employees: i32,
    pub young_employees: i32,
    pub party_members: i32,
    pub league_members: i32,
    pub deregistered: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_word_reads_back_as_its_event_and_on_the_wire_as_itself() {
        for e in FoundingEvent::ALL {
            assert_eq!(FoundingEvent::parse(e.as_str()), Some(e));
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.as_str()));
            assert_eq!(serde_json::from_str::<FoundingEvent>(&json).unwrap(), e);
        }
        assert_eq!(FoundingEvent::parse("merged"), None);
        assert!(serde_json::from_str::<FoundingEvent>("\"merged\"").is_err());
    }

    fn code(seed: u32) -> String {
        CreditCode::with_check_char(&format!("91440300MA5{seed:06}"))
            .unwrap()
            .as_str()
            .to_owned()
    }

    fn form() -> ApplicationForm {
        ApplicationForm {
            enterprise_name: "星海互动科技有限公司".into(),
            credit_code: code(7),
            district: String::new(),
            street: String::new(),
            contact_name: "陈静".into(),
            contact_phone: "13912345678".into(),
            young_employees: "40".into(),
            league_members: "5".into(),
            secretary_name: "刘洋".into(),
            secretary_phone: "13987654321".into(),
            note: String::new(),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<(&str, Msg)> {
        errors.iter().map(|e| (e.field.as_str(), e.msg)).collect()
    }

    #[test]
    fn a_good_form_reads_whole() {
        let a = form().parse().unwrap();
        assert_eq!(a.young_employees, 40);
        assert_eq!(a.league_members, 5);
        assert_eq!(a.credit_code.as_str(), code(7));
    }

    #[test]
    fn a_bad_form_names_every_field() {
        let mut f = form();
        let mut wrong = code(7);
        let last = if wrong.ends_with('0') { "1" } else { "0" };
        wrong.replace_range(17.., last);
        f.credit_code = wrong;
        f.contact_phone = "12345".into();
        f.young_employees = "很多".into();
        f.secretary_name = String::new();
        let e = f.parse().unwrap_err();
        assert_eq!(
            fields(&e),
            vec![
                ("credit_code", Msg::CreditCodeInvalid),
                ("contact_phone", Msg::PhoneInvalid),
                ("young_employees", Msg::CountInvalid),
                ("secretary_name", Msg::Required),
            ]
        );
    }

    #[test]
    fn league_members_are_young_employees_and_someone_must_be_young() {
        let mut f = form();
        f.league_members = "50".into();
        assert_eq!(
            fields(&f.parse().unwrap_err()),
            vec![("league_members", Msg::LeagueMoreThanYoung)]
        );
        f.young_employees = "0".into();
        f.league_members = "0".into();
        assert_eq!(
            fields(&f.parse().unwrap_err()),
            vec![("young_employees", Msg::FoundingNoYoung)]
        );
        f.young_employees = "-3".into();
        assert_eq!(
            fields(&f.parse().unwrap_err()),
            vec![("young_employees", Msg::CountInvalid)]
        );
    }

    #[test]
    fn review_goes_street_district_city_skipping_levels_without_a_committee() {
        use AreaLevel::*;
        let all = [Street, District, City];
        assert_eq!(next_level(&all, None), Some(Street));
        assert_eq!(next_level(&all, Some(Street)), Some(District));
        assert_eq!(next_level(&all, Some(District)), Some(City));
        assert_eq!(next_level(&all, Some(City)), None);
        // A street without a League committee: the district first.
        assert_eq!(next_level(&[District, City], None), Some(District));
        assert_eq!(next_level(&[Street, City], Some(Street)), Some(City));
        assert_eq!(next_level(&[], None), None);
    }

    #[test]
    fn three_league_members_found_a_branch_fewer_join_the_joint_branch() {
        assert_eq!(outcome(3, 3), Some(Outcome::OwnBranch));
        assert_eq!(outcome(25, 130), Some(Outcome::OwnBranch));
        assert_eq!(outcome(2, 40), Some(Outcome::JointBranch));
        assert_eq!(outcome(0, 1), Some(Outcome::JointBranch));
        assert_eq!(outcome(0, 0), None);
    }

    #[test]
    fn an_area_needs_its_district_and_street() {
        assert_eq!(parse_area("", "x", "y"), Ok(None));
        let city = parse_area("city", "南山区", "粤海街道").unwrap().unwrap();
        assert_eq!((city.district.as_str(), city.street.as_str()), ("", ""));
        let d = parse_area("district", " 南山区 ", "粤海街道")
            .unwrap()
            .unwrap();
        assert_eq!((d.district.as_str(), d.street.as_str()), ("南山区", ""));
        let e = parse_area("street", "南山区", "").unwrap_err();
        assert_eq!(fields(&e), vec![("street", Msg::Required)]);
        let e = parse_area("province", "", "").unwrap_err();
        assert_eq!(fields(&e), vec![("level", Msg::BadRequest)]);
    }

    #[test]
    fn branch_names_fit_the_tree() {
        assert_eq!(
            branch_name("星海互动科技有限公司"),
            "星海互动科技有限公司团支部"
        );
        let long = "长".repeat(80);
        assert_eq!(branch_name(&long).chars().count(), 60);
        assert_eq!(
            joint_branch_name("粤海街道", "南山区"),
            "粤海街道非公企业联合团支部"
        );
        assert_eq!(joint_branch_name("", "南山区"), "南山区非公企业联合团支部");
    }

    #[test]
    fn messages_are_trimmed_required_and_bounded() {
        assert_eq!(
            parse_message("  请补充营业执照  ", true).unwrap(),
            "请补充营业执照"
        );
        assert_eq!(parse_message("  ", true), Err(Msg::Required));
        assert_eq!(parse_message("", false).unwrap(), "");
        assert_eq!(parse_message(&"字".repeat(501), false), Err(Msg::TooLong));
        assert!(Review::Reject.needs_reason() && Review::Ask.needs_reason());
        assert!(!Review::Approve.needs_reason());
    }
}
