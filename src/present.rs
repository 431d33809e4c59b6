//! Every sentence the tool says, in both languages, in one place. The rest of the code returns
//! facts (findings, reports, outcomes, statuses); the functions here turn each into words for a
//! [`Lang`], one `match` per kind of message. The command line and the explorer both call them,
//! so a message is written once. JSON output uses [`Lang::En`] for its messages.
//!
//! To add a message: add a variant to the enum it belongs to ([`FindingKind`], [`Notice`],
//! [`Label`], [`Hint`]) and its two texts to the one `match` below that words it.

use crate::catalog::{Catalog, Operation, Scopes};
use crate::lang::Lang;
use crate::policy::compose::{
    Composition, Effect, MAX_ACTIONS_PER_STATEMENT, MAX_POLICY_CHARS, MAX_STATEMENTS,
};
use crate::policy::export::{Declined, ExportFormat, Replacement};
use crate::policy::review::{FindingKind, MalformedWhy, Review, Severity, Status};
use crate::text::{pad, width};

/// `(en, zh)` by language.
fn pick<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// Punctuation in each language's own style: full-width in Chinese, as Huawei's console
/// writes it, never mixed with ASCII in one sentence.
struct Punct {
    /// `(` / `（`, with the space English wants before it.
    open: &'static str,
    close: &'static str,
    /// `, ` / `、` between the items of a list.
    sep: &'static str,
    colon: &'static str,
    semi: &'static str,
}

