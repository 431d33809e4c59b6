//! `import`: Huawei Cloud permission tables, as Huawei has published them over the years, into
//! one catalog. Forms read (see `../shared/vendor-tables/README.md`):
//!
//! - HTML tables with Chinese or English headers, in any column order: 权限 / 授权项 / 授权范围 /
//!   对应API接口 (the seed), API / API功能 / 授权项 / 授权作用域, API / API功能 / 授权项 (no scope
//!   column: scopes not documented), 权限 / 对应的API接口 / 授权项（Action） / 依赖的授权项 / IAM项目 /
//!   企业项目, Permission / API / Action / Dependencies / IAM Project / Enterprise Project;
//! - Markdown pipe tables with the same headers, where a cell's line breaks were lost
//!   (`ims:images:getims:images:update` is two actions, a note is glued to the route);
//! - many tables in one file and many files: one catalog, each table's section taken from the
//!   heading before it (`# 镜像共享`, `<h1>`…`<h4>`).
//!
//! Operations are built typed and checked by the catalog's own checks, so an import always loads.
//! A row or header that cannot be read is an error naming the file, table, row and cell; a table
//! that is not a permission table at all (no action and no API column) is skipped and counted.

use std::fmt;
use std::sync::Arc;

use scraper::{ElementRef, Html, Node, Selector};

use crate::catalog::route::HTTP_METHODS;
use crate::catalog::{
    ActionRequirement, CatalogDoc, Operation, ParsedCatalog, Prerequisite, Scopes, Source,
    check_document, is_action_name, is_action_pattern,
};
use crate::lang::{Lang, LocalText};
use crate::text::{escape_controls, fold, shorten};

/// Why an import failed: where (file, table, row, cell, as a reader counts them) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    /// 1-based table in the file.
    pub table: Option<usize>,
    /// 1-based data row in the table.
    pub row: Option<usize>,
    /// The header of the cell's column.
    pub cell: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(t) = self.table {
            write!(f, ", table {t}")?;
        }
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = &self.cell {
            write!(f, ", cell {}", escape_controls(c))?;
        }
        write!(f, ": {}", escape_controls(&shorten(&self.message, 400)))
    }
}

impl std::error::Error for ImportError {}

/// What was read, for the report on stderr.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub files: usize,
    pub tables: usize,
    pub rows: usize,
    /// Sections in the order met.
    pub sections: Vec<String>,
    /// Tables that are not permission tables (no action and no API column).
    pub skipped_tables: usize,
    /// Headers of columns read past (`备注`): named, so nothing is dropped unsaid.
    pub ignored_columns: Vec<String>,
}

/// The forms understood, for error messages.
const FORMS: &str = "expected a permission table: 权限 / 授权项 / 授权范围 / 对应API接口, API / API功能 / 授权项 [/ 授权作用域], 权限 / 对应的API接口 / 授权项（Action） [/ 依赖的授权项] [/ IAM项目 / 企业项目], or Permission / API / Action [/ Dependencies] [/ IAM Project / Enterprise Project], in any order";

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

/// Whether the page's elements nest deeper than `limit`, counted from its tags without parsing
/// it, stopping as soon as the limit is passed.
fn nesting_exceeds(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
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

/// The columns of a permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Route,
    Actions,
    Dependencies,
    /// One column saying which scopes are supported (支持：… 不支持：…).
    Scopes,
    Project,
    EnterpriseProject,
}

/// A header's column, from its words in either language (full-width forms folded).
fn column_of(header: &str) -> Option<Column> {
    let h = fold(header).to_lowercase();
    let h: String = h.split_whitespace().collect::<Vec<_>>().join(" ");
    let has = |w: &str| h.contains(w);
    Some(if has("依赖") || has("dependenc") {
        Column::Dependencies
    } else if has("企业项目") || has("enterprise project") {
        Column::EnterpriseProject
    } else if has("iam项目") || has("iam project") || h == "项目" || h == "project" {
        Column::Project
    } else if has("授权范围") || has("授权作用域") || has("scope") {
        Column::Scopes
    } else if has("功能") || h == "权限" || has("permission") || h == "操作" {
        Column::Name
    } else if has("授权项") || h == "action" || h == "actions" || has("action (") {
        Column::Actions
    } else if has("api") || h == "uri" {
        Column::Route
    } else {
        return None;
    })
}

/// One cell as read: its text and its list items.
#[derive(Debug, Clone, Default)]
struct Cell {
    /// All text, white space folded.
    text: String,
    /// `<p>` texts joined with nothing (a long name wrapped over paragraphs is one name).
    joined: String,
    /// One entry per `<li>`, else per `<p>`, else per `<br>`-separated line, else the text.
    items: Vec<String>,
    /// Per `<li>`, its `<p>` texts (the nested dependency form).
    nested: Vec<Vec<String>>,
    /// Text of a note inside the cell (说明 / Note), if any.
    note: Option<String>,
    /// The text without the note.
    main: String,
}

