//! `simulate` in words: each call's decision and what decided it, the smallest fix, and what
//! else the fix allows.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::lang::Lang;
use crate::policy::simulate::{FixChange, FixProblem, MatchedAction, Simulation, Subject, Verdict};

use super::words::{pick, plural};

/// `copy-image-cross-region (POST /v1/cloudimages/{image_id}/cross_region_copy)` or the action.
fn subject_name(catalog: &Catalog, subject: &Subject) -> String {
    match subject {
        Subject::Operation(i) => super::words::id_and_route(&catalog.operations()[*i], Lang::En),
        Subject::Action { action, .. } => action.clone(),
    }
}

/// `Statement[1] (Deny) Action[0] "ims:images:copy"`.
fn where_matched(m: &MatchedAction, allow: bool) -> String {
    let effect = if allow { "Allow" } else { "Deny" };
    match m.matched.index {
        Some(k) => format!(
            "Statement[{}] ({effect}) Action[{k}] \"{}\"",
            m.matched.statement, m.matched.pattern
        ),
        None => format!("Statement[{}] ({effect}) NotAction", m.matched.statement),
    }
}

fn ops_list(catalog: &Catalog, ops: &[usize], lang: Lang) -> String {
    ops.iter()
        .map(|&i| super::words::id_and_route(&catalog.operations()[i], lang))
        .collect::<Vec<_>>()
        .join(pick(lang, ", ", "、"))
}

/// The lines for one simulated call: what it is, then (indented) the decision and what decided
/// it.
pub fn simulation_lines(catalog: &Catalog, call: &str, s: &Simulation, lang: Lang) -> Vec<String> {
    let head = format!(
        "{}  →  {}",
        crate::text::escape_controls(&crate::text::shorten(call, 120)),
        subject_name(catalog, &s.subject)
    );
    std::iter::once(head)
        .chain(decision_lines(catalog, s, lang).into_iter().map(indented))
        .collect()
}

fn indented(line: String) -> String {
    format!("  {line}")
}

/// The decision and what decided it, a line each.
fn decision_lines(catalog: &Catalog, s: &Simulation, lang: Lang) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let mut out = Vec::new();
    let hedge = match (s.conditional, zh) {
        (false, _) => "",
        (true, false) => {
            " (if the statement's Condition and Resource hold; they are not evaluated)"
        }
        (true, true) => "（前提是该语句的 Condition 与 Resource 成立；它们不被评估）",
    };
    match s.verdict {
        Verdict::Allowed if s.needed.is_empty() => out.push(
            pick(
                lang,
                "allowed: the operation needs no action (any authenticated user may call it)",
                "允许：该操作不需要授权项（任何已认证用户都可调用）",
            )
            .into(),
        ),
        Verdict::Allowed => {
            for action in &s.needed {
                let by: Vec<String> = s
                    .allowed_by
                    .iter()
                    .filter(|m| m.action.eq_ignore_ascii_case(action))
                    .map(|m| where_matched(m, true))
                    .collect();
                out.push(match zh {
                    false => format!("allowed{hedge}: {action} by {}", by.join(", ")),
                    true => format!("允许{hedge}：{action}，由 {} 允许", by.join("、")),
                });
            }
        }
        Verdict::ExplicitDeny => {
            for m in &s.denied_by {
                out.push(match zh {
                    false => format!(
                        "explicitly denied{hedge}: {} denied by {}",
                        m.action,
                        where_matched(m, false)
                    ),
                    true => format!(
                        "显式拒绝{hedge}：{} 被 {} 拒绝",
                        m.action,
                        where_matched(m, false)
                    ),
                });
            }
        }
        Verdict::ImplicitDeny => out.push(match zh {
            false => format!(
                "implicitly denied: no statement allows {}",
                s.missing.join(", ")
            ),
            true => format!("隐式拒绝：没有语句允许 {}", s.missing.join("、")),
        }),
        Verdict::NotInScope => out.push(
            pick(
                lang,
                "not in scope: this operation does not support enterprise projects, so no policy makes it work there (authorize it in an IAM project)",
                "不在授权范围内：该操作不支持企业项目，无论策略如何都无法在企业项目中生效（请在 IAM 项目中授权）",
            )
            .into(),
        ),
        Verdict::ActionsNotDocumented => out.push(
            pick(
                lang,
                "unknown: the permission table does not document this operation's actions, so no verdict can be proved (find its actions, then add them to a catalog of your own)",
                "无法判断：权限表未说明该操作的授权项，无法证明允许或拒绝（查明其授权项后写入自己的目录）",
            )
            .into(),
        ),
    }
    if let Subject::Action { needed_by, .. } = &s.subject
        && !needed_by.is_empty()
    {
        out.push(match zh {
            false => format!("needed by: {}", ops_list(catalog, needed_by, lang)),
            true => format!("需要它的操作：{}", ops_list(catalog, needed_by, lang)),
        });
    }
    if s.scope_unknown {
        out.push(
            pick(
                lang,
                "(the catalog does not say whether it supports enterprise projects)",
                "（目录未说明它是否支持企业项目）",
            )
            .into(),
        );
    }
    out
}