fn punct(lang: Lang) -> Punct {
    match lang {
        Lang::En => Punct {
            open: " (",
            close: ")",
            sep: ", ",
            colon: ": ",
            semi: "; ",
        },
        Lang::Zh => Punct {
            open: "（",
            close: "）",
            sep: "、",
            colon: "：",
            semi: "；",
        },
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

// ---------------------------------------------------------------------------------------------
// Policy review

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
            "a 5.0 identity policy: `Action` is evaluated (with `*` and `?`); `NotAction`, `Resource` and `Condition` are not",
            "5.0 身份策略：评估 `Action`（支持 `*` 和 `?`）；不评估 `NotAction`、`Resource` 和 `Condition`",
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
        K::NotActionNotEvaluated => pick(
            lang,
            "NotAction is not evaluated: this statement may allow or deny more than shown",
            "不评估 NotAction：此语句允许或拒绝的可能比显示的多",
        )
        .into(),
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
        K::MalformedAction { action, why } => {
            let why = match why {
                MalformedWhy::NotThreeParts => "expected `service:resourceType:action`",
                MalformedWhy::BadCharacters => {
                    "each part must be letters, digits, `_`, `-` or wildcards"
                }
                MalformedWhy::UpperCaseService => "the service part must be lower case",
            };
            match zh {
                false => format!("malformed action \"{action}\": {why}"),
                true => format!("授权项格式错误 \"{action}\"：{why}"),
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
    match (c(Status::NoActionNeeded), lang) {
        (0, _) => counts,
        (n, Lang::En) => format!("{counts}, {n} need no action"),
        (n, Lang::Zh) => format!("{counts}，{n} 无需授权"),
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
    let width = review
        .operations
        .iter()
        .map(|o| o.method.len() + 1 + o.path.len())
        .max()
        .unwrap_or(0);
    let status_width = [
        Status::Allowed,
        Status::Denied,
        Status::Partial,
        Status::NotGranted,
        Status::NoActionNeeded,
    ]
    .into_iter()
    .map(|s| crate::text::width(review_status(s, lang)))
    .max()
    .unwrap_or(0);
    for o in &review.operations {
        let op = &catalog.operations()[o.index];
        let route = format!("{} {}", o.method, o.path);
        let mut line = format!(
            "  {}  {}  {}",
            pad(review_status(o.status, lang), status_width),
            pad(&route, width),
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

// ---------------------------------------------------------------------------------------------
// The composer

/// Where the composer's report is read, so its advice names what works there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advice {
    /// `ims-perms compose`: flags.
    Cli,
    /// The explorer: keys.
    Explorer,
}

/// The composer's report, line by line, for the CLI's stderr and the explorer's composer pane.
pub fn compose_report(
    catalog: &Catalog,
    composition: &Composition,
    effect: Effect,
    lang: Lang,
    advice: Advice,
) -> Vec<String> {
    let ops = catalog.operations();
    let zh = lang == Lang::Zh;
    let p = punct(lang);
    let name = |i: usize| format!("{}{}{}{}", ops[i].id, p.open, ops[i].route(), p.close);
    let list = |v: &[usize]| v.iter().map(|&i| name(i)).collect::<Vec<_>>().join(p.sep);
    let r = &composition.report;
    let mut out = Vec::new();

    let n = r.operations.len();
    match &composition.policy {
        Some(p) => {
            let a = p.action_count();
            let s = p.statements.len();
            out.push(match zh {
                false => format!(
                    "Policy: {n} operation{}, {a} action{}, {s} statement{} (Effect: {effect:?})",
                    plural(n),
                    plural(a),
                    plural(s)
                ),
                true => format!("策略：{n} 个操作，{a} 个授权项，{s} 条语句（Effect: {effect:?}）"),
            })
        }
        None => out.push(
            pick(
                lang,
                "No policy: the chosen operations need no IAM action.",
                "无策略：所选操作不需要任何授权项。",
            )
            .into(),
        ),
    }
    if !r.no_action.is_empty() {
        out.push(format!(
            "{}{}",
            pick(lang, "Needs no permission: ", "无需授权："),
            list(&r.no_action)
        ));
    }

    // Scopes: one line each, the same shape.
    // A scope is "yes" only when every operation is documented to support it.
    let unknown = &r.scopes_unknown;
    let scope_line =
        |scope: &str, blockers: &[usize]| match (blockers.is_empty(), unknown.is_empty(), zh) {
            (true, true, false) => format!("  {scope}: yes"),
            (true, true, true) => format!("  {scope}：支持"),
            (true, false, false) => format!(
                "  {scope}: unknown: the permission table does not say for {}",
                list(unknown)
            ),
            (true, false, true) => format!("  {scope}：未知：权限表未说明 {}", list(unknown)),
            (false, _, false) => format!("  {scope}: no, because of {}", list(blockers)),
            (false, _, true) => format!("  {scope}：不支持，因为 {}", list(blockers)),
        };
    out.push(pick(lang, "Scopes where the policy fully works:", "授权范围：").into());
    out.push(scope_line(
        pick(lang, "Project", "项目（Project）"),
        &r.project_blockers,
    ));
    out.push(scope_line(
        pick(lang, "Enterprise Project", "企业项目（Enterprise Project）"),
        &r.enterprise_project_blockers,
    ));

    if !r.prerequisites.is_empty() {
        out.push(
            pick(
                lang,
                "Prerequisites on other services:",
                "其他服务的前提权限：",
            )
            .into(),
        );
        for need in &r.prerequisites {
            let ids: Vec<String> = need
                .operations
                .iter()
                .map(|(i, condition)| match condition {
                    Some(c) => format!("{}{}{}", ops[*i].id, p.colon, c.get(lang)),
                    None => ops[*i].id.clone(),
                })
                .collect();
            out.push(format!(
                "  {}{}{}{}",
                need.permission.get(lang),
                p.open,
                ids.join(p.semi),
                p.close
            ));
        }
    }
    let conditional = |c: &crate::policy::compose::ConditionalAction| {
        let why = match (c.needed_by, zh) {
            (Some(o), false) => format!(" — in the policy because {} needs it", ops[o].id),
            (Some(o), true) => format!("，因 {} 需要而已包含", ops[o].id),
            (None, _) => String::new(),
        };
        format!(
            "  {}{}{}{}{}{}{why}",
            c.action,
            p.open,
            ops[c.operation].id,
            p.colon,
            c.condition.get(lang),
            p.close
        )
    };
    if !r.conditional_included.is_empty() {
        out.push(
            pick(
                lang,
                "Conditional actions included:",
                "已包含的条件授权项：",
            )
            .into(),
        );
        out.extend(r.conditional_included.iter().map(conditional));
    }
    if !r.conditional_left_out.is_empty() {
        out.push(
            pick(
                lang,
                "Conditional actions left out:",
                "未包含的条件授权项：",
            )
            .into(),
        );
        out.extend(r.conditional_left_out.iter().map(conditional));
        out.push(
            match advice {
                Advice::Cli => pick(
                    lang,
                    "  Add them with --with ACTION or --all-conditional.",
                    "  用 --with ACTION 或 --all-conditional 加入。",
                ),
                Advice::Explorer => pick(
                    lang,
                    "  Add them in the composer (Tab, then Space on one).",
                    "  在组合器中加入（按 Tab，再在其上按空格）。",
                ),
            }
            .into(),
        );
    }
    for need in &r.dependencies_left_out {
        let id = &ops[need.operation].id;
        let actions = dependency_list(&need.actions, lang);
        let how = match (advice, zh) {
            (Advice::Cli, false) => "add them with --with-dependencies",
            (Advice::Cli, true) => "用 --with-dependencies 加入",
            (Advice::Explorer, false) => "switch them on in the composer (Tab, Space)",
            (Advice::Explorer, true) => "在组合器中打开（Tab，空格）",
        };
        out.push(match zh {
            false => format!("{id} also needs, to work from the console: {actions} — {how}"),
            true => format!("{id} 在控制台使用时还依赖：{actions}；{how}"),
        });
    }
    for need in &r.dependencies_included {
        let id = &ops[need.operation].id;
        let actions = dependency_list(&need.actions, lang);
        out.push(match zh {
            false => format!("Dependent actions included for {id}: {actions}"),
            true => format!("已包含 {id} 依赖的授权项：{actions}"),
        });
        let wild = need
            .actions
            .iter()
            .filter(|a| a.action.contains('*'))
            .count();
        if wild > 0 {
            out.push(match zh {
                false => format!(
                    "  Warning: {wild} of them {} and grant{} far more than {id} needs.",
                    if wild == 1 {
                        "is a wildcard"
                    } else {
                        "are wildcards"
                    },
                    if wild == 1 { "s" } else { "" }
                ),
                true => format!("  警告：其中 {wild} 个是通配符，授予的远多于 {id} 所需。"),
            });
        }
    }
    let verb = match (effect, zh) {
        (Effect::Allow, false) => "allow",
        (Effect::Deny, false) => "deny",
        (Effect::Allow, true) => "允许",
        (Effect::Deny, true) => "拒绝",
    };
    if !r.also_covers.is_empty() {
        out.push(match zh {
            false => format!("The same actions also {verb}:"),
            true => format!("相同授权项还会{verb}："),
        });
        for &i in &r.also_covers {
            out.push(format!("  {}", name(i)));
        }
    }
    if !r.partly_covers.is_empty() {
        out.push(match zh {
            false => format!("The same actions also partly {verb}:"),
            true => format!("相同授权项还会部分{verb}："),
        });
        for partial in &r.partly_covers {
            let cases: Vec<String> = partial
                .granted
                .iter()
                .map(|c| format!("{}{}{}", c.action, p.colon, c.condition.get(lang)))
                .collect();
            out.push(format!(
                "  {} [{}]",
                name(partial.operation),
                cases.join(p.semi)
            ));
        }
    }
    if composition.policy.is_some() {
        let (largest, statements, characters) = (r.largest_statement, r.statements, r.characters);
        out.push(match zh {
            false => format!(
                "Limits: {largest} of {MAX_ACTIONS_PER_STATEMENT} actions in the largest statement, {statements} of {MAX_STATEMENTS} statements, {characters} of {MAX_POLICY_CHARS} characters"
            ),
            true => format!(
                "限制：最大的语句含 {largest} 个授权项（上限 {MAX_ACTIONS_PER_STATEMENT}），共 {statements} 条语句（上限 {MAX_STATEMENTS}），{characters} 个字符（上限 {MAX_POLICY_CHARS}）"
            ),
        });
        if characters > MAX_POLICY_CHARS {
            out.push(match zh {
                false => format!(
                    "Warning: the policy is over {MAX_POLICY_CHARS} characters; IAM may refuse it."
                ),
                true => format!("警告：策略超过 {MAX_POLICY_CHARS} 个字符，IAM 可能拒绝它。"),
            });
        }
    }
    out
}

/// Dependencies as listed, a condition after the action it belongs to.
fn dependency_list(actions: &[crate::catalog::ActionRequirement], lang: Lang) -> String {
    let p = punct(lang);
    actions
        .iter()
        .map(|a| match &a.condition {
            Some(c) => format!("{}{}{}{}", a.action, p.open, c.get(lang), p.close),
            None => a.action.to_string(),
        })
        .collect::<Vec<_>>()
        .join(p.sep)
}

/// The explorer's toggle for an operation's dependent actions, saying how broad they are.
pub fn dependencies_toggle(op: &Operation, lang: Lang) -> String {
    let n = op.dependencies.len();
    let wildcards: Vec<&str> = op
        .dependencies
        .iter()
        .map(|d| d.action.as_ref())
        .filter(|a| a.contains('*'))
        .collect();
    let broad = if wildcards.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::En => format!(", wildcards: {}", wildcards.join(", ")),
            Lang::Zh => format!("，通配符：{}", wildcards.join("、")),
        }
    };
    match lang {
        Lang::En => format!("dependencies of {} ({n} action{}{broad})", op.id, plural(n)),
        Lang::Zh => format!("{} 依赖的授权项（{n} 个{broad}）", op.id),
    }
}

/// "FILE exists", with what overwriting it touches: the file a link points to, or a new file
/// under a name that other hard links share.
pub fn file_exists(path: &str, existing: &crate::io::output::Existing, lang: Lang) -> String {
    let target = existing
        .link_target
        .as_ref()
        .map(|t| crate::text::escape_controls(&t.to_string_lossy()));
    let others = existing.hard_links.saturating_sub(1);
    let mut out = match (&target, lang) {
        (None, Lang::En) => format!("{path} exists."),
        (None, Lang::Zh) => format!("{path} 已存在。"),
        (Some(t), Lang::En) => format!("{path} exists: a link to {t}, which will be rewritten."),
        (Some(t), Lang::Zh) => format!("{path} 已存在：它是指向 {t} 的链接，将改写该文件。"),
    };
    match (others, lang) {
        (0, _) => {}
        (1, Lang::En) => out.push_str(
            " It has another hard link: a new file is written, and that link keeps the old text.",
        ),
        (n, Lang::En) => out.push_str(&format!(
            " It has {n} other hard links: a new file is written, and they keep the old text."
        )),
        (n, Lang::Zh) => out.push_str(&format!(
            "它还有 {n} 个硬链接：将写入一个新文件，其他链接保留原内容。"
        )),
    }
    out
}

/// One change of a reviewed policy's patterns, for the explorer's comparison.
pub fn pattern_change(change: &crate::policy::review::PatternChange, lang: Lang) -> String {
    use crate::policy::review::PatternChange as C;
    let effect = |allow: bool| if allow { "Allow" } else { "Deny" };
    let list = |v: &[String]| match lang {
        Lang::En => v.join(", "),
        Lang::Zh => v.join("、"),
    };
    match (change, lang) {
        (
            C::StatementDropped {
                statement,
                allow,
                patterns,
            },
            Lang::En,
        ) => format!(
            "~ Statement[{statement}] ({}) dropped: {}",
            effect(*allow),
            list(patterns)
        ),
        (
            C::StatementDropped {
                statement,
                allow,
                patterns,
            },
            Lang::Zh,
        ) => format!(
            "~ 删除了 Statement[{statement}]（{}）：{}",
            effect(*allow),
            list(patterns)
        ),
        (
            C::Replaced {
                statement,
                allow,
                pattern,
                by,
            },
            Lang::En,
        ) => format!(
            "~ Statement[{statement}] ({}) \"{pattern}\" replaced by {}",
            effect(*allow),
            list(by)
        ),
        (
            C::Replaced {
                statement,
                allow,
                pattern,
                by,
            },
            Lang::Zh,
        ) => format!(
            "~ Statement[{statement}]（{}）的 \"{pattern}\" 替换为 {}",
            effect(*allow),
            list(by)
        ),
        (
            C::Removed {
                statement,
                allow,
                pattern,
            },
            Lang::En,
        ) => format!(
            "~ Statement[{statement}] ({}) \"{pattern}\" removed",
            effect(*allow)
        ),
        (
            C::Removed {
                statement,
                allow,
                pattern,
            },
            Lang::Zh,
        ) => format!(
            "~ 删除了 Statement[{statement}]（{}）的 \"{pattern}\"",
            effect(*allow)
        ),
    }
}

/// After overwriting a file that had other hard links.
pub fn hard_links_kept(path: &str, others: u64, lang: Lang) -> String {
    match lang {
        Lang::En if others == 1 => {
            format!("Wrote {path} as a new file: its other hard link keeps the old text.")
        }
        Lang::En => {
            format!("Wrote {path} as a new file: its {others} other hard links keep the old text.")
        }
        Lang::Zh => format!("已将 {path} 写为新文件：它的其他 {others} 个硬链接保留原内容。"),
    }
}

/// What `--compact` did, for the report: the services it left alone and why, then each
/// replacement.
pub fn compact_report(changes: &[Replacement], declined: &[Declined], lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = declined
        .iter()
        .map(|d| match (d.loaded, lang) {
            (false, Lang::En) => format!(
                "Compact: {} actions kept as they are: no catalog of `{}` is loaded, so no wildcard over it is proven to grant only these.",
                d.service, d.service
            ),
            (false, Lang::Zh) => format!(
                "精简：{} 的授权项保持原样：未加载 `{}` 的目录，无法证明通配符只授予这些授权项。",
                d.service, d.service
            ),
            (true, Lang::En) => format!(
                "Compact: {} actions kept as they are: the loaded `{}` catalog is not marked complete (import --complete), so a wildcard could grant permissions it does not list.",
                d.service, d.service
            ),
            (true, Lang::Zh) => format!(
                "精简：{} 的授权项保持原样：已加载的 `{}` 目录未标记为完整（import --complete），通配符可能授予其中未列出的权限。",
                d.service, d.service
            ),
        })
        .collect();
    if changes.is_empty() {
        out.push(
            pick(
                lang,
                "Compact: no wildcard grants exactly the same operations; unchanged.",
                "精简：没有通配符能授予完全相同的操作；未改变。",
            )
            .into(),
        );
        return out;
    }
    out.extend(changes.iter().map(|c| match lang {
        Lang::En => format!("Compact: {} replaces {}", c.wildcard, c.replaced.join(", ")),
        Lang::Zh => format!("精简：{} 替代 {}", c.wildcard, c.replaced.join("、")),
    }));
    out.push(
        pick(
            lang,
            "Warning: wildcards also match actions added to the service later.",
            "警告：通配符也会匹配服务以后新增的授权项。",
        )
        .into(),
    );
    out
}

// ---------------------------------------------------------------------------------------------
// Operations: the table and the detail

/// An operation's actions in one cell: conditional ones marked `*`, none as `-`.
pub fn actions_cell(op: &Operation) -> String {
    if op.actions.is_empty() {
        return "-".into();
    }
    op.actions
        .iter()
        .map(|a| {
            if a.is_conditional() {
                format!("{}*", a.action)
            } else {
                a.action.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The operations at `indices` as an aligned table, with a key below it. A `SERVICE` column is
/// added when more than one service is loaded.
pub fn operations_table(catalog: &Catalog, indices: &[usize], lang: Lang) -> String {
    let ops: Vec<&Operation> = indices.iter().map(|&i| &catalog.operations()[i]).collect();
    table_of_operations(&ops, catalog.services().len() > 1, lang)
}

/// [`operations_table`] of `ops`, with a service column when operations of more than one
/// service are loaded (whether or not these are).
pub fn table_of_operations(ops: &[&Operation], with_service: bool, lang: Lang) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head: Vec<String> = match lang {
        Lang::En => ["ID", "METHOD", "PATH", "SCOPE", "ACTIONS", "NAME"],
        Lang::Zh => ["ID", "方法", "路径", "授权范围", "授权项", "权限"],
    }
    .iter()
    .map(|s| s.to_string())
    .collect();
    if with_service {
        head.insert(0, pick(lang, "SERVICE", "服务").into());
    }
    rows.push(head);
    for op in ops {
        let mut row = vec![
            op.id.clone(),
            op.method.to_string(),
            op.path.clone(),
            Scopes::symbol(op.scopes).to_string(),
            actions_cell(op),
            op.name.get(lang).to_string(),
        ];
        if with_service {
            row.insert(0, op.service.to_string());
        }
        rows.push(row);
    }
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == columns {
                line.push_str(cell);
            } else {
                line.push_str(&pad(cell, widths[c]));
                line.push_str("  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let conditional = ops
        .iter()
        .any(|op| op.actions.iter().any(|a| a.is_conditional()));
    if conditional {
        out.push_str(pick(
            lang,
            "* conditional: needed only in some cases (`ims-perms lookup` shows when)\n",
            "* 条件授权项：仅在部分情况下需要（`ims-perms lookup` 可查看条件）\n",
        ));
    }
    out.push_str(pick(
        lang,
        "SCOPE: P = Project, EP = Enterprise Project",
        "授权范围：P = 项目（Project），EP = 企业项目（Enterprise Project）",
    ));
    if ops.iter().any(|op| op.scopes.is_none()) {
        out.push_str(pick(
            lang,
            ", ? = not documented by the table",
            "，? = 权限表未说明",
        ));
    }
    out.push('\n');
    out
}

/// What a line of an operation's detail is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailField {
    Name,
    /// The name in the other language.
    OtherName,
    /// The table of the permission reference it is in.
    Section,
    Does,
    Actions,
    Scopes,
    Needs,
    /// Dependent actions (依赖的授权项).
    DependsOn,
    Notes,
}

/// One line of an operation's detail: its field, whether it starts the field (and so carries
/// its label), and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailLine {
    pub field: DetailField,
    pub first: bool,
    pub text: String,
}

/// The label of a detail field (`Actions:`).
pub fn detail_label(field: DetailField, lang: Lang) -> &'static str {
    match field {
        DetailField::Name => pick(lang, "Name:", "权限："),
        DetailField::OtherName => "",
        DetailField::Section => pick(lang, "Section:", "分类："),
        DetailField::Does => pick(lang, "Does:", "用途："),
        DetailField::Actions => pick(lang, "Actions:", "授权项："),
        DetailField::Scopes => pick(lang, "Scopes:", "授权范围："),
        DetailField::Needs => pick(lang, "Needs:", "前提："),
        DetailField::DependsOn => pick(lang, "Depends:", "依赖："),
        DetailField::Notes => pick(lang, "Notes:", "备注："),
    }
}

/// Everything known about one operation, as `lookup` prints it and the explorer's detail pane
/// shows it: one list, written once.
pub fn operation_detail_lines(op: &Operation, lang: Lang) -> Vec<DetailLine> {
    let mut out = Vec::new();
    let mut field = |field: DetailField, texts: Vec<String>| {
        for (n, text) in texts.into_iter().enumerate() {
            out.push(DetailLine {
                field,
                first: n == 0,
                text,
            });
        }
    };
    field(DetailField::Name, vec![op.name.get(lang).to_string()]);
    if let Some(other) = op.name.exactly(lang.other()) {
        field(DetailField::OtherName, vec![other.to_string()]);
    }
    if let Some(section) = &op.section {
        let other = section
            .exactly(lang.other())
            .filter(|o| *o != section.get(lang))
            .map(|o| format!(" / {o}"))
            .unwrap_or_default();
        field(
            DetailField::Section,
            vec![format!("{}{other}", section.get(lang))],
        );
    }
    let description = op.description.get(lang);
    if !description.is_empty() {
        field(DetailField::Does, vec![description.to_string()]);
    }
    let actions: Vec<String> = if op.actions.is_empty() {
        vec![pick(lang, "none: no permission needed", "无：不需要授权").into()]
    } else {
        op.actions
            .iter()
            .map(|a| match &a.condition {
                Some(c) => format!("{}* ({})", a.action, c.get(lang)),
                None => a.action.to_string(),
            })
            .collect()
    };
    field(DetailField::Actions, actions);
    let yes_no = |b: bool| match (b, lang) {
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
        (true, Lang::Zh) => "支持",
        (false, Lang::Zh) => "不支持",
    };
    field(
        DetailField::Scopes,
        vec![match (op.scopes, lang) {
            (Some(s), Lang::En) => format!(
                "Project: {}, Enterprise Project: {}",
                yes_no(s.project),
                yes_no(s.enterprise_project)
            ),
            (Some(s), Lang::Zh) => format!(
                "项目：{}，企业项目：{}",
                yes_no(s.project),
                yes_no(s.enterprise_project)
            ),
            (None, _) => pick(
                lang,
                "not documented (the permission table has no scope column)",
                "未说明（权限表没有授权范围列）",
            )
            .into(),
        }],
    );
    field(
        DetailField::Needs,
        op.prerequisites
            .iter()
            .map(|p| p.note().get(lang).to_string())
            .collect(),
    );
    field(
        DetailField::DependsOn,
        op.dependencies
            .iter()
            .map(|d| match &d.condition {
                Some(c) => format!("{} ({})", d.action, c.get(lang)),
                None => d.action.to_string(),
            })
            .collect(),
    );
    let mut flags = Vec::new();
    if op.openstack_native {
        flags.push(pick(lang, "native OpenStack API", "OpenStack 原生接口"));
    }
    if op.deprecated {
        flags.push(pick(lang, "deprecated", "已废弃"));
    }
    if !flags.is_empty() {
        field(DetailField::Notes, vec![flags.join(pick(lang, ", ", "、"))]);
    }
    out
}

/// The detail as `lookup` prints it: the route, then labelled lines aligned by display width.
pub fn operation_detail(op: &Operation, lang: Lang) -> String {
    let mut out = match lang {
        Lang::En => format!("{}  ({}: {})\n", op.route(), op.service, op.id),
        Lang::Zh => format!("{}  （{}：{}）\n", op.route(), op.service, op.id),
    };
    for line in operation_detail_lines(op, lang) {
        let label = if line.first {
            detail_label(line.field, lang)
        } else {
            ""
        };
        out.push_str(&format!("  {}{}\n", pad(label, 10), line.text));
    }
    out
}

/// `lookup` when the call's route is several permissions.
pub fn shared_route(count: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "This route is {count} permissions; the request body says which (compose takes the id):"
        ),
        Lang::Zh => {
            format!("此路由对应 {count} 项权限，由请求体决定是哪一项（compose 请用其 ID）：")
        }
    }
}

/// `lookup`'s list of the other operations a call matches.
pub fn also_matches(lang: Lang) -> &'static str {
    pick(
        lang,
        "Also matches (less specific, or another service):",
        "也匹配（不够具体，或其他服务）：",
    )
}

// ---------------------------------------------------------------------------------------------
// Outcomes and the explorer's status line

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
        Notice::Wrote { bytes, path } => match zh {
            false => format!("Wrote {bytes} bytes to {path}"),
            true => format!("已写入 {bytes} 字节到 {path}"),
        },
        Notice::WriteFailed { path, error } => match zh {
            false => format!("cannot write {path}: {error}"),
            true => format!("无法写入 {path}：{error}"),
        },
        Notice::NotWritten => pick(lang, "Not written.", "未写入。").into(),
        Notice::ReadFailed(message) => message.clone(),
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

// ---------------------------------------------------------------------------------------------
// The explorer's fixed words

/// Titles, headers and other fixed words of the explorer's screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Search,
    SearchHint,
    Operations,
    Selected,
    ColumnPolicy,
    ColumnService,
    ColumnSection,
    ColumnPermission,
    ColumnActions,
    ColumnScope,
    ColumnMethod,
    ColumnRoute,
    Detail,
    Findings,
    NoFindings,
    Composer,
    Help,
    Enlarge,
    PolicyStatus,
    DeniedBy,
    Missing,
    SharesActions,
    SelectHint,
    ConditionalActions,
    Toggles,
    ComparedWith,
    SameActions,
    TerraformMode,
    WriteTo,
    ReviewFile,
    Overwrite,
    Exists,
    Mouse,
    HelpScopes,
    HelpQuery,
    ModeTable,
    ModeSearch,
    ModeComposer,
    ModeHelp,
    ModePrompt,
    ModeOpen,
    ModeConfirm,
    ModeReplace,
    ModeName,
    ReplaceSelection,
    RoleNameTitle,
}

pub fn label(label: Label, lang: Lang) -> &'static str {
    use Label as L;
    match label {
        L::Search => pick(lang, " Search ", " 搜索 "),
        L::SearchHint => pick(
            lang,
            "press / to search: words, a:action, m:get, scope:ep, is:native, -negate",
            "按 / 搜索：关键词、a:授权项、m:get、scope:ep、is:native、-排除",
        ),
        L::Operations => pick(lang, "Operations", "操作"),
        L::Selected => pick(lang, "selected", "已选"),
        L::ColumnPolicy => pick(lang, "Policy", "策略"),
        L::ColumnService => pick(lang, "Service", "服务"),
        L::ColumnSection => pick(lang, "Section", "分类"),
        L::ColumnPermission => pick(lang, "Permission", "权限"),
        L::ColumnActions => pick(lang, "Actions", "授权项"),
        L::ColumnScope => pick(lang, "Scope", "范围"),
        L::ColumnMethod => pick(lang, "Method", "方法"),
        L::ColumnRoute => pick(lang, "Route", "API"),
        L::Detail => pick(lang, " Detail ", " 详情 "),
        L::Findings => pick(lang, " Findings ", " 检查结果 "),
        L::NoFindings => pick(lang, "No findings.", "未发现问题。"),
        L::Composer => pick(lang, " Composer ", " 组合器 "),
        L::Help => pick(lang, " Help ", " 帮助 "),
        L::Enlarge => pick(lang, "Please enlarge the window:", "请放大窗口："),
        L::PolicyStatus => pick(lang, "Policy:", "策略："),
        L::DeniedBy => pick(lang, "denied by", "被拒绝："),
        L::Missing => pick(lang, "missing", "缺少："),
        L::SharesActions => pick(lang, "Shares actions with:", "共用授权项："),
        L::SelectHint => pick(
            lang,
            "Select operations with Space; the policy appears here.",
            "用空格选择操作，策略显示在这里。",
        ),
        L::ConditionalActions => pick(lang, "Conditional actions:", "条件授权项："),
        L::Toggles => pick(
            lang,
            "Conditional and dependent actions:",
            "条件授权项与依赖的授权项：",
        ),
        L::ComparedWith => pick(lang, "Compared with", "对比"),
        L::SameActions => pick(lang, "  same actions", "  授权项相同"),
        L::TerraformMode => pick(
            lang,
            "y / w give Terraform (t switches back to JSON)",
            "y / w 输出 Terraform（t 切换回 JSON）",
        ),
        L::WriteTo => pick(lang, "Write the policy to", "将策略写入"),
        L::ReviewFile => pick(lang, "Review the policy in", "审查策略文件"),
        L::Overwrite => pick(lang, "Overwrite?", "覆盖？"),
        L::Exists => pick(lang, "exists.", "已存在。"),
        L::Mouse => pick(
            lang,
            "Mouse: click a row to highlight it, wheel to scroll.",
            "鼠标：单击某行高亮，滚轮滚动。",
        ),
        L::HelpScopes => pick(
            lang,
            "Scopes: a policy is granted in an IAM project (one region's resources) or in an\nenterprise project (resources grouped across regions); in an enterprise project only\noperations marked EP take effect. OS in a name: a native OpenStack API.",
            "授权范围：策略授予在 IAM 项目（一个区域的资源）或企业项目（跨区域分组的资源）上；\n在企业项目中只有标 EP 的操作生效。名称中的“原生”：OpenStack 原生接口。",
        ),
        L::HelpQuery => pick(
            lang,
            "Search: words (fuzzy), name: a: route: m:get scope:ep section:sharing service:ims\nis:native is:deprecated, -term to exclude; a URL or \"METHOD /path\" finds its operation.",
            "搜索：关键词（模糊），name: a: route: m:get scope:ep section:共享 service:ims\nis:native is:deprecated，-排除；URL 或 \"METHOD /path\" 查找对应操作。",
        ),
        L::ModeTable => pick(lang, "Table", "列表"),
        L::ModeSearch => pick(lang, "Search", "搜索"),
        L::ModeComposer => pick(lang, "Composer", "组合器"),
        L::ModeHelp => pick(lang, "Help", "帮助"),
        L::ModePrompt => pick(lang, "File prompt", "文件名"),
        L::ModeOpen => pick(lang, "Open prompt", "打开文件"),
        L::ModeConfirm => pick(lang, "Overwrite?", "覆盖？"),
        L::ModeReplace => pick(lang, "Replace the selection?", "替换选择？"),
        L::ModeName => pick(lang, "Role name", "角色名称"),
        L::ReplaceSelection => pick(
            lang,
            "Replace the selection with what the policy allows?",
            "用该策略允许的操作替换当前选择？",
        ),
        L::RoleNameTitle => pick(lang, "Terraform role name", "Terraform 角色名称"),
    }
}

/// What a key does, as the footer and the help overlay say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    Search,
    BackToTable,
    ClearSearch,
    DeleteChar,
    MoveDown,
    MoveUp,
    Move,
    PageDown,
    PageUp,
    ScrollReport,
    ScrollBack,
    LineDown,
    LineUp,
    TextTop,
    TextEnd,
    FirstRow,
    LastRow,
    Select,
    ToggleConditional,
    SelectAll,
    ClearSelection,
    SwitchPane,
    Copy,
    Write,
    ExportFormat,
    Open,
    Language,
    Help,
    ClearOrClose,
    CloseHelp,
    WriteFile,
    OpenFile,
    Cancel,
    OverwriteYes,
    KeepFile,
    Quit,
    Suspend,
    ReplaceSelection,
    KeepSelection,
    SetName,
    RoleName,
    CursorLeft,
    CursorRight,
    LineStart,
    LineEnd,
    DeleteToStart,
    DeleteWord,
    Complete,
}

