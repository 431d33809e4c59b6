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
mod paths;
mod rows;
mod tables;

pub use cells::slug;
pub use html::MAX_NESTING;
pub use paths::Repair;

use cells::*;
use html::*;
use markdown::*;
use rows::*;
use tables::*;

use scraper::Html;

use crate::catalog::{
    Catalog, CatalogDoc, CatalogError, Operation, ParsedCatalog, Source, check_document,
};

/// Why an import failed: where (file, table, row, cell, as a reader counts them) and why, as
/// facts; `present` words them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    /// 1-based table in the file.
    pub table: Option<usize>,
    /// 1-based data row in the table.
    pub row: Option<usize>,
    /// The header of the cell's column.
    pub cell: Option<String>,
    pub reason: Box<ImportReason>,
}

/// A column every permission table has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeededColumn {
    Name,
    Route,
    Actions,
}

/// Why a file, table, row or cell cannot be read. Texts quoted from the page are kept whole;
/// wording shortens and escapes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportReason {
    /// Elements nest deeper than the limit: not a table page (and a parser's stack at risk).
    TooDeep {
        limit: usize,
    },
    NoTable,
    /// Tables, but none a permission table.
    NoPermissionTable {
        tables: usize,
    },
    NoService,
    SeveralServices {
        services: Vec<String>,
    },
    /// The operations read fail the catalog's own checks.
    NotACatalog(Box<CatalogError>),
    /// The same route with the same actions as an earlier row.
    SamePermissionTwice {
        route: String,
        file: String,
        table: usize,
        row: usize,
    },
    MissingColumn {
        header: Vec<String>,
        column: NeededColumn,
    },
    /// One of the IAM Project / Enterprise Project columns without the other.
    OneScopeColumn {
        header: Vec<String>,
    },
    NoRows,
    ControlCharacter {
        character: char,
        text: String,
    },
    CellCount {
        found: usize,
        expected: usize,
        header: Vec<String>,
    },
    EmptyName,
    NotARoute {
        text: String,
    },
    EmptyActions,
    NotAnAction {
        text: String,
    },
    UnclosedBracket {
        text: String,
    },
    ConditionWithoutAction {
        condition: String,
    },
    /// Actions run together where no known service tells them apart.
    RunTogether {
        text: String,
    },
    NotYesNo {
        text: String,
    },
    ScopesNotStated {
        text: String,
    },
    /// An action cell of wildcards only: not which action the API checks.
    OnlyWildcards,
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.reason.as_ref() {
            ImportReason::NotACatalog(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

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
    /// What was repaired to read the tables, each with where.
    pub warnings: Vec<ImportWarning>,
}

/// Something the importer repaired or did not read, and where (file, table, row, cell, as
/// errors say; a table's warning has no row, the whole import's no table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    pub file: String,
    pub table: Option<usize>,
    pub row: Option<usize>,
    pub cell: Option<String>,
    pub what: Warning,
}

/// What an import warning says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A cell repaired or kept as it could be read (a path, a wildcard, no route, no action).
    Repaired(Repair),
    /// A permission table's column the importer does not read (`备注`): its cells are named
    /// one by one ([`Warning::CellNotRead`]).
    ColumnNotRead,
    /// A cell of such a column, with its text: not in the catalog.
    CellNotRead { text: String },
    /// No action names a service: the service of the loaded catalog that has every route read.
    ServiceFromRoutes { service: String, routes: usize },
    /// The same permission (name, route and actions) as an earlier row: kept once.
    Repeated {
        route: String,
        file: String,
        table: usize,
        row: usize,
    },
}

/// An input to [`import`]: its name as shown, and its text.
pub struct ImportInput {
    pub name: String,
    pub text: String,
}

/// Reads every table of every input into one catalog of `service` (by default the service the
/// rows' first actions name, which must agree; when no action names one, as on a page of APIs
/// that need none, the service of the `known` catalog that has every route read).
pub fn import(
    inputs: &[ImportInput],
    service: Option<&str>,
    known: Option<&Catalog>,
) -> Result<(ParsedCatalog, ImportReport), ImportError> {
    let mut reading = Reading {
        report: ImportReport {
            files: inputs.len(),
            ..ImportReport::default()
        },
        given_service: service.map(str::to_string),
        ..Reading::default()
    };
    for input in inputs {
        reading.read_input(input)?;
    }
    reading.into_catalog(inputs, service, known)
}

