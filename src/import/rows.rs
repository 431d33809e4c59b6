//! A table's row into an operation, and ids for the operations read.

use std::sync::Arc;

use crate::catalog::{
    ActionRequirement, Operation, Prerequisite, Route, Scopes, is_action_name, is_action_pattern,
};
use crate::lang::{Lang, LocalText};
use crate::text::fold;

use super::ImportReason;
use super::cells::*;
use super::html::strip_note_title;
use super::tables::*;

/// Where the service of an action written without one comes from.
#[derive(Debug, Clone, Copy)]
pub(super) enum ServiceFrom<'a> {
    /// The one service the table's actions name.
    Table(&'a str),
    /// `--service`.
    Given(&'a str),
}

impl<'a> ServiceFrom<'a> {
    fn service(self) -> &'a str {
        match self {
            ServiceFrom::Table(s) | ServiceFrom::Given(s) => s,
        }
    }
}

/// One table's columns: where each is, and its header as written (for messages).
pub(super) struct Layout {
    pub(super) columns: Vec<Option<Column>>,
    pub(super) header: Vec<String>,
}

impl Layout {
    pub(super) fn find(&self, c: Column) -> Option<usize> {
        self.columns.iter().position(|x| *x == Some(c))
    }
}

/// Ids from routes; where several permissions share a route, each id also names its first action.
/// Linear in rows: route keys counted once in a hash map, ids taken from a hash set, and each
/// repeated id's next number remembered rather than searched for from 2 again.
pub(super) fn assign_ids(operations: &mut [Operation]) {
    use std::collections::{HashMap, HashSet};
    // Without a route, the id comes from the first action (`obs:bucket:ListAllMyBuckets` →
    // `bucket-listallmybuckets`), never counted as a shared route.
    let keys: Vec<(Arc<str>, String)> = operations
        .iter()
        .map(|o| match &o.route {
            Some(r) => (r.method.clone(), slug(&r.method, &r.path)),
            None => (
                Arc::from(""),
                o.actions
                    .first()
                    .map(|a| action_slug(&a.action))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "no-route".to_string()),
            ),
        })
        .collect();
    let mut routes: HashMap<&(Arc<str>, String), usize> = HashMap::with_capacity(keys.len());
    for key in &keys {
        *routes.entry(key).or_default() += 1;
    }
    let mut taken: HashSet<String> = HashSet::with_capacity(keys.len());
    let mut next: HashMap<String, usize> = HashMap::new();
    for (op, key) in operations.iter_mut().zip(&keys) {
        let shared = routes[key] > 1 && op.route.is_some();
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
pub(super) fn read_row(
    row: &[Cell],
    layout: &Layout,
    chinese: bool,
    section: Option<&str>,
    services: &[String],
    complete_with: Option<ServiceFrom>,
) -> Result<(Vec<Operation>, Vec<super::Repair>), CellError> {
    if row.len() != layout.columns.len() {
        return Err((
            None,
            ImportReason::CellCount {
                found: row.len(),
                expected: layout.columns.len(),
                header: layout.header.clone(),
            },
        ));
    }
    let at = |c: Column| layout.find(c).expect("checked by the caller");
    let head = |c: Column| Some(layout.header[at(c)].clone());
    let table_lang = if chinese { Lang::Zh } else { Lang::En };
    let local = |text: &str| LocalText::only(table_lang, text);

    // A category column names the row's section (the heading names the table's).
    let category = layout
        .find(Column::Section)
        .map(|c| row[c].joined.trim())
        .filter(|c| !c.is_empty());
    let section = category.or(section);
    let name = row[at(Column::Name)].joined.trim().to_string();
    if name.is_empty() {
        return Err((head(Column::Name), ImportReason::EmptyName));
    }

    let RouteCell {
        routes,
        note,
        route_note,
        mut repairs,
    } = read_route(&row[at(Column::Route)]);
    let action_cell = &row[at(Column::Actions)];
    // A cell no action can be read from, or of wildcards only (`ecs:cloudServers:*`: which
    // action the API checks is not said): the row is kept, its actions "not documented"
    // (never "needs no action"), the cell's text with it.
    let (actions, wildcards, unreadable) =
        match read_actions(action_cell, services, complete_with, &local, &mut repairs) {
            Ok((actions, wildcards)) if actions.is_empty() && !wildcards.is_empty() => {
                (actions, wildcards, Some(ImportReason::OnlyWildcards))
            }
            Ok((actions, wildcards)) => (actions, wildcards, None),
            Err(reason) => (Vec::new(), Vec::new(), Some(reason)),
        };
    let actions_not_documented = unreadable.map(|reason| {
        repairs.push(super::Repair::ActionsNotDocumented {
            text: action_cell.text.clone(),
            reason: Box::new(reason),
        });
        // The cell as written; an empty one said to be so.
        local(match action_cell.text.trim() {
            "" if chinese => "（空单元格）",
            "" => "(empty cell)",
            text => text,
        })
    });
    let mut dependencies = match layout.find(Column::Dependencies) {
        Some(d) => read_dependencies(
            &row[d],
            &actions,
            services,
            &local,
            head(Column::Dependencies),
        )?,
        None => Vec::new(),
    };
    // Wildcards in the action cell (`vpc:*:get*` beside `dns:zone:create`) are what the
    // action depends on: a catalog's actions are the ones the API checks.
    for w in wildcards {
        if !dependencies
            .iter()
            .any(|d| d.action.eq_ignore_ascii_case(&w.action))
        {
            repairs.push(super::Repair::WildcardAction {
                action: w.action.to_string(),
            });
            dependencies.push(w);
        }
    }
    let scopes = read_scopes(row, layout)?;

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
    let op = Operation {
        service: Arc::from(""),
        id: String::new(),
        name: local(&name),
        route: None,
        route_note: route_note.map(|n| local(&n)),
        section: section.map(|s| {
            Arc::new(LocalText::only(
                if is_chinese(s) { Lang::Zh } else { Lang::En },
                s,
            ))
        }),
        description: LocalText::default(),
        actions,
        actions_not_documented,
        dependencies,
        scopes,
        prerequisites,
        deprecated: name.contains("已废弃") || lower.contains("deprecated"),
        openstack_native: fold(&name).contains("OpenStack原生")
            || lower.contains("native openstack"),
    };
    // One operation per route (none: one without): their ids are told apart when ids are given.
    if routes.is_empty() {
        return Ok((vec![op], repairs));
    }
    let ops = routes
        .into_iter()
        .map(|(method, path)| Operation {
            route: Some(Route {
                method: method.into(),
                path,
            }),
            route_note: None,
            ..op.clone()
        })
        .collect();
    Ok((ops, repairs))
}

/// Why a cell cannot be read: its header, and the reason.
type CellError = (Option<String>, ImportReason);

/// The route cell as read: its routes (none when it names no route), a note glued on (kept as
/// a prerequisite, with a query the path had), what it says instead of a route, the repairs.
struct RouteCell {
    routes: Vec<(String, String)>,
    note: Option<String>,
    route_note: Option<String>,
    repairs: Vec<super::Repair>,
}

/// The route cell: method, path (repaired, see [`super::paths`]), and a note glued on.
/// Several routes in one cell (a v1 and a v2 of one API, joined by 或 / or) are each kept. A
/// cell that names no route (`获取桶列表`, `仅支持Console调用`, `×`) or a wildcard route
/// (`/api/*`) makes an operation without a route, the text kept as its route note.
fn read_route(route_cell: &Cell) -> RouteCell {
    let without_route = |text: &str, repair: super::Repair| {
        let text = text.trim();
        // Whatever the cell says (`×` too) is kept; an empty cell says nothing.
        RouteCell {
            routes: Vec::new(),
            note: route_cell.note.clone().map(|n| strip_note_title(&n)),
            route_note: (!text.is_empty()).then(|| text.to_string()),
            repairs: vec![repair],
        }
    };
    let Some((method, path, mut glued_note)) = split_route(&route_cell.main) else {
        return without_route(
            &route_cell.main,
            super::Repair::NoRoute {
                text: route_cell.main.clone(),
            },
        );
    };
    if path.contains('*') {
        return without_route(
            &route_cell.main,
            super::Repair::WildcardRoute {
                route: format!("{method} {path}"),
            },
        );
    }
    let mut more: Vec<(String, String)> = Vec::new();
    while let Some(rest) = &glued_note {
        let rest = rest
            .trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；')
            })
            .trim_start_matches("或")
            .trim_start();
        let rest = rest.strip_prefix("or ").unwrap_or(rest);
        match split_route(rest) {
            Some((m, p, note)) => {
                more.push((m, p));
                glued_note = note;
            }
            None => break,
        }
    }
    // A query template with spaces (`{? image_id, page}`) runs on into the note: it is the
    // path's, up to its `}`.
    let (path, glued_note) = match (path.find("{?"), glued_note) {
        (Some(i), Some(n)) if !path[i..].contains('}') && n.contains('}') => {
            let (rest, after) = n.split_once('}').unwrap_or((&n, ""));
            let template: String = format!("{} {rest}}}", &path[i..])
                .split_whitespace()
                .collect();
            let after = after.trim();
            (
                format!("{}{template}", &path[..i]),
                (!after.is_empty()).then(|| after.to_string()),
            )
        }
        (_, n) => (path, n),
    };
    let (path, mut repairs, query) = super::paths::repair(&path);
    let mut routes = vec![(method, path)];
    for (m, p) in more {
        let (p, r, _) = super::paths::repair(&p);
        repairs.extend(r);
        routes.push((m, p));
    }
    if routes.len() > 1 {
        repairs.push(super::Repair::SeveralRoutes {
            count: routes.len(),
        });
    }
    let note = route_cell
        .note
        .clone()
        .or(glued_note)
        .map(|n| strip_note_title(&n));
    // The query the vendor wrote stays with the operation, in its note.
    let note = match (note, query) {
        (note, None) => note,
        (None, Some(q)) => Some(format!("query: {q}")),
        (Some(n), Some(q)) => Some(format!("{n} (query: {q})")),
    };
    RouteCell {
        routes,
        note,
        route_note: None,
        repairs,
    }
}

