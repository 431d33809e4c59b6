//! Permission tables in HTML pages: cells with their paragraphs, lists and notes, merged cells
//! spread, each table's section from the heading above it.

use scraper::{ElementRef, Html, Node, Selector};

use super::markdown::markdown_heading;
use super::tables::*;

/// Deepest element nesting an imported page may have. Real permission pages nest about ten deep;
/// an HTML parser slows down quadratically on pathological nesting (40,000 `<div>`s).
pub const MAX_NESTING: usize = 512;

/// Elements whose end tag may be left out, or that have none: they do not count as nesting, so
/// a page of unclosed `<p>`s is not mistaken for a deep one.
pub(super) const NOT_NESTING: &[&str] = &[
    "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "rt", "rp", "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
    "meta", "source", "track", "wbr", "html", "head", "body",
];

/// Whether the page's elements nest deeper than `limit`, counted from its tags without parsing
/// it, stopping as soon as the limit is passed.
pub(super) fn nesting_exceeds(html: &str, limit: usize) -> bool {
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

pub(super) fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

pub(super) fn text_of(e: ElementRef) -> String {
    fold_space(&e.text().collect::<String>())
}

/// Whether an element is a note box (`div.note`, `div.admonition`).
pub(super) fn is_note(e: &ElementRef) -> bool {
    e.value().attr("class").is_some_and(|c| {
        c.split_whitespace()
            .any(|w| w == "note" || w.starts_with("admonition"))
    })
}

/// A note's text without its title (说明： / Note).
pub(super) fn note_text(e: ElementRef) -> String {
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
pub(super) fn strip_note_title(text: &str) -> String {
    let t = text.trim();
    for title in ["说明：", "说明:", "说明", "Note:", "NOTE:", "Note"] {
        if let Some(rest) = t.strip_prefix(title) {
            return rest.trim().to_string();
        }
    }
    t.to_string()
}

/// Text of an element without the note boxes inside it.
pub(super) fn text_without_notes(e: ElementRef) -> String {
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

pub(super) fn html_cell(td: ElementRef) -> Cell {
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
pub(super) fn html_tables(doc: &Html) -> Vec<RawTable> {
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

pub(super) fn read_html_table(table: ElementRef, section: Option<String>) -> RawTable {
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
pub(super) fn spread_merged_cells(rows: Vec<Vec<(Cell, usize, usize)>>) -> Vec<Vec<Cell>> {
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
