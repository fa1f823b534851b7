//! 青年e家: the isomorphic Leptos app. Rendered on the server (feature `ssr`) and hydrated
//! in the browser (feature `hydrate`).

pub mod app;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod columns;
pub mod development;
pub mod dues;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod instructors;
pub mod league;
pub mod notices;
pub mod org_life;
pub mod orgs;
pub mod points;
pub mod quiz;
pub mod rankings;
pub mod reminders;
pub mod reports;
pub mod study;
pub mod time;
pub mod transfers;
pub mod ui;
pub mod uploads;
mod words;

pub use app::{App, shell};

/// The browser entry. The page is rendered whole on the server; only its islands (the
/// study meter, the quiz, the check-in code, uploads and the few other controls that need
/// the browser) are hydrated, by the script the shell includes, right after this returns.
/// Once they are, the page is marked (`body[data-hydrated]`; the end-to-end tests wait for
/// it): the islands hydrate in a chain of microtasks, so a zero timer runs after them.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    ui::enhance::install();
    gloo::timers::callback::Timeout::new(0, || {
        if let Some(body) = leptos::prelude::document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    })
    .forget();
}
