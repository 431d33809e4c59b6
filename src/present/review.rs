//! A policy review in words: findings, statuses, `explain`'s report and JSON.

use super::words::{pick, plural, punct};
use crate::catalog::Catalog;
use crate::lang::Lang;
use crate::policy::compose::{MAX_ACTIONS_PER_STATEMENT, MAX_POLICY_CHARS, MAX_STATEMENTS};
use crate::policy::review::{FindingKind, MalformedWhy, Review, Severity, Status};
use crate::text::pad;

/// A finding of `explain` in words.
pub fn finding(kind: &FindingKind, lang: Lang) -> String {
    use FindingKind as K;
    let zh = lang == Lang::Zh;
    match kind {
        K::InvalidJson {
            line,
            column,
            detail,
        } => match zh {
            false => format!("invalid JSON at line {line} column {column}: {detail}"),
            true => format!("JSON 无效（第 {line} 行第 {column} 列）：{detail}"),
        },
        K::NotAnObject => pick(lang, "a policy is a JSON object", "策略必须是一个 JSON 对象").into(),
        K::DuplicateKey => pick(
            lang,
            "duplicate key: which one IAM reads is not defined (only the last is evaluated here); keep one",
            "重复的键：IAM 读取哪一个没有定义（此处只评估最后一个）；请只保留一个",
        )
        .into(),
        K::UnknownKey { key, nearest } => {
            let hint = match (nearest, zh) {
                (Some(k), false) => format!(" (did you mean \"{k}\"?)"),
                (Some(k), true) => format!("（是否想用 \"{k}\"？）"),
                (None, _) => String::new(),
            };
            match zh {
                false => format!(
                    "unknown key \"{key}\"{hint}: not part of a policy, so it has no effect here; IAM may refuse the document"
                ),
                true => format!(
                    "未知的键 \"{key}\"{hint}：不属于策略语法，此处不起作用；IAM 可能拒绝该文档"
                ),
            }
        }
        K::Role => pick(
            lang,
            "a 1.0 role: its statements are evaluated as for 1.1; `Depends` (roles it needs) is not",
            "1.0 角色：其语句按 1.1 评估；`Depends`（依赖的角色）不评估",
        )
        .into(),
        K::IdentityPolicy => pick(
            lang,
            "a 5.0 identity policy: `Action` and `NotAction` are evaluated (with `*` and `?`); `Resource` and `Condition` are not",
            "5.0 身份策略：评估 `Action` 与 `NotAction`（支持 `*` 和 `?`）；不评估 `Resource` 和 `Condition`",
        )
        .into(),
        K::BadVersion { found } => match zh {
            false => format!("Version must be \"1.1\" for a custom policy, found {found}"),
            true => format!("自定义策略的 Version 必须是 \"1.1\"，实际为 {found}"),
        },
        K::MissingVersion => pick(
            lang,
            "missing Version: a custom policy has \"Version\": \"1.1\"",
            "缺少 Version：自定义策略应有 \"Version\": \"1.1\"",
        )
        .into(),
        K::DependsNotEvaluated => pick(
            lang,
            "Depends is not evaluated: the roles it names grant more",
            "不评估 Depends：其中的角色会授予更多权限",
        )
        .into(),
        K::TooManyCharacters { characters } => match zh {
            false => format!(
                "{characters} characters (without white space): over IAM's {MAX_POLICY_CHARS}-character limit"
            ),
            true => format!(
                "{characters} 个字符（不含空白）：超过 IAM 的 {MAX_POLICY_CHARS} 字符上限"
            ),
        },
        K::StatementNotArray => {
            pick(lang, "Statement must be an array", "Statement 必须是数组").into()
        }
        K::MissingStatement => pick(lang, "missing Statement", "缺少 Statement").into(),
        K::TooManyStatements { count } => match zh {
            false => format!("{count} statements: IAM allows at most {MAX_STATEMENTS}"),
            true => format!("{count} 条语句：IAM 最多允许 {MAX_STATEMENTS} 条"),
        },
        K::StatementNotObject => pick(lang, "a statement must be an object", "语句必须是对象").into(),
        K::BadEffect { found } => match zh {
            false => format!("Effect must be \"Allow\" or \"Deny\", found {found}"),
            true => format!("Effect 必须是 \"Allow\" 或 \"Deny\"，实际为 {found}"),
        },
        K::MissingEffect => pick(lang, "missing Effect", "缺少 Effect").into(),
        K::NotEvaluated { key } => match zh {
            false => format!("{key} is not evaluated: statuses assume it always applies"),
            true => format!("不评估 {key}：各状态按其始终成立计算"),
        },
        K::ActionNotArray => pick(
            lang,
            "Action must be an array of strings",
            "Action 必须是字符串数组",
        )
        .into(),
        K::MissingAction => pick(lang, "missing Action", "缺少 Action").into(),
        K::EmptyAction { allow: true } => pick(
            lang,
            "Action is empty: this statement allows nothing",
            "Action 为空：此语句不允许任何操作",
        )
        .into(),
        K::EmptyAction { allow: false } => pick(
            lang,
            "Action is empty: this statement denies nothing",
            "Action 为空：此语句不拒绝任何操作",
        )
        .into(),
        K::TooManyActions { count } => match zh {
            false => format!(
                "{count} actions: IAM allows at most {MAX_ACTIONS_PER_STATEMENT} in a statement"
            ),
            true => format!("{count} 个授权项：IAM 每条语句最多 {MAX_ACTIONS_PER_STATEMENT} 个"),
        },
        K::ActionNotString => pick(lang, "an action must be a string", "授权项必须是字符串").into(),
        K::ActionAndNotAction => pick(
            lang,
            "a statement has either Action or NotAction, not both: IAM refuses it",
            "一条语句只能有 Action 或 NotAction 之一，不能两者都有：IAM 会拒绝它",
        )
        .into(),
        K::MalformedAction { action, why } => {
            let why = match why {
                MalformedWhy::NotThreeParts => pick(
                    lang,
                    "expected `service:resourceType:action`",
                    "应为 `服务:资源类型:操作`",
                ),
                MalformedWhy::BadCharacters => pick(
                    lang,
                    "each part must be letters, digits, `_`, `-` or wildcards",
                    "每一段只能由字母、数字、`_`、`-` 或通配符组成",
                ),
                MalformedWhy::UpperCaseService => {
                    pick(lang, "the service part must be lower case", "服务名须为小写")
                }
            };
            match zh {
                false => format!("malformed action \"{action}\": {why}"),
                true => format!("授权项 \"{action}\" 格式错误：{why}"),
            }
        }
        K::WildcardsNotAllChecked { checked } => match zh {
            false => format!(
                "more than {checked} different wildcards: only the first {checked} were checked for actions they already cover"
            ),
            true => format!(
                "超过 {checked} 个不同的通配符：仅检查了前 {checked} 个是否已覆盖其他授权项"
            ),
        },
        K::Duplicate { of } => match zh {
            false => format!("duplicate of \"{of}\" in the same statement"),
            true => format!("与同一语句中的 \"{of}\" 重复"),
        },
        K::Covered { action, by } => match zh {
            false => format!("\"{action}\" is already covered by \"{by}\" in the same statement"),
            true => format!("\"{action}\" 已被同一语句中的 \"{by}\" 覆盖"),
        },
        K::OtherService { action, service } => match zh {
            false => format!(
                "\"{action}\": service `{service}` is not in the loaded catalogs; noted, not evaluated"
            ),
            true => format!("\"{action}\"：服务 `{service}` 不在已加载的目录中；仅记录，不评估"),
        },
        K::UnknownAction { action, nearest } => {
            let hint = match (nearest, zh) {
                (Some(k), false) => format!("; did you mean \"{k}\"?"),
                (Some(k), true) => format!("；是否想用 \"{k}\"？"),
                (None, _) => String::new(),
            };
            match zh {
                false => format!(
                    "unknown action \"{action}\": no operation in the loaded catalogs needs it{hint}"
                ),
                true => format!("未知授权项 \"{action}\"：已加载目录中没有操作需要它{hint}"),
            }
        }
        K::MissingDependencies { operation, missing } => match zh {
            false => format!(
                "{operation} is allowed, but not the actions it depends on to work from the console: {}",
                missing.join(", ")
            ),
            true => format!(
                "{operation} 已允许，但其在控制台使用所依赖的授权项未被允许：{}",
                missing.join("、")
            ),
        },
        K::BroadWildcard {
            wildcard,
            matched,
            operations,
            beyond_explicit,
        } => {
            let count = matched.len();
            let sep = punct(lang).sep;
            let matched = matched.join(sep);
            let n = operations.len();
            let ops = operations.join(sep);
            match (zh, beyond_explicit) {
                (false, true) => format!(
                    "wildcard \"{wildcard}\" matches {count} ({matched}) and grants {n} operation{} beyond the explicit actions: {ops}; it will also match actions added later",
                    plural(n)
                ),
                (false, false) => format!(
                    "wildcard \"{wildcard}\" matches {count} ({matched}) and grants {n} operation{}: {ops}; it will also match actions added later",
                    plural(n)
                ),
                (true, true) => format!(
                    "通配符 \"{wildcard}\" 匹配 {count} 个授权项（{matched}），比显式授权项多授予 {n} 个操作：{ops}；它也会匹配以后新增的授权项"
                ),
                (true, false) => format!(
                    "通配符 \"{wildcard}\" 匹配 {count} 个授权项（{matched}），授予 {n} 个操作：{ops}；它也会匹配以后新增的授权项"
                ),
            }
        }
    }
}

