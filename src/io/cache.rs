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
//! The header (format, version, key, regions' sizes and hashes) is fixed-size fields read one by
//! one, so nothing is decoded before the file is known to be the right one. The rest is postcard,
//! derived from types: the meta region is [`Meta`], each operation a [`OperationRecord`]. The
//! catalog types leave empty fields out when written as JSON, which postcard cannot read back,
//! so records are their own types. They borrow their strings from the bytes, and conversion is
//! by exhaustive destructuring, so a field added to `Operation` does not compile until the cache
//! carries it.

use std::fs::Metadata;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

use serde::{Deserialize, Serialize};

use crate::catalog::{
    ActionRequirement, CatalogDoc, Operation, ParsedCatalog, Prerequisite, Route, Scopes, Source,
};
use crate::lang::LocalText;

/// The start of every cache file, with the format's version: to be raised when the encoding
/// changes, or the checks a catalog goes through do (a cache file is also keyed by the tool's
/// version, but `search` checks only the operations it prints, so a file made under looser
/// checks must not be read).
const MAGIC: &[u8; 16] = b"ims-perms cache\x05";

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
    /// `None` for anything but a regular file, or one beyond [`crate::io::input::MAX_INPUT_BYTES`].
    pub fn of_file(path: &Path) -> Option<Key> {
        use std::io::Read;
        let (mut file, meta) = crate::io::input::open_regular(path).ok()?;
        if meta.len() > crate::io::input::MAX_INPUT_BYTES {
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
                    if total > crate::io::input::MAX_INPUT_BYTES {
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
const MAX_CACHE_BYTES: u64 = 2 * crate::io::input::MAX_INPUT_BYTES;

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

/// A cache file's regions, after its header: the catalog's description and everything of
/// fixed size (`meta`), the operations' records (`ops`), and the searched texts (`fields`,
/// `prose`). `search` reads all but the records, then only the records of what it found.
struct Header {
    meta_len: u64,
    ops_len: u64,
    fields_len: u64,
    prose_len: u64,
    /// xxh3-64 of each region but the records (each record has its own hash in `meta`).
    meta_hash: u64,
    fields_hash: u64,
    prose_hash: u64,
}

/// Opens the cache file in `dir` for `key` and reads its header: `None` unless the directory
/// is private, the file regular and within [`MAX_CACHE_BYTES`], made by this version for this
/// key, and its regions add up to its size. A FIFO or `/dev/zero` put in its place must not
/// hang or fill memory.
fn open(dir: &Path, key: &Key) -> Option<(std::io::BufReader<std::fs::File>, Header)> {
    if !is_private(dir) {
        return None;
    }
    let (file, meta) = crate::io::input::open_regular(&key.file_in(dir)).ok()?;
    if meta.len() > MAX_CACHE_BYTES {
        return None;
    }
    let mut file = std::io::BufReader::with_capacity(1 << 16, file);
    let mut magic = [0u8; MAGIC.len()];
    file.read_exact(&mut magic).ok()?;
    if magic != *MAGIC || read_str(&mut file)? != env!("CARGO_PKG_VERSION") {
        return None;
    }
    let made_for = Key {
        path: read_str(&mut file)?,
        size: read_u64(&mut file)?,
        mtime: (read_u64(&mut file)? as i64, read_u64(&mut file)? as i64),
        content: u128::from(read_u64(&mut file)?) | (u128::from(read_u64(&mut file)?) << 64),
    };
    if made_for != *key {
        return None;
    }
    let header = {
        // Fields are read in the order written.
        let mut next = || read_u64(&mut file);
        Header {
            meta_len: next()?,
            ops_len: next()?,
            fields_len: next()?,
            prose_len: next()?,
            meta_hash: next()?,
            fields_hash: next()?,
            prose_hash: next()?,
        }
    };
    let regions = [
        header.meta_len,
        header.ops_len,
        header.fields_len,
        header.prose_len,
    ];
    let total = regions
        .into_iter()
        .try_fold(header_len(key), u64::checked_add)?;
    (total == meta.len()).then_some((file, header))
}

/// The bytes of a header for `key`.
fn header_len(key: &Key) -> u64 {
    (MAGIC.len() + 4 + env!("CARGO_PKG_VERSION").len() + 4 + key.path.len() + 12 * 8) as u64
}

fn read_u64(r: &mut impl Read) -> Option<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b).ok()?;
    Some(u64::from_le_bytes(b))
}

/// A length-prefixed string of at most 64 KB (a version, a path).
fn read_str(r: &mut impl Read) -> Option<String> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b).ok()?;
    let n = u32::from_le_bytes(b) as usize;
    if n > 1 << 16 {
        return None;
    }
    let mut s = vec![0u8; n];
    r.read_exact(&mut s).ok()?;
    String::from_utf8(s).ok()
}

