//! Becoming a member on the server: setting one's birth date, applying to a branch, a
//! case's page, recording a step by the right role (the branch, a contact, the superior or
//! the person), the branch's list of cases, the League's recommendations (推优), the
//! branches' plans and a committee's figures.

use chrono::{Datelike, NaiveDate};
use sqlx::PgConnection;

use super::model::{
    CaseFacts, Decider, DevFigures, History, NewStep, RecommendForm, Stage, StepForm, StepKind,
    Vote, check_age_to_apply, check_age_to_recommend, check_quota, check_step, parse_birth_date,
};
use super::store::{
    self, CaseRow, NewRecommendation, NewStepRow, PersonRow, RecommendationRow, StepRow,
};
use crate::auth::model::Actor;
use crate::error::{AppError, FieldError, Msg};
use crate::ids::{OrgId, UserId};
use crate::notices::model::Message;
use crate::orgs::model::{MemberStatus, Tree};
use crate::orgs::store::Org;

/// A case with its steps, people and the League's recommendations of its person.
pub struct CaseFile {
    pub case: CaseRow,
    pub steps: Vec<StepRow>,
    pub people: Vec<PersonRow>,
    pub recommendations: Vec<RecommendationRow>,
}

impl CaseFile {
    pub fn history(&self) -> History {
        History(self.steps.iter().map(StepRow::step).collect())
    }
}

/// What the viewer may do with a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Powers {
    pub person: bool,
    pub contact: bool,
    pub branch: bool,
    pub superior: bool,
}

impl Powers {
    fn of(actor: &Actor, branch: &Org, case: &CaseRow, people: &[PersonRow]) -> Powers {
        Powers {
            person: actor.user_id == case.user_id,
            contact: people
                .iter()
                .any(|p| p.case_id == case.id && p.user_id == actor.user_id),
            branch: actor.can_manage(&branch.path),
            superior: branch
                .path
                .parent()
                .is_some_and(|p| actor.can_administer(&p)),
        }
    }

    fn sees(self) -> bool {
        self.person || self.contact || self.branch || self.superior
    }

    /// May record a step of this kind.
    pub fn may(self, kind: StepKind) -> bool {
        match kind.decider() {
            Decider::Person => self.person,
            Decider::PersonOrBranch => self.person || self.branch,
            Decider::Branch => self.branch && !self.person,
            Decider::ContactOrBranch => (self.contact || self.branch) && !self.person,
            Decider::Superior => self.superior && !self.person,
        }
    }
}

/// Reads whole case files for some cases.
async fn files(conn: &mut PgConnection, cases: Vec<CaseRow>) -> Result<Vec<CaseFile>, AppError> {
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let users: Vec<UserId> = cases.iter().map(|c| c.user_id).collect();
    let mut steps = store::steps(conn, &ids).await?;
    let mut people = store::people(conn, &ids).await?;
    let recs = store::recommendations(conn, &users, None).await?;
    Ok(cases
        .into_iter()
        .map(|case| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                steps.drain(..).partition(|s| s.case_id == case.id);
            steps = rest;
            let (who, rest): (Vec<_>, Vec<_>) =
                people.drain(..).partition(|p| p.case_id == case.id);
            people = rest;
            let recommendations = recs
                .iter()
                .filter(|r| r.user_id == case.user_id && case.tree == Tree::Party)
                .cloned()
                .collect();
            CaseFile {
                case,
                steps: mine,
                people: who,
                recommendations,
            }
        })
        .collect())
}

/// The viewer's own cases and birth date, the branches they may apply to in each tree
/// (none where they hold a status or an open case there), and the cases they look after.
pub struct Mine {
    pub birth_date: Option<NaiveDate>,
    pub cases: Vec<CaseFile>,
    pub may_apply: Vec<(Tree, Vec<(OrgId, String)>)>,
    pub looked_after: Vec<CaseFile>,
}