pub fn severity(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Error => pick(lang, "error", "错误"),
        Severity::Warning => pick(lang, "warning", "警告"),
        Severity::Info => pick(lang, "info", "提示"),
    }
}

/// What a policy does for an operation, in a sentence's words.
pub fn review_status(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::Allowed => pick(lang, "allowed", "允许"),
        Status::Denied => pick(lang, "denied", "拒绝"),
        Status::Partial => pick(lang, "partial", "部分"),
        Status::NotGranted => pick(lang, "not granted", "未授权"),
        Status::NoActionNeeded => pick(lang, "needs no action", "无需授权"),
        Status::NotInScope => pick(lang, "not in scope", "不在范围内"),
        Status::ActionsNotDocumented => pick(lang, "actions not documented", "授权项未说明"),
    }
}

/// The same in a table cell: words, not colour alone.
pub fn review_status_short(status: Option<Status>, lang: Lang) -> &'static str {
    match status {
        Some(Status::Allowed) => pick(lang, "allow", "允许"),
        Some(Status::Denied) => pick(lang, "DENY", "拒绝"),
        Some(Status::Partial) => pick(lang, "part", "部分"),
        Some(Status::NotGranted) => "-",
        Some(Status::NoActionNeeded) => pick(lang, "none", "无需"),
        Some(Status::NotInScope) => pick(lang, "n/a", "不适用"),
        Some(Status::ActionsNotDocumented) => "?",
        None => "?",
    }
}

