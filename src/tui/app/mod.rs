//! The explorer's model: query, results, highlight, selection, conditional toggles, focus.
//! Every input is an [`Action`]: keys (through the keymap), typed and pasted text, mouse clicks
//! and wheel turns, and the results of effects fed back (`Wrote`, `FileExists`, `Copied`...).
//! `update` turns an action into changes of the model and [`Effect`]s for the loop to carry out;
//! it never touches a terminal, so tests drive it with the same actions the loop sends. The
//! model's state is private to the explorer; tests read it through accessors.

use std::collections::VecDeque;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, mpsc};

use crate::catalog::Catalog;
use crate::lang::Lang;
use crate::policy::compose::{ComposeOptions, Composition, Selection, compose};
use crate::policy::export::{self, ExportFormat};
use crate::policy::review::{Review, Status, explain};
use crate::present::{CopyOutcome, Notice};
use crate::search::query::{Hit, Query, Results, SearchIndex};
use crate::tui::field::TextField;
use crate::tui::keymap::{self, Command, Mode};
use crate::tui::layout::Areas;

/// The longest query: a URL or a long route fits; a 100 KB paste is cut, not searched.
pub const MAX_QUERY_CHARS: usize = 512;
/// The longest file name typed in a prompt (PATH_MAX).
pub const MAX_PATH_CHARS: usize = 4096;
/// The longest Terraform role name typed (IAM allows 64 characters).
pub const MAX_ROLE_NAME_CHARS: usize = 64;

/// How many recent queries keep their results.
const RECENT_QUERIES: usize = 8;

/// From this many operations on, a search runs off the input thread: the typed character shows
/// at once and the results follow when ready (a search of 100,000 operations takes longer than
/// a key press should).
pub const BACKGROUND_SEARCH_FROM: usize = 20_000;

/// How many of a background search's matches it ranks before answering: a tall screenful and
/// some; the rest are ranked as the table is scrolled to them.
const RANKED_FIRST: usize = 64;

/// A search running on another thread.
struct PendingSearch {
    query: Query,
    cancel: Arc<AtomicBool>,
    results: mpsc::Receiver<Option<Arc<Results>>>,
}

/// Everything the model takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A key from the terminal: recorded for `--show-keys`, then looked up in the keymap for
    /// the current mode, or typed.
    Pressed(KeyEvent),
    /// What a key means in the current mode (from the keymap).
    Key(Command),
    /// A character typed into the search line or a prompt.
    Type(char),
    /// Text pasted (bracketed paste).
    Paste(String),
    /// A left click on the screen.
    ClickAt {
        column: u16,
        row: u16,
    },
    /// The mouse wheel over the screen (`delta` rows, negative up).
    ScrollAt {
        column: u16,
        row: u16,
        delta: isize,
    },
    /// Results of effects, fed back by the loop.
    Copied {
        outcome: CopyOutcome,
        actions: usize,
        bytes: usize,
    },
    Wrote {
        path: String,
        bytes: usize,
        /// The symbolic link written through, when `path` is the file it points to.
        through: Option<String>,
    },
    WriteFailed {
        path: String,
        error: String,
    },
    /// The file exists: ask before overwriting, saying what will be rewritten.
    FileExists {
        path: String,
        existing: crate::io::output::Existing,
    },
    PolicyRead {
        source: String,
        text: String,
    },
    ReadFailed(String),
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

mod composer;
mod search;

pub use crate::tui::layout::Focus;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// Asking for a file name to write the policy to.
    Prompt {
        path: TextField,
    },
    /// Asking for a policy file to review.
    Open {
        path: TextField,
    },
    /// The file exists: overwrite?
    Confirm {
        path: String,
        existing: crate::io::output::Existing,
    },
    /// A policy was read while operations are selected: replace them with what it allows?
    Replace {
        source: String,
        text: String,
    },
    /// Typing the Terraform role's name.
    RoleName {
        name: TextField,
    },
    /// Pasted API calls were read: select the operations they need?
    Calls {
        operations: Vec<usize>,
        read: usize,
        distinct: usize,
        unmatched: usize,
    },
}

