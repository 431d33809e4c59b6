//! Writing the files a user names (`compose -o`, `w` in the explorer), safely.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The file exists and overwriting was not asked for.
    Exists,
    /// A directory, FIFO, device or socket: only regular files are replaced.
    NotRegular {
        kind: crate::io::input::FileKind,
    },
    /// A symbolic link to nothing: it is not written through (as `cp` does).
    DanglingSymlink,
    /// Creating the temporary file beside the target failed (a read-only or pseudo file system).
    Temporary(std::io::Error),
    Io(std::io::Error),
}

impl std::error::Error for WriteError {
    /// The system's error behind a failed write, for callers that report causes.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Temporary(e) | WriteError::Io(e) => Some(e),
            _ => None,
        }
    }
}

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
            let resolved = match std::fs::canonicalize(path) {
                Ok(r) => r,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(WriteError::DanglingSymlink);
                }
                // A loop of links, or a folder on the way that cannot be read.
                Err(e) => return Err(WriteError::Io(e)),
            };
            let meta = std::fs::metadata(&resolved).map_err(WriteError::Io)?;
            (resolved, Some(meta))
        }
        Some(m) => (path.to_path_buf(), Some(m)),
    };
    if let Some(meta) = &existing {
        if !meta.is_file() {
            return Err(WriteError::NotRegular {
                kind: crate::io::input::kind_of(meta),
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
    if let Some(meta) = &existing {
        use std::os::unix::fs::MetadataExt;
        // Only root can give a file away; for anyone else this is a no-op or refused. Before
        // the mode: a change of owner clears the set-user-ID and set-group-ID bits.
        let _ = std::os::unix::fs::fchown(&*file, Some(meta.uid()), Some(meta.gid()));
    }
    file.write_all(text.as_bytes())
        .and_then(|_| file.set_permissions(std::fs::Permissions::from_mode(mode)))
        .and_then(|_| file.sync_all())
        .map_err(WriteError::Io)?;
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

/// What overwriting an existing file will touch, to say before it happens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Existing {
    /// The file the path is a symbolic link to: that file is rewritten, the link kept.
    pub link_target: Option<PathBuf>,
    /// How many names the (target) file has. Above one, overwriting writes a new file under
    /// this name (the temporary file renamed over it), and the other names keep the old text:
    /// an overwrite is never half-written, so it is not done in place.
    pub hard_links: u64,
}

/// What a write to `path` writes: the file itself, or, for a symbolic link, the file it points
/// to (as [`write_file`] does), with the link named: `(written, Some(link))`.
pub fn written_through(path: &Path) -> (PathBuf, Option<PathBuf>) {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match is_link.then(|| std::fs::canonicalize(path).ok()).flatten() {
        Some(target) => (target, Some(path.to_path_buf())),
        None => (path.to_path_buf(), None),
    }
}

/// [`Existing`] for `path`, when it exists.
pub fn existing(path: &Path) -> Option<Existing> {
    use std::os::unix::fs::MetadataExt;
    let link = std::fs::symlink_metadata(path).ok()?;
    let link_target = link
        .file_type()
        .is_symlink()
        .then(|| std::fs::canonicalize(path).ok())
        .flatten();
    let meta = std::fs::metadata(path).ok()?;
    Some(Existing {
        link_target,
        hard_links: meta.nlink(),
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
    mod writes {
        use super::super::*;
        use std::os::unix::fs::PermissionsExt;

        fn mode(p: &Path) -> u32 {
            std::fs::metadata(p).unwrap().permissions().mode() & 0o777
        }

        #[test]
        fn a_failed_write_keeps_its_cause() {
            use std::error::Error;
            let e = write_file(Path::new("/proc/nonexistent-dir/p.json"), "x", false).unwrap_err();
            assert!(e.source().is_some(), "{e:?}");
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