/// "3 allowed, 1 partial, 0 denied, 14 not granted".
fn review_counts(review: &Review, lang: Lang) -> String {
    let c = |s: Status| review.count(s);
    let counts = match lang {
        Lang::En => format!(
            "{} allowed, {} partial, {} denied, {} not granted",
            c(Status::Allowed),
            c(Status::Partial),
            c(Status::Denied),
            c(Status::NotGranted)
        ),
        Lang::Zh => format!(
            "{} 允许，{} 部分，{} 拒绝，{} 未授权",
            c(Status::Allowed),
            c(Status::Partial),
            c(Status::Denied),
            c(Status::NotGranted)
        ),
    };
    let counts = match (c(Status::NoActionNeeded), lang) {
        (0, _) => counts,
        (n, Lang::En) => format!("{counts}, {n} need no action"),
        (n, Lang::Zh) => format!("{counts}，{n} 无需授权"),
    };
    let counts = match (c(Status::NotInScope), lang) {
        (0, _) => counts,
        (n, Lang::En) => format!("{counts}, {n} not in scope (no enterprise project support)"),
        (n, Lang::Zh) => format!("{counts}，{n} 不在范围内（不支持企业项目）"),
    };
    match (c(Status::ActionsNotDocumented), lang) {
        (0, _) => counts,
        (n, Lang::En) => format!("{counts}, {n} with actions not documented (no verdict)"),
        (n, Lang::Zh) => format!("{counts}，{n} 授权项未说明（无法判断）"),
    }
}

/// A finding as one line: `error Statement[0].Effect: …`.
pub fn finding_line(f: &crate::policy::review::Finding, lang: Lang) -> (String, String) {
    let path = if f.path.is_empty() {
        String::new()
    } else {
        format!("{}{}", f.path, punct(lang).colon)
    };
    (
        severity(f.severity, lang).to_string(),
        format!("{path}{}", finding(&f.kind, lang)),
    )
}

