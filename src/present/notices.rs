//! Outcomes (copies, writes, reviews) and the explorer's status line in words.

use super::review::finding;
use super::words::{pick, plural};
use crate::lang::Lang;
use crate::policy::export::ExportFormat;
use crate::policy::review::FindingKind;

/// How a copy went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyOutcome {
    /// `--clipboard none`.
    Off,
    /// On the system clipboard.
    System,
    /// `--clipboard system` and the system clipboard failed.
    SystemFailed { error: String },
    /// Sent as OSC 52; `fallback` says why the system clipboard was not used, `large` that some
    /// terminals drop a sequence this long.
    Osc52 {
        fallback: Option<String>,
        large: bool,
        /// Inside tmux with `set-clipboard` not `on` (its value): nothing reaches the clipboard.
        tmux_setting: Option<String>,
    },
    /// The OSC 52 sequence could not be written to the terminal.
    Osc52Failed { error: String },
}

/// What the explorer's status line says: facts, worded when drawn, so `L` changes them too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Copied {
        outcome: CopyOutcome,
        actions: usize,
        bytes: usize,
    },
    Wrote {
        bytes: usize,
        path: String,
        /// The symbolic link written through, when `path` is the file it points to.
        through: Option<String>,
    },
    WriteFailed {
        path: String,
        error: String,
    },
    NotWritten,
    /// A file could not be read (the message names it).
    ReadFailed(String),
    Reviewed {
        source: String,
        allowed: usize,
        partial: usize,
        denied: usize,
        not_granted: usize,
        no_action: usize,
        findings: usize,
    },
    CannotReview {
        source: String,
        first: Option<FindingKind>,
    },
    TooLong {
        limit: usize,
    },
    NeedsOneAction,
    RoleNamed {
        name: String,
    },
    /// `Tab` in a file prompt found no entry, or several (the common part is filled in).
    Completions {
        count: usize,
    },
    /// The search found nothing.
    NoMatch {
        query: String,
    },
    /// A conditional action another selected operation needs: it stays.
    NeededBy {
        action: String,
        operation: String,
    },
    ExportIs(ExportFormat),
    NothingSelected,
    NoPolicy,
    /// The selection composes no policy, and why (as `compose` says it).
    NotComposed(crate::policy::compose::ComposeError),
    /// Recorded calls' operations were selected (`--calls`, or a pasted block of calls).
    CallsSelected {
        read: usize,
        distinct: usize,
        /// Distinct calls no operation stands for.
        unmatched: usize,
        /// Entries of the file that are not calls.
        not_calls: usize,
        selected: usize,
    },
    /// Calls were read and none is an operation of the loaded catalogs.
    NoCallMatched {
        read: usize,
    },
    /// A pasted block of several lines that are not API calls; the first line that is not
    /// one (its number and text), if any.
    NotCalls {
        first: Option<(usize, String)>,
    },
    /// The operations of pasted calls were not selected.
    CallsNotSelected,
}

