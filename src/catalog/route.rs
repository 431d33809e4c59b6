//! Routes: HTTP methods, route templates (`/v2/images/{image_id}/file`) and API calls as users
//! write them (`GET https://host/v2/images/ab12?x=1`). A leaf: it knows nothing of catalogs
//! (finding the operation a call is lives in [`crate::search::resolve`]).

/// HTTP methods an operation may have.
pub const HTTP_METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
];

/// A path's segments with parameter names dropped: `None` for `{param}`, so `{id}` and
/// `{image_id}` are the same segment. The one normaliser of routes (catalog indexes, lookups).
pub fn normalised_segments(path: &str) -> impl Iterator<Item = Option<&str>> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| if s.starts_with('{') { None } else { Some(s) })
}

/// Why a catalog path is not a route template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    NoLeadingSlash,
    WhiteSpace,
    QueryString,
    /// `//` or a trailing `/`.
    EmptySegment,
    /// `{}` or `{a{b}`.
    MalformedParameter {
        segment: String,
    },
    /// `v1{project_id}`: a parameter that is not a whole segment.
    PartialParameter {
        segment: String,
    },
}

/// Why an API call as typed is not `METHOD PATH-OR-URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestProblem {
    NotMethodAndTarget { input: String },
    UnknownMethod { method: String },
    NotPathOrUrl { target: String },
}

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
    pub fn parse(path: &str) -> Result<RoutePattern, PathProblem> {
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
    pub fn check(path: &str) -> Result<(), PathProblem> {
        let Some(rest) = path.strip_prefix('/') else {
            return Err(PathProblem::NoLeadingSlash);
        };
        if path.chars().any(char::is_whitespace) {
            return Err(PathProblem::WhiteSpace);
        }
        if path.contains(['?', '#']) {
            return Err(PathProblem::QueryString);
        }
        if rest.is_empty() {
            return Ok(());
        }
        for seg in rest.split('/') {
            if seg.is_empty() {
                return Err(PathProblem::EmptySegment);
            }
            if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                if inner.is_empty() || inner.contains(['{', '}']) {
                    return Err(PathProblem::MalformedParameter {
                        segment: seg.to_string(),
                    });
                }
            } else if seg.contains(['{', '}']) {
                return Err(PathProblem::PartialParameter {
                    segment: seg.to_string(),
                });
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

    /// Whether two templates are the same route (parameter names aside).
    pub fn same_route(a: &str, b: &str) -> bool {
        normalised_segments(a).eq(normalised_segments(b))
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
                Segment::Param(_) if fills_a_parameter(actual) => flags.push(false),
                Segment::Param(_) | Segment::Literal(_) => return None,
            }
        }
        Some(flags)
    }
}