/// One conditional action of a selected operation, as the composer lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toggle {
    pub operation: usize,
    /// The conditional action; for [`ToggleKind::Dependencies`], the dependencies as listed.
    pub action: String,
    pub included: bool,
    pub kind: ToggleKind,
    /// In the policy because this other operation needs the action: switching it off would
    /// change nothing.
    pub needed_by: Option<usize>,
}

/// What a composer toggle switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToggleKind {
    /// One conditional action (`--with`).
    Conditional,
    /// All the dependent actions of one operation (`--with-dependencies`, per operation).
    Dependencies,
}

/// A policy under review, and what it allowed when loaded.
pub struct LoadedPolicy {
    pub source: String,
    pub review: Review,
    /// Catalog actions the policy allows (and does not deny): the "before", by lower-case key,
    /// each in the catalog's spelling (`ims:dataImages:create`).
    pub before: BTreeMap<String, String>,
    /// The document as read (what a fix changes).
    pub text: String,
}

pub struct App {
    /// Shared with the background search (see [`App::poll_search`]).
    pub(super) catalog: Arc<Catalog>,
    index: Arc<SearchIndex>,
    /// A search running on another thread, for catalogs too large to search between two keys.
    pending: Option<PendingSearch>,
    /// The query `results` answer (the last one that parsed); `None` before the first search.
    parsed: Option<Query>,
    /// Recent queries and their results, newest last, so Backspace is instant.
    recent: VecDeque<(Query, Arc<Results>)>,
    pub(super) lang: Lang,
    pub(super) query: TextField,
    /// Why the query cannot be read; the previous results stay.
    pub(super) query_error: Option<crate::search::query::QueryError>,
    /// The matches, ranked as far as the table has been shown ([`App::rank_shown`]).
    /// Shared with the recent queries and a background search narrowing them; copied only
    /// when ranked further while shared.
    pub(super) results: Arc<Results>,
    /// Highlighted row, an index into the ranked matches.
    pub(super) cursor: usize,
    /// First visible row of the table.
    pub(super) scroll: usize,
    /// Chosen operations, in the order chosen.
    pub(super) selected: Selection,
    /// Conditional actions switched on (`--with`).
    with: Vec<String>,
    /// Selected operations whose dependent actions are switched on.
    dependencies_of: Vec<usize>,
    pub(super) composer_cursor: usize,
    /// First line of the composer pane shown (its text can be longer than the pane).
    pub(super) composer_scroll: usize,
    pub(super) focus: Focus,
    pub(super) overlay: Option<Overlay>,
    pub(super) help_scroll: usize,
    /// What the status line says, as a fact: worded when drawn, in the language of the moment.
    pub(super) notice: Option<Notice>,
    pub(super) show_keys: bool,
    pub(super) last_keys: VecDeque<String>,
    pub(super) composition: Option<Composition>,
    /// Why the selection composes no policy (actions not documented, IAM's limits): said in
    /// the composer, as `compose` says it.
    pub(super) compose_failure: Option<crate::policy::compose::ComposeError>,
    /// The policy being reviewed, if any.
    pub(super) loaded: Option<LoadedPolicy>,
    /// The reviewed file's patterns the composed policy no longer has, worked out when either
    /// changes (not on every frame: a file of 60,000 wildcards would make each one slow).
    changes: Vec<crate::policy::review::PatternChange>,
    /// The highlighted operation under the reviewed policy, worded (`simulate`'s answer and
    /// fix): for which operation, in which language.
    simulation: Option<(usize, Lang, Vec<String>)>,
    /// How `y` and `w` write the policy.
    pub(super) export: ExportFormat,
    /// The Terraform role's name (`n` sets it).
    pub(super) role_name: String,
    /// The screen as last synchronised ([`crate::tui::ui::sync_view`]): panes, table rows, how far the
    /// composer can scroll.
    view: View,
}

