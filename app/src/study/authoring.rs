//! The authors' pages: the list of items they may edit, and the article editor with its
//! preview and the publish switch.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::{
    ContentRow, EditorView, SaveArticle, ScopeOption, SetItemStatus, content_editor, content_list,
};
use crate::auth::pages::action_error;
use crate::i18n::{Strings, use_t};
use crate::ui::{AppLayout, Empty, ErrorState, Field, FormError, Loading};

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
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let status = ServerAction::<SetItemStatus>::new();
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
    let save = ServerAction::<SaveArticle>::new();
    let error = action_error(save);
    let status_error = action_error(status);
    let published = v.status == "published";
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
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="id" value=v.id.map(|i| i.to_string()).unwrap_or_default() />
                <Field label=t.field_title name="title" value=v.title.clone() error />
                <ScopeSelect scopes=v.scopes.clone() selected=v.scope_org_id />
                <div class="field">
                    <label for="f-body">{t.field_body}</label>
                    <textarea id="f-body" name="body" rows="12">{v.body.clone()}</textarea>
                    <p class="hint">{t.hint_markdown}</p>
                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.field("body")).map(|m| m.text(t))}</p>
                </div>
                <Field label=t.field_tags name="tags" value=v.tags.clone() hint=t.hint_tags error />
                <label class="check">
                    <input type="checkbox" name="required" checked=v.required />
                    {t.field_required}
                </label>
                <Field label=t.field_due_on name="due_on" kind="date" value=v.due_on.clone() error />
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
pub fn ScopeSelect(scopes: Vec<ScopeOption>, selected: Option<i64>) -> impl IntoView {
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
