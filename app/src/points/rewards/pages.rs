//! `/points/rewards` (积分兑换): the member's balance, what they may redeem and what they
//! redeemed; `/points/rewards/manage?org=`: an organization's admins offer rewards and hand
//! out what was redeemed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    MemberRewardsView, OfferReward, OrgRewardsView, RedeemReward, RedemptionView, RewardView,
    SetRedemptionState, my_rewards, org_rewards,
};
use super::model::{RedemptionState, RewardKind};
use crate::i18n::{Strings, use_t};
use crate::ui::{
    AppLayout, Empty, ErrorState, Field, FormError, FormOk, Loading, action_done, action_error,
};

fn kind_label(k: RewardKind, t: &Strings) -> &'static str {
    match k {
        RewardKind::Item => t.reward_kind_item,
        RewardKind::Priority => t.reward_kind_priority,
    }
}

fn state_badge(s: RedemptionState, t: &Strings) -> (&'static str, &'static str) {
    match s {
        RedemptionState::Requested => (t.redemption_requested, "badge"),
        RedemptionState::Issued => (t.redemption_issued, "badge ok"),
        RedemptionState::Collected => (t.redemption_collected, "badge ok"),
        RedemptionState::Cancelled => (t.redemption_cancelled, "badge warn"),
    }
}

/// A reward's facts in one line: its cost, what is left, the limit and the window.
fn reward_facts(r: &RewardView, t: &Strings) -> String {
    t.reward_facts
        .replace("{cost}", &r.cost.to_string())
        .replace("{stock}", &r.stock.to_string())
        .replace("{limit}", &r.per_member.to_string())
        .replace("{opens}", &r.opens)
        .replace("{closes}", &r.closes)
}

