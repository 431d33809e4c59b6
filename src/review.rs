//! Policy review: what an existing policy lets a user do with the loaded catalogs' operations,
//! and what in it is wrong or too broad. `ims-perms explain` prints it; the explorer overlays it.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::lang::{Lang, LocalText};
use crate::policy::{MAX_ACTIONS_PER_STATEMENT, MAX_POLICY_CHARS, MAX_STATEMENTS};
use crate::text::escape_controls;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One thing worth saying about the policy document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// In English (the JSON output keeps it so, for scripts).
    pub message: String,
    /// The same in Chinese, for the readable report and the explorer.
    #[serde(skip)]
    pub message_zh: String,
    /// Where in the document: `Statement[0].Action[2]`; empty for the whole document.
    pub path: String,
}

/// What the policy does for one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Allowed,
    Denied,
    Partial,
    NotGranted,
}

impl Severity {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Info, Lang::En) => "info",
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::Zh) => "警告",
            (Severity::Info, Lang::Zh) => "提示",
        }
    }
}

impl Finding {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.message,
            Lang::Zh => &self.message_zh,
        }
    }
}

impl Status {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Allowed, Lang::En) => "allowed",
            (Status::Denied, Lang::En) => "denied",
            (Status::Partial, Lang::En) => "partial",
            (Status::NotGranted, Lang::En) => "not granted",
            (Status::Allowed, Lang::Zh) => "允许",
            (Status::Denied, Lang::Zh) => "拒绝",
            (Status::Partial, Lang::Zh) => "部分",
            (Status::NotGranted, Lang::Zh) => "未授权",
        }
    }
}

/// The policy formats the reviewer recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// `"Version": "1.1"`: fine-grained custom policy, fully evaluated.
    FineGrained,
    /// `"Version": "1.0"`: a role. Its statements are evaluated; `Depends` is not.
    Role,
    /// `"Version": "5.0"`: an identity policy. `Action` (with `*` and `?`) is evaluated;
    /// `NotAction`, `Resource` and `Condition` are not.
    Identity,
    /// Missing or unknown version: evaluated as 1.1, with an error.
    Unknown,
}

/// An action pattern from a policy: `ims:*:get*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    pub raw: String,
    service: String,
    resource: String,
    action: String,
    /// `?` matches one character (5.0 only).
    question_mark: bool,
}

impl ActionPattern {
    /// Parses `service:resourceType:action`, where each part is letters, digits, `_`, `-` and
    /// wildcards. Returns why not otherwise.
    pub fn parse(raw: &str, question_mark: bool) -> Result<ActionPattern, String> {
        let parts: Vec<&str> = raw.split(':').collect();
        let [service, resource, action] = parts.as_slice() else {
            return Err("expected `service:resourceType:action`".into());
        };
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || matches!(c, '*' | '_' | '-')
                        || (question_mark && c == '?')
                })
        };
        if !(ok(service) && ok(resource) && ok(action)) {
            return Err("each part must be letters, digits, `_`, `-` or wildcards".into());
        }
        if service.chars().any(|c| c.is_ascii_uppercase()) {
            return Err("the service part must be lower case".into());
        }
        Ok(ActionPattern {
            raw: raw.to_string(),
            service: service.to_string(),
            resource: resource.to_ascii_lowercase(),
            action: action.to_ascii_lowercase(),
            question_mark,
        })
    }

    pub fn is_wildcard(&self) -> bool {
        self.raw.contains('*') || (self.question_mark && self.raw.contains('?'))
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Whether the pattern covers a concrete action: the service exactly (wildcards aside),
    /// resource type and action case-insensitively.
    pub fn matches(&self, action: &str) -> bool {
        let parts: Vec<&str> = action.split(':').collect();
        let [service, resource, act] = parts.as_slice() else {
            return false;
        };
        glob(&self.service, service, self.question_mark)
            && glob(
                &self.resource,
                &resource.to_ascii_lowercase(),
                self.question_mark,
            )
            && glob(&self.action, &act.to_ascii_lowercase(), self.question_mark)
    }

    /// Whether every action this pattern matches is also matched by `other` (for "already
    /// covered by a wildcard").
    pub fn covered_by(&self, other: &ActionPattern) -> bool {
        !self.is_wildcard() && other.matches(&self.raw)
    }
}

