//! The rules of becoming a member: the Party's five stages (applicant, activist,
//! development candidate, probationary member, full member) and the League's shorter path,
//! which step may follow which, who records it, the minimum times, the votes' quorum and
//! majority, the age rules, and what falls due next. No I/O.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Msg};
use crate::i18n::Strings;
use crate::orgs::model::{MemberStatus, Tree};

/// The youngest age at which one applies to join the Party.
pub const PARTY_MIN_AGE: u32 = 18;
/// The youngest age at which one applies to join the League.
pub const LEAGUE_MIN_AGE: u32 = 14;
/// The oldest age (in completed years) of a League member: older, and without a League
/// post, membership ends; it is also the oldest age for a recommendation (推优).
pub const LEAGUE_MAX_AGE: u32 = 28;
/// The least time as an activist before becoming a development candidate.
pub const ACTIVIST_MONTHS: u32 = 12;
/// How often an activist or candidate is assessed in writing.
pub const ASSESSMENT_MONTHS: u32 = 6;
/// The applicant's talk falls due within this time of the application.
pub const TALK_MONTHS: u32 = 1;
/// The superior approves an admission within this time of the branch's meeting.
pub const APPROVAL_MONTHS: u32 = 3;
/// The length of probation, and the most it may be extended by (once).
pub const PROBATION_MONTHS: u32 = 12;
pub const MAX_EXTENSION_MONTHS: u32 = 12;
/// The least training of a development candidate: 24 hours (or three days).
pub const TRAINING_HOURS: u32 = 24;
/// Contacts (培养联系人) an activist has: one or two.
pub const MAX_CONTACTS: usize = 2;
/// Sponsors (入党介绍人) a candidate has: two.
pub const SPONSORS: usize = 2;

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// 入党申请人
    Applicant,
    /// 入党积极分子
    Activist,
    /// 发展对象
    Candidate,
    /// 预备党员
    Probationary,
    /// 正式党员
    Full,
    /// 入团申请人 (入团积极分子)
    LeagueApplicant,
    /// 团员
    LeagueMember,
    Cancelled,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Applicant,
        Stage::Activist,
        Stage::Candidate,
        Stage::Probationary,
        Stage::Full,
        Stage::LeagueApplicant,
        Stage::LeagueMember,
        Stage::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Applicant => "applicant",
            Stage::Activist => "activist",
            Stage::Candidate => "candidate",
            Stage::Probationary => "probationary",
            Stage::Full => "full",
            Stage::LeagueApplicant => "league_applicant",
            Stage::LeagueMember => "league_member",
            Stage::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Still moving: not yet a member and not cancelled.
    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Full | Stage::LeagueMember | Stage::Cancelled)
    }

    /// The membership status a person at this stage holds in the case's tree.
    pub fn status(self) -> Option<MemberStatus> {
        match self {
            Stage::Applicant => Some(MemberStatus::Applicant),
            Stage::Activist => Some(MemberStatus::Activist),
            Stage::Candidate => Some(MemberStatus::Candidate),
            Stage::Probationary => Some(MemberStatus::Probationary),
            Stage::Full => Some(MemberStatus::Full),
            Stage::LeagueApplicant => Some(MemberStatus::LeagueActivist),
            Stage::LeagueMember => Some(MemberStatus::LeagueMember),
            Stage::Cancelled => None,
        }
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Stage::Cancelled => t.dev_stage_cancelled,
            Stage::LeagueApplicant => t.dev_stage_league_applicant,
            s => s.status().map_or("", |st| st.label(t)),
        }
    }
}

/// What a step records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StepKind {
    /// The written application (入党申请书).
    Applied,
    /// The branch's talk with the applicant, due within a month.
    Talk,
    /// The branch committee makes the applicant an activist, with one or two contacts.
    Activist,
    /// A written assessment of an activist or candidate, every six months.
    Assessment,
    /// The branch committee makes the activist a development candidate, opinions heard.
    Candidate,
    /// Two full members sponsor the candidate (入党介绍人).
    Sponsors,
    /// The political review (政治审查), its conclusion in the note.
    Review,
    /// Hours of training (集中培训).
    Training,
    /// The branch general meeting votes to admit the candidate as a probationary member.
    Meeting,
    /// The superior committee approves an admission (or a full membership, or a League one).
    Approved,
    /// The superior committee does not approve what the branch's meeting decided.
    NotApproved,
    /// The oath (入党宣誓).
    Oath,
    /// The probationary member's written request to become a full member.
    Request,
    /// Probation extended once, by up to a year.
    Extended,
    /// The branch general meeting votes on full membership.
    FullMeeting,
    FullApproved,
    Cancelled,
    LeagueApplied,
    /// The League branch's general meeting votes to admit the applicant.
    LeagueMeeting,
    LeagueApproved,
}

