//! The one keymap table: it drives dispatch, the footer and the help overlay, so the keys shown
//! are always the keys that work.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::lang::Lang;

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
    /// Asking before overwriting a file.
    Confirm,
}

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Suspend,
    FocusSearch,
    LeaveSearch,
    Escape,
    Up,
    Down,
    PageUp,
    PageDown,
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

/// One binding: where it works, its keys, what it does, and how help and the footer say it.
pub struct Binding {
    pub modes: &'static [Mode],
    pub keys: &'static [Key],
    /// The keys as shown (`j/k/↑/↓`).
    pub label: &'static str,
    pub action: Action,
    pub en: &'static str,
    pub zh: &'static str,
    /// Shown in the footer (the rest only in help).
    pub footer: bool,
}

use Mode::*;

const BROWSE: &[Mode] = &[Table, Composer];
const ALL_BUT_TEXT: &[Mode] = &[Table, Composer, Help];

pub const KEYMAP: &[Binding] = &[
    Binding {
        modes: BROWSE,
        keys: &[k('/')],
        label: "/",
        action: Action::FocusSearch,
        en: "search",
        zh: "搜索",
        footer: true,
    },
    Binding {
        modes: &[Search],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        action: Action::LeaveSearch,
        en: "back to the table, keep the filter",
        zh: "返回列表，保留筛选",
        footer: true,
    },
    Binding {
        modes: &[Search],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        action: Action::Escape,
        en: "clear the search",
        zh: "清除搜索",
        footer: true,
    },
    Binding {
        modes: &[Search],
        keys: &[code(KeyCode::Backspace)],
        label: "Backspace",
        action: Action::Backspace,
        en: "delete a character",
        zh: "删除字符",
        footer: false,
    },
    Binding {
        modes: &[Table, Composer, Search],
        keys: &[code(KeyCode::Down), ctrl('n')],
        label: "↓",
        action: Action::Down,
        en: "move down",
        zh: "下移",
        footer: false,
    },
    Binding {
        modes: &[Table, Composer, Search],
        keys: &[code(KeyCode::Up), ctrl('p')],
        label: "↑",
        action: Action::Up,
        en: "move up",
        zh: "上移",
        footer: false,
    },
    Binding {
        modes: BROWSE,
        keys: &[k('j'), code(KeyCode::Down)],
        label: "j/k/↑/↓",
        action: Action::Down,
        en: "move",
        zh: "移动",
        footer: true,
    },
    Binding {
        modes: BROWSE,
        keys: &[k('k'), code(KeyCode::Up)],
        label: "k",
        action: Action::Up,
        en: "move up",
        zh: "上移",
        footer: false,
    },
    Binding {
        modes: &[Table, Search, Help],
        keys: &[code(KeyCode::PageDown)],
        label: "PgDn",
        action: Action::PageDown,
        en: "page down",
        zh: "下一页",
        footer: false,
    },
    Binding {
        modes: &[Table, Search, Help],
        keys: &[code(KeyCode::PageUp)],
        label: "PgUp",
        action: Action::PageUp,
        en: "page up",
        zh: "上一页",
        footer: false,
    },
    Binding {
        modes: &[Composer],
        keys: &[code(KeyCode::PageDown)],
        label: "PgDn/PgUp",
        action: Action::PageDown,
        en: "scroll the policy and report",
        zh: "滚动策略与报告",
        footer: true,
    },
    Binding {
        modes: &[Composer],
        keys: &[code(KeyCode::PageUp)],
        label: "PgUp",
        action: Action::PageUp,
        en: "scroll back",
        zh: "向上滚动",
        footer: false,
    },
    Binding {
        modes: &[Table],
        keys: &[k('g'), code(KeyCode::Home)],
        label: "g/Home",
        action: Action::Top,
        en: "first row",
        zh: "第一行",
        footer: false,
    },
    Binding {
        modes: &[Table],
        keys: &[k('G'), code(KeyCode::End)],
        label: "G/End",
        action: Action::Bottom,
        en: "last row",
        zh: "最后一行",
        footer: false,
    },
    Binding {
        modes: &[Table],
        keys: &[k(' ')],
        label: "Space",
        action: Action::ToggleSelect,
        en: "select / unselect",
        zh: "选择/取消",
        footer: true,
    },
    Binding {
        modes: &[Composer],
        keys: &[k(' '), code(KeyCode::Enter)],
        label: "Space",
        action: Action::ToggleSelect,
        en: "toggle the conditional action",
        zh: "切换条件授权项",
        footer: true,
    },
    Binding {
        modes: &[Table],
        keys: &[k('a')],
        label: "a",
        action: Action::SelectAllShown,
        en: "select every row shown",
        zh: "选择所有显示的行",
        footer: false,
    },
    Binding {
        modes: BROWSE,
        keys: &[k('x')],
        label: "x",
        action: Action::ClearSelection,
        en: "clear the selection",
        zh: "清空选择",
        footer: false,
    },
    Binding {
        modes: BROWSE,
        keys: &[code(KeyCode::Tab), code(KeyCode::BackTab)],
        label: "Tab",
        action: Action::SwitchFocus,
        en: "table / composer",
        zh: "列表/组合器",
        footer: true,
    },
    Binding {
        modes: BROWSE,
        keys: &[k('y')],
        label: "y",
        action: Action::Copy,
        en: "copy the policy",
        zh: "复制策略",
        footer: true,
    },
    Binding {
        modes: BROWSE,
        keys: &[k('w')],
        label: "w",
        action: Action::Write,
        en: "write the policy to a file",
        zh: "写入文件",
        footer: true,
    },
    Binding {
        modes: BROWSE,
        keys: &[k('t')],
        label: "t",
        action: Action::ToggleExport,
        en: "JSON / Terraform for y and w",
        zh: "y/w 输出 JSON 或 Terraform",
        footer: false,
    },
    Binding {
        modes: BROWSE,
        keys: &[k('o')],
        label: "o",
        action: Action::OpenPolicy,
        en: "open a policy file to review",
        zh: "打开策略文件审查",
        footer: false,
    },
    Binding {
        modes: BROWSE,
        keys: &[k('L')],
        label: "L",
        action: Action::ToggleLang,
        en: "中文 / English",
        zh: "中文/English",
        footer: true,
    },
    Binding {
        modes: ALL_BUT_TEXT,
        keys: &[k('?')],
        label: "?",
        action: Action::Help,
        en: "help",
        zh: "帮助",
        footer: true,
    },
    Binding {
        modes: &[Table, Composer, Help],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        action: Action::Escape,
        en: "clear the search / close",
        zh: "清除搜索/关闭",
        footer: false,
    },
    Binding {
        modes: &[Help],
        keys: &[k('q')],
        label: "q",
        action: Action::Escape,
        en: "close help",
        zh: "关闭帮助",
        footer: true,
    },
    Binding {
        modes: &[Prompt],
        keys: &[code(KeyCode::Enter)],
        label: "Enter",
        action: Action::Submit,
        en: "write",
        zh: "写入",
        footer: true,
    },
    Binding {
        modes: &[Prompt],
        keys: &[code(KeyCode::Backspace)],
        label: "Backspace",
        action: Action::Backspace,
        en: "delete a character",
        zh: "删除字符",
        footer: false,
    },
    Binding {
        modes: &[Prompt, Confirm],
        keys: &[code(KeyCode::Esc)],
        label: "Esc",
        action: Action::Escape,
        en: "cancel",
        zh: "取消",
        footer: true,
    },
    Binding {
        modes: &[Confirm],
        keys: &[k('y'), k('Y')],
        label: "y",
        action: Action::ConfirmYes,
        en: "overwrite",
        zh: "覆盖",
        footer: true,
    },
    Binding {
        modes: &[Confirm],
        keys: &[k('n'), k('N')],
        label: "n",
        action: Action::ConfirmNo,
        en: "keep the file",
        zh: "保留原文件",
        footer: true,
    },
    Binding {
        modes: BROWSE,
        keys: &[k('q')],
        label: "q",
        action: Action::Quit,
        en: "quit",
        zh: "退出",
        footer: true,
    },
    Binding {
        modes: &[Table, Composer, Search, Help, Prompt, Confirm],
        keys: &[ctrl('z')],
        label: "Ctrl-Z",
        action: Action::Suspend,
        en: "suspend (fg to come back)",
        zh: "挂起（fg 返回）",
        footer: false,
    },
    Binding {
        modes: &[Table, Composer, Search, Help, Prompt, Confirm],
        keys: &[ctrl('c')],
        label: "Ctrl-C",
        action: Action::Quit,
        en: "quit",
        zh: "退出",
        footer: false,
    },
];

