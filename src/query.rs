//! The query language: whitespace-separated terms, all of which must match.
//!
//! A bare term fuzzy-matches (skim's algorithm) an operation's Chinese and English names, its
//! actions, its method and its path. Prefixed terms restrict the field (`name:`/`n:`,
//! `action:`/`a:`, `route:`/`r:`/`path:`) or filter exactly (`method:`/`m:`, `scope:ep`,
//! `scope:project`, `service:NAME`, `is:deprecated`, `is:native`). A leading `-` negates a term.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::catalog::{Catalog, Operation};
use crate::par;
use crate::route::HTTP_METHODS;
use crate::text::{escape_controls, fold};

/// The prefixes a term may have, as listed in error messages and help.
pub const PREFIXES: &[&str] = &[
    "name:", "n:", "action:", "a:", "route:", "r:", "path:", "method:", "m:", "scope:", "service:",
    "section:", "is:",
];

/// Which texts a fuzzy term is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Names (both languages), actions, method and path.
    Any,
    Name,
    Action,
    Route,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeFilter {
    Project,
    EnterpriseProject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Deprecated,
    Native,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// The needle, folded (full-width forms made half-width), and that lower-cased (for the
    /// cheap check that comes before skim's scoring).
    Fuzzy(Field, String, String),
    /// Upper case.
    Method(String),
    Scope(ScopeFilter),
    /// Lower case.
    Service(String),
    /// Folded and lower case; a part of the section's name in either language.
    Section(String),
    Is(Flag),
}

#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Both parts quote what was typed: shortened and escaped.
        write!(
            f,
            "in `{}`: {}",
            escape_controls(&crate::text::shorten(&self.term, 80)),
            escape_controls(&crate::text::shorten(&self.message, 300))
        )
    }
}

impl std::error::Error for QueryError {}

impl Query {
    /// Parses a query. `services` are the loaded services: an unknown prefix that is one of them
    /// (`ims:images`) is a bare term matching actions, not an error.
    pub fn parse(input: &str, services: &[&str]) -> Result<Query, QueryError> {
        let mut terms = Vec::new();
        for raw in input.split_whitespace() {
            let (negated, body) = match raw.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, raw),
            };
            if body.is_empty() {
                // A lone `-` is a term still being typed.
                continue;
            }
            let err = |message: String| QueryError {
                term: raw.to_string(),
                message,
            };
            let filter = match body.split_once(':') {
                None => fuzzy(Field::Any, body),
                Some((prefix, value)) => {
                    let prefix_lower = prefix.to_ascii_lowercase();
                    let known = PREFIXES.contains(&format!("{prefix_lower}:").as_str());
                    if !known && looks_like_action(prefix, value, services) {
                        fuzzy(Field::Any, body)
                    } else if !known {
                        return Err(err(format!(
                            "unknown prefix `{prefix}:`; known prefixes: {}",
                            PREFIXES.join(" ")
                        )));
                    } else if value.is_empty() {
                        return Err(err(format!("`{prefix}:` needs a value")));
                    } else {
                        parse_prefixed(&prefix_lower, value).map_err(err)?
                    }
                }
            };
            terms.push(Term { negated, filter });
        }
        Ok(Query { terms })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

fn fuzzy(field: Field, needle: &str) -> Filter {
    let folded = fold(needle);
    let lower = folded.chars().map(fold_lower).collect();
    Filter::Fuzzy(field, folded, lower)
}

/// A character folded and lower-cased, as the cheap pre-check compares them.
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

/// Whether `needle_lower`'s characters appear in order in `text` (folded and lower-cased on
/// the fly). Skim matches a field only if this holds, and this is much cheaper to find out.
fn holds(needle_lower: &str, text: &str) -> bool {
    let mut hay = text.chars().map(fold_lower);
    needle_lower.chars().all(|n| hay.any(|h| h == n))
}

fn looks_like_action(prefix: &str, value: &str, services: &[&str]) -> bool {
    services.contains(&prefix) || (value.contains(':') && crate::catalog::is_kebab_id(prefix))
}