/// The action cell: each action once, with its condition; an action missing its service
/// (`cloudServers:list`) given the table's one service, as a repair. Why no action can be read,
/// when none can.
fn read_actions(
    cell: &Cell,
    services: &[String],
    complete_with: Option<ServiceFrom>,
    local: &dyn Fn(&str) -> LocalText,
    repairs: &mut Vec<super::Repair>,
) -> Result<(Vec<ActionRequirement>, Vec<ActionRequirement>), ImportReason> {
    if cell.text.trim().is_empty() {
        return Err(ImportReason::EmptyActions);
    }
    let mut actions: Vec<ActionRequirement> = Vec::new();
    let mut wildcards: Vec<ActionRequirement> = Vec::new();
    // Each action once (any case), looked up by hash: a cell of 60,000 run-together actions
    // compared each with all before it.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for item in &cell.items {
        let found = split_actions(item, services)?;
        for (action, condition) in found {
            // A condition on its own line: the previous action's.
            if action.is_empty() {
                match (actions.last_mut(), condition) {
                    (Some(last), Some(c)) => last.condition = Some(Arc::new(local(&c))),
                    (_, c) => {
                        return Err(ImportReason::ConditionWithoutAction {
                            condition: c.unwrap_or_default(),
                        });
                    }
                }
                continue;
            }
            let action = match (action.matches(':').count(), complete_with) {
                (1, Some(from)) if is_action_name(&format!("{}:{action}", from.service())) => {
                    let read = format!("{}:{action}", from.service());
                    repairs.push(super::Repair::ServiceAdded {
                        written: action,
                        read: read.clone(),
                        given: matches!(from, ServiceFrom::Given(_)),
                    });
                    read
                }
                _ => action,
            };
            if !is_action_name(&action) {
                if action.contains('*') && is_action_pattern(&action) {
                    wildcards.push(ActionRequirement {
                        action: action.into(),
                        condition: condition.map(|c| Arc::new(local(&c))),
                    });
                    continue;
                }
                return Err(ImportReason::NotAnAction { text: action });
            }
            if !seen.insert(action.to_ascii_lowercase()) {
                continue;
            }
            actions.push(ActionRequirement {
                action: action.into(),
                condition: condition.map(|c| Arc::new(local(&c))),
            });
        }
    }

    Ok((actions, wildcards))
}