/// `*` any run, `?` (when enabled) any one character.
fn glob(pattern: &str, text: &str, question_mark: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == t[ti] || (question_mark && p[pi] == '?')) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// One statement as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadStatement {
    pub allow: bool,
    pub actions: Vec<ActionPattern>,
}

/// What the policy does for one operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationReview {
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    pub method: String,
    pub path: String,
    pub status: Status,
    /// Needed actions not allowed.
    pub missing: Vec<String>,
    /// The Deny patterns that match a needed action.
    pub denied_by: Vec<String>,
    /// Conditional actions the policy allows, with their conditions (the cases it covers).
    #[serde(skip)]
    pub conditional_covered: Vec<(String, LocalText)>,
}

/// The whole review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// False when the document could not be read at all: then no operation is listed.
    pub evaluated: bool,
    pub format: Format,
    pub statements: Vec<ReadStatement>,
    pub operations: Vec<OperationReview>,
    pub findings: Vec<Finding>,
}

impl Review {
    /// How many operations have this status.
    pub fn count(&self, status: Status) -> usize {
        self.operations
            .iter()
            .filter(|o| o.status == status)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// Every catalog action the policy allows and does not deny (what "before" means when the
    /// explorer tightens a policy).
    pub fn effective_actions(&self, catalog: &Catalog) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for op in catalog.operations() {
            for a in &op.actions {
                if allowed(&self.statements, &a.action)
                    && denied_by(&self.statements, &a.action).next().is_none()
                {
                    out.insert(a.action.clone());
                }
            }
        }
        out
    }
}

/// The JSON `ims-perms explain --json` prints.
#[derive(Debug, Serialize)]
pub struct ReviewJson<'a> {
    pub operations: &'a [OperationReview],
    pub findings: &'a [Finding],
}

fn finding(
    severity: Severity,
    path: impl Into<String>,
    message: impl Into<String>,
    message_zh: impl Into<String>,
) -> Finding {
    Finding {
        severity,
        message: message.into(),
        message_zh: message_zh.into(),
        path: path.into(),
    }
}

