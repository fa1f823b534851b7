//! Shared presentational pieces: page layouts, the tab bar, form fields, and the loading,
//! empty and error states.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::error::AppError;

mod actions;
pub mod charts;
#[cfg(feature = "hydrate")]
pub mod enhance;
pub mod flash;
use crate::i18n::{Locale, use_locale, use_t};
pub use actions::{action_done, action_error};
pub use flash::server_action;

/// A signed-in page: a title bar on top, the content, the tab bar at the bottom.
#[component]
pub fn AppLayout(
    title: &'static str,
    #[prop(optional)] back: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let t = use_t();
    view! {
        <Title text=format!("{title} · {}", t.app_name) />
        <header class="topbar">
            {back.map(|href| view! { <A href=href attr:class="topbar-back" attr:aria-label=t.back>"‹"</A> })}
            <h1>{title}</h1>
        </header>
        <main class="page">{children()}</main>
        <TabBar />
    }
}

/// The bottom tab bar. Only the tabs whose features exist are shown. Plain links (the
/// router still navigates them in place) so that `aria-current` is ours alone.
#[component]
pub fn TabBar() -> impl IntoView {
    let t = use_t();
    let location = use_location();
    let current = move |prefix: &'static str| {
        let path = location.pathname.get();
        if path == prefix || path.starts_with(&format!("{prefix}/")) {
            "page"
        } else {
            "false"
        }
    };
    // Unread messages on 我的, counted with the page (signed out, it is simply not shown);
    // not on the messages list itself, which marks them read as it opens.
    let unread = Resource::new(|| (), |_| crate::notices::api::unread_notices());
    let reading = move || location.pathname.get().starts_with("/me/notices");
    let badge = move || {
        Suspend::new(async move {
            let n = unread.await.ok().filter(|n| *n > 0 && !reading());
            n.map(|n| {
                view! {
                    <span class="tab-badge" aria-label=t.unread_count.replace("{n}", &n.to_string())>
                        {if n > 99 { "99+".to_owned() } else { n.to_string() }}
                    </span>
                }
            })
        })
    };
    view! {
        <nav class="tabbar" aria-label=t.tabs_label>
            <a href="/study" class="tab" aria-current=move || current("/study")>
                <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 5.5C6.5 4 9.5 4 12 6c2.5-2 5.5-2 8-.5V19c-2.5-1.5-5.5-1.5-8 .5-2.5-2-5.5-2-8-.5z" />
                    <path d="M12 6v13.5" />
                </svg>
                <span>{t.tab_study}</span>
            </a>
            <a href="/points" class="tab" aria-current=move || current("/points")>
                <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z" />
                </svg>
                <span>{t.tab_points}</span>
            </a>
            <a href="/rankings" class="tab" aria-current=move || current("/rankings")>
                <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 20V12h4v8M10 20V6h4v14M16 20v-9h4v9" />
                </svg>
                <span>{t.tab_rankings}</span>
            </a>
            <a href="/orglife" class="tab" aria-current=move || current("/orglife")>
                <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="4" y="5" width="16" height="15" rx="2" />
                    <path d="M4 10h16M9 3v4M15 3v4" />
                </svg>
                <span>{t.tab_life}</span>
            </a>
            <a href="/me" class="tab" aria-current=move || current("/me")>
                <svg class="tab-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <circle cx="12" cy="8" r="4" />
                    <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" />
                </svg>
                <span>{t.tab_me}</span>
                <Suspense>{badge}</Suspense>
            </a>
        </nav>
    }
}

/// A page for signed-out visitors: the brand on top, a card with the form.
#[component]
pub fn AuthLayout(title: &'static str, children: Children) -> impl IntoView {
    let t = use_t();
    view! {
        <Title text=format!("{title} · {}", t.app_name) />
        <main class="auth">
            <div class="brand">
                <img src="/logo.svg" alt="" width="56" height="56" />
                <div class="brand-name">{t.app_name}</div>
                <div class="brand-tagline">{t.tagline}</div>
            </div>
            <section class="card">
                <h1>{title}</h1>
                {children()}
            </section>
            <LanguageSwitch />
        </main>
    }
}

/// A select's or textarea's message, under it, if the last submit had one for `name`.
pub fn field_msg(
    error: Signal<Option<AppError>>,
    name: &'static str,
    t: &'static crate::i18n::Strings,
) -> impl IntoView {
    move || {
        error
            .get()
            .and_then(|e| e.field(name))
            .map(|m| view! { <p class="field-error" role="alert">{m.text(t)}</p> })
    }
}

