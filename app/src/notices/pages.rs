//! The messages page and the link to it on 我的.

use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{my_notices, unread_notices};
use crate::i18n::use_t;
use crate::ui::{AppLayout, Empty, ErrorState, Loading};

/// `/me/notices`.
#[component]
pub fn NoticesPage() -> impl IntoView {
    let t = use_t();
    let list = Resource::new(|| (), |_| my_notices());
    view! {
        <AppLayout title=t.notices_title back="/me">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <Empty text=t.notices_empty /> }.into_any(),
                        Ok(items) => view! {
                            <section class="card">
                                <ul class="items">
                                    {items.into_iter().map(|n| {
                                        let inner = view! {
                                            <span class="item-title">
                                                {(!n.read).then(|| view! { <span class="dot" aria-label=t.unread></span> })}
                                                {n.message.as_ref().map(|m| m.render(t)).unwrap_or_else(|| n.title.clone())}
                                            </span>
                                            {(!n.body.is_empty()).then(|| view! { <span class="small">{n.body.clone()}</span> })}
                                            <span class="muted small">{n.at.clone()}</span>
                                        };
                                        match n.link.clone() {
                                            Some(href) => view! { <li><A href=href attr:class="item-card">{inner}</A></li> }.into_any(),
                                            None => view! { <li><div class="item-card">{inner}</div></li> }.into_any(),
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                        }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

/// The row on 我的 that leads to the messages, with the unread count.
#[component]
pub fn NoticesLink() -> impl IntoView {
    let t = use_t();
    let unread = Resource::new(|| (), |_| unread_notices());
    view! {
        <A href="/me/notices" attr:class="row link">
            <span>{t.notices_title}</span>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    unread.await.ok().filter(|n| *n > 0).map(|n| view! {
                        <span class="badge" aria-label=t.unread_count.replace("{n}", &n.to_string())>{n}</span>
                    })
                })}
            </Suspense>
            <span aria-hidden="true">"›"</span>
        </A>
    }
}
