//! Turning what a user types for an operation (`list-images`, `"GET /v2/images/{image_id}"`,
//! `"get /v2/images/3f1c"`) into a catalog operation, with "did you mean" hints when it fails.

use std::cmp::Ordering;

use crate::catalog::Catalog;
use crate::catalog::route::{Request, RoutePattern, Segment};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// Nothing matches; the closest ids and routes.
    Unknown {
        spec: String,
        closest: Vec<String>,
        /// The loaded service the request's host names (`ims.…myhuaweicloud.com`): its
        /// reference is loaded and has no such route.
        host_service: Option<String>,
        /// The service the request's host names when no catalog of it is loaded
        /// (`ecs.…myhuaweicloud.com`).
        other_service: Option<String>,
    },
    /// The id exists in several services; the qualified names to choose from.
    Ambiguous {
        spec: String,
        candidates: Vec<String>,
    },
    /// The route could not be read.
    BadRoute {
        spec: String,
        reason: crate::catalog::route::RequestProblem,
    },
    /// Several permissions share the route; the ids and names to choose from.
    SharedRoute {
        spec: String,
        candidates: Vec<(String, crate::lang::LocalText)>,
    },
}

impl std::error::Error for ResolveError {}

/// Resolves an id (`list-images`, or `service:id` when several services share it) or a route
/// (`METHOD PATH`, any case of method, template or concrete path, or a URL).
pub fn resolve_operation(catalog: &Catalog, spec: &str) -> Result<usize, ResolveError> {
    let trimmed = spec.trim();
    if trimmed.contains(char::is_whitespace) {
        let request = Request::parse(trimmed).map_err(|reason| ResolveError::BadRoute {
            spec: spec.to_string(),
            reason,
        })?;
        let ops = catalog.operations();
        return match route_match(catalog, &request) {
            RouteMatch::One(i) => Ok(i),
            RouteMatch::Shared(tied) => Err(ResolveError::SharedRoute {
                spec: spec.to_string(),
                candidates: tied
                    .iter()
                    .map(|&i| (ops[i].id.clone(), ops[i].name.clone()))
                    .collect(),
            }),
            RouteMatch::Services(hits) => Err(ResolveError::Ambiguous {
                spec: spec.to_string(),
                candidates: hits
                    .iter()
                    .map(|&i| format!("{}:{}", ops[i].service, ops[i].id))
                    .collect(),
            }),
            RouteMatch::None => {
                let other_service = other_service(catalog, &request);
                Err(ResolveError::Unknown {
                    spec: spec.to_string(),
                    // Another service's API is no typo of one of these.
                    closest: match other_service {
                        Some(_) => Vec::new(),
                        None => closest(catalog, &request, 3)
                            .into_iter()
                            .map(|i| ops[i].route_text())
                            .collect(),
                    },
                    host_service: request
                        .service_from_host(&catalog.services())
                        .map(str::to_string),
                    other_service,
                })
            }
        };
    }

    let (service, id) = match trimmed.split_once(':') {
        Some((s, id)) if !id.contains(':') => (Some(s), id),
        _ => (None, trimmed),
    };
    let found: Vec<usize> = catalog
        .find_id(id)
        .into_iter()
        .filter(|&i| service.is_none_or(|s| &*catalog.operations()[i].service == s))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(ResolveError::Unknown {
            spec: spec.to_string(),
            closest: closest_ids(catalog, trimmed),
            host_service: None,
            other_service: None,
        }),
        many => Err(ResolveError::Ambiguous {
            spec: spec.to_string(),
            candidates: many
                .iter()
                .map(|&i| {
                    let op = &catalog.operations()[i];
                    format!("{}:{}", op.service, op.id)
                })
                .collect(),
        }),
    }
}