/// The status line in words.
pub fn notice(notice: &Notice, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match notice {
        Notice::Copied {
            outcome,
            actions,
            bytes,
        } => {
            let what = match zh {
                false => format!("{actions} action{} ({bytes} bytes)", plural(*actions)),
                true => format!("{actions} 个授权项（{bytes} 字节）"),
            };
            copied(outcome, &what, lang)
        }
        Notice::Wrote {
            bytes,
            path,
            through,
        } => match (zh, through) {
            (false, None) => format!("Wrote {bytes} bytes to {path}"),
            (true, None) => format!("已写入 {bytes} 字节到 {path}"),
            (false, Some(link)) => {
                format!("Wrote {bytes} bytes to {path} (through the link {link})")
            }
            (true, Some(link)) => format!("已写入 {bytes} 字节到 {path}（经由链接 {link}）"),
        },
        // A long path is cut in its middle, so the reason still fits the status line.
        Notice::WriteFailed { path, error } => {
            let path = crate::text::shorten(path, 60);
            match zh {
                false => format!("cannot write {path}: {error}"),
                true => format!("无法写入 {path}：{error}"),
            }
        }
        Notice::NotWritten => pick(lang, "Not written.", "未写入。").into(),
        Notice::ReadFailed(message) => crate::text::shorten(message, 160),
        Notice::Reviewed {
            source,
            allowed,
            partial,
            denied,
            not_granted,
            no_action,
            findings,
        } => {
            let none = match (no_action, zh) {
                (0, _) => String::new(),
                (n, false) => format!(", {n} need no action"),
                (n, true) => format!("，{n} 无需授权"),
            };
            match zh {
                false => format!(
                    "Reviewed {source}: {allowed} allowed, {partial} partial, {denied} denied, {not_granted} not granted{none}; {findings} finding{}",
                    plural(*findings)
                ),
                true => format!(
                    "已审查 {source}：{allowed} 允许，{partial} 部分，{denied} 拒绝，{not_granted} 未授权{none}；{findings} 条检查结果"
                ),
            }
        }
        Notice::CannotReview { source, first } => {
            let why = first.as_ref().map(|k| finding(k, lang)).unwrap_or_default();
            match zh {
                false => format!("Cannot review {source}: {why}"),
                true => format!("无法审查 {source}：{why}"),
            }
        }
        Notice::TooLong { limit } => match zh {
            false => format!("Too long: cut at {limit} characters."),
            true => format!("过长：已截断为 {limit} 个字符。"),
        },
        Notice::Completions { count: 0 } => pick(
            lang,
            "No file or folder starts so.",
            "没有以此开头的文件或文件夹。",
        )
        .into(),
        Notice::Completions { count } => match zh {
            false => format!("{count} files or folders start so: type more, then Tab."),
            true => format!("{count} 个文件或文件夹以此开头：再输入一些，然后按 Tab。"),
        },
        Notice::RoleNamed { name } => match zh {
            false => format!("The Terraform role is named {name}."),
            true => format!("Terraform 角色名称：{name}。"),
        },
        Notice::NoMatch { query } => match zh {
            false => format!(
                "No operation matches \"{query}\". Try fewer or shorter words, a prefix (a:action, m:get, section:sharing), or an API call (\"GET /v2/images\"); Esc clears the search."
            ),
            true => format!(
                "没有操作匹配 \"{query}\"。试试更少或更短的词、前缀（a:授权项、m:get、section:共享）或 API 调用（\"GET /v2/images\"）；Esc 清除搜索。"
            ),
        },
        Notice::NeededBy { action, operation } => match zh {
            false => format!("{action} stays in the policy: {operation} needs it."),
            true => format!("{action} 保留在策略中：{operation} 需要它。"),
        },
        Notice::NeedsOneAction => pick(
            lang,
            "This operation needs at least one of its actions.",
            "该操作至少需要其中一个授权项。",
        )
        .into(),
        Notice::ExportIs(ExportFormat::Json) => pick(
            lang,
            "y and w now give the policy JSON",
            "y 与 w 现在输出策略 JSON",
        )
        .into(),
        Notice::ExportIs(ExportFormat::Terraform) => pick(
            lang,
            "y and w now give Terraform (huaweicloud_identity_role)",
            "y 与 w 现在输出 Terraform（huaweicloud_identity_role）",
        )
        .into(),
        Notice::NothingSelected => pick(
            lang,
            "Nothing selected: press Space on a row first.",
            "尚未选择：先在某行按空格。",
        )
        .into(),
        Notice::NoPolicy => pick(
            lang,
            "No policy: the selected operations need no IAM action.",
            "无策略：所选操作不需要任何授权项。",
        )
        .into(),
        Notice::NotComposed(why) => {
            use super::Worded;
            match lang {
                Lang::En => format!("No policy: {}", why.worded(lang)),
                Lang::Zh => format!("无策略：{}", why.worded(lang)),
            }
        }
        Notice::CallsSelected {
            read,
            distinct,
            unmatched,
            not_calls,
            selected,
        } => {
            let mut text = super::calls_notice(*read, *distinct, *unmatched, *selected, lang);
            match (not_calls, lang) {
                (0, _) => {}
                (n, Lang::En) => text.push_str(&format!(
                    "; {n} entr{} not read as calls",
                    if *n == 1 { "y" } else { "ies" }
                )),
                (n, Lang::Zh) => text.push_str(&format!("；{n} 处不是调用")),
            }
            text
        }
        Notice::NoCallMatched { read } => match zh {
            false => format!(
                "Read {read} call{}: none is an operation of the loaded catalogs; nothing selected.",
                plural(*read)
            ),
            true => format!("读取了 {read} 个调用：都不是已加载目录中的操作；未选择任何操作。"),
        },
        Notice::NotCalls { first } => {
            let first = first
                .as_ref()
                .map(|(line, text)| {
                    let text = crate::text::escape_controls(&crate::text::shorten(text, 60));
                    match zh {
                        false => format!(" (line {line}: \"{text}\")"),
                        true => format!("（第 {line} 行：“{text}”）"),
                    }
                })
                .unwrap_or_default();
            match zh {
                false => format!(
                    "The pasted lines are not API calls{first}: paste one query, or calls as `METHOD URL-or-path` lines. The search is unchanged."
                ),
                true => format!(
                    "粘贴的几行不是 API 调用{first}：请粘贴一个查询，或“方法 URL或路径”形式的调用。搜索未改变。"
                ),
            }
        }
        Notice::CallsNotSelected => pick(lang, "Not selected.", "未选择。").into(),
    }
}