/// One change of a fix, in words.
pub fn fix_change(change: &FixChange, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match change {
        FixChange::RemovedFromDeny { statement, pattern } => match zh {
            false => format!("remove \"{pattern}\" from Statement[{statement}] (Deny)"),
            true => format!("从 Statement[{statement}]（Deny）中删除 \"{pattern}\""),
        },
        FixChange::NarrowedDeny {
            statement,
            pattern,
            to,
            beyond,
        } => {
            let mut out = match zh {
                false => format!(
                    "narrow \"{pattern}\" in Statement[{statement}] (Deny) to the {} action{} of the loaded catalogs it matched but the needed ones: {}",
                    to.len(),
                    plural(to.len()),
                    to.join(", ")
                ),
                true => format!(
                    "把 Statement[{statement}]（Deny）中的 \"{pattern}\" 缩小为它在已加载目录中匹配的、除所需之外的 {} 个授权项：{}",
                    to.len(),
                    to.join("、")
                ),
            };
            if *beyond {
                out.push_str(pick(
                    lang,
                    " (the Deny then no longer covers actions the loaded catalogs do not list: other services', and ones added later)",
                    "（此后该拒绝不再覆盖已加载目录未列出的授权项：其他服务的，以及以后新增的）",
                ));
            }
            out
        }
        FixChange::ExcludedFromDeny { statement, action } => match zh {
            false => format!(
                "add \"{action}\" to Statement[{statement}]'s NotAction (Deny), so the Deny no longer applies to it"
            ),
            true => format!(
                "把 \"{action}\" 加入 Statement[{statement}]（Deny）的 NotAction，使该拒绝不再作用于它"
            ),
        },
        FixChange::DenyRemoved { statement } => match zh {
            false => format!("drop Statement[{statement}] (Deny): it has no action left"),
            true => format!("删除 Statement[{statement}]（Deny）：它已没有授权项"),
        },
        FixChange::AddedToAllow {
            statement,
            actions,
            new: false,
        } => match zh {
            false => format!(
                "add {} to Statement[{statement}] (Allow)",
                actions.join(", ")
            ),
            true => format!(
                "在 Statement[{statement}]（Allow）中加入 {}",
                actions.join("、")
            ),
        },
        FixChange::AddedToAllow {
            statement,
            actions,
            new: true,
        } => match zh {
            false => format!(
                "add an Allow statement, Statement[{statement}], for {}",
                actions.join(", ")
            ),
            true => format!(
                "新增 Allow 语句 Statement[{statement}]，授予 {}",
                actions.join("、")
            ),
        },
    }
}

/// `  smallest fix: …`, `  it also allows: …` for one call.
pub fn fix_lines(
    catalog: &Catalog,
    changes: &[FixChange],
    also: &[usize],
    lang: Lang,
) -> Vec<String> {
    fix_words(catalog, changes, also, lang)
        .into_iter()
        .map(indented)
        .collect()
}

/// The smallest fix and what else it allows, a line each.
fn fix_words(catalog: &Catalog, changes: &[FixChange], also: &[usize], lang: Lang) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let words: Vec<String> = changes.iter().map(|c| fix_change(c, lang)).collect();
    let mut out = vec![match zh {
        false => format!("smallest fix: {}", words.join("; ")),
        true => format!("最小修改：{}", words.join("；")),
    }];
    out.push(match (also.is_empty(), zh) {
        (true, false) => "it allows no other operation".into(),
        (true, true) => "它不会允许其他操作".into(),
        (false, false) => format!("it also allows: {}", ops_list(catalog, also, lang)),
        (false, true) => format!("它还会允许：{}", ops_list(catalog, also, lang)),
    });
    out
}