/// Hints for a word that is not an id: operations needing it when it is an action, a route
/// when it is a path, otherwise the most alike ids.
fn closest_ids(catalog: &Catalog, word: &str) -> Vec<String> {
    let ops = catalog.operations();
    let lower = word.to_ascii_lowercase();
    let by_action: Vec<String> = ops
        .iter()
        .filter(|op| {
            op.actions
                .iter()
                .any(|a| a.action.to_ascii_lowercase() == lower)
        })
        .map(|op| op.id.clone())
        .collect();
    if !by_action.is_empty() {
        return by_action;
    }
    if word.starts_with('/') {
        return ops
            .iter()
            .filter(|op| op.path() == word)
            .map(|op| format!("\"{}\"", op.route_text()))
            .collect();
    }
    let mut scored: Vec<(f64, &str)> = ops
        .iter()
        .map(|op| (strsim::jaro_winkler(&lower, &op.id), op.id.as_str()))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(3)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// What an API call is among the loaded operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteMatch {
    /// One operation.
    One(usize),
    /// Several permissions of one service on the route (the request body says which).
    Shared(Vec<usize>),
    /// The route is in several services' catalogs (a path without the host that would say).
    Services(Vec<usize>),
    None,
}

/// The operation an API call is, or why not one: the one place `compose`, `lookup --calls`
/// and the explorer decide it.
pub fn route_match(catalog: &Catalog, request: &Request) -> RouteMatch {
    decide(catalog, lookup_ranked(catalog, request))
}

/// One service's operations of one shape, with their parsed routes.
type Routes = Vec<(usize, RoutePattern)>;

/// The operations' routes parsed once and filed by method and length, then service, for matching
/// many calls ([`RouteIndex::route_match`] is [`route_match`] without a scan of every
/// operation per call: 5,000 calls over 100,000 operations took 8 s).
pub struct RouteIndex {
    by_shape: std::collections::HashMap<(String, usize), Vec<(String, Routes)>>,
}

impl RouteIndex {
    pub fn new(catalog: &Catalog) -> RouteIndex {
        let mut by_shape: std::collections::HashMap<_, Vec<_>> = std::collections::HashMap::new();
        for (i, op) in catalog.operations().iter().enumerate() {
            let Some(route) = &op.route else { continue };
            if let Ok(pattern) = RoutePattern::parse(&route.path) {
                let key = (route.method.to_string(), pattern.segments.len());
                let services: &mut Vec<(String, Vec<_>)> = by_shape.entry(key).or_default();
                match services.iter_mut().find(|(s, _)| **s == *op.service) {
                    Some((_, ops)) => ops.push((i, pattern)),
                    None => services.push((op.service.to_string(), vec![(i, pattern)])),
                }
            }
        }
        RouteIndex { by_shape }
    }

    pub fn route_match(&self, catalog: &Catalog, request: &Request) -> RouteMatch {
        let shape = (request.method.clone(), request.segments.len());
        // Only the host's service's routes, when the host names a loaded one.
        let service = request.service_from_host(&catalog.services());
        let candidates = self
            .by_shape
            .get(&shape)
            .into_iter()
            .flatten()
            .filter(|(s, _)| service.is_none_or(|want| want == s))
            .flat_map(|(_, ops)| ops)
            .map(|(i, pattern)| (*i, pattern));
        decide(catalog, ranked(catalog, request, candidates))
    }
}

/// The service a call's host names when no loaded catalog is of it.
pub fn other_service(catalog: &Catalog, request: &Request) -> Option<String> {
    if request.service_from_host(&catalog.services()).is_some() {
        return None;
    }
    request
        .named_service()
        .filter(|s| !catalog.services().contains(&s.as_str()))
}

/// What ranked hits make of a call: one operation, a shared route, several services, none.
fn decide(catalog: &Catalog, ranked: Vec<(usize, Vec<bool>)>) -> RouteMatch {
    let ops = catalog.operations();
    let tied: Vec<usize> = ranked
        .iter()
        .take_while(|(_, s)| Some(s) == ranked.first().map(|(_, s)| s))
        .map(|&(i, _)| i)
        .collect();
    if tied.len() > 1 && tied.iter().all(|&i| ops[i].service == ops[tied[0]].service) {
        return RouteMatch::Shared(tied);
    }
    let hits: Vec<usize> = ranked.into_iter().map(|(i, _)| i).collect();
    let mut services: Vec<&str> = hits.iter().map(|&i| ops[i].service.as_ref()).collect();
    services.dedup();
    if services.len() > 1 {
        return RouteMatch::Services(hits);
    }
    match hits.first() {
        Some(&i) => RouteMatch::One(i),
        None => RouteMatch::None,
    }
}

