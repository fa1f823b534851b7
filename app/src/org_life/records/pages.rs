//! The record (minutes) card of the meeting page: the organizer writes, saves and submits
//! it and attaches files; the superior accepts it or sends it back; everyone with access
//! reads it.

use leptos::prelude::*;

use super::api::{
    AttachFile, AttachmentView, DetachFile, RecordView, ReviewMinutes, SaveMinutes, SubmitMinutes,
};
use super::model::{RecordChange, RecordState};
use crate::error::{AppError, Msg};
use crate::i18n::{Strings, use_t};
use crate::ids::MeetingId;
use crate::ui::{FormError, action_error};

/// The record card's forms, made by the meeting page (whose data a success reloads).
#[derive(Clone, Copy)]
pub struct RecordActions {
    pub save: ServerAction<SaveMinutes>,
    pub submit: ServerAction<SubmitMinutes>,
    pub review: ServerAction<ReviewMinutes>,
    pub attach: ServerAction<AttachFile>,
    pub detach: ServerAction<DetachFile>,
}

fn record_state_label(state: RecordState, t: &Strings) -> (&'static str, &'static str) {
    match state {
        RecordState::Draft => ("tag kind", t.record_draft),
        RecordState::Submitted => ("tag warn", t.record_submitted),
        RecordState::Accepted => ("tag ok", t.record_accepted),
        RecordState::Returned => ("tag muted-tag", t.record_returned),
    }
}

fn action_label(change: RecordChange, t: &Strings) -> &'static str {
    match change {
        RecordChange::Save => t.record_action_save,
        RecordChange::Submit => t.record_action_submit,
        RecordChange::Accept => t.record_action_accept,
        RecordChange::Return => t.record_action_return,
    }
}

