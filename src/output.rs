//! Plain-text renderings for the command line: the operations table and an operation's detail.
//! Pure functions returning strings, so they are tested without running the binary.

use crate::catalog::{Catalog, Operation};
use crate::lang::Lang;
use crate::text::{pad, width};

/// The label of the operations table columns.
fn headers(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::En => ["ID", "METHOD", "PATH", "SCOPE", "ACTIONS", "NAME"],
        Lang::Zh => ["ID", "方法", "路径", "授权范围", "授权项", "权限"],
    }
}

/// An operation's actions in one cell: conditional ones marked `*`, none as `-`.
pub fn actions_cell(op: &Operation) -> String {
    if op.actions.is_empty() {
        return "-".into();
    }
    op.actions
        .iter()
        .map(|a| {
            if a.is_conditional() {
                format!("{}*", a.action)
            } else {
                a.action.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The operations at `indices` as an aligned table, with a key below it. A `SERVICE` column is
/// added when more than one service is loaded.
pub fn operations_table(catalog: &Catalog, indices: &[usize], lang: Lang) -> String {
    let ops = catalog.operations();
    let with_service = catalog.services().len() > 1;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head: Vec<String> = headers(lang).iter().map(|s| s.to_string()).collect();
    if with_service {
        head.insert(
            0,
            if lang == Lang::Zh {
                "服务"
            } else {
                "SERVICE"
            }
            .into(),
        );
    }
    rows.push(head);
    for &i in indices {
        let op = &ops[i];
        let mut row = vec![
            op.id.clone(),
            op.method.clone(),
            op.path.clone(),
            op.scopes.symbol().to_string(),
            actions_cell(op),
            op.name.get(lang).to_string(),
        ];
        if with_service {
            row.insert(0, op.service.clone());
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
    let conditional = indices
        .iter()
        .any(|&i| ops[i].actions.iter().any(|a| a.is_conditional()));
    if conditional {
        out.push_str(match lang {
            Lang::En => {
                "* conditional: needed only in some cases (`ims-perms lookup` shows when)\n"
            }
            Lang::Zh => "* 条件授权项：仅在部分情况下需要（`ims-perms lookup` 可查看条件）\n",
        });
    }
    out.push_str(match lang {
        Lang::En => "SCOPE: P = Project, EP = Enterprise Project\n",
        Lang::Zh => "授权范围：P = 项目（Project），EP = 企业项目（Enterprise Project）\n",
    });
    out
}

/// Everything known about one operation, as `lookup` prints it.
pub fn operation_detail(op: &Operation, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    // Labels padded by display width, so the values line up in both languages.
    let label = |en: &str, zh_label: &str| pad(if zh { zh_label } else { en }, 10);
    let blank = pad("", 10);
    let mut out = String::new();
    let mut line = |head: &str, value: &str| out.push_str(&format!("  {head}{value}\n"));
    line(&label("Name:", "权限："), op.name.get(lang));
    if let Some(other) = op.name.exactly(lang.other()) {
        line(&blank, other);
    }
    let description = op.description.get(lang);
    if !description.is_empty() {
        line(&label("Does:", "用途："), description);
    }
    if op.actions.is_empty() {
        line(
            &label("Actions:", "授权项："),
            if zh {
                "无：不需要授权"
            } else {
                "none: no permission needed"
            },
        );
    }
    for (n, a) in op.actions.iter().enumerate() {
        let head = if n == 0 {
            label("Actions:", "授权项：")
        } else {
            blank.clone()
        };
        match &a.condition {
            Some(c) => line(&head, &format!("{} ({})", a.action, c.get(lang))),
            None => line(&head, &a.action),
        }
    }
    let mut scopes = Vec::new();
    if op.scopes.project {
        scopes.push(if zh { "项目（Project）" } else { "Project" });
    }
    if op.scopes.enterprise_project {
        scopes.push(if zh {
            "企业项目（Enterprise Project）"
        } else {
            "Enterprise Project"
        });
    }
    let scopes = if scopes.is_empty() {
        "-".to_string()
    } else {
        scopes.join(if zh { "、" } else { ", " })
    };
    line(&label("Scopes:", "授权范围："), &scopes);
    for (n, p) in op.prerequisites.iter().enumerate() {
        let head = if n == 0 {
            label("Needs:", "前提：")
        } else {
            blank.clone()
        };
        line(&head, p.note().get(lang));
    }
    let mut flags = Vec::new();
    if op.openstack_native {
        flags.push(if zh {
            "OpenStack 原生接口"
        } else {
            "native OpenStack API"
        });
    }
    if op.deprecated {
        flags.push(if zh { "已废弃" } else { "deprecated" });
    }
    if !flags.is_empty() {
        line(
            &label("Notes:", "备注："),
            &flags.join(if zh { "、" } else { ", " }),
        );
    }
    format!("{}  ({}: {})\n{out}", op.route(), op.service, op.id)
}

/// Writes `text` to `path` through a temporary file beside it and a rename, so a failure never
/// leaves half a file behind.
pub fn write_atomic(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&temp, text).and_then(|_| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_cjk_by_display_width() {
        let c = Catalog::builtin().unwrap();
        let t = operations_table(&c, &[0, 1], Lang::Zh);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("ID "));
        // The NAME column starts at the same display column on every row.
        let col = |l: &str, needle: &str| width(&l[..l.find(needle).unwrap()]);
        assert_eq!(col(lines[1], "查询镜像列表"), col(lines[2], "更新镜像信息"));
        assert!(lines[2].contains("ims:images:update, ims:serverImages:create*"));
        assert!(t.contains("* 条件授权项"));
    }

    #[test]
    fn detail_lists_conditions_and_prerequisites() {
        let c = Catalog::builtin().unwrap();
        let d = operation_detail(&c.operations()[3], Lang::En);
        assert!(
            d.starts_with("POST /v2/cloudimages/quickimport/action  (ims: quick-import-image)\n")
        );
        assert!(d.contains("ims:serverImages:create (only for importing a system disk image)"));
        assert!(d.contains("Tenant Administrator permission of OBS"));
        let d = operation_detail(&c.operations()[14], Lang::Zh);
        assert!(d.contains("无：不需要授权"), "{d}");
    }
}