impl StepKind {
    pub const ALL: [StepKind; 20] = [
        StepKind::Applied,
        StepKind::Talk,
        StepKind::Activist,
        StepKind::Assessment,
        StepKind::Candidate,
        StepKind::Sponsors,
        StepKind::Review,
        StepKind::Training,
        StepKind::Meeting,
        StepKind::Approved,
        StepKind::NotApproved,
        StepKind::Oath,
        StepKind::Request,
        StepKind::Extended,
        StepKind::FullMeeting,
        StepKind::FullApproved,
        StepKind::Cancelled,
        StepKind::LeagueApplied,
        StepKind::LeagueMeeting,
        StepKind::LeagueApproved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Applied => "applied",
            StepKind::Talk => "talk",
            StepKind::Activist => "activist",
            StepKind::Assessment => "assessment",
            StepKind::Candidate => "candidate",
            StepKind::Sponsors => "sponsors",
            StepKind::Review => "review",
            StepKind::Training => "training",
            StepKind::Meeting => "meeting",
            StepKind::Approved => "approved",
            StepKind::NotApproved => "not_approved",
            StepKind::Oath => "oath",
            StepKind::Request => "request",
            StepKind::Extended => "extended",
            StepKind::FullMeeting => "full_meeting",
            StepKind::FullApproved => "full_approved",
            StepKind::Cancelled => "cancelled",
            StepKind::LeagueApplied => "league_applied",
            StepKind::LeagueMeeting => "league_meeting",
            StepKind::LeagueApproved => "league_approved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            StepKind::Applied => t.dev_step_applied,
            StepKind::Talk => t.dev_step_talk,
            StepKind::Activist => t.dev_step_activist,
            StepKind::Assessment => t.dev_step_assessment,
            StepKind::Candidate => t.dev_step_candidate,
            StepKind::Sponsors => t.dev_step_sponsors,
            StepKind::Review => t.dev_step_review,
            StepKind::Training => t.dev_step_training,
            StepKind::Meeting => t.dev_step_meeting,
            StepKind::Approved => t.dev_step_approved,
            StepKind::NotApproved => t.dev_step_not_approved,
            StepKind::Oath => t.dev_step_oath,
            StepKind::Request => t.dev_step_request,
            StepKind::Extended => t.dev_step_extended,
            StepKind::FullMeeting => t.dev_step_full_meeting,
            StepKind::FullApproved => t.dev_step_full_approved,
            StepKind::Cancelled => t.dev_step_cancelled,
            StepKind::LeagueApplied => t.dev_step_league_applied,
            StepKind::LeagueMeeting => t.dev_step_league_meeting,
            StepKind::LeagueApproved => t.dev_step_league_approved,
        }
    }

    /// Who records this step.
    pub fn decider(self) -> Decider {
        match self {
            StepKind::Applied | StepKind::LeagueApplied => Decider::Person,
            StepKind::Request => Decider::PersonOrBranch,
            StepKind::Assessment => Decider::ContactOrBranch,
            StepKind::Approved
            | StepKind::NotApproved
            | StepKind::FullApproved
            | StepKind::LeagueApproved => Decider::Superior,
            _ => Decider::Branch,
        }
    }

    /// The step carries a vote.
    pub fn has_vote(self) -> bool {
        matches!(
            self,
            StepKind::Meeting | StepKind::FullMeeting | StepKind::LeagueMeeting
        )
    }

    /// The step names people: contacts (an activist's) or sponsors.
    pub fn people(self) -> Option<(usize, usize)> {
        match self {
            StepKind::Activist => Some((1, MAX_CONTACTS)),
            StepKind::Sponsors => Some((SPONSORS, SPONSORS)),
            _ => None,
        }
    }

    /// What the person does not read in their own case: the political review's conclusion
    /// and the assessments stay with the branch.
    pub fn confidential(self) -> bool {
        matches!(self, StepKind::Review | StepKind::Assessment)
    }

    /// The note must say something: opinions heard, the review's conclusion, an
    /// assessment, why it was not approved or cancelled.
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            StepKind::Assessment
                | StepKind::Candidate
                | StepKind::Review
                | StepKind::NotApproved
                | StepKind::Cancelled
        )
    }
}

/// Who may record a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decider {
    /// The person whose case it is.
    Person,
    PersonOrBranch,
    /// The branch: its secretary or committee, or an admin above.
    Branch,
    /// One of the case's contacts, or the branch.
    ContactOrBranch,
    /// The committee above the branch.
    Superior,
}

/// A meeting's vote: members with a vote, those present, those in favour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub eligible: u32,
    pub present: u32,
    pub in_favour: u32,
}

