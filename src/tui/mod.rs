//! The interactive explorer: a thin shell around [`app::App`]. It owns the terminal (drawn on
//! `/dev/tty`, so stdout stays free for `--print`), reads events, and carries out effects.

pub mod app;
pub mod clipboard;
pub mod keymap;
pub mod ui;

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

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
use crate::lang::Lang;
use app::{App, Effect};
use clipboard::{Clipboard, ClipboardMode};
use ui::Theme;

/// How the explorer was asked to start.
pub struct Options {
    pub lang: Lang,
    pub clipboard: ClipboardMode,
    pub show_keys: bool,
    pub no_color: bool,
    /// A policy to review from the start: (its name, its text).
    pub policy: Option<(String, String)>,
    /// Quit once the first frame is drawn (to time start-up).
    pub exit_after_first_frame: bool,
    /// Panic once the first frame is drawn (to test that the terminal is restored).
    pub panic_after_first_frame: bool,
}

/// Puts the terminal back as it was: raw mode off, main screen, no mouse capture or bracketed
/// paste. Safe to call twice.
fn restore(tty: &mut File) {
    let _ = disable_raw_mode();
    let _ = execute!(
        tty,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen
    );
    let _ = execute!(tty, ratatui::crossterm::cursor::Show);
}

/// Runs the explorer until the user quits; returns the policy composed at that moment.
pub fn run(catalog: Catalog, options: Options) -> io::Result<Option<String>> {
    let mut tty = File::options().read(true).write(true).open("/dev/tty")?;
    // A panic must not leave the terminal raw: restore first, then report.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut tty) = File::options().write(true).open("/dev/tty") {
            restore(&mut tty);
        }
        previous(info);
    }));
    enable_raw_mode()?;
    let started = execute!(
        tty,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    );
    if let Err(e) = started {
        restore(&mut tty);
        return Err(e);
    }
    let result = event_loop(catalog, &options, tty.try_clone()?);
    restore(&mut tty);
    result
}

fn event_loop(catalog: Catalog, options: &Options, tty: File) -> io::Result<Option<String>> {
    let mut terminal = Terminal::new(CrosstermBackend::new(tty.try_clone()?))?;
    let mut osc_out = tty;
    let mut app = App::new(catalog, options.lang);
    if let Some((source, text)) = &options.policy {
        app.load_policy(source, text);
    }
    app.show_keys = options.show_keys;
    let theme = Theme {
        color: !options.no_color,
    };
    let mut clipboard = Clipboard::new(options.clipboard);
    loop {
        let size = terminal.size()?;
        let areas = ui::areas(
            Rect::new(0, 0, size.width, size.height),
            app.focus,
            app.loaded.is_some(),
        );
        app.set_table_rows(areas.table_rows());
        terminal.draw(|frame| ui::render(&app, theme, frame))?;
        if options.exit_after_first_frame {
            return Ok(None);
        }
        if options.panic_after_first_frame {
            panic!("--panic-after-first-frame: a test of the panic hook");
        }
        // While a background search runs, wake up now and then to show its results.
        let event = if app.searching() {
            if event::poll(std::time::Duration::from_millis(15))? {
                Some(event::read()?)
            } else {
                None
            }
        } else {
            Some(event::read()?)
        };
        app.poll_search();
        let Some(event) = event else {
            continue;
        };
        let effects = match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => app.handle_key(key),
            Event::Paste(text) => {
                app.type_text(&text);
                Vec::new()
            }
            Event::Mouse(m) => {
                match m.kind {
                    MouseEventKind::Down(MouseButton::Left) => {
                        if let Some(row) = areas.table_row_at(m.column, m.row)
                            && app.overlay.is_none()
                        {
                            app.click_row(row);
                        }
                    }
                    MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                        let delta = if m.kind == MouseEventKind::ScrollUp {
                            -3
                        } else {
                            3
                        };
                        let at = ratatui::layout::Position::new(m.column, m.row);
                        if areas.composer.is_some_and(|r| r.contains(at)) {
                            app.scroll_composer(delta);
                        } else {
                            app.scroll_by(delta);
                        }
                    }
                    _ => {}
                }
                Vec::new()
            }
            _ => Vec::new(),
        };
        for effect in effects {
            match effect {
                Effect::Quit => {
                    clipboard.hand_over();
                    return Ok(app.policy_json());
                }
                Effect::Copy { text, actions } => {
                    app.status = Some(clipboard.copy(&text, actions, &mut osc_out, app.lang));
                }
                Effect::OpenPolicy { path } => match std::fs::read_to_string(&path) {
                    Ok(text) => app.load_policy(&crate::text::escape_controls(&path), &text),
                    Err(e) => {
                        app.status = Some(format!("{}: {e}", crate::text::escape_controls(&path)))
                    }
                },
                Effect::Write {
                    path,
                    text,
                    overwrite,
                } => {
                    if Path::new(&path).exists() && !overwrite {
                        app.ask_overwrite(path);
                    } else {
                        app.status =
                            Some(match crate::output::write_atomic(Path::new(&path), &text) {
                                Ok(()) => match app.lang {
                                    Lang::En => format!("Wrote {} bytes to {path}", text.len()),
                                    Lang::Zh => format!("已写入 {} 字节到 {path}", text.len()),
                                },
                                Err(e) => format!("{path}: {e}"),
                            });
                    }
                }
            }
        }
        let _ = osc_out.flush();
    }
}