/// A finding as `explain --json` gives it: the facts, and the message in English for scripts.
#[derive(Debug, serde::Serialize)]
pub struct FindingJson<'a> {
    pub severity: Severity,
    pub message: String,
    pub path: &'a str,
}

/// The JSON `ims-perms explain --json` prints: `{"operations": [...], "findings": [...]}`.
#[derive(Debug, serde::Serialize)]
pub struct ReviewJson<'a> {
    pub operations: &'a [crate::policy::review::OperationReview],
    pub findings: Vec<FindingJson<'a>>,
}

pub fn review_json(review: &Review) -> ReviewJson<'_> {
    ReviewJson {
        operations: &review.operations,
        findings: review
            .findings
            .iter()
            .map(|f| FindingJson {
                severity: f.severity,
                message: finding(&f.kind, Lang::En),
                path: &f.path,
            })
            .collect(),
    }
}

/// `explain`'s readable report.
pub fn review_report(catalog: &Catalog, review: &Review, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    if !review.evaluated {
        out.push_str(pick(
            lang,
            "Operations: not evaluated (the document could not be read)\n",
            "操作：未评估（无法读取该文档）\n",
        ));
    } else {
        let total = review.operations.len();
        out.push_str(&match zh {
            false => format!("Operations: {} (of {total})\n", review_counts(review, lang)),
            true => format!("操作：{}（共 {total}）\n", review_counts(review, lang)),
        });
    }
    // Each route as shown, made once for the column's width and its line.
    let routes: Vec<String> = review
        .operations
        .iter()
        .map(|o| super::words::route_or_none(&catalog.operations()[o.index], lang))
        .collect();
    let width = routes
        .iter()
        .map(|r| crate::text::width(r))
        .max()
        .unwrap_or(0);
    // The widest status of the common ones, or of those present ("actions not documented" is
    // rare and long).
    let status_width = [
        Status::Allowed,
        Status::Denied,
        Status::Partial,
        Status::NotGranted,
        Status::NoActionNeeded,
        Status::NotInScope,
    ]
    .into_iter()
    .chain(review.operations.iter().map(|o| o.status))
    .map(|s| crate::text::width(review_status(s, lang)))
    .max()
    .unwrap_or(0);
    for (o, route) in review.operations.iter().zip(&routes) {
        let op = &catalog.operations()[o.index];
        let mut line = format!(
            "  {}  {}  {}",
            pad(review_status(o.status, lang), status_width),
            pad(route, width),
            o.id
        );
        let p = punct(lang);
        let why = match o.status {
            Status::Denied => Some((pick(lang, "denied by ", "被拒绝："), &o.denied_by)),
            Status::Partial => Some((pick(lang, "missing ", "缺少："), &o.missing)),
            _ => None,
        };
        if let Some((label, actions)) = why {
            line.push_str(&format!(
                "  {}{label}{}{}",
                p.open.trim_start(),
                actions.join(p.sep),
                p.close
            ));
        }
        if op.all_conditional() && o.status == Status::Partial {
            let cases: Vec<&str> = o
                .conditional_covered
                .iter()
                .map(|(_, c)| c.get(lang))
                .collect();
            line.push_str(&format!(
                "  [{}: {}]",
                pick(lang, "only", "仅"),
                cases.join("; ")
            ));
        }
        out.push_str(&line);
        out.push('\n');
    }
    let covered: Vec<String> = review
        .operations
        .iter()
        .filter(|o| !catalog.operations()[o.index].all_conditional())
        .flat_map(|o| {
            o.conditional_covered
                .iter()
                .map(move |(a, c)| format!("  {}: {} ({})", o.id, a, c.get(lang)))
        })
        .collect();
    if !covered.is_empty() {
        out.push_str(pick(
            lang,
            "Conditional actions covered:\n",
            "覆盖的条件授权项：\n",
        ));
        for c in covered {
            out.push_str(&c);
            out.push('\n');
        }
    }
    if review.findings.is_empty() {
        out.push_str(pick(lang, "No findings.\n", "未发现问题。\n"));
    } else {
        out.push_str(pick(lang, "Findings:\n", "检查结果：\n"));
        for f in &review.findings {
            let (sev, text) = finding_line(f, lang);
            out.push_str(&format!("  {}  {text}\n", pad(&sev, 7)));
        }
    }
    out
}