impl Vote {
    /// Parses the three counts and checks the rules: more than half of the members with a
    /// vote present (quorum), and in favour more than half of ALL the members with a vote,
    /// not only of those present. Each failure names its field and rule.
    pub fn parse(eligible: &str, present: &str, in_favour: &str) -> Result<Vote, Vec<FieldError>> {
        let count =
            |field: &str, s: &str, errors: &mut Vec<FieldError>| match s.trim().parse::<u32>() {
                Ok(n) if n <= 100_000 => Some(n),
                _ => {
                    errors.push(FieldError::new(field, Msg::DevCount));
                    None
                }
            };
        let mut errors = Vec::new();
        let e = count("eligible", eligible, &mut errors);
        let p = count("present", present, &mut errors);
        let f = count("in_favour", in_favour, &mut errors);
        let (Some(eligible), Some(present), Some(in_favour)) = (e, p, f) else {
            return Err(errors);
        };
        if eligible == 0 {
            return Err(vec![FieldError::new("eligible", Msg::DevCount)]);
        }
        if present > eligible {
            return Err(vec![FieldError::new(
                "present",
                Msg::DevPresentOverEligible,
            )]);
        }
        if in_favour > present {
            return Err(vec![FieldError::new(
                "in_favour",
                Msg::DevFavourOverPresent,
            )]);
        }
        if present * 2 <= eligible {
            return Err(vec![FieldError::new("present", Msg::DevQuorum)]);
        }
        if in_favour * 2 <= eligible {
            return Err(vec![FieldError::new("in_favour", Msg::DevMajority)]);
        }
        Ok(Vote {
            eligible,
            present,
            in_favour,
        })
    }
}

/// Age in completed years on a day.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// A birth date as typed: a real day, at least `LEAGUE_MIN_AGE` years before today and not
/// before 1900.
pub fn parse_birth_date(input: &str, today: NaiveDate) -> Result<NaiveDate, Msg> {
    let day = NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").map_err(|_| Msg::DateInvalid)?;
    if day.year() < 1900 || day > today || age_on(day, today) < LEAGUE_MIN_AGE {
        return Err(Msg::DevBirthDate);
    }
    Ok(day)
}

/// A League member over the League's age, without a League post: their membership ends.
pub fn league_over_age(birth: Option<NaiveDate>, today: NaiveDate, holds_post: bool) -> bool {
    birth.is_some_and(|b| age_on(b, today) > LEAGUE_MAX_AGE) && !holds_post
}

/// Checks the age rules of applying to a tree on a day: 18 or older for the Party, 14 to
/// 28 for the League. A birth date is required.
pub fn check_age_to_apply(tree: Tree, birth: Option<NaiveDate>, on: NaiveDate) -> Result<(), Msg> {
    let birth = birth.ok_or(Msg::DevBirthDateRequired)?;
    let age = age_on(birth, on);
    match tree {
        Tree::Party if age < PARTY_MIN_AGE => Err(Msg::DevTooYoungParty),
        Tree::League if age < LEAGUE_MIN_AGE => Err(Msg::DevTooYoungLeague),
        Tree::League if age > LEAGUE_MAX_AGE => Err(Msg::DevTooOldLeague),
        _ => Ok(()),
    }
}

/// Checks a recommendation (推优): the member is 28 or younger on the day.
pub fn check_age_to_recommend(birth: Option<NaiveDate>, on: NaiveDate) -> Result<(), Msg> {
    let birth = birth.ok_or(Msg::DevBirthDateRequired)?;
    if age_on(birth, on) > LEAGUE_MAX_AGE {
        return Err(Msg::DevTooOldTuiyou);
    }
    Ok(())
}

/// A step as the rules read a case's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub kind: StepKind,
    pub on: NaiveDate,
    pub hours: Option<u32>,
    pub months: Option<u32>,
}

fn plus(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(day)
}

/// A case's history in order, read for what the rules need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History(pub Vec<Step>);

impl History {
    /// The day of the latest step of `kind`.
    pub fn last(&self, kind: StepKind) -> Option<NaiveDate> {
        self.0.iter().rev().find(|s| s.kind == kind).map(|s| s.on)
    }

    pub fn has(&self, kind: StepKind) -> bool {
        self.0.iter().any(|s| s.kind == kind)
    }

    /// The day of the last step of any kind.
    pub fn latest(&self) -> Option<NaiveDate> {
        self.0.iter().map(|s| s.on).max()
    }

    /// The meeting waiting for the superior's answer: the last of the meetings and answers
    /// is a meeting.
    pub fn awaiting(&self) -> Option<Step> {
        self.0
            .iter()
            .rev()
            .find(|s| {
                s.kind.has_vote()
                    || matches!(
                        s.kind,
                        StepKind::Approved
                            | StepKind::NotApproved
                            | StepKind::FullApproved
                            | StepKind::LeagueApproved
                    )
            })
            .filter(|s| s.kind.has_vote())
            .copied()
    }

