//! HAR 1.2 files (browsers' and proxies' saved traffic): `log.entries[].request.method` and
//! `.url`, and `response.status` (0 when there was no answer). JSON, read whole within the
//! limit of inputs read whole.

use std::io::Read;

use serde_json::Value;

use super::{Calls, CallsReason, Form, Location, NOT_CALLS_SHOWN, NotACall, Recording};
use crate::io::input::{MAX_INPUT_BYTES, ReadError, ReadErrorKind};

pub(super) fn read(name: &str, reader: impl Read) -> Result<Recording, CallsReason> {
    let fail = |kind| {
        CallsReason::Read(ReadError {
            shown: name.to_string(),
            kind,
        })
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(ReadErrorKind::Io(e)))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail(ReadErrorKind::TooLarge {
            limit: MAX_INPUT_BYTES,
        }));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(ReadErrorKind::NotUtf8 {
            offset: e.utf8_error().valid_up_to(),
        })
    })?;
    let text = text.trim_start().trim_start_matches('\u{feff}');
    let root: Value = serde_json::from_str(text).map_err(|e| CallsReason::HarNotJson {
        detail: e.to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    let Some(entries) = root
        .get("log")
        .and_then(|log| log.get("entries"))
        .and_then(Value::as_array)
    else {
        return Err(CallsReason::NotHar);
    };
    let mut calls = Calls::default();
    let (mut not_calls, mut not_call_count) = (Vec::new(), 0);
    for (k, entry) in entries.iter().enumerate() {
        let at = Location::Entry(k + 1);
        let request = entry.get("request");
        let field = |name: &str| request.and_then(|r| r.get(name)).and_then(Value::as_str);
        let call = match (field("method"), field("url")) {
            (Some(method), Some(url)) => super::lines::call_of(method, url),
            _ => None,
        };
        let Some((method, url)) = call else {
            not_call_count += 1;
            if not_calls.len() < NOT_CALLS_SHOWN {
                let text = format!(
                    "{} {}",
                    field("method").unwrap_or("?"),
                    field("url").unwrap_or("?")
                );
                not_calls.push(NotACall {
                    at,
                    text: crate::text::shorten(&text, 120),
                });
            }
            continue;
        };
        let i = calls.add(method, url, at);
        let status = entry
            .get("response")
            .and_then(|r| r.get("status"))
            .and_then(Value::as_u64);
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
