//! Forms outside the islands, sent without leaving the page. Every such form is a plain post
//! to its server function and works without JavaScript: the server answers with a redirect
//! back to the page, which shows the error or the result (`flash`). With the bundle loaded,
//! the post goes by `fetch` instead and the page the server answers replaces the body in
//! place: no reload, the scroll position kept, and, when the form was refused, everything
//! the member typed into it kept beside the server's messages.
//!
//! Timers of islands that a new body replaced stop (see [`generation`]).

use std::cell::Cell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Document, DomParser, Element, FormData, HtmlButtonElement, HtmlElement, HtmlFormElement,
    HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, RequestInit, Response, SubmitEvent,
    SupportedType, UrlSearchParams,
};

thread_local! {
    static GENERATION: Cell<u32> = const { Cell::new(0) };
}

/// Which body the page shows: counts the bodies a sent form put in place. A timer started
/// under one body does nothing once another has replaced it.
pub fn generation() -> u32 {
    GENERATION.with(Cell::get)
}

/// Listens for the page's form posts (once, at start).
pub fn install() {
    let document = leptos::prelude::document();
    let options = gloo::events::EventListenerOptions::enable_prevent_default();
    gloo::events::EventListener::new_with_options(&document, "submit", options, on_submit).forget();
}

fn on_submit(ev: &web_sys::Event) {
    if ev.default_prevented() {
        return;
    }
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let action = form.get_attribute("action").unwrap_or_default();
    // Only plain posts to server functions; an island's forms are its own.
    if !form.method().eq_ignore_ascii_case("post")
        || !action.starts_with("/api/")
        || form.closest("leptos-island").ok().flatten().is_some()
    {
        return;
    }
    let Ok(data) = FormData::new_with_form(&form) else {
        return;
    };
    let submitter = ev
        .dyn_ref::<SubmitEvent>()
        .and_then(SubmitEvent::submitter)
        .and_then(|s| s.dyn_into::<HtmlButtonElement>().ok());
    if let Some(b) = &submitter
        && !b.name().is_empty()
    {
        let _ = data.append_with_str(&b.name(), &b.value());
    }
    ev.prevent_default();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(b) = &submitter {
            b.set_disabled(true);
        }
        if send(&form, &action, &data).await.is_err() {
            // No answer came (the request could not be made or the network failed): the
            // browser posts it itself, as without the bundle.
            if let Some(b) = &submitter {
                b.set_disabled(false);
            }
            let _ = form.submit();
        }
    });
}