/// The record: the organizer writes and submits it, the superior accepts it or sends it
/// back; everyone with access reads it; the organizer and the superior see its history.
#[component]
pub fn RecordCard(
    /// The meeting the record is of.
    meeting: MeetingId,
    /// The viewer runs the branch.
    organizer: bool,
    /// The viewer reviews the record.
    superior: bool,
    /// Check-in has opened: the record may be written.
    started: bool,
    record: RecordView,
    actions: RecordActions,
) -> impl IntoView {
    let t = use_t();
    let save_error = action_error(actions.save);
    let submit_error = action_error(actions.submit);
    let review_error = action_error(actions.review);
    let rec = record;
    let (class, label) = record_state_label(rec.state, t);
    let editable = organizer && started && rec.state.editable();
    let stale = move || {
        matches!(
            save_error.get(),
            Some(AppError::Conflict(Msg::RecordChanged))
        ) || matches!(
            submit_error.get(),
            Some(AppError::Conflict(Msg::RecordChanged))
        )
    };
    let last_return = rec
        .history
        .iter()
        .find(|c| c.action == RecordChange::Return)
        .filter(|_| rec.state == RecordState::Returned)
        .map(|c| c.reason.clone());
    let last_save = rec
        .history
        .iter()
        .find(|c| c.action == RecordChange::Save)
        .map(|c| (c.version, c.by.clone(), c.at.clone()));
    let editor = editable.then(|| {
        let rec = rec.clone();
        view! {
            <ActionForm action=actions.save attr:class="form" attr:novalidate=true>
                <FormError error=save_error />
                <input type="hidden" name="meeting" value=meeting />
                <input type="hidden" name="version" value=rec.version />
                <div class="field">
                    <label for="f-minutes">{t.minutes}</label>
                    <textarea id="f-minutes" name="minutes" rows="8">{rec.minutes.clone()}</textarea>
                </div>
                <div class="field">
                    <label for="f-resolutions">{t.resolutions}</label>
                    <textarea id="f-resolutions" name="resolutions" rows="3">{rec.resolutions.clone()}</textarea>
                </div>
                <button type="submit" class="btn block" disabled=move || actions.save.pending().get()>{t.record_save}</button>
                {last_save.map(|(v, by, at)| view! {
                    <p class="muted small" role="status">{t.record_saved.replace("{v}", &v.to_string()).replace("{by}", &by).replace("{at}", &at)}</p>
                })}
            </ActionForm>
            {move || stale().then(|| view! {
                // The page shown again without the refusal: the record as it now is.
                <a class="btn block" href=format!("/orglife/meeting/{meeting}")>{t.record_reload}</a>
            })}
            {(rec.version > 0).then(|| view! {
                <ActionForm action=actions.submit attr:class="form">
                    <FormError error=submit_error />
                    <input type="hidden" name="meeting" value=meeting />
                    <input type="hidden" name="version" value=rec.version />
                    <button type="submit" class="btn primary block" disabled=move || actions.submit.pending().get()>{t.record_submit}</button>
                </ActionForm>
            })}
        }
    });
    let reading = (!editable).then(|| {
        view! {
            <h3>{t.minutes}</h3>
            <p class="pre">{if rec.minutes.is_empty() { t.record_empty.to_owned() } else { rec.minutes.clone() }}</p>
            {(!rec.resolutions.is_empty()).then(|| view! {
                <h3>{t.resolutions}</h3>
                <p class="pre">{rec.resolutions.clone()}</p>
            })}
        }
    });
    let review = (superior && rec.state == RecordState::Submitted).then(|| {
        view! {
            <FormError error=review_error />
            <ActionForm action=actions.review attr:class="form">
                <input type="hidden" name="meeting" value=meeting />
                <input type="hidden" name="accept" value="true" />
                <input type="hidden" name="reason" value="" />
                <button type="submit" class="btn primary block">{t.record_accept}</button>
            </ActionForm>
            <ActionForm action=actions.review attr:class="form" attr:novalidate=true>
                <input type="hidden" name="meeting" value=meeting />
                <input type="hidden" name="accept" value="false" />
                <div class="field" class:invalid=move || review_error.get().and_then(|e| e.field("reason")).is_some()>
                    <label for="f-return-reason">{t.record_return_reason}</label>
                    <textarea id="f-return-reason" name="reason" rows="2" maxlength="200"></textarea>
                    <p class="field-error" role="alert">{move || review_error.get().and_then(|e| e.field("reason")).map(|m| m.text(t))}</p>
                </div>
                <button type="submit" class="btn block">{t.record_return}</button>
            </ActionForm>
        }
    });
    let history = (!rec.history.is_empty()).then(|| {
        view! {
            <details>
                <summary>{t.record_history}</summary>
                <ul class="history">
                    {rec.history.iter().map(|c| view! {
                        <li>
                            {format!("v{} · {} · {} · {}", c.version, action_label(c.action, t), c.by, c.at)}
                            {(!c.reason.is_empty()).then(|| view! { <span class="block muted small">{c.reason.clone()}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            </details>
        }
    });
    let files =
        view! { <Attachments meeting attachments=rec.attachments.clone() actions editable /> };
    view! {
        <section class="card">
            <h2>{t.record_title} " " <span class=class>{label}</span></h2>
            {last_return.map(|r| view! { <div class="alert error" role="alert">{format!("{}{}{r}", t.record_returned_reason, t.colon)}</div> })}
            {(organizer && !started).then(|| view! { <p class="muted small">{t.msg_not_yet_held}</p> })}
            {editor}
            {reading}
            {files}
            {review}
            {history}
        </section>
    }
}

fn attachment_kind(kind: &str, t: &Strings) -> &'static str {
    match kind {
        "notice" => t.attachment_notice,
        "sign_in" => t.attachment_sign_in,
        "photo" => t.attachment_photo,
        _ => t.attachment_other,
    }
}

/// The record's attachments; while it can be changed, the organizer uploads more (with
/// progress, size and type checked) and takes some off.
#[component]
fn Attachments(
    meeting: MeetingId,
    attachments: Vec<AttachmentView>,
    actions: RecordActions,
    editable: bool,
) -> impl IntoView {
    use crate::ui::Uploader;
    use crate::uploads::model::{Purpose, megabytes};
    let t = use_t();
    let attach_error = action_error(actions.attach);
    let empty = attachments.is_empty() && !editable;
    let list = attachments
        .into_iter()
        .map(|a| {
            let upload = a.id.clone();
            view! {
                <div class="row">
                    <span>
                        <a href=a.url.clone() target="_blank" rel="noopener">{a.file_name.clone()}</a>
                        <span class="muted small block">{format!("{} · {}", attachment_kind(&a.kind, t), megabytes(a.size.max(0) as u64))}</span>
                    </span>
                    {editable.then(|| view! {
                        <ActionForm action=actions.detach>
                            <input type="hidden" name="meeting" value=meeting />
                            <input type="hidden" name="upload" value=upload.clone() />
                            <button type="submit" class="btn small" aria-label=format!("{} {}", t.attachment_remove, a.file_name)>{t.attachment_remove}</button>
                        </ActionForm>
                    })}
                </div>
            }
        })
        .collect_view();
    (!empty).then(|| {
        view! {
            <h3>{t.attachments}</h3>
            <div class="list">{list}</div>
            {editable.then(|| view! {
                <ActionForm action=actions.attach attr:class="form">
                    <input type="hidden" name="meeting" value=meeting />
                    <div class="field">
                        <label for="f-attachment-kind">{t.attachment_kind}</label>
                        <select id="f-attachment-kind" name="kind">
                            {["sign_in", "notice", "photo", "other"].into_iter().map(|k| view! {
                                <option value=k selected=k == "sign_in">{attachment_kind(k, t)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <input type="hidden" id="f-attachment" name="upload" value="" />
                    <Uploader label=t.attachment_upload.to_owned() purpose=Purpose::Attachment fill="f-attachment".to_owned() submit=true length_field=None shown=None />
                </ActionForm>
                <FormError error=attach_error />
            })}
        }
    })
}