/// The next `n` bytes, all of them.
fn read_exactly(r: &mut impl Read, n: u64) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(n).ok()?);
    r.by_ref().take(n).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 == n).then_some(bytes)
}

/// The next `n` bytes, if `hash` is theirs.
fn read_region(r: &mut impl Read, n: u64, hash: u64) -> Option<Vec<u8>> {
    read_exactly(r, n).filter(|bytes| xxh3_64(bytes) == hash)
}

/// [`open`], then the meta region read and checked: what loading and searching both start with.
fn open_meta(dir: &Path, key: &Key) -> Option<(std::io::BufReader<std::fs::File>, Header, Meta)> {
    let (mut file, header) = open(dir, key)?;
    let bytes = read_region(&mut file, header.meta_len, header.meta_hash)?;
    let meta = Meta::read(&bytes, header.ops_len)?;
    Some((file, header, meta))
}

/// What `meta` says: the catalog's description, where each operation's record is in `ops`
/// (and where the last ends) with its hash, and the search piece's fixed-size parts.
#[derive(Serialize, Deserialize)]
struct Meta {
    service: String,
    complete: bool,
    source: Source,
    ends: Vec<u32>,
    hashes: Vec<u64>,
    flags: Vec<u8>,
    section: Vec<u32>,
    sections: Vec<Vec<String>>,
    field_ends: Vec<u32>,
    field_first: Vec<u32>,
    prose_ends: Vec<u32>,
    prose_first: Vec<u32>,
}

impl Meta {
    /// The meta region decoded, if it is whole and its lists agree with each other and with the
    /// records' region (`ops_len` bytes).
    fn read(bytes: &[u8], ops_len: u64) -> Option<Meta> {
        let (meta, rest) = postcard::take_from_bytes::<Meta>(bytes).ok()?;
        let count = meta.ends.len();
        // Each operation takes at least MIN_OPERATION_BYTES: a larger count is a corrupt file.
        let fits = meta.ends.iter().try_fold(0u32, |start, &end| {
            (end >= start && (end - start) as usize >= MIN_OPERATION_BYTES).then_some(end)
        });
        let agree = meta.hashes.len() == count
            && meta.flags.len() == count
            && meta.section.len() == count
            && meta.field_first.len() == count + 1
            && meta.prose_first.len() == count + 1;
        (rest.is_empty() && agree && fits.map(u64::from) == Some(ops_len)).then_some(meta)
    }

    /// The record of operation `i` in `ops` (the region, or all of the file from its start).
    fn record(&self, i: usize) -> std::ops::Range<usize> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        start..self.ends[i] as usize
    }
}

/// Operation `i`'s record decoded, if its hash is right and nothing is left over.
fn operation(meta: &Meta, i: usize, record: &[u8], shared: &mut Shared) -> Option<Operation> {
    if xxh3_64(record) != meta.hashes[i] {
        return None;
    }
    let (op, rest) = postcard::take_from_bytes::<OperationRecord>(record).ok()?;
    rest.is_empty().then(|| op.into_operation(shared))
}

/// Actions, methods and texts (conditions, sections) already decoded: a repeat is the same
/// shared value, never allocated again (see [`crate::catalog`]'s sharing of repeated texts;
/// allocating them only to drop them left the memory full of holes).
#[derive(Default)]
struct Shared {
    actions: std::collections::HashMap<Box<str>, Arc<str>, xxhash_rust::xxh3::Xxh3Builder>,
    /// By a hash of both languages' texts; equal hashes are told apart by their texts.
    texts: std::collections::HashMap<u64, Vec<Arc<LocalText>>, xxhash_rust::xxh3::Xxh3Builder>,
}

impl Shared {
    fn action(&mut self, action: &str) -> Arc<str> {
        if let Some(first) = self.actions.get(action) {
            return Arc::clone(first);
        }
        let value: Arc<str> = Arc::from(action);
        self.actions.insert(action.into(), Arc::clone(&value));
        value
    }

