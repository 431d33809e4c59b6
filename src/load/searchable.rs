//! Catalog files opened for one search, without building their operations: `ims-perms search`
//! over 100,000 operations reads each file's search piece from the cache ([`crate::io::cache`]),
//! searches it, and decodes only the operations it found. Building all of them (a [`Catalog`])
//! took most of its time.
//!
//! Only for files that can be searched apart: when two of them (or one and the built-in
//! catalog) are of the same service, an id or a route could repeat across them, which only
//! loading them whole finds ([`Catalog::add`]); [`SearchableFiles::open`] then makes the
//! [`Catalog`] from what it read (a pipe cannot be read twice). A file with no good cache file
//! is parsed as it would be for a [`Catalog`] (and its cache file written); the error is the
//! same, for the same first file.

use std::path::{Path, PathBuf};

use crate::catalog::{
    BUILTIN_JSON, BUILTIN_ORIGIN, Catalog, CatalogDoc, Operation, ParsedCatalog, check_document,
    parse,
};
use crate::io::cache::{Key, Opened};
use crate::load::{LoadError, parse_file_for_search, read_file};
use crate::search::query::{Piece, SearchIndex};

/// One catalog file, opened for searching.
enum File {
    /// Parsed whole (the built-in catalog, or a file with no good cache file).
    Parsed(ParsedCatalog),
    /// Its cache file, operations still unread. `origin` names it in errors.
    Cached {
        path: PathBuf,
        origin: String,
        opened: Box<Opened>,
    },
}

impl File {
    fn service(&self) -> &str {
        match self {
            File::Parsed(p) => &p.info().service,
            File::Cached { opened, .. } => opened.service(),
        }
    }

    fn len(&self) -> usize {
        match self {
            File::Parsed(p) => p.operations().len(),
            File::Cached { opened, .. } => opened.len(),
        }
    }

    /// Every operation: a cached file read whole through the cache, or from its JSON if its
    /// cache file turns out damaged (and is then written anew).
    fn whole(self, cache: Option<&Path>) -> Result<ParsedCatalog, LoadError> {
        match self {
            File::Parsed(parsed) => Ok(parsed),
            File::Cached { path, .. } => read_file(&path, cache),
        }
    }
}

/// Why [`search_files`] found nothing to answer from.
#[derive(Debug)]
pub enum SearchError {
    Load(LoadError),
    Query(crate::search::query::QueryError),
    /// No operation at all: `--no-builtin` with no catalog, or only empty ones.
    NoOperations,
}

/// What a search found: the operations, best first, and whether they come from several
/// services (the table then shows a service column).
#[derive(Debug)]
pub struct Found {
    pub operations: Vec<Operation>,
    pub several_services: bool,
}

/// `search`: the strategy for answering a query over the built-in catalog (unless
/// `include_builtin` is false) and catalog files. An API call is looked up among every route
/// (the whole catalog); otherwise files of distinct services are searched apart and only what
/// is found is built; files of one service, and a cache file damaged since it was opened, are
/// loaded whole.
pub fn search_files(
    include_builtin: bool,
    paths: &[PathBuf],
    cache: Option<&Path>,
    input: &str,
) -> Result<Found, SearchError> {
    let whole = |catalog: Catalog| -> Result<Found, SearchError> {
        if catalog.is_empty() {
            return Err(SearchError::NoOperations);
        }
        let hits = match crate::search::resolve::call_hits(&catalog, input) {
            Some(hits) => hits,
            None => crate::search::query::search(
                &catalog.services(),
                &SearchIndex::new(&catalog),
                input,
            )
            .map_err(SearchError::Query)?,
        };
        Ok(Found {
            operations: hits
                .iter()
                .map(|h| catalog.operations()[h.index].clone())
                .collect(),
            several_services: catalog.services().len() > 1,
        })
    };
    if crate::search::resolve::as_request(input).is_some() {
        let mut catalog = if include_builtin {
            Catalog::builtin().map_err(|e| SearchError::Load(e.into()))?
        } else {
            Catalog::new()
        };
        crate::load::load_files(&mut catalog, paths, cache).map_err(SearchError::Load)?;
        return whole(catalog);
    }
    let files =
        match SearchableFiles::open(include_builtin, paths, cache).map_err(SearchError::Load)? {
            Searchable::Whole(catalog) => return whole(*catalog),
            Searchable::Apart(files) if files.is_empty() => return Err(SearchError::NoOperations),
            Searchable::Apart(files) => files,
        };
    let hits = crate::search::query::search(&files.services(), files.index(), input)
        .map_err(SearchError::Query)?;
    let found: Vec<usize> = hits.iter().map(|h| h.index).collect();
    let several_services = files.services().len() > 1;
    match files.operations(&found) {
        Some(operations) => Ok(Found {
            operations,
            several_services,
        }),
        // A cache file damaged since it was opened: the catalog whole, that file from its JSON.
        None => whole(files.into_catalog(cache).map_err(SearchError::Load)?),
    }
}

/// What [`SearchableFiles::open`] makes of the files.
pub enum Searchable {
    /// Of distinct services: searched apart.
    Apart(SearchableFiles),
    /// Two of one service: the catalog they make, loaded whole.
    Whole(Box<Catalog>),
}

