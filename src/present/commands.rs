//! What the command line says besides results: `import`'s summary and the like.

use super::notices::{Notice, notice};
use super::words::{pick, plural};
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

/// Where an import warning is: `t.html, table 1, row 3, cell API`, as much as is known.
fn warning_place(w: &crate::import::ImportWarning, lang: Lang) -> String {
    let q = |s: &str| crate::text::escape_controls(&crate::text::shorten(s, 120));
    let mut place = super::file_name(&w.file, lang);
    let parts = [
        w.table.map(|t| match lang {
            Lang::En => format!("table {t}"),
            Lang::Zh => format!("第 {t} 个表"),
        }),
        w.row.map(|r| match lang {
            Lang::En => format!("row {r}"),
            Lang::Zh => format!("第 {r} 行"),
        }),
        w.cell.as_deref().map(|c| match lang {
            Lang::En => format!("cell {}", q(c)),
            Lang::Zh => format!("单元格 {}", q(c)),
        }),
    ];
    for part in parts.into_iter().flatten() {
        place.push_str(pick(lang, ", ", "，"));
        place.push_str(&part);
    }
    place
}

/// A repair the importer made, or what it did not read, with where: `t.html, table 1, row 3,
/// cell API: warning: …`.
pub fn import_warning(w: &crate::import::ImportWarning, lang: Lang) -> String {
    use crate::import::{Repair as R, Warning};
    let q = |s: &str| crate::text::escape_controls(&crate::text::shorten(s, 120));
    let place = warning_place(w, lang);
    let say = |what: String| match lang {
        Lang::En => format!("{place}: warning: {what}"),
        Lang::Zh => format!("{place}：警告：{what}"),
    };
    let repair = match &w.what {
        Warning::Repaired(repair) => repair,
        Warning::Repeated {
            route,
            file: f,
            table,
            row,
        } => {
            let (route, f) = (q(route), super::file_name(f, lang));
            return say(match lang {
                Lang::En => format!(
                    "{route} is also {f}, table {table}, row {row}, with the same name and actions: the same permission twice, kept once"
                ),
                Lang::Zh => format!(
                    "{route} 与 {f} 第 {table} 个表第 {row} 行同名且授权项相同：同一权限出现两次，只保留一个"
                ),
            });
        }
        Warning::ColumnNotRead => {
            return say(
                pick(
                    lang,
                    "a column the importer does not read: its cells are not in the catalog (each is named below)",
                    "导入不读取此列：其单元格不进入目录（下面逐个列出）",
                )
                .into(),
            );
        }
        Warning::CellNotRead { text } => {
            return say(match lang {
                Lang::En => format!("not read: \"{}\"", q(text)),
                Lang::Zh => format!("未读取：“{}”", q(text)),
            });
        }
        Warning::ServiceFromRoutes { service, routes } => {
            return say(match lang {
                Lang::En => format!(
                    "no action names a service: taken as `{service}`, whose loaded catalog has all {routes} route{} (give --service to name another)",
                    super::words::plural(*routes)
                ),
                Lang::Zh => format!(
                    "没有授权项指明服务：按 `{service}` 处理，其已加载目录含全部 {routes} 个路由（可用 --service 指定其他服务）"
                ),
            });
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
        (R::NoRoute { text }, Lang::En) => format!(
            "no API route in \"{}\": kept as an operation without a route (found by id and search, not by lookup)",
            q(text)
        ),
        (R::NoRoute { text }, Lang::Zh) => format!(
            "“{}”不是 API 路由：保留为无路由的操作（可按 ID 和搜索找到，lookup 找不到）",
            q(text)
        ),
        (R::WildcardRoute { route }, Lang::En) => format!(
            "\"{}\" is a wildcard, not one API route: kept as the note of an operation without a route",
            q(route)
        ),
        (R::WildcardRoute { route }, Lang::Zh) => format!(
            "“{}”是通配符，不是一个 API 路由：保留为无路由操作的说明",
            q(route)
        ),
        (R::ActionsNotDocumented { text, reason }, Lang::En) => format!(
            "no action can be read from \"{}\" ({}): kept as \"actions not documented\", never composed as needing none",
            q(text),
            super::errors::import_reason(reason, lang)
        ),
        (R::ActionsNotDocumented { text, reason }, Lang::Zh) => format!(
            "无法从“{}”读出授权项（{}）：保留为“授权项未说明”，不会当作无需授权",
            q(text),
            super::errors::import_reason(reason, lang)
        ),
        (
            R::ServiceAdded {
                written,
                read,
                given,
            },
            Lang::En,
        ) => format!(
            "\"{}\" has no service: read as \"{}\", {}",
            q(written),
            q(read),
            if *given {
                "the service --service gave"
            } else {
                "the table's one service"
            }
        ),
        (
            R::ServiceAdded {
                written,
                read,
                given,
            },
            Lang::Zh,
        ) => format!(
            "“{}”缺少服务名：按{}读作“{}”",
            q(written),
            if *given {
                "--service 指定的服务"
            } else {
                "表中唯一的服务"
            },
            q(read)
        ),
    };
    say(what)
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
