//! The member's study streak for 学习 and 我的.

use leptos::prelude::*;

use super::model::Streak;
use crate::error::AppError;

#[server(endpoint = "my_streak")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_streak() -> Result<Streak, AppError> {
    use crate::auth::session;
    let mut conn = session::pool()?.acquire().await?;
    let actor = session::require_actor(&mut conn).await?;
    super::flow::of_member(&mut conn, &actor, chrono::Utc::now()).await
}
