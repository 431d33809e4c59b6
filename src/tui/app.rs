//! The explorer's model: query, results, highlight, selection, conditional toggles, focus.
//! `update` turns an [`Action`] into changes of the model and [`Effect`]s for the loop to carry
//! out; it never touches a terminal, so tests drive it with plain key sequences.

use std::collections::VecDeque;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use crate::catalog::Catalog;
use crate::export::{self, ExportFormat};
use crate::lang::Lang;
use crate::policy::{ComposeOptions, Composition, Effect as PolicyEffect, compose};
use crate::query::{Highlights, Hit, Query, SearchIndex};
use crate::review::{Review, Status, explain};
use crate::tui::keymap::{self, Action, Mode};

/// The longest query: a URL or a long route fits; a 100 KB paste is cut, not searched.
pub const MAX_QUERY_CHARS: usize = 512;
/// The longest file name typed in a prompt (PATH_MAX).
pub const MAX_PATH_CHARS: usize = 4096;

/// How many recent queries keep their results.
const RECENT_QUERIES: usize = 8;

/// From this many operations on, a search runs off the input thread: the typed character shows
/// at once and the results follow when ready (a search of 100,000 operations takes longer than
/// a key press should).
pub const BACKGROUND_SEARCH_FROM: usize = 20_000;

/// A search running on another thread.
struct PendingSearch {
    query: Query,
    cancel: Arc<AtomicBool>,
    results: mpsc::Receiver<Option<Vec<Hit>>>,
}

/// Something for the event loop to do outside the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put the policy on the clipboard; `actions` counts them for the status line.
    Copy {
        text: String,
        actions: usize,
    },
    /// Write the policy to a file; `overwrite` once the user has agreed.
    Write {
        path: String,
        text: String,
        overwrite: bool,
    },
    /// Read a policy file and review it.
    OpenPolicy {
        path: String,
    },
    /// Give the terminal back and stop, as Ctrl-Z does in a shell.
    Suspend,
    Quit,
}

/// Which pane has the keyboard when no overlay is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Table,
    Search,
    Composer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// Asking for a file name to write the policy to.
    Prompt {
        path: String,
    },
    /// Asking for a policy file to review.
    Open {
        path: String,
    },
    /// The file exists: overwrite?
    Confirm {
        path: String,
    },
}

/// One conditional action of a selected operation, as the composer lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toggle {
    pub operation: usize,
    pub action: String,
    pub included: bool,
}

/// A policy under review, and what it allowed when loaded.
pub struct LoadedPolicy {
    pub source: String,
    pub review: Review,
    /// Catalog actions the policy allows (and does not deny), lower case: the "before".
    pub before: BTreeSet<String>,
}

pub struct App {
    /// Shared with the background search (see [`App::poll_search`]).
    pub catalog: Arc<Catalog>,
    index: Arc<SearchIndex>,
    /// A search running on another thread, for catalogs too large to search between two keys.
    pending: Option<PendingSearch>,
    /// The query `hits` answer (the last one that parsed); `None` before the first search.
    parsed: Option<Query>,
    /// Recent queries and their results, newest last, so Backspace is instant.
    recent: VecDeque<(Query, Vec<Hit>)>,
    pub lang: Lang,
    pub query: String,
    /// Why the query cannot be read; the previous results stay.
    pub query_error: Option<String>,
    pub hits: Vec<Hit>,
    /// Highlighted row, an index into `hits`.
    pub cursor: usize,
    /// First visible row of the table.
    pub scroll: usize,
    /// Rows the table shows, as last drawn (for paging and scrolling).
    pub table_rows: usize,
    /// Chosen operations, in the order chosen.
    pub selected: Vec<usize>,
    /// Conditional actions switched on (`--with`).
    pub with: Vec<String>,
    pub composer_cursor: usize,
    /// First line of the composer pane shown (its text can be longer than the pane).
    pub composer_scroll: usize,
    /// The furthest the composer can scroll, as found by the last drawing (view state).
    pub composer_max_scroll: std::cell::Cell<usize>,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub help_scroll: usize,
    pub status: Option<String>,
    pub show_keys: bool,
    pub last_keys: VecDeque<String>,
    pub composition: Option<Composition>,
    /// The policy being reviewed, if any.
    pub loaded: Option<LoadedPolicy>,
    /// How `y` and `w` write the policy.
    pub export: ExportFormat,
}

