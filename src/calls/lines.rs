//! The line forms: plain lists, Terraform debug logs, `curl -v` transcripts. One pass reads
//! every line as all three; the form is the one whose marks were found (a Terraform request
//! line, a curl `> METHOD /path HTTP/…` line), else plain. Nothing but the distinct calls is
//! kept, so a log's size does not matter.

use std::collections::{HashMap, VecDeque};
use std::io::{self, BufRead};

use super::{Calls, Form, Location, NOT_CALLS_SHOWN, NotACall, Progress, Recording};
use crate::catalog::route::{HTTP_METHODS, Request};

/// The longest line kept: a request line is far shorter; a longer line (a response body on one
/// line) is cut there, the rest skipped without being held.
const MAX_LINE: usize = 64 * 1024;

/// How often (in lines) progress is told.
const PROGRESS_EVERY: usize = 1 << 14;

/// Requests waiting for their answer in a Terraform log without log ids: at most this many,
/// the oldest dropped (a log of requests never answered must not grow memory).
const MAX_WAITING: usize = 4096;

pub(super) fn read<R: io::Read>(
    name: &str,
    reader: &mut io::BufReader<super::Counting<R>>,
    progress: &mut dyn FnMut(Progress),
) -> io::Result<Recording> {
    let mut plain = Plain::default();
    let mut terraform = Terraform::default();
    let mut curl = Curl::default();
    let mut saw_terraform = false;
    let mut bytes = Vec::new();
    let mut number = 0;
    loop {
        bytes.clear();
        if read_line_bounded(reader, &mut bytes)? == 0 {
            break;
        }
        number += 1;
        let text = String::from_utf8_lossy(&bytes);
        let line = text.trim_end_matches(['\n', '\r']);
        let line = if number == 1 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        // Terminal colours (`TF_LOG` to a terminal, then saved) are no part of the text.
        let plain_text;
        let line = if line.contains('\u{1b}') {
            plain_text = strip_ansi(line);
            plain_text.as_str()
        } else {
            line
        };
        if !saw_terraform && line.contains("erraform") {
            saw_terraform = true;
        }
        // `TF_LOG=JSON`: one JSON object a line, the provider's text in `@message`.
        if line.starts_with('{')
            && line.contains("\"@message\"")
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
            && let Some(message) = v.get("@message").and_then(serde_json::Value::as_str)
        {
            for part in message.lines() {
                if !terraform.line(part, number) {
                    curl.line(part, number);
                }
            }
            continue;
        }
        if !terraform.line(line, number) && !curl.line(line, number) {
            plain.line(line, number);
        }
        if number % PROGRESS_EVERY == 0 {
            progress(Progress {
                bytes: reader.get_ref().bytes,
                calls: terraform.calls.read + curl.calls.read + plain.calls.read,
            });
        }
    }
    curl.finish();
    let (form, calls, not_calls, not_call_count) = if terraform.calls.read > 0 {
        // A log with curl transcripts in it: both kinds of call count.
        let mut calls = terraform.calls;
        calls.merge(curl.calls);
        (Form::Terraform, calls, Vec::new(), 0)
    } else if curl.calls.read > 0 {
        (Form::Curl, curl.calls, Vec::new(), 0)
    } else if plain.calls.read == 0 && saw_terraform {
        (Form::Terraform, plain.calls, Vec::new(), 0)
    } else {
        (
            Form::Plain,
            plain.calls,
            plain.not_calls,
            plain.not_call_count,
        )
    };
    Ok(Recording {
        name: name.to_string(),
        form,
        read: calls.read,
        calls: calls.list,
        not_calls,
        not_call_count,
    })
}

/// `text` without ANSI escape sequences (`ESC [ … letter`, and a lone `ESC x`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            chars.next();
        }
    }
    out
}

/// Reads one line (with its `\n`) into `out`, keeping at most [`MAX_LINE`] bytes of it; the
/// bytes the line had, 0 at the end.
fn read_line_bounded(reader: &mut impl BufRead, out: &mut Vec<u8>) -> io::Result<usize> {
    let mut total = 0;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(total);
        }
        let (end, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = MAX_LINE.saturating_sub(out.len());
        out.extend_from_slice(&buf[..end.min(room)]);
        reader.consume(end);
        total += end;
        if done {
            return Ok(total);
        }
    }
}

