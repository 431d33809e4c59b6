//! The query language: whitespace-separated terms, all of which must match.
//!
//! A bare term fuzzy-matches (skim's algorithm) an operation's Chinese and English names, its
//! actions, its method and its path. Prefixed terms restrict the field (`name:`/`n:`,
//! `action:`/`a:`, `route:`/`r:`/`path:`) or filter exactly (`method:`/`m:`, `scope:ep`,
//! `scope:project`, `service:NAME`, `is:deprecated`, `is:native`). A leading `-` negates a term.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::catalog::route::HTTP_METHODS;
use crate::catalog::{Catalog, Operation};
use crate::par;
use crate::search::fuzzy::Needle;
use crate::text::fold;

/// The prefixes a term may have, as listed in error messages and help.
pub const PREFIXES: &[&str] = &[
    "name:", "n:", "action:", "a:", "route:", "r:", "path:", "method:", "m:", "scope:", "service:",
    "section:", "is:",
];

/// Which texts a fuzzy term is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Names (both languages), actions, method and path.
    Any,
    Name,
    Action,
    Route,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeFilter {
    Project,
    EnterpriseProject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flag {
    Deprecated,
    Native,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Filter {
    /// The needle, folded (full-width forms made half-width).
    Fuzzy(Field, String),
    /// Upper case.
    Method(String),
    Scope(ScopeFilter),
    /// Lower case.
    Service(String),
    /// Folded and lower case; a part of the section's name in either language.
    Section(String),
    Is(Flag),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    pub negated: bool,
    pub filter: Filter,
}

/// A parsed query. The empty query matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub terms: Vec<Term>,
}

/// A query that cannot be parsed; says which term and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub term: String,
    pub reason: QueryReason,
}

/// Why a query term cannot be read (the values as typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryReason {
    UnknownPrefix { prefix: String },
    NoValue { prefix: String },
    UnknownMethod { value: String },
    UnknownScope { value: String },
    UnknownFlag { value: String },
}

impl std::error::Error for QueryError {}

impl Query {
    /// Parses a query. `services` are the loaded services: an unknown prefix that is one of them
    /// (`ims:images`) is a bare term matching actions, not an error.
    pub fn parse(input: &str, services: &[&str]) -> Result<Query, QueryError> {
        let mut terms = Vec::new();
        // A term given twice narrows nothing more: kept once, so 1,000 pasted terms cost what
        // their distinct ones do.
        let mut seen: std::collections::HashSet<Term> = std::collections::HashSet::new();
        for raw in input.split_whitespace() {
            let (negated, body) = match raw.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, raw),
            };
            if body.is_empty() {
                // A lone `-` is a term still being typed.
                continue;
            }
            let err = |reason: QueryReason| QueryError {
                term: raw.to_string(),
                reason,
            };
            let filter = match body.split_once(':') {
                None => fuzzy(Field::Any, body),
                Some((prefix, value)) => {
                    let prefix_lower = prefix.to_ascii_lowercase();
                    let known = PREFIXES.contains(&format!("{prefix_lower}:").as_str());
                    if !known && looks_like_action(prefix, value, services) {
                        fuzzy(Field::Any, body)
                    } else if !known {
                        return Err(err(QueryReason::UnknownPrefix {
                            prefix: prefix.to_string(),
                        }));
                    } else if value.is_empty() {
                        return Err(err(QueryReason::NoValue {
                            prefix: prefix.to_string(),
                        }));
                    } else {
                        parse_prefixed(&prefix_lower, value).map_err(err)?
                    }
                }
            };
            let term = Term { negated, filter };
            if seen.insert(term.clone()) {
                terms.push(term);
            }
        }
        Ok(Query { terms })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

fn fuzzy(field: Field, needle: &str) -> Filter {
    Filter::Fuzzy(field, fold(needle))
}

/// A character folded and lower-cased, as sections are compared.
fn fold_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let f = crate::text::fold_char(c);
    if f.is_ascii() {
        f.to_ascii_lowercase()
    } else {
        f.to_lowercase().next().unwrap_or(f)
    }
}

/// [`fold_lower`] over a string.
fn fold_lower_str(s: &str) -> String {
    s.chars().map(fold_lower).collect()
}

fn looks_like_action(prefix: &str, value: &str, services: &[&str]) -> bool {
    services.contains(&prefix) || (value.contains(':') && crate::catalog::is_kebab_id(prefix))
}

