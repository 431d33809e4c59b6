//! Plain-text renderings for the command line: the operations table and an operation's detail.
//! Pure functions returning strings, so they are tested without running the binary.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Why a file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The file exists and overwriting was not asked for.
    Exists,
    /// A directory, FIFO, device or socket: only regular files are replaced.
    NotRegular {
        kind: &'static str,
    },
    /// A symbolic link to nothing: it is not written through (as `cp` does).
    DanglingSymlink,
    /// Creating the temporary file beside the target failed (a read-only or pseudo file system).
    Temporary(std::io::Error),
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Exists => write!(f, "it exists"),
            WriteError::NotRegular { kind } => {
                write!(f, "it is {kind}; only a regular file is replaced")
            }
            WriteError::DanglingSymlink => {
                write!(
                    f,
                    "it is a symbolic link to a missing file; not written through it"
                )
            }
            WriteError::Temporary(e) => {
                write!(f, "cannot create a temporary file in its folder: {e}")
            }
            WriteError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for WriteError {}

/// Writes `text` to `path` so that a failure never leaves half a file behind: the text goes to a
/// temporary file with an unpredictable name, created exclusively beside the target, which is
/// then renamed over it.
///
/// - An existing file is replaced only when `overwrite`; it keeps its permissions (and, when
///   run as root, its owner).
/// - A symbolic link is kept: the regular file it points to is rewritten.
/// - Directories, FIFOs, devices and sockets are never replaced.
pub fn write_file(path: &Path, text: &str, overwrite: bool) -> Result<(), WriteError> {
    use std::os::unix::fs::PermissionsExt;
    let link = match std::fs::symlink_metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(WriteError::Io(e)),
    };
    let (target, existing) = match link {
        None => (path.to_path_buf(), None),
        Some(m) if m.file_type().is_symlink() => {
            let Ok(resolved) = std::fs::canonicalize(path) else {
                return Err(WriteError::DanglingSymlink);
            };
            let meta = std::fs::metadata(&resolved).map_err(WriteError::Io)?;
            (resolved, Some(meta))
        }
        Some(m) => (path.to_path_buf(), Some(m)),
    };
    if let Some(meta) = &existing {
        if !meta.is_file() {
            return Err(WriteError::NotRegular {
                kind: crate::input::kind_of(meta),
            });
        }
        if !overwrite {
            return Err(WriteError::Exists);
        }
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".ims-perms-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(WriteError::Temporary)?;
    let mode = match &existing {
        Some(meta) => meta.permissions().mode() & 0o7777,
        None => 0o666 & !umask(),
    };
    let file = temp.as_file_mut();
    file.write_all(text.as_bytes())
        .and_then(|_| file.set_permissions(std::fs::Permissions::from_mode(mode)))
        .and_then(|_| file.sync_all())
        .map_err(WriteError::Io)?;
    if let Some(meta) = &existing {
        use std::os::unix::fs::MetadataExt;
        // Only root can give a file away; for anyone else this is a no-op or refused.
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
    let persisted = if existing.is_some() {
        temp.persist(&target).map(|_| ())
    } else {
        // Never replace a file that appeared since the check.
        temp.persist_noclobber(&target).map(|_| ())
    };
    persisted.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists
        } else {
            WriteError::Io(e.error)
        }
    })
}

/// The process's file-creation mask, read without changing it (Linux reports it in
/// /proc/self/status; elsewhere the usual 022).
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
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

    mod writes {
        use super::super::*;
        use std::os::unix::fs::PermissionsExt;

        fn mode(p: &Path) -> u32 {
            std::fs::metadata(p).unwrap().permissions().mode() & 0o777
        }

        #[test]
        fn new_files_and_refusals() {
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("p.json");
            write_file(&p, "one", false).unwrap();
            assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
            assert!(matches!(
                write_file(&p, "two", false),
                Err(WriteError::Exists)
            ));
            write_file(&p, "two", true).unwrap();
            assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
            let e = write_file(dir.path(), "x", true).unwrap_err();
            assert_eq!(
                e.to_string(),
                "it is a directory; only a regular file is replaced"
            );
            // Nothing but the target is left in the folder.
            let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert_eq!(names.len(), 1);
        }

        #[test]
        fn keeps_the_mode_and_writes_through_symlinks() {
            let dir = tempfile::tempdir().unwrap();
            let real = dir.path().join("real.json");
            std::fs::write(&real, "old").unwrap();
            std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&real, &link).unwrap();
            assert!(matches!(
                write_file(&link, "new", false),
                Err(WriteError::Exists)
            ));
            write_file(&link, "new", true).unwrap();
            assert!(
                std::fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
            assert_eq!(mode(&real), 0o600);
            let dangling = dir.path().join("dangling.json");
            std::os::unix::fs::symlink(dir.path().join("missing"), &dangling).unwrap();
            for force in [false, true] {
                assert!(matches!(
                    write_file(&dangling, "x", force),
                    Err(WriteError::DanglingSymlink)
                ));
            }
            assert!(!dir.path().join("missing").exists());
        }

        #[test]
        fn special_files_are_never_replaced() {
            let dir = tempfile::tempdir().unwrap();
            let fifo = dir.path().join("fifo");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            let e = write_file(&fifo, "x", true).unwrap_err();
            assert_eq!(
                e.to_string(),
                "it is a FIFO; only a regular file is replaced"
            );
            let e = write_file(Path::new("/dev/null"), "x", true).unwrap_err();
            assert_eq!(
                e.to_string(),
                "it is a character device; only a regular file is replaced"
            );
        }
    }
}
