//! Paths as the vendor wrote them, repaired into routes a request matches: a query template or
//! query string dropped (kept in the note), a parameter glued to its segment split off, a
//! missing `{` or `}` put back, `:param` segments, a missing leading slash, a trailing slash,
//! two parameters in one segment. Each repair is reported.

/// One repair made to a cell: a path, or an action cell's wildcard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    /// `{?a,b}` or `?a=b` or `#x`: dropped from the route, kept in the note.
    QueryDropped { query: String },
    /// `v1{project_id}` or `{job_id}versions`: split into segments.
    GluedParameter { segment: String },
    /// `{project_id` or `project_id}`: the missing brace put back.
    UnbalancedBrace { segment: String },
    /// `:id`: read as `{id}`.
    ColonParameter { segment: String },
    /// No leading `/`.
    NoLeadingSlash,
    /// A trailing `/` or `//`: the empty segment dropped.
    EmptySegment,
    /// `{region}:{floatingip_id}`: two parameters in one segment, read as one.
    TwoParameters { segment: String },
    /// A wildcard in the action cell (`vpc:*:get*`): read as a dependency.
    WildcardAction { action: String },
    /// Several routes in one cell (`POST /v2/…/changeos 或 POST /v1/…/changeos`): one
    /// operation each.
    SeveralRoutes { count: usize },
    /// The route cell names no route (`获取桶列表`, `仅支持Console调用`, `×`): an operation
    /// without a route, the text its route note.
    NoRoute { text: String },
    /// A wildcard route (`GET /api/*`) matches no one call: kept as the route note of an
    /// operation without a route.
    WildcardRoute { route: String },
    /// No action can be read from the action cell: kept as "actions not documented".
    ActionsNotDocumented {
        text: String,
        reason: Box<super::ImportReason>,
    },
    /// An action written without its service (`cloudServers:list`): the table's one service
    /// put before it, or the one `--service` gave (`given`).
    ServiceAdded {
        written: String,
        read: String,
        given: bool,
    },
}

/// The path repaired, what was done, and the query (for the note) if there was one.
pub fn repair(raw: &str) -> (String, Vec<Repair>, Option<String>) {
    let mut repairs = Vec::new();
    let mut path = raw.to_string();
    let mut query = None;
    // A query template `{?a,b}` first (its braces are no parameter), then `?…` and `#…`.
    if let Some(i) = path.find("{?") {
        query = Some(path[i..].to_string());
        path.truncate(i);
    } else if let Some(i) = path.find(['?', '#']) {
        query = Some(path[i..].to_string());
        path.truncate(i);
    }
    if let Some(q) = &query {
        repairs.push(Repair::QueryDropped { query: q.clone() });
    }
    if !path.starts_with('/') {
        repairs.push(Repair::NoLeadingSlash);
        path.insert(0, '/');
    }
    let mut segments: Vec<String> = Vec::new();
    let raw_segments: Vec<&str> = path.split('/').skip(1).collect();
    let empty = raw_segments.iter().filter(|s| s.is_empty()).count();
    if empty > 0 && !(raw_segments.len() == 1 && raw_segments[0].is_empty()) {
        repairs.push(Repair::EmptySegment);
    }
    for seg in raw_segments.into_iter().filter(|s| !s.is_empty()) {
        segments.extend(repair_segment(seg, &mut repairs));
    }
    (format!("/{}", segments.join("/")), repairs, query)
}

/// One segment, as segments: whole, or split where a parameter was glued on.
fn repair_segment(seg: &str, repairs: &mut Vec<Repair>) -> Vec<String> {
    let opens = seg.matches('{').count();
    let closes = seg.matches('}').count();
    if opens == 0 && closes == 0 {
        if let Some(name) = seg.strip_prefix(':').filter(|n| is_name(n)) {
            repairs.push(Repair::ColonParameter {
                segment: seg.to_string(),
            });
            return vec![format!("{{{name}}}")];
        }
        return vec![seg.to_string()];
    }
    if opens == 1 && closes == 0 && seg.starts_with('{') && is_name(&seg[1..]) {
        repairs.push(Repair::UnbalancedBrace {
            segment: seg.to_string(),
        });
        return vec![format!("{seg}}}")];
    }
    if opens == 0 && closes == 1 && seg.ends_with('}') && is_name(&seg[..seg.len() - 1]) {
        repairs.push(Repair::UnbalancedBrace {
            segment: seg.to_string(),
        });
        return vec![format!("{{{seg}")];
    }
    if opens == 1 && closes == 1 {
        let (a, b) = (seg.find('{').unwrap_or(0), seg.find('}').unwrap_or(0));
        if a == 0 && b == seg.len() - 1 {
            return vec![seg.to_string()];
        }
        if a < b && is_name(&seg[a + 1..b]) {
            repairs.push(Repair::GluedParameter {
                segment: seg.to_string(),
            });
            return [&seg[..a], &seg[a..=b], &seg[b + 1..]]
                .into_iter()
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
        }
    }
    // `{region}:{floatingip_id}`: one parameter for the segment, its name the two joined.
    if opens >= 2 && opens == closes && seg.starts_with('{') && seg.ends_with('}') {
        let names: Vec<&str> = seg.split(['{', '}']).filter(|p| is_name(p)).collect();
        if names.len() == opens {
            repairs.push(Repair::TwoParameters {
                segment: seg.to_string(),
            });
            return vec![format!("{{{}}}", names.join("_"))];
        }
    }
    vec![seg.to_string()]
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_paths_are_repaired_and_each_repair_said() {
        let cases = [
            (
                "/v1/{project_id}/cloudservers/fpga_image/associations{?image_id,fpga_image_id}",
                "/v1/{project_id}/cloudservers/fpga_image/associations",
            ),
            (
                "/v2.1/{project_id}/os-quota-sets/{project_id}?user_id={user_id}",
                "/v2.1/{project_id}/os-quota-sets/{project_id}",
            ),
            (
                "/v1/{project_id}/als/action?type=querylogs",
                "/v1/{project_id}/als/action",
            ),
            (
                "/v1{project_id}/cloudservers/os-server-groups",
                "/v1/{project_id}/cloudservers/os-server-groups",
            ),
            (
                "/v1/project_id}/baremetalservers",
                "/v1/{project_id}/baremetalservers",
            ),
            (
                "/v3/{project_id/replication_capabilities",
                "/v3/{project_id}/replication_capabilities",
            ),
            (
                "/v1/{project_id}/training-jobs/{job_id}versions",
                "/v1/{project_id}/training-jobs/{job_id}/versions",
            ),
            ("/v2/{project_id}/elb/", "/v2/{project_id}/elb"),
            ("v2/images", "/v2/images"),
            ("/v2/images/:image_id", "/v2/images/{image_id}"),
            (
                "/v2/reverse/floatingips/{region}:{floatingip_id}",
                "/v2/reverse/floatingips/{region_floatingip_id}",
            ),
            ("/", "/"),
            ("/v2/images/{image_id}", "/v2/images/{image_id}"),
        ];
        for (raw, want) in cases {
            let (path, repairs, _) = repair(raw);
            assert_eq!(path, want, "{raw}");
            assert_eq!(repairs.is_empty(), raw == want, "{raw}: {repairs:?}");
            assert!(
                crate::catalog::route::RoutePattern::check(&path).is_ok(),
                "{path}"
            );
        }
        let (_, _, query) = repair("/v1/x/action?type=querylogs");
        assert_eq!(query.as_deref(), Some("?type=querylogs"));
    }
}
