//! A cache of parsed catalog files, so that loading twenty services (75 MB of JSON at 100,000
//! operations) does not mean parsing all of it on every start.
//!
//! One cache file per catalog file, in `$IMS_PERMS_CACHE_DIR`, else `$XDG_CACHE_HOME/ims-perms`,
//! else `~/.cache/ims-perms`. A cache file is used only when it was made by this version of the
//! tool from the same file: the same canonical path, size, modification time and content (a
//! 128-bit hash of the bytes just read, so an edit that keeps size and time is still seen), and
//! its own contents hash to what its header says. Anything else (another version, a changed or
//! replaced catalog, a truncated or corrupt cache file) and the JSON is parsed as if there were no
//! cache, and the cache file written anew. What a cache file holds is checked like a JSON
//! catalog's contents before use ([`crate::catalog::check_document`]).
//!
//! Writing the cache never fails a command: a directory that cannot be made or written to only
//! means the JSON is parsed each time.
//!
//! The encoding is this module's own (length-prefixed fields in a fixed order): the catalog types
//! leave empty fields out when written as JSON, which serde's compact binary formats (bincode,
//! postcard) cannot read back, and a schema-less format would cost most of what JSON costs.

use std::fs::Metadata;
use std::io::Write;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

use crate::catalog::{
    ActionRequirement, CatalogDoc, Operation, ParsedCatalog, Prerequisite, Scopes, Source,
};
use crate::lang::LocalText;

/// The start of every cache file, with the format's version.
const MAGIC: &[u8; 16] = b"ims-perms cache\x01";

/// Where cache files go, or `None` for no cache: `IMS_PERMS_CACHE_DIR` (empty: no cache), else
/// `$XDG_CACHE_HOME/ims-perms`, else `$HOME/.cache/ims-perms`.
pub fn default_dir() -> Option<PathBuf> {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = std::env::var_os("IMS_PERMS_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    if let Some(base) = set("XDG_CACHE_HOME") {
        return Some(PathBuf::from(base).join("ims-perms"));
    }
    set("HOME").map(|home| PathBuf::from(home).join(".cache").join("ims-perms"))
}

/// What a cache file must have been made from to be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The catalog file's canonical path.
    path: String,
    size: u64,
    mtime: (i64, i64),
    content: u128,
}

impl Key {
    /// The key of a catalog file just read: `None` for anything but a regular file with a
    /// canonical path (standard input, a FIFO: nothing to cache by).
    pub fn of(path: &Path, meta: Option<&Metadata>, bytes: &[u8]) -> Option<Key> {
        let meta = meta.filter(|m| m.is_file())?;
        Key::made(path, meta, bytes.len() as u64, xxh3_128(bytes))
    }

    /// The key of `path` (made canonical) whose bytes, `size` of them, hash to `content`.
    fn made(path: &Path, meta: &Metadata, size: u64, content: u128) -> Option<Key> {
        use std::os::unix::fs::MetadataExt;
        let canonical = std::fs::canonicalize(path).ok()?;
        Some(Key {
            path: canonical.to_str()?.to_string(),
            size,
            mtime: (meta.mtime(), meta.mtime_nsec()),
            content,
        })
    }

