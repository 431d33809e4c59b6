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

mod cells;
mod html;
mod markdown;
mod rows;
mod tables;

pub use cells::slug;
pub use html::MAX_NESTING;

use cells::*;
use html::*;
use markdown::*;
use rows::*;
use tables::*;

use std::fmt;

use scraper::Html;

use crate::catalog::{CatalogDoc, Operation, ParsedCatalog, Source, check_document};
use crate::text::{escape_controls, shorten};

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
mod tests;