async fn send(form: &HtmlFormElement, action: &str, data: &FormData) -> Result<(), JsValue> {
    let window = leptos::prelude::window();
    let body = UrlSearchParams::new_with_str_sequence_sequence(data)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    let request = web_sys::Request::new_with_str_and_init(action, &init)?;
    request.headers().set("Accept", "text/html")?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()?;
    let url = response.url();
    if !response.ok() {
        // The post went through but the page it was sent to failed: show that page, never
        // post again.
        return window.location().assign(&url);
    }
    // From here on the post has been made: whatever fails, the browser goes to the page it
    // was sent to rather than posting again.
    let shown = match response.text() {
        Ok(text) => match JsFuture::from(text).await {
            Ok(html) => show(form, action, &url, &html.as_string().unwrap_or_default()),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    if shown.is_err() {
        let _ = window.location().assign(&url);
    }
    Ok(())
}

/// Puts the answered page in place of this one.
fn show(form: &HtmlFormElement, action: &str, url: &str, html: &str) -> Result<(), JsValue> {
    let window = leptos::prelude::window();
    let document = leptos::prelude::document();
    let here = window.location().pathname()?;
    let there = web_sys::Url::new(url)?.pathname();
    if there != here {
        // Sent on to another page (signed in, a transfer started): go there.
        return window.location().assign(url);
    }
    let refused = url.contains("__err=");
    let new = DomParser::new()?.parse_from_string(html, SupportedType::TextHtml)?;
    let Some(new_body) = new.body() else {
        return Err(JsValue::NULL);
    };
    let (selector, index) = form_place(&document, form, action);
    let typed = refused.then(|| typed_values(form));

    let loaded = script_sources(&document);
    let new_body: HtmlElement = document.adopt_node(&new_body)?.dyn_into()?;
    GENERATION.with(|g| g.set(g.get() + 1));
    if let Some(old) = document.body() {
        old.replace_with_with_node_1(&new_body)?;
    }
    document.set_title(&new.title());
    if let (Some(root), Some(lang)) = (
        document.document_element(),
        new.document_element().and_then(|e| e.get_attribute("lang")),
    ) {
        let _ = root.set_attribute("lang", &lang);
    }
    let again = document
        .query_selector_all(&selector)?
        .item(index)
        .and_then(|n| n.dyn_into::<HtmlFormElement>().ok());
    match (typed, again) {
        (Some(typed), Some(again)) => {
            restore(&again, &typed);
            show_first_problem(&again);
        }
        _ => {
            // Saved: the page as it now is, at the same address (without a refusal's
            // leftovers in it).
            let _ = window
                .history()?
                .replace_state_with_url(&JsValue::NULL, "", Some(url));
        }
    }
    run_new_scripts(&document, &new_body, &loaded);
    hydrate_islands(&new_body);
    Ok(())
}

/// The scripts the page has loaded (by address).
fn script_sources(document: &Document) -> Vec<String> {
    let Ok(all) = document.query_selector_all("script[src]") else {
        return vec![];
    };
    (0..all.length())
        .filter_map(|i| all.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .filter_map(|e| e.get_attribute("src"))
        .collect()
}

/// A parsed page's scripts do not run: those of the new body that the page has not loaded
/// yet (the charts' on a page that had none) are put in again as new elements, in order.
fn run_new_scripts(document: &Document, body: &HtmlElement, loaded: &[String]) {
    let Ok(all) = body.query_selector_all("script[src]") else {
        return;
    };
    for old in (0..all.length())
        .filter_map(|i| all.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
    {
        let Some(src) = old.get_attribute("src").filter(|s| !loaded.contains(s)) else {
            continue;
        };
        let Ok(fresh) = document.create_element("script").and_then(|e| {
            e.dyn_into::<web_sys::HtmlScriptElement>()
                .map_err(JsValue::from)
        }) else {
            continue;
        };
        fresh.set_src(&src);
        fresh.set_async(false);
        let _ = old.replace_with_with_node_1(&fresh);
    }
}

/// Where the form sits among the page's forms to the same function, to find it again in
/// the new page.
fn form_place(document: &Document, form: &HtmlFormElement, action: &str) -> (String, u32) {
    let selector = format!("form[action=\"{}\"]", action.replace('"', ""));
    let index = document
        .query_selector_all(&selector)
        .ok()
        .and_then(|all| {
            let node: &web_sys::Node = form.as_ref();
            (0..all.length()).find(|i| all.item(*i).is_some_and(|n| n.is_same_node(Some(node))))
        })
        .unwrap_or(0);
    (selector, index)
}

/// What the member typed or chose, control by control.
enum Typed {
    Text(String),
    Checked(bool),
    Skip,
}

fn controls(form: &HtmlFormElement) -> Vec<Element> {
    let all = form.elements();
    (0..all.length()).filter_map(|i| all.item(i)).collect()
}

fn typed_values(form: &HtmlFormElement) -> Vec<(String, Typed)> {
    controls(form)
        .into_iter()
        .map(|e| {
            let name = e.get_attribute("name").unwrap_or_default();
            let typed = if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
                match i.type_().as_str() {
                    "hidden" | "file" | "submit" | "button" | "reset" | "password" => Typed::Skip,
                    "checkbox" | "radio" => Typed::Checked(i.checked()),
                    _ => Typed::Text(i.value()),
                }
            } else if let Some(t) = e.dyn_ref::<HtmlTextAreaElement>() {
                Typed::Text(t.value())
            } else if let Some(s) = e.dyn_ref::<HtmlSelectElement>() {
                Typed::Text(s.value())
            } else {
                Typed::Skip
            };
            (name, typed)
        })
        .collect()
}

/// Puts back what was typed, into the controls of the same name at the same place.
fn restore(form: &HtmlFormElement, typed: &[(String, Typed)]) {
    for (e, (name, typed)) in controls(form).into_iter().zip(typed) {
        if e.get_attribute("name").unwrap_or_default() != *name {
            continue;
        }
        match typed {
            Typed::Text(v) => {
                if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
                    i.set_value(v);
                } else if let Some(t) = e.dyn_ref::<HtmlTextAreaElement>() {
                    t.set_value(v);
                } else if let Some(s) = e.dyn_ref::<HtmlSelectElement>() {
                    s.set_value(v);
                }
            }
            Typed::Checked(c) => {
                if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
                    i.set_checked(*c);
                }
            }
            Typed::Skip => {}
        }
    }
}

/// Brings the refusal into view: the first field marked wrong gets the focus, else the
/// form's message is scrolled to.
fn show_first_problem(form: &HtmlFormElement) {
    if let Ok(Some(field)) = form.query_selector("[aria-invalid=\"true\"]")
        && let Some(field) = field.dyn_ref::<HtmlElement>()
    {
        let _ = field.focus();
    } else if let Ok(Some(alert)) = form.query_selector(".alert.error") {
        alert.scroll_into_view();
    } else {
        form.scroll_into_view();
    }
}

/// Hydrates the islands of a body put in place, as the page's script does at load, then
/// marks the page hydrated again.
fn hydrate_islands(body: &HtmlElement) {
    let window = leptos::prelude::window();
    let hydrate = js_sys::Reflect::get(&window, &JsValue::from_str("__hydrateIsland"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let (Some(hydrate), Ok(islands)) = (hydrate, body.query_selector_all("leptos-island")) {
        for i in 0..islands.length() {
            let Some(el) = islands
                .item(i)
                .and_then(|n| n.dyn_into::<HtmlElement>().ok())
            else {
                continue;
            };
            let id = el.dataset().get("component").unwrap_or_default();
            let _ = hydrate.call2(&window, &el, &JsValue::from_str(&id));
        }
    }
    let body = body.clone();
    gloo::timers::callback::Timeout::new(0, move || {
        let _ = body.set_attribute("data-hydrated", "");
    })
    .forget();
}
