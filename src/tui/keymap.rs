//! The one keymap table: it drives dispatch, the footer, the help overlay and the README's key
//! table, so the keys shown are always the keys that work. Labels are made from each binding's
//! keys (as gitui's `get_hint` does), never written by hand.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::lang::Lang;
use crate::present::{self, Hint, Label};

/// What the keyboard is talking to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The operations table.
    Table,
    /// Typing in the search line.
    Search,
    /// The composer pane (conditional toggles).
    Composer,
    /// The help overlay.
    Help,
    /// Typing a file name to write the policy to.
    Prompt,
    /// Typing the name of a policy file to review.
    Open,
    /// Asking before overwriting a file.
    Confirm,
    /// Asking before replacing the selection with what an opened policy allows.
    Replace,
    /// Typing the Terraform role's name.
    Name,
    /// Asking before selecting the operations of pasted API calls.
    Calls,
}

impl Mode {
    pub const ALL: [Mode; 10] = [
        Mode::Table,
        Mode::Search,
        Mode::Composer,
        Mode::Help,
        Mode::Prompt,
        Mode::Open,
        Mode::Confirm,
        Mode::Replace,
        Mode::Name,
        Mode::Calls,
    ];

    pub fn name(self, lang: Lang) -> &'static str {
        present::label(
            match self {
                Mode::Table => Label::ModeTable,
                Mode::Search => Label::ModeSearch,
                Mode::Composer => Label::ModeComposer,
                Mode::Help => Label::ModeHelp,
                Mode::Prompt => Label::ModePrompt,
                Mode::Open => Label::ModeOpen,
                Mode::Confirm => Label::ModeConfirm,
                Mode::Replace => Label::ModeReplace,
                Mode::Name => Label::ModeName,
                Mode::Calls => Label::ModeCalls,
            },
            lang,
        )
    }
}

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    Suspend,
    FocusSearch,
    LeaveSearch,
    Escape,
    Up,
    Down,
    PageUp,
    PageDown,
    /// Scroll the composer's text by a line.
    LineDown,
    LineUp,
    Top,
    Bottom,
    ToggleSelect,
    SelectAllShown,
    ClearSelection,
    SwitchFocus,
    Copy,
    Write,
    ToggleLang,
    ToggleExport,
    OpenPolicy,
    Help,
    Backspace,
    Submit,
    ConfirmYes,
    ConfirmNo,
    /// Name the Terraform role.
    RoleName,
    // Editing the line being typed (search, prompts).
    CursorLeft,
    CursorRight,
    LineStart,
    LineEnd,
    DeleteToStart,
    DeleteWord,
    /// `Tab` in a file prompt.
    Complete,
}

/// A key as the table writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    /// No binding uses Alt: Alt+q must not quit as q does (terminals send Alt as a prefix).
    pub alt: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
        alt: false,
    }
}
const fn code(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: false,
        alt: false,
    }
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
        alt: false,
    }
}

impl Key {
    /// The key as people write it: `j`, `↓`, `PgDn`, `Space`, `Ctrl-C`.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// One binding: where it works, its keys, what it does, and how help and the footer say it.
pub struct Binding {
    pub modes: &'static [Mode],
    pub keys: &'static [Key],
    pub command: Command,
    /// What help says it does.
    pub hint: Hint,
    /// What the footer says, when it is shown there; bindings of one mode with the same footer
    /// hint share one entry (`j/↓/k/↑ move`).
    pub footer: Option<Hint>,
}

impl Binding {
    /// The binding's keys as shown: `j/↓`.
    pub fn label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join("/")
    }

    pub fn describe(&self, lang: Lang) -> &'static str {
        present::hint(self.hint, lang)
    }
}

use Mode::*;

const BROWSE: &[Mode] = &[Table, Composer];
const ALL_BUT_TEXT: &[Mode] = &[Table, Composer, Help];
const PROMPTS: &[Mode] = &[Prompt, Open, Name];
const TEXT: &[Mode] = &[Search, Prompt, Open, Name];
const EVERYWHERE: &[Mode] = &[
    Table, Composer, Search, Help, Prompt, Open, Confirm, Replace, Name, Calls,
];

const fn bind(
    modes: &'static [Mode],
    keys: &'static [Key],
    command: Command,
    hint: Hint,
    footer: Option<Hint>,
) -> Binding {
    Binding {
        modes,
        keys,
        command,
        hint,
        footer,
    }
}