/// Reads and evaluates a policy document against the catalog.
pub fn explain(catalog: &Catalog, text: &str) -> Review {
    let mut findings = Vec::new();
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            findings.push(finding(
                Severity::Error,
                "",
                format!(
                    "invalid JSON at line {} column {}: {}",
                    e.line(),
                    e.column(),
                    strip_position(&e.to_string())
                ),
                format!(
                    "JSON 无效（第 {} 行第 {} 列）：{}",
                    e.line(),
                    e.column(),
                    strip_position(&e.to_string())
                ),
            ));
            return unreadable(findings);
        }
    };
    let Value::Object(doc) = &root else {
        findings.push(finding(
            Severity::Error,
            "",
            "a policy is a JSON object",
            "策略必须是一个 JSON 对象",
        ));
        return unreadable(findings);
    };

    let format = match doc.get("Version") {
        Some(Value::String(v)) if v == "1.1" => Format::FineGrained,
        Some(Value::String(v)) if v == "1.0" => {
            findings.push(finding(
                Severity::Info,
                "Version",
                "a 1.0 role: its statements are evaluated as for 1.1; `Depends` (roles it needs) is not", "1.0 角色：其语句按 1.1 评估；`Depends`（依赖的角色）不评估",
));
            Format::Role
        }
        Some(Value::String(v)) if v == "5.0" => {
            findings.push(finding(
                Severity::Info,
                "Version",
                "a 5.0 identity policy: `Action` is evaluated (with `*` and `?`); `NotAction`, `Resource` and `Condition` are not", "5.0 身份策略：评估 `Action`（支持 `*` 和 `?`）；不评估 `NotAction`、`Resource` 和 `Condition`",
));
            Format::Identity
        }
        Some(other) => {
            findings.push(finding(
                Severity::Error,
                "Version",
                format!(
                    "Version must be \"1.1\" for a custom policy, found {}",
                    escape_controls(&other.to_string())
                ),
                format!(
                    "自定义策略的 Version 必须是 \"1.1\"，实际为 {}",
                    escape_controls(&other.to_string())
                ),
            ));
            Format::Unknown
        }
        None => {
            findings.push(finding(
                Severity::Error,
                "Version",
                "missing Version: a custom policy has \"Version\": \"1.1\"",
                "缺少 Version：自定义策略应有 \"Version\": \"1.1\"",
            ));
            Format::Unknown
        }
    };
    if format == Format::Role && doc.contains_key("Depends") {
        findings.push(finding(
            Severity::Info,
            "Depends",
            "Depends is not evaluated: the roles it names grant more",
            "不评估 Depends：其中的角色会授予更多权限",
        ));
    }

    let compact_chars = serde_json::to_string(&root)
        .map(|s| s.chars().count())
        .unwrap_or(0);
    if compact_chars > MAX_POLICY_CHARS {
        findings.push(finding(
            Severity::Warning,
            "",
            format!("{compact_chars} characters (without white space): over IAM's {MAX_POLICY_CHARS}-character limit"), format!("{compact_chars} 个字符（不含空白）：超过 IAM 的 {MAX_POLICY_CHARS} 字符上限"),
));
    }

    let statements_value = match doc.get("Statement") {
        Some(Value::Array(s)) => s.as_slice(),
        Some(_) => {
            findings.push(finding(
                Severity::Error,
                "Statement",
                "Statement must be an array",
                "Statement 必须是数组",
            ));
            &[]
        }
        None => {
            findings.push(finding(
                Severity::Error,
                "Statement",
                "missing Statement",
                "缺少 Statement",
            ));
            &[]
        }
    };
    if statements_value.len() > MAX_STATEMENTS {
        findings.push(finding(
            Severity::Error,
            "Statement",
            format!(
                "{} statements: IAM allows at most {MAX_STATEMENTS}",
                statements_value.len()
            ),
            format!(
                "{} 条语句：IAM 最多允许 {MAX_STATEMENTS} 条",
                statements_value.len()
            ),
        ));
    }

    let question_mark = format == Format::Identity;
    let mut statements = Vec::new();
    for (si, st) in statements_value.iter().enumerate() {
        let at = format!("Statement[{si}]");
        let Value::Object(st) = st else {
            findings.push(finding(
                Severity::Error,
                at,
                "a statement must be an object",
                "语句必须是对象",
            ));
            continue;
        };
        let allow = match st.get("Effect") {
            Some(Value::String(e)) if e == "Allow" => true,
            Some(Value::String(e)) if e == "Deny" => false,
            Some(other) => {
                findings.push(finding(
                    Severity::Error,
                    format!("{at}.Effect"),
                    format!(
                        "Effect must be \"Allow\" or \"Deny\", found {}",
                        escape_controls(&other.to_string())
                    ),
                    format!(
                        "Effect 必须是 \"Allow\" 或 \"Deny\"，实际为 {}",
                        escape_controls(&other.to_string())
                    ),
                ));
                continue;
            }
            None => {
                findings.push(finding(
                    Severity::Error,
                    format!("{at}.Effect"),
                    "missing Effect",
                    "缺少 Effect",
                ));
                continue;
            }
        };
        for key in ["Condition", "Resource"] {
            if st.contains_key(key) {
                findings.push(finding(
                    Severity::Info,
                    format!("{at}.{key}"),
                    format!("{key} is not evaluated: statuses assume it always applies"),
                    format!("不评估 {key}：各状态按其始终成立计算"),
                ));
            }
        }
        if st.contains_key("NotAction") {
            findings.push(finding(
                Severity::Warning,
                format!("{at}.NotAction"),
                "NotAction is not evaluated: this statement may allow or deny more than shown",
                "不评估 NotAction：此语句允许或拒绝的可能比显示的多",
            ));
        }
        let actions_value = match st.get("Action") {
            Some(Value::Array(a)) => a.as_slice(),
            Some(Value::String(_)) if format == Format::Identity => {
                std::slice::from_ref(&st["Action"])
            }
            Some(_) => {
                findings.push(finding(
                    Severity::Error,
                    format!("{at}.Action"),
                    "Action must be an array of strings",
                    "Action 必须是字符串数组",
                ));
                continue;
            }
            None if st.contains_key("NotAction") => &[],
            None => {
                findings.push(finding(
                    Severity::Error,
                    format!("{at}.Action"),
                    "missing Action",
                    "缺少 Action",
                ));
                continue;
            }
        };
        if actions_value.len() > MAX_ACTIONS_PER_STATEMENT {
            findings.push(finding(
                Severity::Error,
                format!("{at}.Action"),
                format!(
                    "{} actions: IAM allows at most {MAX_ACTIONS_PER_STATEMENT} in a statement",
                    actions_value.len()
                ),
                format!(
                    "{} 个授权项：IAM 每条语句最多 {MAX_ACTIONS_PER_STATEMENT} 个",
                    actions_value.len()
                ),
            ));
        }
        let mut patterns: Vec<ActionPattern> = Vec::new();
        for (ai, a) in actions_value.iter().enumerate() {
            let path = format!("{at}.Action[{ai}]");
            let Value::String(raw) = a else {
                findings.push(finding(
                    Severity::Error,
                    path,
                    "an action must be a string",
                    "授权项必须是字符串",
                ));
                continue;
            };
            let pattern = match ActionPattern::parse(raw, question_mark) {
                Ok(p) => p,
                Err(why) => {
                    findings.push(finding(
                        Severity::Error,
                        path,
                        format!("malformed action \"{}\": {why}", escape_controls(raw)),
                        format!("授权项格式错误 \"{}\"：{why}", escape_controls(raw)),
                    ));
                    continue;
                }
            };
            check_action(catalog, &pattern, &patterns, &path, &mut findings);
            patterns.push(pattern);
        }
        statements.push(ReadStatement {
            allow,
            actions: patterns,
        });
    }
    wildcard_findings(catalog, &statements, &mut findings);
    evaluate(catalog, format, statements, findings)
}