/// An input with its label and its error message, if the last submit had one for it.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(default = false)] required: bool,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_t();
    let id = format!("f-{name}");
    let msg = move || error.get().and_then(|e| e.field(name)).map(|m| m.text(t));
    let err_id = format!("{id}-err");
    view! {
        <div class="field" class:invalid=move || msg().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                value=move || value.get()
                aria-invalid=move || if msg().is_some() { "true" } else { "false" }
                aria-describedby=err_id.clone()
            />
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <p class="field-error" id=err_id role="alert">{msg}</p>
        </div>
    }
}

/// The message above a form: everything that is not about one field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let t = use_t();
    move || {
        error.get().map(|e| {
            let text = match &e {
                AppError::Invalid(errors) if errors.iter().all(|f| !f.field.is_empty()) => {
                    t.err_fix_fields.to_owned()
                }
                other => other.summary(t),
            };
            view! { <div class="alert error" role="alert">{text}</div> }
        })
    }
}

/// A success message, shown once an action has succeeded.
#[component]
pub fn FormOk(#[prop(into)] show: Signal<bool>, text: &'static str) -> impl IntoView {
    move || {
        show.get()
            .then(|| view! { <div class="alert ok" role="status">{text}</div> })
    }
}

/// The refusal of an imported sheet: how many problems, and the first 200 by row, column
/// and reason, in the reader's language.
#[component]
pub fn RowErrors(errors: Vec<crate::uploads::model::RowError>) -> impl IntoView {
    let t = use_t();
    view! {
        <div class="alert error" role="alert">{t.bank_import_failed.replace("{n}", &errors.len().to_string())}</div>
        <table class="table import-errors">
            <thead><tr><th>{t.row}</th><th>{t.column}</th><th>{t.problem}</th></tr></thead>
            <tbody>
                {errors.into_iter().take(200).map(|e| view! {
                    <tr><td>{e.row}</td><td>{e.column}</td><td>{e.msg.text(t)}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Previous and next links under a paged list; `link` makes a page's address.
#[component]
pub fn Pager(page: i64, pages: i64, link: impl Fn(i64) -> String + 'static) -> impl IntoView {
    let t = use_t();
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=t.pages>
                {(page > 1).then(|| view! { <a href=link(page - 1)>{t.prev_page}</a> })}
                <span>{format!("{page} / {pages}")}</span>
                {(page < pages).then(|| view! { <a href=link(page + 1)>{t.next_page}</a> })}
            </nav>
        }
    })
}

/// The `:id` of the address as a number or a typed id, when it reads as one.
pub fn optional_id_param<Id>() -> Memo<Option<Id>>
where
    Id: std::str::FromStr + PartialEq + Clone + Send + Sync + 'static,
{
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<Id>().ok()))
}

/// The `:id` of the address as a number or a typed id (0, which matches nothing, when it is
/// not one).
pub fn id_param<Id>() -> Memo<Id>
where
    Id: std::str::FromStr + From<i64> + PartialEq + Clone + Send + Sync + 'static,
{
    let id = optional_id_param::<Id>();
    Memo::new(move |_| id.get().unwrap_or_else(|| Id::from(0)))
}

/// The organization a page's `?org=` names; 0 (the viewer's own) when none or unreadable.
pub fn org_in_query(query: &leptos_router::params::ParamsMap) -> crate::ids::OrgId {
    query
        .get("org")
        .and_then(|s| s.parse().ok())
        .unwrap_or_default()
}

/// False in the server's HTML and until the page has hydrated, then true: a control that only
/// works through the WebAssembly renders disabled until then, and stays so with JavaScript
/// off instead of looking as if it worked.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    ready
}

/// A link to pass on (a sign-up or invitation link): shown whole, wrapped to the screen's
/// width, with a button that copies it (once the page has hydrated).
#[island]
pub fn CopyLink(link: String, #[prop(into)] label: String) -> impl IntoView {
    let t = use_t();
    let ready = use_hydrated();
    let (copied, set_copied) = signal(false);
    let text = link.clone();
    let href = link.clone();
    view! {
        <div class="copy-link">
            <span class="small">{label}</span>
            <a href=href class="copy-text">{link}</a>
            <button
                type="button"
                class="btn small"
                disabled=move || !ready.get()
                on:click=move |_| browser::copy(&text, move |ok| set_copied.set(ok))
            >
                {move || if copied.get() { t.link_copied } else { t.copy_link }}
            </button>
        </div>
    }
}

