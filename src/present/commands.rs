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