#[component]
pub fn RewardsPage() -> impl IntoView {
    let t = use_t();
    let redeem = crate::ui::server_action::<RedeemReward>();
    let cancel = crate::ui::server_action::<SetRedemptionState>();
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|s| s.parse::<i64>().ok())
    };
    let (a, b) = (action_done(redeem), action_done(cancel));
    let data = Resource::new(
        move || (before(), a.get() + b.get()),
        |(before, _)| my_rewards(before),
    );
    view! {
        <AppLayout title=t.rewards_title back="/points">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <MemberRewards v redeem cancel /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn MemberRewards(
    v: MemberRewardsView,
    redeem: ServerAction<RedeemReward>,
    cancel: ServerAction<SetRedemptionState>,
) -> impl IntoView {
    let t = use_t();
    let redeemed = Signal::derive(move || matches!(redeem.value().get(), Some(Ok(_))));
    let balance = v.balance;
    view! {
        <section class="card" data-testid="balance">
            <p class="muted small">{t.rewards_balance}</p>
            <p class="big-figure">{balance}</p>
            <p class="muted small">{t.rewards_lead}</p>
        </section>
        <section class="card list" data-testid="rewards">
            <h2>{t.rewards_offered}</h2>
            <FormOk show=redeemed text=t.rewards_redeemed />
            <FormError error=action_error(redeem) />
            {if v.offered.is_empty() {
                view! { <Empty text=t.rewards_none /> }.into_any()
            } else {
                v.offered.into_iter().map(|r| {
                    let enough = balance >= i64::from(r.cost);
                    let can = r.open && r.stock > 0 && r.mine < i64::from(r.per_member) && enough;
                    let why = if !r.open {
                        Some(t.msg_reward_closed)
                    } else if r.stock <= 0 {
                        Some(t.msg_reward_out_of_stock)
                    } else if r.mine >= i64::from(r.per_member) {
                        Some(t.msg_reward_limit_reached)
                    } else if !enough {
                        Some(t.msg_points_short)
                    } else {
                        None
                    };
                    view! {
                        <div class="row" data-testid="reward">
                            <span>
                                <strong>{r.title.clone()}</strong>
                                <span class="tag">{kind_label(r.kind, t)}</span>
                                <span class="muted small block">{r.org.clone()}</span>
                                <span class="small block">{reward_facts(&r, t)}</span>
                                {(!r.description.is_empty()).then(|| view! { <span class="muted small block">{r.description.clone()}</span> })}
                                {why.map(|w| view! { <span class="muted small block">{w}</span> })}
                            </span>
                            <ActionForm action=redeem>
                                <input type="hidden" name="reward" value=r.id />
                                <button type="submit" class="btn small primary" disabled=!can>{t.rewards_redeem}</button>
                            </ActionForm>
                        </div>
                    }
                }).collect_view().into_any()
            }}
        </section>
        <section class="card list" data-testid="my-redemptions">
            <h2>{t.rewards_mine}</h2>
            <FormError error=action_error(cancel) />
            {if v.mine.is_empty() {
                view! { <Empty text=t.rewards_mine_none /> }.into_any()
            } else {
                v.mine.into_iter().map(|d| {
                    let waiting = d.state == RedemptionState::Requested;
                    view! {
                        <div class="row" data-testid="redemption">
                            <RedemptionLine d=d.clone() />
                            {waiting.then(|| view! {
                                <ActionForm action=cancel>
                                    <input type="hidden" name="redemption" value=d.id />
                                    <input type="hidden" name="state" value="cancelled" />
                                    <button type="submit" class="btn small">{t.rewards_cancel}</button>
                                </ActionForm>
                            })}
                        </div>
                    }
                }).collect_view().into_any()
            }}
            {v.next.map(|n| view! { <a class="btn block" href=format!("/points/rewards?before={n}")>{t.load_more}</a> })}
        </section>
    }
}

#[component]
fn RedemptionLine(d: RedemptionView, #[prop(optional)] who: bool) -> impl IntoView {
    let t = use_t();
    let (state, class) = state_badge(d.state, t);
    let person = who.then(|| {
        let phone = d
            .phone
            .clone()
            .map(|p| format!(" · {p}"))
            .unwrap_or_default();
        format!("{}{phone} · ", d.name)
    });
    view! {
        <span>
            <strong>{d.title}</strong> " " <span class=class>{state}</span>
            <span class="muted small block">
                {person}
                {t.reward_spent_at.replace("{cost}", &d.cost.to_string()).replace("{at}", &d.at)}
            </span>
        </span>
    }
}

/// `/points/rewards/manage?org=`: an organization's admins offer rewards and move the
/// redemptions of them on.
#[component]
pub fn ManageRewardsPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let offer = crate::ui::server_action::<OfferReward>();
    let step = crate::ui::server_action::<SetRedemptionState>();
    let (a, b) = (action_done(offer), action_done(step));
    let data = Resource::new(
        move || {
            let q = query.read();
            let before = q.get("before").and_then(|s| s.parse::<i64>().ok());
            (crate::ui::org_in_query(&q), before, a.get() + b.get())
        },
        |(org, before, _)| org_rewards(org, before),
    );
    view! {
        <AppLayout title=t.rewards_manage_title back="/me">
            <Suspense fallback=Loading>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <OrgRewards v offer step /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn OrgRewards(
    v: OrgRewardsView,
    offer: ServerAction<OfferReward>,
    step: ServerAction<SetRedemptionState>,
) -> impl IntoView {
    let t = use_t();
    let error = action_error(offer);
    let offered = Signal::derive(move || matches!(offer.value().get(), Some(Ok(_))));
    let today = crate::time::day_of(chrono::Utc::now()).to_string();
    let month = (crate::time::day_of(chrono::Utc::now()) + chrono::Duration::days(30)).to_string();
    view! {
        <section class="card list" data-testid="org-rewards">
            <h2>{v.org.clone()}</h2>
            <p class="muted small">{t.rewards_manage_lead}</p>
            {if v.rewards.is_empty() {
                view! { <Empty text=t.rewards_none_offered /> }.into_any()
            } else {
                v.rewards.into_iter().map(|r| view! {
                    <div class="row" data-testid="offered">
                        <span>
                            <strong>{r.title.clone()}</strong> <span class="tag">{kind_label(r.kind, t)}</span>
                            <span class="small block">{reward_facts(&r, t)}</span>
                            <span class="muted small block">{t.reward_taken.replace("{n}", &r.taken.to_string())}</span>
                        </span>
                    </div>
                }).collect_view().into_any()
            }}
        </section>
        <section class="card list" data-testid="org-redemptions">
            <h2>{t.rewards_redemptions}</h2>
            <FormError error=action_error(step) />
            {if v.redemptions.is_empty() {
                view! { <Empty text=t.rewards_redemptions_none /> }.into_any()
            } else {
                v.redemptions.into_iter().map(|d| {
                    let next: Vec<(RedemptionState, &'static str)> = [
                        (RedemptionState::Issued, t.rewards_issue),
                        (RedemptionState::Collected, t.rewards_collected),
                        (RedemptionState::Cancelled, t.rewards_cancel),
                    ]
                    .into_iter()
                    .filter(|(s, _)| d.state.may_become(*s))
                    .collect();
                    let id = d.id;
                    view! {
                        <div class="row" data-testid="redemption">
                            <RedemptionLine d=d.clone() who=true />
                            <span class="actions">
                                {next.into_iter().map(|(s, label)| view! {
                                    <ActionForm action=step>
                                        <input type="hidden" name="redemption" value=id />
                                        <input type="hidden" name="state" value=s.as_str() />
                                        <button type="submit" class="btn small">{label}</button>
                                    </ActionForm>
                                }).collect_view()}
                            </span>
                        </div>
                    }
                }).collect_view().into_any()
            }}
            {v.next.map(|n| view! { <a class="btn block" href=format!("/points/rewards/manage?org={}&before={n}", v.org_id)>{t.load_more}</a> })}
        </section>
        <section class="card">
            <h2>{t.rewards_offer_title}</h2>
            <ActionForm action=offer attr:class="form" attr:novalidate=true>
                <FormOk show=offered text=t.rewards_offered_ok />
                <FormError error />
                <input type="hidden" name="org" value=v.org_id.to_string() />
                <div class="field">
                    <label for="f-kind">{t.reward_kind}</label>
                    <select id="f-kind" name="kind">
                        {RewardKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{kind_label(k, t)}</option> }).collect_view()}
                    </select>
                </div>
                <Field label=t.reward_title name="title" autocomplete="off" hint=t.reward_title_hint error />
                <Field label=t.reward_description name="description" autocomplete="off" error />
                <Field label=t.reward_cost name="cost" inputmode="numeric" error />
                <Field label=t.reward_stock name="stock" inputmode="numeric" error />
                <Field label=t.reward_per_member name="per_member" inputmode="numeric" value="1".to_owned() error />
                <Field label=t.reward_opens name="opens" kind="date" value=today error />
                <Field label=t.reward_closes name="closes" kind="date" value=month error />
                <button type="submit" class="btn primary block">{t.rewards_offer}</button>
            </ActionForm>
        </section>
    }
}