/// Prints the page (a letter); the button is there once the page has hydrated.
#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    let ready = use_hydrated();
    view! {
        <button type="button" class="btn primary block no-print" disabled=move || !ready.get()
            on:click=|_| { let _ = window().print(); }>{label}</button>
    }
}

/// A filter that applies as soon as a choice inside changes (its form is sent); without
/// JavaScript the form's own button does it.
#[island]
pub fn SubmitOnChange(children: Children) -> impl IntoView {
    view! { <span class="submit-on-change" on:change=move |ev| browser::submit_form_of(&ev)>{children()}</span> }
}

#[component]
pub fn Loading() -> impl IntoView {
    let t = use_t();
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {t.loading}
        </div>
    }
}

/// Links to the other organizations a superior oversees, each to `page?org=<id>`; nothing
/// when there is no other.
#[component]
pub fn OtherOrgs(
    orgs: Vec<(crate::ids::OrgId, String)>,
    current: crate::ids::OrgId,
    page: &'static str,
) -> impl IntoView {
    let others: Vec<_> = orgs.into_iter().filter(|o| o.0 != current).collect();
    (!others.is_empty()).then(|| {
        view! {
            <p class="small">
                {others.into_iter().map(|(id, name)| view! {
                    <leptos_router::components::A href=format!("{page}?org={id}")>{name}</leptos_router::components::A> " "
                }).collect_view()}
            </p>
        }
    })
}

#[component]
pub fn Empty(text: &'static str) -> impl IntoView {
    view! { <p class="empty">{text}</p> }
}

/// What a whole-page error says. A page has no form fields to mark, so a refused request
/// (an unknown period in the address, say) shows its own message, not "fix the fields".
fn page_message(error: &AppError, t: &crate::i18n::Strings) -> String {
    match error {
        AppError::Invalid(errors) => errors
            .first()
            .map(|e| e.msg.text(t).to_owned())
            .unwrap_or_else(|| error.summary(t)),
        other => other.summary(t),
    }
}

/// A whole-page error: what happened, and a way on (sign in, or back to 我的).
#[component]
pub fn ErrorState(error: AppError) -> impl IntoView {
    let t = use_t();
    let signed_out = error == AppError::Unauthenticated;
    let location = use_location();
    let next = location.pathname.get_untracked();
    view! {
        <div class="error-state" role="alert">
            <p>{page_message(&error, t)}</p>
            {if signed_out {
                view! { <a class="btn primary" href=format!("/signin?next={next}")>{t.sign_in}</a> }.into_any()
            } else {
                view! { <a class="btn" href="/me">{t.back_to_me}</a> }.into_any()
            }}
        </div>
    }
}