    /// Hours of training recorded.
    pub fn training_hours(&self) -> u32 {
        self.0
            .iter()
            .filter(|s| s.kind == StepKind::Training)
            .filter_map(|s| s.hours)
            .sum()
    }

    /// When probation began: the day of the meeting that the superior approved.
    pub fn probation_start(&self) -> Option<NaiveDate> {
        let approved = self.0.iter().position(|s| s.kind == StepKind::Approved)?;
        self.0[..approved]
            .iter()
            .rev()
            .find(|s| s.kind == StepKind::Meeting)
            .map(|s| s.on)
    }

    /// When probation ends: a year after it began, plus an extension.
    pub fn probation_end(&self) -> Option<NaiveDate> {
        let start = self.probation_start()?;
        let extended = self
            .0
            .iter()
            .filter(|s| s.kind == StepKind::Extended)
            .filter_map(|s| s.months)
            .sum::<u32>();
        Some(plus(start, PROBATION_MONTHS + extended))
    }

    /// The talk came later than a month after the application.
    pub fn talk_late(&self) -> bool {
        match (self.last(StepKind::Applied), self.last(StepKind::Talk)) {
            (Some(a), Some(t)) => t > plus(a, TALK_MONTHS),
            _ => false,
        }
    }
}

/// What the rules know of a case when a step is proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub tree: Tree,
    pub stage: Stage,
    pub history: History,
    /// Hours of required study on the portal since becoming a candidate; they count as
    /// training.
    pub portal_hours: u32,
}

/// A proposed step, as parsed from a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStep {
    pub kind: StepKind,
    pub on: NaiveDate,
    pub vote: Option<Vote>,
    pub hours: Option<u32>,
    pub months: Option<u32>,
    /// An activist recommended by the League (推优): the recommendation.
    pub recommended: Option<i64>,
    pub note: String,
}

impl NewStep {
    /// A step with a date only: nothing voted, counted or noted.
    pub fn dated(kind: StepKind, on: NaiveDate) -> Self {
        NewStep {
            kind,
            on,
            vote: None,
            hours: None,
            months: None,
            recommended: None,
            note: String::new(),
        }
    }
}

/// A step as typed into its form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepForm {
    pub kind: String,
    pub on: String,
    #[serde(default)]
    pub eligible: String,
    #[serde(default)]
    pub present: String,
    #[serde(default)]
    pub in_favour: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub months: String,
    #[serde(default)]
    pub note: String,
    /// Contacts or sponsors, by user id.
    #[serde(default)]
    pub person1: String,
    #[serde(default)]
    pub person2: String,
    /// The League's recommendation an activist comes with (推优), by id; empty for none.
    #[serde(default)]
    pub recommended: String,
    #[serde(default)]
    pub upload: String,
}

impl StepForm {
    /// The people chosen (contacts or sponsors); an unreadable id reads as nobody.
    pub fn people(&self) -> Vec<crate::ids::UserId> {
        [&self.person1, &self.person2]
            .into_iter()
            .filter_map(|p| p.trim().parse::<i64>().ok())
            .map(crate::ids::UserId)
            .collect()
    }

    /// Parses the form into a step; each unreadable field has its message.
    pub fn parse(&self) -> Result<NewStep, Vec<FieldError>> {
        let one = |field: &str, msg: Msg| vec![FieldError::new(field, msg)];
        let kind = StepKind::parse(&self.kind).ok_or_else(|| one("kind", Msg::Required))?;
        let on = NaiveDate::parse_from_str(self.on.trim(), "%Y-%m-%d")
            .map_err(|_| one("on", Msg::DateInvalid))?;
        let vote = if kind.has_vote() {
            Some(Vote::parse(&self.eligible, &self.present, &self.in_favour)?)
        } else {
            None
        };
        let number = |field: &str, s: &str, max: u32| match s.trim() {
            "" => Ok(None),
            t => match t.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                _ => Err(one(field, Msg::DevCount)),
            },
        };
        let hours = if kind == StepKind::Training {
            number("hours", &self.hours, 1000)?
        } else {
            None
        };
        let months = if kind == StepKind::Extended {
            number("months", &self.months, 99)?
        } else {
            None
        };
        let recommended = match (kind, self.recommended.trim()) {
            (StepKind::Activist, r) if !r.is_empty() => Some(
                r.parse::<i64>()
                    .map_err(|_| one("recommended", Msg::DevNoTuiyou))?,
            ),
            _ => None,
        };
        if self.note.chars().count() > 2000 {
            return Err(one("note", Msg::TooLong));
        }
        Ok(NewStep {
            kind,
            on,
            vote,
            hours,
            months,
            recommended,
            note: self.note.clone(),
        })
    }
}

