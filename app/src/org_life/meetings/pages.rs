//! `/orglife/schedule?org=..&kind=..`: the secretary's form for a meeting of the branch.
//! `/orglife/meeting/:id`: one meeting. A member asks for leave and checks in with the code
//! on the organizer's screen; the organizer shows that code (digits and QR), answers leave,
//! marks attendance by hand and writes the record (see `records/pages.rs`); the superior
//! accepts it or sends it back. `/orglife/meeting/:id/print`: the record on an A4 page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{
    AnswerLeave, AskLeave, AttendeeView, ChangeMeeting, CheckIn, CodeView, MarkAttendance,
    MeetingDetailView, ScheduleMeeting, check_in_code, meeting_detail, schedule_options,
};
use super::model::{CheckInWindow, LeaveState, MeetingKind};
use crate::error::AppError;
use crate::i18n::{Strings, use_t};
use crate::ids::MeetingId;
use crate::org_life::records::api::{
    AttachFile, DetachFile, ReviewMinutes, SaveMinutes, SubmitMinutes,
};
use crate::org_life::records::pages::{RecordActions, RecordCard};
use crate::ui::{AppLayout, ErrorState, Field, FormError, Loading, browser};
use crate::ui::{action_done, action_error};

/// `/orglife/schedule?org=..&kind=..`: the secretary's form for a meeting of the branch.
#[component]
pub fn ScheduleMeetingPage() -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let org = move || crate::ui::org_in_query(&query.read());
    let kind = move || query.read().get("kind").unwrap_or_default();
    let options = Resource::new(org, schedule_options);
    let action = crate::ui::server_action::<ScheduleMeeting>();
    let error = action_error(action);
    view! {
        <AppLayout title=t.life_schedule back="/orglife">
            <Suspense fallback=Loading>
                {move || options.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(o) => view! {
                        <section class="card">
                            <h2>{o.org_name.clone()}</h2>
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <FormError error />
                                <input type="hidden" name="org" value=o.org_id />
                                <div class="field">
                                    <label for="f-kind">{t.f_meeting_kind}</label>
                                    <select id="f-kind" name="kind">
                                        {MeetingKind::ALL.into_iter().map(|k| view! {
                                            <option value=k.as_str() selected=move || kind() == k.as_str()>{k.label(o.tree, t)}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <Field label=t.f_meeting_title name="title" error />
                                <Field label=t.f_meeting_starts name="starts" kind="datetime-local" hint=t.life_starts_hint error />
                                <Field label=t.f_meeting_ends name="ends" kind="datetime-local" error />
                                <Field label=t.f_meeting_place name="place" error />
                                <Field label=t.f_meeting_link name="online_link" kind="url" error />
                                <Field label=t.f_meeting_agenda name="agenda" error />
                                <Field label=t.f_meeting_chair name="chair" error />
                                <Field label=t.f_meeting_recorder name="recorder" error />
                                <fieldset class="field choice" class:invalid=move || error.get().and_then(|e| e.field("attendees")).is_some()>
                                    <legend>{t.f_attendees}</legend>
                                    {[("branch", t.attendees_branch), ("committee", t.attendees_committee), ("chosen", t.attendees_chosen)].into_iter().map(|(value, label)| view! {
                                        <label class="grade">
                                            <input type="radio" name="attendees" value=value checked=value == "branch" />
                                            {label}
                                        </label>
                                    }).collect_view()}
                                    // Shown by the stylesheet once 指定人员 is chosen, so it works without JavaScript.
                                    <div class="members-pick">
                                        {o.members.iter().map(|(id, name)| view! {
                                            <label class="grade">
                                                <input type="checkbox" name=format!("members[{id}]") value=*id />
                                                {name.clone()}
                                            </label>
                                        }).collect_view()}
                                    </div>
                                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.field("attendees")).map(|m| m.text(t))}</p>
                                </fieldset>
                                <button type="submit" class="btn primary block" disabled=move || action.pending().get()>{t.life_schedule}</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

fn leave_label(state: LeaveState, t: &Strings) -> &'static str {
    match state {
        LeaveState::Asked => t.leave_asked,
        LeaveState::Approved => t.leave_approved,
        LeaveState::Declined => t.leave_declined,
    }
}

/// `/orglife/meeting/:id`: one meeting, for those expected, the branch's members, those
/// who run it and the admins above.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::id_param();
    let ask = crate::ui::server_action::<AskLeave>();
    let answer = crate::ui::server_action::<AnswerLeave>();
    let check = crate::ui::server_action::<CheckIn>();
    let mark = crate::ui::server_action::<MarkAttendance>();
    let save = crate::ui::server_action::<SaveMinutes>();
    let submit = crate::ui::server_action::<SubmitMinutes>();
    let review = crate::ui::server_action::<ReviewMinutes>();
    let attach = crate::ui::server_action::<AttachFile>();
    let detach = crate::ui::server_action::<DetachFile>();
    let change = crate::ui::server_action::<ChangeMeeting>();
    // A refused form stays as typed; only a success reloads the page's data.
    let done = [
        action_done(ask),
        action_done(answer),
        action_done(check),
        action_done(mark),
        action_done(save),
        action_done(submit),
        action_done(review),
        action_done(attach),
        action_done(detach),
        action_done(change),
    ];
    let detail = Resource::new(
        move || (id.get(), done.iter().map(|d| d.get()).sum::<usize>()),
        |(id, _)| meeting_detail(id),
    );
    let actions = Actions {
        ask,
        answer,
        check,
        mark,
        change,
        record: RecordActions {
            save,
            submit,
            review,
            attach,
            detach,
        },
    };
    view! {
        <AppLayout title=t.meeting_title back="/orglife">
            <Suspense fallback=Loading>
                {move || detail.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <MeetingView v actions /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

/// The meeting page's forms; a success of any reloads the page's data.
#[derive(Clone, Copy)]
struct Actions {
    ask: ServerAction<AskLeave>,
    answer: ServerAction<AnswerLeave>,
    check: ServerAction<CheckIn>,
    mark: ServerAction<MarkAttendance>,
    change: ServerAction<ChangeMeeting>,
    record: RecordActions,
}

#[component]
fn MeetingView(v: MeetingDetailView, actions: Actions) -> impl IntoView {
    let t = use_t();
    let place = if v.place.is_empty() {
        view! { <a href=v.online_link.clone() rel="noopener">{v.online_link.clone()}</a> }
            .into_any()
    } else {
        view! { <span>{v.place.clone()}</span> }.into_any()
    };
    let people = [(t.chair, v.chair.clone()), (t.recorder, v.recorder.clone())]
        .into_iter()
        .filter(|(_, name)| !name.is_empty())
        .map(|(label, name)| view! { <p class="small">{format!("{label}{}{name}", t.colon)}</p> })
        .collect_view();
    let counts = t
        .meeting_counts
        .replace("{expected}", &v.expected_count.to_string())
        .replace("{present}", &v.present_count.to_string())
        .replace("{leave}", &v.leave_count.to_string());
    let show_record = v.organizer || v.superior || !v.record.minutes.is_empty();
    // While check-in is open the organizer's screen is for showing the code: it comes first,
    // above the fold, not under the organizer's own check-in form.
    let code_first = v.window == CheckInWindow::Open;
    let code = v
        .code
        .clone()
        .map(|first| view! { <CodePanel id=v.id first /> });
    let (code_above, code_below) = if code_first {
        (code, None)
    } else {
        (None, code)
    };
    view! {
        {code_above}
        <section class="card">
            <h2>{v.title.clone()}</h2>
            <p class="muted small">{format!("{} · {}", v.kind.label(v.tree, t), v.org_name)}</p>
            <p>{v.when.clone()}</p>
            <p class="small">{place}</p>
            {people}
            {(!v.agenda.is_empty()).then(|| view! { <p class="small pre">{format!("{}{}{}", t.agenda, t.colon, v.agenda)}</p> })}
            <p class="small" data-testid="counts">{counts}</p>
            <p class="small">
                <A href=format!("/orglife?org={}&month={}", v.org_id, v.month)>{t.life_title}</A>
                " · "
                <A href=format!("/orglife/meeting/{}/print", v.id)>{t.meeting_print}</A>
            </p>
        </section>
        {v.can_change.then(|| view! { <ChangeForm v=v.clone() actions /> })}
        {v.expected.then(|| view! { <MyAttendance v=v.clone() actions /> })}
        {code_below}
        {(v.organizer || v.superior).then(|| view! { <Attendees v=v.clone() actions /> })}
        {show_record.then(|| view! {
            <RecordCard
                meeting=v.id
                organizer=v.organizer
                superior=v.superior
                started=v.started
                record=v.record.clone()
                actions=actions.record
            />
        })}
    }
}

/// The organizer changes a meeting that has not started; the attendees are told.
#[component]
fn ChangeForm(v: MeetingDetailView, actions: Actions) -> impl IntoView {
    use crate::ui::Field;
    let t = use_t();
    let error = action_error(actions.change);
    let done = actions.change.value();
    let value = |s: &String| Signal::stored(s.clone());
    view! {
        <section class="card">
            <details open=move || error.get().is_some()>
                <summary>{t.meeting_change}</summary>
                <ActionForm action=actions.change attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="meeting" value=v.id />
                    <Field label=t.f_meeting_title name="title" value=value(&v.title) error />
                    <Field label=t.f_meeting_starts name="starts" kind="datetime-local" hint=t.life_starts_hint value=value(&v.starts_input) error />
                    <Field label=t.f_meeting_ends name="ends" kind="datetime-local" value=value(&v.ends_input) error />
                    <Field label=t.f_meeting_place name="place" value=value(&v.place) error />
                    <Field label=t.f_meeting_link name="online_link" kind="url" value=value(&v.online_link) error />
                    <Field label=t.f_meeting_agenda name="agenda" value=value(&v.agenda) error />
                    <Field label=t.f_meeting_chair name="chair" value=value(&v.chair) error />
                    <Field label=t.f_meeting_recorder name="recorder" value=value(&v.recorder) error />
                    <button type="submit" class="btn block">{t.meeting_change_save}</button>
                </ActionForm>
            </details>
            {move || matches!(done.get(), Some(Ok(_))).then(|| view! { <p class="ok-text" role="status">{t.meeting_changed}</p> })}
        </section>
    }
}

/// The viewer's own leave and check-in.
#[component]
fn MyAttendance(v: MeetingDetailView, actions: Actions) -> impl IntoView {
    let t = use_t();
    let query = use_query_map();
    let typed = query.read_untracked().get("code").unwrap_or_default();
    let check_error = action_error(actions.check);
    let leave_error = action_error(actions.ask);
    let check_in = if v.checked_in {
        view! { <p class="ok-text" role="status">{t.checked_in}</p> }.into_any()
    } else {
        match v.window {
            CheckInWindow::TooEarly => view! { <p class="muted small">{t.check_in_opens}</p> }.into_any(),
            CheckInWindow::Closed => view! { <p class="muted small">{t.check_in_closed}</p> }.into_any(),
            CheckInWindow::Open => view! {
                <ActionForm action=actions.check attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="meeting" value=v.id />
                    <div class="field" class:invalid=move || check_error.get().is_some()>
                        <label for="f-code">{t.check_in_code}</label>
                        <input id="f-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="7" value=typed />
                        <p class="field-error" role="alert">
                            {move || check_error.get().map(|e| e.field("code").map(|m| m.text(t).to_owned()).unwrap_or_else(|| e.summary(t)))}
                        </p>
                    </div>
                    <button type="submit" class="btn primary block" disabled=move || actions.check.pending().get()>{t.check_in}</button>
                </ActionForm>
            }.into_any(),
        }
    };
    let leave = match (&v.my_leave, v.leave_open && !v.checked_in) {
        (Some((LeaveState::Asked, _)), true) | (None, true) => {
            let reason = reason_of(&v.my_leave).unwrap_or_default();
            let asked = v.my_leave.is_some();
            view! {
                {asked.then(|| view! { <p class="small"><span class="tag warn">{t.leave_asked}</span> " " {reason.clone()}</p> })}
                <details open=move || leave_error.get().is_some()>
                    <summary>{if asked { t.leave_change } else { t.leave_ask }}</summary>
                    <ActionForm action=actions.ask attr:class="form" attr:novalidate=true>
                        <FormError error=leave_error />
                        <input type="hidden" name="meeting" value=v.id />
                        <div class="field" class:invalid=move || leave_error.get().and_then(|e| e.field("reason")).is_some()>
                            <label for="f-reason">{t.leave_reason}</label>
                            <textarea id="f-reason" name="reason" rows="2" maxlength="200">{reason.clone()}</textarea>
                            <p class="field-error" role="alert">{move || leave_error.get().and_then(|e| e.field("reason")).map(|m| m.text(t))}</p>
                        </div>
                        <button type="submit" class="btn block" disabled=move || actions.ask.pending().get()>{t.leave_send}</button>
                    </ActionForm>
                </details>
            }.into_any()
        }
        (Some((state, reason)), _) => view! {
            <p class="small"><span class="tag">{leave_label(*state, t)}</span> " " {reason.clone()}</p>
        }.into_any(),
        (None, false) => ().into_any(),
    };
    view! {
        <section class="card">
            <h2>{t.my_attendance}</h2>
            {check_in}
            {leave}
        </section>
    }
}

fn reason_of(leave: &Option<(LeaveState, String)>) -> Option<String> {
    leave.as_ref().map(|(_, r)| r.clone())
}

/// The organizer's screen: the current code as digits and as a QR code, with how long it
/// lasts and how many have checked in. The first code comes with the page; the island asks
/// again every two seconds.
#[island]
fn CodePanel(id: MeetingId, first: CodeView) -> impl IntoView {
    let t = use_t();
    let code = RwSignal::new(Ok::<CodeView, AppError>(first));
    // Only in the browser: the effect keeps the timer, and dropping the effect (leaving the
    // page) drops the timer and stops it.
    Effect::new(move |_| {
        browser::every(2000, move || {
            leptos::task::spawn_local(async move { code.set(check_in_code(id).await) })
        })
    });
    view! {
        <section class="card code-panel">
            <h2>{t.check_in_code}</h2>
            {move || match code.get() {
                Err(e) => view! { <p class="field-error" role="alert">{e.summary(t)}</p> }.into_any(),
                Ok(c) if c.window == CheckInWindow::Open => view! {
                    <p class="code-digits" data-testid="check-in-code" aria-live="polite">{c.code.clone()}</p>
                    <div class="qr" role="img" aria-label=t.check_in_qr inner_html=c.qr_svg.clone()></div>
                    <p class="muted small">{t.code_changes_in.replace("{s}", &c.seconds_left.to_string())}</p>
                    <p class="small">{t.checked_in_count.replace("{present}", &c.present.to_string()).replace("{expected}", &c.expected.to_string())}</p>
                }.into_any(),
                Ok(_) => view! { <p class="muted small">{t.check_in_opens}</p> }.into_any(),
            }}
        </section>
    }
}

/// Every expected attendee with their leave and attendance; the organizer answers leave and
/// marks attendance by hand.
#[component]
fn Attendees(v: MeetingDetailView, actions: Actions) -> impl IntoView {
    let t = use_t();
    let mark_error = action_error(actions.mark);
    let answer_error = action_error(actions.answer);
    let rows = v
        .attendees
        .into_iter()
        .map(|a: AttendeeView| {
            let status = match (&a.present, &a.leave) {
                (Some(None), _) => view! { <span class="tag ok">{t.checked_in_tag}</span> }.into_any(),
                (Some(Some(reason)), _) => view! { <span class="tag ok">{format!("{}{}{reason}", t.marked_by_hand, t.colon)}</span> }.into_any(),
                (None, Some((state, _))) => view! { <span class="tag warn">{leave_label(*state, t)}</span> }.into_any(),
                (None, None) => view! { <span class="tag muted-tag">{t.not_present}</span> }.into_any(),
            };
            let leave_reason = a
                .leave
                .as_ref()
                .map(|(_, r)| format!("{}{}{r}", t.leave_reason, t.colon))
                .unwrap_or_default();
            let pending = matches!(a.leave, Some((LeaveState::Asked, _))) && v.organizer;
            let can_mark = v.organizer && v.started && a.present.is_none();
            let user = a.user_id;
            let (approve_label, decline_label, mark_label) = (
                format!("{} {}", t.leave_approve, a.name),
                format!("{} {}", t.leave_decline, a.name),
                format!("{} {}", t.mark_by_hand, a.name),
            );
            // One element per attendee, its optional parts hidden rather than left out, so
            // that the page hydrates onto exactly what the server sent.
            view! {
                <div class="attendee">
                    <div class="row">
                        <span>
                            <strong>{a.name.clone()}</strong>
                            <span class="muted small block">{leave_reason}</span>
                        </span>
                        {status}
                    </div>
                    <div class="actions-row" class:hidden=!pending>
                        <ActionForm action=actions.answer>
                            <input type="hidden" name="meeting" value=v.id />
                            <input type="hidden" name="member" value=user />
                            <input type="hidden" name="approve" value="true" />
                            <button type="submit" class="btn small" aria-label=approve_label>{t.leave_approve}</button>
                        </ActionForm>
                        <ActionForm action=actions.answer>
                            <input type="hidden" name="meeting" value=v.id />
                            <input type="hidden" name="member" value=user />
                            <input type="hidden" name="approve" value="false" />
                            <button type="submit" class="btn small" aria-label=decline_label>{t.leave_decline}</button>
                        </ActionForm>
                    </div>
                    <details class="mark" class:hidden=!can_mark>
                        <summary>{mark_label}</summary>
                        <ActionForm action=actions.mark attr:class="form inline-form" attr:novalidate=true>
                            <input type="hidden" name="meeting" value=v.id />
                            <input type="hidden" name="member" value=user />
                            <label class="sr-only" for=format!("f-mark-{user}")>{t.mark_reason}</label>
                            <input id=format!("f-mark-{user}") name="reason" placeholder=t.mark_reason maxlength="200" />
                            <button type="submit" class="btn small">{t.mark_present}</button>
                        </ActionForm>
                    </details>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card list">
            <h2>{t.attendees}</h2>
            <FormError error=mark_error />
            <FormError error=answer_error />
            {rows}
        </section>
    }
}

/// The record of one meeting on an A4 page (the print stylesheet drops the bars).
#[component]
pub fn MeetingPrintPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::id_param();
    let detail = Resource::new(move || id.get(), meeting_detail);
    view! {
        <AppLayout title=t.meeting_print back="/orglife">
            <Suspense fallback=Loading>
                {move || detail.get().map(|r| match r {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(v) => view! { <PrintSheet v /> }.into_any(),
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn PrintSheet(v: MeetingDetailView) -> impl IntoView {
    let t = use_t();
    let present: Vec<String> = v
        .attendees
        .iter()
        .filter(|a| a.present.is_some())
        .map(|a| a.name.clone())
        .collect();
    let absent: Vec<String> = v
        .attendees
        .iter()
        .filter(|a| a.present.is_none())
        .map(|a| match &a.leave {
            Some((LeaveState::Approved, r)) => format!(
                "{}{}{}{}{r}{}",
                a.name, t.paren_open, t.leave_approved, t.colon, t.paren_close
            ),
            _ => format!(
                "{}{}{}{}",
                a.name, t.paren_open, t.not_present, t.paren_close
            ),
        })
        .collect();
    let rows = [
        (t.f_meeting_kind, v.kind.label(v.tree, t).to_owned()),
        (t.print_org, v.org_name.clone()),
        (t.print_time, v.when.clone()),
        (
            t.f_meeting_place,
            if v.place.is_empty() {
                v.online_link.clone()
            } else {
                v.place.clone()
            },
        ),
        (t.chair, v.chair.clone()),
        (t.recorder, v.recorder.clone()),
        (t.print_expected, v.expected_count.to_string()),
        (
            t.print_present,
            format!("{}　{}", v.present_count, present.join("、")),
        ),
        (t.print_absent, absent.join(t.list_sep)),
        (t.agenda, v.agenda.clone()),
        (t.minutes, v.record.minutes.clone()),
        (t.resolutions, v.record.resolutions.clone()),
    ];
    view! {
        <article class="print-sheet">
            <h2>{v.title.clone()}</h2>
            <table class="table record-table">
                <tbody>
                    {rows.into_iter().map(|(k, val)| view! { <tr><th scope="row">{k}</th><td class="pre">{val}</td></tr> }).collect_view()}
                </tbody>
            </table>
            <p class="muted small no-print">{t.print_hint}</p>
        </article>
    }
}