pub fn hint(hint: Hint, lang: Lang) -> &'static str {
    use Hint as H;
    match hint {
        H::Search => pick(lang, "search", "搜索"),
        H::BackToTable => pick(
            lang,
            "back to the table, keep the filter",
            "返回列表，保留筛选",
        ),
        H::ClearSearch => pick(lang, "clear the search", "清除搜索"),
        H::DeleteChar => pick(lang, "delete a character", "删除字符"),
        H::MoveDown => pick(lang, "move down", "下移"),
        H::MoveUp => pick(lang, "move up", "上移"),
        H::Move => pick(lang, "move", "移动"),
        H::PageDown => pick(lang, "page down", "下一页"),
        H::PageUp => pick(lang, "page up", "上一页"),
        H::ScrollReport => pick(lang, "scroll the policy and report", "滚动策略与报告"),
        H::ScrollBack => pick(lang, "scroll back", "向上滚动"),
        H::LineDown => pick(lang, "scroll the policy down a line", "策略向下滚动一行"),
        H::LineUp => pick(lang, "scroll the policy up a line", "策略向上滚动一行"),
        H::TextTop => pick(lang, "the policy's first line", "策略第一行"),
        H::TextEnd => pick(lang, "the report's last line", "报告最后一行"),
        H::FirstRow => pick(lang, "first row", "第一行"),
        H::LastRow => pick(lang, "last row", "最后一行"),
        H::Select => pick(lang, "select / unselect", "选择/取消"),
        H::ToggleConditional => pick(lang, "toggle the conditional action", "切换条件授权项"),
        H::SelectAll => pick(lang, "select every row shown", "选择所有显示的行"),
        H::ClearSelection => pick(lang, "clear the selection", "清空选择"),
        H::SwitchPane => pick(lang, "table / composer", "列表/组合器"),
        H::Copy => pick(lang, "copy policy", "复制策略"),
        H::Write => pick(lang, "write to a file", "写入文件"),
        H::ExportFormat => pick(
            lang,
            "JSON / Terraform for y and w",
            "y/w 输出 JSON 或 Terraform",
        ),
        H::Open => pick(lang, "open a policy file to review", "打开策略文件审查"),
        H::Language => pick(lang, "中文 / English", "中文/English"),
        H::Help => pick(lang, "help", "帮助"),
        H::ClearOrClose => pick(lang, "clear the search / close", "清除搜索/关闭"),
        H::CloseHelp => pick(lang, "close help", "关闭帮助"),
        H::WriteFile => pick(lang, "write", "写入"),
        H::OpenFile => pick(lang, "open", "打开"),
        H::Cancel => pick(lang, "cancel", "取消"),
        H::OverwriteYes => pick(lang, "overwrite", "覆盖"),
        H::KeepFile => pick(lang, "keep the file", "保留原文件"),
        H::Quit => pick(lang, "quit", "退出"),
        H::Suspend => pick(lang, "suspend (fg to come back)", "挂起（fg 返回）"),
        H::ReplaceSelection => pick(lang, "replace the selection", "替换选择"),
        H::KeepSelection => pick(
            lang,
            "keep the selection, show the review",
            "保留选择，显示审查",
        ),
        H::SetName => pick(lang, "set the name", "设置名称"),
        H::CursorLeft => pick(lang, "cursor left", "光标左移"),
        H::CursorRight => pick(lang, "cursor right", "光标右移"),
        H::LineStart => pick(lang, "to the start", "到开头"),
        H::LineEnd => pick(lang, "to the end", "到结尾"),
        H::DeleteToStart => pick(lang, "delete to the start", "删除到开头"),
        H::DeleteWord => pick(lang, "delete the word before", "删除前一个词"),
        H::Complete => pick(lang, "complete the path", "补全路径"),
        H::RoleName => pick(lang, "name the Terraform role", "设置 Terraform 角色名称"),
    }
}