fn parse_prefixed(prefix: &str, value: &str) -> Result<Filter, QueryReason> {
    Ok(match prefix {
        "name" | "n" => fuzzy(Field::Name, value),
        "action" | "a" => fuzzy(Field::Action, value),
        "route" | "r" | "path" => fuzzy(Field::Route, value),
        "method" | "m" => {
            let verb = value.to_ascii_uppercase();
            if !HTTP_METHODS.contains(&verb.as_str()) {
                return Err(QueryReason::UnknownMethod {
                    value: value.to_string(),
                });
            }
            Filter::Method(verb)
        }
        "scope" => match value.to_ascii_lowercase().as_str() {
            "ep" | "enterprise_project" | "enterprise-project" => {
                Filter::Scope(ScopeFilter::EnterpriseProject)
            }
            "project" | "p" => Filter::Scope(ScopeFilter::Project),
            _ => {
                return Err(QueryReason::UnknownScope {
                    value: value.to_string(),
                });
            }
        },
        "service" => Filter::Service(value.to_ascii_lowercase()),
        "section" => Filter::Section(fold_lower_str(value)),
        "is" => match value.to_ascii_lowercase().as_str() {
            "deprecated" => Filter::Is(Flag::Deprecated),
            "native" => Filter::Is(Flag::Native),
            _ => {
                return Err(QueryReason::UnknownFlag {
                    value: value.to_string(),
                });
            }
        },
        _ => unreachable!("prefix checked against PREFIXES"),
    })
}

/// Character positions (not bytes) matched in each field of an operation, for highlighting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlights {
    pub name_zh: Vec<usize>,
    pub name_en: Vec<usize>,
    /// One list per action, in the operation's order.
    pub actions: Vec<Vec<usize>>,
    pub method: Vec<usize>,
    pub path: Vec<usize>,
}

impl Highlights {
    fn merge(target: &mut Vec<usize>, more: &[usize]) {
        target.extend_from_slice(more);
        target.sort_unstable();
        target.dedup();
    }
}

/// One operation that matched, and its score. What to highlight in it is computed on demand
/// ([`SearchIndex::highlights`]), for the rows actually shown: at 100,000 operations most
/// matches are never drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Catalog::operations`].
    pub index: usize,
    pub score: i64,
}

/// Where in an operation a searched text is (for highlighting).
#[derive(Debug, Clone, Copy)]
enum Slot {
    NameZh,
    NameEn,
    Action(usize),
    Method,
    /// Searched, not highlighted: the id is not shown in the table.
    Id,
    Path,
}

/// What an operation does and what it needs first, and what the table says in place of a route
/// or of actions: searched for the term unbroken (a substring, any case), ranked below a name,
/// action or route.
fn prose(op: &Operation) -> impl Iterator<Item = &str> {
    let notes = [&op.route_note, &op.actions_not_documented]
        .into_iter()
        .flatten()
        .flat_map(|t| t.zh.iter().chain(t.en.iter()));
    op.description
        .zh
        .iter()
        .chain(op.description.en.iter())
        .chain(notes)
        .chain(op.prerequisites.iter().flat_map(|p| {
            p.zh.iter().chain(p.en.iter()).chain(
                p.permission
                    .iter()
                    .flat_map(|t| t.zh.iter().chain(t.en.iter())),
            )
        }))
        .map(String::as_str)
}

/// Texts, folded (full-width forms made half-width), one after another in one string, each
/// operation's together: a search reads memory in order instead of chasing hundreds of
/// thousands of separate strings (at 100,000 operations that was most of its time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Texts {
    pub(crate) all: String,
    /// Where text `k` ends in `all` (it starts where `k - 1` ends).
    pub(crate) ends: Vec<u32>,
    /// Where each operation's texts start in `ends`, and one past the last operation's last.
    pub(crate) first: Vec<u32>,
}

impl Texts {
    fn push_op<'a>(&mut self, texts: impl Iterator<Item = &'a str>) {
        for text in texts {
            if text.is_ascii() {
                self.all.push_str(text);
            } else {
                self.all.extend(text.chars().map(crate::text::fold_char));
            }
            // A catalog file is at most 64 MB (`crate::io::input::MAX_INPUT_BYTES`), and these are
            // copies of some of its texts: offsets fit in 32 bits.
            self.ends.push(self.all.len() as u32);
        }
        self.first.push(self.ends.len() as u32);
    }

    /// Text `k`.
    fn text(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        &self.all[start..self.ends[k] as usize]
    }

    /// The texts of operation `op`.
    fn of(&self, op: usize) -> impl Iterator<Item = &str> + Clone {
        (self.first[op] as usize..self.first[op + 1] as usize).map(move |k| self.text(k))
    }

    /// Whether texts read back from elsewhere (a cache file) hold together: `ops` operations,
    /// each with at least `least` texts, every text inside `all` and cut at character
    /// boundaries. Every later use relies on it never to panic.
    pub(crate) fn holds_together(&self, ops: usize, least: usize) -> bool {
        let (first, ends) = (&self.first, &self.ends);
        first.len() == ops + 1
            && first[0] == 0
            && first[ops] as usize == ends.len()
            && first
                .windows(2)
                .all(|w| w[0] as usize + least <= w[1] as usize)
            && ends.windows(2).all(|w| w[0] <= w[1])
            && ends.last().is_none_or(|&e| e as usize == self.all.len())
            && ends.iter().all(|&e| self.all.is_char_boundary(e as usize))
    }

    /// The texts `texts_of` gives each of `ops`, in memory of the exact size (grown by
    /// doubling, a quarter of it went unused on average: megabytes at 100,000 operations).
    fn of_ops<'a, I: Iterator<Item = &'a str>>(
        ops: &'a [Operation],
        texts_of: impl Fn(&'a Operation) -> I,
    ) -> Texts {
        let (mut bytes, mut count) = (0, 0);
        for text in ops.iter().flat_map(&texts_of) {
            bytes += text.len();
            count += 1;
        }
        let mut texts = Texts {
            // Folding only shortens a text (full-width forms are 3 bytes, ASCII 1).
            all: String::with_capacity(bytes),
            ends: Vec::with_capacity(count),
            first: Vec::with_capacity(ops.len() + 1),
        };
        texts.first.push(0);
        for op in ops {
            texts.push_op(texts_of(op));
        }
        texts
    }
}