/// Duplicates, covered actions, other services, unknown actions.
fn check_action(
    catalog: &Catalog,
    pattern: &ActionPattern,
    earlier: &[ActionPattern],
    path: &str,
    findings: &mut Vec<Finding>,
) {
    if let Some(dup) = earlier
        .iter()
        .find(|p| p.raw.eq_ignore_ascii_case(&pattern.raw))
    {
        findings.push(finding(
            Severity::Warning,
            path,
            format!("duplicate of \"{}\" in the same statement", dup.raw),
            format!("与同一语句中的 \"{}\" 重复", dup.raw),
        ));
        return;
    }
    if let Some(wide) = earlier
        .iter()
        .find(|p| p.is_wildcard() && pattern.covered_by(p))
    {
        findings.push(finding(
            Severity::Warning,
            path,
            format!(
                "\"{}\" is already covered by \"{}\" in the same statement",
                pattern.raw, wide.raw
            ),
            format!("\"{}\" 已被同一语句中的 \"{}\" 覆盖", pattern.raw, wide.raw),
        ));
    }
    let services = catalog.services();
    let known_service = services
        .iter()
        .any(|s| crate::review::glob(&pattern.service, s, pattern.question_mark));
    if !known_service {
        findings.push(finding(
            Severity::Info,
            path,
            format!(
                "\"{}\": service `{}` is not in the loaded catalogs; noted, not evaluated",
                pattern.raw, pattern.service
            ),
            format!(
                "\"{}\"：服务 `{}` 不在已加载的目录中；仅记录，不评估",
                pattern.raw, pattern.service
            ),
        ));
        return;
    }
    if pattern.is_wildcard() {
        return;
    }
    // A concrete action: the catalog's action index answers at once (services are lower case
    // on both sides, the rest compares case-insensitively, as `matches` does). Only an unknown
    // one needs the list of all actions, for the nearest.
    if catalog.with_action(&pattern.raw).is_empty() {
        let known: BTreeSet<&str> = catalog
            .operations()
            .iter()
            .flat_map(|o| o.actions.iter().map(|a| a.action.as_str()))
            .collect();
        let nearest = known
            .iter()
            .map(|k| {
                (
                    strsim::jaro_winkler(
                        &pattern.raw.to_ascii_lowercase(),
                        &k.to_ascii_lowercase(),
                    ),
                    *k,
                )
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k);
        let hint = nearest
            .map(|k| format!("; did you mean \"{k}\"?"))
            .unwrap_or_default();
        let hint_zh = nearest
            .map(|k| format!("；是否想用 \"{k}\"？"))
            .unwrap_or_default();
        findings.push(finding(
            Severity::Warning,
            path,
            format!(
                "unknown action \"{}\": no operation in the loaded catalogs needs it{hint}",
                pattern.raw
            ),
            format!(
                "未知授权项 \"{}\"：已加载目录中没有操作需要它{hint_zh}",
                pattern.raw
            ),
        ));
    }
}

/// Wildcards in Allow statements that grant operations the explicit actions do not.
fn wildcard_findings(catalog: &Catalog, statements: &[ReadStatement], findings: &mut Vec<Finding>) {
    let explicit: Vec<&ActionPattern> = statements
        .iter()
        .filter(|s| s.allow)
        .flat_map(|s| s.actions.iter())
        .filter(|p| !p.is_wildcard())
        .collect();
    let by_explicit = |action: &str| explicit.iter().any(|p| p.matches(action));
    for (si, st) in statements.iter().enumerate().filter(|(_, s)| s.allow) {
        for (ai, p) in st
            .actions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_wildcard())
        {
            let mut extra: Vec<String> = Vec::new();
            for op in catalog.operations() {
                let needed = op.needed_actions();
                if needed.is_empty() {
                    continue;
                }
                let via_wildcard = needed.iter().any(|a| p.matches(a));
                let by_explicit_alone = needed.iter().all(|a| by_explicit(a));
                if via_wildcard && !by_explicit_alone {
                    extra.push(op.id.clone());
                }
            }
            if !extra.is_empty() {
                let matched: BTreeSet<&str> = catalog
                    .operations()
                    .iter()
                    .flat_map(|o| o.actions.iter().map(|a| a.action.as_str()))
                    .filter(|a| p.matches(a))
                    .collect();
                let count = matched.len();
                let matched = matched.into_iter().collect::<Vec<_>>().join(", ");
                findings.push(finding(
                    Severity::Warning,
                    format!("Statement[{si}].Action[{ai}]"),
                    format!(
                        "wildcard \"{}\" matches {count} ({matched}) and grants {} operation{} beyond the explicit actions: {}; it will also match actions added later",
                        p.raw,
                        extra.len(),
                        if extra.len() == 1 { "" } else { "s" },
                        extra.join(", ")
                    ),
                    format!(
                        "通配符 \"{}\" 匹配 {count} 个授权项（{matched}），比显式授权项多授予 {} 个操作：{}；它也会匹配以后新增的授权项",
                        p.raw,
                        extra.len(),
                        extra.join(", ")
                    ),
                ));
            }
        }
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Whether an Allow statement matches `action`.
fn allowed(statements: &[ReadStatement], action: &str) -> bool {
    statements
        .iter()
        .any(|s| s.allow && s.actions.iter().any(|p| p.matches(action)))
}

/// The Deny patterns that match `action`.
fn denied_by<'a>(
    statements: &'a [ReadStatement],
    action: &'a str,
) -> impl Iterator<Item = &'a ActionPattern> {
    statements
        .iter()
        .filter(|s| !s.allow)
        .flat_map(|s| s.actions.iter())
        .filter(move |p| p.matches(action))
}