/// The operations a request matches that are equally good: several permissions on one route
/// (the request body says which), or just the best one.
pub fn lookup_best(catalog: &Catalog, request: &Request) -> Vec<usize> {
    let ranked = lookup_ranked(catalog, request);
    let ops = catalog.operations();
    let Some((first, best)) = ranked.first() else {
        return Vec::new();
    };
    ranked
        .iter()
        .take_while(|(i, s)| s == best && ops[*i].service == ops[*first].service)
        .map(|&(i, _)| i)
        .collect()
}

/// A query that is an API call (`METHOD /path` or `METHOD URL`), as a request; `None` for
/// anything else, so a search box can look calls up where they are pasted.
/// An API call typed as a query (`POST https://…/v1/cloudimages/members`) as search hits: the
/// operations `lookup` finds, best first; `None` when the input is not an API call. The
/// command line's `search` and the explorer's search line both answer calls through this.
pub fn call_hits(catalog: &Catalog, input: &str) -> Option<Vec<crate::search::query::Hit>> {
    let request = as_request(input)?;
    Some(
        lookup(catalog, &request)
            .into_iter()
            .map(|index| crate::search::query::Hit { index, score: 0 })
            .collect(),
    )
}

pub fn as_request(query: &str) -> Option<Request> {
    let mut words = query.split_whitespace();
    let (Some(method), Some(target), None) = (words.next(), words.next(), words.next()) else {
        return None;
    };
    if !crate::catalog::route::HTTP_METHODS.contains(&method.to_ascii_uppercase().as_str())
        || !(target.starts_with('/') || target.contains("://"))
    {
        return None;
    }
    Request::parse(query).ok()
}

/// The operations a request matches, best first: by specificity (literal segments beat
/// parameters, leftmost first), then catalog order.
pub fn lookup(catalog: &Catalog, request: &Request) -> Vec<usize> {
    lookup_ranked(catalog, request)
        .into_iter()
        .map(|(i, _)| i)
        .collect()
}

/// [`lookup`] with each hit's specificity (one flag a segment, `true` where a literal matched).
fn lookup_ranked(catalog: &Catalog, request: &Request) -> Vec<(usize, Vec<bool>)> {
    let candidates = catalog
        .operations()
        .iter()
        .enumerate()
        .filter(|(_, op)| op.method() == request.method)
        .filter_map(|(i, op)| RoutePattern::parse(op.path()).ok().map(|p| (i, p)));
    ranked(catalog, request, candidates)
}

/// The candidate operations (index, parsed route) a request matches, best first: by
/// specificity (literal segments beat parameters, leftmost first), then catalog order. The one
/// ranking of [`lookup`] (a scan) and [`RouteIndex`] (routes parsed and filed once). A call on
/// another Huawei service's host (`ecs.…myhuaweicloud.com`) is no loaded operation, whatever
/// its path looks like (ECS's `GET /v2/cloudimages` is not IMS's list-images).
fn ranked<P: std::borrow::Borrow<RoutePattern>>(
    catalog: &Catalog,
    request: &Request,
    candidates: impl Iterator<Item = (usize, P)>,
) -> Vec<(usize, Vec<bool>)> {
    if other_service(catalog, request).is_some() {
        return Vec::new();
    }
    let service = request.service_from_host(&catalog.services());
    let ops = catalog.operations();
    let mut hits: Vec<(usize, Vec<bool>)> = candidates
        .filter(|(i, _)| {
            ops[*i].method() == request.method && service.is_none_or(|s| &*ops[*i].service == s)
        })
        .filter_map(|(i, p)| p.borrow().specificity(&request.segments).map(|s| (i, s)))
        .collect();
    hits.sort_by(|(ia, a), (ib, b)| b.cmp(a).then(ia.cmp(ib)));
    hits
}

