//! HAR 1.2 files (browsers' and proxies' saved traffic): `log.entries[].request.method` and
//! `.url`, and `response.status` (0 when there was no answer). Read as a stream into types that
//! keep only those fields: a HAR of hundreds of megabytes of response bodies is not held.

use std::io::Read;

use serde::Deserialize;

use super::{Calls, CallsReason, Form, Location, NOT_CALLS_SHOWN, NotACall, Recording};

#[derive(Deserialize)]
struct Har {
    log: Option<HarLog>,
}

#[derive(Deserialize)]
struct HarLog {
    entries: Option<Vec<HarEntry>>,
}

#[derive(Deserialize)]
struct HarEntry {
    request: Option<HarRequest>,
    response: Option<HarResponse>,
}

#[derive(Deserialize)]
struct HarRequest {
    method: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct HarResponse {
    status: Option<serde_json::Value>,
}

pub(super) fn read(name: &str, reader: impl Read) -> Result<Recording, CallsReason> {
    let har: Har = serde_json::from_reader(reader).map_err(|e| {
        if e.is_io() {
            return CallsReason::Read(crate::io::input::ReadError {
                shown: name.to_string(),
                kind: crate::io::input::ReadErrorKind::Io(e.into()),
            });
        }
        CallsReason::HarNotJson {
            detail: e.to_string(),
            line: e.line(),
            column: e.column(),
        }
    })?;
    let Some(entries) = har.log.and_then(|log| log.entries) else {
        return Err(CallsReason::NotHar);
    };
    let mut calls = Calls::default();
    let (mut not_calls, mut not_call_count) = (Vec::new(), 0);
    for (k, entry) in entries.into_iter().enumerate() {
        let at = Location::Entry(k + 1);
        let (method, url) = match &entry.request {
            Some(r) => (r.method.as_deref(), r.url.as_deref()),
            None => (None, None),
        };
        let call = match (method, url) {
            (Some(method), Some(url)) => super::lines::call_of(method, url),
            _ => None,
        };
        let Some((method, url)) = call else {
            not_call_count += 1;
            if not_calls.len() < NOT_CALLS_SHOWN {
                let text = format!("{} {}", method.unwrap_or("?"), url.unwrap_or("?"));
                not_calls.push(NotACall {
                    at,
                    text: super::shown_text(&text),
                });
            }
            continue;
        };
        let i = calls.add(method, url, at);
        let status = entry
            .response
            .and_then(|r| r.status)
            .and_then(|s| s.as_u64());
        if let Some(status) = status.and_then(|s| u16::try_from(s).ok()) {
            calls.answered(i, status);
        }
    }
    Ok(Recording {
        name: name.to_string(),
        form: Form::Har,
        read: calls.read,
        calls: calls.list,
        not_calls,
        not_call_count,
    })
}