    /// The key of the catalog file at `path` as it is now, hashed as it is read (in pieces: the
    /// bytes are not kept, which at 75 MB of catalogs saved more time than hashing costs).
    /// `None` for anything but a regular file, or one beyond [`crate::input::MAX_INPUT_BYTES`].
    pub fn of_file(path: &Path) -> Option<Key> {
        use std::io::Read;
        let (mut file, meta) = crate::input::open_regular(path).ok()?;
        if meta.len() > crate::input::MAX_INPUT_BYTES {
            return None;
        }
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut buffer = vec![0u8; 1 << 16];
        let mut total = 0u64;
        loop {
            match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    total += n as u64;
                    if total > crate::input::MAX_INPUT_BYTES {
                        return None;
                    }
                    hasher.update(&buffer[..n]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        Key::made(path, &meta, total, hasher.digest128())
    }

    /// The cache file for this catalog file in `dir`.
    fn file_in(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{:016x}.catalog", xxh3_64(self.path.as_bytes())))
    }
}

/// The most a cache file may hold: more than any catalog within the input limit makes.
const MAX_CACHE_BYTES: u64 = 2 * crate::input::MAX_INPUT_BYTES;

/// Whether `dir` is a directory only its owner, the user running this, can write to. A cache
/// anyone else can write to could stand for any catalog (its hashes are no secret), so another
/// one is not used (`IMS_PERMS_CACHE_DIR=/tmp` on a shared machine).
fn is_private(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).is_ok_and(|m| {
        // SAFETY: geteuid has no preconditions and cannot fail.
        m.is_dir() && m.uid() == unsafe { libc::geteuid() } && m.mode() & 0o022 == 0
    })
}

/// The catalog a cache file in `dir` holds for `key`, if there is one and it is good. Only a
/// regular file up to [`MAX_CACHE_BYTES`] in a private directory is read (a FIFO or `/dev/zero`
/// put in its place must not hang or fill memory).
pub fn load(dir: &Path, key: &Key) -> Option<CatalogDoc> {
    use std::io::Read;
    // One buffer per thread for every cache file it reads: fresh memory is slow to come by
    // (the kernel clears each page), and the buffer is gone once decoded.
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    if !is_private(dir) {
        return None;
    }
    let (file, meta) = crate::input::open_regular(&key.file_in(dir)).ok()?;
    if meta.len() > MAX_CACHE_BYTES {
        return None;
    }
    BUFFER.with(|buffer| {
        let mut bytes = buffer.borrow_mut();
        bytes.clear();
        file.take(MAX_CACHE_BYTES).read_to_end(&mut bytes).ok()?;
        let doc = decode(&bytes, key);
        // The main thread reads too (one file, one core) and lives on: keep no large buffer.
        if bytes.capacity() > 1 << 22 {
            *bytes = Vec::new();
        }
        doc
    })
}

/// Writes the cache file for `key`: to a temporary file first, then renamed over the old one,
/// so a reader never sees half of it. Errors are for tests; callers ignore them.
pub fn store(dir: &Path, key: &Key, catalog: &ParsedCatalog) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    if !is_private(dir) {
        return Err(std::io::Error::other(
            "the cache directory is not private to this user",
        ));
    }
    remove_stale_temporaries(dir);
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(&encode(key, catalog))?;
    file.persist(key.file_in(dir)).map_err(|e| e.error)?;
    Ok(())
}

/// Temporary files a writer killed mid-write left behind (`kill -9`): removed once an hour old,
/// so that one another process is writing now is left alone.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in entries.flatten() {
        let stale = entry.file_name().to_string_lossy().starts_with(".tmp")
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < hour_ago);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn encode(key: &Key, catalog: &ParsedCatalog) -> Vec<u8> {
    let mut payload = Writer::default();
    payload.str(&catalog.info.service);
    payload.str(&catalog.info.source.title);
    payload.opt_str(catalog.info.source.url.as_deref());
    payload.opt_str(catalog.info.source.retrieved.as_deref());
    payload.len(catalog.operations.len());
    for op in &catalog.operations {
        payload.operation(op);
    }
    seal(key, payload.0)
}

/// The header (what the file was made from, and the payload's length and hash), then `payload`.
fn seal(key: &Key, payload: Vec<u8>) -> Vec<u8> {
    let mut out = Writer(MAGIC.to_vec());
    out.str(env!("CARGO_PKG_VERSION"));
    out.str(&key.path);
    out.u64(key.size);
    out.u64(key.mtime.0 as u64);
    out.u64(key.mtime.1 as u64);
    out.u64(key.content as u64);
    out.u64((key.content >> 64) as u64);
    out.u64(payload.len() as u64);
    out.u64(xxh3_64(&payload));
    out.0.extend_from_slice(&payload);
    out.0
}