// ---------------------------------------------------------------------------------------------
// The command line

/// What `import` read, for stderr.
pub fn import_report(r: &crate::import::ImportReport, service: &str, lang: Lang) -> String {
    let sections = if r.sections.is_empty() {
        String::new()
    } else {
        format!(" ({})", r.sections.join(", "))
    };
    let mut out = match lang {
        Lang::En => format!(
            "Imported {} row{} of service `{service}` from {} table{} in {} file{}, {} section{}{sections}",
            r.rows,
            plural(r.rows),
            r.tables,
            plural(r.tables),
            r.files,
            plural(r.files),
            r.sections.len(),
            plural(r.sections.len())
        ),
        Lang::Zh => format!(
            "已导入服务 `{service}` 的 {} 行：{} 个文件中的 {} 张表，{} 个分类{sections}",
            r.rows,
            r.files,
            r.tables,
            r.sections.len()
        ),
    };
    if !r.ignored_columns.is_empty() {
        out.push_str(&match lang {
            Lang::En => format!("; columns not read: {}", r.ignored_columns.join(", ")),
            Lang::Zh => format!("；未读取的列：{}", r.ignored_columns.join("、")),
        });
    }
    if r.skipped_tables > 0 {
        out.push_str(&match lang {
            Lang::En if r.skipped_tables == 1 => {
                "; skipped 1 table that is not a permission table".to_string()
            }
            Lang::En => format!(
                "; skipped {} tables that are not permission tables",
                r.skipped_tables
            ),
            Lang::Zh => format!("；跳过 {} 张不是权限表的表", r.skipped_tables),
        });
    }
    out
}