/// What an operation is searched in by its fields.
fn field_texts(op: &Operation) -> impl Iterator<Item = &str> {
    [
        op.name.zh.as_deref().unwrap_or(""),
        op.name.en.as_deref().unwrap_or(""),
    ]
    .into_iter()
    .chain(op.actions.iter().map(|a| a.action.as_ref()))
    .chain([op.method(), op.id.as_str(), op.path()])
}

/// The fewest texts [`field_texts`] gives an operation: names, method, id and path.
pub(crate) const LEAST_FIELDS: usize = 5;

/// [`Piece::flags`] bits.
pub(crate) const HAS_SCOPES: u8 = 1;
pub(crate) const PROJECT: u8 = 2;
pub(crate) const ENTERPRISE_PROJECT: u8 = 4;
pub(crate) const DEPRECATED: u8 = 8;
pub(crate) const NATIVE: u8 = 16;
/// [`Piece::section`] for an operation filed in no section.
pub(crate) const NO_SECTION: u32 = u32::MAX;

/// What a search needs of a run of operations from one catalog file, in order: the texts it
/// matches, and what the exact filters look at. Made from the operations, or read back from
/// the cache ([`crate::io::cache`]), so that `search` need not build the operations themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub(crate) service: String,
    /// Each operation's names, actions, method, id and path ([`Hay::texts`]).
    pub(crate) fields: Texts,
    /// Each operation's prose ([`prose`]).
    pub(crate) prose: Texts,
    /// Each operation's scopes and flags ([`HAS_SCOPES`] and the rest).
    pub(crate) flags: Vec<u8>,
    /// Each operation's section, a place in `sections`, or [`NO_SECTION`].
    pub(crate) section: Vec<u32>,
    /// The sections named, in both languages, folded and lower-cased ([`fold_lower_str`]).
    pub(crate) sections: Vec<Vec<String>>,
}

impl Piece {
    /// The piece for `ops`, all of `service`.
    pub fn of(service: &str, ops: &[Operation]) -> Piece {
        let mut sections: Vec<Vec<String>> = Vec::new();
        // By value: a catalog can name thousands of sections.
        let mut known: std::collections::HashMap<&crate::lang::LocalText, u32> = Default::default();
        let section = ops
            .iter()
            .map(|op| match &op.section {
                None => NO_SECTION,
                Some(s) => match known.get(&**s) {
                    Some(&at) => at,
                    None => {
                        known.insert(s, sections.len() as u32);
                        sections.push(
                            [s.zh.as_deref(), s.en.as_deref()]
                                .into_iter()
                                .flatten()
                                .map(fold_lower_str)
                                .collect(),
                        );
                        (sections.len() - 1) as u32
                    }
                },
            })
            .collect();
        let flags = ops
            .iter()
            .map(|op| {
                let scopes = op.scopes.map_or(0, |s| {
                    HAS_SCOPES
                        | if s.project { PROJECT } else { 0 }
                        | if s.enterprise_project {
                            ENTERPRISE_PROJECT
                        } else {
                            0
                        }
                });
                scopes
                    | if op.deprecated { DEPRECATED } else { 0 }
                    | if op.openstack_native { NATIVE } else { 0 }
            })
            .collect();
        Piece {
            service: service.to_string(),
            fields: Texts::of_ops(ops, field_texts),
            prose: Texts::of_ops(ops, prose),
            flags,
            section,
            sections,
        }
    }

