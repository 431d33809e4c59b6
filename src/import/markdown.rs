//! Permission tables in Markdown: pipe tables under their headings.

use super::tables::*;

/// `# 镜像共享<a name="…"></a>` → `镜像共享`.
pub(super) fn markdown_heading(line: &str) -> Option<String> {
    let t = line.trim_start();
    let rest = t.trim_start_matches('#');
    if rest.len() == t.len() || rest.len() + 6 < t.len() || !rest.starts_with([' ', '\t']) {
        return None;
    }
    let title = rest.split('<').next().unwrap_or("").trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// A Markdown cell: `<br>` separates lines; other tags are dropped.
pub(super) fn markdown_cell(raw: &str) -> Cell {
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
pub(super) fn markdown_row(line: &str) -> Vec<String> {
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

pub(super) fn is_separator(line: &str) -> bool {
    let cells = markdown_row(line);
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            c.len() >= 2 && c.chars().all(|ch| matches!(ch, '-' | ':'))
        })
}

/// The pipe tables of a Markdown text, outside any HTML `<table>`, with their headings.
pub(super) fn markdown_tables(text: &str) -> Vec<RawTable> {
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