/// Whether a request's path segment can stand for a `{parameter}`: not `.` or `..` (a server
/// resolves them to another path: `DELETE /v2/images/..` is not delete-image), and no encoded
/// slash or backslash, plain or encoded dots (`%2e%2e`), which would reach another route.
fn fills_a_parameter(segment: &str) -> bool {
    // `..;x`: some servers drop a segment's `;parameters` before resolving dot segments.
    let lower = segment.split(';').next().unwrap_or("").to_ascii_lowercase();
    let decoded_dots = lower.replace("%2e", ".");
    !(decoded_dots == "." || decoded_dots == ".." || lower.contains("%2f") || lower.contains("%5c"))
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
    pub fn parse(input: &str) -> Result<Request, RequestProblem> {
        let mut words = input.split_whitespace();
        let (Some(method), Some(target), None) = (words.next(), words.next(), words.next()) else {
            return Err(RequestProblem::NotMethodAndTarget {
                input: input.trim().to_string(),
            });
        };
        let method = method.to_ascii_uppercase();
        if !HTTP_METHODS.contains(&method.as_str()) {
            return Err(RequestProblem::UnknownMethod { method });
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
        // The service's label, wherever it stands: `ims.cn-north-4…`, and also a bucket's
        // virtual host `mybucket.obs.cn-north-4…`.
        host.split('.')
            .find_map(|label| services.iter().copied().find(|s| *s == label))
    }

    /// The service a Huawei Cloud endpoint names, loaded or not: `ecs.ap-southeast-3.
    /// myhuaweicloud.com` → `ecs`, `iam.myhuaweicloud.com` → `iam`, a bucket's virtual host
    /// `b.obs.cn-north-4.myhuaweicloud.com` → `obs`. The label before the region, or the first
    /// when there is none; `None` for a host that is not a Huawei Cloud endpoint.
    pub fn named_service(&self) -> Option<String> {
        let host = self.host.as_deref()?.to_ascii_lowercase();
        let host = host.split(':').next().unwrap_or("");
        const DOMAINS: [&str; 5] = [
            ".myhuaweicloud.com",
            ".myhuaweicloud.eu",
            ".huaweicloud.com",
            ".myhwclouds.com",
            ".huaweicloud-sovereign.com",
        ];
        let labels = DOMAINS.iter().find_map(|d| host.strip_suffix(d))?;
        let labels: Vec<&str> = labels.split('.').collect();
        let is_region = |l: &str| l.contains('-') && l.chars().any(|c| c.is_ascii_digit());
        let service = match labels.iter().position(|l| is_region(l)) {
            Some(0) | None => labels[0],
            Some(r) => labels[r - 1],
        };
        // The console's own hosts (`console-intl.huaweicloud.com`) are no service's API.
        let valid = !service.starts_with("console")
            && service.starts_with(|c: char| c.is_ascii_lowercase())
            && service
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        (valid && !is_region(service)).then(|| service.to_string())
    }

    /// The path as given, cleaned: `/v2/images/ab12`.
    pub fn path(&self) -> String {
        format!("/{}", self.segments.join("/"))
    }
}

/// A URL's authority without `user:password@`: the credentials are no part of the host, and
/// are never kept or shown.
pub fn without_credentials(authority: &str) -> &str {
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
}

fn split_target(target: &str) -> Result<(Option<String>, &str), RequestProblem> {
    if let Some(i) = target.find("://") {
        let after = &target[i + 3..];
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let host = without_credentials(&after[..end]).to_string();
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
    Err(RequestProblem::NotPathOrUrl {
        target: target.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_service_of_huawei_cloud_hosts() {
        let service = |url: &str| {
            Request::parse(&format!("GET {url}"))
                .unwrap()
                .named_service()
        };
        for (url, want) in [
            (
                "https://ecs.ap-southeast-3.myhuaweicloud.com/v1/p/cloudservers",
                Some("ecs"),
            ),
            ("https://iam.myhuaweicloud.com/v3/users", Some("iam")),
            (
                "https://b.obs.cn-north-4.myhuaweicloud.com/key",
                Some("obs"),
            ),
            (
                "https://IMS.cn-north-4.myhuaweicloud.com:443/v2/images",
                Some("ims"),
            ),
            (
                "https://vpc.eu-west-101.myhuaweicloud.eu/v1/p/vpcs",
                Some("vpc"),
            ),
            ("https://example.com/v2/images", None),
            ("https://console-intl.huaweicloud.com/ims/rest/me", None),
            ("/v2/images", None),
        ] {
            assert_eq!(service(url).as_deref(), want, "{url}");
        }
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
    fn dot_segments_and_encoded_slashes_fill_no_parameter() {
        let p = RoutePattern::parse("/v2/images/{image_id}").unwrap();
        let segs = |path: &str| Request::parse(&format!("DELETE {path}")).unwrap().segments;
        assert!(p.specificity(&segs("/v2/images/ab12")).is_some());
        for bad in [
            "/v2/images/..",
            "/v2/images/.",
            "/v2/images/%2e%2E",
            "/v2/images/.%2e",
            "/v2/images/a%2Fb",
            "/v2/images/a%5cb",
            "/v2/images/..;x",
        ] {
            assert_eq!(p.specificity(&segs(bad)), None, "{bad}");
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
        assert_eq!(
            Request::parse("FETCH /v2").unwrap_err(),
            RequestProblem::UnknownMethod {
                method: "FETCH".into()
            }
        );
        assert!(matches!(
            Request::parse("/v2/images"),
            Err(RequestProblem::NotMethodAndTarget { .. })
        ));
        assert_eq!(
            Request::parse("GET v2/images").unwrap_err(),
            RequestProblem::NotPathOrUrl {
                target: "v2/images".into()
            }
        );
        assert!(Request::parse("GET /a /b").is_err());
        assert!(Request::parse("").is_err());
    }
}
