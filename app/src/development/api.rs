//! Server functions for becoming a member: the viewer's own cases, birth date and
//! application; a case's page and its next step; a branch's cases (and a League branch's
//! recommendations); a committee's figures and the branches' plans.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{DevFigures, DueKind, Stage, StepForm, StepKind};
use crate::error::AppError;
use crate::ids::{OrgId, UserId};
use crate::orgs::model::{MemberStatus, Tree};

/// A recorded step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub kind: StepKind,
    pub on: String,
    pub by: String,
    /// Members with a vote, present, in favour.
    pub vote: Option<(i32, i32, i32)>,
    pub hours: Option<i32>,
    pub months: Option<i32>,
    pub note: String,
    /// The document's link and name.
    pub document: Option<(String, String)>,
    pub recorded_at: String,
}

/// A League branch's recommendation (推优).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationView {
    pub id: i64,
    pub org_name: String,
    pub member: UserId,
    pub name: String,
    pub on: String,
    pub vote: (i32, i32, i32),
    pub note: String,
    pub by: String,
}

/// A case as the lists and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: i64,
    pub name: String,
    pub age: Option<u32>,
    pub tree: Tree,
    pub org_id: OrgId,
    pub org_name: String,
    pub stage: Stage,
    pub steps: Vec<StepView>,
    pub contacts: Vec<String>,
    pub sponsors: Vec<String>,
    pub recommendations: Vec<RecommendationView>,
    /// What falls due next, by when, and whether that day has passed.
    pub due: Option<(DueKind, String, bool)>,
    pub talk_late: bool,
    pub training_hours: u32,
}

/// A case's page: the case, the steps the viewer may record next, and for the branch the
/// full members to choose contacts and sponsors from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePageView {
    pub case: CaseView,
    pub next: Vec<StepKind>,
    pub full_members: Vec<(UserId, String)>,
    /// Hours of required study on the portal that count as training.
    pub portal_hours: u32,
    pub today: String,
}

/// The viewer's own way into the trees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDevelopmentView {
    pub birth_date: Option<String>,
    pub age: Option<u32>,
    pub cases: Vec<CaseView>,
    /// The trees the viewer may apply to, with their branches.
    pub may_apply: Vec<(Tree, Vec<(OrgId, String)>)>,
    /// Cases the viewer looks after as a contact or sponsor.
    pub looked_after: Vec<CaseView>,
}

/// A member of a branch as its development page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchMemberView {
    pub id: UserId,
    pub name: String,
    pub status: MemberStatus,
    pub age: Option<u32>,
    /// A League member over the League's age without a League post.
    pub over_age: bool,
}

/// A branch's plan and its proposals of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanView {
    pub org_id: OrgId,
    pub name: String,
    pub quota: Option<i32>,
    pub used: i64,
}

/// A branch's (or committee's) development page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchDevelopmentView {
    pub org_id: OrgId,
    pub org_name: String,
    pub tree: Tree,
    pub is_branch: bool,
    pub cases: Vec<CaseView>,
    pub members: Vec<BranchMemberView>,
    pub recommendations: Vec<RecommendationView>,
    pub year: i32,
    /// The Party's figures and plans (none for the League).
    pub figures: Option<DevFigures>,
    pub plans: Vec<PlanView>,
    /// The viewer sets the plans of the branches listed (the committee above them).
    pub sets_plans: Vec<OrgId>,
    pub today: String,
}

#[cfg(feature = "ssr")]
impl From<super::store::RecommendationRow> for RecommendationView {
    fn from(r: super::store::RecommendationRow) -> Self {
        RecommendationView {
            id: r.id,
            org_name: r.org_name,
            member: r.user_id,
            name: r.name,
            on: r.on_date.to_string(),
            vote: (r.eligible, r.present, r.in_favour),
            note: r.note,
            by: r.by_name,
        }
    }
}