pub const KEYMAP: &[Binding] = &[
    bind(
        BROWSE,
        &[k('/')],
        Command::FocusSearch,
        Hint::Search,
        Some(Hint::Search),
    ),
    bind(
        &[Search],
        &[code(KeyCode::Enter)],
        Command::LeaveSearch,
        Hint::BackToTable,
        Some(Hint::BackToTable),
    ),
    bind(
        &[Search],
        &[code(KeyCode::Esc)],
        Command::Escape,
        Hint::ClearSearch,
        Some(Hint::ClearSearch),
    ),
    bind(
        &[Search],
        &[code(KeyCode::Backspace)],
        Command::Backspace,
        Hint::DeleteChar,
        None,
    ),
    bind(
        &[Search],
        &[code(KeyCode::Down), ctrl('n')],
        Command::Down,
        Hint::MoveDown,
        None,
    ),
    bind(
        &[Search],
        &[code(KeyCode::Up), ctrl('p')],
        Command::Up,
        Hint::MoveUp,
        None,
    ),
    bind(
        BROWSE,
        &[k('j'), code(KeyCode::Down)],
        Command::Down,
        Hint::MoveDown,
        Some(Hint::Move),
    ),
    bind(
        BROWSE,
        &[k('k'), code(KeyCode::Up)],
        Command::Up,
        Hint::MoveUp,
        Some(Hint::Move),
    ),
    bind(
        &[Table, Search, Help],
        &[code(KeyCode::PageDown)],
        Command::PageDown,
        Hint::PageDown,
        None,
    ),
    bind(
        &[Table, Search, Help],
        &[code(KeyCode::PageUp)],
        Command::PageUp,
        Hint::PageUp,
        None,
    ),
    bind(
        &[Composer],
        &[code(KeyCode::PageDown)],
        Command::PageDown,
        Hint::ScrollReport,
        Some(Hint::ScrollReport),
    ),
    bind(
        &[Composer],
        &[code(KeyCode::PageUp)],
        Command::PageUp,
        Hint::ScrollBack,
        Some(Hint::ScrollReport),
    ),
    bind(
        &[Composer],
        &[k('J')],
        Command::LineDown,
        Hint::LineDown,
        None,
    ),
    bind(&[Composer], &[k('K')], Command::LineUp, Hint::LineUp, None),
    bind(
        &[Composer],
        &[code(KeyCode::Home)],
        Command::Top,
        Hint::TextTop,
        None,
    ),
    bind(
        &[Composer],
        &[code(KeyCode::End)],
        Command::Bottom,
        Hint::TextEnd,
        None,
    ),
    bind(
        &[Table],
        &[k('g'), code(KeyCode::Home)],
        Command::Top,
        Hint::FirstRow,
        None,
    ),
    bind(
        &[Table],
        &[k('G'), code(KeyCode::End)],
        Command::Bottom,
        Hint::LastRow,
        None,
    ),
    bind(
        &[Table],
        &[k(' ')],
        Command::ToggleSelect,
        Hint::Select,
        Some(Hint::Select),
    ),
    bind(
        &[Composer],
        &[k(' '), code(KeyCode::Enter)],
        Command::ToggleSelect,
        Hint::ToggleConditional,
        Some(Hint::ToggleConditional),
    ),
    bind(
        &[Table],
        &[k('a')],
        Command::SelectAllShown,
        Hint::SelectAll,
        None,
    ),
    bind(
        BROWSE,
        &[k('x')],
        Command::ClearSelection,
        Hint::ClearSelection,
        None,
    ),
    bind(
        BROWSE,
        &[code(KeyCode::Tab), code(KeyCode::BackTab)],
        Command::SwitchFocus,
        Hint::SwitchPane,
        Some(Hint::SwitchPane),
    ),
    bind(
        BROWSE,
        &[k('y')],
        Command::Copy,
        Hint::Copy,
        Some(Hint::Copy),
    ),
    bind(
        BROWSE,
        &[k('w')],
        Command::Write,
        Hint::Write,
        Some(Hint::Write),
    ),
    bind(
        BROWSE,
        &[k('t')],
        Command::ToggleExport,
        Hint::ExportFormat,
        None,
    ),
    bind(BROWSE, &[k('o')], Command::OpenPolicy, Hint::Open, None),
    bind(
        BROWSE,
        &[k('L')],
        Command::ToggleLang,
        Hint::Language,
        Some(Hint::Language),
    ),
    bind(
        ALL_BUT_TEXT,
        &[k('?')],
        Command::Help,
        Hint::Help,
        Some(Hint::Help),
    ),
    bind(
        &[Table, Composer, Help],
        &[code(KeyCode::Esc)],
        Command::Escape,
        Hint::ClearOrClose,
        None,
    ),
    bind(
        &[Help],
        &[k('q')],
        Command::Escape,
        Hint::CloseHelp,
        Some(Hint::CloseHelp),
    ),
    bind(
        &[Prompt],
        &[code(KeyCode::Enter)],
        Command::Submit,
        Hint::WriteFile,
        Some(Hint::WriteFile),
    ),
    bind(
        &[Open],
        &[code(KeyCode::Enter)],
        Command::Submit,
        Hint::OpenFile,
        Some(Hint::OpenFile),
    ),
    bind(
        PROMPTS,
        &[code(KeyCode::Backspace)],
        Command::Backspace,
        Hint::DeleteChar,
        None,
    ),
    bind(
        &[Prompt, Open, Confirm, Replace, Name, Calls],
        &[code(KeyCode::Esc)],
        Command::Escape,
        Hint::Cancel,
        Some(Hint::Cancel),
    ),
    bind(
        &[Confirm],
        &[k('y'), k('Y')],
        Command::ConfirmYes,
        Hint::OverwriteYes,
        Some(Hint::OverwriteYes),
    ),
    bind(
        &[Confirm],
        &[k('n'), k('N')],
        Command::ConfirmNo,
        Hint::KeepFile,
        Some(Hint::KeepFile),
    ),
    bind(
        &[Replace],
        &[k('y'), k('Y')],
        Command::ConfirmYes,
        Hint::ReplaceSelection,
        Some(Hint::ReplaceSelection),
    ),
    bind(
        &[Replace],
        &[k('n'), k('N')],
        Command::ConfirmNo,
        Hint::KeepSelection,
        Some(Hint::KeepSelection),
    ),
    bind(
        &[Calls],
        &[k('y'), k('Y')],
        Command::ConfirmYes,
        Hint::SelectCalls,
        Some(Hint::SelectCalls),
    ),
    bind(
        &[Calls],
        &[k('n'), k('N')],
        Command::ConfirmNo,
        Hint::DoNotSelect,
        Some(Hint::DoNotSelect),
    ),
    bind(
        &[Name],
        &[code(KeyCode::Enter)],
        Command::Submit,
        Hint::SetName,
        Some(Hint::SetName),
    ),
    bind(BROWSE, &[k('n')], Command::RoleName, Hint::RoleName, None),
    bind(
        &[Help],
        &[k('j'), code(KeyCode::Down)],
        Command::Down,
        Hint::MoveDown,
        None,
    ),
    bind(
        &[Help],
        &[k('k'), code(KeyCode::Up)],
        Command::Up,
        Hint::MoveUp,
        None,
    ),
    bind(
        TEXT,
        &[code(KeyCode::Left)],
        Command::CursorLeft,
        Hint::CursorLeft,
        None,
    ),
    bind(
        TEXT,
        &[code(KeyCode::Right)],
        Command::CursorRight,
        Hint::CursorRight,
        None,
    ),
    bind(
        TEXT,
        &[code(KeyCode::Home), ctrl('a')],
        Command::LineStart,
        Hint::LineStart,
        None,
    ),
    bind(
        TEXT,
        &[code(KeyCode::End), ctrl('e')],
        Command::LineEnd,
        Hint::LineEnd,
        None,
    ),
    bind(
        TEXT,
        &[ctrl('u')],
        Command::DeleteToStart,
        Hint::DeleteToStart,
        None,
    ),
    bind(
        TEXT,
        &[ctrl('w')],
        Command::DeleteWord,
        Hint::DeleteWord,
        None,
    ),
    bind(
        &[Prompt, Open],
        &[code(KeyCode::Tab)],
        Command::Complete,
        Hint::Complete,
        Some(Hint::Complete),
    ),
    bind(
        BROWSE,
        &[k('q')],
        Command::Quit,
        Hint::Quit,
        Some(Hint::Quit),
    ),
    bind(
        EVERYWHERE,
        &[ctrl('z')],
        Command::Suspend,
        Hint::Suspend,
        None,
    ),
    bind(EVERYWHERE, &[ctrl('c')], Command::Quit, Hint::Quit, None),
];

