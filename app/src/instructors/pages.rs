//! `/me/following`: what an instructor follows, most pressing first, each with its next
//! action and how long it has waited.

use leptos::prelude::*;

use super::api::{FollowingView, my_following};
use super::model::NextAction;
use crate::i18n::{Strings, use_t};
use crate::ui::{AppLayout, Empty, ErrorState, Loading};

/// The next action in the reader's words.
pub fn action_text(next: &NextAction, t: &Strings) -> String {
    match next {
        NextAction::Overdue { kind, tree, .. } => {
            t.follow_overdue.replace("{item}", kind.label(*tree, t))
        }
        NextAction::RecordWaiting { .. } => t.follow_record_waiting.to_owned(),
        NextAction::Idle { since: Some(d) } => t.follow_idle_since.replace("{day}", &d.to_string()),
        NextAction::Idle { since: None } => t.follow_idle_never.to_owned(),
        NextAction::Due { kind, tree, by } => t
            .follow_due
            .replace("{item}", kind.label(*tree, t))
            .replace("{day}", &by.to_string()),
        NextAction::Review { .. } => t.follow_review.to_owned(),
        NextAction::AwaitingApplicant { .. } => t.follow_awaiting.to_owned(),
        NextAction::FirstMeeting { .. } => t.follow_first_meeting.to_owned(),
        NextAction::UpToDate => t.follow_up_to_date.to_owned(),
    }
}

#[component]
pub fn FollowingPage() -> impl IntoView {
    let t = use_t();
    let data = Resource::new(|| (), |_| my_following());
    view! {
        <AppLayout title=t.following_title back="/me">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(error) => view! { <ErrorState error /> }.into_any(),
                    Ok(v) if v.items.is_empty() => view! { <Empty text=t.following_none /> }.into_any(),
                    Ok(FollowingView { today, items: list }) => {
                        view! {
                            <section class="card list" data-testid="following">
                                <p class="lead">{t.following_lead}</p>
                                {list.into_iter().map(|f| {
                                    let age = f.next.age(today).map(|d| t.follow_age.replace("{days}", &d.to_string()));
                                    let class = if matches!(f.next, NextAction::Overdue { .. } | NextAction::Idle { .. }) { "tag warn" } else { "tag" };
                                    view! {
                                        <div class="row" data-testid="followed">
                                            <span>
                                                <strong>{f.name.clone()}</strong>
                                                <span class="muted small block">
                                                    {f.branch.clone().map(|b| format!("{b} · ")).unwrap_or_default()}
                                                    {action_text(&f.next, t)}
                                                </span>
                                            </span>
                                            {age.map(|a| view! { <span class=class>{a}</span> })}
                                        </div>
                                    }
                                }).collect_view()}
                            </section>
                        }.into_any()
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}