impl App {
    pub fn new(catalog: Catalog, lang: Lang) -> App {
        let index = Arc::new(SearchIndex::new(&catalog));
        let catalog = Arc::new(catalog);
        let mut app = App {
            catalog,
            index,
            pending: None,
            parsed: None,
            recent: VecDeque::new(),
            lang,
            query: String::new(),
            query_error: None,
            hits: Vec::new(),
            cursor: 0,
            scroll: 0,
            table_rows: 10,
            selected: Vec::new(),
            with: Vec::new(),
            composer_cursor: 0,
            composer_scroll: 0,
            composer_max_scroll: std::cell::Cell::new(usize::MAX),
            focus: Focus::Table,
            overlay: None,
            help_scroll: 0,
            status: None,
            show_keys: false,
            last_keys: VecDeque::new(),
            composition: None,
            loaded: None,
            export: ExportFormat::Json,
        };
        app.refilter();
        app.recompose();
        app
    }

    /// What the keyboard is talking to now.
    pub fn mode(&self) -> Mode {
        match (&self.overlay, self.focus) {
            (Some(Overlay::Help), _) => Mode::Help,
            (Some(Overlay::Prompt { .. }) | Some(Overlay::Open { .. }), _) => Mode::Prompt,
            (Some(Overlay::Confirm { .. }), _) => Mode::Confirm,
            (None, Focus::Table) => Mode::Table,
            (None, Focus::Search) => Mode::Search,
            (None, Focus::Composer) => Mode::Composer,
        }
    }

    /// The operation under the highlight.
    pub fn current(&self) -> Option<usize> {
        self.hits.get(self.cursor).map(|h| h.index)
    }

    /// The policy as `ims-perms compose` prints it for the same choices.
    pub fn policy_json(&self) -> Option<String> {
        self.composition
            .as_ref()
            .and_then(|c| c.policy.as_ref())
            .map(|p| p.to_json())
    }

    /// The policy in the chosen export format: JSON as `compose` prints it, or Terraform as
    /// `compose --format terraform` prints it.
    pub fn export_text(&self) -> Option<String> {
        let c = self.composition.as_ref()?;
        let policy = c.policy.as_ref()?;
        Some(match self.export {
            ExportFormat::Json => policy.to_json(),
            ExportFormat::Terraform => export::terraform(
                &self.catalog,
                &c.report.operations,
                policy,
                export::DEFAULT_ROLE_NAME,
            ),
        })
    }

    /// Reviews a policy document: marks every row, and starts the composer from the operations
    /// the policy fully allows (with the conditional actions it covers).
    pub fn load_policy(&mut self, source: &str, text: &str) {
        let review = explain(&self.catalog, text);
        if !review.evaluated {
            // Nothing to mark and nothing to start from: show why, keep the selection.
            let first = review
                .findings
                .first()
                .map(|f| f.text(self.lang).to_string())
                .unwrap_or_default();
            self.status = Some(match self.lang {
                Lang::En => format!("Cannot review {source}: {first}"),
                Lang::Zh => format!("无法审查 {source}：{first}"),
            });
            self.loaded = Some(LoadedPolicy {
                source: source.to_string(),
                review,
                before: BTreeSet::new(),
            });
            return;
        }
        let ops = self.catalog.operations();
        self.selected = review
            .operations
            .iter()
            .filter(|o| o.status == Status::Allowed && !ops[o.index].actions.is_empty())
            .map(|o| o.index)
            .collect();
        self.with = review
            .operations
            .iter()
            .filter(|o| o.status == Status::Allowed)
            .flat_map(|o| {
                o.conditional_covered
                    .iter()
                    .map(|(a, _)| a.to_ascii_lowercase())
            })
            .collect();
        self.with.sort();
        self.with.dedup();
        let before = review
            .effective_actions(&self.catalog)
            .into_iter()
            .map(|a| a.to_ascii_lowercase())
            .collect();
        let count = |s: Status| review.count(s);
        self.status = Some(match self.lang {
            Lang::En => format!(
                "Reviewed {source}: {} allowed, {} partial, {} denied, {} not granted; {} finding{}",
                count(Status::Allowed),
                count(Status::Partial),
                count(Status::Denied),
                count(Status::NotGranted),
                review.findings.len(),
                if review.findings.len() == 1 { "" } else { "s" }
            ),
            Lang::Zh => format!(
                "已审查 {source}：{} 允许，{} 部分，{} 拒绝，{} 未授权；{} 条发现",
                count(Status::Allowed),
                count(Status::Partial),
                count(Status::Denied),
                count(Status::NotGranted),
                review.findings.len()
            ),
        });
        self.loaded = Some(LoadedPolicy {
            source: source.to_string(),
            review,
            before,
        });
        self.recompose();
    }