/// One table as read from a page.
#[derive(Debug, Clone)]
struct RawTable {
    section: Option<String>,
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

fn fold_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of(e: ElementRef) -> String {
    fold_space(&e.text().collect::<String>())
}

/// Whether an element is a note box (`div.note`, `div.admonition`).
fn is_note(e: &ElementRef) -> bool {
    e.value().attr("class").is_some_and(|c| {
        c.split_whitespace()
            .any(|w| w == "note" || w.starts_with("admonition"))
    })
}

/// A note's text without its title (说明： / Note).
fn note_text(e: ElementRef) -> String {
    let mut body: Vec<String> = e.select(&sel(".notebody")).map(text_of).collect();
    if body.is_empty() {
        body = e
            .select(&sel("p:not(.admonition-title)"))
            .map(text_of)
            .collect();
    }
    body.retain(|t| !t.is_empty());
    let text = if body.is_empty() {
        text_of(e)
    } else {
        body.join(" ")
    };
    strip_note_title(&text)
}

/// A note without its title (`说明：`, `Note:`).
fn strip_note_title(text: &str) -> String {
    let t = text.trim();
    for title in ["说明：", "说明:", "说明", "Note:", "NOTE:", "Note"] {
        if let Some(rest) = t.strip_prefix(title) {
            return rest.trim().to_string();
        }
    }
    t.to_string()
}

/// Text of an element without the note boxes inside it.
fn text_without_notes(e: ElementRef) -> String {
    let mut out = String::new();
    for node in e.descendants() {
        if let Node::Text(t) = node.value() {
            let in_note = node
                .ancestors()
                .take_while(|a| a.id() != e.id())
                .filter_map(ElementRef::wrap)
                .any(|a| is_note(&a));
            if !in_note {
                out.push_str(t);
                out.push(' ');
            }
        }
    }
    fold_space(&out)
}

fn html_cell(td: ElementRef) -> Cell {
    let note = td
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(is_note)
        .map(note_text)
        .filter(|n| !n.is_empty());
    let ps: Vec<String> = td
        .select(&sel("p"))
        .filter(|p| {
            !p.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| is_note(&a))
        })
        .map(text_of)
        .collect();
    let lis: Vec<ElementRef> = td.select(&sel("li")).collect();
    let items: Vec<String> = if !lis.is_empty() {
        lis.iter().map(|li| text_of(*li)).collect()
    } else if !ps.is_empty() {
        ps.clone()
    } else {
        vec![text_without_notes(td)]
    };
    let nested = lis
        .iter()
        .map(|li| {
            let inner: Vec<String> = li.select(&sel("p")).map(text_of).collect();
            if inner.is_empty() {
                vec![text_of(*li)]
            } else {
                inner
            }
        })
        .collect();
    Cell {
        text: text_of(td),
        joined: if ps.is_empty() {
            text_without_notes(td)
        } else {
            ps.concat()
        },
        items: items.into_iter().filter(|i| !i.is_empty()).collect(),
        nested,
        note,
        main: text_without_notes(td),
    }
}