    fn text(&mut self, text: TextRecord) -> Arc<LocalText> {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for part in [text.zh, text.en] {
            match part {
                None => hasher.update(&[0]),
                Some(t) => {
                    hasher.update(&[1]);
                    hasher.update(&(t.len() as u64).to_le_bytes());
                    hasher.update(t.as_bytes());
                }
            }
        }
        let same = |t: &&Arc<LocalText>| t.zh.as_deref() == text.zh && t.en.as_deref() == text.en;
        let bucket = self.texts.entry(hasher.digest()).or_default();
        if let Some(first) = bucket.iter().find(same) {
            return Arc::clone(first);
        }
        let value = Arc::new(text.into_text());
        bucket.push(Arc::clone(&value));
        value
    }
}

/// A [`LocalText`] as a record holds it.
#[derive(Clone, Copy, Serialize, Deserialize)]
struct TextRecord<'a> {
    #[serde(borrow)]
    zh: Option<&'a str>,
    #[serde(borrow)]
    en: Option<&'a str>,
}

impl<'a> TextRecord<'a> {
    fn of(text: &'a LocalText) -> Self {
        let LocalText { zh, en } = text;
        TextRecord {
            zh: zh.as_deref(),
            en: en.as_deref(),
        }
    }

    fn into_text(self) -> LocalText {
        LocalText {
            zh: self.zh.map(str::to_string),
            en: self.en.map(str::to_string),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct ActionRecord<'a> {
    action: &'a str,
    #[serde(borrow)]
    condition: Option<TextRecord<'a>>,
}

#[derive(Serialize, Deserialize)]
struct PrerequisiteRecord<'a> {
    zh: Option<&'a str>,
    en: Option<&'a str>,
    #[serde(borrow)]
    permission: Option<TextRecord<'a>>,
    #[serde(borrow)]
    condition: Option<TextRecord<'a>>,
}

/// An [`Operation`] as a cache file holds it: every field but the service (the catalog's),
/// strings borrowed from the bytes while decoding.
#[derive(Serialize, Deserialize)]
struct OperationRecord<'a> {
    id: &'a str,
    #[serde(borrow)]
    name: TextRecord<'a>,
    /// Method and path; none without a route.
    route: Option<(&'a str, &'a str)>,
    #[serde(borrow)]
    route_note: Option<TextRecord<'a>>,
    #[serde(borrow)]
    section: Option<TextRecord<'a>>,
    #[serde(borrow)]
    description: TextRecord<'a>,
    #[serde(borrow)]
    actions: Vec<ActionRecord<'a>>,
    #[serde(borrow)]
    actions_not_documented: Option<TextRecord<'a>>,
    #[serde(borrow)]
    dependencies: Vec<ActionRecord<'a>>,
    scopes: Option<Scopes>,
    #[serde(borrow)]
    prerequisites: Vec<PrerequisiteRecord<'a>>,
    deprecated: bool,
    openstack_native: bool,
}

/// The fewest bytes an [`OperationRecord`] takes: a byte for the id's length, each list's count
/// (actions, dependencies, prerequisites) and each option and flag (name's two, route, route
/// note, section, description's two, actions not documented, scopes, deprecated, native).
const MIN_OPERATION_BYTES: usize = 1 + 3 + 11;