/// A recommendation (推优) as typed into its form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendForm {
    /// The member, by user id.
    pub member: String,
    pub on: String,
    pub eligible: String,
    pub present: String,
    pub in_favour: String,
    #[serde(default)]
    pub note: String,
}

/// The steps that may come next at a stage, whatever the dates say.
pub fn next_kinds(facts: &CaseFacts) -> Vec<StepKind> {
    use StepKind as K;
    let h = &facts.history;
    let waiting = h.awaiting();
    let mut kinds: Vec<StepKind> = match facts.stage {
        Stage::Applicant if h.has(K::Talk) => vec![K::Activist],
        Stage::Applicant => vec![K::Talk],
        Stage::Activist => vec![K::Assessment, K::Candidate],
        Stage::Candidate if waiting.is_some() => vec![K::Approved, K::NotApproved],
        Stage::Candidate => {
            let mut k = vec![K::Assessment];
            if !h.has(K::Sponsors) {
                k.push(K::Sponsors);
            }
            if !h.has(K::Review) {
                k.push(K::Review);
            }
            k.extend([K::Training, K::Meeting]);
            k
        }
        Stage::Probationary if waiting.is_some() => vec![K::FullApproved, K::NotApproved],
        Stage::Probationary => {
            let mut k = Vec::new();
            if !h.has(K::Oath) {
                k.push(K::Oath);
            }
            if !h.has(K::Extended) {
                k.push(K::Extended);
            }
            k.extend([K::Request, K::FullMeeting]);
            k
        }
        Stage::LeagueApplicant if waiting.is_some() => vec![K::LeagueApproved, K::NotApproved],
        Stage::LeagueApplicant => vec![K::LeagueMeeting],
        Stage::Full | Stage::LeagueMember | Stage::Cancelled => return Vec::new(),
    };
    kinds.push(K::Cancelled);
    kinds
}

/// Checks a proposed step against the case and the rules (today is `today`), and answers
/// the stage it leads to. Each refusal names its field and rule.
pub fn check_step(
    facts: &CaseFacts,
    step: &NewStep,
    today: NaiveDate,
) -> Result<Stage, FieldError> {
    use StepKind as K;
    let h = &facts.history;
    if !next_kinds(facts).contains(&step.kind) {
        return Err(FieldError::new("kind", Msg::DevStepNotNow));
    }
    if step.on > today {
        return Err(FieldError::new("on", Msg::DevDateFuture));
    }
    if h.latest().is_some_and(|l| step.on < l) {
        return Err(FieldError::new("on", Msg::DevDateBeforeLast));
    }
    if step.kind.needs_note() && step.note.trim().is_empty() {
        return Err(FieldError::new("note", Msg::Required));
    }
    if step.kind.has_vote() && step.vote.is_none() {
        return Err(FieldError::new("eligible", Msg::DevCount));
    }
    let stage = facts.stage;
    let next = match step.kind {
        K::Activist => Stage::Activist,
        K::Candidate => {
            let since = h.last(K::Activist).unwrap_or(step.on);
            if step.on < plus(since, ACTIVIST_MONTHS) {
                return Err(FieldError::new("on", Msg::DevActivistYear));
            }
            Stage::Candidate
        }
        K::Training => {
            if step.hours.is_none() {
                return Err(FieldError::new("hours", Msg::DevHours));
            }
            stage
        }
        K::Meeting => {
            if !h.has(K::Sponsors) {
                return Err(FieldError::new("kind", Msg::DevNoSponsors));
            }
            if !h.has(K::Review) {
                return Err(FieldError::new("kind", Msg::DevNoReview));
            }
            if h.training_hours() + facts.portal_hours < TRAINING_HOURS {
                return Err(FieldError::new("kind", Msg::DevTraining));
            }
            stage
        }
        K::Approved | K::FullApproved | K::LeagueApproved => {
            let meeting = h.awaiting().map_or(step.on, |m| m.on);
            if step.on > plus(meeting, APPROVAL_MONTHS) {
                return Err(FieldError::new("on", Msg::DevApprovalLate));
            }
            match step.kind {
                K::Approved => Stage::Probationary,
                K::FullApproved => Stage::Full,
                _ => Stage::LeagueMember,
            }
        }
        K::Extended => match step.months {
            Some(m) if (1..=MAX_EXTENSION_MONTHS).contains(&m) => stage,
            _ => return Err(FieldError::new("months", Msg::DevExtension)),
        },
        K::FullMeeting => {
            if !h.has(K::Request) {
                return Err(FieldError::new("kind", Msg::DevNoRequest));
            }
            if h.probation_end().is_some_and(|end| step.on < end) {
                return Err(FieldError::new("on", Msg::DevProbationNotOver));
            }
            stage
        }
        K::Cancelled => Stage::Cancelled,
        _ => stage,
    };
    Ok(next)
}

