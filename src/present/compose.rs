//! The composer's report in words.

use super::words::{pick, plural, punct};
use crate::catalog::{Catalog, Operation};
use crate::lang::Lang;
use crate::policy::compose::{
    Composition, Effect, MAX_ACTIONS_PER_STATEMENT, MAX_POLICY_CHARS, MAX_STATEMENTS,
};
use crate::policy::export::{Declined, Replacement};

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
    let c = Context {
        ops: catalog.operations(),
        composition,
        effect,
        lang,
        advice,
    };
    [
        summary,
        scopes,
        prerequisites,
        conditionals,
        dependencies,
        also_granted,
        limits,
    ]
    .iter()
    .flat_map(|section| section(&c))
    .collect()
}

/// What every section of the report reads.
struct Context<'a> {
    ops: &'a [Operation],
    composition: &'a Composition,
    effect: Effect,
    lang: Lang,
    advice: Advice,
}

impl Context<'_> {
    /// `list-images (GET /v2/cloudimages)`.
    fn name(&self, i: usize) -> String {
        super::words::id_and_route(&self.ops[i], self.lang)
    }

    fn list(&self, v: &[usize]) -> String {
        let names: Vec<String> = v.iter().map(|&i| self.name(i)).collect();
        names.join(punct(self.lang).sep)
    }
}

/// What the policy is, and what needs no action.
fn summary(c: &Context) -> Vec<String> {
    let zh = c.lang == Lang::Zh;
    let r = &c.composition.report;
    let lang = c.lang;
    let effect = c.effect;
    let composition = c.composition;
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
            c.list(&r.no_action)
        ));
    }
    out
}

/// The scopes the policy fully works in, and why not.
fn scopes(c: &Context) -> Vec<String> {
    let zh = c.lang == Lang::Zh;
    let r = &c.composition.report;
    let lang = c.lang;
    let mut out = Vec::new();
    // Scopes: one line each, the same shape.
    // A scope is "yes" only when every operation is documented to support it.
    let unknown = &r.scopes_unknown;
    let scope_line =
        |scope: &str, blockers: &[usize]| match (blockers.is_empty(), unknown.is_empty(), zh) {
            (true, true, false) => format!("  {scope}: yes"),
            (true, true, true) => format!("  {scope}：支持"),
            (true, false, false) => format!(
                "  {scope}: unknown: the permission table does not say for {}",
                c.list(unknown)
            ),
            (true, false, true) => format!("  {scope}：未知：权限表未说明 {}", c.list(unknown)),
            (false, _, false) => format!("  {scope}: no, because of {}", c.list(blockers)),
            (false, _, true) => format!("  {scope}：不支持，因为 {}", c.list(blockers)),
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
    out
}

/// Permissions on other services the operations need first.
fn prerequisites(c: &Context) -> Vec<String> {
    let ops = c.ops;
    let p = punct(c.lang);
    let r = &c.composition.report;
    let lang = c.lang;
    let mut out = Vec::new();
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
    out
}

/// Conditional actions included and left out, and how to add them.
fn conditionals(c: &Context) -> Vec<String> {
    let ops = c.ops;
    let zh = c.lang == Lang::Zh;
    let p = punct(c.lang);
    let r = &c.composition.report;
    let lang = c.lang;
    let advice = c.advice;
    let mut out = Vec::new();
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
    out
}

/// Dependent actions left out (and how to add them) or included.
fn dependencies(c: &Context) -> Vec<String> {
    let ops = c.ops;
    let zh = c.lang == Lang::Zh;
    let r = &c.composition.report;
    let lang = c.lang;
    let advice = c.advice;
    let mut out = Vec::new();
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
    out
}

/// What the same actions also allow (or deny), fully or partly.
fn also_granted(c: &Context) -> Vec<String> {
    let zh = c.lang == Lang::Zh;
    let p = punct(c.lang);
    let r = &c.composition.report;
    let lang = c.lang;
    let effect = c.effect;
    let mut out = Vec::new();
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
            out.push(format!("  {}", c.name(i)));
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
            out.push(match lang {
                Lang::En => format!("  {} [{}]", c.name(partial.operation), cases.join(p.semi)),
                Lang::Zh => format!("  {}：{}", c.name(partial.operation), cases.join(p.semi)),
            });
        }
    }
    out
}

/// IAM's limits, as this policy uses them.
fn limits(c: &Context) -> Vec<String> {
    let zh = c.lang == Lang::Zh;
    let r = &c.composition.report;
    let composition = c.composition;
    let mut out = Vec::new();
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
