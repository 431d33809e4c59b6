//! Catalog files opened for one search, without building their operations: `ims-perms search`
//! over 100,000 operations reads each file's search piece from the cache ([`crate::cache`]),
//! searches it, and decodes only the operations it found. Building all of them (a [`Catalog`](crate::catalog::Catalog))
//! took most of its time.
//!
//! Only for files that can be searched apart: when two of them (or one and the built-in
//! catalog) are of the same service, an id or a route could repeat across them, which only
//! loading them whole finds ([`Catalog::add`](crate::catalog::Catalog::add)); [`SearchableFiles::open`] says so and the
//! caller loads a [`Catalog`](crate::catalog::Catalog). A file with no good cache file is parsed as it would be for a
//! [`Catalog`](crate::catalog::Catalog) (and its cache file written); errors are the same, for the same first file.

use std::path::{Path, PathBuf};

use crate::cache::{Key, Opened};
use crate::catalog::{
    BUILTIN_JSON, BUILTIN_ORIGIN, CatalogDoc, CatalogError, Operation, ParsedCatalog,
    check_document, parse, parse_file,
};
use crate::query::{Piece, SearchIndex};

/// One catalog file, opened for searching.
enum File {
    /// Parsed whole (the built-in catalog, or a file with no good cache file).
    Parsed(ParsedCatalog),
    /// Its cache file, operations still unread. `origin` names it in errors.
    Cached { origin: String, opened: Box<Opened> },
}

impl File {
    fn service(&self) -> &str {
        match self {
            File::Parsed(p) => &p.info().service,
            File::Cached { opened, .. } => &opened.service,
        }
    }

    fn len(&self) -> usize {
        match self {
            File::Parsed(p) => p.operations().len(),
            File::Cached { opened, .. } => opened.len(),
        }
    }
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
    /// the cache in `cache` when one is given. `Ok(None)` when two are of the same service: the
    /// caller then loads a [`Catalog`](crate::catalog::Catalog). The first file (in that order) that cannot be read or
    /// is not a valid catalog is the error, as for [`Catalog::load_files`](crate::catalog::Catalog::load_files).
    pub fn open(
        builtin: bool,
        paths: &[PathBuf],
        cache: Option<&Path>,
    ) -> Result<Option<SearchableFiles>, CatalogError> {
        let opened = crate::par::par_map(paths, crate::par::threads(usize::MAX), |path| {
            open_file(path, cache)
        });
        let (mut files, mut pieces) = (Vec::new(), Vec::new());
        if builtin {
            let parsed = parse(BUILTIN_ORIGIN, BUILTIN_JSON)?;
            pieces.push(Piece::of(&parsed.info().service, parsed.operations()));
            files.push(File::Parsed(parsed));
        }
        for file in opened {
            let (file, piece) = file?;
            files.push(file);
            pieces.push(piece);
        }
        let mut services: Vec<&str> = files.iter().map(File::service).collect();
        services.sort_unstable();
        if services.windows(2).any(|w| w[0] == w[1]) {
            return Ok(None);
        }
        let mut starts = vec![0];
        for f in &files {
            starts.push(starts[starts.len() - 1] + f.len());
        }
        let index = SearchIndex::from_pieces(pieces);
        Ok(Some(SearchableFiles {
            files,
            starts,
            index,
        }))
    }

    /// Every service, in the order given (as [`Catalog::services`](crate::catalog::Catalog::services)).
    pub fn services(&self) -> Vec<&str> {
        self.files.iter().map(File::service).collect()
    }

    pub fn len(&self) -> usize {
        self.starts[self.starts.len() - 1]
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The search index of every operation, numbered as a [`Catalog`](crate::catalog::Catalog) of the same files would.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The operations at `indices`, in that order, checked as a catalog's are. `None` when a
    /// cache file turns out damaged (or changed) since it was opened: the caller then loads a
    /// [`Catalog`](crate::catalog::Catalog), which reads the JSON instead.
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
                File::Cached { origin, opened } => {
                    let doc = CatalogDoc {
                        service: opened.service.clone(),
                        source: opened.source.clone(),
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

/// One catalog file and its search piece: from its cache file when that is good, else from
/// the file parsed (and its cache file written).
fn open_file(path: &Path, cache: Option<&Path>) -> Result<(File, Piece), CatalogError> {
    if let Some(dir) = cache
        && let Some(key) = Key::of_file(path)
        && let Some((opened, piece)) = crate::cache::open_for_search(dir, &key)
    {
        let origin = crate::input::shown_path(path);
        let opened = Box::new(opened);
        return Ok((File::Cached { origin, opened }, piece));
    }
    // No good cache file for searching: the JSON, and the cache file written anew (even if
    // loading the catalog whole could still use it: its searched texts are what is damaged).
    let parsed = parse_file(path, cache)?;
    let piece = Piece::of(&parsed.info().service, parsed.operations());
    Ok((File::Parsed(parsed), piece))
}