    /// How many operations.
    pub fn len(&self) -> usize {
        self.flags.len()
    }

    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    /// Whether a piece read back from elsewhere holds together (see [`Texts::holds_together`]).
    pub(crate) fn holds_together(&self) -> bool {
        let n = self.flags.len();
        self.fields.holds_together(n, LEAST_FIELDS)
            && self.prose.holds_together(n, 0)
            && self.section.len() == n
            && self
                .section
                .iter()
                .all(|&s| s == NO_SECTION || (s as usize) < self.sections.len())
            && self.flags.iter().all(|&f| {
                f < 32 && (f & HAS_SCOPES != 0 || f & (PROJECT | ENTERPRISE_PROJECT) == 0)
            })
    }
}

/// One operation's searched texts: its names (Chinese, English), actions, method, id and
/// path, in that order, and its prose; and what the exact filters look at.
#[derive(Clone, Copy)]
struct Hay<'a> {
    piece: &'a Piece,
    /// The operation's place in `piece`.
    op: usize,
}

impl<'a> Hay<'a> {
    /// How many actions the operation has.
    fn actions(self) -> usize {
        let texts = &self.piece.fields.first;
        (texts[self.op + 1] - texts[self.op]) as usize - LEAST_FIELDS
    }

    fn method(self) -> &'a str {
        let fields = &self.piece.fields;
        fields.text(fields.first[self.op] as usize + 2 + self.actions())
    }

    fn flag(self, bit: u8) -> bool {
        self.piece.flags[self.op] & bit != 0
    }

    /// Calls `each` with every text a term on `field` searches, folded.
    fn texts(self, field: Field, mut each: impl FnMut(Slot, &'a str)) {
        let actions = self.actions();
        for (k, text) in self.piece.fields.of(self.op).enumerate() {
            let slot = match k {
                0 => Slot::NameZh,
                1 => Slot::NameEn,
                k if k < 2 + actions => Slot::Action(k - 2),
                k if k == 2 + actions => Slot::Method,
                k if k == 3 + actions => Slot::Id,
                _ => Slot::Path,
            };
            let wanted = match slot {
                Slot::NameZh | Slot::NameEn => matches!(field, Field::Any | Field::Name),
                Slot::Action(_) => matches!(field, Field::Any | Field::Action),
                Slot::Method | Slot::Id => field == Field::Any,
                Slot::Path => matches!(field, Field::Any | Field::Route),
            };
            if wanted {
                each(slot, text);
            }
        }
    }

    /// The term in the prose, or in the name of the operation's section (either language:
    /// `共享` finds every sharing operation, not only those whose names say it).
    fn prose_has(self, needle: &Needle) -> bool {
        self.piece
            .prose
            .of(self.op)
            .any(|text| needle.found_in(text))
            || match self.piece.section[self.op] {
                NO_SECTION => false,
                at => self.piece.sections[at as usize]
                    .iter()
                    .any(|name| needle.found_in(name)),
            }
    }
}

/// A query's terms, ready to match: fuzzy needles prepared once.
struct Prepared<'q> {
    terms: Vec<(bool, PreparedFilter<'q>)>,
}

enum PreparedFilter<'q> {
    Fuzzy(Field, Box<Needle>),
    Exact(&'q Filter),
}

impl<'q> Prepared<'q> {
    /// The fuzzy terms that add to the score (negated ones only exclude).
    fn positive_needles(&self) -> impl Iterator<Item = (Field, &Needle)> {
        self.terms.iter().filter_map(|(negated, f)| match f {
            PreparedFilter::Fuzzy(field, needle) if !negated => Some((*field, &**needle)),
            _ => None,
        })
    }

    fn of(query: &'q Query) -> Prepared<'q> {
        Prepared {
            terms: query
                .terms
                .iter()
                .map(|t| {
                    let f = match &t.filter {
                        Filter::Fuzzy(field, folded) => {
                            PreparedFilter::Fuzzy(*field, Box::new(Needle::new(folded)))
                        }
                        other => PreparedFilter::Exact(other),
                    };
                    (t.negated, f)
                })
                .collect(),
        }
    }
}

/// A catalog prepared for searching.
pub struct SearchIndex {
    /// The operations' search data, a run of them at a time.
    pieces: Vec<Piece>,
    /// The first operation of each piece, and one past the last operation.
    starts: Vec<usize>,
}

/// Added to a fuzzy score when the needle is found unbroken in the field.
const CONTIGUOUS_BONUS: i64 = 1_000;
/// The score of a word found in what an operation does or needs first.
const PROSE_SCORE: i64 = CONTIGUOUS_BONUS / 2;

/// Below this many candidates one thread is faster than two.
const PARALLEL_FROM: usize = 8_000;

/// How many candidates [`SearchIndex::rank`] bounds closer at a time, and from how many on it
/// uses all cores for them.
const REFINE_BATCH: usize = 2_048;
const PARALLEL_REFINE_FROM: usize = 512;

/// One match in ranking order: higher scores first, then catalog order.
/// 32 bits each: a query's matches are kept for the last few queries, and at 100,000 matches
/// every byte per match counts.
type Entry = (i32, std::cmp::Reverse<u32>);

/// A match not yet scored, by the highest score it could have; `true` once that bound is the
/// close one ([`Needle::close_bound`]).
type Bounded = (i32, std::cmp::Reverse<u32>, bool);

/// A score or bound as kept in [`Results`]: scores are far from 2^31, and rounding a bound up
/// keeps it a bound.
fn small(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX })
}