impl<'a> OperationRecord<'a> {
    fn of(op: &'a Operation) -> Self {
        let Operation {
            service: _,
            id,
            name,
            route,
            route_note,
            section,
            description,
            actions,
            actions_not_documented,
            dependencies,
            scopes,
            prerequisites,
            deprecated,
            openstack_native,
        } = op;
        let actions_of = |list: &'a [ActionRequirement]| {
            list.iter()
                .map(|a| {
                    let ActionRequirement { action, condition } = a;
                    ActionRecord {
                        action,
                        condition: condition.as_deref().map(TextRecord::of),
                    }
                })
                .collect()
        };
        OperationRecord {
            id,
            name: TextRecord::of(name),
            route: route.as_ref().map(|r| (r.method.as_ref(), r.path.as_str())),
            route_note: route_note.as_ref().map(TextRecord::of),
            section: section.as_deref().map(TextRecord::of),
            description: TextRecord::of(description),
            actions: actions_of(actions),
            actions_not_documented: actions_not_documented.as_ref().map(TextRecord::of),
            dependencies: actions_of(dependencies),
            scopes: *scopes,
            prerequisites: prerequisites
                .iter()
                .map(|p| {
                    let Prerequisite {
                        zh,
                        en,
                        permission,
                        condition,
                    } = p;
                    PrerequisiteRecord {
                        zh: zh.as_deref(),
                        en: en.as_deref(),
                        permission: permission.as_ref().map(TextRecord::of),
                        condition: condition.as_ref().map(TextRecord::of),
                    }
                })
                .collect(),
            deprecated: *deprecated,
            openstack_native: *openstack_native,
        }
    }

    fn into_operation(self, shared: &mut Shared) -> Operation {
        let mut actions_of = |list: Vec<ActionRecord>| -> Vec<ActionRequirement> {
            list.into_iter()
                .map(|a| ActionRequirement {
                    action: shared.action(a.action),
                    condition: a.condition.map(|c| shared.text(c)),
                })
                .collect()
        };
        let actions = actions_of(self.actions);
        let dependencies = actions_of(self.dependencies);
        Operation {
            // Set from the catalog's service by the checks, as for JSON.
            service: Arc::from(""),
            id: self.id.to_string(),
            name: self.name.into_text(),
            route: self.route.map(|(method, path)| Route {
                method: shared.action(method),
                path: path.to_string(),
            }),
            route_note: self.route_note.map(TextRecord::into_text),
            section: self.section.map(|t| shared.text(t)),
            description: self.description.into_text(),
            actions,
            actions_not_documented: self.actions_not_documented.map(TextRecord::into_text),
            dependencies,
            scopes: self.scopes,
            prerequisites: self
                .prerequisites
                .into_iter()
                .map(|p| Prerequisite {
                    zh: p.zh.map(str::to_string),
                    en: p.en.map(str::to_string),
                    permission: p.permission.map(TextRecord::into_text),
                    condition: p.condition.map(TextRecord::into_text),
                })
                .collect(),
            deprecated: self.deprecated,
            openstack_native: self.openstack_native,
        }
    }
}

/// The catalog a cache file in `dir` holds for `key`, if there is one and it is good (its
/// searched texts are not read).
pub fn load(dir: &Path, key: &Key) -> Option<CatalogDoc> {
    let (mut file, header, meta) = open_meta(dir, key)?;
    let ops = read_exactly(&mut file, header.ops_len)?;
    let mut shared = Shared::default();
    let operations = (0..meta.ends.len())
        .map(|i| operation(&meta, i, &ops[meta.record(i)], &mut shared))
        .collect::<Option<Vec<_>>>()?;
    Some(CatalogDoc {
        service: meta.service,
        complete: meta.complete,
        source: meta.source,
        operations,
    })
}

/// A cache file opened for searching, its operations read only when asked for
/// ([`Opened::operations`]).
pub struct Opened {
    meta: Meta,
    /// The cache file, opened again to read records: twenty catalog files must not mean twenty
    /// open files, nor a thousand a thousand (past the limit on open files).
    path: PathBuf,
    /// Where the records start in the file.
    ops_at: u64,
}

/// The cache file in `dir` for `key` opened for searching ([`Opened`]), and its search piece
/// (read and checked), if there is one and it is good.
pub fn open_for_search(dir: &Path, key: &Key) -> Option<(Opened, crate::search::query::Piece)> {
    use std::io::{Seek, SeekFrom};
    let (mut file, header, mut meta) = open_meta(dir, key)?;
    let ops_at = header_len(key) + header.meta_len;
    file.seek(SeekFrom::Start(ops_at + header.ops_len)).ok()?;
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).ok();
    let fields = text(read_region(
        &mut file,
        header.fields_len,
        header.fields_hash,
    )?)?;
    let prose = text(read_region(&mut file, header.prose_len, header.prose_hash)?)?;
    let piece = crate::search::query::Piece {
        service: meta.service.clone(),
        fields: crate::search::query::Texts {
            all: fields,
            ends: std::mem::take(&mut meta.field_ends),
            first: std::mem::take(&mut meta.field_first),
        },
        prose: crate::search::query::Texts {
            all: prose,
            ends: std::mem::take(&mut meta.prose_ends),
            first: std::mem::take(&mut meta.prose_first),
        },
        flags: std::mem::take(&mut meta.flags),
        section: std::mem::take(&mut meta.section),
        sections: std::mem::take(&mut meta.sections),
    };
    if !piece.holds_together() {
        return None;
    }
    let opened = Opened {
        meta,
        path: key.file_in(dir),
        ops_at,
    };
    Some((opened, piece))
}

