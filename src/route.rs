//! Route matching: which catalog operation an API call (`GET https://host/v2/images/ab12?x=1`)
//! is. Literal path segments beat `{param}` segments.

use std::cmp::Ordering;

use crate::catalog::{Catalog, HTTP_METHODS};

/// One segment of a route template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Param(String),
}

/// A parsed route template such as `/v2/images/{image_id}/file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePattern {
    pub segments: Vec<Segment>,
}

impl RoutePattern {
    /// Parses a catalog path. `/` alone is the root; otherwise no empty segment, no trailing
    /// slash, no query string, and `{name}` only as a whole segment.
    pub fn parse(path: &str) -> Result<RoutePattern, String> {
        Self::check(path)?;
        let segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(
                |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Param(name.to_string()),
                    None => Segment::Literal(seg.to_string()),
                },
            )
            .collect();
        Ok(RoutePattern { segments })
    }

    /// Checks a catalog path without building the pattern (loading 100,000 operations does
    /// this once each): `/` alone is the root; otherwise no empty segment, no trailing slash,
    /// no query string, and `{name}` only as a whole segment.
    pub fn check(path: &str) -> Result<(), String> {
        let Some(rest) = path.strip_prefix('/') else {
            return Err("must start with `/`".into());
        };
        if path.chars().any(char::is_whitespace) {
            return Err("must not contain white space".into());
        }
        if path.contains(['?', '#']) {
            return Err("must not contain a query string or fragment".into());
        }
        if rest.is_empty() {
            return Ok(());
        }
        for seg in rest.split('/') {
            if seg.is_empty() {
                return Err("empty segment (`//` or a trailing `/`)".into());
            }
            if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                if inner.is_empty() || inner.contains(['{', '}']) {
                    return Err(format!("malformed parameter segment `{seg}`"));
                }
            } else if seg.contains(['{', '}']) {
                return Err(format!(
                    "a `{{parameter}}` must be a whole segment, found `{seg}`"
                ));
            }
        }
        Ok(())
    }

    /// The template with parameter names dropped (`/v2/images/{}`), so `{id}` and `{image_id}`
    /// count as the same route.
    pub fn normalised(&self) -> String {
        if self.segments.is_empty() {
            return "/".into();
        }
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => format!("/{l}"),
                Segment::Param(_) => "/{}".to_string(),
            })
            .collect()
    }

    /// Whether a request path matches, and how specifically: one flag a segment, `true` where a
    /// literal matched. Comparing these left to right ranks literal over parameter.
    pub fn specificity(&self, request: &[String]) -> Option<Vec<bool>> {
        if request.len() != self.segments.len() {
            return None;
        }
        let mut flags = Vec::with_capacity(request.len());
        for (pattern, actual) in self.segments.iter().zip(request) {
            let actual_is_param = actual.starts_with('{') && actual.ends_with('}');
            match pattern {
                Segment::Literal(l) if !actual_is_param && l == actual => flags.push(true),
                Segment::Param(_) => flags.push(false),
                Segment::Literal(_) => return None,
            }
        }
        Some(flags)
    }
}

/// An API call as a user writes it: method and path, or method and URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Upper case.
    pub method: String,
    /// The URL's host, when a URL was given.
    pub host: Option<String>,
    /// Path segments, without empty ones, query or fragment.
    pub segments: Vec<String>,
}

