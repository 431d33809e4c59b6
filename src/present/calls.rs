//! Recorded calls in words: what was read, what each distinct call is, and why a call matched
//! nothing (`compose --calls`, `lookup --calls`, the explorer's `--calls` and pasted blocks).

use serde::Serialize;

use crate::calls::{
    CallsError, CallsMatch, CallsReason, Form, Location, MatchedCall, Outcome, Recording,
};
use crate::catalog::Catalog;
use crate::lang::Lang;
use crate::text::{escape_controls, shorten};

use super::errors::Worded;
use super::words::{pick, plural};

/// `a Terraform debug log` / `Terraform 调试日志`.
pub fn form_name(form: Form, lang: Lang) -> &'static str {
    match form {
        Form::Plain => pick(lang, "a list of calls", "调用列表"),
        Form::Terraform => pick(lang, "a Terraform debug log", "Terraform 调试日志"),
        Form::Har => pick(lang, "a HAR file", "HAR 文件"),
        Form::Curl => pick(lang, "a curl -v transcript", "curl -v 输出"),
    }
}

/// `tf.log:12`, `calls.har entry 3`.
pub fn location(name: &str, at: Location, lang: Lang) -> String {
    let name = super::file_name(name, lang);
    match (at, lang) {
        (Location::Line(n), _) => format!("{name}:{n}"),
        (Location::Entry(n), Lang::En) => format!("{name} entry {n}"),
        (Location::Entry(n), Lang::Zh) => format!("{name} 第 {n} 项"),
    }
}

/// A call as shown: at most 120 characters, escaped.
fn shown_call(call: &str) -> String {
    escape_controls(&shorten(call, 120))
}

fn ids(catalog: &Catalog, indices: &[usize], lang: Lang) -> String {
    indices
        .iter()
        .map(|&i| catalog.operations()[i].id.as_str())
        .collect::<Vec<_>>()
        .join(pick(lang, ", ", "、"))
}

/// What a distinct call is (`list-images`), or why it is none (`not matched (tf.log:41): …`);
/// [`outcome_separator`] goes between it and the call.
fn outcome_words(catalog: &Catalog, name: &str, c: &MatchedCall, lang: Lang) -> String {
    let at = location(name, c.call.first, lang);
    let zh = lang == Lang::Zh;
    match &c.outcome {
        Outcome::Operation(i) => catalog.operations()[*i].id.clone(),
        Outcome::Shared { candidates, chosen } | Outcome::Services { candidates, chosen }
            if !chosen.is_empty() =>
        {
            match zh {
                false => format!(
                    "{} (chosen of {})",
                    ids(catalog, chosen, lang),
                    ids(catalog, candidates, lang)
                ),
                true => format!(
                    "{}（从 {} 中选定）",
                    ids(catalog, chosen, lang),
                    ids(catalog, candidates, lang)
                ),
            }
        }
        Outcome::Shared { candidates, .. } => match zh {
            false => format!(
                "several permissions share this route ({at}): {}; say which with --choose ID",
                ids(catalog, candidates, lang)
            ),
            true => format!(
                "多个权限共用这个路由（{at}）：{}；请用 --choose ID 指明",
                ids(catalog, candidates, lang)
            ),
        },
        Outcome::Services { candidates, .. } => {
            let qualified: Vec<String> = candidates
                .iter()
                .map(|&i| {
                    let op = &catalog.operations()[i];
                    format!("{}:{}", op.service, op.id)
                })
                .collect();
            match zh {
                false => format!(
                    "this path is in several services' catalogs and the call names no host ({at}): {}; say which with --choose ID",
                    qualified.join(", ")
                ),
                true => format!(
                    "多个服务的目录都有这个路径，而调用未写主机（{at}）：{}；请用 --choose ID 指明",
                    qualified.join("、")
                ),
            }
        }
        Outcome::Unmatched {
            host_service,
            loaded,
        } => {
            let mut out = match zh {
                false => format!("not matched ({at})"),
                true => format!("未匹配（{at}）"),
            };
            let sep = pick(lang, ": ", "：");
            out.push_str(sep);
            out.push_str(&match (host_service, loaded) {
                (Some(service), true) => super::no_such_route(service, lang),
                (Some(service), false) => super::service_not_loaded(service, lang),
                (None, _) => pick(
                    lang,
                    "no loaded catalog has this route (another service's API? import its permission tables with `ims-perms import`)",
                    "已加载的目录中没有这个路由（其他服务的 API？请用 `ims-perms import` 导入其权限表）",
                )
                .to_string(),
            });
            out
        }
    }
}