    /// Actions added and removed against the reviewed policy: (added, removed), lower case.
    pub fn policy_difference(&self) -> Option<(Vec<String>, Vec<String>)> {
        let loaded = self.loaded.as_ref().filter(|l| l.review.evaluated)?;
        let after: BTreeSet<String> = self
            .composition
            .as_ref()
            .and_then(|c| c.policy.as_ref())
            .map(|p| {
                p.statements
                    .iter()
                    .flat_map(|s| s.actions.iter().map(|a| a.to_ascii_lowercase()))
                    .collect()
            })
            .unwrap_or_default();
        let added = after.difference(&loaded.before).cloned().collect();
        let removed = loaded.before.difference(&after).cloned().collect();
        Some((added, removed))
    }

    /// The composer options the selection stands for (what `--with` the CLI would need).
    pub fn options(&self) -> ComposeOptions {
        ComposeOptions {
            with: self.with.clone(),
            all_conditional: false,
            effect: PolicyEffect::Allow,
        }
    }

    /// The conditional actions of the selected operations, in selection order.
    pub fn toggles(&self) -> Vec<Toggle> {
        let Some(c) = &self.composition else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &i in &self.selected {
            for a in self.catalog.operations()[i]
                .actions
                .iter()
                .filter(|a| a.is_conditional())
            {
                let included = c
                    .report
                    .conditional_included
                    .iter()
                    .any(|x| x.operation == i && x.action == a.action);
                out.push(Toggle {
                    operation: i,
                    action: a.action.clone(),
                    included,
                });
            }
        }
        out
    }

