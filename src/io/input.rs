//! Reading the files a user names (catalogs, policies, permission tables) and standard input:
//! bounded in size, UTF-8 checked, a byte-order mark dropped, and never blocking the explorer on
//! a FIFO or a device. Every failure says which file and why, in one line.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::text::escape_controls;

/// The most any one input may hold. Real catalogs and tables are kilobytes; 100,000 synthetic
/// operations over 20 files are under 4 MB each.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Where text comes from: a file, or standard input (`-` on the command line).
/// How standard input is named (and `present` words it in each language).
pub const STDIN_NAME: &str = "standard input";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    /// `-` is standard input; anything else a file name (any bytes, not only UTF-8).
    pub fn from_arg(arg: &std::ffi::OsStr) -> Source {
        if arg == "-" {
            Source::Stdin
        } else {
            Source::File(PathBuf::from(arg))
        }
    }

    /// The name shown in messages, with control characters escaped.
    pub fn shown(&self) -> String {
        match self {
            Source::Stdin => STDIN_NAME.into(),
            Source::File(p) => shown_path(p),
        }
    }
}

/// A path as messages show it: lossy for non-UTF-8 names, control and bidi characters escaped.
pub fn shown_path(path: &Path) -> String {
    escape_controls(&path.to_string_lossy())
}

/// What kind of file a path is, as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    SymbolicLink,
    Regular,
}

/// What kind of file `meta` describes.
pub fn kind_of(meta: &Metadata) -> FileKind {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        FileKind::Directory
    } else if t.is_fifo() {
        FileKind::Fifo
    } else if t.is_char_device() {
        FileKind::CharacterDevice
    } else if t.is_block_device() {
        FileKind::BlockDevice
    } else if t.is_socket() {
        FileKind::Socket
    } else if t.is_symlink() {
        FileKind::SymbolicLink
    } else {
        FileKind::Regular
    }
}

/// Why an input could not be read.
#[derive(Debug)]
pub enum ReadErrorKind {
    Io(io::Error),
    /// Over [`MAX_INPUT_BYTES`] (or the limit asked for).
    TooLarge {
        limit: u64,
    },
    /// The first invalid byte's offset.
    NotUtf8 {
        offset: usize,
    },
    /// A directory, FIFO or device where the caller accepts regular files only.
    NotRegular {
        kind: FileKind,
    },
}

#[derive(Debug)]
pub struct ReadError {
    /// The input as shown (escaped).
    pub shown: String,
    pub kind: ReadErrorKind,
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ReadErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// How strict a read is.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    pub limit: u64,
    /// Refuse anything but a regular file (the explorer must never block on a FIFO or device).
    pub regular_only: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            limit: MAX_INPUT_BYTES,
            regular_only: false,
        }
    }
}

/// Reads a whole input as text. Standard input and FIFOs are read as they come (`<(cmd)` works),
/// but never past the limit: `/dev/zero` is an error at once, not an exhausted memory.
pub fn read_text(source: &Source, options: ReadOptions) -> Result<String, ReadError> {
    let (bytes, _) = read_bytes(source, options)?;
    text_of(source, bytes)
}

/// [`read_text`]'s reading, without the text checks: the bytes, and for a file its metadata
/// from just before it was opened (a cache of what the bytes parse to is keyed by both, and by
/// the bytes' hash, which is what makes a change between the two seen).
pub fn read_bytes(
    source: &Source,
    options: ReadOptions,
) -> Result<(Vec<u8>, Option<Metadata>), ReadError> {
    let shown = source.shown();
    let fail = |kind| ReadError {
        shown: shown.clone(),
        kind,
    };
    let mut metadata = None;
    let bytes = match source {
        Source::Stdin => read_bounded(io::stdin().lock(), options.limit, 0),
        Source::File(path) => {
            // stat first: it never blocks, where opening a FIFO without a writer would.
            let meta = std::fs::metadata(path).map_err(|e| fail(ReadErrorKind::Io(e)))?;
            if meta.is_dir() || (options.regular_only && !meta.is_file()) {
                return Err(fail(ReadErrorKind::NotRegular {
                    kind: kind_of(&meta),
                }));
            }
            if meta.is_file() && meta.len() > options.limit {
                return Err(fail(ReadErrorKind::TooLarge {
                    limit: options.limit,
                }));
            }
            let file = open_for_reading(path, options.regular_only)
                .map_err(|e| fail(ReadErrorKind::Io(e)))?;
            // Room for the whole file at once: growing by doubling copied a 4 MB catalog
            // several times over and touched twice its size in fresh memory.
            let expected = if meta.is_file() { meta.len() } else { 0 };
            let read = read_bounded(file, options.limit, expected);
            metadata = Some(meta);
            read
        }
    }
    .map_err(|e| match e {
        Bounded::Io(e) => fail(ReadErrorKind::Io(e)),
        Bounded::TooLarge => fail(ReadErrorKind::TooLarge {
            limit: options.limit,
        }),
    })?;
    Ok((bytes, metadata))
}