fn is_method(word: &str) -> bool {
    HTTP_METHODS.iter().any(|m| m.eq_ignore_ascii_case(word))
}

/// `METHOD target` as a call, if the target is a path or URL a request can have.
pub(super) fn call_of<'a>(method: &'a str, target: &'a str) -> Option<(&'a str, &'a str)> {
    (is_method(method) && Request::parse(&format!("{method} {target}")).is_ok())
        .then_some((method, target))
}

#[derive(Default)]
struct Plain {
    calls: Calls,
    not_calls: Vec<NotACall>,
    not_call_count: usize,
}

impl Plain {
    fn line(&mut self, line: &str, number: usize) {
        // A trailing comment (`GET /v2/images  # list them`) is no part of the call.
        let line = match line.find(" #").or_else(|| line.find("\t#")) {
            Some(i) => &line[..i],
            None => line,
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return;
        }
        // Most lines of a log are not calls: the first word says so before anything is built.
        let first = trimmed.split_whitespace().next().unwrap_or("");
        let words: Vec<&str> = if is_method(first) {
            trimmed.split_whitespace().take(8).collect()
        } else {
            Vec::new()
        };
        // `GET /path`, then perhaps `HTTP/1.1`, and a status code with its reason phrase
        // (`403 Forbidden`).
        let call = match words.as_slice() {
            [method, target, rest @ ..] => {
                let rest = match rest.first() {
                    Some(w) if w.to_ascii_uppercase().starts_with("HTTP/") => &rest[1..],
                    _ => rest,
                };
                let status = match rest.first().map(|w| w.parse::<u16>()) {
                    None => Some(None),
                    Some(Ok(code)) if (100..600).contains(&code) => Some(Some(code)),
                    Some(_) => None,
                };
                // Words after the code are its reason phrase: letters only.
                let phrase = rest
                    .iter()
                    .skip(1)
                    .all(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '-'));
                status
                    .filter(|_| phrase && rest.len() <= 4)
                    .and_then(|status| call_of(method, target).map(|c| (c, status)))
            }
            _ => None,
        };
        match call {
            Some(((method, target), status)) => {
                let i = self.calls.add(method, target, Location::Line(number));
                if let Some(status) = status {
                    self.calls.answered(i, status);
                }
            }
            None => {
                self.not_call_count += 1;
                if self.not_calls.len() < NOT_CALLS_SHOWN {
                    self.not_calls.push(NotACall {
                        at: Location::Line(number),
                        text: super::shown_text(trimmed),
                    });
                }
            }
        }
    }
}

/// A Terraform log: requests by the Huawei Cloud provider, paired with their answers: by log
/// id when the answer's id is a waiting request's, else in order (older providers write no id,
/// and one SDK writes another id on the answer than on the request).
#[derive(Default)]
struct Terraform {
    calls: Calls,
    /// Requests by log id, waiting for their answer.
    by_log_id: HashMap<String, usize>,
    /// Every request waiting for its answer, in order, with its log id; at most
    /// [`MAX_WAITING`] (the oldest dropped, with its id).
    waiting: VecDeque<(Option<String>, usize)>,
}

impl Terraform {
    /// Whether the line was one of the provider's request or answer lines.
    fn line(&mut self, line: &str, number: usize) -> bool {
        if let Some((log_id, rest)) = marked(line, "Request URL: ") {
            let mut words = rest.split_whitespace();
            let (Some(method), Some(url)) = (words.next(), words.next()) else {
                return false;
            };
            // terraform-plugin-log appends fields: `…/v2/cloudimages: timestamp=…`.
            let url = match words.next() {
                Some(_) => url.strip_suffix(':').unwrap_or(url),
                None => url,
            };
            let Some((method, url)) = call_of(method, url) else {
                return false;
            };
            let i = self.calls.add(method, url, Location::Line(number));
            if self.waiting.len() == MAX_WAITING
                && let Some((Some(old), _)) = self.waiting.pop_front()
            {
                self.by_log_id.remove(&old);
            }
            if let Some(id) = log_id {
                self.by_log_id.insert(id.to_string(), i);
            }
            self.waiting.push_back((log_id.map(str::to_string), i));
            return true;
        }
        if let Some((log_id, rest)) = marked(line, "Response Code: ") {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let Ok(status) = digits.parse::<u16>() else {
                return false;
            };
            let by_id = log_id.and_then(|id| {
                let i = self.by_log_id.remove(id)?;
                let at = self
                    .waiting
                    .iter()
                    .position(|(w, _)| w.as_deref() == Some(id))?;
                self.waiting.remove(at);
                Some(i)
            });
            let request = by_id.or_else(|| {
                let (id, i) = self.waiting.pop_front()?;
                if let Some(id) = id {
                    self.by_log_id.remove(&id);
                }
                Some(i)
            });
            if let Some(i) = request {
                self.calls.answered(i, status);
            }
            return true;
        }
        false
    }
}