fn key_of(event: &KeyEvent) -> Key {
    // Shifted letters arrive as upper-case chars; SHIFT itself is not part of a binding.
    Key {
        code: event.code,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        alt: event.modifiers.contains(KeyModifiers::ALT),
    }
}

/// The command a key means in a mode, if any.
pub fn lookup(mode: Mode, event: &KeyEvent) -> Option<Command> {
    let key = key_of(event);
    KEYMAP
        .iter()
        .find(|b| b.modes.contains(&mode) && b.keys.contains(&key))
        .map(|b| b.command)
}

/// One entry of the footer: the keys of every binding of the mode that shares the hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FooterEntry {
    pub keys: String,
    pub hint: Hint,
    pub command: Command,
}

/// The footer's entries for a mode, in table order.
pub fn footer(mode: Mode) -> Vec<FooterEntry> {
    let mut out: Vec<FooterEntry> = Vec::new();
    for b in KEYMAP.iter().filter(|b| b.modes.contains(&mode)) {
        let Some(hint) = b.footer else { continue };
        match out.iter_mut().find(|e| e.hint == hint) {
            Some(e) => {
                e.keys.push('/');
                e.keys.push_str(&b.label());
            }
            None => out.push(FooterEntry {
                keys: b.label(),
                hint,
                command: b.command,
            }),
        }
    }
    out
}