/// `source` opened to be read as a stream, in pieces, with no limit on its size (a log of
/// gigabytes is read line by line): standard input, a file, a FIFO (`<(cmd)`); a directory is
/// refused, and with `regular_only` anything but a regular file.
pub fn open_stream(source: &Source, regular_only: bool) -> Result<Box<dyn Read>, ReadError> {
    let fail = |kind| ReadError {
        shown: source.shown(),
        kind,
    };
    match source {
        Source::Stdin => Ok(Box::new(io::stdin())),
        Source::File(path) => {
            let meta = std::fs::metadata(path).map_err(|e| fail(ReadErrorKind::Io(e)))?;
            if meta.is_dir() || (regular_only && !meta.is_file()) {
                return Err(fail(ReadErrorKind::NotRegular {
                    kind: kind_of(&meta),
                }));
            }
            let file =
                open_for_reading(path, regular_only).map_err(|e| fail(ReadErrorKind::Io(e)))?;
            Ok(Box::new(file))
        }
    }
}

/// Bytes read from `source` as text: UTF-8, without a byte-order mark.
pub fn text_of(source: &Source, bytes: Vec<u8>) -> Result<String, ReadError> {
    let text = String::from_utf8(bytes).map_err(|e| ReadError {
        shown: source.shown(),
        kind: ReadErrorKind::NotUtf8 {
            offset: e.utf8_error().valid_up_to(),
        },
    })?;
    Ok(strip_bom(text))
}

/// Opens a regular file for reading without ever blocking (see `open_for_reading`), with its
/// metadata.
pub fn open_regular(path: &Path) -> io::Result<(File, Metadata)> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let file = open_for_reading(path, true)?;
    let meta = file.metadata()?;
    Ok((file, meta))
}

/// Opens a file; for the explorer with `O_NONBLOCK`, so that a file that turned into a FIFO
/// between the check and the open still cannot hang it.
fn open_for_reading(path: &Path, nonblocking: bool) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = File::options();
    options.read(true);
    if nonblocking {
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if nonblocking && !file.metadata()?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    Ok(file)
}

enum Bounded {
    Io(io::Error),
    TooLarge,
}

fn read_bounded(reader: impl Read, limit: u64, expected: u64) -> Result<Vec<u8>, Bounded> {
    // One byte more than expected, so the end is found without growing.
    let mut bytes = Vec::with_capacity(expected.min(limit).saturating_add(1) as usize);
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Bounded::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Bounded::TooLarge);
    }
    Ok(bytes)
}

/// Text without a leading UTF-8 byte-order mark (Windows editors write one; JSON parsers then
/// say "expected value" at line 1 column 1).
pub fn strip_bom(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn reads_text_and_drops_a_bom() {
        let f = file_with("\u{feff}{\"a\": 1}".as_bytes());
        let text = read_text(&Source::File(f.path().into()), ReadOptions::default()).unwrap();
        assert_eq!(text, "{\"a\": 1}");
    }

    #[test]
    fn refuses_what_is_too_large_not_utf8_or_not_a_file() {
        let f = file_with(b"0123456789");
        let small = ReadOptions {
            limit: 5,
            regular_only: false,
        };
        let e = read_text(&Source::File(f.path().into()), small).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("larger than the 0 MB limit for one input"),
            "{e}"
        );
        let f = file_with(b"ok \xff\xfe");
        let e = read_text(&Source::File(f.path().into()), ReadOptions::default()).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("not UTF-8 text (invalid byte at offset 3)"),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        let e = read_text(&Source::File(dir.path().into()), ReadOptions::default()).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("it is a directory, not a regular file"),
            "{e}"
        );
        // A device is read as it comes, but never past the limit.
        let e = read_text(&Source::File("/dev/zero".into()), small).unwrap_err();
        assert!(matches!(e.kind, ReadErrorKind::TooLarge { .. }), "{e}");
        let strict = ReadOptions {
            regular_only: true,
            ..ReadOptions::default()
        };
        let e = read_text(&Source::File("/dev/zero".into()), strict).unwrap_err();
        assert!(e.to_string().contains("a character device"), "{e}");
    }

    #[test]
    fn names_are_escaped() {
        let e = read_text(
            &Source::File("/nonexistent/a\u{1b}[2Jb\u{202e}".into()),
            ReadOptions::default(),
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(!s.contains('\u{1b}') && !s.contains('\u{202e}'), "{s}");
        assert!(
            s.starts_with("cannot read /nonexistent/a\\u{1b}[2Jb\\u{202e}: "),
            "{s}"
        );
    }
}