/// ` → ` before what a matched call is, `: ` before why a call is none.
fn outcome_separator(c: &MatchedCall, lang: Lang) -> &'static str {
    match c.outcome.is_matched() {
        true => " → ",
        false => pick(lang, ": ", "："),
    }
}

/// `(answered 403 when recorded: …)` for a call the workload was refused.
fn refused_words(c: &MatchedCall, lang: Lang) -> String {
    match (c.call.refused, lang) {
        (0, _) => String::new(),
        (n, Lang::En) if n == c.call.count => {
            " [refused when recorded: 401/403, the workload was denied it]".into()
        }
        (n, Lang::En) => format!(
            " [refused {n} of {} times when recorded: 401/403]",
            c.call.count
        ),
        (n, Lang::Zh) if n == c.call.count => "［记录时被拒绝：401/403，工作负载无此权限］".into(),
        (n, Lang::Zh) => format!("［记录时 {} 次中 {n} 次被拒绝：401/403］", c.call.count),
    }
}

/// `Read 14 calls from tf.log (a Terraform debug log): 6 distinct.`
pub fn calls_read(recording: &Recording, lang: Lang) -> String {
    let (name, distinct) = (
        super::file_name(&recording.name, lang),
        recording.calls.len(),
    );
    let form = form_name(recording.form, lang);
    match lang {
        Lang::En => format!(
            "Read {} call{} from {name} ({form}): {distinct} distinct.",
            recording.read,
            plural(recording.read)
        ),
        Lang::Zh => format!(
            "从 {name}（{form}）读取了 {} 个调用，其中 {distinct} 个不同。",
            recording.read
        ),
    }
}

/// The entries of a file that were not read as calls (the first few, with where), if any.
pub fn not_calls_line(recording: &Recording, lang: Lang) -> Option<String> {
    let count = recording.not_call_count;
    if count == 0 {
        return None;
    }
    let shown: Vec<String> = recording
        .not_calls
        .iter()
        .map(|n| {
            format!(
                "{} \"{}\"",
                location(&recording.name, n.at, lang),
                escape_controls(&n.text)
            )
        })
        .collect();
    let more = count > shown.len();
    Some(match lang {
        Lang::En => format!(
            "  {count} entr{} not read as calls: {}{}",
            if count == 1 { "y" } else { "ies" },
            shown.join(", "),
            if more { ", …" } else { "" }
        ),
        Lang::Zh => format!(
            "  {count} 处不是调用：{}{}",
            shown.join("、"),
            if more { "…" } else { "" }
        ),
    })
}

/// What was read from one file, and what each distinct call is: the report `compose --calls`
/// writes on stderr, a line each.
pub fn calls_report(
    catalog: &Catalog,
    recording: &Recording,
    matched: &CallsMatch,
    lang: Lang,
) -> Vec<String> {
    let mut out = vec![calls_read(recording, lang)];
    for c in &matched.calls {
        out.push(format!(
            "  {} × {}{}{}{}",
            c.call.count,
            shown_call(&c.call.call()),
            outcome_separator(c, lang),
            outcome_words(catalog, &recording.name, c, lang),
            refused_words(c, lang)
        ));
    }
    out.extend(not_calls_line(recording, lang));
    out
}

/// The last line of `compose --calls`'s report: how much of the calls the policy covers.
pub fn calls_coverage(distinct: usize, unmatched: usize, not_calls: usize, lang: Lang) -> String {
    let covered = distinct - unmatched;
    match (unmatched + not_calls, lang) {
        (0, Lang::En) => format!("The policy covers all {distinct} distinct calls."),
        (0, Lang::Zh) => format!("该策略覆盖全部 {distinct} 个不同的调用。"),
        (_, Lang::En) => format!(
            "The policy is partial: it covers {covered} of {distinct} distinct calls; {unmatched} not matched{}.",
            match not_calls {
                0 => String::new(),
                n => format!(
                    ", and {n} entr{} not read as calls",
                    if n == 1 { "y" } else { "ies" }
                ),
            }
        ),
        (_, Lang::Zh) => format!(
            "该策略不完整：覆盖了 {distinct} 个不同调用中的 {covered} 个；{unmatched} 个未匹配{}。",
            match not_calls {
                0 => String::new(),
                n => format!("，另有 {n} 处不是调用"),
            }
        ),
    }
}