fn decode(bytes: &[u8], key: &Key) -> Option<CatalogDoc> {
    let mut r = Reader {
        bytes: bytes.strip_prefix(MAGIC.as_slice())?,
    };
    let made_for = Key {
        path: {
            if r.str()? != env!("CARGO_PKG_VERSION") {
                return None;
            }
            r.str()?
        },
        size: r.u64()?,
        mtime: (r.u64()? as i64, r.u64()? as i64),
        content: u128::from(r.u64()?) | (u128::from(r.u64()?) << 64),
    };
    if made_for != *key {
        return None;
    }
    let (length, hash) = (r.u64()?, r.u64()?);
    if r.bytes.len() as u64 != length || xxh3_64(r.bytes) != hash {
        return None;
    }
    let service = r.str()?;
    let source = Source {
        title: r.str()?,
        url: r.opt_str()?,
        retrieved: r.opt_str()?,
    };
    let count = r.len()?;
    // Each operation takes at least MIN_OPERATION_BYTES: a larger count is a corrupt file,
    // not a reason to allocate gigabytes.
    if count > r.bytes.len() / MIN_OPERATION_BYTES {
        return None;
    }
    let mut operations = Vec::with_capacity(count);
    for _ in 0..count {
        operations.push(r.operation()?);
    }
    r.bytes.is_empty().then_some(CatalogDoc {
        service,
        source,
        operations,
    })
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.0.extend_from_slice(&(n as u32).to_le_bytes());
    }
    fn flag(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }
    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        self.flag(s.is_some());
        if let Some(s) = s {
            self.str(s);
        }
    }
    fn text(&mut self, t: &LocalText) {
        self.opt_str(t.zh.as_deref());
        self.opt_str(t.en.as_deref());
    }
    fn opt_text(&mut self, t: Option<&LocalText>) {
        self.flag(t.is_some());
        if let Some(t) = t {
            self.text(t);
        }
    }
    fn actions(&mut self, actions: &[ActionRequirement]) {
        self.len(actions.len());
        for a in actions {
            self.str(&a.action);
            self.opt_text(a.condition.as_ref());
        }
    }
    fn operation(&mut self, op: &Operation) {
        self.str(&op.id);
        self.text(&op.name);
        self.str(&op.method);
        self.str(&op.path);
        self.opt_text(op.section.as_ref());
        self.text(&op.description);
        self.actions(&op.actions);
        self.actions(&op.dependencies);
        self.0.push(match op.scopes {
            None => 0,
            Some(s) => 1 | (u8::from(s.project) << 1) | (u8::from(s.enterprise_project) << 2),
        });
        self.len(op.prerequisites.len());
        for p in &op.prerequisites {
            self.opt_str(p.zh.as_deref());
            self.opt_str(p.en.as_deref());
            self.opt_text(p.permission.as_ref());
            self.opt_text(p.condition.as_ref());
        }
        self.flag(op.deprecated);
        self.flag(op.openstack_native);
    }
}

/// The fewest bytes [`Writer::operation`] writes: six lengths of 4 bytes (id, method, path, and
/// the counts of actions, dependencies and prerequisites), seven flags and the scopes' byte.
const MIN_OPERATION_BYTES: usize = 6 * 4 + 7 + 1;