fn unreadable(findings: Vec<Finding>) -> Review {
    Review {
        evaluated: false,
        format: Format::Unknown,
        statements: Vec::new(),
        operations: Vec::new(),
        findings,
    }
}

fn evaluate(
    catalog: &Catalog,
    format: Format,
    statements: Vec<ReadStatement>,
    findings: Vec<Finding>,
) -> Review {
    let allows = |a: &str| allowed(&statements, a);
    let denies =
        |a: &str| -> Vec<String> { denied_by(&statements, a).map(|p| p.raw.clone()).collect() };
    let mut operations = Vec::new();
    for (index, op) in catalog.operations().iter().enumerate() {
        let needed = op.needed_actions();
        let mut missing = Vec::new();
        let mut denied_by: Vec<String> = Vec::new();
        let mut allowed_count = 0;
        for a in &needed {
            let d = denies(a);
            if !d.is_empty() {
                for x in d {
                    if !denied_by.contains(&x) {
                        denied_by.push(x);
                    }
                }
                missing.push(a.to_string());
            } else if allows(a) {
                allowed_count += 1;
            } else {
                missing.push(a.to_string());
            }
        }
        let status = if !denied_by.is_empty() {
            Status::Denied
        } else if missing.is_empty() {
            Status::Allowed
        } else if allowed_count > 0 {
            Status::Partial
        } else {
            Status::NotGranted
        };
        let conditional_covered = op
            .actions
            .iter()
            .filter_map(|a| a.condition.as_ref().map(|c| (a, c)))
            .filter(|(a, _)| allows(&a.action) && denies(&a.action).is_empty())
            .map(|(a, c)| (a.action.clone(), c.clone()))
            .collect();
        operations.push(OperationReview {
            index,
            id: op.id.clone(),
            method: op.method.clone(),
            path: op.path.clone(),
            status,
            missing,
            denied_by,
            conditional_covered,
        });
    }
    Review {
        evaluated: true,
        format,
        statements,
        operations,
        findings,
    }
}

