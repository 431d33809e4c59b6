//! One cell's text understood: actions (one by one, run together, with conditions), routes,
//! scopes, ids.

use super::ImportReason;
use super::tables::fold_space;
use crate::catalog::route::HTTP_METHODS;
use crate::text::fold;

/// Whether a text has CJK ideographs (the table is Chinese).
pub(super) fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Words that mean "none" in an actions or dependencies cell.
pub(super) fn is_none_word(s: &str) -> bool {
    matches!(
        fold(s.trim()).to_lowercase().as_str(),
        "无" | "n/a"
            | "na"
            | "none"
            | "-"
            | "—"
            | "–"
            | "不涉及"
            | "不需要"
            | "无需授权"
            | "不需要授权"
            | ""
    )
}

/// A label written before an action, and the rest: `创空白云硬盘evs:volumes:create` →
/// (`创空白云硬盘`, `evs:volumes:create`). No label when the text starts with the action.
fn split_label(text: &str) -> (Option<String>, &str) {
    if text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return (None, text);
    }
    // The action starts at the first ASCII letter that begins `service:`.
    let start = text.char_indices().find(|&(i, c)| {
        c.is_ascii_lowercase()
            && text[i..]
                .split(':')
                .next()
                .is_some_and(|s| s.len() < text.len() - i && crate::catalog::is_kebab_id(s))
    });
    match start {
        Some((i, _)) if i > 0 => {
            let label = text[..i].trim_end_matches(['：', ':', '-', '—', ' ']);
            ((!label.is_empty()).then(|| label.to_string()), &text[i..])
        }
        _ => (None, text),
    }
}

/// Services of Huawei Cloud, to find where two actions run together (`…getims:images:update`):
/// besides these, every service a table's cells start with counts.
pub(super) const KNOWN_SERVICES: &[&str] = &[
    "aad",
    "antiddos",
    "aom",
    "apig",
    "as",
    "bms",
    "cbr",
    "cce",
    "cci",
    "cdn",
    "ces",
    "cfw",
    "cts",
    "dbss",
    "dcs",
    "ddm",
    "dds",
    "dms",
    "dns",
    "dss",
    "dws",
    "ecs",
    "eip",
    "elb",
    "evs",
    "functiongraph",
    "ges",
    "hss",
    "iam",
    "ims",
    "kms",
    "lts",
    "mrs",
    "nat",
    "obs",
    "rds",
    "rms",
    "scm",
    "sdrs",
    "sfs",
    "sfsturbo",
    "smn",
    "swr",
    "tms",
    "vpc",
    "vpcep",
    "vpn",
    "waf",
];

/// An actions cell's item split into actions with their conditions. Handles one action per item,
/// several run together (`ims:images:getims:images:update`), conditions in `（…）` or `(…)` after
/// the action they belong to, and none (`无`, `N/A`, `-`).
pub(super) fn split_actions(
    item: &str,
    services: &[String],
) -> Result<Vec<(String, Option<String>)>, ImportReason> {
    let item = fold_space(item);
    if is_none_word(&item) {
        return Ok(Vec::new());
    }
    // Outside brackets: action text; inside: a condition for the action before it.
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut outside = String::new();
    let mut depth = 0usize;
    let mut condition = String::new();
    let flush = |outside: &mut String,
                 out: &mut Vec<(String, Option<String>)>|
     -> Result<(), ImportReason> {
        let text: String = outside.split_whitespace().collect();
        outside.clear();
        if text.is_empty() || is_none_word(&text) {
            return Ok(());
        }
        // A label before the action (`创空白云硬盘evs:volumes:create`, `云硬盘：evs:volumeTags:list`)
        // says in which case it is needed: its condition. Punctuation after it is no part of it
        // (`ecs:cloudServers:list/`).
        // `a/b`, `a、b`: several actions in one line (an action has no such character).
        for piece in text.split(['/', '、', ',', '，', ';', '；']) {
            let (label, text) = split_label(piece);
            let text = text.trim_end_matches(|c: char| c.is_ascii_punctuation() && c != '*');
            if text.is_empty() {
                continue;
            }
            for action in split_run_together(text, services)? {
                // Service names come in any case (`CSBS:backup:*`); IAM's are lower case.
                let action = match action.split_once(':') {
                    Some((service, rest)) if rest.contains(':') => {
                        format!("{}:{rest}", service.to_ascii_lowercase())
                    }
                    _ => action,
                };
                out.push((action, label.clone()));
            }
        }
        Ok(())
    };
    for c in item.chars() {
        match c {
            '（' | '(' => {
                if depth == 0 {
                    flush(&mut outside, &mut out)?;
                    condition.clear();
                } else {
                    condition.push(c);
                }
                depth += 1;
            }
            '）' | ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    // No action before it in this item: it belongs to the one before the item
                    // (the caller's); an empty action stands for that.
                    match out.last_mut() {
                        Some(last) => last.1 = Some(condition.trim().to_string()),
                        None => out.push((String::new(), Some(condition.trim().to_string()))),
                    }
                } else {
                    condition.push(c);
                }
            }
            _ if depth > 0 => condition.push(c),
            _ => outside.push(c),
        }
    }
    if depth > 0 {
        return Err(ImportReason::UnclosedBracket {
            text: item.to_string(),
        });
    }
    flush(&mut outside, &mut out)?;
    Ok(out)
}