pub fn fix_problem(problem: &FixProblem, lang: Lang) -> String {
    match problem {
        FixProblem::NotInScope { operation: id } => {
            match lang {
                Lang::En => format!(
                    "no fix: {id} does not support enterprise projects; no policy makes it work there"
                ),
                Lang::Zh => format!("无法修改：{id} 不支持企业项目，任何策略都无法使其在企业项目中生效"),
            }
        }
        FixProblem::ActionsNotDocumented { operation: id } => match lang {
            Lang::En => format!(
                "no fix: the permission table does not document the actions {id} needs"
            ),
            Lang::Zh => format!("无法修改：权限表未说明 {id} 需要的授权项"),
        },
        FixProblem::NoRoom => pick(
            lang,
            "no fix within IAM's limits: no Allow statement has room, and the policy has 8 statements",
            "在 IAM 的限制内无法修改：没有 Allow 语句有空间，且策略已有 8 条语句",
        )
        .into(),
        FixProblem::Unresolved => pick(
            lang,
            "no fix found: the changes tried still do not allow every call",
            "未找到修改：尝试的修改仍不能允许所有调用",
        )
        .into(),
        FixProblem::NotAPolicy => pick(
            lang,
            "no fix: the document is not a policy that can be changed",
            "无法修改：该文档不是可以修改的策略",
        )
        .into(),
    }
}

/// One call in `simulate --json`.
#[derive(Serialize)]
pub struct SimulationJson {
    pub call: String,
    /// The operation's id; absent when the call is an action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// For an action (or a denial message): the action, and the operations that need it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needed_by: Vec<String>,
    pub decision: Verdict,
    pub allowed_by: Vec<MatchJson>,
    pub denied_by: Vec<MatchJson>,
    pub missing: Vec<String>,
    pub conditional: bool,
}

#[derive(Serialize)]
pub struct MatchJson {
    pub statement: usize,
    /// `null` for a NotAction statement.
    pub index: Option<usize>,
    pub pattern: String,
    /// The needed action it matched.
    pub action: String,
}

pub fn simulation_json(catalog: &Catalog, call: &str, s: &Simulation) -> SimulationJson {
    let id = |i: usize| catalog.operations()[i].id.clone();
    let matches = |list: &[MatchedAction]| {
        list.iter()
            .map(|m| MatchJson {
                statement: m.matched.statement,
                index: m.matched.index,
                pattern: m.matched.pattern.clone(),
                action: m.action.clone(),
            })
            .collect()
    };
    let (operation, action, needed_by) = match &s.subject {
        Subject::Operation(i) => (Some(id(*i)), None, Vec::new()),
        Subject::Action { action, needed_by } => (
            None,
            Some(action.clone()),
            needed_by.iter().map(|&i| id(i)).collect(),
        ),
    };
    SimulationJson {
        call: call.to_string(),
        operation,
        action,
        needed_by,
        decision: s.verdict,
        allowed_by: matches(&s.allowed_by),
        denied_by: matches(&s.denied_by),
        missing: s.missing.clone(),
        conditional: s.conditional,
    }
}

/// `--fix` when every call is already allowed.
pub fn fix_nothing(lang: Lang) -> &'static str {
    pick(
        lang,
        "Nothing to fix: every call is allowed.",
        "无需修改：每个调用都已允许。",
    )
}

/// What `simulate` says of one operation, for the explorer's detail pane: the decision, what
/// decided it, and (when denied) the smallest fix with what else it allows.
pub fn simulation_detail(
    catalog: &Catalog,
    s: &Simulation,
    fix: Option<&Result<crate::policy::simulate::Fix, FixProblem>>,
    also: &[usize],
    lang: Lang,
) -> Vec<String> {
    // The pane shows the route already: the decision lines follow it.
    let mut out = decision_lines(catalog, s, lang);
    match fix {
        Some(Ok(f)) => out.extend(fix_words(catalog, &f.changes, also, lang)),
        Some(Err(problem)) => out.push(fix_problem(problem, lang)),
        None => {}
    }
    out
}
