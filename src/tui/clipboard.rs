//! Getting the policy to the user's clipboard: the system clipboard (arboard), or OSC 52 written
//! to the terminal (works over SSH and in tmux with `set-clipboard on`).

use std::io::Write;

use base64::Engine;

use crate::lang::Lang;

/// How to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

    /// Copies `text`; returns the status line to show.
    pub fn copy(
        &mut self,
        text: &str,
        actions: usize,
        terminal: &mut dyn Write,
        lang: Lang,
    ) -> String {
        let what = match lang {
            Lang::En => format!(
                "{actions} action{} ({} bytes)",
                if actions == 1 { "" } else { "s" },
                text.len()
            ),
            Lang::Zh => format!("{actions} 个授权项（{} 字节）", text.len()),
        };
        let use_system = match self.mode {
            ClipboardMode::None => {
                return match lang {
                    Lang::En => {
                        "Clipboard is off (--clipboard none): use w to write a file.".into()
                    }
                    Lang::Zh => "剪贴板已关闭（--clipboard none）：按 w 写入文件。".into(),
                };
            }
            ClipboardMode::Osc52 => false,
            ClipboardMode::System => true,
            ClipboardMode::Auto => !prefers_osc52(|k| std::env::var(k).ok()),
        };
        let mut fallback_reason = None;
        if use_system {
            match self.copy_system(text) {
                Ok(()) => {
                    return match lang {
                        Lang::En => format!("Copied {what} to the system clipboard"),
                        Lang::Zh => format!("已复制 {what} 到系统剪贴板"),
                    };
                }
                Err(e) if self.mode == ClipboardMode::System => {
                    return match lang {
                        Lang::En => format!(
                            "System clipboard failed: {e}; try --clipboard osc52 or w to write a file"
                        ),
                        Lang::Zh => {
                            format!("系统剪贴板失败：{e}；可用 --clipboard osc52 或按 w 写入文件")
                        }
                    };
                }
                Err(e) => fallback_reason = Some(e),
            }
        }
        let seq = osc52(text);
        if let Err(e) = terminal
            .write_all(seq.as_bytes())
            .and_then(|_| terminal.flush())
        {
            return format!("OSC 52: {e}");
        }
        let mut status = match lang {
            Lang::En => {
                format!("Sent {what} via OSC 52: your terminal must allow clipboard writes")
            }
            Lang::Zh => format!("已通过 OSC 52 发送 {what}：终端须允许写剪贴板"),
        };
        if let Some(reason) = fallback_reason {
            status = match lang {
                Lang::En => format!("System clipboard failed ({reason}); {status}"),
                Lang::Zh => format!("系统剪贴板失败（{reason}）；{status}"),
            };
        }
        if text.len() > OSC52_WARN_BYTES {
            status.push_str(match lang {
                Lang::En => " — warning: over 74 KB, some terminals drop it",
                Lang::Zh => " —— 警告：超过 74 KB，部分终端会丢弃",
            });
        }
        status
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
        let status = c.copy("{}", 1, &mut out, Lang::En);
        assert_eq!(out, osc52("{}").into_bytes());
        assert_eq!(
            status,
            "Sent 1 action (2 bytes) via OSC 52: your terminal must allow clipboard writes"
        );
        let big = "x".repeat(OSC52_WARN_BYTES + 1);
        let status = c.copy(&big, 1, &mut Vec::new(), Lang::En);
        assert!(status.ends_with("over 74 KB, some terminals drop it"));
    }
}
