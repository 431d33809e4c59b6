//! Operations in words: the table, the detail, `lookup`.

use super::words::pick;
use crate::catalog::{Catalog, Operation, Scopes};
use crate::lang::Lang;
use crate::text::{pad, width};

/// An operation's actions in one cell: conditional ones marked `*`, none as `-`, not
/// documented as `?` (as scopes are).
pub fn actions_cell(op: &Operation) -> String {
    if op.actions_not_documented.is_some() {
        return "?".into();
    }
    if op.actions.is_empty() {
        return "-".into();
    }
    op.actions
        .iter()
        .map(|a| {
            if a.is_conditional() {
                format!("{}*", a.action)
            } else {
                a.action.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An operation's path in a table: `(no API route)` when it has none.
pub fn path_cell(op: &Operation, lang: Lang) -> String {
    match &op.route {
        Some(route) => route.path.clone(),
        None => pick(lang, "(no API route)", "（无 API 路由）").into(),
    }
}

/// The operations at `indices` as an aligned table, with a key below it. A `SERVICE` column is
/// added when more than one service is loaded.
pub fn operations_table(catalog: &Catalog, indices: &[usize], lang: Lang) -> String {
    let ops: Vec<&Operation> = indices.iter().map(|&i| &catalog.operations()[i]).collect();
    table_of_operations(&ops, catalog.services().len() > 1, lang)
}

/// [`operations_table`] of `ops`, with a service column when operations of more than one
/// service are loaded (whether or not these are).
pub fn table_of_operations(ops: &[&Operation], with_service: bool, lang: Lang) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head: Vec<String> = match lang {
        Lang::En => ["ID", "METHOD", "PATH", "SCOPE", "ACTIONS", "NAME"],
        Lang::Zh => ["ID", "方法", "路径", "授权范围", "授权项", "权限"],
    }
    .iter()
    .map(|s| s.to_string())
    .collect();
    if with_service {
        head.insert(0, pick(lang, "SERVICE", "服务").into());
    }
    rows.push(head);
    for op in ops {
        let mut row = vec![
            op.id.clone(),
            op.method().to_string(),
            path_cell(op, lang),
            Scopes::symbol(op.scopes).to_string(),
            actions_cell(op),
            op.name.get(lang).to_string(),
        ];
        if with_service {
            row.insert(0, op.service.to_string());
        }
        rows.push(row);
    }
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == columns {
                line.push_str(cell);
            } else {
                line.push_str(&pad(cell, widths[c]));
                line.push_str("  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let conditional = ops
        .iter()
        .any(|op| op.actions.iter().any(|a| a.is_conditional()));
    if conditional {
        out.push_str(pick(
            lang,
            "* conditional: needed only in some cases (`ims-perms lookup` shows when)\n",
            "* 条件授权项：仅在部分情况下需要（`ims-perms lookup` 可查看条件）\n",
        ));
    }
    out.push_str(pick(
        lang,
        "SCOPE: P = Project, EP = Enterprise Project",
        "授权范围：P = 项目（Project），EP = 企业项目（Enterprise Project）",
    ));
    if ops.iter().any(|op| op.scopes.is_none()) {
        out.push_str(pick(
            lang,
            ", ? = not documented by the table",
            "，? = 权限表未说明",
        ));
    }
    out.push('\n');
    out
}

/// What a line of an operation's detail is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailField {
    Name,
    /// The name in the other language.
    OtherName,
    /// The table of the permission reference it is in.
    Section,
    /// What the table says in place of a route, for an operation without one.
    Route,
    Does,
    Actions,
    Scopes,
    Needs,
    /// Dependent actions (依赖的授权项).
    DependsOn,
    Notes,
}

/// One line of an operation's detail: its field, whether it starts the field (and so carries
/// its label), and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailLine {
    pub field: DetailField,
    pub first: bool,
    pub text: String,
}

/// The label of a detail field (`Actions:`).
pub fn detail_label(field: DetailField, lang: Lang) -> &'static str {
    match field {
        DetailField::Name => pick(lang, "Name:", "权限："),
        DetailField::OtherName => "",
        DetailField::Section => pick(lang, "Section:", "分类："),
        DetailField::Route => pick(lang, "Route:", "路由："),
        DetailField::Does => pick(lang, "Does:", "用途："),
        DetailField::Actions => pick(lang, "Actions:", "授权项："),
        DetailField::Scopes => pick(lang, "Scopes:", "授权范围："),
        DetailField::Needs => pick(lang, "Needs:", "前提："),
        DetailField::DependsOn => pick(lang, "Depends:", "依赖："),
        DetailField::Notes => pick(lang, "Notes:", "备注："),
    }
}

/// Everything known about one operation, as `lookup` prints it and the explorer's detail pane
/// shows it: one list, written once.
pub fn operation_detail_lines(op: &Operation, lang: Lang) -> Vec<DetailLine> {
    let mut out = Vec::new();
    let mut field = |field: DetailField, texts: Vec<String>| {
        for (n, text) in texts.into_iter().enumerate() {
            out.push(DetailLine {
                field,
                first: n == 0,
                text,
            });
        }
    };
    field(DetailField::Name, vec![op.name.get(lang).to_string()]);
    if let Some(other) = op.name.exactly(lang.other()) {
        field(DetailField::OtherName, vec![other.to_string()]);
    }
    if let Some(section) = &op.section {
        let other = section
            .exactly(lang.other())
            .filter(|o| *o != section.get(lang))
            .map(|o| format!(" / {o}"))
            .unwrap_or_default();
        field(
            DetailField::Section,
            vec![format!("{}{other}", section.get(lang))],
        );
    }
    if op.route.is_none() {
        let line = match (&op.route_note, lang) {
            (None, _) => pick(lang, "none in the table", "权限表未给出").to_string(),
            (Some(note), Lang::En) => format!("none; the table says \"{}\"", note.get(lang)),
            (Some(note), Lang::Zh) => format!("无；权限表写的是“{}”", note.get(lang)),
        };
        field(DetailField::Route, vec![line]);
    }
    let description = op.description.get(lang);
    if !description.is_empty() {
        field(DetailField::Does, vec![description.to_string()]);
    }
    let actions: Vec<String> = if let Some(cell) = &op.actions_not_documented {
        vec![match lang {
            Lang::En => format!(
                "not documented: no action can be read from the table's cell \"{}\"",
                cell.get(lang)
            ),
            Lang::Zh => format!("未说明：无法从权限表单元格“{}”读出授权项", cell.get(lang)),
        }]
    } else if op.actions.is_empty() {
        vec![pick(lang, "none: no permission needed", "无：不需要授权").into()]
    } else {
        op.actions
            .iter()
            .map(|a| match &a.condition {
                Some(c) => format!("{}* ({})", a.action, c.get(lang)),
                None => a.action.to_string(),
            })
            .collect()
    };
    field(DetailField::Actions, actions);
    let yes_no = |b: bool| match (b, lang) {
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
        (true, Lang::Zh) => "支持",
        (false, Lang::Zh) => "不支持",
    };
    field(
        DetailField::Scopes,
        vec![match (op.scopes, lang) {
            (Some(s), Lang::En) => format!(
                "Project: {}, Enterprise Project: {}",
                yes_no(s.project),
                yes_no(s.enterprise_project)
            ),
            (Some(s), Lang::Zh) => format!(
                "项目：{}，企业项目：{}",
                yes_no(s.project),
                yes_no(s.enterprise_project)
            ),
            (None, _) => pick(
                lang,
                "not documented (the permission table has no scope column)",
                "未说明（权限表没有授权范围列）",
            )
            .into(),
        }],
    );
    field(
        DetailField::Needs,
        op.prerequisites
            .iter()
            .map(|p| p.note().get(lang).to_string())
            .collect(),
    );
    field(
        DetailField::DependsOn,
        op.dependencies
            .iter()
            .map(|d| match &d.condition {
                Some(c) => format!("{} ({})", d.action, c.get(lang)),
                None => d.action.to_string(),
            })
            .collect(),
    );
    let mut flags = Vec::new();
    if op.openstack_native {
        flags.push(pick(lang, "native OpenStack API", "OpenStack 原生接口"));
    }
    if op.deprecated {
        flags.push(pick(lang, "deprecated", "已废弃"));
    }
    if !flags.is_empty() {
        field(DetailField::Notes, vec![flags.join(pick(lang, ", ", "、"))]);
    }
    out
}

/// The detail as `lookup` prints it: the route, then labelled lines aligned by display width.
pub fn operation_detail(op: &Operation, lang: Lang) -> String {
    let mut out = match lang {
        Lang::En => format!(
            "{}  ({}: {})\n",
            super::words::route_or_none(op, lang),
            op.service,
            op.id
        ),
        Lang::Zh => format!(
            "{}  （{}：{}）\n",
            super::words::route_or_none(op, lang),
            op.service,
            op.id
        ),
    };
    for line in operation_detail_lines(op, lang) {
        let label = if line.first {
            detail_label(line.field, lang)
        } else {
            ""
        };
        out.push_str(&format!("  {}{}\n", pad(label, 10), line.text));
    }
    out
}

/// `lookup` when the call's route is several permissions.
pub fn shared_route(count: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "This route is {count} permissions; the request body says which (compose takes the id):"
        ),
        Lang::Zh => {
            format!("此路由对应 {count} 项权限，由请求体决定是哪一项（compose 请用其 ID）：")
        }
    }
}

/// `lookup`'s list of the other operations a call matches.
pub fn also_matches(lang: Lang) -> &'static str {
    pick(
        lang,
        "Also matches (less specific, or another service):",
        "也匹配（不够具体，或其他服务）：",
    )
}