    /// A key from the terminal: looked up in the keymap, or typed into a text field.
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.show_keys {
            self.last_keys.push_back(keymap::key_name(&key));
            while self.last_keys.len() > 6 {
                self.last_keys.pop_front();
            }
        }
        let mode = self.mode();
        if let Some(action) = keymap::lookup(mode, &key) {
            return self.update(action);
        }
        // Alt+key and Ctrl+key are never text (and mean nothing unless the keymap says so).
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if let (KeyCode::Char(c), true) = (key.code, plain) {
            self.type_text(&c.to_string());
        }
        Vec::new()
    }

    /// Text pasted: line breaks and tabs become spaces (a multi-line paste is one query), other
    /// control characters are dropped.
    pub fn paste(&mut self, text: &str) {
        let flat: String = text
            .chars()
            .map(|c| {
                if matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        self.type_text(&flat);
    }

    /// Text typed or pasted into the search line or the file prompt. Control and bidi characters
    /// are dropped: they have no place in either. Past the field's limit the rest is cut, and
    /// the status line says so.
    pub fn type_text(&mut self, text: &str) {
        let clean = text.chars().filter(|&c| !crate::text::is_unsafe_char(c));
        let (field, limit) = match (&mut self.overlay, self.focus) {
            (Some(Overlay::Prompt { path }) | Some(Overlay::Open { path }), _) => {
                (path, MAX_PATH_CHARS)
            }
            (None, Focus::Search) => (&mut self.query, MAX_QUERY_CHARS),
            _ => return,
        };
        let room = limit.saturating_sub(field.chars().count());
        let mut cut = false;
        for (n, c) in clean.enumerate() {
            if n >= room {
                cut = true;
                break;
            }
            field.push(c);
        }
        if cut {
            self.status = Some(match self.lang {
                Lang::En => format!("Too long: cut at {limit} characters."),
                Lang::Zh => format!("过长：已截断为 {limit} 个字符。"),
            });
        }
        if self.overlay.is_none() {
            self.refilter();
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => return vec![Effect::Quit],
            Action::Suspend => return vec![Effect::Suspend],
            Action::FocusSearch => self.focus = Focus::Search,
            Action::LeaveSearch => self.focus = Focus::Table,
            Action::Escape => match self.overlay {
                Some(_) => self.overlay = None,
                None if self.focus == Focus::Search || !self.query.is_empty() => {
                    self.query.clear();
                    self.refilter();
                    self.focus = Focus::Table;
                }
                None => self.focus = Focus::Table,
            },
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp | Action::PageDown if self.mode() == Mode::Composer => {
                let page = self.table_rows.max(1) as isize;
                let delta = if action == Action::PageUp {
                    -page
                } else {
                    page
                };
                self.scroll_composer(delta);
            }
            Action::PageUp => self.move_by(-(self.table_rows.max(1) as isize)),
            Action::PageDown => self.move_by(self.table_rows.max(1) as isize),
            Action::Top => self.move_to(0),
            Action::Bottom => self.move_to(self.hits.len().saturating_sub(1)),
            Action::ToggleSelect => match self.focus {
                Focus::Composer => self.toggle_conditional(),
                _ => {
                    if let Some(i) = self.current() {
                        match self.selected.iter().position(|&s| s == i) {
                            Some(p) => {
                                self.selected.remove(p);
                            }
                            None => self.selected.push(i),
                        }
                        self.recompose();
                    }
                }
            },
            Action::SelectAllShown => {
                for h in &self.hits {
                    if !self.selected.contains(&h.index) {
                        self.selected.push(h.index);
                    }
                }
                self.recompose();
            }
            Action::ClearSelection => {
                self.selected.clear();
                self.with.clear();
                self.recompose();
            }
            Action::SwitchFocus => {
                self.focus = match self.focus {
                    Focus::Composer => Focus::Table,
                    _ => Focus::Composer,
                }
            }
            Action::Copy => return self.copy(),
            Action::OpenPolicy => {
                self.overlay = Some(Overlay::Open {
                    path: String::new(),
                });
            }
            Action::ToggleExport => {
                self.export = match self.export {
                    ExportFormat::Json => ExportFormat::Terraform,
                    ExportFormat::Terraform => ExportFormat::Json,
                };
                self.status = Some(match (self.export, self.lang) {
                    (ExportFormat::Json, Lang::En) => "y and w now give the policy JSON".into(),
                    (ExportFormat::Terraform, Lang::En) => {
                        "y and w now give Terraform (huaweicloud_identity_role)".into()
                    }
                    (ExportFormat::Json, Lang::Zh) => "y 与 w 现在输出策略 JSON".into(),
                    (ExportFormat::Terraform, Lang::Zh) => {
                        "y 与 w 现在输出 Terraform（huaweicloud_identity_role）".into()
                    }
                });
            }
            Action::Write => {
                if self.policy_json().is_some() {
                    self.overlay = Some(Overlay::Prompt {
                        path: self.export.default_file().into(),
                    });
                } else {
                    self.status = Some(self.no_policy_message());
                }
            }
            Action::ToggleLang => self.lang = self.lang.other(),
            Action::Help => {
                self.help_scroll = 0;
                self.overlay = Some(Overlay::Help);
            }
            Action::Backspace => match (&mut self.overlay, self.focus) {
                (Some(Overlay::Prompt { path }) | Some(Overlay::Open { path }), _) => {
                    path.pop();
                }
                (None, Focus::Search) => {
                    self.query.pop();
                    self.refilter();
                }
                _ => {}
            },
            Action::Submit => {
                if let Some(Overlay::Open { path }) = &self.overlay {
                    let path = path.trim().to_string();
                    if path.is_empty() {
                        return Vec::new();
                    }
                    self.overlay = None;
                    return vec![Effect::OpenPolicy { path }];
                }
                if let Some(Overlay::Prompt { path }) = &self.overlay {
                    let path = path.trim().to_string();
                    if path.is_empty() {
                        return Vec::new();
                    }
                    self.overlay = None;
                    return self.write(path, false);
                }
            }
            Action::ConfirmYes => {
                if let Some(Overlay::Confirm { path }) = self.overlay.take() {
                    return self.write(path, true);
                }
            }
            Action::ConfirmNo => {
                self.overlay = None;
                self.status = Some(match self.lang {
                    Lang::En => "Not written.".into(),
                    Lang::Zh => "未写入。".into(),
                });
            }
        }
        Vec::new()
    }

    /// The loop found the file exists: ask before overwriting.
    pub fn ask_overwrite(&mut self, path: String) {
        self.overlay = Some(Overlay::Confirm { path });
    }

    fn write(&mut self, path: String, overwrite: bool) -> Vec<Effect> {
        match self.export_text() {
            Some(text) => vec![Effect::Write {
                path,
                text,
                overwrite,
            }],
            None => Vec::new(),
        }
    }

    fn copy(&mut self) -> Vec<Effect> {
        match (&self.composition, self.export_text()) {
            (Some(c), Some(text)) => vec![Effect::Copy {
                text,
                actions: c.policy.as_ref().map_or(0, |p| p.action_count()),
            }],
            _ => {
                self.status = Some(self.no_policy_message());
                Vec::new()
            }
        }
    }

    fn no_policy_message(&self) -> String {
        match (self.selected.is_empty(), self.lang) {
            (true, Lang::En) => "Nothing selected: press Space on a row first.".into(),
            (true, Lang::Zh) => "尚未选择：先在某行按空格。".into(),
            (false, Lang::En) => "No policy: the selected operations need no IAM action.".into(),
            (false, Lang::Zh) => "无策略：所选操作不需要任何授权项。".into(),
        }
    }

    fn move_by(&mut self, delta: isize) {
        if self.focus == Focus::Composer && self.overlay.is_none() {
            let n = self.toggles().len();
            if n > 0 {
                self.composer_cursor =
                    (self.composer_cursor as isize + delta).clamp(0, n as isize - 1) as usize;
            }
            return;
        }
        if let Some(Overlay::Help) = self.overlay {
            self.help_scroll = (self.help_scroll as isize + delta).max(0) as usize;
            return;
        }
        let target = (self.cursor as isize + delta).max(0) as usize;
        self.move_to(target);
    }

    fn move_to(&mut self, row: usize) {
        self.cursor = row.min(self.hits.len().saturating_sub(1));
        self.keep_cursor_visible();
    }

    fn keep_cursor_visible(&mut self) {
        let rows = self.table_rows.max(1);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + rows {
            self.scroll = self.cursor + 1 - rows;
        }
        let max_scroll = self.hits.len().saturating_sub(rows);
        self.scroll = self.scroll.min(max_scroll);
    }

    /// The table was drawn with `rows` rows.
    pub fn set_table_rows(&mut self, rows: usize) {
        self.table_rows = rows;
        self.keep_cursor_visible();
    }

    /// A click on the table's `row`-th visible row.
    pub fn click_row(&mut self, row: usize) {
        let target = self.scroll + row;
        if target < self.hits.len() {
            self.focus = Focus::Table;
            self.cursor = target;
        }
    }

    /// The mouse wheel: scroll the table, keeping the highlight on screen.
    pub fn scroll_by(&mut self, delta: isize) {
        let max_scroll = self.hits.len().saturating_sub(self.table_rows.max(1));
        self.scroll = ((self.scroll as isize + delta).max(0) as usize).min(max_scroll);
        let rows = self.table_rows.max(1);
        if self.cursor < self.scroll {
            self.cursor = self.scroll;
        } else if self.cursor >= self.scroll + rows {
            self.cursor = self.scroll + rows - 1;
        }
    }

    /// Scrolls the composer pane (keys or the wheel); the drawing clamps it to the text.
    pub fn scroll_composer(&mut self, delta: isize) {
        let max = self.composer_max_scroll.get();
        self.composer_scroll = ((self.composer_scroll as isize + delta).max(0) as usize).min(max);
    }

    fn toggle_conditional(&mut self) {
        let toggles = self.toggles();
        let Some(t) = toggles.get(self.composer_cursor) else {
            return;
        };
        let key = t.action.to_ascii_lowercase();
        let op = &self.catalog.operations()[t.operation];
        if !t.included {
            self.with.push(key);
        } else if op.all_conditional() {
            // Keep the operation's other included actions picked explicitly.
            let others: Vec<String> = toggles
                .iter()
                .filter(|x| x.operation == t.operation && x.included && x.action != t.action)
                .map(|x| x.action.to_ascii_lowercase())
                .collect();
            if others.is_empty() {
                self.status = Some(match self.lang {
                    Lang::En => "This operation needs at least one of its actions.".into(),
                    Lang::Zh => "该操作至少需要其中一个授权项。".into(),
                });
                return;
            }
            self.with.retain(|w| *w != key);
            for o in others {
                if !self.with.contains(&o) {
                    self.with.push(o);
                }
            }
        } else {
            self.with.retain(|w| *w != key);
        }
        self.recompose();
    }

    /// Runs the query again; the highlight moves to the best match.
    fn refilter(&mut self) {
        let query = match Query::parse(&self.query, &self.catalog.services()) {
            Ok(q) => q,
            Err(e) => {
                // Keep the previous results while the query cannot be read (mid-typing).
                self.query_error = Some(e.to_string());
                return;
            }
        };
        self.query_error = None;
        if self.parsed.as_ref() == Some(&query) {
            // The same terms as the results shown (only white space changed, or typed back).
            self.cancel_search();
            return;
        }
        if let Some(k) = self.recent.iter().position(|(q, _)| *q == query) {
            self.cancel_search();
            let entry = self.recent.remove(k).expect("found above");
            let hits = entry.1.clone();
            self.recent.push_back(entry);
            self.show_results(query, hits);
            return;
        }
        if self.pending.as_ref().is_some_and(|p| p.query == query) {
            return;
        }
        self.cancel_search();
        // When the query only grew, its matches are among the last results.
        let candidates: Option<Vec<usize>> = self
            .parsed
            .as_ref()
            .is_some_and(|p| query.narrows(p))
            .then(|| self.hits.iter().map(|h| h.index).collect());
        if self.catalog.len() < BACKGROUND_SEARCH_FROM {
            let hits = match &candidates {
                Some(c) => self.index.search_within(&self.catalog, &query, c),
                None => self.index.search(&self.catalog, &query),
            };
            self.remember(query.clone(), hits.clone());
            self.show_results(query, hits);
            return;
        }
        let (sender, results) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let (catalog, index, q, stop) = (
            Arc::clone(&self.catalog),
            Arc::clone(&self.index),
            query.clone(),
            Arc::clone(&cancel),
        );
        std::thread::spawn(move || {
            let hits = index.search_cancellable(&catalog, &q, candidates.as_deref(), &stop);
            let _ = sender.send(hits);
        });
        self.pending = Some(PendingSearch {
            query,
            cancel,
            results,
        });
    }

    /// Whether a background search is still running.
    pub fn searching(&self) -> bool {
        self.pending.is_some()
    }

    /// Takes a finished background search's results; true when the screen should change.
    pub fn poll_search(&mut self) -> bool {
        let Some(pending) = &self.pending else {
            return false;
        };
        match pending.results.try_recv() {
            Ok(result) => {
                self.finish_search(result);
                true
            }
            Err(mpsc::TryRecvError::Empty) => false,
            Err(mpsc::TryRecvError::Disconnected) => {
                self.pending = None;
                false
            }
        }
    }

    /// Waits for the background search, if any (tests and benchmarks).
    pub fn wait_for_search(&mut self) {
        if let Some(pending) = &self.pending {
            let result = pending.results.recv().ok().flatten();
            self.finish_search(result);
        }
    }

    fn finish_search(&mut self, result: Option<Vec<Hit>>) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        if let Some(hits) = result {
            let PendingSearch { query, .. } = pending;
            self.remember(query.clone(), hits.clone());
            self.show_results(query, hits);
        }
    }

    fn cancel_search(&mut self) {
        if let Some(pending) = self.pending.take() {
            pending.cancel.store(true, Ordering::Relaxed);
        }
    }

    fn remember(&mut self, query: Query, hits: Vec<Hit>) {
        self.recent.push_back((query, hits));
        while self.recent.len() > RECENT_QUERIES {
            self.recent.pop_front();
        }
    }

    /// New results: the highlight moves to the best match.
    fn show_results(&mut self, query: Query, hits: Vec<Hit>) {
        self.hits = hits;
        self.parsed = Some(query);
        self.cursor = 0;
        self.scroll = 0;
    }

    /// What to highlight in an operation for the current query (computed for drawn rows only).
    pub fn highlights(&self, index: usize) -> Highlights {
        match &self.parsed {
            Some(query) => self.index.highlights(&self.catalog, query, index),
            None => Highlights::default(),
        }
    }

    /// Composes again after the selection or a toggle changed. `with` keeps only actions that
    /// are still conditional actions of a selected operation, so it is always a valid `--with`.
    fn recompose(&mut self) {
        let ops = self.catalog.operations();
        let selected = &self.selected;
        self.with.retain(|w| {
            selected.iter().any(|&i| {
                ops[i]
                    .actions
                    .iter()
                    .any(|a| a.is_conditional() && a.action.to_ascii_lowercase() == *w)
            })
        });
        self.composition = if self.selected.is_empty() {
            None
        } else {
            compose(&self.catalog, &self.selected, &self.options()).ok()
        };
        let n = self.toggles().len();
        self.composer_cursor = self.composer_cursor.min(n.saturating_sub(1));
    }
}