/// The tables of an HTML page (or of HTML inside a Markdown file), each with the heading before
/// it: an `<h1>`…`<h6>`, or a Markdown `#` line left as text.
fn html_tables(doc: &Html) -> Vec<RawTable> {
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    let inside = |n: &ego_tree::NodeRef<Node>, names: &[&str]| {
        n.ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| names.contains(&a.value().name()))
    };
    for node in doc.root_element().descendants() {
        match node.value() {
            Node::Element(e) => {
                let name = e.name();
                if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
                    && !inside(&node, &["table"])
                {
                    let t = text_of(ElementRef::wrap(node).expect("an element"));
                    if !t.is_empty() {
                        section = Some(t);
                    }
                } else if name == "table" && !inside(&node, &["table"]) {
                    let table = ElementRef::wrap(node).expect("an element");
                    out.push(read_html_table(table, section.clone()));
                }
            }
            Node::Text(t) if !inside(&node, &["table", "h1", "h2", "h3", "h4", "h5", "h6"]) => {
                for line in t.lines() {
                    if let Some(h) = markdown_heading(line) {
                        section = Some(h);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn read_html_table(table: ElementRef, section: Option<String>) -> RawTable {
    let rows: Vec<ElementRef> = table
        .select(&sel("tr"))
        .filter(|tr| {
            // Rows of this table, not of a table nested in a cell.
            tr.ancestors()
                .filter_map(ElementRef::wrap)
                .find(|a| a.value().name() == "table")
                .is_some_and(|t| t.id() == table.id())
        })
        .collect();
    fn cells_of<'a>(tr: &ElementRef<'a>) -> Vec<ElementRef<'a>> {
        tr.children()
            .filter_map(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .collect()
    }
    let in_thead = |tr: &ElementRef| {
        tr.ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| a.value().name() == "thead")
    };
    // The header: the <thead>'s last row, else the first row.
    let header_row = rows
        .iter()
        .rfind(|tr| in_thead(tr))
        .or(rows.first())
        .copied();
    let header = header_row
        .map(|tr| cells_of(&tr).into_iter().map(text_of).collect())
        .unwrap_or_default();
    let body = spread_merged_cells(
        rows.iter()
            .filter(|tr| !in_thead(tr) && Some(tr.id()) != header_row.map(|h| h.id()))
            .map(|tr| {
                cells_of(tr)
                    .into_iter()
                    .map(|td| {
                        let span = |name: &str, most: usize| {
                            td.value()
                                .attr(name)
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(1)
                                .clamp(1, most)
                        };
                        // A span past the table's end only reaches the rows that exist; a
                        // column span is bounded so a hostile page cannot make wide rows.
                        (
                            html_cell(td),
                            span("rowspan", usize::MAX),
                            span("colspan", 64),
                        )
                    })
                    .collect()
            })
            .collect(),
    );
    RawTable {
        section,
        header,
        rows: body,
    }
}

/// Rows of (cell, rowspan, colspan) as a plain grid: a merged cell (one permission over two
/// APIs, one action cell for two rows) is repeated in every row and column it covers.
fn spread_merged_cells(rows: Vec<Vec<(Cell, usize, usize)>>) -> Vec<Vec<Cell>> {
    // Per column: the cell still covering it and how many more rows it covers.
    let mut covering: Vec<Option<(Cell, usize)>> = Vec::new();
    let mut grid = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells = row.into_iter();
        let mut out: Vec<Cell> = Vec::new();
        loop {
            let col = out.len();
            if let Some(Some((cell, left))) = covering.get_mut(col) {
                out.push(cell.clone());
                *left -= 1;
                if *left == 0 {
                    covering[col] = None;
                }
                continue;
            }
            let Some((cell, rowspan, colspan)) = cells.next() else {
                break;
            };
            for _ in 0..colspan {
                let col = out.len();
                if rowspan > 1 {
                    if covering.len() <= col {
                        covering.resize(col + 1, None);
                    }
                    covering[col] = Some((cell.clone(), rowspan - 1));
                }
                out.push(cell.clone());
            }
        }
        grid.push(out);
    }
    grid
}

/// `# 镜像共享<a name="…"></a>` → `镜像共享`.
fn markdown_heading(line: &str) -> Option<String> {
    let t = line.trim_start();
    let rest = t.trim_start_matches('#');
    if rest.len() == t.len() || rest.len() + 6 < t.len() || !rest.starts_with([' ', '\t']) {
        return None;
    }
    let title = rest.split('<').next().unwrap_or("").trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// A Markdown cell: `<br>` separates lines; other tags are dropped.
fn markdown_cell(raw: &str) -> Cell {
    let replaced = raw
        .replace("<br/>", "\n")
        .replace("<br />", "\n")
        .replace("<br>", "\n");
    let mut plain = String::new();
    let mut in_tag = false;
    for c in replaced.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let plain = plain.replace("\\|", "|");
    let items: Vec<String> = plain
        .lines()
        .map(fold_space)
        .filter(|l| !l.is_empty())
        .collect();
    let text = fold_space(&plain);
    Cell {
        joined: text.clone(),
        main: text.clone(),
        text,
        items,
        nested: Vec::new(),
        note: None,
    }
}

/// Splits a Markdown table row on unescaped `|`.
fn markdown_row(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push_str("\\|");
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    cells.push(cur);
    cells
}

fn is_separator(line: &str) -> bool {
    let cells = markdown_row(line);
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            c.len() >= 2 && c.chars().all(|ch| matches!(ch, '-' | ':'))
        })
}

/// The pipe tables of a Markdown text, outside any HTML `<table>`, with their headings.
fn markdown_tables(text: &str) -> Vec<RawTable> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut section = None;
    let mut in_html_table = 0usize;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let lower = line.to_ascii_lowercase();
        in_html_table += lower.matches("<table").count();
        in_html_table = in_html_table.saturating_sub(lower.matches("</table").count());
        if in_html_table > 0 {
            i += 1;
            continue;
        }
        if let Some(h) = markdown_heading(line) {
            section = Some(h);
        }
        let starts_table = line.trim_start().starts_with('|')
            && lines.get(i + 1).is_some_and(|next| is_separator(next));
        if !starts_table {
            i += 1;
            continue;
        }
        let header: Vec<String> = markdown_row(line).iter().map(|c| fold_space(c)).collect();
        let mut rows = Vec::new();
        i += 2;
        while i < lines.len() && lines[i].trim_start().starts_with('|') {
            rows.push(
                markdown_row(lines[i])
                    .iter()
                    .map(|c| markdown_cell(c))
                    .collect(),
            );
            i += 1;
        }
        out.push(RawTable {
            section: section.clone(),
            header,
            rows,
        });
    }
    out
}