/// A query's matches, ranked as far as asked ([`SearchIndex::rank`]). Finding the matches is
/// cheap (skim's own first test, done without skim); scoring them with skim is not, so they
/// are scored best bound first and only until the next one to show is known: the first
/// screenful of 100,000 matches costs a few hundred skim calls, not 300,000.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// The best matches, in order, with their scores.
    ranked: Vec<Hit>,
    /// Scored, not yet known to come next.
    scored: std::collections::BinaryHeap<Entry>,
    /// Not yet scored, by the highest score each could have.
    bounded: std::collections::BinaryHeap<Bounded>,
    /// The query they answer (to score more); `None` when they came from elsewhere.
    query: Option<Query>,
    /// Every match, in catalog order.
    matched: Vec<u32>,
    /// Each match's bound for each term (`query.terms.len()` a match), so that a query that
    /// only grows works out only the terms that changed.
    term_bounds: Vec<i32>,
}

impl Results {
    /// Results already in their order (a looked-up API call's operations).
    pub fn from_hits(hits: Vec<Hit>) -> Results {
        let mut matched: Vec<u32> = hits.iter().map(|h| h.index as u32).collect();
        matched.sort_unstable();
        Results {
            ranked: hits,
            matched,
            ..Results::default()
        }
    }

    /// How many operations matched.
    pub fn len(&self) -> usize {
        self.ranked.len() + self.scored.len() + self.bounded.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The best matches in order, as many as ranked so far.
    pub fn ranked(&self) -> &[Hit] {
        &self.ranked
    }

    pub fn is_fully_ranked(&self) -> bool {
        self.ranked.len() == self.len()
    }

    /// Every matching operation (catalog indices, in catalog order).
    pub fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.matched.iter().map(|&i| i as usize)
    }

    /// All hits, best first.
    pub fn into_hits(self) -> Vec<Hit> {
        debug_assert!(self.is_fully_ranked());
        self.ranked
    }
}

impl SearchIndex {
    /// The index of a loaded catalog: a piece per catalog file, cut smaller to be built on all
    /// cores.
    pub fn new(catalog: &Catalog) -> SearchIndex {
        let ops = catalog.operations();
        let threads = if ops.len() >= PARALLEL_FROM {
            par::threads(4)
        } else {
            1
        };
        let most = ops.len().div_ceil(threads * 4).max(1);
        let mut runs = Vec::new();
        let mut start = 0;
        for info in catalog.catalogs() {
            let end = start + info.operations;
            for r in par::ranges(info.operations, info.operations.div_ceil(most)) {
                runs.push((info.service.as_str(), start + r.start..start + r.end));
            }
            start = end;
        }
        SearchIndex::from_pieces(par::par_map(&runs, threads, |(service, r)| {
            Piece::of(service, &ops[r.clone()])
        }))
    }

    /// The index of the operations of `pieces`, one after another.
    pub fn from_pieces(pieces: Vec<Piece>) -> SearchIndex {
        let pieces: Vec<Piece> = pieces.into_iter().filter(|p| !p.is_empty()).collect();
        let mut starts = vec![0];
        for p in &pieces {
            starts.push(starts[starts.len() - 1] + p.len());
        }
        SearchIndex { pieces, starts }
    }

    /// How many operations.
    pub fn len(&self) -> usize {
        self.starts[self.starts.len() - 1]
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn hay(&self, op: usize) -> Hay<'_> {
        let at = self.starts.partition_point(|&s| s <= op) - 1;
        Hay {
            piece: &self.pieces[at],
            op: op - self.starts[at],
        }
    }

    /// Every operation matching all terms, best score first, ties in catalog order. The empty
    /// query gives every operation in catalog order.
    pub fn search(&self, query: &Query) -> Vec<Hit> {
        self.search_all(query, None)
    }

    /// [`SearchIndex::search`] among the matches of a query `query` narrows (see
    /// [`Query::narrows`]): the same results, found sooner.
    pub fn search_within(&self, query: &Query, previous: &Results) -> Vec<Hit> {
        self.search_all(query, Some(previous))
    }

    fn search_all(&self, query: &Query, previous: Option<&Results>) -> Vec<Hit> {
        self.ranked_results(query, previous).into_hits()
    }