impl Request {
    /// Parses `METHOD PATH-OR-URL`: the method in any case; the target a path (`/v2/images/ab`,
    /// a template like `/v2/images/{image_id}` also works), or a URL with scheme, host and
    /// query string. A trailing slash and repeated slashes are ignored.
    pub fn parse(input: &str) -> Result<Request, String> {
        let mut words = input.split_whitespace();
        let (Some(method), Some(target), None) = (words.next(), words.next(), words.next()) else {
            return Err(format!(
                "expected \"METHOD PATH\" or \"METHOD URL\", e.g. \"GET /v2/images\", got \"{}\"",
                crate::text::escape_controls(input.trim())
            ));
        };
        let method = method.to_ascii_uppercase();
        if !HTTP_METHODS.contains(&method.as_str()) {
            return Err(format!(
                "unknown HTTP method \"{}\": expected one of {}",
                crate::text::escape_controls(&method),
                HTTP_METHODS.join(", ")
            ));
        }
        let (host, path) = split_target(target)?;
        let path = path.split(['?', '#']).next().unwrap_or("");
        let segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        Ok(Request {
            method,
            host,
            segments,
        })
    }

    /// The service a Huawei Cloud endpoint names: `ims.cn-north-4.myhuaweicloud.com` → `ims`,
    /// when that is one of `services`. Other hosts pick nothing.
    pub fn service_from_host<'a>(&self, services: &[&'a str]) -> Option<&'a str> {
        let host = self.host.as_deref()?.to_ascii_lowercase();
        let first = host.split('.').next()?;
        services.iter().copied().find(|s| *s == first)
    }

    /// The path as given, cleaned: `/v2/images/ab12`.
    pub fn path(&self) -> String {
        format!("/{}", self.segments.join("/"))
    }
}

fn split_target(target: &str) -> Result<(Option<String>, &str), String> {
    if let Some(i) = target.find("://") {
        let after = &target[i + 3..];
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let host = after[..end].to_string();
        let rest = &after[end..];
        return Ok((Some(host), if rest.starts_with('/') { rest } else { "/" }));
    }
    if target.starts_with('/') {
        return Ok((None, target));
    }
    // `ims.example.com/v2/images`: a host without a scheme.
    let first = target.split('/').next().unwrap_or("");
    if first.contains('.') && target.contains('/') {
        let rest = &target[first.len()..];
        return Ok((Some(first.to_string()), rest));
    }
    Err(format!(
        "\"{}\" is neither a path starting with `/` nor a URL",
        crate::text::escape_controls(target)
    ))
}

/// The operations a request matches, best first: by specificity (literal segments beat
/// parameters, leftmost first), then catalog order.
pub fn lookup(catalog: &Catalog, request: &Request) -> Vec<usize> {
    let service = request.service_from_host(&catalog.services());
    let mut hits: Vec<(usize, Vec<bool>)> = catalog
        .operations()
        .iter()
        .enumerate()
        .filter(|(_, op)| op.method == request.method)
        .filter(|(_, op)| service.is_none_or(|s| op.service == s))
        .filter_map(|(i, op)| {
            let pattern = RoutePattern::parse(&op.path).ok()?;
            pattern.specificity(&request.segments).map(|s| (i, s))
        })
        .collect();
    hits.sort_by(|(ia, a), (ib, b)| b.cmp(a).then(ia.cmp(ib)));
    hits.into_iter().map(|(i, _)| i).collect()
}

/// The `n` operations whose routes look most like the request, for "did you mean" hints.
pub fn closest(catalog: &Catalog, request: &Request, n: usize) -> Vec<usize> {
    let mut scored: Vec<(f64, usize)> = catalog
        .operations()
        .iter()
        .enumerate()
        .filter_map(|(i, op)| {
            let pattern = RoutePattern::parse(&op.path).ok()?;
            let mut score = path_similarity(&pattern, &request.segments);
            if op.method == request.method {
                score += 0.25;
            }
            Some((score, i))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(Ordering::Equal)
            .then(a.1.cmp(&b.1))
    });
    scored.into_iter().take(n).map(|(_, i)| i).collect()
}