/// The built-in catalog and catalog files, opened for searching (see the module's doc).
pub struct SearchableFiles {
    files: Vec<File>,
    /// The first operation of each file, in the order given.
    starts: Vec<usize>,
    index: SearchIndex,
}

impl SearchableFiles {
    /// Opens the built-in catalog (with `builtin`) and `paths`, in that order, each through
    /// the cache in `cache` when one is given. The first file (in that order) that cannot be
    /// read or is not a valid catalog, or repeats an id or a route of one before it, is the
    /// error, as for [`Catalog::load_files`].
    pub fn open(
        builtin: bool,
        paths: &[PathBuf],
        cache: Option<&Path>,
    ) -> Result<Searchable, LoadError> {
        let opened = crate::par::par_map(paths, crate::par::threads(usize::MAX), |path| {
            open_file(path, cache)
        });
        let (mut files, mut pieces) = (Vec::new(), Vec::new());
        if builtin {
            let parsed = parse(BUILTIN_ORIGIN, BUILTIN_JSON)?;
            pieces.push(Piece::of(&parsed.info().service, parsed.operations()));
            files.push(File::Parsed(parsed));
        }
        let mut services = std::collections::HashSet::new();
        services.extend(files.iter().map(|f| f.service().to_string()));
        let mut opened = opened.into_iter();
        for result in opened.by_ref() {
            let (file, piece) = result?;
            let repeated = !services.insert(file.service().to_string());
            files.push(file);
            pieces.push(piece);
            if repeated {
                let rest = opened.map(|result| result.map(|(file, _)| file));
                let catalog = whole_catalog(files.into_iter().map(Ok).chain(rest), cache)?;
                return Ok(Searchable::Whole(Box::new(catalog)));
            }
        }
        let mut starts = vec![0];
        for f in &files {
            starts.push(starts[starts.len() - 1] + f.len());
        }
        let index = SearchIndex::from_pieces(pieces);
        Ok(Searchable::Apart(SearchableFiles {
            files,
            starts,
            index,
        }))
    }

    /// The catalog the files make, loaded whole (a cache file found damaged since it was
    /// opened is read from its JSON).
    pub fn into_catalog(self, cache: Option<&Path>) -> Result<Catalog, LoadError> {
        whole_catalog(self.files.into_iter().map(Ok), cache)
    }

    /// Every service, in the order given (as [`Catalog::services`]).
    pub fn services(&self) -> Vec<&str> {
        self.files.iter().map(File::service).collect()
    }

    pub fn len(&self) -> usize {
        self.starts[self.starts.len() - 1]
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The search index of every operation, numbered as a [`Catalog`] of the same files would.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The operations at `indices`, in that order, checked as a catalog's are. `None` when a
    /// cache file turns out damaged (or changed) since it was opened: the caller then loads
    /// the catalog whole ([`SearchableFiles::into_catalog`]).
    pub fn operations(&self, indices: &[usize]) -> Option<Vec<Operation>> {
        let mut out: Vec<Option<Operation>> = vec![None; indices.len()];
        for (f, file) in self.files.iter().enumerate() {
            let (start, end) = (self.starts[f], self.starts[f + 1]);
            let (at, local): (Vec<usize>, Vec<usize>) = indices
                .iter()
                .enumerate()
                .filter(|&(_, &i)| (start..end).contains(&i))
                .map(|(k, &i)| (k, i - start))
                .unzip();
            if at.is_empty() {
                continue;
            }
            let ops = match file {
                File::Parsed(p) => local.iter().map(|&i| p.operations()[i].clone()).collect(),
                File::Cached { origin, opened, .. } => {
                    let doc = CatalogDoc {
                        service: opened.service().to_string(),
                        complete: opened.complete(),
                        source: opened.source().clone(),
                        operations: opened.operations(&local)?,
                    };
                    check_document(origin, doc).ok()?.into_operations()
                }
            };
            for (k, op) in at.into_iter().zip(ops) {
                out[k] = Some(op);
            }
        }
        out.into_iter().collect()
    }
}

/// The catalog `files` make, loaded whole, in order: as in [`Catalog::load_files`], the first
/// failure (a broken file, a repeated id or route) stops everything.
fn whole_catalog(
    files: impl IntoIterator<Item = Result<File, LoadError>>,
    cache: Option<&Path>,
) -> Result<Catalog, LoadError> {
    let mut catalog = Catalog::new();
    for file in files {
        catalog.add(file?.whole(cache)?)?;
    }
    Ok(catalog)
}

/// One catalog file and its search piece: from its cache file when that is good, else from
/// the file parsed (and its cache file written).
fn open_file(path: &Path, cache: Option<&Path>) -> Result<(File, Piece), LoadError> {
    if let Some(dir) = cache
        && let Some(key) = Key::of_file(path)
        && let Some((opened, piece)) = crate::io::cache::open_for_search(dir, &key)
    {
        let file = File::Cached {
            path: path.to_path_buf(),
            origin: crate::io::input::shown_path(path),
            opened: Box::new(opened),
        };
        return Ok((file, piece));
    }
    // No good cache file for searching: the JSON, and the cache file written anew (even if
    // loading the catalog whole could still use it: its searched texts are what is damaged).
    let (parsed, piece) = parse_file_for_search(path, cache)?;
    let piece = piece.unwrap_or_else(|| Piece::of(&parsed.info().service, parsed.operations()));
    Ok((File::Parsed(parsed), piece))
}