/// `ims:images:getims:images:update` → the two actions. Where two actions touch, the second's
/// service is a known one; the action part before it keeps the rest.
pub(super) fn split_run_together(
    text: &str,
    services: &[String],
) -> Result<Vec<String>, ImportReason> {
    let parts: Vec<&str> = text.split(':').collect();
    // `cloudServers:delete`: an action missing its service, for the caller to complete.
    if parts.len() == 2 {
        return Ok(vec![text.to_string()]);
    }
    if parts.len() < 3 || parts.len() % 2 == 0 {
        return Err(ImportReason::NotAnAction {
            text: text.to_string(),
        });
    }
    let mut out = Vec::new();
    let mut service = parts[0].to_string();
    let mut k = 1;
    while k + 1 < parts.len() {
        let resource = parts[k];
        let glued = parts[k + 1];
        if k + 2 == parts.len() {
            out.push(format!("{service}:{resource}:{glued}"));
            break;
        }
        // `glued` is this action's name followed by the next action's service.
        let next = services
            .iter()
            .map(String::as_str)
            .chain(KNOWN_SERVICES.iter().copied())
            .filter(|s| glued.len() > s.len() && glued.ends_with(s))
            .max_by_key(|s| s.len())
            .ok_or_else(|| ImportReason::RunTogether {
                text: text.to_string(),
            })?;
        let action = &glued[..glued.len() - next.len()];
        out.push(format!("{service}:{resource}:{action}"));
        service = next.to_string();
        k += 2;
    }
    Ok(out)
}

/// `GET /v2/images 说明…` → (`GET`, `/v2/images`, the rest as a note).
pub(super) fn split_route(text: &str) -> Option<(String, String, Option<String>)> {
    let t = text.trim();
    let method_end = t.find(|c: char| !c.is_ascii_alphabetic())?;
    let method = t[..method_end].to_ascii_uppercase();
    if !HTTP_METHODS.contains(&method.as_str()) {
        return None;
    }
    let rest = t[method_end..].trim_start();
    if !rest.starts_with('/') {
        return None;
    }
    let path_end = rest
        .find(|c: char| !(c.is_ascii_graphic()))
        .unwrap_or(rest.len());
    let path = rest[..path_end].to_string();
    let note = rest[path_end..].trim();
    Some((method, path, (!note.is_empty()).then(|| note.to_string())))
}

/// Yes or no, as a scope column writes it.
pub(super) fn yes_no(s: &str) -> Option<bool> {
    match fold(s.trim()).to_lowercase().as_str() {
        "√" | "✓" | "✔" | "y" | "yes" | "是" | "支持" | "supported" | "true" => Some(true),
        "x" | "×" | "✗" | "✘" | "n" | "no" | "否" | "不支持" | "not supported" | "false" | "-" => {
            Some(false)
        }
        _ => None,
    }
}

/// A scope cell such as `支持：项目（Project） 企业项目（Enterprise Project） 不支持：无` or
/// `Supported: Project Not supported: Enterprise Project`: (project, enterprise project).
pub(super) fn parse_scopes(text: &str) -> Result<(bool, bool), ImportReason> {
    let t = fold(text).to_lowercase();
    // Markers with where they start, in order.
    let mut marks: Vec<(usize, usize, bool)> = Vec::new();
    for (word, supported) in [
        ("不支持", false),
        ("not supported", false),
        ("unsupported", false),
    ] {
        for (i, _) in t.match_indices(word) {
            marks.push((i, i + word.len(), supported));
        }
    }
    for (word, supported) in [("支持", true), ("supported", true)] {
        for (i, _) in t.match_indices(word) {
            if !marks.iter().any(|&(a, b, _)| i >= a && i < b) {
                marks.push((i, i + word.len(), supported));
            }
        }
    }
    marks.sort();
    let (mut project, mut enterprise) = (None, None);
    for (n, &(_, end, supported)) in marks.iter().enumerate() {
        let stop = marks.get(n + 1).map_or(t.len(), |m| m.0);
        let segment = &t[end..stop];
        let without_ep = segment
            .replace("企业项目", "")
            .replace("enterprise project", "");
        if without_ep.len() != segment.len() {
            enterprise = Some(supported);
        }
        if without_ep.contains("项目") || without_ep.contains("project") {
            project = Some(supported);
        }
    }
    match (project, enterprise) {
        (Some(p), Some(e)) => Ok((p, e)),
        _ => Err(ImportReason::ScopesNotStated {
            text: fold_space(text),
        }),
    }
}

/// A stable id from the route: `PATCH /v2/cloudimages/{image_id}` → `patch-v2-cloudimages-image-id`.
pub fn slug(method: &str, path: &str) -> String {
    let mut words = vec![method.to_ascii_lowercase()];
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let word: String = seg
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        words.extend(
            word.split('-')
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
    }
    if words.len() == 1 {
        words.push("root".into());
    }
    words.join("-")
}

/// Slug words of an action's resource and name: `ecs:servers:createImage` → `servers-createimage`.
pub(super) fn action_slug(action: &str) -> String {
    let mut parts = action.split(':').skip(1);
    let words: Vec<String> = parts
        .by_ref()
        .map(|p| {
            p.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    words.join("-")
}