/// 0..=1: how alike a request path is to a pattern, segment by segment (a parameter is alike
/// anything).
fn path_similarity(pattern: &RoutePattern, request: &[String]) -> f64 {
    let longest = pattern.segments.len().max(request.len());
    if longest == 0 {
        return 1.0;
    }
    let sum: f64 = pattern
        .segments
        .iter()
        .zip(request)
        .map(|(p, r)| match p {
            Segment::Param(_) => 1.0,
            Segment::Literal(l) => strsim::normalized_levenshtein(l, r),
        })
        .sum();
    sum / longest as f64
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn parses_templates() {
        let p = RoutePattern::parse("/v2/images/{image_id}/file").unwrap();
        assert_eq!(p.segments.len(), 4);
        assert_eq!(p.normalised(), "/v2/images/{}/file");
        assert_eq!(RoutePattern::parse("/").unwrap().normalised(), "/");
        for good in ["/", "/v2/images/{image_id}/file", "/v1.1/images/detail"] {
            assert!(RoutePattern::check(good).is_ok() && RoutePattern::parse(good).is_ok());
        }
        for bad in [
            "v2",
            "/v2/",
            "/v2//x",
            "/v2/{}",
            "/v2/x{id}",
            "/v2 x",
            "/v2?x=1",
        ] {
            assert!(RoutePattern::parse(bad).is_err(), "{bad}");
            assert_eq!(
                RoutePattern::parse(bad).unwrap_err(),
                RoutePattern::check(bad).unwrap_err()
            );
        }
    }

    #[test]
    fn parses_requests_in_every_shape() {
        let r = Request::parse("get https://ims.example.com/v2/images/ab12?x=1").unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.host.as_deref(), Some("ims.example.com"));
        assert_eq!(r.path(), "/v2/images/ab12");
        let r = Request::parse("  Delete   /v2/images/ab12/  ").unwrap();
        assert_eq!(r.path(), "/v2/images/ab12");
        let r = Request::parse("GET https://ims.example.com").unwrap();
        assert_eq!(r.path(), "/");
        let r = Request::parse("GET https://ims.example.com?x").unwrap();
        assert_eq!(r.path(), "/");
        let r = Request::parse("GET ims.cn-north-4.myhuaweicloud.com/v2/images").unwrap();
        assert_eq!(r.host.as_deref(), Some("ims.cn-north-4.myhuaweicloud.com"));
        assert!(
            Request::parse("FETCH /v2")
                .unwrap_err()
                .contains("unknown HTTP method")
        );
        assert!(Request::parse("/v2/images").is_err());
        assert!(Request::parse("GET v2/images").is_err());
        assert!(Request::parse("GET /a /b").is_err());
        assert!(Request::parse("").is_err());
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
        let extra = r#"{"service": "ims", "source": {"title": "t"}, "operations": [
          {"id": "get-cloud-image", "name": {"en": "Get"}, "method": "GET", "path": "/v1/cloudimages/{image_id}",
           "description": {}, "actions": [{"action": "ims:images:get", "condition": null}],
           "scopes": {"project": true, "enterprise_project": false}, "prerequisites": [], "deprecated": false, "openstack_native": false},
          {"id": "os-version", "name": {"en": "OS"}, "method": "GET", "path": "/v1/cloudimages/os_version",
           "description": {}, "actions": [{"action": "ims:images:list", "condition": null}],
           "scopes": {"project": true, "enterprise_project": false}, "prerequisites": [], "deprecated": false, "openstack_native": false}]}"#;
        c.add(crate::catalog::parse("x.json", extra).unwrap())
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
        let other = r#"{"service": "evs", "source": {"title": "t"}, "operations": [
          {"id": "list-volumes", "name": {"en": "List"}, "method": "GET", "path": "/v2/images",
           "description": {}, "actions": [{"action": "evs:volumes:list", "condition": null}],
           "scopes": {"project": true, "enterprise_project": true}, "prerequisites": [], "deprecated": false, "openstack_native": false}]}"#;
        c.add(crate::catalog::parse("evs.json", other).unwrap())
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
        let near = closest(&c, &Request::parse("POST /v2/cloudimage").unwrap(), 3);
        assert_eq!(c.operations()[near[0]].path, "/v2/cloudimages");
    }
}