/// What the tables read so far make.
#[derive(Default)]
struct Reading {
    report: ImportReport,
    operations: Vec<Operation>,
    /// Where each operation was read: (file, table, row), to name both rows of a duplicate.
    origins: Vec<(String, usize, usize)>,
    title: Option<String>,
    /// The services the rows' first actions name, in order.
    first_services: Vec<String>,
    /// `--service`: completes an action written without its service when a table names
    /// several services or none.
    given_service: Option<String>,
}

/// An error in `file`, at a table (1-based) and perhaps a row and a cell.
fn at(
    file: &str,
    table: Option<usize>,
    row: Option<usize>,
    cell: Option<&str>,
    reason: ImportReason,
) -> ImportError {
    ImportError {
        file: file.to_string(),
        table,
        row,
        cell: cell.map(str::to_string),
        reason: Box::new(reason),
    }
}

impl Reading {
    /// Every table of one input: HTML tables (when it has any), then Markdown ones.
    fn read_input(&mut self, input: &ImportInput) -> Result<(), ImportError> {
        let err = |reason: ImportReason| at(&input.name, None, None, None, reason);
        let mut tables = Vec::new();
        if input.text.to_ascii_lowercase().contains("<table") {
            if nesting_exceeds(&input.text, MAX_NESTING) {
                return Err(err(ImportReason::TooDeep { limit: MAX_NESTING }));
            }
            tables.extend(html_tables(&Html::parse_document(&input.text)));
        }
        tables.extend(markdown_tables(&input.text));
        if tables.is_empty() {
            return Err(err(ImportReason::NoTable));
        }
        let mut read_here = 0;
        for (t, table) in tables.iter().enumerate() {
            if self.read_table(&input.name, t + 1, table)? {
                read_here += 1;
            }
        }
        if read_here == 0 {
            return Err(err(ImportReason::NoPermissionTable {
                tables: tables.len(),
            }));
        }
        Ok(())
    }

    /// One table (`t`, 1-based, of `file`): false when it is not a permission table.
    fn read_table(&mut self, file: &str, t: usize, table: &RawTable) -> Result<bool, ImportError> {
        let at_table = |row: Option<usize>, cell: Option<&str>, reason: ImportReason| {
            at(file, Some(t), row, cell, reason)
        };
        let layout = Layout {
            columns: table.header.iter().map(|h| column_of(h)).collect(),
            header: table.header.clone(),
        };
        if layout.find(Column::Actions).is_none() && layout.find(Column::Route).is_none() {
            self.report.skipped_tables += 1;
            return Ok(false);
        }
        check_layout(table, &layout).map_err(|m| at_table(None, None, m))?;
        let unread: Vec<usize> = (0..layout.columns.len())
            .filter(|&i| layout.columns[i].is_none())
            .collect();
        for &i in &unread {
            let h = &table.header[i];
            if !h.trim().is_empty() && !self.report.ignored_columns.contains(h) {
                self.report.ignored_columns.push(h.clone());
            }
            self.report.warnings.push(ImportWarning {
                file: file.to_string(),
                table: Some(t),
                row: None,
                cell: Some(h.clone()),
                what: Warning::ColumnNotRead,
            });
        }
        let chinese = table.header.iter().any(|h| is_chinese(h));
        if self.title.is_none() {
            self.title = table.section.clone();
        }
        let services = services_in(table, &layout);
        // The service an action written without one belongs to: the table's one service, or
        // the one given.
        let complete_with = match services.as_slice() {
            [one] => Some(ServiceFrom::Table(one.as_str())),
            _ => self.given_service.as_deref().map(ServiceFrom::Given),
        };
        for (r, row) in table.rows.iter().enumerate() {
            refuse_controls(row, &layout).map_err(|(cell, m)| at_table(Some(r + 1), cell, m))?;
            // Nothing read is lost unsaid: each unread cell with something in it is named.
            for &i in &unread {
                let text = row.get(i).map(|c| c.text.trim()).unwrap_or("");
                if !is_none_word(text) {
                    self.report.warnings.push(ImportWarning {
                        file: file.to_string(),
                        table: Some(t),
                        row: Some(r + 1),
                        cell: Some(table.header[i].clone()),
                        what: Warning::CellNotRead {
                            text: text.to_string(),
                        },
                    });
                }
            }
            let (ops, repairs) = read_row(
                row,
                &layout,
                chinese,
                table.section.as_deref(),
                &services,
                complete_with,
            )
            .map_err(|(cell, message)| at_table(Some(r + 1), cell.as_deref(), message))?;
            let head = |c: Column| layout.find(c).map(|i| layout.header[i].clone());
            self.report
                .warnings
                .extend(repairs.into_iter().map(|repair| ImportWarning {
                    file: file.to_string(),
                    table: Some(t),
                    row: Some(r + 1),
                    cell: match repair {
                        Repair::WildcardAction { .. }
                        | Repair::ActionsNotDocumented { .. }
                        | Repair::ServiceAdded { .. } => head(Column::Actions),
                        _ => head(Column::Route),
                    },
                    what: Warning::Repaired(repair),
                }));
            for op in ops {
                // The rows' sections: the heading's, or each row's category.
                if let Some(section) = &op.section {
                    let name = section.get(crate::lang::Lang::Zh);
                    if !self.report.sections.iter().any(|s| s == name) {
                        self.report.sections.push(name.to_string());
                    }
                }
                if let Some(first) = op.actions.first() {
                    let s = first.action.split(':').next().unwrap_or("").to_string();
                    if !self.first_services.contains(&s) {
                        self.first_services.push(s);
                    }
                }
                self.operations.push(op);
                self.origins.push((file.to_string(), t, r + 1));
            }
            self.report.rows += 1;
        }
        self.report.tables += 1;
        Ok(true)
    }