/// Whether a text has CJK ideographs (the table is Chinese).
fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Words that mean "none" in an actions or dependencies cell.
fn is_none_word(s: &str) -> bool {
    matches!(
        fold(s.trim()).to_lowercase().as_str(),
        "无" | "n/a" | "na" | "none" | "-" | "—" | "–" | "不涉及" | "不需要" | ""
    )
}

/// Services of Huawei Cloud, to find where two actions run together (`…getims:images:update`):
/// besides these, every service a table's cells start with counts.
const KNOWN_SERVICES: &[&str] = &[
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
fn split_actions(item: &str, services: &[String]) -> Result<Vec<(String, Option<String>)>, String> {
    let item = fold_space(item);
    if is_none_word(&item) {
        return Ok(Vec::new());
    }
    // Outside brackets: action text; inside: a condition for the action before it.
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut outside = String::new();
    let mut depth = 0usize;
    let mut condition = String::new();
    let flush =
        |outside: &mut String, out: &mut Vec<(String, Option<String>)>| -> Result<(), String> {
            let text: String = outside.split_whitespace().collect();
            outside.clear();
            if text.is_empty() || is_none_word(&text) {
                return Ok(());
            }
            for action in split_run_together(&text, services)? {
                // Service names come in any case (`CSBS:backup:*`); IAM's are lower case.
                let action = match action.split_once(':') {
                    Some((service, rest)) => format!("{}:{rest}", service.to_ascii_lowercase()),
                    None => action,
                };
                out.push((action, None));
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
                    let Some(last) = out.last_mut() else {
                        return Err(format!(
                            "a condition \"{condition}\" with no action before it"
                        ));
                    };
                    last.1 = Some(condition.trim().to_string());
                } else {
                    condition.push(c);
                }
            }
            _ if depth > 0 => condition.push(c),
            _ => outside.push(c),
        }
    }
    if depth > 0 {
        return Err(format!("an unclosed bracket in \"{item}\""));
    }
    flush(&mut outside, &mut out)?;
    Ok(out)
}

/// `ims:images:getims:images:update` → the two actions. Where two actions touch, the second's
/// service is a known one; the action part before it keeps the rest.
fn split_run_together(text: &str, services: &[String]) -> Result<Vec<String>, String> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() < 3 || parts.len() % 2 == 0 {
        return Err(format!(
            "\"{text}\" is not an action of the form service:resourceType:action"
        ));
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
            .ok_or_else(|| {
                format!("\"{text}\": cannot tell where one action ends and the next begins")
            })?;
        let action = &glued[..glued.len() - next.len()];
        out.push(format!("{service}:{resource}:{action}"));
        service = next.to_string();
        k += 2;
    }
    Ok(out)
}

