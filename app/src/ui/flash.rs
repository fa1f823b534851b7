//! A form posted without the browser's WebAssembly (every form outside an island) goes to
//! its server function, which sends the browser back to the page. A refusal travels back in
//! the address (`__err`, read by leptos); what the function answered on success travels in
//! the database under a cookie's token, for the next page only (`server::answers`), so the
//! page can say "saved", show the codes it issued or the rows it imported.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A server function's answer to a posted form, kept for the page the browser is sent to.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct Answer {
    /// The function's address (`ServerFn::PATH`).
    pub path: String,
    /// Its output as the function encoded it (JSON).
    pub output: String,
}

/// A server action whose last answer is the one the server carried to this page, if it was
/// this function's: the page renders "saved" or the result as it would after a call from
/// the browser.
pub fn server_action<F>() -> ServerAction<F>
where
    F: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    F::Output: DeserializeOwned + Clone + Send + Sync + 'static,
{
    let action = ServerAction::<F>::new();
    #[cfg(feature = "ssr")]
    if let Some(output) = answered::<F>() {
        action.value().set(Some(Ok(output)));
    }
    action
}

#[cfg(feature = "ssr")]
fn answered<F>() -> Option<F::Output>
where
    F: ServerFn,
    F::Output: DeserializeOwned,
{
    let parts = use_context::<http::request::Parts>()?;
    let answer = parts.extensions.get::<Answer>()?;
    if answer.path != F::PATH {
        return None;
    }
    serde_json::from_str(&answer.output).ok()
}