    /// [`SearchIndex::matches`] ranked in full, at once (with `previous` as there).
    pub fn ranked_results(&self, query: &Query, previous: Option<&Results>) -> Results {
        let mut results = self
            .matches(query, previous, None)
            .expect("not cancellable");
        self.rank(&mut results, usize::MAX);
        results
    }

    /// The operations matching `query`, not yet ranked; `None` when `cancel` was set meanwhile
    /// (the explorer drops a search the user has typed past). With `previous`, the results of a
    /// query that `query` narrows, only those are looked at, and only the terms that changed.
    pub fn matches(
        &self,
        query: &Query,
        previous: Option<&Results>,
        cancel: Option<&AtomicBool>,
    ) -> Option<Results> {
        let prepared = Prepared::of(query);
        let terms = query.terms.len();
        // The leading terms the previous query had too: their bounds are known.
        let previous = previous.and_then(|p| {
            let old = p.query.as_ref()?;
            debug_assert!(query.narrows(old), "{query:?} does not narrow {old:?}");
            let same = old
                .terms
                .iter()
                .zip(&query.terms)
                .take_while(|(a, b)| a == b);
            Some((p, old.terms.len(), same.count()))
        });
        let known = previous.map_or(0, |(_, _, same)| same);
        let total = previous.map_or(self.len(), |(p, _, _)| p.matched.len());
        let threads = if total >= PARALLEL_FROM {
            par::threads(4)
        } else {
            1
        };
        let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
        let run = |range: &std::ops::Range<usize>| -> Option<(Vec<u32>, Vec<i32>)> {
            let (mut matched, mut bounds) = (Vec::new(), Vec::new());
            for k in range.clone() {
                if k % 1024 == 0 && cancelled() {
                    return None;
                }
                let (index, old) = match previous {
                    Some((p, width, _)) => {
                        (p.matched[k] as usize, &p.term_bounds[k * width..][..known])
                    }
                    None => (k, &[][..]),
                };
                let start = bounds.len();
                bounds.extend_from_slice(old);
                let hay = self.hay(index);
                let all = prepared.terms[known..]
                    .iter()
                    .all(|term| match term_bound(hay, term) {
                        Some(b) => {
                            bounds.push(small(b));
                            true
                        }
                        None => false,
                    });
                if all {
                    matched.push(index as u32);
                } else {
                    bounds.truncate(start);
                }
            }
            Some((matched, bounds))
        };
        let mut matched = Vec::with_capacity(total);
        let mut term_bounds = Vec::with_capacity(total * terms);
        // In many pieces: a core busy with something else (the terminal) then holds back only
        // its piece, the other core takes the rest.
        for part in par::par_map(&par::ranges(total, threads * 8), threads, run) {
            let (m, b) = part?;
            matched.extend(m);
            term_bounds.extend(b);
        }
        if cancelled() {
            return None;
        }
        let bounded: Vec<Bounded> = matched
            .iter()
            .enumerate()
            .map(|(k, &index)| {
                let bound: i64 = term_bounds[k * terms..][..terms]
                    .iter()
                    .map(|&b| i64::from(b))
                    .sum();
                (small(bound), std::cmp::Reverse(index), false)
            })
            .collect();
        Some(Results {
            bounded: bounded.into(),
            query: Some(query.clone()),
            matched,
            term_bounds,
            ..Results::default()
        })
    }