impl Opened {
    pub fn service(&self) -> &str {
        &self.meta.service
    }

    pub fn complete(&self) -> bool {
        self.meta.complete
    }

    pub fn source(&self) -> &Source {
        &self.meta.source
    }

    /// How many operations the file holds.
    pub fn len(&self) -> usize {
        self.meta.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.meta.ends.is_empty()
    }

    /// The operations at `indices` (in the file), decoded, in that order; `None` if any record
    /// cannot be read or is not what was written. Read one at a time, or all at once when many
    /// are wanted.
    pub fn operations(&self, indices: &[usize]) -> Option<Vec<Operation>> {
        use std::os::unix::fs::FileExt;
        if indices.iter().any(|&i| i >= self.len()) {
            return None;
        }
        let mut shared = Shared::default();
        // Replaced since it was opened (renamed over by another process): its records no longer
        // have the hashes read then, and are refused.
        let (file, _) = crate::io::input::open_regular(&self.path).ok()?;
        if indices.len() > self.len() / 16 {
            let end = self.meta.ends.last().map_or(0, |&e| e as usize);
            let mut all = vec![0u8; end];
            file.read_exact_at(&mut all, self.ops_at).ok()?;
            return indices
                .iter()
                .map(|&i| operation(&self.meta, i, &all[self.meta.record(i)], &mut shared))
                .collect();
        }
        let mut record = Vec::new();
        indices
            .iter()
            .map(|&i| {
                let at = self.meta.record(i);
                record.resize(at.len(), 0);
                file.read_exact_at(&mut record, self.ops_at + at.start as u64)
                    .ok()?;
                operation(&self.meta, i, &record, &mut shared)
            })
            .collect()
    }
}

/// Writes the cache file for `key`: to a temporary file first, then renamed over the old one,
/// so a reader never sees half of it. Errors are for tests; callers ignore them.
/// `piece` is the catalog's search piece ([`crate::search::query::Piece::of`] its operations).
pub fn store(
    dir: &Path,
    key: &Key,
    catalog: &ParsedCatalog,
    piece: &crate::search::query::Piece,
) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if !owned(dir) {
        return Err(std::io::Error::other(
            "the cache directory was given and is not the cache's own",
        ));
    }
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
    // Only a regular file is ever replaced: a FIFO, link or folder in its place stays.
    if std::fs::symlink_metadata(key.file_in(dir)).is_ok_and(|m| !m.is_file()) {
        return Err(std::io::Error::other(
            "the cache file's place holds something else",
        ));
    }
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    for part in encode(key, catalog, piece) {
        file.write_all(&part)?;
    }
    file.write_all(piece.fields.all.as_bytes())?;
    file.write_all(piece.prose.all.as_bytes())?;
    file.persist(key.file_in(dir)).map_err(|e| e.error)?;
    Ok(())
}

/// Whether the cache may write into `dir`: the default directory always (it is ours by name), a
/// directory given by `IMS_PERMS_CACHE_DIR` only when it is not reached through a symbolic
/// link and holds nothing but cache files (or does not exist yet). `IMS_PERMS_CACHE_DIR=/etc`,
/// or a link to a folder of other files, is read from at most, never written into.
fn owned(dir: &Path) -> bool {
    let given = std::env::var_os("IMS_PERMS_CACHE_DIR").is_some_and(|d| Path::new(&d) == dir);
    if !given {
        return true;
    }
    let Ok(absolute) = std::path::absolute(dir) else {
        return false;
    };
    // The directory, or the nearest folder above it that exists, must be where the path says:
    // no link on the way.
    let mut existing = absolute.as_path();
    while !existing.exists() {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => return false,
        }
    }
    if existing.canonicalize().ok().as_deref() != Some(existing) {
        return false;
    }
    if existing != absolute {
        return true; // made anew: it will hold only what the cache writes
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    // Regular files only (a link, a FIFO or a folder named like a cache file is someone else's).
    entries
        .flatten()
        .all(|e| is_cache_file_name(&e.file_name()) && e.file_type().is_ok_and(|t| t.is_file()))
}