/// The text after `what` (`Request URL: `) in a provider's line, `HuaweiCloud Request URL: …`
/// or `[<log id>] API Request URL: …`, with the log id when there is one.
fn marked<'a>(line: &'a str, what: &str) -> Option<(Option<&'a str>, &'a str)> {
    let at = line.find(what)?;
    let before = &line[..at];
    let rest = &line[at + what.len()..];
    if before.ends_with("HuaweiCloud ") {
        return Some((None, rest));
    }
    let before = before.strip_suffix("API ")?.trim_end();
    let id = before.strip_suffix(']')?;
    let open = id.rfind('[')?;
    let id = &id[open + 1..];
    // `[DEBUG] API Request URL: …` (some provider versions): a level, not a log id.
    let level = ["DEBUG", "INFO", "WARN", "ERROR", "TRACE"].contains(&id);
    match (id.is_empty(), level) {
        (true, _) => None,
        (false, true) => Some((None, rest)),
        (false, false) => Some((Some(id), rest)),
    }
}

/// A `curl -v` transcript: `> METHOD /path HTTP/…`, its `> Host:` line, the `< HTTP/… NNN`
/// answer; several transcripts one after another.
#[derive(Default)]
struct Curl {
    calls: Calls,
    pending: Option<CurlRequest>,
}

struct CurlRequest {
    method: String,
    path: String,
    host: Option<String>,
    line: usize,
}

impl Curl {
    fn line(&mut self, line: &str, number: usize) -> bool {
        if let Some(rest) = line.strip_prefix("> ") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            // A path, or through a proxy the whole URL (`GET http://host/path HTTP/1.1`).
            if let [method, path, protocol] = words.as_slice()
                && protocol.starts_with("HTTP/")
                && is_method(method)
                && (path.starts_with('/')
                    || path.starts_with("http://")
                    || path.starts_with("https://"))
            {
                self.finish();
                self.pending = Some(CurlRequest {
                    method: method.to_string(),
                    path: path.to_string(),
                    host: None,
                    line: number,
                });
                return true;
            }
            if let Some((header, value)) = rest.split_once(':')
                && header.eq_ignore_ascii_case("host")
                && let Some(request) = &mut self.pending
            {
                request.host = Some(value.trim().to_string());
                return true;
            }
            return self.pending.is_some();
        }
        if let Some(rest) = line.strip_prefix("< HTTP/") {
            let status = rest
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse::<u16>().ok());
            // `100 Continue` is not the answer: the real one follows.
            if status.is_some_and(|s| s < 200) {
                return true;
            }
            if let Some(request) = self.pending.take() {
                let i = self.add(request);
                if let Some(status) = status {
                    self.calls.answered(i, status);
                }
            }
            return true;
        }
        line.starts_with("< ") || line.starts_with("* ")
    }

    fn add(&mut self, request: CurlRequest) -> usize {
        let target = match &request.host {
            _ if request.path.contains("://") => request.path,
            Some(host) => format!("https://{host}{}", request.path),
            None => request.path,
        };
        self.calls
            .add(&request.method, &target, Location::Line(request.line))
    }

    /// A request never answered (the transcript ends, or the next one starts).
    fn finish(&mut self) {
        if let Some(request) = self.pending.take() {
            self.add(request);
        }
    }
}
