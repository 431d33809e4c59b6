//! What the command line says besides results: `import`'s summary and the like.

use super::notices::{Notice, notice};
use super::words::plural;
use crate::lang::Lang;

/// What `import` read, for stderr.
pub fn import_report(r: &crate::import::ImportReport, service: &str, lang: Lang) -> String {
    // Thousands of tables name thousands of sections: the line says a few.
    let sections = if r.sections.is_empty() {
        String::new()
    } else {
        format!(" ({})", crate::text::shorten(&r.sections.join(", "), 200))
    };
    let mut out = match lang {
        Lang::En => format!(
            "Imported {} row{} of service `{service}` from {} table{} in {} file{}, {} section{}{sections}",
            r.rows,
            plural(r.rows),
            r.tables,
            plural(r.tables),
            r.files,
            plural(r.files),
            r.sections.len(),
            plural(r.sections.len())
        ),
        Lang::Zh => format!(
            "已导入服务 `{service}` 的 {} 行：{} 个文件中的 {} 张表，{} 个分类{sections}",
            r.rows,
            r.files,
            r.tables,
            r.sections.len()
        ),
    };
    if !r.ignored_columns.is_empty() {
        out.push_str(&match lang {
            Lang::En => format!("; columns not read: {}", r.ignored_columns.join(", ")),
            Lang::Zh => format!("；未读取的列：{}", r.ignored_columns.join("、")),
        });
    }
    for w in &r.warnings {
        out.push('\n');
        out.push_str(&import_warning(w, lang));
    }
    if r.skipped_tables > 0 {
        out.push_str(&match lang {
            Lang::En if r.skipped_tables == 1 => {
                "; skipped 1 table that is not a permission table".to_string()
            }
            Lang::En => format!(
                "; skipped {} tables that are not permission tables",
                r.skipped_tables
            ),
            Lang::Zh => format!("；跳过 {} 张不是权限表的表", r.skipped_tables),
        });
    }
    out
}

/// A repair the importer made, with where: `t.html, table 1, row 3, cell API: warning: …`.
pub fn import_warning(w: &crate::import::ImportWarning, lang: Lang) -> String {
    use crate::import::Repair as R;
    let q = |s: &str| crate::text::escape_controls(&crate::text::shorten(s, 120));
    let file = super::file_name(&w.file, lang);
    let cell = w.cell.as_deref().map(q).unwrap_or_default();
    let repair = match &w.what {
        crate::import::Warning::Path(repair) => repair,
        crate::import::Warning::Repeated {
            route,
            file: f,
            table,
            row,
        } => {
            let (route, f) = (q(route), super::file_name(f, lang));
            let what = match lang {
                Lang::En => format!(
                    "{route} is also {f}, table {table}, row {row}, with the same name and actions: the same permission twice, kept once"
                ),
                Lang::Zh => format!(
                    "{route} 与 {f} 第 {table} 个表第 {row} 行同名且授权项相同：同一权限出现两次，只保留一个"
                ),
            };
            return match lang {
                Lang::En => format!("{file}, table {}, row {}: warning: {what}", w.table, w.row),
                Lang::Zh => format!("{file}，第 {} 个表，第 {} 行：警告：{what}", w.table, w.row),
            };
        }
    };
    let what = match (repair, lang) {
        (R::QueryDropped { query }, Lang::En) => format!(
            "query \"{}\" dropped from the route (kept in the operation's note)",
            q(query)
        ),
        (R::QueryDropped { query }, Lang::Zh) => {
            format!("路由中的查询“{}”已去掉（保留在操作的说明中）", q(query))
        }
        (R::GluedParameter { segment }, Lang::En) => format!(
            "a parameter glued to its segment in \"{}\": split into segments",
            q(segment)
        ),
        (R::GluedParameter { segment }, Lang::Zh) => {
            format!("“{}”中参数与路径段粘连：已拆成两段", q(segment))
        }
        (R::UnbalancedBrace { segment }, Lang::En) => {
            format!("a brace missing in \"{}\": put back", q(segment))
        }
        (R::UnbalancedBrace { segment }, Lang::Zh) => format!("“{}”缺少括号：已补上", q(segment)),
        (R::ColonParameter { segment }, Lang::En) => {
            format!("\"{}\" read as a {{parameter}}", q(segment))
        }
        (R::ColonParameter { segment }, Lang::Zh) => format!("“{}”按 {{参数}} 读取", q(segment)),
        (R::NoLeadingSlash, Lang::En) => "no leading `/`: added".into(),
        (R::NoLeadingSlash, Lang::Zh) => "缺少开头的 `/`：已补上".into(),
        (R::EmptySegment, Lang::En) => "an empty segment (`//` or a trailing `/`): dropped".into(),
        (R::EmptySegment, Lang::Zh) => "空路径段（`//` 或末尾的 `/`）：已去掉".into(),
        (R::TwoParameters { segment }, Lang::En) => format!(
            "two parameters in one segment \"{}\": read as one (a call's segment fills both)",
            q(segment)
        ),
        (R::SeveralRoutes { count }, Lang::En) => {
            format!("{count} API routes in one cell: one operation each")
        }
        (R::SeveralRoutes { count }, Lang::Zh) => {
            format!("一个单元格中有 {count} 个 API 路由：各作为一个操作")
        }
        (R::WildcardAction { action }, Lang::En) => format!(
            "\"{}\" in the action cell is a wildcard: read as a dependency (a catalog's actions are the ones the API checks)",
            q(action)
        ),
        (R::WildcardAction { action }, Lang::Zh) => format!(
            "授权项单元格中的“{}”是通配符：按依赖的授权项读取（目录中的授权项是 API 实际校验的授权项）",
            q(action)
        ),
        (R::TwoParameters { segment }, Lang::Zh) => {
            format!("“{}”一段含两个参数：按一个参数读取", q(segment))
        }
    };
    match lang {
        Lang::En => format!(
            "{file}, table {}, row {}, cell {cell}: warning: {what}",
            w.table, w.row
        ),
        Lang::Zh => format!(
            "{file}，第 {} 个表，第 {} 行，单元格 {cell}：警告：{what}",
            w.table, w.row
        ),
    }
}

/// Lines the command line says besides results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// `through`: the symbolic link written through, when `path` is the file it points to.
    Wrote {
        bytes: usize,
        path: String,
        through: Option<String>,
    },
}

pub fn said(said: &Said, lang: Lang) -> String {
    match said {
        Said::Wrote {
            bytes,
            path,
            through,
        } => notice(
            &Notice::Wrote {
                bytes: *bytes,
                path: path.clone(),
                through: through.clone(),
            },
            lang,
        ),
    }
}
