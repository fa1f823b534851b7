//! Sending a file from the browser with its progress: an `XMLHttpRequest`, because `fetch`
//! reports no upload progress.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::model::{Purpose, UploadedFile, endpoint, precheck};
use crate::error::{AppError, Msg};

/// Sends `file` for `purpose`. `on_progress` gets the fraction sent (0 to 1); `on_done`
/// gets the stored file or the error, exactly once.
pub fn send(
    file: web_sys::File,
    purpose: Purpose,
    on_progress: impl Fn(f64) + 'static,
    on_done: impl Fn(Result<UploadedFile, AppError>) + 'static,
) {
    let name = file.name();
    let size = file.size() as u64;
    if let Err(msg) = precheck(purpose, &name, size) {
        on_done(Err(AppError::invalid("file", msg)));
        return;
    }
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        on_done(Err(AppError::Network("no XMLHttpRequest".into())));
        return;
    };
    if xhr.open("POST", &endpoint(purpose, &name)).is_err() {
        on_done(Err(AppError::Network("open failed".into())));
        return;
    }
    let on_done = std::rc::Rc::new(on_done);
    if let Ok(upload) = xhr.upload() {
        let progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    on_progress(e.loaded() / e.total());
                }
            });
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        progress.forget();
    }
    let loaded = {
        let xhr = xhr.clone();
        let on_done = on_done.clone();
        Closure::<dyn FnMut()>::new(move || {
            let status = xhr.status().unwrap_or(0);
            let body = xhr.response_text().ok().flatten().unwrap_or_default();
            let result = if (200..300).contains(&status) {
                serde_json::from_str::<UploadedFile>(&body).map_err(AppError::internal)
            } else {
                Err(serde_json::from_str::<AppError>(&body)
                    .unwrap_or_else(|_| AppError::invalid("file", Msg::BadRequest)))
            };
            on_done(result);
        })
    };
    xhr.set_onload(Some(loaded.as_ref().unchecked_ref()));
    loaded.forget();
    let failed = Closure::<dyn FnMut()>::new(move || {
        on_done(Err(AppError::Network("upload failed".into())));
    });
    xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
    failed.forget();
    // A failure to send is reported by `onerror`.
    let _ = xhr.send_with_opt_blob(Some(&file));
}