/// Routes that could be the same API as the request, mistyped: the same method and number of
/// segments, and every literal segment the same or nearly (one typo-sized difference at most).
/// Never an unrelated route: for an API the catalogs do not have, this is empty.
pub fn closest(catalog: &Catalog, request: &Request, n: usize) -> Vec<usize> {
    let mut scored: Vec<(f64, usize)> = catalog
        .operations()
        .iter()
        .enumerate()
        .filter(|(_, op)| op.method() == request.method)
        .filter_map(|(i, op)| {
            let pattern = RoutePattern::parse(op.path()).ok()?;
            near_miss(&pattern, &request.segments).map(|score| (score, i))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(Ordering::Equal)
            .then(a.1.cmp(&b.1))
    });
    scored.into_iter().take(n).map(|(_, i)| i).collect()
}

/// How alike (0..=1) a pattern and a request path are, when the pattern could be what was meant:
/// same length, one literal segment at most differing, and that one only a little.
fn near_miss(pattern: &RoutePattern, request: &[String]) -> Option<f64> {
    if pattern.segments.len() != request.len() {
        return None;
    }
    let mut differing = 0;
    let mut sum = 0.0;
    for (p, r) in pattern.segments.iter().zip(request) {
        let similarity = match p {
            Segment::Param(_) => 1.0,
            Segment::Literal(l) if l == r => 1.0,
            Segment::Literal(l) => {
                differing += 1;
                strsim::normalized_levenshtein(l, r)
            }
        };
        if similarity < 0.6 {
            return None;
        }
        sum += similarity;
    }
    (differing <= 1).then(|| sum / request.len().max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{catalog_json, test_op};

    fn ids(catalog: &Catalog, hits: &[usize]) -> Vec<String> {
        hits.iter()
            .map(|&i| catalog.operations()[i].id.clone())
            .collect()
    }

    fn look(input: &str) -> Vec<String> {
        let c = Catalog::builtin().unwrap();
        ids(&c, &lookup(&c, &Request::parse(input).unwrap()))
    }

    #[test]
    fn looks_up_concrete_and_template_paths() {
        assert_eq!(
            look("get https://ims.example.com/v2/images/ab12?x=1"),
            ["show-image-native"]
        );
        assert_eq!(look("GET /v2/images/{image_id}"), ["show-image-native"]);
        assert_eq!(look("PUT /v2/images/3f1c/file"), ["upload-image-native"]);
        assert_eq!(look("GET /v2/cloudimages/"), ["list-images"]);
        assert_eq!(look("GET /"), ["list-versions-native"]);
        assert_eq!(look("head /v1/images/x"), ["show-image-metadata-v1"]);
        assert!(look("POST /v2/images/x").is_empty());
        // A template segment in the request never matches a literal.
        assert!(look("GET /v2/{x}").is_empty());
    }

    #[test]
    fn literal_beats_parameter() {
        let p_param = RoutePattern::parse("/v1/cloudimages/{image_id}").unwrap();
        let p_lit = RoutePattern::parse("/v1/cloudimages/os_version").unwrap();
        let req = Request::parse("GET /v1/cloudimages/os_version").unwrap();
        assert!(p_lit.specificity(&req.segments) > p_param.specificity(&req.segments));
        let mut c = Catalog::builtin().unwrap();
        let extra = catalog_json(
            "ims",
            &[
                test_op(
                    "get-cloud-image",
                    "GET",
                    "/v1/cloudimages/{image_id}",
                    &["ims:images:get"],
                ),
                test_op(
                    "os-version",
                    "GET",
                    "/v1/cloudimages/os_version",
                    &["ims:images:list"],
                ),
            ],
        );
        c.add(crate::catalog::parse("x.json", &extra).unwrap())
            .unwrap();
        let hits = lookup(
            &c,
            &Request::parse("GET /v1/cloudimages/os_version").unwrap(),
        );
        assert_eq!(ids(&c, &hits), ["os-version", "get-cloud-image"]);
    }

    #[test]
    fn the_host_picks_the_service() {
        let mut c = Catalog::builtin().unwrap();
        let other = catalog_json(
            "evs",
            &[test_op(
                "list-volumes",
                "GET",
                "/v2/images",
                &["evs:volumes:list"],
            )],
        );
        c.add(crate::catalog::parse("evs.json", &other).unwrap())
            .unwrap();
        let ids = |input: &str| -> Vec<String> {
            let hits = lookup(&c, &Request::parse(input).unwrap());
            hits.iter()
                .map(|&i| format!("{}:{}", c.operations()[i].service, c.operations()[i].id))
                .collect()
        };
        assert_eq!(
            ids("GET https://evs.cn-north-4.myhuaweicloud.com/v2/images"),
            ["evs:list-volumes"]
        );
        assert_eq!(
            ids("GET https://ims.cn-north-4.myhuaweicloud.com/v2/images"),
            ["ims:list-images-native"]
        );
        assert_eq!(
            ids("GET /v2/images"),
            ["ims:list-images-native", "evs:list-volumes"]
        );
        assert_eq!(ids("GET https://example.com/v2/images").len(), 2);
    }

    #[test]
    fn closest_prefers_same_shape() {
        let c = Catalog::builtin().unwrap();
        let near = closest(&c, &Request::parse("GET /v2/imagez/abc").unwrap(), 3);
        assert_eq!(c.operations()[near[0]].id, "show-image-native");
        let near = closest(&c, &Request::parse("GET /v2/cloudimage").unwrap(), 3);
        assert_eq!(c.operations()[near[0]].path(), "/v2/cloudimages");
        // Another method, or another shape, is not "close": it would be another API.
        assert!(closest(&c, &Request::parse("POST /v2/cloudimage").unwrap(), 3).is_empty());
        assert!(closest(&c, &Request::parse("POST /v9/members").unwrap(), 3).is_empty());
    }

    fn id_of(spec: &str) -> String {
        let c = Catalog::builtin().unwrap();
        c.operations()[resolve_operation(&c, spec).unwrap()]
            .id
            .clone()
    }

    fn error_of(spec: &str) -> String {
        let c = Catalog::builtin().unwrap();
        resolve_operation(&c, spec).unwrap_err().to_string()
    }

    #[test]
    fn resolves_ids_and_routes() {
        assert_eq!(id_of("list-images"), "list-images");
        assert_eq!(id_of("ims:list-images"), "list-images");
        assert_eq!(
            id_of("PUT /v2/images/{image_id}/file"),
            "upload-image-native"
        );
        assert_eq!(id_of("put /v2/images/3f1c0a/file"), "upload-image-native");
        assert_eq!(
            id_of("GET https://ims.example.com/v2/cloudimages?limit=1"),
            "list-images"
        );
    }

    #[test]
    fn unknown_ids_and_routes_get_hints() {
        assert_eq!(
            error_of("list-imags"),
            "unknown operation \"list-imags\"; closest: list-images, list-tags, list-image-tags"
        );
        assert_eq!(
            error_of("ims:images:export"),
            "unknown operation \"ims:images:export\"; closest: export-image"
        );
        assert_eq!(
            error_of("/v2/images"),
            "unknown operation \"/v2/images\"; closest: \"GET /v2/images\", \"POST /v2/images\""
        );
        // No route is like it: nothing unrelated is suggested.
        assert_eq!(
            error_of("POST /v2/images/x"),
            "unknown operation \"POST /v2/images/x\": not in the loaded catalogs (another service's API? import its permission table with `ims-perms import`)"
        );
        assert_eq!(
            error_of("GET /v2/imagez/abc"),
            "unknown operation \"GET /v2/imagez/abc\"; closest: GET /v2/images/{image_id}"
        );
        assert!(error_of("FETCH /v2/images").contains("unknown HTTP method"));
    }
}
