//! 青年e家: the isomorphic Leptos app. Rendered on the server (feature `ssr`) and hydrated
//! in the browser (feature `hydrate`).

pub mod app;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod columns;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod league;
pub mod notices;
pub mod org_life;
pub mod orgs;
pub mod points;
pub mod quiz;
pub mod rankings;
pub mod study;
pub mod time;
pub mod transfers;
pub mod ui;
pub mod uploads;

pub use app::{App, shell};

/// The browser entry: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
