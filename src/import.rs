//! `import-html`: a Huawei Cloud permission table (the HTML of a "permissions and supported
//! actions" page, in Chinese or English) into a catalog in our format.

use std::fmt;

use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};

use crate::catalog::is_action_name;
use crate::route::HTTP_METHODS;

/// Why a table could not be read: which row (1-based, as a reader counts) and which cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub row: Option<usize>,
    pub cell: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(row) = self.row {
            write!(f, "row {row}")?;
            if let Some(cell) = &self.cell {
                write!(f, ", cell {cell}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ImportError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Actions,
    Scopes,
    Route,
}

/// Header texts, Chinese and English, of the columns we read. Others (dependencies) are skipped.
fn column_of(header: &str) -> Option<Column> {
    let h = header.trim().to_lowercase();
    match h.as_str() {
        "权限" | "permission" | "permissions" => Some(Column::Name),
        "授权项" | "action" | "actions" => Some(Column::Actions),
        "授权范围" | "authorization scope" | "scope" => Some(Column::Scopes),
        "对应api接口" | "api" | "apis" => Some(Column::Route),
        _ => None,
    }
}

/// Deepest element nesting an imported page may have. Real permission pages nest about ten deep;
/// an HTML parser slows down quadratically on pathological nesting (40,000 `<div>`s).
pub const MAX_NESTING: usize = 512;

/// Elements whose end tag may be left out, or that have none: they do not count as nesting, so
/// a page of unclosed `<p>`s is not mistaken for a deep one.
const NOT_NESTING: &[&str] = &[
    "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "rt", "rp", "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
    "meta", "source", "track", "wbr", "html", "head", "body",
];

/// How deep the page's elements nest, counted from its tags without parsing it, stopping as
/// soon as `limit` is passed.
fn nesting_exceeds(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        i += offset + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        if NOT_NESTING.contains(&name.as_str()) {
            continue;
        }
        let tag_end = bytes[end..]
            .iter()
            .position(|&b| b == b'>')
            .map(|p| end + p);
        let self_closing = tag_end.is_some_and(|e| e > 0 && bytes[e - 1] == b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            if depth > limit {
                return true;
            }
        }
    }
    false
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// The page parsed, unless it nests deeper than [`MAX_NESTING`].
fn parse_page(html: &str) -> Result<Html, ImportError> {
    if nesting_exceeds(html, MAX_NESTING) {
        return Err(ImportError {
            row: None,
            cell: None,
            message: format!(
                "elements nest more than {MAX_NESTING} deep: not a permission table page"
            ),
        });
    }
    Ok(Html::parse_document(html))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

/// Text of an element with white space folded (tables wrap text over lines and `<p>`s).
fn text_of(e: ElementRef) -> String {
    let raw: String = e.text().collect();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cell's text split over its `<p>` elements joined with nothing: a long name wrapped over two
/// paragraphs is one name.
fn joined_paragraphs(cell: ElementRef) -> String {
    let ps: Vec<String> = cell.select(&sel("p")).map(text_of).collect();
    if ps.is_empty() {
        text_of(cell)
    } else {
        ps.concat()
    }
}

fn is_none_word(s: &str) -> bool {
    matches!(
        s.trim().to_lowercase().as_str(),
        "无" | "n/a" | "na" | "none" | "-" | "—" | ""
    )
}

/// `ims:x:y（condition）` or `ims:x:y (condition)`.
fn split_condition(item: &str) -> (String, Option<String>) {
    let item = item.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(i) = item.find(open) {
            let action = item[..i].trim().to_string();
            let rest = &item[i + open.len_utf8()..];
            let condition = rest.trim_end().trim_end_matches(close).trim().to_string();
            return (action, Some(condition));
        }
    }
    (item.to_string(), None)
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

/// Reads the first table of `html`. `service` names the catalog's service; by default it is the
/// service part of the actions (which must then agree).
pub fn import_html(html: &str, service: Option<&str>, title: &str) -> Result<Value, ImportError> {
    let doc = parse_page(html)?;
    let err = |row: Option<usize>, cell: Option<&str>, message: String| ImportError {
        row,
        cell: cell.map(str::to_string),
        message,
    };
    let table = doc
        .select(&sel("table"))
        .next()
        .ok_or_else(|| err(None, None, "no <table> found".into()))?;
    let in_thead: Vec<String> = table.select(&sel("thead th")).map(text_of).collect();
    // Without <thead>, the first row is the header (and not a row of data).
    let header_in_body = in_thead.is_empty();
    let headers: Vec<String> = if header_in_body {
        table
            .select(&sel("tr"))
            .next()
            .map(|tr| tr.select(&sel("th, td")).map(text_of).collect())
            .unwrap_or_default()
    } else {
        in_thead
    };
    let columns: Vec<Option<Column>> = headers.iter().map(|h| column_of(h)).collect();
    for needed in [Column::Name, Column::Actions, Column::Scopes, Column::Route] {
        if !columns.contains(&Some(needed)) {
            return Err(err(
                None,
                None,
                format!(
                    "the table's header ({}) lacks a column: expected 权限 / 授权项 / 授权范围 / 对应API接口 or Permission / Action / Authorization Scope / API",
                    headers.join(" | ")
                ),
            ));
        }
    }
    let chinese = headers
        .iter()
        .any(|h| h.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    let lang_key = if chinese { "zh" } else { "en" };
    let cell_name = |c: Column| -> &'static str {
        match (c, chinese) {
            (Column::Name, true) => "权限",
            (Column::Actions, true) => "授权项",
            (Column::Scopes, true) => "授权范围",
            (Column::Route, true) => "对应API接口",
            (Column::Name, false) => "Permission",
            (Column::Actions, false) => "Action",
            (Column::Scopes, false) => "Authorization Scope",
            (Column::Route, false) => "API",
        }
    };

    let body_rows: Vec<ElementRef> = {
        let tbody: Vec<ElementRef> = table.select(&sel("tbody > tr")).collect();
        if tbody.is_empty() || header_in_body {
            table.select(&sel("tr")).skip(1).collect()
        } else {
            tbody
        }
    };
    let mut operations = Vec::new();
    let mut services: Vec<String> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for (r, tr) in body_rows.iter().enumerate() {
        let row = Some(r + 1);
        let cells: Vec<ElementRef> = tr.select(&sel(":scope > td, :scope > th")).collect();
        if cells.len() != columns.len() {
            return Err(err(
                row,
                None,
                format!(
                    "{} cells, expected {} as in the header",
                    cells.len(),
                    columns.len()
                ),
            ));
        }
        let cell = |c: Column| cells[columns.iter().position(|x| *x == Some(c)).expect("checked")];

        let name = joined_paragraphs(cell(Column::Name));
        if name.is_empty() {
            return Err(err(row, Some(cell_name(Column::Name)), "empty name".into()));
        }

        let mut actions = Vec::new();
        let items: Vec<String> = {
            let lis: Vec<String> = cell(Column::Actions)
                .select(&sel("li"))
                .map(text_of)
                .collect();
            if lis.is_empty() {
                let ps: Vec<String> = cell(Column::Actions)
                    .select(&sel("p"))
                    .map(text_of)
                    .collect();
                if ps.is_empty() {
                    vec![text_of(cell(Column::Actions))]
                } else {
                    ps
                }
            } else {
                lis
            }
        };
        for item in items.iter().filter(|i| !is_none_word(i)) {
            let (action, condition) = split_condition(item);
            if !is_action_name(&action) {
                return Err(err(
                    row,
                    Some(cell_name(Column::Actions)),
                    format!(
                        "\"{action}\" is not an action of the form service:resourceType:action"
                    ),
                ));
            }
            let service_of = action.split(':').next().unwrap_or("").to_string();
            if !services.contains(&service_of) {
                services.push(service_of);
            }
            let condition = condition.map(|c| json!({ lang_key: c }));
            actions.push(json!({ "action": action, "condition": condition }));
        }

        let (mut project, mut enterprise) = (None, None);
        for li in cell(Column::Scopes).select(&sel("li")) {
            let t = text_of(li);
            let lower = t.to_lowercase();
            let supported = if t.starts_with("支持") || lower.starts_with("supported") {
                true
            } else if t.starts_with("不支持")
                || lower.starts_with("not supported")
                || lower.starts_with("unsupported")
            {
                false
            } else {
                return Err(err(
                    row,
                    Some(cell_name(Column::Scopes)),
                    format!("\"{t}\": expected 支持/不支持 or Supported/Not supported"),
                ));
            };
            let listed: Vec<String> = {
                let ps: Vec<String> = li.select(&sel("p")).map(text_of).collect();
                if ps.is_empty() {
                    let after = t
                        .split_once(['：', ':'])
                        .map(|x| x.1)
                        .unwrap_or("")
                        .to_string();
                    after
                        .split([',', '，', ';', '；', '、'])
                        .map(|s| s.trim().to_string())
                        .collect()
                } else {
                    ps
                }
            };
            for scope in listed.iter().filter(|s| !is_none_word(s)) {
                let s = scope.to_lowercase();
                if s.contains("enterprise") || scope.contains("企业项目") {
                    enterprise = Some(supported);
                } else if s.contains("project") || scope.contains("项目") {
                    project = Some(supported);
                } else {
                    return Err(err(
                        row,
                        Some(cell_name(Column::Scopes)),
                        format!("unknown scope \"{scope}\""),
                    ));
                }
            }
        }
        let (Some(project), Some(enterprise)) = (project, enterprise) else {
            return Err(err(
                row,
                Some(cell_name(Column::Scopes)),
                "both Project and Enterprise Project must be stated as supported or not".into(),
            ));
        };

        let route_cell = cell(Column::Route);
        let route = route_cell
            .select(&sel(":scope > p"))
            .map(text_of)
            .next()
            .unwrap_or_else(|| {
                // No paragraph: the cell's own text without the note.
                route_cell
                    .children()
                    .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            });
        let (method, path) = route.split_once(' ').unwrap_or(("", ""));
        let method = method.trim().to_ascii_uppercase();
        let path = path.trim().to_string();
        if !HTTP_METHODS.contains(&method.as_str()) || !path.starts_with('/') {
            return Err(err(
                row,
                Some(cell_name(Column::Route)),
                format!("\"{route}\" is not \"METHOD /path\""),
            ));
        }
        let notes: Vec<Value> = route_cell
            .select(&sel("div.note div.notebody, div.note .notebody"))
            .map(text_of)
            .filter(|n| !n.is_empty())
            .map(|n| json!({ lang_key: n }))
            .collect();

        let mut id = slug(&method, &path);
        if ids.contains(&id) {
            let mut n = 2;
            while ids.contains(&format!("{id}-{n}")) {
                n += 1;
            }
            id = format!("{id}-{n}");
        }
        ids.push(id.clone());
        let lower = name.to_lowercase();
        let deprecated = name.contains("已废弃") || lower.contains("deprecated");
        let native = name.contains("OpenStack原生") || lower.contains("native openstack");
        let names = if chinese {
            json!({"zh": name, "en": ""})
        } else {
            json!({"zh": "", "en": name})
        };
        operations.push(json!({
            "id": id,
            "name": names,
            "method": method,
            "path": path,
            "description": {},
            "actions": actions,
            "scopes": {"project": project, "enterprise_project": enterprise},
            "prerequisites": notes,
            "deprecated": deprecated,
            "openstack_native": native,
        }));
    }
    if operations.is_empty() {
        return Err(err(None, None, "the table has no rows".into()));
    }
    let service = match service {
        Some(s) => s.to_string(),
        None => match services.as_slice() {
            [one] => one.clone(),
            [] => {
                return Err(err(
                    None,
                    None,
                    "no action names a service: give --service NAME".into(),
                ));
            }
            many => {
                return Err(err(
                    None,
                    None,
                    format!(
                        "actions of several services ({}): give --service NAME",
                        many.join(", ")
                    ),
                ));
            }
        },
    };
    Ok(json!({
        "service": service,
        "source": {"title": title, "url": null, "retrieved": null},
        "operations": operations,
    }))
}

/// The page's first heading, as a catalog title.
pub fn title_of(html: &str) -> Option<String> {
    let doc = parse_page(html).ok()?;
    if let Some(h) = doc.select(&sel("h1, h2, title")).next() {
        let t = text_of(h);
        if !t.is_empty() {
            return Some(t);
        }
    }
    // Markdown-flavoured pages (like the seed) start with `# Title<a ...>`.
    html.lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .map(|l| l.split('<').next().unwrap_or("").trim().to_string())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("GET", "/v2/cloudimages"), "get-v2-cloudimages");
        assert_eq!(
            slug("PATCH", "/v2/cloudimages/{image_id}"),
            "patch-v2-cloudimages-image-id"
        );
        assert_eq!(
            slug("DELETE", "/v1.1/images/{image_id}"),
            "delete-v1-1-images-image-id"
        );
        assert_eq!(slug("GET", "/"), "get-root");
    }

    #[test]
    fn conditions_in_either_bracket() {
        assert_eq!(
            split_condition("ims:a:b（仅x需要）"),
            ("ims:a:b".into(), Some("仅x需要".into()))
        );
        assert_eq!(
            split_condition("ims:a:b (only for x)"),
            ("ims:a:b".into(), Some("only for x".into()))
        );
        assert_eq!(split_condition("ims:a:b"), ("ims:a:b".into(), None));
    }

    const ENGLISH: &str = r#"<table><thead><tr><th>Permission</th><th>API</th><th>Action</th><th>Authorization Scope</th></tr></thead>
<tbody><tr><td><p>Querying Servers</p></td><td><p>GET /v1/{project_id}/cloudservers</p></td>
<td><ul><li>ecs:cloudServers:list</li></ul></td>
<td><ul><li>Supported: <p>Project</p><p>Enterprise Project</p></li></ul></td></tr>
<tr><td>Deleting Servers</td><td>POST /v1/{project_id}/cloudservers/delete<div class="note"><div class="notebody"><p>Needs EVS.</p></div></div></td>
<td><ul><li>ecs:cloudServers:delete</li><li>evs:volumes:delete (only when deleting volumes)</li></ul></td>
<td><ul><li>Supported: Project</li><li>Not supported: Enterprise Project</li></ul></td></tr></tbody></table>"#;

    #[test]
    fn english_tables_in_any_column_order() {
        let v = import_html(ENGLISH, Some("ecs"), "ECS").unwrap();
        let ops = v["operations"].as_array().unwrap();
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[0]["name"], json!({"zh": "", "en": "Querying Servers"}));
        assert_eq!(ops[0]["id"], "get-v1-project-id-cloudservers");
        assert_eq!(
            ops[1]["actions"][1],
            json!({"action": "evs:volumes:delete", "condition": {"en": "only when deleting volumes"}})
        );
        assert_eq!(
            ops[1]["scopes"],
            json!({"project": true, "enterprise_project": false})
        );
        assert_eq!(ops[1]["prerequisites"], json!([{"en": "Needs EVS."}]));
        // Without --service, the actions' services must agree.
        let e = import_html(ENGLISH, None, "ECS").unwrap_err();
        assert_eq!(
            e.to_string(),
            "actions of several services (ecs, evs): give --service NAME"
        );
    }

    #[test]
    fn unreadable_cells_are_named() {
        let bad = ENGLISH.replace("GET /v1/{project_id}/cloudservers", "/v1/cloudservers");
        assert_eq!(
            import_html(&bad, Some("ecs"), "t").unwrap_err().to_string(),
            "row 1, cell API: \"/v1/cloudservers\" is not \"METHOD /path\""
        );
        let bad = ENGLISH.replace("<li>ecs:cloudServers:list</li>", "<li>list servers</li>");
        assert!(
            import_html(&bad, Some("ecs"), "t")
                .unwrap_err()
                .to_string()
                .starts_with("row 1, cell Action: \"list servers\" is not an action")
        );
        let bad = ENGLISH.replace("<td><ul><li>Supported: Project</li><li>Not supported: Enterprise Project</li></ul></td>", "<td>yes</td>");
        assert!(
            import_html(&bad, Some("ecs"), "t")
                .unwrap_err()
                .to_string()
                .starts_with("row 2, cell Authorization Scope: both Project")
        );
        let bad = ENGLISH.replace("<td>Deleting Servers</td>", "");
        assert_eq!(
            import_html(&bad, Some("ecs"), "t").unwrap_err().to_string(),
            "row 2: 3 cells, expected 4 as in the header"
        );
        assert!(
            import_html("<p>no table</p>", None, "t")
                .unwrap_err()
                .to_string()
                .contains("no <table>")
        );
        let bad = ENGLISH.replace("<th>Action</th>", "<th>Stuff</th>");
        assert!(
            import_html(&bad, None, "t")
                .unwrap_err()
                .to_string()
                .contains("lacks a column")
        );
    }

    #[test]
    fn a_header_row_without_thead_is_not_data() {
        let plain = ENGLISH
            .replace("<thead>", "")
            .replace("</thead>", "")
            .replace("<tbody>", "")
            .replace("</tbody>", "");
        let v = import_html(&plain, Some("ecs"), "t").unwrap();
        assert_eq!(v["operations"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn deep_nesting_is_refused_at_once() {
        let deep = format!(
            "{}<table></table>{}",
            "<div>".repeat(40_000),
            "</div>".repeat(40_000)
        );
        let e = import_html(&deep, None, "t").unwrap_err().to_string();
        assert!(e.contains("nest more than 512 deep"), "{e}");
        assert!(title_of(&deep).is_none());
        // Unclosed paragraphs and list items are not nesting.
        let flat = format!("{}{ENGLISH}", "<p>x<li>y".repeat(5_000));
        assert!(import_html(&flat, Some("ecs"), "t").is_ok());
    }
}
