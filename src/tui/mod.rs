//! The interactive explorer: a thin shell around [`app::App`]. It owns the terminal (drawn on
//! `/dev/tty`, so stdout stays free for `--print`), reads events, and carries out effects.

pub mod app;
pub mod clipboard;
pub mod field;
pub mod keymap;
pub mod layout;
mod signals;
pub mod ui;

use std::fs::File;
use std::io::{self, Write};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::layout::Rect;

use crate::catalog::Catalog;
use crate::io::input::{ReadOptions, Source, read_text};
use crate::io::output::WriteError;
use crate::lang::Lang;
use crate::present::Worded;
use app::{Action, App, Effect};
use clipboard::{Clipboard, ClipboardMode};
use ui::Theme;

/// How the explorer was asked to start.
/// Recorded calls, read and matched before the explorer starts.
#[derive(Debug, Clone, Default)]
pub struct SelectedCalls {
    pub operations: Vec<usize>,
    pub read: usize,
    pub distinct: usize,
    pub unmatched: usize,
    /// Entries of the file that are not calls.
    pub not_calls: usize,
}

pub struct Options {
    pub lang: Lang,
    pub clipboard: ClipboardMode,
    pub show_keys: bool,
    pub no_color: bool,
    /// A policy to review from the start: (its name, its text).
    pub policy: Option<(String, String)>,
    /// Recorded calls to select the operations of from the start (`--calls`).
    pub calls: Option<SelectedCalls>,
    /// Quit once the first frame is drawn (to time start-up).
    pub exit_after_first_frame: bool,
    /// Panic once the first frame is drawn (to test that the terminal is restored).
    pub panic_after_first_frame: bool,
}

/// Puts the terminal back as it was: raw mode off, main screen, no mouse capture or bracketed
/// paste. Safe to call twice.
pub(crate) fn restore(tty: &mut File) {
    let _ = disable_raw_mode();
    let _ = execute!(
        tty,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen
    );
    let _ = execute!(tty, ratatui::crossterm::cursor::Show);
}

/// Why the explorer stopped: no terminal to draw on, or the terminal failed.
#[derive(Debug)]
pub enum RunError {
    /// `/dev/tty` cannot be opened.
    NoTerminal(io::Error),
    Io(io::Error),
}

impl From<io::Error> for RunError {
    fn from(e: io::Error) -> Self {
        RunError::Io(e)
    }
}

/// Switches the terminal to the explorer's modes: raw, alternate screen, mouse, paste.
fn enter(tty: &mut File) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        tty,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// Runs the explorer until the user quits; returns the policy composed at that moment.
pub fn run(catalog: Catalog, options: Options) -> Result<Option<String>, RunError> {
    let mut tty = File::options()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(RunError::NoTerminal)?;
    // A panic must not leave the terminal raw: restore first, then report.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut tty) = File::options().write(true).open("/dev/tty") {
            restore(&mut tty);
        }
        previous(info);
    }));
    let signals = signals::Signals::register()?;
    if let Err(e) = enter(&mut tty) {
        restore(&mut tty);
        return Err(e.into());
    }
    let result = event_loop(catalog, &options, tty.try_clone()?, &signals);
    restore(&mut tty);
    Ok(result?)
}