/// What falls due next in a case, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueKind {
    Talk,
    Assessment,
    /// The earliest day the activist may become a candidate.
    CandidateFrom,
    /// The superior's answer to a meeting, by this day.
    Approval,
    ProbationEnds,
    /// The League branch's meeting on an application.
    LeagueMeeting,
}

impl DueKind {
    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            DueKind::Talk => t.dev_due_talk,
            DueKind::Assessment => t.dev_due_assessment,
            DueKind::CandidateFrom => t.dev_due_candidate,
            DueKind::Approval => t.dev_due_approval,
            DueKind::ProbationEnds => t.dev_due_probation,
            DueKind::LeagueMeeting => t.dev_due_league_meeting,
        }
    }
}

/// The next thing due in a case: the talk within a month of applying, the six-monthly
/// assessment, the earliest day to become a candidate, the superior's answer within three
/// months, the end of probation.
pub fn next_due(stage: Stage, h: &History) -> Option<(DueKind, NaiveDate)> {
    use StepKind as K;
    let assessment = |from: Option<NaiveDate>| {
        let base = [h.last(K::Assessment), from].into_iter().flatten().max()?;
        Some((DueKind::Assessment, plus(base, ASSESSMENT_MONTHS)))
    };
    if let Some(m) = h.awaiting() {
        return Some((DueKind::Approval, plus(m.on, APPROVAL_MONTHS)));
    }
    match stage {
        Stage::Applicant if !h.has(K::Talk) => h
            .last(K::Applied)
            .map(|a| (DueKind::Talk, plus(a, TALK_MONTHS))),
        Stage::Activist => {
            let from = h.last(K::Activist)?;
            let candidate = (DueKind::CandidateFrom, plus(from, ACTIVIST_MONTHS));
            let next = assessment(Some(from))?;
            Some(if next.1 < candidate.1 {
                next
            } else {
                candidate
            })
        }
        Stage::Candidate => assessment(h.last(K::Candidate)),
        Stage::Probationary => h.probation_end().map(|e| (DueKind::ProbationEnds, e)),
        Stage::LeagueApplicant => h
            .last(K::LeagueApplied)
            .map(|a| (DueKind::LeagueMeeting, plus(a, TALK_MONTHS))),
        _ => None,
    }
}

/// A branch may propose `proposed` more for admission in a year when its plan allows:
/// no plan set means no limit.
pub fn check_quota(quota: Option<u32>, used: u32) -> Result<(), Msg> {
    match quota {
        Some(q) if used >= q => Err(Msg::DevQuotaFull),
        _ => Ok(()),
    }
}

/// A committee's development figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevFigures {
    pub applicants: u32,
    pub activists: u32,
    pub candidates: u32,
    pub probationary: u32,
    /// Admitted as probationary members this year, and of them those the League
    /// recommended.
    pub new_this_year: u32,
    pub new_via_tuiyou: u32,
}