#[cfg(feature = "ssr")]
/// A case as a view; for the person's own eyes (`own`), the political review's conclusion
/// and the assessments stay with the branch (their dates show, not their notes or documents).
fn case_view(f: super::flow::CaseFile, today: chrono::NaiveDate, own: bool) -> CaseView {
    let history = f.history();
    let due = super::model::next_due(f.case.stage, &history)
        .map(|(k, on)| (k, on.to_string(), on < today));
    let names = |role: &str| {
        f.people
            .iter()
            .filter(|p| p.role == role)
            .map(|p| p.name.clone())
            .collect()
    };
    CaseView {
        id: f.case.id,
        name: f.case.name.clone(),
        age: f.case.birth_date.map(|b| super::model::age_on(b, today)),
        tree: f.case.tree,
        org_id: f.case.org_id,
        org_name: f.case.org_name.clone(),
        stage: f.case.stage,
        contacts: names("contact"),
        sponsors: names("sponsor"),
        due,
        talk_late: history.talk_late(),
        training_hours: history.training_hours(),
        recommendations: f.recommendations.into_iter().map(Into::into).collect(),
        steps: f
            .steps
            .into_iter()
            .map(|s| {
                let hidden = own && s.kind.confidential();
                StepView {
                    kind: s.kind,
                    on: s.on_date.to_string(),
                    by: s.by_name,
                    vote: s
                        .eligible
                        .zip(s.present)
                        .zip(s.in_favour)
                        .map(|((e, p), f)| (e, p, f)),
                    hours: s.hours,
                    months: s.months,
                    note: if hidden { String::new() } else { s.note },
                    document: s
                        .upload_id
                        .zip(s.upload_ext)
                        .filter(|_| !hidden)
                        .map(|(id, ext)| {
                            (
                                crate::uploads::store::media_url(id, &ext),
                                s.upload_name.unwrap_or_default(),
                            )
                        }),
                    recorded_at: crate::time::local_minute(s.created_at),
                }
            })
            .collect(),
    }
}

#[cfg(feature = "ssr")]
fn today() -> chrono::NaiveDate {
    crate::time::day_of(chrono::Utc::now())
}

/// The viewer's cases, birth date, where they may apply and whom they look after.
#[server(endpoint = "my_development")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_development() -> Result<MyDevelopmentView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let mine = super::flow::my_development(&mut tx, &actor).await?;
    tx.commit().await?;
    let today = today();
    Ok(MyDevelopmentView {
        birth_date: mine.birth_date.map(|b| b.to_string()),
        age: mine.birth_date.map(|b| super::model::age_on(b, today)),
        cases: mine
            .cases
            .into_iter()
            .map(|f| case_view(f, today, true))
            .collect(),
        may_apply: mine.may_apply,
        looked_after: mine
            .looked_after
            .into_iter()
            .map(|f| case_view(f, today, false))
            .collect(),
    })
}

/// The viewer sets their birth date (once; the rules of age read it).
#[server(endpoint = "set_birth_date")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_birth_date(birth_date: String) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::set_birth_date(&mut tx, &actor, &birth_date, today()).await?;
    tx.commit().await?;
    Ok(())
}

/// The viewer applies to join the Party or the League at a branch (`target`:
/// `party-12`, `league-7`); answers the case.
#[server(endpoint = "apply_to_join")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn apply_to_join(target: String) -> Result<i64, AppError> {
    use crate::auth::session;
    let (tree, org) = target
        .split_once('-')
        .and_then(|(tree, org)| Some((Tree::parse(tree)?, OrgId(org.parse().ok()?))))
        .ok_or_else(|| AppError::invalid("org", crate::error::Msg::DevNoBranch))?;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::apply(&mut tx, &actor, tree, org, today()).await?;
    tx.commit().await?;
    Ok(id)
}

/// The branch registers an application someone of its workplace made on `on`; answers
/// the case.
#[server(endpoint = "register_application")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn register_application(org: OrgId, login: String, on: String) -> Result<i64, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::register(&mut tx, &actor, org, &login, &on, today()).await?;
    tx.commit().await?;
    Ok(id)
}