/// The dependency cell: flat, or nested under the row's own actions (a conditional action's
/// dependencies carry its condition).
fn read_dependencies(
    cell: &Cell,
    actions: &[ActionRequirement],
    services: &[String],
    local: &dyn Fn(&str) -> LocalText,
    head: Option<String>,
) -> Result<Vec<ActionRequirement>, CellError> {
    let mut dependencies: Vec<ActionRequirement> = Vec::new();
    // The row's own actions and the dependencies so far, by lower-case action (hash lookups:
    // long cells must stay linear).
    let by_key: std::collections::HashMap<String, &ActionRequirement> = actions
        .iter()
        .map(|x| (x.action.to_ascii_lowercase(), x))
        .collect();
    let own = |a: &str| by_key.get(&a.to_ascii_lowercase()).map(|x| (*x).clone());
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
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
            let found = split_actions(&item, services).map_err(|m| (head.clone(), m))?;
            for (action, cond) in found {
                if action.is_empty() {
                    if let (Some(last), Some(c)) = (dependencies.last_mut(), cond) {
                        last.condition = Some(Arc::new(local(&c)));
                    }
                    continue;
                }
                if !is_action_pattern(&action) {
                    return Err((head.clone(), ImportReason::NotAnAction { text: action }));
                }
                if own(&action).is_some() || !seen.insert(action.to_ascii_lowercase()) {
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
    Ok(dependencies)
}

/// The scopes: one cell of 支持/不支持 lists, two yes/no columns, or none (not documented,
/// never assumed).
fn read_scopes(row: &[Cell], layout: &Layout) -> Result<Option<Scopes>, CellError> {
    let at = |c: Column| layout.find(c);
    let head = |c: Column| at(c).map(|i| layout.header[i].clone());
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
                    ImportReason::NotYesNo {
                        text: row[i].text.clone(),
                    },
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

    Ok(scopes)
}