/// Chooses the language. A plain form, so it works without JavaScript; the server sets the
/// cookie (and the account's preference) and sends the browser back to this page.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let t = use_t();
    let current = use_locale();
    let location = use_location();
    // Back to this page, without a previous form's error parameters.
    let next = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        let kept: Vec<&str> = search
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("__"))
            .collect();
        if kept.is_empty() {
            path
        } else {
            format!("{path}?{}", kept.join("&"))
        }
    };
    view! {
        <form class="lang-switch" method="post" action="/api/set_locale" aria-label=t.language>
            <input type="hidden" name="next" value=next />
            {Locale::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <button
                            type="submit"
                            name="locale"
                            value=l.tag()
                            lang=l.tag()
                            aria-pressed=if l == current { "true" } else { "false" }
                        >
                            {l.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}

/// A file picker that uploads at once, with a progress bar and the outcome in words. The
/// stored file's id goes into the form's field `fill` (an element id); with `submit`, the
/// form is then sent (an import, an attachment). For audio and video the island plays the
/// file back and writes its duration into `length_field`; for an image it shows it. Uploading
/// needs JavaScript; without it the picker says so.
#[island]
pub fn Uploader(
    label: String,
    purpose: crate::uploads::model::Purpose,
    /// The id of the form's (hidden) input that gets the stored file's id.
    fill: String,
    /// Send the form once the file is stored.
    submit: bool,
    /// The id of the length field a media file's duration fills.
    length_field: Option<String>,
    /// What is stored now (an image or a media file's address), shown until a new one is.
    shown: Option<String>,
) -> impl IntoView {
    use crate::uploads::model::{Purpose, megabytes};
    let t = use_t();
    let progress = RwSignal::new(None::<f64>);
    let error = RwSignal::new(None::<AppError>);
    let stored = RwSignal::new(None::<String>);
    let url = RwSignal::new(shown);
    let id = format!("upload-{}", purpose.as_str());
    let on_change = move |ev: leptos::ev::Event| {
        error.set(None);
        stored.set(None);
        progress.set(Some(0.0));
        let fill = fill.clone();
        browser::upload_chosen(
            &ev,
            purpose,
            move |f| progress.set(Some(f)),
            move |r| {
                progress.set(None);
                match r {
                    Ok(file) => {
                        stored.set(Some(format!(
                            "{} ({})",
                            file.file_name,
                            megabytes(file.size)
                        )));
                        url.set(Some(file.url.clone()));
                        browser::fill_field(&fill, &file.id, submit);
                    }
                    Err(e) => error.set(Some(e)),
                }
            },
        );
    };
    let msg = move || {
        error.get().map(|e| match e.field("file") {
            Some(m) => m.text(t).to_owned(),
            None => e.summary(t),
        })
    };
    let preview = move || {
        let src = url.get()?;
        Some(match purpose {
            Purpose::Image => view! { <img class="cover-preview" src=src alt="" /> }.into_any(),
            Purpose::Audio | Purpose::Video => {
                let length_field = length_field.clone();
                // The browser reads the file's duration: it fills the length field.
                view! {
                    <video class="media-preview" src=src controls preload="metadata" playsinline
                        on:loadedmetadata=move |ev| {
                            if let (Some(secs), Some(field)) = (browser::media_duration(&ev), &length_field) {
                                browser::fill_field(field, &crate::study::model::format_length(secs), false);
                            }
                        }
                    ></video>
                }
                .into_any()
            }
            _ => return None,
        })
    };
    view! {
        <div class="field uploader">
            <label for=id.clone()>{label}</label>
            <input id=id type="file" accept=purpose.accept() on:change=on_change />
            <p class="hint">
                {t.upload_limit.replace("{types}", &purpose.extensions().join(" / ")).replace("{size}", &megabytes(purpose.max_bytes()))}
            </p>
            {move || progress.get().map(|f| view! {
                <div class="upload-progress" role="status" aria-live="polite">
                    <progress max="100" value=(f * 100.0).round() aria-label=t.uploading></progress>
                    <span>{format!("{} {:.0}%", t.uploading, f * 100.0)}</span>
                </div>
            })}
            {move || stored.get().map(|s| view! { <p class="ok-text" role="status">{t.uploaded} " " {s}</p> })}
            <p class="field-error" role="alert">{msg}</p>
            {preview}
            <noscript><p class="hint">{t.upload_needs_js}</p></noscript>
        </div>
    }
}

/// What only a browser can do: timers and whether the page is being looked at. On the
/// server these do nothing (effects never run there).
#[cfg(feature = "hydrate")]
pub mod browser {
    /// A repeating timer; dropping it stops it.
    pub type Timer = gloo::timers::callback::Interval;

    /// Stops doing anything once a sent form has replaced the page's body.
    pub fn every(millis: u32, mut f: impl FnMut() + 'static) -> Timer {
        let born = super::enhance::generation();
        gloo::timers::callback::Interval::new(millis, move || {
            if super::enhance::generation() == born {
                f()
            }
        })
    }

    /// A one-off timer; dropping it cancels it.
    pub type Once = gloo::timers::callback::Timeout;

    pub fn after(millis: u32, f: impl FnOnce() + 'static) -> Once {
        let born = super::enhance::generation();
        gloo::timers::callback::Timeout::new(millis, move || {
            if super::enhance::generation() == born {
                f()
            }
        })
    }

    /// A place to keep a one-off timer between events, on the browser's one thread.
    pub fn once_slot() -> leptos::prelude::StoredValue<Option<Once>, leptos::prelude::LocalStorage>
    {
        leptos::prelude::StoredValue::new_local(None)
    }

    /// Puts `text` on the clipboard, then calls `done` with whether the browser took it.
    pub fn copy(text: &str, done: impl FnOnce(bool) + 'static) {
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            return done(false);
        };
        let written = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text));
        wasm_bindgen_futures::spawn_local(async move { done(written.await.is_ok()) });
    }

    /// The page is visible and has the focus.
    pub fn page_is_seen() -> bool {
        let document = leptos::prelude::document();
        document.visibility_state() == web_sys::VisibilityState::Visible
            && document.has_focus().unwrap_or(false)
    }

    /// The whole seconds of the `<video>` or `<audio>` that fired `ev`, once known.
    pub fn media_duration(ev: &leptos::ev::Event) -> Option<u32> {
        use wasm_bindgen::JsCast;
        let d = ev
            .target()?
            .dyn_into::<web_sys::HtmlMediaElement>()
            .ok()?
            .duration();
        (d.is_finite() && d > 0.0).then(|| d.round() as u32)
    }

    /// Whether the `<video>` or `<audio>` of this page is playing.
    pub fn media_playing() -> bool {
        use wasm_bindgen::JsCast;
        leptos::prelude::document()
            .query_selector("video.player, audio.player")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlMediaElement>().ok())
            .is_some_and(|m| !m.paused() && !m.ended())
    }

    /// Submits the form of the control that fired `ev` (a filter that applies on change).
    pub fn submit_form_of(ev: &leptos::ev::Event) {
        use wasm_bindgen::JsCast;
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("form").ok().flatten())
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
        if let Some(form) = form {
            let _ = form.submit();
        }
    }

    /// Puts `value` into the input with the id `id` and, with `submit`, sends its form (as
    /// if its button were pressed, so the form's own checks and handlers run).
    pub fn fill_field(id: &str, value: &str, submit: bool) {
        use wasm_bindgen::JsCast;
        let Some(input) = leptos::prelude::document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        input.set_value(value);
        if submit && let Some(form) = input.form() {
            let _ = form.request_submit();
        }
    }

    /// Sends the file chosen in the `<input type=file>` that fired `ev`.
    pub fn upload_chosen(
        ev: &leptos::ev::Event,
        purpose: crate::uploads::model::Purpose,
        on_progress: impl Fn(f64) + 'static,
        on_done: impl Fn(Result<crate::uploads::model::UploadedFile, crate::error::AppError>) + 'static,
    ) {
        use wasm_bindgen::JsCast;
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            crate::uploads::send::send(file, purpose, on_progress, on_done);
        }
    }
}