/// A case's page, for the person, their contacts and sponsors, the branch and above.
#[server(endpoint = "development_case")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn development_case(id: i64) -> Result<CasePageView, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let (file, branch, powers) = super::flow::case_file(&mut tx, &actor, id).await?;
    let facts = super::flow::facts(&mut tx, &file).await?;
    let full_members = if powers.branch && file.case.tree == Tree::Party {
        super::store::branch_members(&mut tx, branch.id)
            .await?
            .into_iter()
            .filter(|m| m.2 == MemberStatus::Full && m.0 != file.case.user_id)
            .map(|m| (m.0, m.1))
            .collect()
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let next = super::model::next_kinds(&facts)
        .into_iter()
        .filter(|k| powers.may(*k))
        .collect();
    let today = today();
    let own = powers.person && !(powers.contact || powers.branch || powers.superior);
    Ok(CasePageView {
        case: case_view(file, today, own),
        next,
        full_members,
        portal_hours: facts.portal_hours,
        today: today.to_string(),
    })
}

/// Records the next step of a case; `seen` is the number of steps the page showed.
#[server(endpoint = "record_development_step")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id)))]
pub async fn record_development_step(
    id: i64,
    seen: usize,
    #[server(flatten)] form: StepForm,
) -> Result<Stage, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let stage = super::flow::record_step(&mut tx, &actor, id, seen, &form, today()).await?;
    tx.commit().await?;
    Ok(stage)
}

/// A branch's development page (a committee's: its figures and the branches' plans), for
/// those who run it; `year` 0 is this year.
#[server(endpoint = "branch_development")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn branch_development(org: OrgId, year: i32) -> Result<BranchDevelopmentView, AppError> {
    use crate::auth::session;
    use chrono::Datelike;
    let today = today();
    let year = if year == 0 { today.year() } else { year };
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let org = match org.0 {
        0 => super::flow::first_org(&actor)?,
        _ => org,
    };
    let b = super::flow::branch_page(&mut tx, &actor, org, year).await?;
    tx.commit().await?;
    Ok(branch_view(b, today))
}

#[cfg(feature = "ssr")]
fn branch_view(b: super::flow::BranchPage, today: chrono::NaiveDate) -> BranchDevelopmentView {
    let posts = b.posts;
    BranchDevelopmentView {
        org_id: b.org.id,
        org_name: b.org.name.clone(),
        tree: b.org.tree,
        is_branch: b.org.kind.is_branch(),
        members: b
            .members
            .into_iter()
            .map(|(id, name, status, birth)| BranchMemberView {
                id,
                name,
                status,
                age: birth.map(|d| super::model::age_on(d, today)),
                over_age: status == MemberStatus::LeagueMember
                    && super::model::league_over_age(birth, today, posts.contains(&id)),
            })
            .collect(),
        cases: b
            .cases
            .into_iter()
            .map(|f| case_view(f, today, false))
            .collect(),
        recommendations: b.recommendations.into_iter().map(Into::into).collect(),
        year: b.year,
        figures: b.figures,
        plans: b
            .plans
            .into_iter()
            .map(|(org_id, name, quota, used)| PlanView {
                org_id,
                name,
                quota,
                used,
            })
            .collect(),
        sets_plans: b.sets_plans,
        today: today.to_string(),
    }
}

/// A League branch recommends one of its members to the Party (推优入党).
#[server(endpoint = "recommend_member")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn recommend_member(
    org: OrgId,
    #[server(flatten)] form: super::model::RecommendForm,
) -> Result<i64, AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let id = super::flow::recommend(&mut tx, &actor, org, &form, today()).await?;
    tx.commit().await?;
    Ok(id)
}

/// The committee above a Party branch sets its plan (名额) for a year.
#[server(endpoint = "set_development_quota")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(org)))]
pub async fn set_development_quota(org: OrgId, year: i32, quota: String) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::set_quota(&mut tx, &actor, org, year, &quota).await?;
    tx.commit().await?;
    Ok(())
}