pub async fn my_development(conn: &mut PgConnection, actor: &Actor) -> Result<Mine, AppError> {
    let me = actor.user_id;
    let own = store::cases_of(conn, me).await?;
    let cases = files(conn, own).await?;
    let mut may_apply = Vec::new();
    for tree in [Tree::Party, Tree::League] {
        let open = cases
            .iter()
            .any(|c| c.case.tree == tree && c.case.stage.is_open());
        let held = store::membership(conn, me, tree).await?;
        let free = match held {
            None => true,
            Some((_, s)) => s == MemberStatus::YoungEmployee,
        };
        if !open && free {
            may_apply.push((tree, store::branches_to_apply(conn, me, tree).await?));
        }
    }
    let watched = store::cases_in(conn, OrgId(0), Some(me)).await?;
    Ok(Mine {
        birth_date: store::birth_date(conn, me).await?,
        cases,
        may_apply,
        looked_after: files(conn, watched).await?,
    })
}

/// Sets the viewer's birth date, once.
pub async fn set_birth_date(
    conn: &mut PgConnection,
    actor: &Actor,
    input: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let day = parse_birth_date(input, today).map_err(|m| AppError::invalid("birth_date", m))?;
    if !store::set_birth_date(conn, actor.user_id, day).await? {
        return Err(AppError::invalid("birth_date", Msg::DevBirthDateSet));
    }
    Ok(())
}

/// The viewer applies to join a tree at one of the branches open to them: the case opens
/// with the application dated today, the viewer holds the applicant's status there, and
/// the branch is told.
pub async fn apply(
    conn: &mut PgConnection,
    actor: &Actor,
    tree: Tree,
    org: OrgId,
    today: NaiveDate,
) -> Result<i64, AppError> {
    let opened = open_case(conn, actor.user_id, actor.user_id, tree, org, today).await?;
    let name = crate::orgs::store::display_name(conn, actor.user_id).await?;
    let secretaries = crate::notices::store::holders(conn, org, true).await?;
    let link = format!("/development/{opened}");
    let message = Message::DevelopmentTodo { name };
    crate::notices::store::notify(
        conn,
        &secretaries,
        &message,
        &link,
        &format!("dev:{opened}:1"),
    )
    .await?;
    Ok(opened)
}

/// The branch registers an application someone of its workplace wrote on `on` (a paper
/// application, or one made before the portal): the case opens with it, dated then.
pub async fn register(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    login: &str,
    on: &str,
    today: NaiveDate,
) -> Result<i64, AppError> {
    let branch = crate::orgs::store::org(conn, org)
        .await?
        .ok_or(AppError::NotFound)?;
    if !branch.kind.is_branch() || !actor.can_manage(&branch.path) {
        return Err(AppError::Forbidden);
    }
    let on = NaiveDate::parse_from_str(on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("on", Msg::DateInvalid))?;
    if on > today {
        return Err(AppError::invalid("on", Msg::DevDateFuture));
    }
    let unknown = || AppError::invalid("login", Msg::DevPersonUnknown);
    let login = crate::auth::model::Login::parse(login).map_err(|_| unknown())?;
    let person = crate::orgs::store::find_user(conn, &login)
        .await?
        .ok_or_else(unknown)?;
    if person == actor.user_id {
        return Err(AppError::Forbidden);
    }
    open_case(conn, actor.user_id, person, branch.tree, org, on)
        .await
        .map_err(|e| match e {
            AppError::Invalid(f) if f.iter().any(|f| f.field == "org") => unknown(),
            e => e,
        })
}

/// Opens a case of `person` at a branch of their workplace with the application dated
/// `on` (the age rules read that day), recorded by `by`; the person holds the applicant's
/// status in the branch from then on.
async fn open_case(
    conn: &mut PgConnection,
    by: UserId,
    person: UserId,
    tree: Tree,
    org: OrgId,
    on: NaiveDate,
) -> Result<i64, AppError> {
    if !store::branches_to_apply(conn, person, tree)
        .await?
        .iter()
        .any(|(id, _)| *id == org)
    {
        return Err(AppError::invalid("org", Msg::DevNoBranch));
    }
    check_age_to_apply(tree, store::birth_date(conn, person).await?, on)
        .map_err(|m| AppError::invalid("birth_date", m))?;
    let branch = crate::orgs::store::org(conn, org)
        .await?
        .ok_or(AppError::NotFound)?;
    let (stage, kind) = match tree {
        Tree::Party => (Stage::Applicant, StepKind::Applied),
        Tree::League => (Stage::LeagueApplicant, StepKind::LeagueApplied),
    };
    let status = stage.status().unwrap_or(MemberStatus::Applicant);
    let id = store::insert_case(conn, person, tree, org, stage)
        .await?
        .ok_or(AppError::Conflict(Msg::DevCaseOpen))?;
    match store::membership(conn, person, tree).await? {
        None => crate::orgs::store::join(conn, person, org, status).await?,
        Some((_, MemberStatus::YoungEmployee)) => {
            crate::orgs::store::move_member(conn, person, &branch).await?;
            store::set_status(conn, person, org, status).await?;
        }
        Some(_) => return Err(AppError::Conflict(Msg::AlreadyInTree)),
    }
    let step = NewStep::dated(kind, on);
    let row = NewStepRow {
        case_id: id,
        seq: 1,
        step: &step,
        by,
        upload: None,
    };
    store::insert_step(conn, &row).await?;
    Ok(id)
}

