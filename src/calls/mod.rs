//! Recorded API calls: what a workload did, read from the files admins already have, so a
//! policy can be composed for it (`compose --calls`, `lookup --calls`, the explorer's
//! `--calls` and pasted blocks).
//!
//! Forms, told apart by their content:
//! - plain lines `METHOD URL-or-path` (any case, tabs or spaces; blank lines and `#` comments
//!   skipped; a trailing `HTTP/1.1` and a status code tolerated);
//! - a Terraform provider debug log (`TF_LOG=DEBUG`): `HuaweiCloud Request URL: GET https://…`
//!   and the `HuaweiCloud Response Code: 403` after it, or the newer `[DEBUG] [<logId>] API
//!   Request URL: …` / `[<logId>] API Response Code: …`, paired by their log id;
//! - a HAR 1.2 file (`log.entries[].request.method/url`, `response.status`);
//! - `curl -v` output (`> METHOD /path HTTP/…`, its `> Host:` line, the `< HTTP/… NNN` answer).
//!
//! Logs are read as streams, a line at a time, in memory bounded by the distinct calls: a
//! log of gigabytes is never held whole. A HAR file is JSON and is read whole (within the 64 MB
//! limit of inputs read whole). Queries and fragments are dropped from what is kept: they do
//! not change the operation, and a signed URL's query holds credentials.

mod har;
mod lines;
pub mod matching;

pub use matching::*;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use crate::io::input::{ReadError, Source};

/// How the calls were written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Plain,
    Terraform,
    Har,
    Curl,
}

/// Where a call was read: a line (1-based), or a HAR entry (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Line(usize),
    Entry(usize),
}

/// One distinct call (method and URL or path, without query), with how often it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCall {
    /// Upper case.
    pub method: String,
    /// The URL or path as recorded, without query or fragment.
    pub target: String,
    pub count: usize,
    /// Where it was first read.
    pub first: Location,
    /// How many times it was answered 401 or 403 when recorded: the workload tried it and was
    /// refused.
    pub refused: usize,
}

impl RecordedCall {
    /// `GET https://ims…/v2/cloudimages`.
    pub fn call(&self) -> String {
        format!("{} {}", self.method, self.target)
    }
}

/// Something read that should have been a call and is not (a plain list's line that is no
/// call, a HAR entry without a request): where, and the text shortened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotACall {
    pub at: Location,
    pub text: String,
}

/// The calls read from one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    /// The file as shown.
    pub name: String,
    pub form: Form,
    /// Every call read, repeats included.
    pub read: usize,
    /// The distinct calls, in the order first met.
    pub calls: Vec<RecordedCall>,
    /// The first few entries that are not calls, and how many there were.
    pub not_calls: Vec<NotACall>,
    pub not_call_count: usize,
}

/// The most entries that are not calls kept to show; the rest are counted.
const NOT_CALLS_SHOWN: usize = 5;

/// Why a file of calls could not be read.
#[derive(Debug)]
pub struct CallsError {
    /// The file as shown.
    pub name: String,
    pub reason: CallsReason,
}

#[derive(Debug)]
pub enum CallsReason {
    Read(ReadError),
    /// Read, and no call in it. `terraform_log`: it is a Terraform log, written without
    /// `TF_LOG=DEBUG` (no request lines); `first`: the first entry that is not a call.
    NoCalls {
        terraform_log: bool,
        first: Option<NotACall>,
    },
    /// A HAR file that is not JSON: the parser's words, line and column.
    HarNotJson {
        detail: String,
        line: usize,
        column: usize,
    },
    /// JSON without `log.entries`.
    NotHar,
    /// Not text: compressed, UTF-16, or binary.
    NotText(NotText),
}

/// What a file that is not text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotText {
    Gzip,
    Utf16,
    Binary,
}

impl std::error::Error for CallsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.reason {
            CallsReason::Read(e) => Some(e),
            _ => None,
        }
    }
}

/// How far a reading has got, for a progress line: bytes read and calls found so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub bytes: u64,
    pub calls: usize,
}

/// Distinct calls as they are met, with their counts.
#[derive(Default)]
struct Calls {
    by_key: HashMap<(String, String), usize>,
    list: Vec<RecordedCall>,
    read: usize,
}

impl Calls {
    /// Adds another reading's calls (a curl transcript inside a Terraform log).
    fn merge(&mut self, other: Calls) {
        self.read += other.read;
        for c in other.list {
            let key = (c.method.clone(), c.target.clone());
            match self.by_key.get(&key) {
                Some(&i) => {
                    self.list[i].count += c.count;
                    self.list[i].refused += c.refused;
                }
                None => {
                    self.by_key.insert(key, self.list.len());
                    self.list.push(c);
                }
            }
        }
    }