impl DevFigures {
    /// The share of this year's new members the League recommended, in percent.
    pub fn tuiyou_share(&self) -> Option<u32> {
        (self.new_this_year > 0).then(|| self.new_via_tuiyou * 100 / self.new_this_year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn step(kind: StepKind, on: &str) -> Step {
        Step {
            kind,
            on: d(on),
            hours: None,
            months: None,
        }
    }

    fn new(kind: StepKind, on: &str) -> NewStep {
        NewStep {
            kind,
            on: d(on),
            vote: None,
            hours: None,
            months: None,
            recommended: None,
            note: "ok".into(),
        }
    }

    fn facts(stage: Stage, steps: Vec<Step>) -> CaseFacts {
        CaseFacts {
            tree: Tree::Party,
            stage,
            history: History(steps),
            portal_hours: 0,
        }
    }

    const TODAY: &str = "2026-12-07";

    #[test]
    fn a_vote_needs_more_than_half_present_and_more_than_half_of_all_in_favour() {
        assert!(Vote::parse("10", "6", "6").is_ok());
        assert_eq!(
            Vote::parse("10", "5", "5").unwrap_err()[0],
            FieldError::new("present", Msg::DevQuorum)
        );
        // Six of seven present in favour is a majority of those present but not of all ten.
        assert_eq!(
            Vote::parse("10", "7", "5").unwrap_err()[0],
            FieldError::new("in_favour", Msg::DevMajority)
        );
        assert_eq!(
            Vote::parse("10", "11", "6").unwrap_err()[0].msg,
            Msg::DevPresentOverEligible
        );
        assert_eq!(
            Vote::parse("10", "6", "7").unwrap_err()[0].msg,
            Msg::DevFavourOverPresent
        );
        assert_eq!(Vote::parse("x", "6", "-1").unwrap_err().len(), 2);
        assert_eq!(
            Vote::parse("0", "0", "0").unwrap_err()[0].msg,
            Msg::DevCount
        );
    }

    #[test]
    fn ages_count_completed_years() {
        assert_eq!(age_on(d("2008-12-08"), d("2026-12-07")), 17);
        assert_eq!(age_on(d("2008-12-07"), d("2026-12-07")), 18);
        assert_eq!(
            check_age_to_apply(Tree::Party, Some(d("2008-12-08")), d("2026-12-07")),
            Err(Msg::DevTooYoungParty)
        );
        assert_eq!(
            check_age_to_apply(Tree::Party, None, d("2026-12-07")),
            Err(Msg::DevBirthDateRequired)
        );
        assert_eq!(
            check_age_to_apply(Tree::League, Some(d("1997-01-01")), d("2026-12-07")),
            Err(Msg::DevTooOldLeague)
        );
        assert_eq!(
            check_age_to_recommend(Some(d("1998-01-01")), d("2026-12-07")),
            Ok(())
        );
        assert_eq!(
            check_age_to_recommend(Some(d("1997-12-06")), d("2026-12-07")),
            Err(Msg::DevTooOldTuiyou)
        );
        assert!(league_over_age(
            Some(d("1990-01-01")),
            d("2026-12-07"),
            false
        ));
        assert!(!league_over_age(
            Some(d("1990-01-01")),
            d("2026-12-07"),
            true
        ));
        assert!(!league_over_age(None, d("2026-12-07"), false));
        assert_eq!(
            parse_birth_date("2020-01-01", d(TODAY)),
            Err(Msg::DevBirthDate)
        );
        assert_eq!(
            parse_birth_date("2000-02-30", d(TODAY)),
            Err(Msg::DateInvalid)
        );
        assert_eq!(
            parse_birth_date("2000-02-29", d(TODAY)),
            Ok(d("2000-02-29"))
        );
    }

    #[test]
    fn an_activist_becomes_a_candidate_only_after_a_year() {
        use StepKind as K;
        let f = facts(
            Stage::Activist,
            vec![
                step(K::Applied, "2025-01-02"),
                step(K::Talk, "2025-01-10"),
                step(K::Activist, "2025-03-01"),
            ],
        );
        assert_eq!(
            check_step(&f, &new(K::Candidate, "2026-02-28"), d(TODAY)),
            Err(FieldError::new("on", Msg::DevActivistYear))
        );
        assert_eq!(
            check_step(&f, &new(K::Candidate, "2026-03-01"), d(TODAY)),
            Ok(Stage::Candidate)
        );
        // Without the opinions heard, nothing is decided.
        let mut silent = new(K::Candidate, "2026-03-01");
        silent.note = " ".into();
        assert_eq!(
            check_step(&f, &silent, d(TODAY)),
            Err(FieldError::new("note", Msg::Required))
        );
    }

    #[test]
    fn steps_cannot_be_dated_ahead_of_today_or_before_the_last_one() {
        use StepKind as K;
        let f = facts(Stage::Applicant, vec![step(K::Applied, "2026-11-02")]);
        assert_eq!(
            check_step(&f, &new(K::Talk, "2026-12-08"), d(TODAY))
                .unwrap_err()
                .msg,
            Msg::DevDateFuture
        );
        assert_eq!(
            check_step(&f, &new(K::Talk, "2026-11-01"), d(TODAY))
                .unwrap_err()
                .msg,
            Msg::DevDateBeforeLast
        );
        // An applicant is talked with before becoming an activist.
        assert_eq!(
            check_step(&f, &new(K::Activist, "2026-12-01"), d(TODAY))
                .unwrap_err()
                .msg,
            Msg::DevStepNotNow
        );
        assert_eq!(
            check_step(&f, &new(K::Talk, "2026-12-05"), d(TODAY)),
            Ok(Stage::Applicant)
        );
    }

    #[test]
    fn a_candidate_is_admitted_only_with_sponsors_review_and_training() {
        use StepKind as K;
        let mut steps = vec![
            step(K::Activist, "2024-01-01"),
            step(K::Candidate, "2025-02-01"),
        ];
        let mut f = facts(Stage::Candidate, steps.clone());
        let mut meeting = new(K::Meeting, "2025-06-01");
        meeting.vote = Some(Vote {
            eligible: 9,
            present: 8,
            in_favour: 7,
        });
        assert_eq!(
            check_step(&f, &meeting, d(TODAY)).unwrap_err().msg,
            Msg::DevNoSponsors
        );
        steps.push(step(K::Sponsors, "2025-03-01"));
        steps.push(step(K::Review, "2025-03-02"));
        f = facts(Stage::Candidate, steps.clone());
        assert_eq!(
            check_step(&f, &meeting, d(TODAY)).unwrap_err().msg,
            Msg::DevTraining
        );
        steps.push(Step {
            hours: Some(16),
            ..step(K::Training, "2025-04-01")
        });
        f = facts(Stage::Candidate, steps.clone());
        f.portal_hours = 8;
        assert_eq!(check_step(&f, &meeting, d(TODAY)), Ok(Stage::Candidate));
        // The meeting waits for the superior, who answers within three months.
        steps.push(step(K::Meeting, "2025-06-01"));
        f = facts(Stage::Candidate, steps.clone());
        assert_eq!(
            next_kinds(&f),
            vec![K::Approved, K::NotApproved, K::Cancelled]
        );
        assert_eq!(
            check_step(&f, &new(K::Approved, "2025-09-02"), d(TODAY))
                .unwrap_err()
                .msg,
            Msg::DevApprovalLate
        );
        assert_eq!(
            check_step(&f, &new(K::Approved, "2025-09-01"), d(TODAY)),
            Ok(Stage::Probationary)
        );
        assert_eq!(
            next_due(Stage::Candidate, &f.history),
            Some((DueKind::Approval, d("2025-09-01")))
        );
    }

    #[test]
    fn probation_lasts_a_year_from_the_meeting_and_extends_once() {
        use StepKind as K;
        let mut steps = vec![
            step(K::Meeting, "2025-06-01"),
            step(K::Approved, "2025-07-01"),
        ];
        let f = facts(Stage::Probationary, steps.clone());
        assert_eq!(f.history.probation_end(), Some(d("2026-06-01")));
        steps.push(Step {
            months: Some(6),
            ..step(K::Extended, "2026-05-20")
        });
        steps.push(step(K::Request, "2026-05-21"));
        let f = facts(Stage::Probationary, steps.clone());
        assert_eq!(f.history.probation_end(), Some(d("2026-12-01")));
        assert!(!next_kinds(&f).contains(&K::Extended));
        let mut full = new(K::FullMeeting, "2026-11-30");
        full.vote = Some(Vote {
            eligible: 3,
            present: 3,
            in_favour: 2,
        });
        assert_eq!(
            check_step(&f, &full, d(TODAY)).unwrap_err().msg,
            Msg::DevProbationNotOver
        );
        full.on = d("2026-12-01");
        assert_eq!(check_step(&f, &full, d(TODAY)), Ok(Stage::Probationary));
        let mut too_long = new(K::Extended, "2026-05-20");
        too_long.months = Some(13);
        let f0 = facts(
            Stage::Probationary,
            vec![
                step(K::Meeting, "2025-06-01"),
                step(K::Approved, "2025-07-01"),
            ],
        );
        assert_eq!(
            check_step(&f0, &too_long, d(TODAY)).unwrap_err().msg,
            Msg::DevExtension
        );
    }

    #[test]
    fn what_falls_due_next_follows_the_stage() {
        use StepKind as K;
        let h = History(vec![step(K::Applied, "2026-11-10")]);
        assert_eq!(
            next_due(Stage::Applicant, &h),
            Some((DueKind::Talk, d("2026-12-10")))
        );
        let h = History(vec![step(K::Activist, "2026-01-10")]);
        assert_eq!(
            next_due(Stage::Activist, &h),
            Some((DueKind::Assessment, d("2026-07-10")))
        );
        let h = History(vec![
            step(K::Activist, "2026-01-10"),
            step(K::Assessment, "2026-07-20"),
        ]);
        assert_eq!(
            next_due(Stage::Activist, &h),
            Some((DueKind::CandidateFrom, d("2027-01-10")))
        );
        let late = History(vec![
            step(K::Applied, "2026-10-01"),
            step(K::Talk, "2026-11-02"),
        ]);
        assert!(late.talk_late());
        assert_eq!(next_due(Stage::Full, &h), None);
    }

    #[test]
    fn a_full_plan_refuses_one_more() {
        assert_eq!(check_quota(Some(2), 2), Err(Msg::DevQuotaFull));
        assert_eq!(check_quota(Some(2), 1), Ok(()));
        assert_eq!(check_quota(None, 50), Ok(()));
        let f = DevFigures {
            new_this_year: 4,
            new_via_tuiyou: 1,
            ..Default::default()
        };
        assert_eq!(f.tuiyou_share(), Some(25));
    }
}