impl Binding {
    pub fn describe(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

fn key_of(event: &KeyEvent) -> Key {
    // Shifted letters arrive as upper-case chars; SHIFT itself is not part of a binding.
    Key {
        code: event.code,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        alt: event.modifiers.contains(KeyModifiers::ALT),
    }
}

/// The action a key means in a mode, if any.
pub fn lookup(mode: Mode, event: &KeyEvent) -> Option<Action> {
    let key = key_of(event);
    KEYMAP
        .iter()
        .find(|b| b.modes.contains(&mode) && b.keys.contains(&key))
        .map(|b| b.action)
}

/// The footer's bindings for a mode, in table order, one per label.
pub fn footer(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    KEYMAP
        .iter()
        .filter(move |b| b.footer && b.modes.contains(&mode))
}

/// A key as text, for `--show-keys`.
pub fn key_name(event: &KeyEvent) -> String {
    let base = match event.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
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
    if event.modifiers.contains(KeyModifiers::CONTROL) {
        format!("C-{base}")
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn no_key_means_two_things_in_one_mode() {
        for mode in [Table, Search, Composer, Help, Prompt, Confirm] {
            let mut seen: Vec<(Key, Action)> = Vec::new();
            for b in KEYMAP.iter().filter(|b| b.modes.contains(&mode)) {
                for key in b.keys {
                    if let Some((_, other)) = seen.iter().find(|(k, _)| k == key) {
                        assert_eq!(*other, b.action, "{mode:?} {key:?}");
                    }
                    seen.push((*key, b.action));
                }
            }
        }
    }

    #[test]
    fn dispatch_follows_the_table() {
        assert_eq!(
            lookup(Table, &press(KeyCode::Char('/'))),
            Some(Action::FocusSearch)
        );
        assert_eq!(
            lookup(Search, &press(KeyCode::Char('q'))),
            None,
            "q is typed in search"
        );
        assert_eq!(
            lookup(Table, &press(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(
                Search,
                &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(Composer, &press(KeyCode::Char(' '))),
            Some(Action::ToggleSelect)
        );
        assert_eq!(
            lookup(Table, &KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT)),
            None,
            "Alt+q is not q"
        );
    }
}
