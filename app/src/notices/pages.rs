//! The messages page and the link to it on 我的.

use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{SetNoticePrefs, my_notice_prefs, my_notices, unread_notices};
use super::model::{Channel, ReminderKind};
use crate::i18n::{Strings, use_t};
use crate::ui::{
    AppLayout, Empty, ErrorState, Field, FormError, FormOk, Loading, action_done, action_error,
};

/// `/me/notices`.
#[component]
pub fn NoticesPage() -> impl IntoView {
    let t = use_t();
    let list = Resource::new(|| (), |_| my_notices());
    view! {
        <AppLayout title=t.notices_title back="/me">
            <Prefs />
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

/// 提醒方式: reminders by text message too, and quiet hours.
#[component]
fn Prefs() -> impl IntoView {
    let t = use_t();
    let save = crate::ui::server_action::<SetNoticePrefs>();
    let error = action_error(save);
    let saved = Signal::derive(move || matches!(save.value().get(), Some(Ok(()))));
    let done = action_done(save);
    let prefs = Resource::new(move || done.get(), |_| my_notice_prefs());
    let hours = move |name: &'static str, chosen: Option<u8>| {
        view! {
            <select id=format!("f-{name}") name=name>
                <option value="" selected=chosen.is_none()>{t.prefs_quiet_none}</option>
                {(0..24u8).map(|h| view! { <option value=h.to_string() selected=chosen == Some(h)>{format!("{h:02}:00")}</option> }).collect_view()}
            </select>
        }
    };
    view! {
        <section class="card">
            <h2>{t.prefs_title}</h2>
            <Suspense fallback=Loading>
                {move || prefs.get().map(|r| match r {
                    Err(error) => view! { <ErrorState error /> }.into_any(),
                    Ok(p) => view! {
                        <ActionForm action=save attr:class="form" attr:novalidate=true>
                            <FormOk show=saved text=t.saved />
                            <FormError error />
                            <p class="muted small">{t.prefs_lead}</p>
                            <table class="table prefs" data-testid="channels">
                                <thead>
                                    <tr>
                                        <th>{t.prefs_kind}</th>
                                        {Channel::ALL.map(|c| view! { <th>{c.label(t)}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {ReminderKind::ALL.map(|k| {
                                        let cells = Channel::ALL.map(|c| {
                                            let name = format!("channels[{}:{}]", c.as_str(), k.as_str());
                                            let label = format!("{} · {}", k.label(t), c.label(t));
                                            let on = p.channels.contains(&(k, c));
                                            view! { <td><input type="checkbox" name=name aria-label=label checked=on /></td> }
                                        });
                                        view! { <tr><th>{k.label(t)}</th>{cells.collect_view()}</tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {crate::ui::field_msg(error, "channels", t)}
                            {(!p.has_phone).then(|| view! { <p class="muted small">{t.prefs_no_phone}</p> })}
                            <Field label=t.prefs_email name="email" kind="email" autocomplete="email" value=p.email.clone().unwrap_or_default() hint=t.prefs_email_hint error />
                            <fieldset class="field">
                                <legend>{t.prefs_quiet}</legend>
                                <div class="row-between">
                                    <label for="f-quiet_from">{t.prefs_quiet_from}</label>
                                    {hours("quiet_from", p.quiet.map(|q| q.from))}
                                    <label for="f-quiet_to">{t.prefs_quiet_to}</label>
                                    {hours("quiet_to", p.quiet.map(|q| q.to))}
                                </div>
                                {crate::ui::field_msg(error, "quiet_from", t)}
                            </fieldset>
                            <button type="submit" class="btn small">{t.save}</button>
                        </ActionForm>
                    }.into_any(),
                })}
            </Suspense>
        </section>
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

/// Where a message of an outbox stands, and its badge's class: sent, given up, or waiting
/// with the tries so far.
pub fn delivery_state(
    t: &Strings,
    sent: bool,
    failed: bool,
    attempts: i32,
) -> (String, &'static str) {
    if sent {
        (t.outbox_sent.to_owned(), "badge ok")
    } else if failed {
        (t.mail_failed.to_owned(), "badge warn")
    } else if attempts == 0 {
        (t.outbox_waiting.to_owned(), "badge")
    } else {
        (
            t.mail_waiting.replace("{n}", &attempts.to_string()),
            "badge",
        )
    }
}

/// The latest e-mails on the platform's outbox page: sent, waiting (with the tries so far)
/// or given up with the error.
#[component]
pub fn MailOutbox() -> impl IntoView {
    let t = use_t();
    let mails = Resource::new(|| (), |_| super::api::mail_outbox());
    view! {
        <section class="card list" data-testid="mail-outbox">
            <h2>{t.mail_outbox_title}</h2>
            <Suspense fallback=Loading>
                {move || mails.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <Empty text=t.mail_outbox_empty /> }.into_any(),
                    Ok(rows) => rows.into_iter().map(|m| {
                        let (state, class) = delivery_state(t, m.sent, m.failed, m.attempts);
                        view! {
                            <div class="row" data-testid="mail">
                                <span>
                                    <strong>{m.recipient}</strong>
                                    <span class="muted small block">{m.at}</span>
                                    {(!m.error.is_empty()).then(|| view! { <span class="small block error">{m.error}</span> })}
                                </span>
                                <span class=class>{state}</span>
                            </div>
                        }
                    }).collect_view().into_any(),
                })}
            </Suspense>
        </section>
    }
}