/// What the model knows of the screen, laid out by `ui` before each frame
/// ([`crate::tui::ui::sync_view`]) and handed over with [`App::set_view`].
#[derive(Debug, Clone, Copy, Default)]
pub struct View {
    pub areas: Areas,
    pub composer_max_scroll: usize,
    /// Lines of the composer's text, and how many the pane shows.
    pub composer_lines: usize,
    pub composer_height: usize,
    /// How far the help scrolls before its last line reaches the bottom of its box.
    pub help_max_scroll: usize,
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
            query: TextField::default(),
            query_error: None,
            results: Arc::default(),
            cursor: 0,
            scroll: 0,
            selected: Selection::new(),
            with: Vec::new(),
            dependencies_of: Vec::new(),
            composer_cursor: 0,
            composer_scroll: 0,
            focus: Focus::Table,
            overlay: None,
            help_scroll: 0,
            notice: None,
            show_keys: false,
            last_keys: VecDeque::new(),
            composition: None,
            compose_failure: None,
            loaded: None,
            changes: Vec::new(),
            simulation: None,
            export: ExportFormat::Json,
            role_name: export::DEFAULT_ROLE_NAME.to_string(),
            view: View::default(),
        };
        app.refilter();
        app.recompose();
        // A usual screen until the first frame says otherwise.
        app.view.areas = crate::tui::layout::areas(
            ratatui::layout::Rect::new(0, 0, 120, 40),
            Focus::Table,
            false,
            false,
            1,
        );
        app
    }

    /// Shows the last keys pressed in the footer (`--show-keys`).
    pub fn showing_keys(mut self) -> App {
        self.show_keys = true;
        self
    }

    /// Takes the screen as `ui` laid it out for this frame (see [`crate::tui::ui::sync_view`]):
    /// the panes for mouse clicks, the table's rows for paging, how far the composer and the
    /// help scroll.
    pub fn set_view(&mut self, view: View) {
        self.view = view;
        self.composer_scroll = self.composer_scroll.min(self.view.composer_max_scroll);
        self.help_scroll = self.help_scroll.min(self.view.help_max_scroll);
        self.keep_cursor_visible();
    }

    /// Whether the help is open (its scroll bound is laid out only then).
    pub fn help_open(&self) -> bool {
        self.overlay == Some(Overlay::Help)
    }

    /// The help's scroll bound as last laid out.
    pub fn help_max_scroll(&self) -> usize {
        self.view.help_max_scroll
    }

    // Read-only views of the model, for drawing and for tests.

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }
    pub fn lang(&self) -> Lang {
        self.lang
    }
    pub fn query(&self) -> &str {
        self.query.text()
    }
    /// Why the query cannot be read, in the explorer's language.
    pub fn query_error(&self) -> Option<String> {
        use crate::present::Worded;
        self.query_error.as_ref().map(|e| e.worded(self.lang))
    }
    /// The matches ranked so far, best first: at least every row shown and the highlighted one.
    pub fn hits(&self) -> &[Hit] {
        self.results.ranked()
    }

    /// How many operations match the query.
    pub fn match_count(&self) -> usize {
        self.results.len()
    }
    pub fn cursor(&self) -> usize {
        self.cursor
    }
    pub fn scroll(&self) -> usize {
        self.scroll
    }
    pub fn selected(&self) -> &[usize] {
        self.selected.as_slice()
    }
    pub fn focus(&self) -> Focus {
        self.focus
    }
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }
    pub fn composer_scroll(&self) -> usize {
        self.composer_scroll
    }
    pub fn last_keys(&self) -> Vec<&str> {
        self.last_keys.iter().map(String::as_str).collect()
    }
    pub fn loaded(&self) -> Option<&LoadedPolicy> {
        self.loaded.as_ref()
    }
    /// The status line, in the current language.
    pub fn status(&self) -> Option<String> {
        self.notice
            .as_ref()
            .map(|n| crate::present::notice(n, self.lang))
    }
    /// Which lines of the composer's text show, and how many there are: (first, last, total),
    /// 1-based, for the pane's position indicator.
    pub fn composer_position(&self) -> (usize, usize, usize) {
        let total = self.view.composer_lines;
        let first = (self.composer_scroll + 1).min(total);
        let last = (self.composer_scroll + self.view.composer_height).min(total);
        (first, last, total)
    }

    /// Rows the table shows.
    pub fn table_rows(&self) -> usize {
        self.view.areas.table_rows().max(1)
    }

    /// What the keyboard is talking to now.
    pub fn mode(&self) -> Mode {
        match (&self.overlay, self.focus) {
            (Some(Overlay::Help), _) => Mode::Help,
            (Some(Overlay::Prompt { .. }), _) => Mode::Prompt,
            (Some(Overlay::Open { .. }), _) => Mode::Open,
            (Some(Overlay::Confirm { .. }), _) => Mode::Confirm,
            (Some(Overlay::Replace { .. }), _) => Mode::Replace,
            (Some(Overlay::RoleName { .. }), _) => Mode::Name,
            (Some(Overlay::Calls { .. }), _) => Mode::Calls,
            (None, Focus::Table) => Mode::Table,
            (None, Focus::Search) => Mode::Search,
            (None, Focus::Composer) => Mode::Composer,
        }
    }

    /// The operation under the highlight.
    pub fn current(&self) -> Option<usize> {
        self.results.ranked().get(self.cursor).map(|h| h.index)
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
            ExportFormat::Terraform => {
                export::terraform(&self.catalog, &c.report.operations, policy, &self.role_name)
            }
        })
    }

    /// Reviews a policy document: marks every row, and starts the composer from the operations
    /// the policy fully allows (with the conditional actions it covers). `--policy` at start-up
    /// and [`Action::PolicyRead`] come here.
    pub fn load_policy(&mut self, source: &str, text: &str) {
        let review = explain(&self.catalog, text);
        if !review.evaluated {
            // Nothing to mark and nothing to start from: show why, keep the selection.
            self.notice = Some(Notice::CannotReview {
                source: source.to_string(),
                first: review.findings.first().map(|f| f.kind.clone()),
            });
            self.loaded = Some(LoadedPolicy {
                source: source.to_string(),
                review,
                before: BTreeMap::new(),
                text: text.to_string(),
            });
            self.changes.clear();
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
            .map(|a| (a.to_ascii_lowercase(), a))
            .collect();
        let count = |s: Status| review.count(s);
        self.notice = Some(Notice::Reviewed {
            source: source.to_string(),
            allowed: count(Status::Allowed),
            partial: count(Status::Partial),
            denied: count(Status::Denied),
            not_granted: count(Status::NotGranted),
            no_action: count(Status::NoActionNeeded),
            findings: review.findings.len(),
        });
        self.loaded = Some(LoadedPolicy {
            source: source.to_string(),
            review,
            before,
            text: text.to_string(),
        });
        self.recompose();
        self.simulation = None;
        self.simulate_current();
    }

    /// A key from the terminal (tests' shorthand for [`Action::Pressed`]).
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.update(Action::Pressed(key))
    }

    /// What a key means in a mode: its keymap command, or a typed character. Alt+key and
    /// Ctrl+key are never text (and mean nothing unless the keymap says so).
    fn action_for(mode: Mode, key: &KeyEvent) -> Option<Action> {
        if let Some(command) = keymap::lookup(mode, key) {
            return Some(Action::Key(command));
        }
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (key.code, plain) {
            (KeyCode::Char(c), true) => Some(Action::Type(c)),
            _ => None,
        }
    }

    /// Text pasted: line breaks and tabs become spaces (a multi-line paste is one query), other
    /// control characters are dropped.
    fn paste(&mut self, text: &str) {
        // Several lines where the search would take them: API calls, or a mistake, said;
        // never typed as one query whose results would be stale.
        // Terminals (and tmux) send a pasted line break as a carriage return.
        let text = &text.replace("\r\n", "\n").replace('\r', "\n");
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        if self.overlay.is_none() && self.focus != Focus::Composer && lines > 1 {
            self.paste_calls(text);
            return;
        }
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

    /// A pasted block of lines: if they are API calls (or a log of them), asks whether to
    /// select their operations; otherwise says they are not, the search unchanged.
    fn paste_calls(&mut self, text: &str) {
        use crate::calls::{CallsReason, Form, Location, NotACall, read_calls_in};
        // A paste is text: its entries are lines.
        let said = |n: &NotACall| match n.at {
            Location::Line(line) | Location::Entry(line) => (line, n.text.clone()),
        };
        let read = match read_calls_in("paste", text) {
            Ok(r) if r.form != Form::Plain || r.not_call_count == 0 => Ok(r),
            Ok(r) => Err(r.not_calls.first().map(said)),
            Err(e) => Err(match &e.reason {
                CallsReason::NoCalls { first, .. } => first.as_ref().map(said),
                _ => None,
            }),
        };
        let recording = match read {
            Ok(r) => r,
            Err(first) => {
                self.notice = Some(Notice::NotCalls { first });
                return;
            }
        };
        let index = crate::search::resolve::RouteIndex::new(&self.catalog);
        let matched = crate::calls::match_calls(&self.catalog, &index, &recording.calls, &[]);
        let operations = matched.operations();
        if operations.is_empty() {
            self.notice = Some(Notice::NoCallMatched {
                read: recording.read,
            });
            return;
        }
        self.overlay = Some(Overlay::Calls {
            operations,
            read: recording.read,
            distinct: recording.calls.len(),
            unmatched: matched.unmatched(),
        });
    }

    /// Selects recorded calls' operations (`--calls`, or pasted calls confirmed) and says how
    /// many calls were read and how many matched nothing.
    pub fn select_calls(
        &mut self,
        operations: &[usize],
        read: usize,
        distinct: usize,
        unmatched: usize,
        not_calls: usize,
    ) {
        for &i in operations {
            self.selected.insert(i);
        }
        self.recompose();
        self.notice = Some(if operations.is_empty() {
            Notice::NoCallMatched { read }
        } else {
            Notice::CallsSelected {
                read,
                distinct,
                unmatched,
                not_calls,
                selected: operations.len(),
            }
        });
    }

    /// The text field the keyboard types into now, and its limit.
    fn field(&mut self) -> Option<(&mut TextField, usize)> {
        match (&mut self.overlay, self.focus) {
            (Some(Overlay::Prompt { path }) | Some(Overlay::Open { path }), _) => {
                Some((path, MAX_PATH_CHARS))
            }
            (Some(Overlay::RoleName { name }), _) => Some((name, MAX_ROLE_NAME_CHARS)),
            (None, Focus::Search) => Some((&mut self.query, MAX_QUERY_CHARS)),
            _ => None,
        }
    }

    /// Moves or deletes in the field being typed in; the search runs again when it changed.
    fn edit_field(&mut self, command: Command) {
        let searching = self.overlay.is_none();
        let Some((field, _)) = self.field() else {
            return;
        };
        let before = field.text().to_string();
        match command {
            Command::CursorLeft => field.left(),
            Command::CursorRight => field.right(),
            Command::LineStart => field.home(),
            Command::LineEnd => field.end(),
            Command::DeleteToStart => field.delete_to_start(),
            Command::DeleteWord => field.delete_word(),
            Command::Backspace => field.backspace(),
            _ => {}
        }
        if searching && field.text() != before {
            self.refilter();
        }
    }

    /// `Tab` in a file prompt: completes the path as a shell does.
    fn complete(&mut self) {
        let Some((field, _)) = self.field() else {
            return;
        };
        let (completed, matches) = crate::tui::field::complete_path(field.text());
        field.set(&completed);
        if matches != 1 {
            self.notice = Some(Notice::Completions { count: matches });
        }
    }

    /// Text typed or pasted into the search line or the file prompt. Control and bidi characters
    /// are dropped: they have no place in either. Past the field's limit the rest is cut, and
    /// the status line says so.
    fn type_text(&mut self, text: &str) {
        // Zero-width characters too: in a one-line field they only misplace the cursor.
        let clean = text.chars().filter(|&c| {
            !crate::text::is_unsafe_char(c)
                && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
        });
        let Some((field, limit)) = self.field() else {
            return;
        };
        let cut = field.insert(clean, limit);
        if cut {
            self.notice = Some(Notice::TooLong { limit });
        }
        if self.overlay.is_none() {
            self.refilter();
        }
    }

    /// Takes one action: changes the model, and says what the loop must do outside it.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.take(action);
        self.simulate_current();
        effects
    }

    /// What `simulate` says of the highlighted operation under the reviewed policy, worked out
    /// when the highlight, the policy or the language changed (a fix is two reviews).
    fn simulate_current(&mut self) {
        let (Some(loaded), Some(i)) = (&self.loaded, self.current()) else {
            self.simulation = None;
            return;
        };
        if !loaded.review.evaluated {
            self.simulation = None;
            return;
        }
        if matches!(&self.simulation, Some((at, lang, _)) if *at == i && *lang == self.lang) {
            return;
        }
        use crate::policy::simulate::{Scope, Subject, Verdict, also_allows, fix, simulate};
        let subject = [Subject::Operation(i)];
        let statements = &loaded.review.statements;
        let Some(s) = simulate(&self.catalog, statements, &subject, Scope::Project, &[]).pop()
        else {
            return;
        };
        let denied = matches!(s.verdict, Verdict::ImplicitDeny | Verdict::ExplicitDeny);
        let fixed = denied.then(|| fix(&self.catalog, &loaded.text, std::slice::from_ref(&s)));
        let also = match &fixed {
            Some(Ok(f)) => {
                let after = crate::policy::review::explain(&self.catalog, &f.document.to_string());
                also_allows(&loaded.review, &after, &[i])
            }
            _ => Vec::new(),
        };
        let lines =
            crate::present::simulation_detail(&self.catalog, &s, fixed.as_ref(), &also, self.lang);
        self.simulation = Some((i, self.lang, lines));
    }

    /// The lines of [`App::simulate_current`] for the highlighted operation, if they are its.
    pub fn simulation(&self) -> Option<&[String]> {
        match (&self.simulation, self.current()) {
            (Some((at, lang, lines)), Some(i)) if *at == i && *lang == self.lang => Some(lines),
            _ => None,
        }
    }

    fn take(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Pressed(key) => {
                if self.show_keys {
                    self.last_keys.push_back(keymap::key_name(&key));
                    while self.last_keys.len() > 6 {
                        self.last_keys.pop_front();
                    }
                }
                if let Some(action) = Self::action_for(self.mode(), &key) {
                    return self.take(action);
                }
            }
            Action::Key(command) => return self.command(command),
            Action::Type(c) => self.type_text(c.encode_utf8(&mut [0; 4])),
            Action::Paste(text) => self.paste(&text),
            Action::ClickAt { column, row } => {
                if self.overlay.is_none()
                    && let Some(row) = self.view.areas.table_row_at(column, row)
                {
                    self.click_row(row);
                }
            }
            Action::ScrollAt { column, row, delta } => {
                let at = ratatui::layout::Position::new(column, row);
                if self.view.areas.composer.is_some_and(|r| r.contains(at)) {
                    self.scroll_composer(delta);
                } else {
                    self.scroll_by(delta);
                }
            }
            Action::Copied {
                outcome,
                actions,
                bytes,
            } => {
                self.notice = Some(Notice::Copied {
                    outcome,
                    actions,
                    bytes,
                })
            }
            Action::Wrote {
                path,
                bytes,
                through,
            } => {
                self.notice = Some(Notice::Wrote {
                    bytes,
                    path,
                    through,
                })
            }
            Action::WriteFailed { path, error } => {
                self.notice = Some(Notice::WriteFailed { path, error })
            }
            Action::FileExists { path, existing } => {
                self.overlay = Some(Overlay::Confirm { path, existing })
            }
            Action::PolicyRead { source, text } => {
                // Never throw a selection away unasked (a document that cannot be read keeps
                // it anyway).
                if self.selected.is_empty() || !explain(&self.catalog, &text).evaluated {
                    self.load_policy(&source, &text);
                } else {
                    self.overlay = Some(Overlay::Replace { source, text });
                }
            }
            Action::ReadFailed(message) => self.notice = Some(Notice::ReadFailed(message)),
        }
        Vec::new()
    }

    /// What a key asked for.
    fn command(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::Quit => return vec![Effect::Quit],
            Command::Suspend => return vec![Effect::Suspend],
            Command::FocusSearch => self.focus = Focus::Search,
            Command::LeaveSearch => self.focus = Focus::Table,
            Command::Escape => match self.overlay {
                Some(_) => self.overlay = None,
                None if self.focus == Focus::Search || !self.query.text().is_empty() => {
                    self.query.clear();
                    self.refilter();
                    self.focus = Focus::Table;
                }
                None => self.focus = Focus::Table,
            },
            Command::Up => self.move_by(-1),
            Command::Down => self.move_by(1),
            Command::PageUp | Command::PageDown if self.mode() == Mode::Composer => {
                // A page less one line, so nothing is ever skipped.
                let page = self.view.composer_height.saturating_sub(1).max(1) as isize;
                let delta = if command == Command::PageUp {
                    -page
                } else {
                    page
                };
                self.scroll_composer(delta);
            }
            Command::LineDown => self.scroll_composer(1),
            Command::LineUp => self.scroll_composer(-1),
            Command::Top if self.mode() == Mode::Composer => self.composer_scroll = 0,
            Command::Bottom if self.mode() == Mode::Composer => {
                self.composer_scroll = self.view.composer_max_scroll
            }
            Command::PageUp => self.move_by(-(self.table_rows() as isize)),
            Command::PageDown => self.move_by(self.table_rows() as isize),
            Command::Top => self.move_to(0),
            Command::Bottom => self.move_to(self.results.len().saturating_sub(1)),
            Command::ToggleSelect => match self.focus {
                Focus::Composer => self.toggle_conditional(),
                _ => {
                    if let Some(i) = self.current() {
                        self.selected.toggle(i);
                        self.recompose();
                    }
                }
            },
            Command::SelectAllShown => {
                self.rank_to(usize::MAX);
                for h in self.results.ranked() {
                    self.selected.insert(h.index);
                }
                self.recompose();
            }
            Command::ClearSelection => {
                self.selected.clear();
                self.with.clear();
                self.dependencies_of.clear();
                self.recompose();
            }
            Command::SwitchFocus => {
                self.focus = match self.focus {
                    Focus::Composer => Focus::Table,
                    _ => Focus::Composer,
                }
            }
            Command::Copy => return self.copy(),
            Command::OpenPolicy => {
                self.overlay = Some(Overlay::Open {
                    path: TextField::default(),
                });
            }
            Command::ToggleExport => {
                self.export = match self.export {
                    ExportFormat::Json => ExportFormat::Terraform,
                    ExportFormat::Terraform => ExportFormat::Json,
                };
                self.notice = Some(Notice::ExportIs(self.export));
            }
            Command::Write => {
                if self.policy_json().is_some() {
                    self.overlay = Some(Overlay::Prompt {
                        path: TextField::proposed(self.export.default_file()),
                    });
                } else {
                    self.notice = Some(self.no_policy_notice());
                }
            }
            Command::ToggleLang => self.lang = self.lang.other(),
            Command::Help => {
                self.help_scroll = 0;
                self.overlay = Some(Overlay::Help);
            }
            Command::Backspace
            | Command::CursorLeft
            | Command::CursorRight
            | Command::LineStart
            | Command::LineEnd
            | Command::DeleteToStart
            | Command::DeleteWord => self.edit_field(command),
            Command::Complete => self.complete(),
            Command::Submit => return self.submit(),
            Command::ConfirmYes => match self.overlay.take() {
                Some(Overlay::Confirm { path, .. }) => return self.write(path, true),
                Some(Overlay::Calls {
                    operations,
                    read,
                    distinct,
                    unmatched,
                }) => self.select_calls(&operations, read, distinct, unmatched, 0),
                Some(Overlay::Replace { source, text }) => self.load_policy(&source, &text),
                other => self.overlay = other,
            },
            Command::ConfirmNo => match self.overlay.take() {
                Some(Overlay::Calls { .. }) => self.notice = Some(Notice::CallsNotSelected),
                Some(Overlay::Replace { source, text }) => {
                    let selected = std::mem::take(&mut self.selected);
                    let with = std::mem::take(&mut self.with);
                    self.load_policy(&source, &text);
                    self.selected = selected;
                    self.with = with;
                    self.recompose();
                }
                _ => self.notice = Some(Notice::NotWritten),
            },
            Command::RoleName => {
                self.overlay = Some(Overlay::RoleName {
                    name: TextField::proposed(&self.role_name),
                });
            }
        }
        Vec::new()
    }

    /// Enter in a prompt: the role name taken, the policy file opened, the file written.
    fn submit(&mut self) -> Vec<Effect> {
        match self.overlay.take() {
            Some(Overlay::RoleName { name }) => {
                let name = name.text().trim().to_string();
                if !name.is_empty() {
                    self.role_name = name.clone();
                    self.notice = Some(Notice::RoleNamed { name });
                }
                Vec::new()
            }
            Some(Overlay::Open { path }) if !path.text().trim().is_empty() => {
                let path = path.text().trim().to_string();
                vec![Effect::OpenPolicy { path }]
            }
            Some(Overlay::Prompt { path }) if !path.text().trim().is_empty() => {
                self.write(path.text().trim().to_string(), false)
            }
            // An empty path, or no prompt: nothing happens.
            other => {
                self.overlay = other;
                Vec::new()
            }
        }
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
                self.notice = Some(self.no_policy_notice());
                Vec::new()
            }
        }
    }

    fn no_policy_notice(&self) -> Notice {
        match &self.compose_failure {
            _ if self.selected.is_empty() => Notice::NothingSelected,
            Some(why) => Notice::NotComposed(why.clone()),
            None => Notice::NoPolicy,
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
            // Never past the help's last line at the bottom of its box.
            self.help_scroll = ((self.help_scroll as isize + delta).max(0) as usize)
                .min(self.view.help_max_scroll);
            return;
        }
        let target = (self.cursor as isize + delta).max(0) as usize;
        self.move_to(target);
    }

    fn move_to(&mut self, row: usize) {
        self.cursor = row.min(self.results.len().saturating_sub(1));
        self.keep_cursor_visible();
    }

    /// Ranks the matches as far as the table shows them and the highlight reaches (a few skim
    /// calls per row: the search ranked only the first screenful).
    fn rank_shown(&mut self) {
        self.rank_to((self.scroll + self.table_rows()).max(self.cursor + 1));
    }

    fn rank_to(&mut self, upto: usize) {
        if self.results.ranked().len() < upto.min(self.results.len()) {
            let results = Arc::make_mut(&mut self.results);
            self.index.rank(results, upto);
        }
    }

    fn keep_cursor_visible(&mut self) {
        let rows = self.table_rows();
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + rows {
            self.scroll = self.cursor + 1 - rows;
        }
        let max_scroll = self.results.len().saturating_sub(rows);
        self.scroll = self.scroll.min(max_scroll);
        self.rank_shown();
    }

    /// A click on the table's `row`-th visible row.
    fn click_row(&mut self, row: usize) {
        let target = self.scroll + row;
        if target < self.results.len() {
            self.focus = Focus::Table;
            self.cursor = target;
            self.rank_shown();
        }
    }

    /// The mouse wheel: scroll the table, keeping the highlight on screen.
    fn scroll_by(&mut self, delta: isize) {
        let max_scroll = self.results.len().saturating_sub(self.table_rows());
        self.scroll = ((self.scroll as isize + delta).max(0) as usize).min(max_scroll);
        let rows = self.table_rows();
        if self.cursor < self.scroll {
            self.cursor = self.scroll;
        } else if self.cursor >= self.scroll + rows {
            self.cursor = self.scroll + rows - 1;
        }
        self.rank_shown();
    }

    /// Scrolls the composer pane (keys or the wheel), never past its text.
    fn scroll_composer(&mut self, delta: isize) {
        let max = self.view.composer_max_scroll;
        self.composer_scroll = ((self.composer_scroll as isize + delta).max(0) as usize).min(max);
    }
}
