//! The query language: whitespace-separated terms, all of which must match.
//!
//! A bare term fuzzy-matches (skim's algorithm) an operation's Chinese and English names, its
//! actions, its method and its path. Prefixed terms restrict the field (`name:`/`n:`,
//! `action:`/`a:`, `route:`/`r:`/`path:`) or filter exactly (`method:`/`m:`, `scope:ep`,
//! `scope:project`, `service:NAME`, `is:deprecated`, `is:native`). A leading `-` negates a term.

use std::fmt;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::catalog::{Catalog, HTTP_METHODS, Operation};
use crate::text::{escape_controls, fold};

/// The prefixes a term may have, as listed in error messages and help.
pub const PREFIXES: &[&str] = &[
    "name:", "n:", "action:", "a:", "route:", "r:", "path:", "method:", "m:", "scope:", "service:",
    "is:",
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
    /// The needle, folded (full-width forms made half-width).
    Fuzzy(Field, String),
    /// Upper case.
    Method(String),
    Scope(ScopeFilter),
    /// Lower case.
    Service(String),
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
        write!(f, "in `{}`: {}", escape_controls(&self.term), self.message)
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
                None => Filter::Fuzzy(Field::Any, fold(body)),
                Some((prefix, value)) => {
                    let prefix_lower = prefix.to_ascii_lowercase();
                    let known = PREFIXES.contains(&format!("{prefix_lower}:").as_str());
                    if !known && looks_like_action(prefix, value, services) {
                        Filter::Fuzzy(Field::Any, fold(body))
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

fn looks_like_action(prefix: &str, value: &str, services: &[&str]) -> bool {
    services.contains(&prefix) || (value.contains(':') && crate::catalog::is_kebab_id(prefix))
}

fn parse_prefixed(prefix: &str, value: &str) -> Result<Filter, String> {
    Ok(match prefix {
        "name" | "n" => Filter::Fuzzy(Field::Name, fold(value)),
        "action" | "a" => Filter::Fuzzy(Field::Action, fold(value)),
        "route" | "r" | "path" => Filter::Fuzzy(Field::Route, fold(value)),
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

/// One operation that matched, with its score and what to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Catalog::operations`].
    pub index: usize,
    pub score: i64,
    pub highlights: Highlights,
}

/// The folded texts of one operation, prepared once so each keystroke only matches.
#[derive(Debug, Clone)]
struct Haystack {
    name_zh: String,
    name_en: String,
    actions: Vec<String>,
    method: String,
    path: String,
}

impl Haystack {
    fn of(op: &Operation) -> Haystack {
        Haystack {
            name_zh: fold(op.name.zh.as_deref().unwrap_or("")),
            name_en: fold(op.name.en.as_deref().unwrap_or("")),
            actions: op.actions.iter().map(|a| fold(&a.action)).collect(),
            method: op.method.clone(),
            path: fold(&op.path),
        }
    }
}

/// A catalog prepared for searching.
pub struct SearchIndex {
    haystacks: Vec<Haystack>,
    matcher: SkimMatcherV2,
}

impl SearchIndex {
    pub fn new(catalog: &Catalog) -> SearchIndex {
        SearchIndex {
            haystacks: catalog.operations().iter().map(Haystack::of).collect(),
            matcher: SkimMatcherV2::default(),
        }
    }

    /// Every operation matching all terms, best score first, ties in catalog order. The empty
    /// query gives every operation in catalog order.
    pub fn search(&self, catalog: &Catalog, query: &Query) -> Vec<Hit> {
        let mut hits: Vec<Hit> = catalog
            .operations()
            .iter()
            .zip(&self.haystacks)
            .enumerate()
            .filter_map(|(index, (op, hay))| self.match_one(op, hay, query, index))
            .collect();
        // A stable sort keeps catalog order among equal scores.
        hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        hits
    }

    fn match_one(
        &self,
        op: &Operation,
        hay: &Haystack,
        query: &Query,
        index: usize,
    ) -> Option<Hit> {
        let mut highlights = Highlights {
            actions: vec![Vec::new(); op.actions.len()],
            ..Highlights::default()
        };
        let mut score = 0i64;
        for term in &query.terms {
            let mut term_hl = Highlights {
                actions: vec![Vec::new(); op.actions.len()],
                ..Highlights::default()
            };
            let matched = self.match_filter(op, hay, &term.filter, &mut term_hl);
            match (matched, term.negated) {
                (Some(s), false) => {
                    score += s;
                    Highlights::merge(&mut highlights.name_zh, &term_hl.name_zh);
                    Highlights::merge(&mut highlights.name_en, &term_hl.name_en);
                    Highlights::merge(&mut highlights.method, &term_hl.method);
                    Highlights::merge(&mut highlights.path, &term_hl.path);
                    for (t, m) in highlights.actions.iter_mut().zip(&term_hl.actions) {
                        Highlights::merge(t, m);
                    }
                }
                (None, true) => {}
                _ => return None,
            }
        }
        Some(Hit {
            index,
            score,
            highlights,
        })
    }

    /// The term's score when it matches, filling in what it matched.
    fn match_filter(
        &self,
        op: &Operation,
        hay: &Haystack,
        filter: &Filter,
        hl: &mut Highlights,
    ) -> Option<i64> {
        match filter {
            Filter::Fuzzy(field, needle) => {
                let mut best: Option<i64> = None;
                let mut try_field = |text: &str, out: &mut Vec<usize>| {
                    if let Some((s, positions)) = self.matcher.fuzzy_indices(text, needle) {
                        *out = positions;
                        best = Some(best.map_or(s, |b| b.max(s)));
                    }
                };
                let names = matches!(field, Field::Any | Field::Name);
                let actions = matches!(field, Field::Any | Field::Action);
                let route = matches!(field, Field::Any | Field::Route);
                if names {
                    try_field(&hay.name_zh, &mut hl.name_zh);
                    try_field(&hay.name_en, &mut hl.name_en);
                }
                if actions {
                    for (text, out) in hay.actions.iter().zip(hl.actions.iter_mut()) {
                        try_field(text, out);
                    }
                }
                if *field == Field::Any {
                    try_field(&hay.method, &mut hl.method);
                }
                if route {
                    try_field(&hay.path, &mut hl.path);
                }
                best
            }
            Filter::Method(verb) => (op.method == *verb).then(|| {
                hl.method = (0..op.method.chars().count()).collect();
                0
            }),
            Filter::Scope(ScopeFilter::Project) => op.scopes.project.then_some(0),
            Filter::Scope(ScopeFilter::EnterpriseProject) => {
                op.scopes.enterprise_project.then_some(0)
            }
            Filter::Service(name) => (op.service.eq_ignore_ascii_case(name)).then_some(0),
            Filter::Is(Flag::Deprecated) => op.deprecated.then_some(0),
            Filter::Is(Flag::Native) => op.openstack_native.then_some(0),
        }
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
        assert_eq!(all.len(), 18);
        let order: Vec<String> = c.operations().iter().map(|o| o.id.clone()).collect();
        assert_eq!(all, order);
        assert_eq!(run("   "), order);
    }

    #[test]
    fn chinese_terms_match_chinese_names() {
        assert_eq!(run("删除"), ["delete-image-native", "delete-image-v1-1"]);
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
        assert_eq!(run("M:Delete").len(), 2);
        assert_eq!(run("scope:ep").len(), 11);
        assert_eq!(run("scope:project").len(), 18);
        assert_eq!(run("-scope:ep").len(), 7);
        assert_eq!(run("is:deprecated").len(), 3);
        assert_eq!(run("is:native").len(), 10);
        assert_eq!(run("service:IMS").len(), 18);
        assert!(run("service:ecs").is_empty());
    }

    #[test]
    fn negation_and_conjunction() {
        let ids = run("upload -is:native");
        assert_eq!(ids, ["register-image"]);
        let ids = run("m:delete -is:deprecated");
        assert_eq!(ids, ["delete-image-native"]);
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
        let hits = search(&c, &index, "删除 m:delete").unwrap();
        let hl = &hits[0].highlights;
        assert_eq!(hl.name_zh, vec![0, 1]);
        assert_eq!(hl.method, vec![0, 1, 2, 3, 4, 5]);
        let hits = search(&c, &index, "a:export").unwrap();
        assert_eq!(hits[0].highlights.actions[0], vec![11, 12, 13, 14, 15, 16]);
        assert!(
            hits[0].highlights.name_en.is_empty(),
            "a: does not touch names"
        );
    }

    #[test]
    fn errors_name_the_term_and_the_known_prefixes() {
        assert_eq!(
            err("upload foo:bar"),
            "in `foo:bar`: unknown prefix `foo:`; known prefixes: name: n: action: a: route: r: path: method: m: scope: service: is:"
        );
        assert!(err("m:fetch").contains("unknown method `fetch`"));
        assert!(err("scope:global").contains("unknown scope"));
        assert!(err("is:old").contains("unknown `is:` value"));
        assert!(err("a:").contains("`a:` needs a value"));
    }
}