    /// Counts one call; its index among the distinct ones.
    fn add(&mut self, method: &str, target: &str, at: Location) -> usize {
        self.read += 1;
        let method = method.to_ascii_uppercase();
        let target = without_query(target);
        let key = (method, target);
        if let Some(&i) = self.by_key.get(&key) {
            self.list[i].count += 1;
            return i;
        }
        let i = self.list.len();
        self.list.push(RecordedCall {
            method: key.0.clone(),
            target: key.1.clone(),
            count: 1,
            first: at,
            refused: 0,
        });
        self.by_key.insert(key, i);
        i
    }

    /// The answer to call `i` was `status`.
    fn answered(&mut self, i: usize, status: u16) {
        if matches!(status, 401 | 403) {
            self.list[i].refused += 1;
        }
    }
}

/// A URL or path without its query, fragment and credentials (`user:password@`): they do not
/// change the operation, and a signed URL's query holds a signature.
fn without_query(target: &str) -> String {
    let target = target.split(['?', '#']).next().unwrap_or("");
    match target.find("://") {
        Some(i) => {
            let (scheme, rest) = target.split_at(i + 3);
            let end = rest.find('/').unwrap_or(rest.len());
            let host = crate::catalog::route::without_credentials(&rest[..end]);
            format!("{scheme}{host}{}", &rest[end..])
        }
        None => target.to_string(),
    }
}

/// A line that is no call, as shown: shortened, each URL without its query and credentials.
fn shown_text(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            if w.contains("://") || w.starts_with('/') {
                let kept = without_query(w);
                if kept.len() < w.len() && w.contains('?') {
                    format!("{kept}?…")
                } else {
                    kept
                }
            } else {
                w.to_string()
            }
        })
        .collect();
    crate::text::shorten(&words.join(" "), 120)
}

/// Reads the calls in `source`, of whatever form it holds. `progress` is told how far it has
/// got every few thousand lines.
pub fn read_calls(
    source: &Source,
    regular_only: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Recording, CallsError> {
    let name = source.shown();
    let fail = |reason| CallsError {
        name: name.clone(),
        reason,
    };
    let stream = crate::io::input::open_stream(source, regular_only)
        .map_err(|e| fail(CallsReason::Read(e)))?;
    read_calls_from(&name, stream, progress).map_err(fail)
}

/// [`read_calls`] of a text in memory (a block pasted into the explorer).
pub fn read_calls_in(name: &str, text: &str) -> Result<Recording, CallsError> {
    read_calls_from(name, text.as_bytes(), &mut |_| {}).map_err(|reason| CallsError {
        name: name.to_string(),
        reason,
    })
}

fn read_calls_from(
    name: &str,
    stream: impl Read,
    progress: &mut dyn FnMut(Progress),
) -> Result<Recording, CallsReason> {
    let mut reader = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: stream,
            bytes: 0,
        },
    );
    let first = reader.fill_buf().map_err(io_reason(name))?;
    if first.starts_with(&[0x1f, 0x8b]) {
        return Err(CallsReason::NotText(NotText::Gzip));
    }
    if first.starts_with(&[0xff, 0xfe]) || first.starts_with(&[0xfe, 0xff]) {
        return Err(CallsReason::NotText(NotText::Utf16));
    }
    if first.iter().take(8192).any(|&b| b == 0) {
        return Err(CallsReason::NotText(NotText::Binary));
    }
    // JSON (a HAR file) starts with `{`, after white space and perhaps a byte-order mark; a
    // JSON-lines log (`TF_LOG=JSON`) too, and is read a line at a time.
    let starts_json = loop {
        let buf = reader.fill_buf().map_err(io_reason(name))?;
        let bom = "\u{feff}".as_bytes();
        let text = buf.strip_prefix(bom).unwrap_or(buf);
        match text.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let rest = &text[i..];
                let line = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
                break rest[0] == b'{' && memchr::memmem::find(line, b"\"@message\"").is_none();
            }
            None if buf.is_empty() => break false,
            // All white space so far (a BOM is only ever at the very start): read on.
            None if text.len() == buf.len() => {
                let n = buf.len();
                reader.consume(n);
            }
            None => break false,
        }
    };
    let recording = if starts_json {
        let bom = "\u{feff}".as_bytes();
        if reader.fill_buf().map_err(io_reason(name))?.starts_with(bom) {
            reader.consume(bom.len());
        }
        har::read(name, reader)?
    } else {
        lines::read(name, &mut reader, progress).map_err(io_reason(name))?
    };
    if recording.calls.is_empty() {
        return Err(CallsReason::NoCalls {
            terraform_log: recording.form == Form::Terraform,
            first: recording.not_calls.first().cloned(),
        });
    }
    Ok(recording)
}

fn io_reason(name: &str) -> impl Fn(std::io::Error) -> CallsReason + '_ {
    move |e| {
        CallsReason::Read(ReadError {
            shown: name.to_string(),
            kind: crate::io::input::ReadErrorKind::Io(e),
        })
    }
}

/// A reader that counts the bytes read through it (for progress).
struct Counting<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