/// The explorer's line after `--calls` or a pasted block: calls read, distinct, unmatched.
pub fn calls_notice(
    read: usize,
    distinct: usize,
    unmatched: usize,
    selected: usize,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!(
            "Read {read} call{} ({distinct} distinct): selected {selected} operation{}; {unmatched} distinct call{} not matched{}",
            plural(read),
            plural(selected),
            plural(unmatched),
            if unmatched > 0 {
                " (ims-perms lookup --calls FILE says why)"
            } else {
                ""
            }
        ),
        Lang::Zh => format!(
            "读取了 {read} 个调用（{distinct} 个不同）：已选中 {selected} 个操作；{unmatched} 个不同调用未匹配{}",
            if unmatched > 0 {
                "（ims-perms lookup --calls FILE 可查看原因）"
            } else {
                ""
            }
        ),
    }
}

/// `lookup --calls`: one row per distinct call: count, call, operation or why not.
pub fn calls_table(
    catalog: &Catalog,
    recording: &Recording,
    matched: &CallsMatch,
    lang: Lang,
) -> String {
    let rows: Vec<(String, String, String)> = matched
        .calls
        .iter()
        .map(|c| {
            let what = outcome_words(catalog, &recording.name, c, lang);
            (
                c.call.count.to_string(),
                shown_call(&c.call.call()),
                format!("{what}{}", refused_words(c, lang)),
            )
        })
        .collect();
    let count_w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(5);
    let call_w = rows
        .iter()
        .map(|r| crate::text::width(&r.1))
        .max()
        .unwrap_or(0)
        .max(4);
    let (count_h, call_h, op_h) = match lang {
        Lang::En => ("COUNT", "CALL", "OPERATION"),
        Lang::Zh => ("次数", "调用", "操作"),
    };
    let mut out = format!(
        "{} {} {op_h}\n",
        crate::text::pad(count_h, count_w),
        crate::text::pad(call_h, call_w)
    );
    for (count, call, what) in rows {
        out.push_str(&format!(
            "{count:>count_w$} {} {what}\n",
            crate::text::pad(&call, call_w)
        ));
    }
    out
}

/// One distinct call in `lookup --calls --json`.
#[derive(Serialize)]
pub struct CallJson {
    pub file: String,
    pub call: String,
    pub count: usize,
    /// 1-based line, or HAR entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    /// Times answered 401 or 403 when recorded.
    pub refused: usize,
    /// The operations it stands for (ids; `service:id` when several services are loaded).
    pub operations: Vec<String>,
    /// `matched`, `shared_route`, `several_services` or `not_matched`.
    pub status: &'static str,
    /// For a shared route or several services: the ids to choose from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// For a call not matched: the service its host names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_service: Option<String>,
}

pub fn calls_json(catalog: &Catalog, recording: &Recording, matched: &CallsMatch) -> Vec<CallJson> {
    let several = catalog.services().len() > 1;
    let id = |i: usize| {
        let op = &catalog.operations()[i];
        if several {
            format!("{}:{}", op.service, op.id)
        } else {
            op.id.clone()
        }
    };
    matched
        .calls
        .iter()
        .map(|c| {
            let (line, entry) = match c.call.first {
                Location::Line(n) => (Some(n), None),
                Location::Entry(n) => (None, Some(n)),
            };
            let (status, candidates, host_service) = match &c.outcome {
                Outcome::Operation(_) => ("matched", Vec::new(), None),
                Outcome::Shared { candidates, chosen } => (
                    if chosen.is_empty() {
                        "shared_route"
                    } else {
                        "matched"
                    },
                    candidates.iter().map(|&i| id(i)).collect(),
                    None,
                ),
                Outcome::Services { candidates, chosen } => (
                    if chosen.is_empty() {
                        "several_services"
                    } else {
                        "matched"
                    },
                    candidates.iter().map(|&i| id(i)).collect(),
                    None,
                ),
                Outcome::Unmatched { host_service, .. } => {
                    ("not_matched", Vec::new(), host_service.clone())
                }
            };
            CallJson {
                file: recording.name.clone(),
                call: c.call.call(),
                count: c.call.count,
                line,
                entry,
                refused: c.call.refused,
                operations: c.outcome.operations().iter().map(|&i| id(i)).collect(),
                status,
                candidates,
                host_service,
            }
        })
        .collect()
}