/// `GET /v2/images 说明…` → (`GET`, `/v2/images`, the rest as a note).
fn split_route(text: &str) -> Option<(String, String, Option<String>)> {
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
fn yes_no(s: &str) -> Option<bool> {
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
fn parse_scopes(text: &str) -> Result<(bool, bool), String> {
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
        _ => Err(format!(
            "\"{}\": both Project and Enterprise Project must be stated as supported (支持) or not (不支持)",
            fold_space(text)
        )),
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
fn action_slug(action: &str) -> String {
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

/// One table's columns: where each is, and its header as written (for messages).
struct Layout {
    columns: Vec<Option<Column>>,
    header: Vec<String>,
}

impl Layout {
    fn find(&self, c: Column) -> Option<usize> {
        self.columns.iter().position(|x| *x == Some(c))
    }
}

/// An input to [`import`]: its name as shown, and its text.
pub struct ImportInput {
    pub name: String,
    pub text: String,
}

/// Reads every table of every input into one catalog of `service` (by default the service the
/// rows' first actions name, which must agree).
pub fn import(
    inputs: &[ImportInput],
    service: Option<&str>,
) -> Result<(ParsedCatalog, ImportReport), ImportError> {
    let mut report = ImportReport {
        files: inputs.len(),
        ..ImportReport::default()
    };
    let mut operations: Vec<Operation> = Vec::new();
    // Where each operation was read: (file, table, row), to name both rows of a duplicate.
    let mut origins: Vec<(String, usize, usize)> = Vec::new();
    let mut title: Option<String> = None;
    let mut first_services: Vec<String> = Vec::new();
    for input in inputs {
        let err = |message: String| ImportError {
            file: input.name.clone(),
            table: None,
            row: None,
            cell: None,
            message,
        };
        let mut tables = Vec::new();
        if input.text.to_ascii_lowercase().contains("<table") {
            if nesting_exceeds(&input.text, MAX_NESTING) {
                return Err(err(format!(
                    "elements nest more than {MAX_NESTING} deep: not a permission table page"
                )));
            }
            tables.extend(html_tables(&Html::parse_document(&input.text)));
        }
        tables.extend(markdown_tables(&input.text));
        if tables.is_empty() {
            return Err(err(format!("no table found ({FORMS})")));
        }
        let mut read_here = 0;
        for (t, table) in tables.iter().enumerate() {
            let at_table = |row: Option<usize>, cell: Option<&str>, message: String| ImportError {
                file: input.name.clone(),
                table: Some(t + 1),
                row,
                cell: cell.map(str::to_string),
                message,
            };
            let layout = Layout {
                columns: table.header.iter().map(|h| column_of(h)).collect(),
                header: table.header.clone(),
            };
            let has = |c: Column| layout.find(c).is_some();
            if !has(Column::Actions) && !has(Column::Route) {
                report.skipped_tables += 1;
                continue;
            }
            for needed in [Column::Name, Column::Route, Column::Actions] {
                if !has(needed) {
                    return Err(at_table(
                        None,
                        None,
                        format!(
                            "the header ({}) has no {} column; {FORMS}",
                            table.header.join(" | "),
                            match needed {
                                Column::Name => "permission (权限 / API功能 / Permission)",
                                Column::Route => "API (对应API接口 / API)",
                                _ => "action (授权项 / Action)",
                            }
                        ),
                    ));
                }
            }
            if has(Column::Project) != has(Column::EnterpriseProject) {
                return Err(at_table(
                    None,
                    None,
                    format!(
                        "the header ({}) has one of the IAM Project and Enterprise Project columns but not the other",
                        table.header.join(" | ")
                    ),
                ));
            }
            if table.rows.is_empty() {
                return Err(at_table(None, None, "the table has no rows".into()));
            }
            for (h, c) in table.header.iter().zip(&layout.columns) {
                if c.is_none() && !h.trim().is_empty() && !report.ignored_columns.contains(h) {
                    report.ignored_columns.push(h.clone());
                }
            }
            let chinese = table.header.iter().any(|h| is_chinese(h));
            if let Some(section) = &table.section
                && !report.sections.contains(section)
            {
                report.sections.push(section.clone());
            }
            if title.is_none() {
                title = table.section.clone();
            }
            // Services the cells start with, to split run-together actions.
            let mut services: Vec<String> = Vec::new();
            if let Some(c) = layout.find(Column::Actions) {
                for row in &table.rows {
                    for item in row.get(c).map(|c| c.items.as_slice()).unwrap_or(&[]) {
                        if let Some((s, _)) = item.trim().split_once(':')
                            && crate::catalog::is_kebab_id(s)
                            && !services.iter().any(|x| x == s)
                        {
                            services.push(s.to_string());
                        }
                    }
                }
            }
            for (r, row) in table.rows.iter().enumerate() {
                // A control character in a cell that is read: named by its cell, before the
                // row becomes an operation whose checks would name only a field.
                for (ci, cell) in row.iter().enumerate() {
                    if layout.columns.get(ci).is_some_and(Option::is_some)
                        && let Some(c) = crate::text::find_control(&cell.text)
                    {
                        return Err(at_table(
                            Some(r + 1),
                            layout.header.get(ci).map(String::as_str),
                            format!(
                                "control character {} in \"{}\"",
                                c.escape_unicode(),
                                escape_controls(&shorten(&cell.text, 120))
                            ),
                        ));
                    }
                }
                let op = read_row(row, &layout, chinese, table.section.as_deref(), &services)
                    .map_err(|(cell, message)| at_table(Some(r + 1), cell.as_deref(), message))?;
                if let Some(first) = op.actions.first() {
                    let s = first.action.split(':').next().unwrap_or("").to_string();
                    if !first_services.contains(&s) {
                        first_services.push(s);
                    }
                }
                operations.push(op);
                origins.push((input.name.clone(), t + 1, r + 1));
                report.rows += 1;
            }
            report.tables += 1;
            read_here += 1;
        }
        if read_here == 0 {
            return Err(err(format!(
                "no permission table among its {} table{} ({FORMS})",
                tables.len(),
                if tables.len() == 1 { "" } else { "s" }
            )));
        }
    }
    let origin = inputs
        .iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let whole = |message: String| ImportError {
        file: origin.clone(),
        table: None,
        row: None,
        cell: None,
        message,
    };
    let service = match service {
        Some(s) => s.to_string(),
        None => match first_services.as_slice() {
            [one] => one.clone(),
            [] => {
                return Err(whole(
                    "no action names a service: give --service NAME".into(),
                ));
            }
            many => {
                return Err(whole(format!(
                    "actions of several services ({}): give --service NAME",
                    many.join(", ")
                )));
            }
        },
    };
    // The same API with the same actions twice (two editions of one table, one page saved
    // twice): name both rows, not just an index.
    let mut seen: std::collections::HashMap<(String, Vec<String>), usize> =
        std::collections::HashMap::new();
    for (i, op) in operations.iter().enumerate() {
        let key = (slug(&op.method, &op.path), op.action_set());
        if let Some(&first) = seen.get(&key) {
            let (f, t, r) = &origins[first];
            let (file, table, row) = origins[i].clone();
            return Err(ImportError {
                file,
                table: Some(table),
                row: Some(row),
                cell: None,
                message: format!(
                    "{} is also {f}, table {t}, row {r}, with the same actions: the same permission twice (two editions of one table?)",
                    op.route()
                ),
            });
        }
        seen.insert(key, i);
    }
    assign_ids(&mut operations);
    let doc = CatalogDoc {
        service,
        complete: false,
        source: Source {
            title: if report.sections.len() > 1 {
                report.sections.join(", ")
            } else {
                title.unwrap_or_else(|| origin.clone())
            },
            url: None,
            retrieved: None,
        },
        operations,
    };
    let parsed = check_document(&origin, doc).map_err(|e| {
        whole(format!(
            "the tables read, but not as a valid catalog: {}",
            e.to_string()
                .strip_prefix(&format!("{}: ", escape_controls(&origin)))
                .map(str::to_string)
                .unwrap_or_else(|| e.to_string())
        ))
    })?;
    Ok((parsed, report))
}

/// Ids from routes; where several permissions share a route, each id also names its first action.
/// Linear in rows: route keys counted once in a hash map, ids taken from a hash set, and each
/// repeated id's next number remembered rather than searched for from 2 again.
fn assign_ids(operations: &mut [Operation]) {
    use std::collections::{HashMap, HashSet};
    let keys: Vec<(Arc<str>, String)> = operations
        .iter()
        .map(|o| (o.method.clone(), slug(&o.method, &o.path)))
        .collect();
    let mut routes: HashMap<&(Arc<str>, String), usize> = HashMap::with_capacity(keys.len());
    for key in &keys {
        *routes.entry(key).or_default() += 1;
    }
    let mut taken: HashSet<String> = HashSet::with_capacity(keys.len());
    let mut next: HashMap<String, usize> = HashMap::new();
    for (op, key) in operations.iter_mut().zip(&keys) {
        let shared = routes[key] > 1;
        let mut id = key.1.clone();
        if shared && let Some(a) = op.actions.first() {
            id = format!("{id}-{}", action_slug(&a.action));
        }
        if taken.contains(&id) {
            let n = next.entry(id.clone()).or_insert(2);
            let mut numbered = format!("{id}-{n}");
            while taken.contains(&numbered) {
                *n += 1;
                numbered = format!("{id}-{n}");
            }
            *n += 1;
            id = numbered;
        }
        taken.insert(id.clone());
        op.id = id;
    }
}

/// One data row into an operation (its id is given later). An error names the cell's header.
fn read_row(
    row: &[Cell],
    layout: &Layout,
    chinese: bool,
    section: Option<&str>,
    services: &[String],
) -> Result<Operation, (Option<String>, String)> {
    if row.len() != layout.columns.len() {
        return Err((
            None,
            format!(
                "{} cells, expected {} as in the header ({})",
                row.len(),
                layout.columns.len(),
                layout.header.join(" | ")
            ),
        ));
    }
    let at = |c: Column| layout.find(c).expect("checked by the caller");
    let head = |c: Column| Some(layout.header[at(c)].clone());
    let table_lang = if chinese { Lang::Zh } else { Lang::En };
    let local = |text: &str| LocalText::only(table_lang, text);

    let name = row[at(Column::Name)].joined.trim().to_string();
    if name.is_empty() {
        return Err((head(Column::Name), "empty name".into()));
    }

    let route_cell = &row[at(Column::Route)];
    let (method, path, glued_note) = split_route(&route_cell.main).ok_or_else(|| {
        (
            head(Column::Route),
            format!("\"{}\" is not \"METHOD /path\"", route_cell.main),
        )
    })?;
    if let Some(rest) = &glued_note
        && split_route(rest).is_some()
    {
        return Err((
            head(Column::Route),
            format!(
                "\"{}\" holds two API routes; a permission table has one row per API",
                route_cell.main
            ),
        ));
    }
    let note = route_cell
        .note
        .clone()
        .or(glued_note)
        .map(|n| strip_note_title(&n));

    if row[at(Column::Actions)].text.trim().is_empty() {
        return Err((
            head(Column::Actions),
            "the cell is empty: write 无, N/A or - for an API that needs no action".into(),
        ));
    }
    let mut actions: Vec<ActionRequirement> = Vec::new();
    for item in &row[at(Column::Actions)].items {
        let found = split_actions(item, services).map_err(|m| (head(Column::Actions), m))?;
        for (action, condition) in found {
            if !is_action_name(&action) {
                return Err((
                    head(Column::Actions),
                    format!(
                        "\"{action}\" is not an action of the form service:resourceType:action"
                    ),
                ));
            }
            if actions
                .iter()
                .any(|a| a.action.eq_ignore_ascii_case(&action))
            {
                continue;
            }
            actions.push(ActionRequirement {
                action: action.into(),
                condition: condition.map(|c| Arc::new(local(&c))),
            });
        }
    }

    let mut dependencies: Vec<ActionRequirement> = Vec::new();
    if let Some(d) = layout.find(Column::Dependencies) {
        let cell = &row[d];
        let own = |a: &str| {
            actions
                .iter()
                .find(|x| x.action.eq_ignore_ascii_case(a))
                .cloned()
        };
        // Nested: each list item starts with one of the row's actions, then what it depends on
        // (those of a conditional action carry its condition).
        let nested = !cell.nested.is_empty()
            && cell.nested.iter().all(|group| {
                group.len() > 1
                    && split_actions(&group[0], services)
                        .ok()
                        .and_then(|v| v.first().map(|(a, _)| own(a).is_some()))
                        .unwrap_or(false)
            });
        let groups: Vec<(Option<Arc<LocalText>>, Vec<String>)> = if nested {
            cell.nested
                .iter()
                .map(|g| {
                    let first = split_actions(&g[0], services).unwrap_or_default();
                    let condition = first
                        .first()
                        .and_then(|(a, _)| own(a))
                        .and_then(|a| a.condition);
                    (condition, g[1..].to_vec())
                })
                .collect()
        } else {
            vec![(None, cell.items.clone())]
        };
        for (condition, items) in groups {
            for item in items {
                let found =
                    split_actions(&item, services).map_err(|m| (head(Column::Dependencies), m))?;
                for (action, cond) in found {
                    if !is_action_pattern(&action) {
                        return Err((
                            head(Column::Dependencies),
                            format!(
                                "\"{action}\" is not an action of the form service:resourceType:action"
                            ),
                        ));
                    }
                    if own(&action).is_some()
                        || dependencies
                            .iter()
                            .any(|x| x.action.eq_ignore_ascii_case(&action))
                    {
                        continue;
                    }
                    dependencies.push(ActionRequirement {
                        action: action.into(),
                        condition: cond
                            .map(|c| Arc::new(local(&c)))
                            .or_else(|| condition.clone()),
                    });
                }
            }
        }
    }

    let scopes = if let Some(s) = layout.find(Column::Scopes) {
        let (project, enterprise_project) =
            parse_scopes(&row[s].text).map_err(|m| (head(Column::Scopes), m))?;
        Some(Scopes {
            project,
            enterprise_project,
        })
    } else if let (Some(p), Some(e)) = (
        layout.find(Column::Project),
        layout.find(Column::EnterpriseProject),
    ) {
        let read = |i: usize, c: Column| {
            yes_no(&row[i].text).ok_or_else(|| {
                (
                    head(c),
                    format!(
                        "\"{}\": expected √ / x, ✓ / ×, Y / N, 支持 / 不支持",
                        row[i].text
                    ),
                )
            })
        };
        Some(Scopes {
            project: read(p, Column::Project)?,
            enterprise_project: read(e, Column::EnterpriseProject)?,
        })
    } else {
        // No scope column: not documented, never assumed.
        None
    };

    let lower = name.to_lowercase();
    let prerequisites = note
        .iter()
        .map(|n| Prerequisite {
            zh: chinese.then(|| n.clone()),
            en: (!chinese).then(|| n.clone()),
            permission: None,
            condition: None,
        })
        .collect();
    Ok(Operation {
        service: Arc::from(""),
        id: String::new(),
        name: local(&name),
        method: method.into(),
        path,
        section: section.map(|s| {
            Arc::new(LocalText::only(
                if is_chinese(s) { Lang::Zh } else { Lang::En },
                s,
            ))
        }),
        description: LocalText::default(),
        actions,
        dependencies,
        scopes,
        prerequisites,
        deprecated: name.contains("已废弃") || lower.contains("deprecated"),
        openstack_native: fold(&name).contains("OpenStack原生")
            || lower.contains("native openstack"),
    })
}

/// A catalog as the import prints it: pretty JSON in the catalog format.
pub fn to_json(parsed: &ParsedCatalog) -> String {
    let doc = CatalogDoc {
        service: parsed.info.service.clone(),
        complete: parsed.info.complete,
        source: parsed.info.source.clone(),
        operations: parsed.operations.clone(),
    };
    let mut text = serde_json::to_string_pretty(&doc).expect("a catalog always serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> Vec<String> {
        vec!["ims".into()]
    }

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
    fn actions_one_by_one_or_run_together_with_conditions() {
        let s = services();
        assert_eq!(
            split_actions("ims:a:b（仅x需要）", &s).unwrap(),
            [("ims:a:b".into(), Some("仅x需要".into()))]
        );
        assert_eq!(
            split_actions("ims:a:b (only for x)", &s).unwrap(),
            [("ims:a:b".into(), Some("only for x".into()))]
        );
        assert_eq!(
            split_actions("ims:images:getims:images:update", &s).unwrap(),
            [
                ("ims:images:get".into(), None),
                ("ims:images:update".into(), None)
            ]
        );
        assert_eq!(
            split_actions(
                "ims:serverImages:create（仅快速导入系统盘镜像需要）ims:dataImages:create（仅快速导入数据盘镜像需要）",
                &s
            )
            .unwrap(),
            [
                ("ims:serverImages:create".into(), Some("仅快速导入系统盘镜像需要".into())),
                ("ims:dataImages:create".into(), Some("仅快速导入数据盘镜像需要".into()))
            ]
        );
        // Another service's action run on (a known service, not in the table's cells).
        assert_eq!(
            split_actions("ecs:servers:createImageevs:volumes:get", &["ecs".into()]).unwrap(),
            [
                ("ecs:servers:createImage".into(), None),
                ("evs:volumes:get".into(), None)
            ]
        );
        for none in ["无", "N/A", "-", " "] {
            assert!(split_actions(none, &s).unwrap().is_empty(), "{none}");
        }
        assert!(split_actions("list servers", &s).is_err());
        assert!(split_actions("(x) ims:a:b", &s).is_err());
    }

    #[test]
    fn routes_with_notes_glued_on() {
        assert_eq!(
            split_route("POST /v2/cloudimages/action外部文件制作镜像前请确保…"),
            Some((
                "POST".into(),
                "/v2/cloudimages/action".into(),
                Some("外部文件制作镜像前请确保…".into())
            ))
        );
        assert_eq!(split_route("get /"), Some(("GET".into(), "/".into(), None)));
        assert_eq!(split_route("/v2/images"), None);
        assert_eq!(split_route("FETCH /v2"), None);
    }

    #[test]
    fn scope_cells_in_every_wording() {
        assert_eq!(
            parse_scopes("支持： 项目（Project） 企业项目（Enterprise Project） 不支持：无"),
            Ok((true, true))
        );
        assert_eq!(
            parse_scopes("支持：项目（Project） 不支持：企业项目（Enterprise Project）"),
            Ok((true, false))
        );
        assert_eq!(
            parse_scopes("Supported: Project Not supported: Enterprise Project"),
            Ok((true, false))
        );
        assert!(parse_scopes("yes").is_err());
        for (s, v) in [
            ("√", true),
            ("x", false),
            ("×", false),
            ("Y", true),
            ("N", false),
        ] {
            assert_eq!(yes_no(s), Some(v), "{s}");
        }
        assert_eq!(yes_no("maybe"), None);
    }

    #[test]
    fn headers_in_both_languages_and_forms() {
        let cases = [
            ("权限", Column::Name),
            ("API功能", Column::Name),
            ("Permission", Column::Name),
            ("对应API接口", Column::Route),
            ("对应的API接口", Column::Route),
            ("API", Column::Route),
            ("授权项", Column::Actions),
            ("授权项（Action）", Column::Actions),
            ("Action", Column::Actions),
            ("依赖的授权项", Column::Dependencies),
            ("Dependencies", Column::Dependencies),
            ("授权范围", Column::Scopes),
            ("授权作用域", Column::Scopes),
            ("IAM项目（Project）", Column::Project),
            ("IAM项目 (Project)", Column::Project),
            ("IAM Project", Column::Project),
            ("企业项目（Enterprise Project）", Column::EnterpriseProject),
            ("Enterprise Project", Column::EnterpriseProject),
        ];
        for (h, c) in cases {
            assert_eq!(column_of(h), Some(c), "{h}");
        }
        assert_eq!(column_of("Parameter"), None);
    }

    #[test]
    fn markdown_headings() {
        assert_eq!(
            markdown_heading("# 镜像共享<a name=\"ims_03_appendix_08\"></a>"),
            Some("镜像共享".into())
        );
        assert_eq!(
            markdown_heading("## Image Sharing"),
            Some("Image Sharing".into())
        );
        assert_eq!(markdown_heading("#hashtag"), None);
        assert_eq!(markdown_heading("text # not"), None);
    }

    #[test]
    fn deep_nesting_is_counted_without_parsing() {
        let deep = format!("{}{}", "<div>".repeat(600), "</div>".repeat(600));
        assert!(nesting_exceeds(&deep, MAX_NESTING));
        let flat = "<p>x<li>y".repeat(5_000);
        assert!(!nesting_exceeds(&flat, MAX_NESTING));
    }
}