/// The readable report.
pub fn report_text(catalog: &Catalog, review: &Review, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let count = |s: Status| review.count(s);
    if !review.evaluated {
        out.push_str(if zh {
            "操作：未评估（无法读取该文档）\n"
        } else {
            "Operations: not evaluated (the document could not be read)\n"
        });
    }
    let listing = if !review.evaluated {
        String::new()
    } else if zh {
        format!(
            "操作：{} 允许，{} 部分，{} 拒绝，{} 未授权（共 {}）\n",
            count(Status::Allowed),
            count(Status::Partial),
            count(Status::Denied),
            count(Status::NotGranted),
            review.operations.len()
        )
    } else {
        format!(
            "Operations: {} allowed, {} partial, {} denied, {} not granted (of {})\n",
            count(Status::Allowed),
            count(Status::Partial),
            count(Status::Denied),
            count(Status::NotGranted),
            review.operations.len()
        )
    };
    out.push_str(&listing);
    let width = review
        .operations
        .iter()
        .map(|o| o.method.len() + 1 + o.path.len())
        .max()
        .unwrap_or(0);
    for o in &review.operations {
        let op = &catalog.operations()[o.index];
        let route = format!("{} {}", o.method, o.path);
        let mut line = format!(
            "  {}  {}  {}",
            crate::text::pad(o.status.label(lang), 11),
            crate::text::pad(&route, width),
            o.id
        );
        match o.status {
            Status::Denied => line.push_str(&format!(
                "  ({} {})",
                if zh { "被拒绝：" } else { "denied by" },
                o.denied_by.join(", ")
            )),
            Status::Partial => {
                line.push_str(&format!(
                    "  ({} {})",
                    if zh { "缺少" } else { "missing" },
                    o.missing.join(", ")
                ));
            }
            _ => {}
        }
        if op.all_conditional() && o.status == Status::Partial {
            let cases: Vec<&str> = o
                .conditional_covered
                .iter()
                .map(|(_, c)| c.get(lang))
                .collect();
            line.push_str(&format!(
                "  [{}: {}]",
                if zh { "仅" } else { "only" },
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
        out.push_str(if zh {
            "覆盖的条件授权项：\n"
        } else {
            "Conditional actions covered:\n"
        });
        for c in covered {
            out.push_str(&c);
            out.push('\n');
        }
    }
    if review.findings.is_empty() {
        out.push_str(if zh {
            "未发现问题。\n"
        } else {
            "No findings.\n"
        });
    } else {
        out.push_str(if zh { "发现：\n" } else { "Findings:\n" });
        for f in &review.findings {
            let sev = f.severity.label(lang);
            let path = if f.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", f.path)
            };
            out.push_str(&format!(
                "  {}  {path}{}\n",
                crate::text::pad(sev, 7),
                f.text(lang)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(text: &str) -> Review {
        explain(&Catalog::builtin().unwrap(), text)
    }

    fn status(r: &Review, id: &str) -> Status {
        r.operations.iter().find(|o| o.id == id).unwrap().status
    }

    fn messages(r: &Review) -> Vec<String> {
        r.findings
            .iter()
            .map(|f| format!("{:?} {} {}", f.severity, f.path, f.message))
            .collect()
    }

    #[test]
    fn globbing() {
        assert!(glob("*", "anything", false));
        assert!(glob("get*", "get", false));
        assert!(glob("*list*", "xlisty", false));
        assert!(!glob("get*", "list", false));
        assert!(glob("g?t", "get", true));
        assert!(!glob("g?t", "get", false));
        let p = ActionPattern::parse("ims:*:get*", false).unwrap();
        assert!(p.matches("ims:images:get"));
        assert!(p.matches("ims:Images:GET"));
        assert!(!p.matches("IMS:images:get"), "service is exact");
        assert!(!p.matches("ims:images:list"));
    }

    #[test]
    fn full_wildcard_with_a_deny() {
        let r = review(
            r#"{"Version": "1.1", "Statement": [
            {"Effect": "Allow", "Action": ["ims:*:*"]},
            {"Effect": "Deny", "Action": ["ims:images:delete"]}]}"#,
        );
        assert_eq!(status(&r, "list-images"), Status::Allowed);
        assert_eq!(status(&r, "delete-image-native"), Status::Denied);
        let o = r
            .operations
            .iter()
            .find(|o| o.id == "delete-image-v1-1")
            .unwrap();
        assert_eq!(o.denied_by, ["ims:images:delete"]);
        assert_eq!(
            status(&r, "list-versions-native"),
            Status::Allowed,
            "needs nothing"
        );
        assert!(!r.has_errors());
    }

    #[test]
    fn read_only_wildcards() {
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:*:get*", "ims:*:list*"]}]}"#,
        );
        assert_eq!(status(&r, "show-image-native"), Status::Allowed);
        assert_eq!(status(&r, "list-images"), Status::Allowed);
        assert_eq!(status(&r, "upload-image-native"), Status::Partial);
        assert_eq!(status(&r, "delete-image-native"), Status::NotGranted);
        assert!(
            messages(&r)
                .iter()
                .any(|m| m.contains("wildcard \"ims:*:get*\" matches 1 (ims:images:get)"))
        );
    }

    #[test]
    fn quick_import_partial_and_conditional_coverage() {
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:dataImages:create", "ims:images:update", "ims:serverImages:create"]}]}"#,
        );
        assert_eq!(status(&r, "quick-import-image"), Status::Allowed);
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:dataImages:create"]}]}"#,
        );
        assert_eq!(status(&r, "quick-import-image"), Status::Partial);
        let text = report_text(&Catalog::builtin().unwrap(), &r, Lang::En);
        assert!(
            text.contains("[only: only for importing a data disk image]"),
            "{text}"
        );
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ims:images:update", "ims:serverImages:create"]}]}"#,
        );
        let o = r
            .operations
            .iter()
            .find(|o| o.id == "update-image")
            .unwrap();
        assert_eq!(o.status, Status::Allowed);
        assert_eq!(o.conditional_covered[0].0, "ims:serverImages:create");
        let text = report_text(&Catalog::builtin().unwrap(), &r, Lang::En);
        assert!(text.contains("update-image: ims:serverImages:create (only for migrating the image to an enterprise project)"), "{text}");
    }

    #[test]
    fn typos_mixed_services_duplicates_and_covered() {
        let r = review(
            r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": [
            "ims:image:list", "obs:bucket:*", "ims:images:get", "ims:images:GET", "ims:images:*", "ims:images:delete", "Ims:x:y", "ims:images"]}]}"#,
        );
        let m = messages(&r).join("\n");
        assert!(m.contains("Warning Statement[0].Action[0] unknown action \"ims:image:list\": no operation in the loaded catalogs needs it; did you mean \"ims:images:list\"?"), "{m}");
        assert!(m.contains("Info Statement[0].Action[1] \"obs:bucket:*\": service `obs` is not in the loaded catalogs; noted, not evaluated"), "{m}");
        assert!(
            m.contains("Warning Statement[0].Action[3] duplicate of \"ims:images:get\""),
            "{m}"
        );
        assert!(m.contains("Warning Statement[0].Action[5] \"ims:images:delete\" is already covered by \"ims:images:*\""), "{m}");
        assert!(m.contains("Error Statement[0].Action[6] malformed action \"Ims:x:y\": the service part must be lower case"), "{m}");
        assert!(
            m.contains("Error Statement[0].Action[7] malformed action \"ims:images\""),
            "{m}"
        );
        assert!(r.has_errors());
    }

    #[test]
    fn versions_and_structure() {
        let r = review(
            r#"{"Version": "1.0", "Statement": [{"Effect": "Allow", "Action": ["ims:*:*", "ecs:*:list"]}], "Depends": [{"catalog": "BASE", "display_name": "Tenant Administrator"}]}"#,
        );
        assert_eq!(r.format, Format::Role);
        assert_eq!(status(&r, "export-image"), Status::Allowed);
        assert!(
            messages(&r)
                .iter()
                .any(|m| m.contains("Depends is not evaluated"))
        );
        assert!(!r.has_errors());
        let r = review(
            r#"{"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["ims:images:g?t"], "Resource": ["*"]}, {"Effect": "Deny", "NotAction": ["ims:images:list"]}]}"#,
        );
        assert_eq!(r.format, Format::Identity);
        assert_eq!(status(&r, "show-image-native"), Status::Allowed);
        let m = messages(&r).join("\n");
        assert!(m.contains("NotAction is not evaluated"), "{m}");
        assert!(m.contains("Resource is not evaluated"), "{m}");
        let r = review(r#"{"Statement": [{"Effect": "Permit", "Action": ["ims:images:list"]}]}"#);
        let m = messages(&r).join("\n");
        assert!(m.contains("Error Version missing Version"), "{m}");
        assert!(
            m.contains(
                "Error Statement[0].Effect Effect must be \"Allow\" or \"Deny\", found \"Permit\""
            ),
            "{m}"
        );
        let r = review(r#"{"Version": "2", "Statement": []}"#);
        assert!(messages(&r)[0].contains("Version must be \"1.1\""));
    }

    #[test]
    fn broken_and_oversize_documents() {
        let r = review("{\"Version\": \"1.1\",\n \"Statement\": [}");
        assert_eq!(r.findings[0].severity, Severity::Error);
        assert!(
            r.findings[0]
                .message
                .starts_with("invalid JSON at line 2 column 16"),
            "{:?}",
            r.findings
        );
        assert!(
            r.operations
                .iter()
                .all(|o| o.status == Status::NotGranted || o.id == "list-versions-native")
        );
        let many: Vec<String> = (0..101).map(|i| format!("\"ims:images:act{i}\"")).collect();
        let statements: Vec<String> = (0..9)
            .map(|_| {
                format!(
                    "{{\"Effect\": \"Allow\", \"Action\": [{}]}}",
                    many.join(",")
                )
            })
            .collect();
        let r = review(&format!(
            "{{\"Version\": \"1.1\", \"Statement\": [{}]}}",
            statements.join(",")
        ));
        let m = messages(&r).join("\n");
        assert!(
            m.contains("Error Statement 9 statements: IAM allows at most 8"),
            "{m}"
        );
        assert!(
            m.contains(
                "Error Statement[0].Action 101 actions: IAM allows at most 100 in a statement"
            ),
            "{m}"
        );
        assert!(m.contains("over IAM's 6144-character limit"), "{m}");
    }
}