    /// The operations read as one checked catalog, with ids.
    fn into_catalog(
        mut self,
        inputs: &[ImportInput],
        service: Option<&str>,
        known: Option<&Catalog>,
    ) -> Result<(ParsedCatalog, ImportReport), ImportError> {
        let origin = inputs
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let whole = |reason: ImportReason| at(&origin, None, None, None, reason);
        let service = match service {
            Some(s) => s.to_string(),
            None => match self.first_services.as_slice() {
                [one] => one.clone(),
                [] => match known.and_then(|k| self.service_of_routes(k)) {
                    Some((service, routes)) => {
                        self.report.warnings.push(ImportWarning {
                            file: origin.clone(),
                            table: None,
                            row: None,
                            cell: None,
                            what: Warning::ServiceFromRoutes {
                                service: service.clone(),
                                routes,
                            },
                        });
                        service
                    }
                    None => return Err(whole(ImportReason::NoService)),
                },
                many => {
                    return Err(whole(ImportReason::SeveralServices {
                        services: many.to_vec(),
                    }));
                }
            },
        };
        self.drop_repeats();
        assign_ids(&mut self.operations);
        let doc = CatalogDoc {
            service,
            complete: false,
            source: Source {
                title: if self.report.sections.len() > 1 {
                    self.report.sections.join(", ")
                } else {
                    self.title.unwrap_or_else(|| origin.clone())
                },
                url: None,
                retrieved: None,
            },
            operations: self.operations,
        };
        let parsed = check_document(&origin, doc)
            .map_err(|e| whole(ImportReason::NotACatalog(Box::new(e))))?;
        Ok((parsed, self.report))
    }

    /// The one service whose loaded operations have every route read (and how many routes):
    /// proof from the catalogs, not a guess from a name. None when a route is not among them,
    /// when they are several services' or when no row has a route.
    fn service_of_routes(&self, known: &Catalog) -> Option<(String, usize)> {
        let mut services: std::collections::HashMap<String, Vec<&str>> =
            std::collections::HashMap::new();
        for op in known.operations() {
            if let Some(route) = &op.route {
                services
                    .entry(route.normalised())
                    .or_default()
                    .push(&op.service);
            }
        }
        let mut found: Option<&str> = None;
        let mut routes = 0;
        for op in &self.operations {
            let Some(route) = &op.route else { continue };
            let of = services.get(&route.normalised())?;
            for s in of {
                if *found.get_or_insert(s) != *s {
                    return None;
                }
            }
            routes += 1;
        }
        found.map(|s| (s.to_string(), routes))
    }