impl Worded for CallsError {
    fn worded(&self, lang: Lang) -> String {
        let name = &super::file_name(&self.name, lang);
        let zh = lang == Lang::Zh;
        match &self.reason {
            CallsReason::Read(e) => e.worded(lang),
            CallsReason::NoCalls {
                terraform_log: true,
                ..
            } => match zh {
                false => format!(
                    "{name}: no API call in it: a Terraform log names its requests only at TF_LOG=DEBUG (TF_LOG=DEBUG TF_LOG_PATH=tf.log terraform apply)"
                ),
                true => format!(
                    "{name}：其中没有 API 调用：Terraform 日志只在 TF_LOG=DEBUG 时记录请求（TF_LOG=DEBUG TF_LOG_PATH=tf.log terraform apply）"
                ),
            },
            CallsReason::NoCalls { first, .. } => {
                let first = first
                    .as_ref()
                    .map(|n| {
                        format!(
                            "{}{} \"{}\"",
                            pick(
                                lang,
                                "; the first entry that is not one: ",
                                "；第一处不是调用的："
                            ),
                            location(name, n.at, lang),
                            escape_controls(&n.text)
                        )
                    })
                    .unwrap_or_default();
                match zh {
                    false => format!(
                        "{name}: no API call in it (expected lines `METHOD URL-or-path`, a Terraform debug log, a HAR file or curl -v output){first}"
                    ),
                    true => format!(
                        "{name}：其中没有 API 调用（应为“方法 URL或路径”的行、Terraform 调试日志、HAR 文件或 curl -v 输出）{first}"
                    ),
                }
            }
            CallsReason::HarNotJson {
                detail,
                line,
                column,
            } => {
                let detail = escape_controls(&shorten(detail, 200));
                match zh {
                    false => {
                        format!("{name}:{line}:{column}: not a HAR file: invalid JSON: {detail}")
                    }
                    true => format!("{name}:{line}:{column}：不是 HAR 文件：JSON 无效：{detail}"),
                }
            }
            CallsReason::NotText(kind) => {
                use crate::calls::NotText;
                match (kind, zh) {
                    (NotText::Gzip, false) => format!(
                        "{name}: compressed (gzip), not text: read it uncompressed (`gunzip -c {name} | ims-perms … --calls -`)"
                    ),
                    (NotText::Gzip, true) => format!(
                        "{name}：是压缩文件（gzip），不是文本：请解压后读取（`gunzip -c {name} | ims-perms … --calls -`）"
                    ),
                    (NotText::Utf16, false) => format!(
                        "{name}: UTF-16 text (as Windows PowerShell writes it): convert it to UTF-8 (`iconv -f UTF-16 -t UTF-8`)"
                    ),
                    (NotText::Utf16, true) => format!(
                        "{name}：是 UTF-16 文本（Windows PowerShell 的写法）：请转换为 UTF-8（`iconv -f UTF-16 -t UTF-8`）"
                    ),
                    (NotText::Binary, false) => format!("{name}: binary data, not text"),
                    (NotText::Binary, true) => format!("{name}：是二进制数据，不是文本"),
                }
            }
            CallsReason::NotHar => match zh {
                false => format!("{name}: JSON without `log.entries`: not a HAR file"),
                true => format!("{name}：JSON 中没有 `log.entries`：不是 HAR 文件"),
            },
        }
    }
}

impl std::fmt::Display for CallsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.worded(Lang::En))
    }
}

/// The progress line of a long reading: `Reading tf.log: 312 MB, 120000 calls…`.
pub fn calls_progress(name: &str, bytes: u64, calls: usize, lang: Lang) -> String {
    let mb = bytes / (1024 * 1024);
    let name = super::file_name(name, lang);
    match lang {
        Lang::En => format!(
            "Reading {name}: {mb} MB, {calls} call{} so far…",
            plural(calls)
        ),
        Lang::Zh => format!("正在读取 {name}：已读 {mb} MB，{calls} 个调用…"),
    }
}

/// The question before selecting pasted calls' operations.
pub fn select_calls_question(
    operations: usize,
    read: usize,
    unmatched: usize,
    lang: Lang,
) -> String {
    let unmatched = match (unmatched, lang) {
        (0, _) => String::new(),
        (1, Lang::En) => " (1 call matches no operation)".to_string(),
        (n, Lang::En) => format!(" ({n} calls match no operation)"),
        (n, Lang::Zh) => format!("（{n} 个调用没有匹配的操作）"),
    };
    match lang {
        Lang::En => format!(
            "Select the {operations} operation{} these {read} call{} need{unmatched}?",
            plural(operations),
            plural(read)
        ),
        Lang::Zh => format!("选择这 {read} 个调用需要的 {operations} 个操作{unmatched}？"),
    }
}