fn copied(outcome: &CopyOutcome, what: &str, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match outcome {
        CopyOutcome::Off => pick(
            lang,
            "Clipboard is off (--clipboard none): use w to write a file.",
            "剪贴板已关闭（--clipboard none）：按 w 写入文件。",
        )
        .into(),
        CopyOutcome::System => match zh {
            false => format!("Copied {what} to the system clipboard"),
            true => format!("已复制 {what} 到系统剪贴板"),
        },
        CopyOutcome::SystemFailed { error } => match zh {
            false => format!(
                "System clipboard failed: {error}; try --clipboard osc52 or w to write a file"
            ),
            true => format!("系统剪贴板失败：{error}；可用 --clipboard osc52 或按 w 写入文件"),
        },
        CopyOutcome::Osc52Failed { error } => format!("OSC 52: {error}"),
        CopyOutcome::Osc52 {
            tmux_setting: Some(setting),
            ..
        } => {
            let setting = if setting.is_empty() {
                "unset"
            } else {
                setting.as_str()
            };
            match zh {
                false => format!(
                    "Not copied: tmux's set-clipboard is {setting}, so it drops the copy; run `tmux set -g set-clipboard on`, or press w to write a file"
                ),
                true => format!(
                    "未复制：tmux 的 set-clipboard 为 {setting}，会丢弃复制内容；请运行 `tmux set -g set-clipboard on`，或按 w 写入文件"
                ),
            }
        }
        CopyOutcome::Osc52 {
            fallback, large, ..
        } => {
            let mut s = match zh {
                false => {
                    format!("Sent {what} via OSC 52: your terminal must allow clipboard writes")
                }
                true => format!("已通过 OSC 52 发送 {what}：终端须允许写剪贴板"),
            };
            if let Some(reason) = fallback {
                s = match zh {
                    false => format!("System clipboard failed ({reason}); {s}"),
                    true => format!("系统剪贴板失败（{reason}）；{s}"),
                };
            }
            if *large {
                s.push_str(pick(
                    lang,
                    " — warning: over 74 KB, some terminals drop it",
                    "；警告：超过 74 KB，部分终端会丢弃",
                ));
            }
            s
        }
    }
}