fn event_loop(
    catalog: Catalog,
    options: &Options,
    tty: File,
    signals: &signals::Signals,
) -> io::Result<Option<String>> {
    // Buffered: a frame is one write, not one per cursor move and colour change (unbuffered,
    // a full redraw at 160x45 was thousands of writes and took 5-20 ms in tmux).
    let mut terminal = Terminal::new(CrosstermBackend::new(io::BufWriter::with_capacity(
        1 << 16,
        tty.try_clone()?,
    )))?;
    let mut control_tty = tty.try_clone()?;
    let mut osc_out = tty;
    let mut app = App::new(catalog, options.lang);
    if options.show_keys {
        app = app.showing_keys();
    }
    if let Some((source, text)) = &options.policy {
        app.load_policy(source, text);
    }
    if let Some(calls) = &options.calls {
        app.select_calls(
            &calls.operations,
            calls.read,
            calls.distinct,
            calls.unmatched,
            calls.not_calls,
        );
    }
    let theme = Theme {
        color: !options.no_color,
    };
    let mut clipboard = Clipboard::new(options.clipboard);
    loop {
        let size = terminal.size()?;
        ui::sync_view(&mut app, Rect::new(0, 0, size.width, size.height));
        terminal.draw(|frame| ui::render(&app, theme, frame))?;
        if options.exit_after_first_frame {
            return Ok(None);
        }
        if options.panic_after_first_frame {
            panic!("IMS_PERMS_AFTER_FIRST_FRAME=panic: a test of the panic hook");
        }
        // Wake up now and then: to show a background search's results (every 2 ms while one
        // runs: crossterm cannot be woken by another thread, and the results are what the
        // user waits for), and to answer signals (SIGTERM, SIGTSTP...), which the handlers only
        // note.
        let tick = if app.searching() { 2 } else { 50 };
        let event = if event::poll(std::time::Duration::from_millis(tick))? {
            Some(event::read()?)
        } else {
            None
        };
        match signals.take() {
            Some(signals::Pending::Terminate(signal)) => {
                restore(&mut control_tty);
                signals::die_of(signal);
            }
            Some(signals::Pending::Suspend) => {
                suspend(&mut control_tty, &mut terminal)?;
                signals.forget_continue();
            }
            Some(signals::Pending::Continued) => {
                // Stopped and continued by someone else (SIGSTOP): the shell may have reset
                // the terminal meanwhile.
                // crossterm keeps raw mode as "already on" and would do nothing: switch the
                // modes off, then on again.
                restore(&mut control_tty);
                enter(&mut control_tty)?;
                redraw_all(&mut terminal)?;
            }
            None => {}
        }
        app.poll_search();
        let Some(action) = event.and_then(translate) else {
            continue;
        };
        let mut pending = vec![action];
        // An effect's result is fed back as an action, which may ask for more.
        while let Some(action) = pending.pop() {
            for effect in app.update(action) {
                match effect {
                    Effect::Quit => {
                        clipboard.hand_over();
                        return Ok(app.policy_json());
                    }
                    Effect::Suspend => {
                        suspend(&mut control_tty, &mut terminal)?;
                        signals.forget_continue();
                    }
                    other => {
                        pending.extend(carry_out(other, &mut clipboard, &mut osc_out, app.lang()))
                    }
                }
            }
        }
        let _ = osc_out.flush();
    }
}

/// A terminal event as the model's action (`None`: nothing for the model).
fn translate(event: Event) -> Option<Action> {
    match event {
        // The model decides what a key means in its mode (and records it for --show-keys).
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Action::Pressed(key)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::ClickAt {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => Some(Action::ScrollAt {
                column: m.column,
                row: m.row,
                delta: if m.kind == MouseEventKind::ScrollUp {
                    -3
                } else {
                    3
                },
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Carries out an effect outside the model; its result, as an action for the model.
/// Carries out an effect; what went wrong comes back worded in the explorer's language.
fn carry_out(
    effect: Effect,
    clipboard: &mut Clipboard,
    osc_out: &mut File,
    lang: Lang,
) -> Option<Action> {
    match effect {
        Effect::Copy { text, actions } => Some(Action::Copied {
            outcome: clipboard.copy(&text, osc_out),
            actions,
            bytes: text.len(),
        }),
        Effect::OpenPolicy { path } => {
            let source = Source::File(field::expand_home(&path));
            let strict = ReadOptions {
                regular_only: true,
                ..ReadOptions::default()
            };
            Some(match read_text(&source, strict) {
                Ok(text) => Action::PolicyRead {
                    source: source.shown(),
                    text,
                },
                Err(e) => Action::ReadFailed(e.worded(lang)),
            })
        }
        Effect::Write {
            path,
            text,
            overwrite,
        } => {
            let target = field::expand_home(&path);
            let shown = crate::io::input::shown_path(&target);
            Some(
                match crate::io::output::write_file(&target, &text, overwrite) {
                    Ok(()) => {
                        let (written, link) = crate::io::output::written_through(&target);
                        Action::Wrote {
                            path: crate::io::input::shown_path(&written),
                            bytes: text.len(),
                            through: link.map(|_| shown),
                        }
                    }
                    Err(WriteError::Exists) => Action::FileExists {
                        existing: crate::io::output::existing(&target).unwrap_or_default(),
                        path,
                    },
                    Err(e) => Action::WriteFailed {
                        path: shown,
                        error: e.worded(lang),
                    },
                },
            )
        }
        Effect::Quit | Effect::Suspend => None,
    }
}

/// The explorer's terminal.
type Screen = Terminal<CrosstermBackend<io::BufWriter<File>>>;

/// Stops the explorer as Ctrl-Z stops a shell job: the terminal is given back first, and taken
/// again (and the screen redrawn) when the job is continued.
fn suspend(tty: &mut File, terminal: &mut Screen) -> io::Result<()> {
    restore(tty);
    signals::stop();
    enter(tty)?;
    redraw_all(terminal)
}

/// Clears the screen and forgets what was drawn, so the next frame is drawn whole. Unlike
/// `Terminal::clear`, this never asks the terminal where its cursor is: after a stop and `fg`
/// the answer can go to the shell instead, and the explorer would wait for it and fail.
fn redraw_all(terminal: &mut Screen) -> io::Result<()> {
    let size = terminal.size()?;
    terminal.resize(Rect::new(0, 0, size.width, size.height))
}
