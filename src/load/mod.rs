//! Loading catalog files: read (bounded, checked), parsed and validated, through the cache of
//! parsed catalogs when one is given. A layer above `catalog` (the model and its checks), the
//! cache (`io::cache`) and search pieces (`search::query`), so none of those imports another.

pub mod searchable;

use crate::io::input::ReadError;

/// Why a catalog file was not loaded: it could not be read, or it is not a valid catalog (or
/// repeats what another one defines).
#[derive(Debug)]
pub enum LoadError {
    Read(ReadError),
    Catalog(CatalogError),
}

impl From<CatalogError> for LoadError {
    fn from(e: CatalogError) -> Self {
        LoadError::Catalog(e)
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Worded as the error it wraps: its cause is the wrapped error's.
            LoadError::Read(e) => std::error::Error::source(e),
            LoadError::Catalog(_) => None,
        }
    }
}

use std::path::Path;

use crate::catalog::{Catalog, CatalogError, ParsedCatalog, check_document, parse};

/// Reads and validates several catalog files, on all cores, then adds them to `catalog` in the
/// order given. The first file (in that order) that fails stops everything; nothing is added
/// then.
pub fn load_files(
    catalog: &mut Catalog,
    paths: &[std::path::PathBuf],
    cache: Option<&Path>,
) -> Result<(), LoadError> {
    let parsed = crate::par::par_map(paths, crate::par::threads(usize::MAX), |p| {
        read_file(p, cache)
    });
    catalog.add_all(parsed)
}

/// Reads and validates one catalog file (bounded in size, see [`crate::io::input`]), through the
/// cache in `cache` when one is given ([`crate::io::cache`]): a good cache file stands for parsing
/// the JSON, and parsing the JSON writes one.
pub fn read_file(path: &Path, cache: Option<&Path>) -> Result<ParsedCatalog, LoadError> {
    if let Some(dir) = cache
        && let Some(key) = crate::io::cache::Key::of_file(path)
        && let Some(doc) = crate::io::cache::load(dir, &key)
        // What the cache holds is checked as JSON would be; a cache file that fails is ignored.
        && let Ok(parsed) = check_document(&crate::io::input::shown_path(path), doc)
    {
        return Ok(parsed);
    }
    parse_file(path, cache)
}

/// [`read_file`] from the JSON, never the cache (whose file is written anew, when `cache` is
/// given).
pub fn parse_file(path: &Path, cache: Option<&Path>) -> Result<ParsedCatalog, LoadError> {
    parse_file_for_search(path, cache).map(|(parsed, _)| parsed)
}

/// [`parse_file`], and the file's search piece when it was made (for the cache file).
pub fn parse_file_for_search(
    path: &Path,
    cache: Option<&Path>,
) -> Result<(ParsedCatalog, Option<crate::search::query::Piece>), LoadError> {
    let origin = crate::io::input::shown_path(path);
    let source = crate::io::input::Source::File(path.to_path_buf());
    // The bytes parsed are the bytes a new cache file is keyed by.
    let (bytes, meta) =
        crate::io::input::read_bytes(&source, crate::io::input::ReadOptions::default())
            .map_err(LoadError::Read)?;
    let cached = cache.zip(crate::io::cache::Key::of(path, meta.as_ref(), &bytes));
    let json = crate::io::input::text_of(&source, bytes).map_err(LoadError::Read)?;
    let parsed = parse(&origin, &json)?;
    drop(json);
    let Some((dir, key)) = &cached else {
        return Ok((parsed, None));
    };
    let piece = crate::search::query::Piece::of(&parsed.info.service, &parsed.operations);
    // A cache that cannot be written only means parsing again next time.
    let _ = crate::io::cache::store(dir, key, &parsed, &piece);
    Ok((parsed, Some(piece)))
}