    /// The same API with the same actions twice (two editions of one table, one page saved
    /// twice): named by both rows, not just an index.
    fn drop_repeats(&mut self) {
        // Several permissions may share a route with the same actions (adding and removing a
        // security group): they differ in name and stay. The same name too is a repeat.
        let mut seen: std::collections::HashMap<(String, Vec<String>, String), usize> =
            std::collections::HashMap::new();
        let mut keep = Vec::with_capacity(self.operations.len());
        // A repeat's scopes narrow the first's: two editions that disagree keep the smaller
        // claim (× wins over √), never the wider.
        let mut narrowed: Vec<(usize, Option<crate::catalog::Scopes>)> = Vec::new();
        for (i, op) in self.operations.iter().enumerate() {
            let name = crate::text::fold(op.name.get(crate::lang::Lang::Zh)).to_lowercase();
            // Parameter names do not count (`{tenant_id}` is `{project_id}`), as in the
            // catalog's own check.
            let route = op
                .route
                .as_ref()
                .map(crate::catalog::Route::normalised)
                .unwrap_or_default();
            let key = (route, op.action_set(), name);
            if let Some(&first) = seen.get(&key) {
                narrowed.push((first, op.scopes));
                let (f, t, r) = &self.origins[first];
                let (file, table, row) = &self.origins[i];
                self.report.warnings.push(ImportWarning {
                    file: file.clone(),
                    table: Some(*table),
                    row: Some(*row),
                    cell: None,
                    what: Warning::Repeated {
                        route: match &op.route {
                            Some(r) => r.to_string(),
                            None => op.name.get(crate::lang::Lang::Zh).to_string(),
                        },
                        file: f.clone(),
                        table: *t,
                        row: *r,
                    },
                });
                keep.push(false);
                continue;
            }
            seen.insert(key, i);
            keep.push(true);
        }
        for (first, scopes) in narrowed {
            let kept = &mut self.operations[first].scopes;
            *kept = match (*kept, scopes) {
                (Some(a), Some(b)) => Some(crate::catalog::Scopes {
                    project: a.project && b.project,
                    enterprise_project: a.enterprise_project && b.enterprise_project,
                }),
                (a, b) => a.or(b),
            };
        }
        let mut k = keep.iter();
        self.operations.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        self.origins.retain(|_| *k.next().unwrap_or(&true));
        self.report.rows = self.operations.len();
    }
}

/// A permission table has a name, a route and an action column, both scope columns or
/// neither, and rows.
fn check_layout(table: &RawTable, layout: &Layout) -> Result<(), ImportReason> {
    let has = |c: Column| layout.find(c).is_some();
    for (needed, column) in [
        (Column::Name, NeededColumn::Name),
        (Column::Route, NeededColumn::Route),
        (Column::Actions, NeededColumn::Actions),
    ] {
        if !has(needed) {
            return Err(ImportReason::MissingColumn {
                header: table.header.clone(),
                column,
            });
        }
    }
    if has(Column::Project) != has(Column::EnterpriseProject) {
        return Err(ImportReason::OneScopeColumn {
            header: table.header.clone(),
        });
    }
    if table.rows.is_empty() {
        return Err(ImportReason::NoRows);
    }
    Ok(())
}

/// The services the action cells start with, to split run-together actions.
fn services_in(table: &RawTable, layout: &Layout) -> Vec<String> {
    let mut services: Vec<String> = Vec::new();
    if let Some(c) = layout.find(Column::Actions) {
        for row in &table.rows {
            for item in row.get(c).map(|c| c.items.as_slice()).unwrap_or(&[]) {
                // `service:resource:action`: a two-part `volumes:list` names no service.
                if let Some((s, rest)) = item.trim().split_once(':')
                    && rest.contains(':')
                    && crate::catalog::is_kebab_id(s)
                    && !services.iter().any(|x| x == s)
                {
                    services.push(s.to_string());
                }
            }
        }
    }
    services
}

/// A control character in a cell that is read: named by its cell, before the row becomes an
/// operation whose checks would name only a field.
fn refuse_controls<'a>(
    row: &[Cell],
    layout: &'a Layout,
) -> Result<(), (Option<&'a str>, ImportReason)> {
    for (ci, cell) in row.iter().enumerate() {
        if layout.columns.get(ci).is_some_and(Option::is_some)
            && let Some(c) = crate::text::find_control(&cell.text)
        {
            return Err((
                layout.header.get(ci).map(String::as_str),
                ImportReason::ControlCharacter {
                    character: c,
                    text: cell.text.clone(),
                },
            ));
        }
    }
    Ok(())
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