/// A key as text, for `--show-keys`.
pub fn key_name(event: &KeyEvent) -> String {
    let key = key_of(event);
    match key.code {
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
        _ if key.ctrl => format!("C-{}", Key { ctrl: false, ..key }.label()),
        _ => key.label(),
    }
}

/// The keymap as the README's Markdown table (English), so a test can check the README says
/// what the keys do.
pub fn markdown_table() -> String {
    let mut out = String::from("| keys | where | does |\n|---|---|---|\n");
    for b in KEYMAP {
        let keys: Vec<String> = b.keys.iter().map(|k| format!("`{}`", k.label())).collect();
        let modes: Vec<&str> = b.modes.iter().map(|m| m.name(Lang::En)).collect();
        let modes = if b.modes.len() == Mode::ALL.len() {
            "anywhere".to_string()
        } else {
            modes.join(", ").to_lowercase()
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            keys.join(" "),
            modes,
            b.describe(Lang::En)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn no_key_means_two_things_in_one_mode() {
        for mode in Mode::ALL {
            let mut seen: Vec<(Key, Command)> = Vec::new();
            for b in KEYMAP.iter().filter(|b| b.modes.contains(&mode)) {
                for key in b.keys {
                    assert!(
                        !seen.iter().any(|(k, _)| k == key),
                        "{mode:?}: {} is bound twice",
                        key.label()
                    );
                    seen.push((*key, b.command));
                }
            }
        }
    }

    #[test]
    fn dispatch_follows_the_table() {
        assert_eq!(
            lookup(Table, &press(KeyCode::Char('/'))),
            Some(Command::FocusSearch)
        );
        assert_eq!(
            lookup(Search, &press(KeyCode::Char('q'))),
            None,
            "q is typed in search"
        );
        assert_eq!(
            lookup(Table, &press(KeyCode::Char('q'))),
            Some(Command::Quit)
        );
        assert_eq!(
            lookup(
                Search,
                &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Command::Quit)
        );
        assert_eq!(
            lookup(Composer, &press(KeyCode::Char(' '))),
            Some(Command::ToggleSelect)
        );
        assert_eq!(
            lookup(Table, &KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT)),
            None,
            "Alt+q is not q"
        );
    }

    #[test]
    fn footer_labels_are_the_bindings_keys() {
        let table = footer(Table);
        let moving = table.iter().find(|e| e.hint == Hint::Move).unwrap();
        assert_eq!(moving.keys, "j/↓/k/↑");
        // Every key named in the footer works in that mode, with that entry's meaning.
        for mode in Mode::ALL {
            for entry in footer(mode) {
                for b in KEYMAP
                    .iter()
                    .filter(|b| b.modes.contains(&mode) && b.footer == Some(entry.hint))
                {
                    for key in b.keys {
                        assert!(entry.keys.contains(&key.label()), "{mode:?} {:?}", entry);
                    }
                }
            }
        }
        let open = footer(Open);
        assert!(open.iter().any(|e| e.hint == Hint::OpenFile));
        assert!(!open.iter().any(|e| e.hint == Hint::WriteFile));
    }
}