    /// Ranks `results` until their best `upto` are known (all of them for `usize::MAX`).
    pub fn rank(&self, results: &mut Results, upto: usize) {
        let upto = upto.min(results.len());
        if results.ranked.len() >= upto {
            return;
        }
        let Some(query) = results.query.clone() else {
            return;
        };
        let prepared = Prepared::of(&query);
        let score = |index: u32| small(self.score(self.hay(index as usize), &prepared));
        if upto == results.len() && results.bounded.len() >= PARALLEL_FROM {
            // Everything: score the rest on all cores, then sort.
            let rest = std::mem::take(&mut results.bounded).into_vec();
            let threads = par::threads(4);
            let scored = par::par_map(&par::ranges(rest.len(), threads), threads, |r| {
                rest[r.clone()]
                    .iter()
                    .map(|&(_, i, _)| (score(i.0), i))
                    .collect::<Vec<Entry>>()
            });
            results.scored.extend(scored.into_iter().flatten());
        }
        while results.ranked.len() < upto {
            // The best scored match comes next unless an unscored one could still beat it.
            let next_bounded = results.bounded.peek().copied();
            match (results.scored.peek().copied(), next_bounded) {
                (best, Some((bound, index, true))) if best.is_none_or(|b| (bound, index) > b) => {
                    results.bounded.pop();
                    let s = score(index.0);
                    debug_assert!(s <= bound, "{s} above its bound {bound}");
                    results.scored.push((s, index));
                }
                (best, Some((bound, index, false))) if best.is_none_or(|b| (bound, index) > b) => {
                    // First a closer bound: most candidates fall behind with it, unscored. Many
                    // alike candidates at once are bounded on all cores.
                    let mut batch = Vec::new();
                    while let Some(&(bound, index, false)) = results.bounded.peek() {
                        if batch.len() == REFINE_BATCH || best.is_some_and(|b| (bound, index) <= b)
                        {
                            break;
                        }
                        results.bounded.pop();
                        batch.push((bound, index));
                    }
                    let refine = |part: &[(i32, std::cmp::Reverse<u32>)]| -> Vec<Bounded> {
                        part.iter()
                            .map(|&(bound, index)| {
                                let i = index.0 as usize;
                                let closer = small(self.close_bound(self.hay(i), &prepared));
                                debug_assert!(closer <= bound, "{closer} above {bound}");
                                (closer, index, true)
                            })
                            .collect()
                    };
                    if batch.len() >= PARALLEL_REFINE_FROM {
                        let threads = par::threads(4);
                        let parts = par::ranges(batch.len(), threads);
                        for part in par::par_map(&parts, threads, |r| refine(&batch[r.clone()])) {
                            results.bounded.extend(part);
                        }
                    } else {
                        results.bounded.extend(refine(&batch));
                    }
                }
                (Some(best), _) => {
                    results.scored.pop();
                    results.ranked.push(Hit {
                        index: best.1.0 as usize,
                        score: i64::from(best.0),
                    });
                }
                (None, _) => break,
            }
        }
    }

    /// The close bound of an operation that matches: for each positive fuzzy term, its best
    /// text's [`Needle::close_bound`], or a word in the prose.
    fn close_bound(&self, hay: Hay, prepared: &Prepared) -> i64 {
        best_per_term(hay, prepared, |needle, text, bonus, _| {
            Some(needle.close_bound(text) + bonus)
        })
    }

    /// The score of an operation that matches (see [`term_bound`]): each positive fuzzy term's
    /// best text by skim, asked only about texts whose close bound could beat the best so far.
    fn score(&self, hay: Hay, prepared: &Prepared) -> i64 {
        best_per_term(hay, prepared, |needle, text, bonus, best| {
            if best.is_some_and(|b| b >= needle.close_bound(text) + bonus) {
                return None;
            }
            crate::search::fuzzy::score(text, needle).map(|s| s + bonus)
        })
    }

    /// The characters to highlight in one operation for the query (positive terms only).
    pub fn highlights(&self, query: &Query, index: usize) -> Highlights {
        let hay = self.hay(index);
        let mut all = Highlights {
            actions: vec![Vec::new(); hay.actions()],
            ..Highlights::default()
        };
        let prepared = Prepared::of(query);
        for (negated, filter) in &prepared.terms {
            if *negated {
                continue;
            }
            match filter {
                PreparedFilter::Fuzzy(field, needle) => hay.texts(*field, |slot, text| {
                    if needle.probe(text).is_none() {
                        return;
                    }
                    let Some((_, positions)) = crate::search::fuzzy::positions(text, needle) else {
                        return;
                    };
                    let target = match slot {
                        Slot::NameZh => &mut all.name_zh,
                        Slot::NameEn => &mut all.name_en,
                        Slot::Action(k) => &mut all.actions[k],
                        Slot::Method => &mut all.method,
                        Slot::Path => &mut all.path,
                        Slot::Id => return,
                    };
                    Highlights::merge(target, &positions);
                }),
                PreparedFilter::Exact(Filter::Method(verb)) if hay.method() == *verb => {
                    all.method = (0..hay.method().chars().count()).collect();
                }
                PreparedFilter::Exact(_) => {}
            }
        }
        all
    }
}

/// The highest score a term can add to `op`'s, or `None` when it excludes `op`: exactly skim's
/// verdict, without skim. Terms that only filter (and negated ones) add 0.
fn term_bound(hay: Hay, (negated, filter): &(bool, PreparedFilter)) -> Option<i64> {
    let found = match filter {
        PreparedFilter::Exact(filter) => exact_match(hay, filter).then_some(0),
        PreparedFilter::Fuzzy(field, needle) => {
            let mut best: Option<i64> = None;
            hay.texts(*field, |_, text| {
                if let Some(p) = needle.probe(text) {
                    let b = p.bound + contiguous_bonus(p.contiguous);
                    best = Some(best.map_or(b, |x| x.max(b)));
                }
            });
            match best {
                None => (*field == Field::Any && hay.prose_has(needle)).then_some(PROSE_SCORE),
                // Perhaps a word in the prose: at most that.
                Some(b) if *field == Field::Any => Some(b.max(PROSE_SCORE)),
                some => some,
            }
        }
    };
    match (found, negated) {
        (Some(b), false) => Some(b),
        (None, true) => Some(0),
        _ => None,
    }
}

