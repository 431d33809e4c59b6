//! Getting the policy to the user's clipboard: the system clipboard (arboard), or OSC 52 written
//! to the terminal (works over SSH and in tmux with `set-clipboard on`).

use std::io::Write;

use base64::Engine;

use crate::present::CopyOutcome;

/// How to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClipboardMode {
    /// OSC 52 over SSH or without a display, else the system clipboard, falling back to OSC 52.
    Auto,
    System,
    Osc52,
    None,
}

/// Above this many bytes some terminals drop an OSC 52 sequence.
pub const OSC52_WARN_BYTES: usize = 74 * 1024;

/// The OSC 52 sequence that sets the clipboard to `text`.
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07")
}

/// Whether `auto` should use OSC 52: over SSH, or with no display to reach.
pub fn prefers_osc52(get: impl Fn(&str) -> Option<String>) -> bool {
    let set = |k: &str| get(k).is_some_and(|v| !v.is_empty());
    set("SSH_CONNECTION") || set("SSH_TTY") || !(set("DISPLAY") || set("WAYLAND_DISPLAY"))
}

/// The clipboard for the app's life: the system one is made at the first copy and kept.
pub struct Clipboard {
    pub mode: ClipboardMode,
    system: Option<arboard::Clipboard>,
    /// What we last put on the system clipboard, to keep serving it after the app quits.
    pub owned_text: Option<String>,
}

impl Clipboard {
    pub fn new(mode: ClipboardMode) -> Clipboard {
        Clipboard {
            mode,
            system: None,
            owned_text: None,
        }
    }

    /// Copies `text`; says how it went.
    pub fn copy(&mut self, text: &str, terminal: &mut dyn Write) -> CopyOutcome {
        let use_system = match self.mode {
            ClipboardMode::None => return CopyOutcome::Off,
            ClipboardMode::Osc52 => false,
            ClipboardMode::System => true,
            ClipboardMode::Auto => !prefers_osc52(|k| std::env::var(k).ok()),
        };
        let mut fallback = None;
        if use_system {
            match self.copy_system(text) {
                Ok(()) => return CopyOutcome::System,
                Err(error) if self.mode == ClipboardMode::System => {
                    return CopyOutcome::SystemFailed { error };
                }
                Err(error) => fallback = Some(error),
            }
        }
        let seq = osc52(text);
        if let Err(e) = terminal
            .write_all(seq.as_bytes())
            .and_then(|_| terminal.flush())
        {
            return CopyOutcome::Osc52Failed {
                error: e.to_string(),
            };
        }
        CopyOutcome::Osc52 {
            fallback,
            large: text.len() > OSC52_WARN_BYTES,
            tmux_setting: tmux_blocks_osc52(),
        }
    }

    fn copy_system(&mut self, text: &str) -> Result<(), String> {
        if self.system.is_none() {
            self.system = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        let clipboard = self.system.as_mut().expect("made above");
        clipboard
            .set_text(text.to_string())
            .map_err(|e| e.to_string())?;
        self.owned_text = Some(text.to_string());
        Ok(())
    }

    /// On X11 the owner of the clipboard must keep serving it: hand the text to a detached copy
    /// of this program (`__serve-clipboard`) before we exit.
    pub fn hand_over(&mut self) {
        let Some(text) = self.owned_text.take() else {
            return;
        };
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            use std::process::{Command, Stdio};
            let Ok(exe) = std::env::current_exe() else {
                return;
            };
            let child = Command::new(exe)
                .arg(SERVE_ARG)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .current_dir("/")
                .process_group(0)
                .spawn();
            if let Ok(mut child) = child
                && let Some(mut stdin) = child.stdin.take()
            {
                let _ = stdin.write_all(text.as_bytes());
                drop(stdin);
                // Give the server a moment to take the selection before our clipboard goes.
                std::thread::sleep(std::time::Duration::from_millis(300));
            }
        }
        self.system = None;
    }
}

/// Inside tmux, an application's OSC 52 reaches the clipboard only with `set-clipboard on`
/// (`external` and `off` ignore it). The setting when it blocks the copy; `None` outside tmux,
/// when it is `on`, or when tmux cannot be asked.
fn tmux_blocks_osc52() -> Option<String> {
    std::env::var_os("TMUX").filter(|v| !v.is_empty())?;
    let out = std::process::Command::new("tmux")
        .args(["show-options", "-gqv", "set-clipboard"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let setting = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && setting != "on").then_some(setting)
}

/// The hidden argument that makes the binary serve the clipboard text read from stdin.
pub const SERVE_ARG: &str = "__serve-clipboard";

/// Serves stdin's text as the clipboard until another program takes it.
pub fn serve_clipboard() -> i32 {
    let mut text = String::new();
    if std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).is_err() {
        return 2;
    }
    #[cfg(target_os = "linux")]
    {
        use arboard::SetExtLinux;
        // arboard keeps waiting if the X server goes away; a local display's socket vanishing
        // means nobody can paste any more, so stop serving then.
        if let Some(socket) = local_display_socket()
            && socket.exists()
        {
            std::thread::spawn(move || {
                while socket.exists() {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                }
                std::process::exit(0);
            });
        }
        match arboard::Clipboard::new().and_then(|mut c| c.set().wait().text(text)) {
            Ok(()) => 0,
            Err(_) => 1,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        match arboard::Clipboard::new().and_then(|mut c| c.set_text(text)) {
            Ok(()) => 0,
            Err(_) => 1,
        }
    }
}

/// `/tmp/.X11-unix/XN` for a local `DISPLAY` such as `:N` or `:N.0`.
fn local_display_socket() -> Option<std::path::PathBuf> {
    let display = std::env::var("DISPLAY").ok()?;
    let number = display.strip_prefix(':')?.split('.').next()?;
    number.parse::<u32>().ok()?;
    Some(std::path::PathBuf::from(format!(
        "/tmp/.X11-unix/X{number}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_encodes_the_text() {
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }

    #[test]
    fn auto_prefers_osc52_over_ssh_or_without_display() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(prefers_osc52(env(&[])));
        assert!(!prefers_osc52(env(&[("DISPLAY", ":0")])));
        assert!(prefers_osc52(env(&[
            ("DISPLAY", ":0"),
            ("SSH_TTY", "/dev/pts/1")
        ])));
        assert!(!prefers_osc52(env(&[("WAYLAND_DISPLAY", "wayland-0")])));
    }

    #[test]
    fn osc52_mode_writes_the_sequence_and_says_so() {
        let mut c = Clipboard::new(ClipboardMode::Osc52);
        let mut out = Vec::new();
        let outcome = c.copy("{}", &mut out);
        assert_eq!(out, osc52("{}").into_bytes());
        let said = |outcome: CopyOutcome| {
            crate::present::notice(
                &crate::present::Notice::Copied {
                    outcome,
                    actions: 1,
                    bytes: 2,
                },
                crate::lang::Lang::En,
            )
        };
        assert_eq!(
            said(outcome),
            "Sent 1 action (2 bytes) via OSC 52: your terminal must allow clipboard writes"
        );
        let big = "x".repeat(OSC52_WARN_BYTES + 1);
        let outcome = c.copy(&big, &mut Vec::new());
        assert!(said(outcome).ends_with("over 74 KB, some terminals drop it"));
    }
}