#[cfg(not(feature = "hydrate"))]
pub mod browser {
    /// Stands in for the browser's timer; nothing ever fires on the server.
    pub struct Timer;

    pub fn every(_millis: u32, _f: impl FnMut() + 'static) -> Timer {
        Timer
    }

    /// Stands in for the browser's one-off timer.
    pub struct Once;

    pub fn after(_millis: u32, _f: impl FnOnce() + 'static) -> Once {
        Once
    }

    /// The slot for a one-off timer. A server may drop a rendered page on another thread
    /// than the one that rendered it, so the slot must not be tied to one thread here.
    pub fn once_slot() -> leptos::prelude::StoredValue<Option<Once>> {
        leptos::prelude::StoredValue::new(None)
    }

    pub fn copy(_text: &str, _done: impl FnOnce(bool) + 'static) {}

    pub fn page_is_seen() -> bool {
        false
    }

    pub fn media_duration(_ev: &leptos::ev::Event) -> Option<u32> {
        None
    }

    pub fn media_playing() -> bool {
        false
    }

    pub fn submit_form_of(_ev: &leptos::ev::Event) {}

    pub fn fill_field(_id: &str, _value: &str, _submit: bool) {}

    /// Uploads happen in the browser only.
    pub fn upload_chosen(
        _ev: &leptos::ev::Event,
        _purpose: crate::uploads::model::Purpose,
        _on_progress: impl Fn(f64) + 'static,
        _on_done: impl Fn(Result<crate::uploads::model::UploadedFile, crate::error::AppError>) + 'static,
    ) {
    }
}

#[cfg(test)]
mod tests {
    use leptos::prelude::*;

    use super::browser;

    #[test]
    fn a_timer_slot_made_while_rendering_may_be_dropped_on_another_thread() {
        let owner = Owner::new();
        let slot = owner.with(browser::once_slot);
        slot.set_value(Some(browser::after(10, || {})));
        let dropped = std::thread::spawn(move || drop(owner)).join();
        assert!(
            dropped.is_ok(),
            "dropping the page's owner on another thread panicked"
        );
    }
}