/// For each positive fuzzy term of an operation that matches, the best `value` of a text it
/// matches (`value` gets the needle, the text, the bonus for the needle unbroken in it, and the
/// best so far; texts come highest [`crate::search::fuzzy::Probe::bound`] first, and stop coming once
/// none can beat the best), or [`PROSE_SCORE`] for a word in what it does or needs first (`obs`
/// finds the operations needing OBS permissions: below the word in a name, action or route,
/// above letters scattered through one); summed over the terms.
fn best_per_term(
    hay: Hay,
    prepared: &Prepared,
    value: impl Fn(&Needle, &str, i64, Option<i64>) -> Option<i64>,
) -> i64 {
    let mut total = 0;
    let mut found = Vec::new();
    for (field, needle) in prepared.positive_needles() {
        matched_texts(hay, field, needle, &mut found);
        let mut best: Option<i64> = None;
        for &(loose, contiguous, text) in &found {
            if best.is_some_and(|b| b >= loose) {
                break;
            }
            if let Some(v) = value(needle, text, contiguous_bonus(contiguous), best) {
                best = Some(best.map_or(v, |b| b.max(v)));
            }
        }
        if field == Field::Any && best.is_none_or(|b| b < PROSE_SCORE) && hay.prose_has(needle) {
            best = Some(PROSE_SCORE);
        }
        total += best.unwrap_or(0);
    }
    total
}

/// The word itself in a name, action or route ranks above letters scattered through another
/// field ("share" in ims:images:share, not s…h…a…r…e across "Creating a Full-ECS Image").
fn contiguous_bonus(contiguous: bool) -> i64 {
    if contiguous { CONTIGUOUS_BONUS } else { 0 }
}

/// The texts of `op` a term on `field` matches, highest [`crate::search::fuzzy::Probe::bound`] first (with the
/// bonus for the needle unbroken), each with whether it is unbroken.
fn matched_texts<'a>(
    hay: Hay<'a>,
    field: Field,
    needle: &Needle,
    found: &mut Vec<(i64, bool, &'a str)>,
) {
    found.clear();
    hay.texts(field, |_, text| {
        if let Some(p) = needle.probe(text) {
            found.push((p.bound + contiguous_bonus(p.contiguous), p.contiguous, text));
        }
    });
    found.sort_unstable_by_key(|f| std::cmp::Reverse(f.0));
}

/// Whether an exact (non-fuzzy) filter holds for the operation.
fn exact_match(hay: Hay, filter: &Filter) -> bool {
    match filter {
        Filter::Fuzzy(..) => unreachable!("fuzzy terms are matched by their needle"),
        Filter::Method(verb) => hay.method() == verb,
        Filter::Scope(ScopeFilter::Project) => hay.flag(PROJECT),
        Filter::Scope(ScopeFilter::EnterpriseProject) => hay.flag(ENTERPRISE_PROJECT),
        Filter::Service(name) => hay.piece.service.eq_ignore_ascii_case(name),
        Filter::Section(part) => match hay.piece.section[hay.op] {
            NO_SECTION => false,
            at => hay.piece.sections[at as usize]
                .iter()
                .any(|t| t.contains(part.as_str())),
        },
        Filter::Is(Flag::Deprecated) => hay.flag(DEPRECATED),
        Filter::Is(Flag::Native) => hay.flag(NATIVE),
    }
}

impl Query {
    /// Whether every operation matching `self` also matches `previous`, so `self` can be
    /// searched among `previous`'s results: the same terms, the last one perhaps extended
    /// (a positive fuzzy term whose needle only grew), and perhaps more terms after it.
    pub fn narrows(&self, previous: &Query) -> bool {
        let n = previous.terms.len();
        if self.terms.len() < n {
            return false;
        }
        for (k, (old, new)) in previous.terms.iter().zip(&self.terms).enumerate() {
            if old == new {
                continue;
            }
            let extended = k + 1 == n
                && !old.negated
                && !new.negated
                && matches!((&old.filter, &new.filter),
                    (Filter::Fuzzy(f1, a), Filter::Fuzzy(f2, b)) if f1 == f2 && b.starts_with(a.as_str()));
            if !extended {
                return false;
            }
        }
        true
    }
}

/// Parses `input` (with the services loaded: [`Query::parse`]) and searches `index`: the one
/// call `search` makes over a whole catalog and over files searched apart.
pub fn search(services: &[&str], index: &SearchIndex, input: &str) -> Result<Vec<Hit>, QueryError> {
    let query = Query::parse(input, services)?;
    Ok(index.search(&query))
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