fn parse_prefixed(prefix: &str, value: &str) -> Result<Filter, String> {
    Ok(match prefix {
        "name" | "n" => fuzzy(Field::Name, value),
        "action" | "a" => fuzzy(Field::Action, value),
        "route" | "r" | "path" => fuzzy(Field::Route, value),
        "method" | "m" => {
            let verb = value.to_ascii_uppercase();
            if !HTTP_METHODS.contains(&verb.as_str()) {
                return Err(format!(
                    "unknown method `{value}`; expected one of {}",
                    HTTP_METHODS.join(", ")
                ));
            }
            Filter::Method(verb)
        }
        "scope" => match value.to_ascii_lowercase().as_str() {
            "ep" | "enterprise_project" | "enterprise-project" => {
                Filter::Scope(ScopeFilter::EnterpriseProject)
            }
            "project" | "p" => Filter::Scope(ScopeFilter::Project),
            _ => {
                return Err(format!(
                    "unknown scope `{value}`; expected `ep` or `project`"
                ));
            }
        },
        "service" => Filter::Service(value.to_ascii_lowercase()),
        "section" => Filter::Section(fold_lower_str(value)),
        "is" => match value.to_ascii_lowercase().as_str() {
            "deprecated" => Filter::Is(Flag::Deprecated),
            "native" => Filter::Is(Flag::Native),
            _ => {
                return Err(format!(
                    "unknown `is:` value `{value}`; expected `deprecated` or `native`"
                ));
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

/// One text of an operation as searched: folded when folding changes it, else the original.
#[derive(Debug, Clone)]
struct Folded(Option<Box<str>>);

impl Folded {
    fn of(text: &str) -> Folded {
        // ASCII has nothing to fold: most texts, no copy.
        if text.is_ascii() {
            return Folded(None);
        }
        let folded = fold(text);
        Folded((folded != text).then(|| folded.into_boxed_str()))
    }

    fn get<'a>(&'a self, original: &'a str) -> &'a str {
        self.0.as_deref().unwrap_or(original)
    }
}

/// The prepared texts of one operation, so each keystroke only matches.
#[derive(Debug, Clone)]
struct Haystack {
    name_zh: Folded,
    name_en: Folded,
    actions: Vec<Folded>,
    path: Folded,
}

impl Haystack {
    fn of(op: &Operation) -> Haystack {
        Haystack {
            name_zh: Folded::of(op.name.zh.as_deref().unwrap_or("")),
            name_en: Folded::of(op.name.en.as_deref().unwrap_or("")),
            actions: op.actions.iter().map(|a| Folded::of(&a.action)).collect(),
            path: Folded::of(&op.path),
        }
    }

    /// Whether some searched text of `op` holds the needle (see [`holds`]).
    fn may_match(op: &Operation, needle_lower: &str) -> bool {
        holds(needle_lower, op.name.zh.as_deref().unwrap_or(""))
            || holds(needle_lower, op.name.en.as_deref().unwrap_or(""))
            || op.actions.iter().any(|a| holds(needle_lower, &a.action))
            || holds(needle_lower, &op.method)
            || holds(needle_lower, &op.path)
            || holds(needle_lower, &op.id)
            || op
                .description
                .zh
                .iter()
                .chain(op.description.en.iter())
                .any(|t| holds(needle_lower, t))
            || op.prerequisites.iter().any(|p| {
                p.zh.iter()
                    .chain(p.en.iter())
                    .chain(
                        p.permission
                            .iter()
                            .flat_map(|t| t.zh.iter().chain(t.en.iter())),
                    )
                    .any(|t| holds(needle_lower, t))
            })
    }
}

/// A catalog prepared for searching.
pub struct SearchIndex {
    haystacks: Vec<Haystack>,
    matcher: SkimMatcherV2,
}

/// Added to a fuzzy score when the needle is found unbroken in the field.
const CONTIGUOUS_BONUS: i64 = 1_000;
/// The score of a word found in what an operation does or needs first.
const PROSE_SCORE: i64 = CONTIGUOUS_BONUS / 2;

/// Below this many candidates one thread is faster than two.
const PARALLEL_FROM: usize = 8_000;

impl SearchIndex {
    pub fn new(catalog: &Catalog) -> SearchIndex {
        let ops = catalog.operations();
        let threads = if ops.len() >= PARALLEL_FROM {
            par::threads(4)
        } else {
            1
        };
        let haystacks = par::par_map(&par::ranges(ops.len(), threads), threads, |r| {
            ops[r.clone()].iter().map(Haystack::of).collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
        SearchIndex {
            haystacks,
            matcher: SkimMatcherV2::default(),
        }
    }

    /// Every operation matching all terms, best score first, ties in catalog order. The empty
    /// query gives every operation in catalog order.
    pub fn search(&self, catalog: &Catalog, query: &Query) -> Vec<Hit> {
        self.rank(catalog, query, None, None)
            .expect("not cancellable")
    }

    /// [`SearchIndex::search`] among `candidates` only (catalog indices in catalog order): when a
    /// query only grows, its matches are among the previous query's.
    pub fn search_within(
        &self,
        catalog: &Catalog,
        query: &Query,
        candidates: &[usize],
    ) -> Vec<Hit> {
        self.rank(catalog, query, Some(candidates), None)
            .expect("not cancellable")
    }

    /// [`SearchIndex::search`] or [`SearchIndex::search_within`] that gives up (`None`) soon
    /// after `cancel` is set: the explorer drops a search the user has typed past.
    pub fn search_cancellable(
        &self,
        catalog: &Catalog,
        query: &Query,
        candidates: Option<&[usize]>,
        cancel: &AtomicBool,
    ) -> Option<Vec<Hit>> {
        self.rank(catalog, query, candidates, Some(cancel))
    }

    fn rank(
        &self,
        catalog: &Catalog,
        query: &Query,
        candidates: Option<&[usize]>,
        cancel: Option<&AtomicBool>,
    ) -> Option<Vec<Hit>> {
        let ops = catalog.operations();
        let needles: Vec<Option<&str>> = query
            .terms
            .iter()
            .map(|t| match &t.filter {
                Filter::Fuzzy(_, _, lower) if !t.negated => Some(lower.as_str()),
                _ => None,
            })
            .collect();
        let one = |index: usize| -> Option<Hit> {
            let hay = &self.haystacks[index];
            if needles
                .iter()
                .flatten()
                .any(|n| !Haystack::may_match(&ops[index], n))
            {
                return None;
            }
            self.score(&ops[index], hay, query)
                .map(|score| Hit { index, score })
        };
        let total = candidates.map_or(ops.len(), <[usize]>::len);
        let at = |k: usize| candidates.map_or(k, |c| c[k]);
        let threads = if total >= PARALLEL_FROM {
            par::threads(4)
        } else {
            1
        };
        let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
        let run = |range: &std::ops::Range<usize>| -> Option<Vec<Hit>> {
            let mut out = Vec::new();
            for k in range.clone() {
                if k % 1024 == 0 && cancelled() {
                    return None;
                }
                if let Some(hit) = one(at(k)) {
                    out.push(hit);
                }
            }
            Some(out)
        };
        let mut hits: Vec<Hit> = Vec::new();
        for part in par::par_map(&par::ranges(total, threads), threads, run) {
            hits.extend(part?);
        }
        if cancelled() {
            return None;
        }
        // Best first; equal scores keep catalog order.
        hits.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        Some(hits)
    }

    /// The score of an operation for the query, or `None` when a term does not match.
    fn score(&self, op: &Operation, hay: &Haystack, query: &Query) -> Option<i64> {
        let mut score = 0i64;
        for term in &query.terms {
            match (self.match_filter(op, hay, &term.filter, None), term.negated) {
                (Some(s), false) => score += s,
                (None, true) => {}
                _ => return None,
            }
        }
        Some(score)
    }

    /// The characters to highlight in one operation for the query (positive terms only).
    pub fn highlights(&self, catalog: &Catalog, query: &Query, index: usize) -> Highlights {
        let op = &catalog.operations()[index];
        let hay = &self.haystacks[index];
        let mut all = Highlights {
            actions: vec![Vec::new(); op.actions.len()],
            ..Highlights::default()
        };
        for term in query.terms.iter().filter(|t| !t.negated) {
            let mut hl = Highlights {
                actions: vec![Vec::new(); op.actions.len()],
                ..Highlights::default()
            };
            if self
                .match_filter(op, hay, &term.filter, Some(&mut hl))
                .is_some()
            {
                Highlights::merge(&mut all.name_zh, &hl.name_zh);
                Highlights::merge(&mut all.name_en, &hl.name_en);
                Highlights::merge(&mut all.method, &hl.method);
                Highlights::merge(&mut all.path, &hl.path);
                for (t, m) in all.actions.iter_mut().zip(&hl.actions) {
                    Highlights::merge(t, m);
                }
            }
        }
        all
    }

    /// The term's score when it matches; with `hl`, also what it matched.
    fn match_filter(
        &self,
        op: &Operation,
        hay: &Haystack,
        filter: &Filter,
        mut hl: Option<&mut Highlights>,
    ) -> Option<i64> {
        match filter {
            Filter::Fuzzy(field, needle, needle_lower) => {
                let mut best: Option<i64> = None;
                // A field that does not hold the needle is not worth skim's time.
                let mut try_field = |text: &str, out: Option<&mut Vec<usize>>| {
                    if !holds(needle_lower, text) {
                        return;
                    }
                    let found = match out {
                        Some(out) => self.matcher.fuzzy_indices(text, needle).map(|(s, p)| {
                            *out = p;
                            s
                        }),
                        None => self.matcher.fuzzy_match(text, needle),
                    };
                    if let Some(mut s) = found {
                        // The word itself in a name, action or route ranks above letters
                        // scattered through another field ("share" in ims:images:share, not
                        // s…h…a…r…e across "Creating a Full-ECS Image").
                        if fold_lower_str(text).contains(needle_lower.as_str()) {
                            s += CONTIGUOUS_BONUS;
                        }
                        best = Some(best.map_or(s, |b| b.max(s)));
                    }
                };
                let names = matches!(field, Field::Any | Field::Name);
                let actions = matches!(field, Field::Any | Field::Action);
                let route = matches!(field, Field::Any | Field::Route);
                if names {
                    let zh = hay.name_zh.get(op.name.zh.as_deref().unwrap_or(""));
                    try_field(zh, hl.as_deref_mut().map(|h| &mut h.name_zh));
                    let en = hay.name_en.get(op.name.en.as_deref().unwrap_or(""));
                    try_field(en, hl.as_deref_mut().map(|h| &mut h.name_en));
                }
                if actions {
                    for (k, (folded, a)) in hay.actions.iter().zip(&op.actions).enumerate() {
                        let out = hl.as_deref_mut().map(|h| &mut h.actions[k]);
                        try_field(folded.get(&a.action), out);
                    }
                }
                if *field == Field::Any {
                    try_field(&op.method, hl.as_deref_mut().map(|h| &mut h.method));
                    // The id, as `compose` and the README write it (not highlighted: not shown).
                    try_field(&op.id, None);
                }
                if route {
                    try_field(
                        hay.path.get(&op.path),
                        hl.as_deref_mut().map(|h| &mut h.path),
                    );
                }
                // What the operation does and what it needs first (`obs` finds the operations
                // needing OBS permissions): ranked below the word in a name, action or route,
                // above letters scattered through one.
                if *field == Field::Any && best.is_none_or(|b| b < CONTIGUOUS_BONUS) {
                    let prose = op
                        .description
                        .zh
                        .iter()
                        .chain(op.description.en.iter())
                        .chain(op.prerequisites.iter().flat_map(|p| {
                            p.zh.iter().chain(p.en.iter()).chain(
                                p.permission
                                    .iter()
                                    .flat_map(|t| t.zh.iter().chain(t.en.iter())),
                            )
                        }));
                    for text in prose {
                        if fold_lower_str(text).contains(needle_lower.as_str()) {
                            best = Some(best.map_or(PROSE_SCORE, |b| b.max(PROSE_SCORE)));
                        }
                    }
                }
                best
            }
            Filter::Method(verb) => (op.method == *verb).then(|| {
                if let Some(h) = hl {
                    h.method = (0..op.method.chars().count()).collect();
                }
                0
            }),
            Filter::Scope(ScopeFilter::Project) => {
                op.scopes.is_some_and(|s| s.project).then_some(0)
            }
            Filter::Scope(ScopeFilter::EnterpriseProject) => {
                op.scopes.is_some_and(|s| s.enterprise_project).then_some(0)
            }
            Filter::Service(name) => (op.service.eq_ignore_ascii_case(name)).then_some(0),
            Filter::Section(part) => op
                .section
                .as_ref()
                .is_some_and(|s| {
                    [s.zh.as_deref(), s.en.as_deref()]
                        .into_iter()
                        .flatten()
                        .any(|t| fold_lower_str(t).contains(part.as_str()))
                })
                .then_some(0),
            Filter::Is(Flag::Deprecated) => op.deprecated.then_some(0),
            Filter::Is(Flag::Native) => op.openstack_native.then_some(0),
        }
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
                    (Filter::Fuzzy(f1, a, _), Filter::Fuzzy(f2, b, _)) if f1 == f2 && b.starts_with(a.as_str()));
            if !extended {
                return false;
            }
        }
        true
    }
}

/// Parses `input` and searches the catalog: the one call the CLI and the explorer share.
pub fn search(catalog: &Catalog, index: &SearchIndex, input: &str) -> Result<Vec<Hit>, QueryError> {
    let query = Query::parse(input, &catalog.services())?;
    Ok(index.search(catalog, &query))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> Vec<String> {
        let c = Catalog::builtin().unwrap();
        let index = SearchIndex::new(&c);
        search(&c, &index, input)
            .unwrap()
            .into_iter()
            .map(|h| c.operations()[h.index].id.clone())
            .collect()
    }

    fn err(input: &str) -> String {
        let c = Catalog::builtin().unwrap();
        Query::parse(input, &c.services()).unwrap_err().to_string()
    }

    #[test]
    fn empty_query_is_everything_in_order() {
        let c = Catalog::builtin().unwrap();
        let all = run("");
        assert_eq!(all.len(), 43);
        let order: Vec<String> = c.operations().iter().map(|o| o.id.clone()).collect();
        assert_eq!(all, order);
        assert_eq!(run("   "), order);
    }

    #[test]
    fn chinese_terms_match_chinese_names() {
        assert_eq!(
            run("删除"),
            [
                "delete-image-native",
                "delete-image-v1-1",
                "delete-tag-native",
                "delete-image-tag",
                "delete-member-native",
                "batch-add-delete-image-tags",
                "delete-members-batch"
            ]
        );
        // Full-width brackets are folded for search only.
        assert!(run("版本(OpenStack").contains(&"list-versions-native".to_string()));
        assert!(run("版本（OpenStack）").contains(&"list-versions-native".to_string()));
    }

    #[test]
    fn prefixes_restrict_fields() {
        let by_action = run("a:images:upload");
        assert_eq!(by_action, ["register-image", "upload-image-native"]);
        assert!(run("n:upload").iter().all(|id| id.contains("upload")));
        assert_eq!(run("r:quickimport"), ["quick-import-image"]);
        assert_eq!(
            run("path:/v1.1"),
            ["list-image-details-v1-1", "delete-image-v1-1"]
        );
        assert_eq!(run("m:head"), ["show-image-metadata-v1"]);
        assert_eq!(run("M:Delete").len(), 6);
        assert_eq!(run("scope:ep").len(), 13);
        assert_eq!(run("scope:project").len(), 43);
        assert_eq!(run("-scope:ep").len(), 30);
        assert_eq!(run("is:deprecated").len(), 3);
        assert_eq!(run("is:native").len(), 21);
        assert_eq!(run("service:IMS").len(), 43);
        assert!(run("service:ecs").is_empty());
    }

    #[test]
    fn words_rank_above_scattered_letters_and_prose_is_searched() {
        // "share" is in the sharing actions: they come first.
        let share = run("share");
        assert!(
            share[..8]
                .iter()
                .all(|id| id.contains("member") || id.contains("share")),
            "{share:?}"
        );
        // OBS appears only in what operations need first and what they do.
        let obs = run("obs");
        for id in [
            "create-image",
            "quick-import-image",
            "create-data-image",
            "register-image",
            "export-image",
        ] {
            assert!(obs.contains(&id.to_string()), "{id}: {obs:?}");
        }
        // Prose matches never outrank a name match.
        let region = run("region");
        assert!(region[0].starts_with("copy-image"), "{region:?}");
    }

    #[test]
    fn sections_match_in_either_language() {
        let sharing = run("section:共享");
        assert_eq!(sharing.len(), 8);
        assert_eq!(run("section:sharing"), sharing);
        assert_eq!(run("section:SHARING"), sharing);
        assert_eq!(run("section:quota"), ["get-quota"]);
        assert_eq!(run("-section:management").len(), 25);
        assert!(run("section:nothing-like-it").is_empty());
    }

    #[test]
    fn negation_and_conjunction() {
        let ids = run("upload -is:native");
        assert_eq!(ids, ["register-image"]);
        let ids = run("m:delete -is:deprecated -is:native");
        assert_eq!(ids, ["delete-image-tag", "delete-members-batch"]);
        assert!(run("zzzzqqq").is_empty());
        assert_eq!(run("-"), run(""));
    }

    #[test]
    fn action_shaped_bare_terms_are_not_prefixes() {
        assert_eq!(run("ims:images:export"), ["export-image"]);
        assert!(run("ims:dataImages").contains(&"create-data-image".to_string()));
    }

    #[test]
    fn ranks_by_score_ties_in_catalog_order() {
        let c = Catalog::builtin().unwrap();
        let index = SearchIndex::new(&c);
        let hits = search(&c, &index, "images").unwrap();
        for pair in hits.windows(2) {
            assert!(
                pair[0].score > pair[1].score
                    || (pair[0].score == pair[1].score && pair[0].index < pair[1].index)
            );
        }
        // An exact action beats a scattered match.
        let hits = search(&c, &index, "export").unwrap();
        assert_eq!(c.operations()[hits[0].index].id, "export-image");
    }

    #[test]
    fn highlights_are_char_positions_per_field() {
        let c = Catalog::builtin().unwrap();
        let index = SearchIndex::new(&c);
        let hl_of = |input: &str| {
            let q = Query::parse(input, &c.services()).unwrap();
            let hit = index.search(&c, &q)[0];
            index.highlights(&c, &q, hit.index)
        };
        let hl = hl_of("删除 m:delete");
        assert_eq!(hl.name_zh, vec![0, 1]);
        assert_eq!(hl.method, vec![0, 1, 2, 3, 4, 5]);
        let hl = hl_of("a:export");
        assert_eq!(hl.actions[0], vec![11, 12, 13, 14, 15, 16]);
        assert!(hl.name_en.is_empty(), "a: does not touch names");
        // Negated terms highlight nothing; full-width text is matched folded, positions intact.
        let hl = hl_of("版本( -is:deprecated");
        assert_eq!(hl.name_zh, vec![2, 3, 4]);
    }

    #[test]
    fn narrowing_only_when_the_query_only_grows() {
        let services = ["ims"];
        let q = |s: &str| Query::parse(s, &services).unwrap();
        assert!(q("del").narrows(&q("de")));
        assert!(q("de vol").narrows(&q("de")));
        assert!(q("de -x").narrows(&q("de")));
        assert!(q("de").narrows(&q("")));
        assert!(q("a:expo").narrows(&q("a:exp")));
        assert!(
            !q("-abc").narrows(&q("-ab")),
            "a longer negation excludes less"
        );
        assert!(!q("m:get").narrows(&q("m")), "a term that became a filter");
        assert!(
            !q("service:ims").narrows(&q("service:im")),
            "exact filters do not narrow"
        );
        assert!(!q("d").narrows(&q("de")));
        assert!(!q("xe").narrows(&q("de")));
        // And narrowing gives the same as searching everything.
        let c = crate::synthetic::catalog(3000);
        let index = SearchIndex::new(&c);
        let svc: Vec<&str> = c.services();
        let mut previous = Query::parse("", &svc).unwrap();
        let mut hits = index.search(&c, &previous);
        for typed in ["d", "de", "del", "dele", "delete", "delete v", "delete vo"] {
            let query = Query::parse(typed, &svc).unwrap();
            assert!(query.narrows(&previous));
            let mut candidates: Vec<usize> = hits.iter().map(|h| h.index).collect();
            candidates.sort_unstable();
            hits = index.search_within(&c, &query, &candidates);
            assert_eq!(hits, index.search(&c, &query), "{typed}");
            previous = query;
        }
    }

    #[test]
    fn errors_name_the_term_and_the_known_prefixes() {
        assert_eq!(
            err("upload foo:bar"),
            "in `foo:bar`: unknown prefix `foo:`; known prefixes: name: n: action: a: route: r: path: method: m: scope: service: section: is:"
        );
        assert!(err("m:fetch").contains("unknown method `fetch`"));
        assert!(err("scope:global").contains("unknown scope"));
        assert!(err("is:old").contains("unknown `is:` value"));
        assert!(err("a:").contains("`a:` needs a value"));
    }
}
