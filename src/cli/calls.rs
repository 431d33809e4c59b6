//! `--calls FILE`: recorded API calls read and matched, for `compose` and `lookup`.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use ims_perms::calls::{CallsMatch, Progress, Recording, match_calls, read_calls};
use ims_perms::catalog::Catalog;
use ims_perms::io::input::Source;
use ims_perms::lang::Lang;
use ims_perms::present;
use ims_perms::search::resolve::resolve_operation;

use super::*;

/// Each file's calls, and what they are.
pub(super) struct ReadCalls {
    pub(super) files: Vec<(Recording, CallsMatch)>,
}

impl ReadCalls {
    /// The operations the calls need, each once, in the order first met.
    pub(super) fn operations(&self) -> Vec<usize> {
        let mut seen = std::collections::HashSet::new();
        self.files
            .iter()
            .flat_map(|(_, m)| m.operations())
            .filter(|&i| seen.insert(i))
            .collect()
    }

    /// Whether every call matched and every entry was a call.
    pub(super) fn complete(&self) -> bool {
        self.files
            .iter()
            .all(|(r, m)| m.unmatched() == 0 && r.not_call_count == 0)
    }

    /// The report, a line each: per file what was read and each call's operation, then how
    /// much a policy of the matched ones covers.
    pub(super) fn report(&self, catalog: &Catalog, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        for (recording, matched) in &self.files {
            out.extend(present::calls_report(catalog, recording, matched, lang));
        }
        let distinct = self.files.iter().map(|(r, _)| r.calls.len()).sum();
        let unmatched = self.files.iter().map(|(_, m)| m.unmatched()).sum();
        let not_calls = self.files.iter().map(|(r, _)| r.not_call_count).sum();
        out.push(present::calls_coverage(
            distinct, unmatched, not_calls, lang,
        ));
        out
    }
}

/// Reads every file of calls and matches them; `choose`: ids for routes several permissions
/// share. A file that cannot be read or holds no call, an unknown id, or an id no call needed
/// to choose is bad input.
pub(super) fn read_and_match(
    catalog: &Catalog,
    files: &[OsString],
    choose: &[String],
    lang: Lang,
) -> Result<ReadCalls, Failure> {
    let mut chosen = Vec::new();
    for id in choose {
        chosen.push(resolve_operation(catalog, id).or_else(|e| fail(Exit::BadInput, e))?);
    }
    let mut read = ReadCalls { files: Vec::new() };
    let index = ims_perms::search::resolve::RouteIndex::new(catalog);
    let mut given: Vec<&OsString> = Vec::new();
    for file in files {
        // The same file twice would count its calls twice.
        if given.contains(&file) {
            continue;
        }
        given.push(file);
        let source = Source::from_arg(file);
        let shown = source.shown();
        let mut progress = ProgressLine::new(&shown, lang);
        let recording = read_calls(&source, false, &mut |p| progress.tell(p));
        progress.done();
        let recording = recording.or_else(|e| fail(Exit::BadInput, e))?;
        let matched = match_calls(catalog, &index, &recording.calls, &chosen);
        read.files.push((recording, matched));
    }
    for (id, &i) in choose.iter().zip(&chosen) {
        let used = read
            .files
            .iter()
            .any(|(_, m)| m.unused(std::slice::from_ref(&i)).is_empty());
        if !used {
            return fail(
                Exit::BadInput,
                CommandError::UnusedChoice { id: id.clone() },
            );
        }
    }
    Ok(read)
}

/// A line on stderr saying how far a long reading has got: only after a second, at most twice
/// a second; rewritten in place on a terminal, a line every five seconds otherwise.
struct ProgressLine<'a> {
    name: &'a str,
    lang: Lang,
    start: Instant,
    last: Option<Instant>,
    terminal: bool,
}

impl<'a> ProgressLine<'a> {
    fn new(name: &'a str, lang: Lang) -> Self {
        ProgressLine {
            name,
            lang,
            start: Instant::now(),
            last: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn tell(&mut self, p: Progress) {
        let now = Instant::now();
        let every = if self.terminal {
            Duration::from_millis(500)
        } else {
            Duration::from_secs(5)
        };
        if now - self.start < Duration::from_secs(1)
            || self.last.is_some_and(|last| now - last < every)
        {
            return;
        }
        self.last = Some(now);
        let line = present::calls_progress(self.name, p.bytes, p.calls, self.lang);
        let mut err = std::io::stderr().lock();
        let _ = if self.terminal {
            write!(err, "\r\x1b[K{line}")
        } else {
            writeln!(err, "{line}")
        };
    }

    /// Clears a line rewritten in place.
    fn done(&mut self) {
        if self.terminal && self.last.is_some() {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
        }
    }
}
