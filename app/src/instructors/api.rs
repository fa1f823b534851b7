//! Instructors: naming and ending them for a branch or a founding application, and an
//! instructor's own list of what they follow.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::Followed;
use crate::error::AppError;
use crate::ids::{ApplicationId, OrgId};

/// An instructor of a target, as its page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructorView {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    /// Asia/Shanghai day.
    pub since: String,
}

/// The instructors of an organization or an application, for those who may name them.
#[server(endpoint = "instructors_of")]
pub async fn instructors_of(
    org: Option<OrgId>,
    application: Option<ApplicationId>,
) -> Result<Vec<InstructorView>, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let rows =
        super::flow::of_target(&mut conn, &actor, super::flow::target(org, application)?).await?;
    Ok(rows
        .into_iter()
        .map(|r| InstructorView {
            id: r.id,
            name: r.name,
            phone: r.phone,
            since: crate::time::day_of(r.assigned_at).to_string(),
        })
        .collect())
}

/// Names the person signing in as `instructor` (a phone number or user name) instructor of the organization or application.
#[server(endpoint = "assign_instructor")]
pub async fn assign_instructor(
    org: Option<OrgId>,
    application: Option<ApplicationId>,
    instructor: String,
) -> Result<bool, AppError> {
    use crate::auth::session;
    let mut tx = session::pool()?.begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    let added = super::flow::assign(
        &mut tx,
        &actor,
        super::flow::target(org, application)?,
        &instructor,
    )
    .await?;
    tx.commit().await?;
    Ok(added)
}

/// Ends an instructor's assignment.
#[server(endpoint = "end_instructor")]
pub async fn end_instructor(id: i64) -> Result<(), AppError> {
    use crate::auth::session;
    let mut tx = session::pool()?.begin().await?;
    let actor = session::require_actor(&mut tx).await?;
    super::flow::end(&mut tx, &actor, id).await?;
    tx.commit().await?;
    Ok(())
}

/// What an instructor follows on a day (the day the ages count to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowingView {
    pub today: chrono::NaiveDate,
    pub items: Vec<Followed>,
}

/// What the viewer follows as an instructor, most pressing first.
#[server(endpoint = "my_following")]
pub async fn my_following() -> Result<FollowingView, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    let today = crate::time::day_of(chrono::Utc::now());
    let items = super::flow::following(&mut conn, actor.user_id, today).await?;
    Ok(FollowingView { today, items })
}