/// Reads what [`Writer`] wrote; `None` at anything out of place (a corrupt file), never a
/// panic. A count is never more than the bytes left (each item takes one at least), and the
/// operations' count is checked against their least size, so a corrupt count cannot make a huge
/// allocation.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn len(&mut self) -> Option<usize> {
        let n = u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize;
        // Every item takes at least a byte: a count beyond what is left is corrupt.
        (n <= self.bytes.len()).then_some(n)
    }
    fn flag(&mut self) -> Option<bool> {
        match self.take(1)?[0] {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn str(&mut self) -> Option<String> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok().map(str::to_string)
    }
    fn opt_str(&mut self) -> Option<Option<String>> {
        Some(if self.flag()? {
            Some(self.str()?)
        } else {
            None
        })
    }
    fn text(&mut self) -> Option<LocalText> {
        Some(LocalText {
            zh: self.opt_str()?,
            en: self.opt_str()?,
        })
    }
    fn opt_text(&mut self) -> Option<Option<LocalText>> {
        Some(if self.flag()? {
            Some(self.text()?)
        } else {
            None
        })
    }
    fn actions(&mut self) -> Option<Vec<ActionRequirement>> {
        let n = self.len()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(ActionRequirement {
                action: self.str()?,
                condition: self.opt_text()?,
            });
        }
        Some(out)
    }
    fn operation(&mut self) -> Option<Operation> {
        let id = self.str()?;
        let name = self.text()?;
        let method = self.str()?;
        let path = self.str()?;
        let section = self.opt_text()?;
        let description = self.text()?;
        let actions = self.actions()?;
        let dependencies = self.actions()?;
        let scopes = match self.take(1)?[0] {
            0 => None,
            b if b & 1 == 1 && b < 8 => Some(Scopes {
                project: b & 2 != 0,
                enterprise_project: b & 4 != 0,
            }),
            _ => return None,
        };
        let n = self.len()?;
        let mut prerequisites = Vec::with_capacity(n);
        for _ in 0..n {
            prerequisites.push(Prerequisite {
                zh: self.opt_str()?,
                en: self.opt_str()?,
                permission: self.opt_text()?,
                condition: self.opt_text()?,
            });
        }
        Some(Operation {
            // Set from the catalog's service by the checks, as for JSON.
            service: String::new(),
            id,
            name,
            method,
            path,
            section,
            description,
            actions,
            dependencies,
            scopes,
            prerequisites,
            deprecated: self.flag()?,
            openstack_native: self.flag()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{BUILTIN_JSON, parse};

    fn key() -> Key {
        Key {
            path: "/catalogs/ims.json".into(),
            size: 10,
            mtime: (1_700_000_000, 5),
            content: 0x1234_5678_9abc_def0_1122_3344_5566_7788,
        }
    }

    fn builtin() -> ParsedCatalog {
        parse("built-in", BUILTIN_JSON).unwrap()
    }

    #[test]
    fn round_trips_every_field() {
        let parsed = builtin();
        let bytes = encode(&key(), &parsed);
        let doc = decode(&bytes, &key()).expect("decodes");
        assert_eq!(doc.service, parsed.info.service);
        assert_eq!(doc.source, parsed.info.source);
        let again = crate::catalog::check_document("cache", doc).unwrap();
        assert_eq!(again.operations, parsed.operations);
        // Sections, dependencies, conditions, prerequisites with permissions: all there.
        assert!(again.operations.iter().any(|o| !o.dependencies.is_empty()));
        assert!(again.operations.iter().any(|o| o.section.is_some()));
    }

    #[test]
    fn any_other_key_or_damage_is_a_miss() {
        let bytes = encode(&key(), &builtin());
        for other in [
            Key {
                path: "/elsewhere.json".into(),
                ..key()
            },
            Key { size: 11, ..key() },
            Key {
                mtime: (1_700_000_000, 6),
                ..key()
            },
            Key {
                content: key().content ^ 1,
                ..key()
            },
        ] {
            assert!(decode(&bytes, &other).is_none(), "{other:?}");
        }
        // Truncated anywhere, or a byte changed anywhere: never decoded, never a panic.
        for cut in [0, 5, 16, 40, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut], &key()).is_none(), "cut at {cut}");
        }
        for at in (0..bytes.len()).step_by(97) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert!(decode(&damaged, &key()).is_none(), "byte {at}");
        }
        // Another version of the tool wrote it.
        let mut other_version = MAGIC.to_vec();
        let mut w = Writer(Vec::new());
        w.str("0.0.0-other");
        other_version.extend_from_slice(&w.0);
        other_version
            .extend_from_slice(&bytes[MAGIC.len() + 4 + env!("CARGO_PKG_VERSION").len()..]);
        assert!(decode(&other_version, &key()).is_none());
    }

    #[test]
    fn a_cache_file_is_checked_as_json_is() {
        // A cache file made for this very catalog file, hash and all, but holding an escape
        // sequence: refused like the same text in JSON, and the JSON read instead.
        let dir = tempfile::tempdir().unwrap();
        let (path, cache) = (dir.path().join("ims.json"), dir.path().join("cache"));
        std::fs::write(&path, BUILTIN_JSON).unwrap();
        let key = Key::of_file(&path).unwrap();
        let mut tampered = builtin();
        tampered.operations[0].name.en = Some("\u{1b}[2J gone".into());
        store(&cache, &key, &tampered).unwrap();
        assert!(
            load(&cache, &key).is_some(),
            "the cache file itself is intact"
        );
        let read = crate::catalog::read_file(&path, Some(&cache)).unwrap();
        assert_eq!(read.operations, builtin().operations);
        // Read again: the good cache file written by the JSON read is used.
        let good = load(&cache, &key).unwrap();
        assert_eq!(good.operations.len(), read.operations.len());
    }

    #[test]
    fn only_a_private_directory_and_a_regular_file_are_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        store(&cache, &key(), &builtin()).unwrap();
        assert!(load(&cache, &key()).is_some());
        // Writable by others: neither read nor written.
        std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(load(&cache, &key()).is_none());
        assert!(store(&cache, &key(), &builtin()).is_err());
        std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o700)).unwrap();
        // A FIFO where the cache file goes: not opened for reading (it would block).
        let file = key().file_in(&cache);
        std::fs::remove_file(&file).unwrap();
        let fifo = std::ffi::CString::new(file.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string; mkfifo has no other preconditions.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        assert!(load(&cache, &key()).is_none());
    }

    #[test]
    fn stores_and_loads_through_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("nested").join("cache");
        let parsed = builtin();
        store(&cache, &key(), &parsed).unwrap();
        assert!(load(&cache, &key()).is_some());
        assert!(load(&cache, &Key { size: 1, ..key() }).is_none());
        // What a killed writer left: removed when an hour old, not while it may be in use.
        let (old, new) = (cache.join(".tmpOLD"), cache.join(".tmpNEW"));
        for f in [&old, &new] {
            std::fs::write(f, "half a cache file").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        store(&cache, &key(), &parsed).unwrap();
        assert!(!old.exists() && new.exists());
        // A directory that cannot be made: an error for the caller to ignore.
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        assert!(store(&file.join("cache"), &key(), &parsed).is_err());
    }
}