/// A case for a viewer who may see it: the person, a contact or sponsor, the branch and
/// the committees above.
pub async fn case_file(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
) -> Result<(CaseFile, Org, Powers), AppError> {
    let case = store::case(conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let branch = crate::orgs::store::org(conn, case.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let file = files(conn, vec![case])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let powers = Powers::of(actor, &branch, &file.case, &file.people);
    if !powers.sees() {
        return Err(AppError::Forbidden);
    }
    Ok((file, branch, powers))
}

/// The facts the rules read for a case.
pub async fn facts(conn: &mut PgConnection, file: &CaseFile) -> Result<CaseFacts, AppError> {
    let history = file.history();
    let portal_hours = match history.last(StepKind::Candidate) {
        Some(since) => store::portal_hours(conn, file.case.user_id, since).await?,
        None => 0,
    };
    Ok(CaseFacts {
        tree: file.case.tree,
        stage: file.case.stage,
        history,
        portal_hours,
    })
}

/// Records the next step of a case. `seen` is the number of steps the form showed: a
/// replayed or doubled submit finds the case moved on and records nothing. The rules of
/// the step (who, when, votes, people, the plan) are checked first; a step that changes
/// the stage changes the person's status with it, and the person (or, for an admission
/// waiting to be approved, the committee above) is told.
pub async fn record_step(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    seen: usize,
    form: &StepForm,
    today: NaiveDate,
) -> Result<Stage, AppError> {
    let step = form.parse().map_err(AppError::Invalid)?;
    let people = form.people();
    store::case(conn, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let (file, branch, powers) = case_file(conn, actor, id).await?;
    if !powers.may(step.kind) {
        return Err(AppError::Forbidden);
    }
    if file.steps.len() != seen {
        return Err(AppError::Conflict(Msg::DevChanged));
    }
    let facts = facts(conn, &file).await?;
    let next = check_step(&facts, &step, today).map_err(|e| AppError::Invalid(vec![e]))?;
    check_people(conn, &file.case, &step, &people).await?;
    if let Some(r) = step.recommended
        && !file
            .recommendations
            .iter()
            .any(|x| x.id == r && x.on_date <= step.on)
    {
        return Err(AppError::invalid("recommended", Msg::DevNoTuiyou));
    }
    if step.kind == StepKind::Meeting {
        let (quota, used) = store::quota(conn, branch.id, step.on.year(), id).await?;
        check_quota(quota, used).map_err(|m| AppError::invalid("kind", m))?;
    }
    let upload = crate::uploads::store::own_or_kept(
        conn,
        actor.user_id,
        ("upload", &form.upload),
        crate::uploads::model::Purpose::Attachment,
        None,
    )
    .await?;
    let seq = i32::try_from(seen + 1).unwrap_or(i32::MAX);
    let row = NewStepRow {
        case_id: id,
        seq,
        step: &step,
        by: actor.user_id,
        upload,
    };
    let step_id = store::insert_step(conn, &row)
        .await?
        .ok_or(AppError::Conflict(Msg::DevChanged))?;
    if let Some((_, _)) = step.kind.people() {
        let role = if step.kind == StepKind::Sponsors {
            "sponsor"
        } else {
            "contact"
        };
        store::insert_people(conn, id, step_id, role, &people).await?;
    }
    let link = format!("/development/{id}");
    let dedupe = format!("dev:{id}:{seq}");
    if next != file.case.stage {
        store::set_stage(conn, id, next).await?;
        match next.status() {
            Some(status) => {
                store::set_status(conn, file.case.user_id, branch.id, status).await?;
            }
            None if file.case.tree == Tree::League => {
                store::set_status(
                    conn,
                    file.case.user_id,
                    branch.id,
                    MemberStatus::YoungEmployee,
                )
                .await?;
            }
            None => {
                crate::orgs::store::leave(conn, file.case.user_id, Tree::Party).await?;
            }
        }
        let message = Message::DevelopmentStage { stage: next };
        crate::notices::store::notify(conn, &[file.case.user_id], &message, &link, &dedupe).await?;
    }
    if step.kind.has_vote()
        && let Some(parent) = branch.parent_id
    {
        let superiors = crate::notices::store::holders(conn, parent, false).await?;
        let message = Message::DevelopmentTodo {
            name: file.case.name.clone(),
        };
        crate::notices::store::notify(conn, &superiors, &message, &link, &dedupe).await?;
    }
    Ok(next)
}

/// Contacts (one or two) and sponsors (two): full members of the Party, not the person.
async fn check_people(
    conn: &mut PgConnection,
    case: &CaseRow,
    step: &NewStep,
    people: &[UserId],
) -> Result<(), AppError> {
    let Some((least, most)) = step.kind.people() else {
        return Ok(());
    };
    let mut chosen = people.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    if chosen.len() < least || chosen.len() > most {
        let msg = if step.kind == StepKind::Sponsors {
            Msg::DevSponsorCount
        } else {
            Msg::DevContactCount
        };
        return Err(AppError::invalid("people", msg));
    }
    if chosen.contains(&case.user_id) {
        return Err(AppError::invalid("people", Msg::DevNotFullMember));
    }
    let full = store::full_members(conn, &chosen).await?;
    if full.len() != chosen.len() {
        return Err(AppError::invalid("people", Msg::DevNotFullMember));
    }
    Ok(())
}

/// A branch's development page for those who run it: its cases, its members (to choose
/// contacts and sponsors, to count votes), a League branch's recommendations and who holds
/// a League post; for the Party, the figures of the year under it and the branches' plans,
/// with those the viewer sets.
pub struct BranchPage {
    pub org: Org,
    pub cases: Vec<CaseFile>,
    pub members: Vec<(UserId, String, MemberStatus, Option<NaiveDate>)>,
    pub recommendations: Vec<RecommendationRow>,
    /// Members holding a League post (they stay past the League's age).
    pub posts: Vec<UserId>,
    pub year: i32,
    pub figures: Option<DevFigures>,
    pub plans: Vec<(OrgId, String, Option<i32>, i64)>,
    pub sets_plans: Vec<OrgId>,
}

pub async fn branch_page(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    year: i32,
) -> Result<BranchPage, AppError> {
    let org = crate::orgs::store::org(conn, org)
        .await?
        .ok_or(AppError::NotFound)?;
    if !actor.can_manage(&org.path) {
        return Err(AppError::Forbidden);
    }
    let listed = store::cases_in(conn, org.id, None).await?;
    let cases = files(conn, listed).await?;
    let members = if org.kind.is_branch() {
        store::branch_members(conn, org.id).await?
    } else {
        Vec::new()
    };
    let mut page = BranchPage {
        org,
        cases,
        members,
        recommendations: Vec::new(),
        posts: Vec::new(),
        year,
        figures: None,
        plans: Vec::new(),
        sets_plans: Vec::new(),
    };
    match page.org.tree {
        Tree::League => {
            let ids: Vec<UserId> = page.members.iter().map(|(user, ..)| *user).collect();
            page.posts = store::holding_posts(conn, &ids, Tree::League).await?;
            page.recommendations = store::recommendations(conn, &[], Some(page.org.id)).await?;
        }
        Tree::Party => {
            if page.org.kind.is_branch() {
                page.recommendations = store::recommended_to(conn, page.org.id).await?;
            }
            page.figures = Some(store::figures(conn, &page.org.path, year).await?);
            page.plans = store::branch_plans(conn, &page.org.path, year).await?;
            page.sets_plans = page
                .plans
                .iter()
                .map(|p| p.0)
                .filter(|b| sets_plan(actor, &page.org, *b))
                .collect();
        }
    }
    Ok(page)
}

/// A League branch recommends one of its League members (28 or younger) to the Party
/// (推优入党), by a vote of its members with the same majority rules as the Party's.
pub async fn recommend(
    conn: &mut PgConnection,
    actor: &Actor,
    org: OrgId,
    form: &RecommendForm,
    today: NaiveDate,
) -> Result<i64, AppError> {
    let member = form
        .member
        .trim()
        .parse::<i64>()
        .map(UserId)
        .map_err(|_| AppError::invalid("member", Msg::DevNotLeagueMember))?;
    let note = form.note.as_str();
    let org = crate::orgs::store::org(conn, org)
        .await?
        .ok_or(AppError::NotFound)?;
    if org.tree != Tree::League || !org.kind.is_branch() || !actor.can_manage(&org.path) {
        return Err(AppError::Forbidden);
    }
    let on = NaiveDate::parse_from_str(form.on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("on", Msg::DateInvalid))?;
    if on > today {
        return Err(AppError::invalid("on", Msg::DevDateFuture));
    }
    match store::membership(conn, member, Tree::League).await? {
        Some((o, MemberStatus::LeagueMember)) if o == org.id => {}
        _ => return Err(AppError::invalid("member", Msg::DevNotLeagueMember)),
    }
    check_age_to_recommend(store::birth_date(conn, member).await?, on)
        .map_err(|m| AppError::invalid("member", m))?;
    let vote =
        Vote::parse(&form.eligible, &form.present, &form.in_favour).map_err(AppError::Invalid)?;
    if note.chars().count() > 2000 {
        return Err(AppError::invalid("note", Msg::TooLong));
    }
    let new = NewRecommendation {
        org: org.id,
        user: member,
        on,
        vote,
        note,
        by: actor.user_id,
    };
    let id = store::insert_recommendation(conn, &new)
        .await?
        .ok_or(AppError::Conflict(Msg::DevRecommendedAlready))?;
    Ok(id)
}

/// The superior sets a Party branch's plan (名额) for a year.
pub async fn set_quota(
    conn: &mut PgConnection,
    actor: &Actor,
    branch: OrgId,
    year: i32,
    quota: &str,
) -> Result<(), AppError> {
    let org = crate::orgs::store::org(conn, branch)
        .await?
        .ok_or(AppError::NotFound)?;
    let superior = org.path.parent().is_some_and(|p| actor.can_administer(&p));
    if org.tree != Tree::Party || !org.kind.is_branch() || !superior {
        return Err(AppError::Forbidden);
    }
    let quota = match quota.trim().parse::<u32>() {
        Ok(q) if q <= 1000 => q,
        _ => {
            return Err(AppError::Invalid(vec![FieldError::new(
                "quota",
                Msg::DevCount,
            )]));
        }
    };
    if !(2000..=2100).contains(&year) {
        return Err(AppError::invalid("year", Msg::DevCount));
    }
    store::set_quota(conn, org.id, year, quota, actor.user_id).await
}

/// The organization a development page opens on when none is named: the first one the
/// viewer runs (a dues officer's role opens none).
pub fn first_org(actor: &Actor) -> Result<OrgId, AppError> {
    actor
        .grants
        .iter()
        .filter(|g| g.role != crate::auth::model::Role::DuesOfficer)
        .find_map(|g| g.path.as_ref().map(|p| p.id()))
        .ok_or(AppError::NotFound)
}

/// Whether the viewer, on the page of `org`, sets the plan of `branch` (listed under it):
/// the committee above the branch does.
pub fn sets_plan(actor: &Actor, org: &Org, branch: OrgId) -> bool {
    if branch == org.id {
        org.path.parent().is_some_and(|p| actor.can_administer(&p))
    } else {
        actor.can_administer(&org.path)
    }
}

/// League membership ends past the League's age for members without a League post: each is
/// told, and their branch's secretaries are told who left. Answers how many left.
pub async fn age_out(conn: &mut PgConnection, today: NaiveDate) -> Result<usize, AppError> {
    let left = store::end_over_age(conn, today).await?;
    for (user, org) in &left {
        let key = format!("league-age:{user}:{today}");
        crate::notices::store::notify(
            conn,
            &[*user],
            &Message::LeagueAgedOut { name: None },
            "/me",
            &key,
        )
        .await?;
        let name = crate::orgs::store::display_name(conn, *user).await?;
        let secretaries = crate::notices::store::holders(conn, *org, true).await?;
        let message = Message::LeagueAgedOut { name: Some(name) };
        crate::notices::store::notify(conn, &secretaries, &message, "/orglife/development", &key)
            .await?;
    }
    Ok(left.len())
}