/// Lines the command line says besides results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Wrote { bytes: usize, path: String },
}

pub fn said(said: &Said, lang: Lang) -> String {
    match said {
        Said::Wrote { bytes, path } => notice(
            &Notice::Wrote {
                bytes: *bytes,
                path: path.clone(),
            },
            lang,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_cjk_by_display_width() {
        let c = Catalog::builtin().unwrap();
        let t = operations_table(&c, &[0, 1], Lang::Zh);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("ID "));
        // The NAME column starts at the same display column on every row.
        let col = |l: &str, needle: &str| width(&l[..l.find(needle).unwrap()]);
        assert_eq!(col(lines[1], "查询镜像列表"), col(lines[2], "更新镜像信息"));
        assert!(lines[2].contains("ims:images:update, ims:serverImages:create*"));
        assert!(t.contains("* 条件授权项"));
    }

    #[test]
    fn detail_lists_conditions_and_prerequisites() {
        let c = Catalog::builtin().unwrap();
        let d = operation_detail(&c.operations()[3], Lang::En);
        assert!(
            d.starts_with("POST /v2/cloudimages/quickimport/action  (ims: quick-import-image)\n")
        );
        assert!(d.contains("ims:serverImages:create* (only for importing a system disk image)"));
        assert!(d.contains("Tenant Administrator permission of OBS"));
        let d = operation_detail(&c.operations()[14], Lang::Zh);
        assert!(d.contains("无：不需要授权"), "{d}");
    }

    #[test]
    fn every_notice_and_finding_has_both_languages() {
        let notices = [
            Notice::NotWritten,
            Notice::NothingSelected,
            Notice::NoPolicy,
            Notice::NeedsOneAction,
            Notice::TooLong { limit: 5 },
            Notice::ExportIs(ExportFormat::Terraform),
            Notice::Wrote {
                bytes: 3,
                path: "p".into(),
            },
        ];
        for n in &notices {
            assert_ne!(notice(n, Lang::En), notice(n, Lang::Zh), "{n:?}");
        }
        let k = FindingKind::MissingEffect;
        assert_ne!(finding(&k, Lang::En), finding(&k, Lang::Zh));
    }
}