/// A cache file's name (`0123456789abcdef.catalog`) or a writer's temporary file (`.tmp…`).
fn is_cache_file_name(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    name.starts_with(".tmp")
        || name
            .strip_suffix(".catalog")
            .is_some_and(|stem| stem.len() == 16 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
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

/// A cache file for `catalog`, in pieces to write one after another: the header, the meta and
/// the records ([`Header`]); the searched texts of `piece` follow.
fn encode(key: &Key, catalog: &ParsedCatalog, piece: &crate::search::query::Piece) -> [Vec<u8>; 3] {
    let ops = &catalog.operations;
    let mut records = Vec::new();
    let mut ends = Vec::with_capacity(ops.len());
    let mut hashes = Vec::with_capacity(ops.len());
    for op in ops {
        let start = records.len();
        records = postcard::to_extend(&OperationRecord::of(op), records)
            .expect("a record always encodes into memory");
        ends.push(records.len() as u32);
        hashes.push(xxh3_64(&records[start..]));
    }
    let meta = Meta {
        service: catalog.info.service.clone(),
        complete: catalog.info.complete,
        source: catalog.info.source.clone(),
        ends,
        hashes,
        flags: piece.flags.clone(),
        section: piece.section.clone(),
        sections: piece.sections.clone(),
        field_ends: piece.fields.ends.clone(),
        field_first: piece.fields.first.clone(),
        prose_ends: piece.prose.ends.clone(),
        prose_first: piece.prose.first.clone(),
    };
    let meta = postcard::to_stdvec(&meta).expect("the meta always encodes into memory");
    let (fields, prose) = (piece.fields.all.as_bytes(), piece.prose.all.as_bytes());
    let mut header = MAGIC.to_vec();
    let str = |h: &mut Vec<u8>, s: &str| {
        h.extend_from_slice(&(s.len() as u32).to_le_bytes());
        h.extend_from_slice(s.as_bytes());
    };
    str(&mut header, env!("CARGO_PKG_VERSION"));
    str(&mut header, &key.path);
    let mut numbers = vec![
        key.size,
        key.mtime.0 as u64,
        key.mtime.1 as u64,
        key.content as u64,
        (key.content >> 64) as u64,
    ];
    numbers.extend([&meta[..], &records, fields, prose].map(|r| r.len() as u64));
    numbers.extend([&meta[..], fields, prose].map(xxh3_64));
    for n in numbers {
        header.extend_from_slice(&n.to_le_bytes());
    }
    debug_assert_eq!(header.len() as u64, header_len(key));
    [header, meta, records]
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

    /// [`store`] with the catalog's own piece.
    fn put(dir: &Path, key: &Key, catalog: &ParsedCatalog) -> std::io::Result<()> {
        let piece = crate::search::query::Piece::of(&catalog.info.service, &catalog.operations);
        store(dir, key, catalog, &piece)
    }

    fn builtin() -> ParsedCatalog {
        parse("built-in", BUILTIN_JSON).unwrap()
    }

    /// A cache directory holding the built-in catalog's cache file for [`key`].
    fn stored() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        put(&cache, &key(), &builtin()).unwrap();
        (dir, cache)
    }

    #[test]
    fn round_trips_every_field() {
        let parsed = builtin();
        let (_dir, cache) = stored();
        let doc = load(&cache, &key()).expect("decodes");
        // Repeats are decoded once: equal actions and sections are one shared value.
        let ops = &doc.operations;
        let actions: Vec<&Arc<str>> = ops
            .iter()
            .flat_map(|o| &o.actions)
            .map(|a| &a.action)
            .collect();
        let sections: Vec<&Arc<LocalText>> =
            ops.iter().filter_map(|o| o.section.as_ref()).collect();
        let methods: Vec<&Arc<str>> = ops
            .iter()
            .filter_map(|o| o.route.as_ref().map(|r| &r.method))
            .collect();
        fn shared<T: ?Sized + PartialEq>(values: &[&Arc<T>]) -> bool {
            let mut repeats = 0;
            for (i, a) in values.iter().enumerate() {
                for b in &values[..i] {
                    if a == b {
                        assert!(Arc::ptr_eq(a, b));
                        repeats += 1;
                    }
                }
            }
            repeats > 0
        }
        assert!(shared(&actions) && shared(&sections) && shared(&methods));
        assert_eq!(doc.service, parsed.info.service);
        assert_eq!(doc.source, parsed.info.source);
        let again = crate::catalog::check_document("cache", doc).unwrap();
        assert_eq!(again.operations, parsed.operations);
        // Sections, dependencies, conditions, prerequisites with permissions: all there.
        assert!(again.operations.iter().any(|o| !o.dependencies.is_empty()));
        assert!(again.operations.iter().any(|o| o.section.is_some()));
        // Opened for searching: the same piece as made from the operations, and any of them
        // read back one at a time or all at once.
        let (opened, piece) = open_for_search(&cache, &key()).expect("opens");
        assert_eq!(
            piece,
            crate::search::query::Piece::of("ims", &parsed.operations)
        );
        assert_eq!(
            (opened.service(), opened.source()),
            ("ims", &parsed.info.source)
        );
        let all: Vec<usize> = (0..parsed.operations.len()).rev().collect();
        let want: Vec<Operation> = all.iter().map(|&i| again.operations[i].clone()).collect();
        let mut read = opened.operations(&all).unwrap();
        read.iter_mut().for_each(|o| o.service = "ims".into());
        assert_eq!(read, want);
        let mut one = opened.operations(&[7]).unwrap();
        one[0].service = "ims".into();
        assert_eq!(one, [again.operations[7].clone()]);
        assert!(opened.operations(&[all.len()]).is_none(), "past the end");
    }

    #[test]
    fn any_other_key_or_damage_is_a_miss() {
        let (_dir, cache) = stored();
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
            assert!(load(&cache, &other).is_none(), "{other:?}");
            assert!(open_for_search(&cache, &other).is_none(), "{other:?}");
        }
        // Truncated anywhere, or a byte changed anywhere: never read, never a panic. Searching
        // reads records only when asked, and then refuses a damaged one.
        let file = key().file_in(&cache);
        let bytes = std::fs::read(&file).unwrap();
        let put = |b: &[u8]| std::fs::write(&file, b).unwrap();
        for cut in [0, 5, 16, 40, bytes.len() / 2, bytes.len() - 1] {
            put(&bytes[..cut]);
            assert!(load(&cache, &key()).is_none(), "cut at {cut}");
            assert!(open_for_search(&cache, &key()).is_none(), "cut at {cut}");
        }
        let count = builtin().operations.len();
        let all: Vec<usize> = (0..count).collect();
        // The searched texts come last; loading the catalog whole does not read them.
        let piece = crate::search::query::Piece::of("ims", &builtin().operations);
        let texts_at = bytes.len() - piece.fields.all.len() - piece.prose.all.len();
        for at in (0..bytes.len()).step_by(97) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            put(&damaged);
            assert_eq!(load(&cache, &key()).is_none(), at < texts_at, "byte {at}");
            if let Some((opened, _)) = open_for_search(&cache, &key()) {
                assert!(opened.operations(&all).is_none(), "byte {at}");
                let one_by_one = (0..count).map(|i| opened.operations(&[i]));
                assert!(one_by_one.into_iter().any(|o| o.is_none()), "byte {at}");
            }
        }
        // Another version of the tool wrote it.
        let mut other_version = MAGIC.to_vec();
        other_version.extend_from_slice(&11u32.to_le_bytes());
        other_version.extend_from_slice(b"0.0.0-other");
        other_version
            .extend_from_slice(&bytes[MAGIC.len() + 4 + env!("CARGO_PKG_VERSION").len()..]);
        put(&other_version);
        assert!(load(&cache, &key()).is_none());
        put(&bytes);
        assert!(load(&cache, &key()).is_some());
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
        put(&cache, &key, &tampered).unwrap();
        assert!(
            load(&cache, &key).is_some(),
            "the cache file itself is intact"
        );
        let read = crate::load::read_file(&path, Some(&cache)).unwrap();
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
        put(&cache, &key(), &builtin()).unwrap();
        assert!(load(&cache, &key()).is_some());
        // Writable by others: neither read nor written.
        std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(load(&cache, &key()).is_none());
        assert!(put(&cache, &key(), &builtin()).is_err());
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
        put(&cache, &key(), &parsed).unwrap();
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
        put(&cache, &key(), &parsed).unwrap();
        assert!(!old.exists() && new.exists());
        // A directory that cannot be made: an error for the caller to ignore.
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        assert!(put(&file.join("cache"), &key(), &parsed).is_err());
    }
}
