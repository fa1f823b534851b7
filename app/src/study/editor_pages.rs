//! The authors' pages: the list of items they may edit with a form for new columns, and the
//! editor (articles, video, audio, micro-lessons) with uploads, its preview and the publish
//! switch.

use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{
    ContentRow, CreateColumn, EditorView, SaveItem, ScopeOption, SetItemStatus, content_editor,
    content_list,
};
use super::model::ItemKind;
use crate::i18n::{Strings, use_t};
use crate::ids::{ItemId, OrgId};
use crate::ui::action_error;
use crate::ui::{AppLayout, Empty, ErrorState, Field, FormError, FormOk, Loading, Uploader};
use crate::uploads::model::Purpose;

fn status_label(status: &str, t: &Strings) -> &'static str {
    match status {
        "published" => t.status_published,
        "unpublished" => t.status_unpublished,
        _ => t.status_draft,
    }
}

#[component]
pub fn ContentListPage() -> impl IntoView {
    let t = use_t();
    let rows = Resource::new(|| (), |_| content_list());
    view! {
        <AppLayout title=t.content_title back="/me">
            <A href="/admin/content/new" attr:class="btn primary block">{t.new_article}</A>
            <NewColumnForm />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! { <Empty text=t.content_empty /> }.into_any(),
                        Ok(rows) => view! { <section class="card"><ul class="items">{rows.into_iter().map(|r| view! { <Row r /> }).collect_view()}</ul></section> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Row(r: ContentRow) -> impl IntoView {
    let t = use_t();
    view! {
        <li>
            <A href=format!("/admin/content/{}", r.id) attr:class="item-card">
                <span class="item-title">
                    {r.required.then(|| view! { <span class="tag required">{t.required_tag}</span> })}
                    {r.title}
                </span>
                <span class="muted small">
                    {status_label(&r.status, t)} " · " {r.scope.unwrap_or_else(|| t.whole_platform.to_owned())} " · " {r.updated}
                </span>
            </A>
        </li>
    }
}

/// `/admin/content/new` and `/admin/content/:id`.
#[component]
pub fn EditorPage() -> impl IntoView {
    let t = use_t();
    let id = crate::ui::optional_id_param::<ItemId>();
    let status = crate::ui::server_action::<SetItemStatus>();
    let editor = Resource::new(
        move || (id.get(), status.version().get()),
        |(id, _)| content_editor(id),
    );
    view! {
        <AppLayout title=t.edit_article back="/admin/content">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match editor.await {
                        Ok(v) => view! { <Editor v status /> }.into_any(),
                        Err(error) => view! { <ErrorState error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Editor(v: EditorView, status: ServerAction<SetItemStatus>) -> impl IntoView {
    let t = use_t();
    let save = crate::ui::server_action::<SaveItem>();
    let error = action_error(save);
    let status_error = action_error(status);
    let published = v.status == "published";
    let field_msg = move |name: &'static str| {
        move || error.get().and_then(|e| e.field(name)).map(|m| m.text(t))
    };
    // What the kind shows (the media file and its length, a micro-lesson's questions) is
    // chosen by the stylesheet from the selected kind (`.editor:has(…:checked)` rules), so the
    // form needs no script; every field is always sent, and the server reads only those
    // of the kind.
    view! {
        <section class="card">
            {v.id.map(|id| view! {
                <div class="row">
                    <span>{t.status_label} ": " <strong>{status_label(&v.status, t)}</strong></span>
                    <ActionForm action=status>
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="publish" value=if published { "false" } else { "true" } />
                        <button type="submit" class=if published { "btn small" } else { "btn small primary" }>
                            {if published { t.unpublish } else { t.publish }}
                        </button>
                    </ActionForm>
                </div>
            })}
            <FormError error=status_error />
            <ActionForm action=save attr:class="form editor" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="id" value=v.id.map(|i| i.to_string()).unwrap_or_default() />
                <div class="field">
                    <label for="f-kind">{t.field_kind_item}</label>
                    <select id="f-kind" name="kind">
                        {ItemKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=k == v.kind>{k.label(t)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label=t.field_title name="title" value=v.title.clone() error />
                <ScopeSelect scopes=v.scopes.clone() selected=v.scope_org_id />
                <input type="hidden" id="f-media" name="media" value=v.media.clone() />
                <div class="for-video">
                    <Uploader label=t.field_video.to_owned() purpose=Purpose::Video fill="f-media".to_owned()
                        submit=false length_field=Some("f-length".to_owned()) shown=v.media_url.clone().filter(|_| v.kind != ItemKind::Audio) />
                </div>
                <div class="for-audio">
                    <Uploader label=t.field_audio.to_owned() purpose=Purpose::Audio fill="f-media".to_owned()
                        submit=false length_field=Some("f-length".to_owned()) shown=v.media_url.clone().filter(|_| v.kind == ItemKind::Audio) />
                </div>
                <div class="for-media">
                    <p class="field-error" role="alert">{field_msg("media")}</p>
                    <div class="field">
                        <label for="f-length">{t.field_length}</label>
                        <input id="f-length" name="length" inputmode="numeric" placeholder="12:30" value=v.length.clone() />
                        <p class="hint">{t.hint_length}</p>
                        <p class="field-error" role="alert">{field_msg("length")}</p>
                    </div>
                </div>
                <div class="field">
                    <label for="f-body">
                        <span class="for-article">{t.field_body}</span>
                        <span class="for-media">{t.field_description}</span>
                    </label>
                    <textarea id="f-body" name="body" rows="10">{v.body.clone()}</textarea>
                    <p class="hint">{t.hint_markdown}</p>
                    <p class="field-error" role="alert">{field_msg("body")}</p>
                </div>
                <input type="hidden" id="f-cover" name="cover" value=v.cover.clone() />
                <Uploader label=t.field_cover.to_owned() purpose=Purpose::Image fill="f-cover".to_owned() submit=false length_field=None shown=v.cover_url.clone() />
                <p class="field-error" role="alert">{field_msg("cover")}</p>
                <div class="field">
                    <label for="f-column">{t.field_column}</label>
                    <select id="f-column" name="column">
                        <option value="">{t.no_column}</option>
                        {v.columns.iter().map(|(id, title)| view! {
                            <option value=id.to_string() selected=Some(*id) == v.column_id>{title.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label=t.field_tags name="tags" value=v.tags.clone() hint=t.hint_tags error />
                <label class="check">
                    <input type="checkbox" name="required" checked=v.required />
                    {t.field_required}
                </label>
                <Field label=t.field_due_on name="due_on" kind="date" value=v.due_on.clone() error />
                <div class="for-lesson">
                    <Field label=t.field_quiz_count name="quiz_count" kind="number" inputmode="numeric"
                        value=v.lesson_questions.to_string() hint=t.hint_quiz_count error />
                    <Field label=t.special_tag name="quiz_tag" hint=t.special_tag_hint error />
                </div>
                <button type="submit" class="btn primary block" disabled=move || save.pending().get()>{t.save_draft}</button>
            </ActionForm>
        </section>
        {(!v.preview_html.is_empty()).then(|| view! {
            <section class="card">
                <h2>{t.preview}</h2>
                <div class="prose" inner_html=v.preview_html.clone()></div>
            </section>
        })}
    }
}

/// Where content goes: the platform or one of the caller's organizations (`scope`).
#[component]
pub fn ScopeSelect(scopes: Vec<ScopeOption>, selected: Option<OrgId>) -> impl IntoView {
    let t = use_t();
    view! {
        <div class="field">
            <label for="f-scope">{t.field_scope}</label>
            <select id="f-scope" name="scope">
                {scopes.into_iter().map(|s| {
                    let value = s.org_id.map(|i| i.to_string()).unwrap_or_default();
                    let name = if s.org_id.is_none() { t.whole_platform.to_owned() } else { s.name };
                    view! { <option value=value selected=s.org_id == selected>{name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A new column: a folded form under the list's button, so the list stays in view.
#[component]
fn NewColumnForm() -> impl IntoView {
    let t = use_t();
    let create = crate::ui::server_action::<CreateColumn>();
    let error = action_error(create);
    let done = Signal::derive(move || matches!(create.value().get(), Some(Ok(_))));
    let editor = Resource::new(|| (), |_| content_editor(None));
    view! {
        <details class="card fold">
            <summary>{t.new_column}</summary>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    editor.await.ok().map(|v| view! {
                        <ActionForm action=create attr:class="form" attr:novalidate=true>
                            <FormError error />
                            <FormOk show=done text=t.column_created />
                            <Field label=t.field_column_title name="title" error />
                            <Field label=t.field_description name="description" error />
                            <ScopeSelect scopes=v.scopes selected=None />
                            <label class="check">
                                <input type="checkbox" name="required" />
                                {t.field_column_required}
                            </label>
                            <Field label=t.field_due_on name="due_on" kind="date" error />
                            <input type="hidden" id="f-column-cover" name="cover" value="" />
                            <Uploader label=t.field_cover.to_owned() purpose=Purpose::Image fill="f-column-cover".to_owned() submit=false length_field=None shown=None />
                            <button type="submit" class="btn primary block" disabled=move || create.pending().get()>{t.create_column}</button>
                        </ActionForm>
                    })
                })}
            </Suspense>
        </details>
    }
}
