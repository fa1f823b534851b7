//! 群机器人 (`/orglife/robots?org=`): an organization's WeChat Work and DingTalk group robots,
//! set and removed by those who run it, and what was sent to them.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{DeliveryState, RemoveOrgRobot, RobotsView, SetOrgRobot, org_robots};
use super::model::RobotKind;
use crate::i18n::use_t;
use crate::ui::{
    AppLayout, Empty, ErrorState, Field, FormError, FormOk, Loading, action_done, action_error,
};

#[component]
pub fn RobotsPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let set = crate::ui::server_action::<SetOrgRobot>();
    let remove = crate::ui::server_action::<RemoveOrgRobot>();
    let (a, b) = (action_done(set), action_done(remove));
    let data = Resource::new(
        move || (crate::ui::org_in_query(&query.read()), a.get() + b.get()),
        |(org, _)| org_robots(org),
    );
    view! {
        <AppLayout title=t.robots_title back="/orglife">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <Robots v set remove /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Robots(
    v: RobotsView,
    set: ServerAction<SetOrgRobot>,
    remove: ServerAction<RemoveOrgRobot>,
) -> impl IntoView {
    let t = use_t();
    let error = action_error(set);
    let saved = Signal::derive(move || matches!(set.value().get(), Some(Ok(()))));
    let org = v.org_id.to_string();
    view! {
        <section class="card">
            <h2>{v.org_name.clone()}</h2>
            <p class="lead">{t.robots_lead}</p>
            {if v.robots.is_empty() {
                view! { <Empty text=t.robots_none /> }.into_any()
            } else {
                v.robots.into_iter().map(|r| {
                    let org = org.clone();
                    view! {
                        <div class="row" data-testid="robot">
                            <div>
                                <strong>{r.kind.label(t)}</strong>
                                <span class="muted small block">{r.address}</span>
                                <span class="muted small block">
                                    {if r.signed { t.robot_signed } else { "" }} " " {t.robot_added.replace("{at}", &r.added)}
                                </span>
                            </div>
                            <ActionForm action=remove>
                                <input type="hidden" name="org" value=org />
                                <input type="hidden" name="kind" value=r.kind.as_str() />
                                <button type="submit" class="btn small">{t.robot_remove}</button>
                            </ActionForm>
                        </div>
                    }
                }).collect_view().into_any()
            }}
        </section>
        <section class="card">
            <h2>{t.robot_set_title}</h2>
            <ActionForm action=set attr:class="form" attr:novalidate=true>
                <FormOk show=saved text=t.saved />
                <FormError error />
                <input type="hidden" name="org" value=org.clone() />
                <div class="field">
                    <label for="f-kind">{t.robot_kind}</label>
                    <select id="f-kind" name="kind">
                        {RobotKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label(t)}</option> }).collect_view()}
                    </select>
                </div>
                <Field label=t.robot_url name="url" kind="url" autocomplete="off" hint=t.robot_url_hint error />
                <Field label=t.robot_secret name="secret" autocomplete="off" hint=t.robot_secret_hint error />
                <button type="submit" class="btn primary block">{t.save}</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{t.robot_deliveries}</h2>
            {if v.deliveries.is_empty() {
                view! { <Empty text=t.robot_deliveries_none /> }.into_any()
            } else {
                view! {
                    <ul class="items">
                        {v.deliveries.into_iter().map(|d| {
                            let (state, class) = match d.state {
                                DeliveryState::Sent => (t.robot_sent.to_owned(), "tag ok"),
                                DeliveryState::Failed => (t.robot_failed.to_owned(), "tag warn"),
                                DeliveryState::Waiting { attempts } => (t.robot_waiting.replace("{n}", &attempts.to_string()), "tag"),
                            };
                            view! {
                                <li class="row" data-testid="delivery">
                                    <div>
                                        <span class=class>{state}</span> " " <span class="muted small">{format!("{} · {}", d.kind.label(t), d.at)}</span>
                                        <span class="block">{d.text}</span>
                                        {(!d.error.is_empty()).then(|| view! { <span class="muted small block">{d.error}</span> })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
