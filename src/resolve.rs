//! Turning what a user types for an operation (`list-images`, `"GET /v2/images/{image_id}"`,
//! `"get /v2/images/3f1c"`) into a catalog operation, with "did you mean" hints when it fails.

use std::fmt;

use crate::catalog::Catalog;
use crate::route::{self, Request};
use crate::text::escape_controls;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// Nothing matches; the closest ids and routes.
    Unknown { spec: String, closest: Vec<String> },
    /// The id exists in several services; the qualified names to choose from.
    Ambiguous {
        spec: String,
        candidates: Vec<String>,
    },
    /// The route could not be read.
    BadRoute { spec: String, reason: String },
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Unknown { spec, closest } => {
                write!(f, "unknown operation \"{}\"", escape_controls(spec))?;
                if !closest.is_empty() {
                    write!(f, "; closest: {}", closest.join(", "))?;
                }
                Ok(())
            }
            ResolveError::Ambiguous { spec, candidates } => write!(
                f,
                "operation \"{}\" is in several services; write one of: {}",
                escape_controls(spec),
                candidates.join(", ")
            ),
            ResolveError::BadRoute { spec, reason } => {
                write!(f, "operation \"{}\": {reason}", escape_controls(spec))
            }
        }
    }
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
        let hits = route::lookup(catalog, &request);
        let ops = catalog.operations();
        let mut services: Vec<&str> = hits.iter().map(|&i| ops[i].service.as_str()).collect();
        services.dedup();
        if services.len() > 1 {
            return Err(ResolveError::Ambiguous {
                spec: spec.to_string(),
                candidates: hits
                    .iter()
                    .map(|&i| format!("{}:{}", ops[i].service, ops[i].id))
                    .collect(),
            });
        }
        return match hits.first() {
            Some(&i) => Ok(i),
            None => Err(ResolveError::Unknown {
                spec: spec.to_string(),
                closest: route::closest(catalog, &request, 3)
                    .into_iter()
                    .map(|i| catalog.operations()[i].route())
                    .collect(),
            }),
        };
    }

    let (service, id) = match trimmed.split_once(':') {
        Some((s, id)) if !id.contains(':') => (Some(s), id),
        _ => (None, trimmed),
    };
    let found: Vec<usize> = catalog
        .find_id(id)
        .into_iter()
        .filter(|&i| service.is_none_or(|s| catalog.operations()[i].service == s))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(ResolveError::Unknown {
            spec: spec.to_string(),
            closest: closest_ids(catalog, trimmed),
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
            .filter(|op| op.path == word)
            .map(|op| format!("\"{}\"", op.route()))
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

#[cfg(test)]
mod tests {
    use super::*;

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
            "unknown operation \"list-imags\"; closest: list-images, list-images-native, list-image-details-v1-1"
        );
        assert_eq!(
            error_of("ims:images:export"),
            "unknown operation \"ims:images:export\"; closest: export-image"
        );
        assert_eq!(
            error_of("/v2/images"),
            "unknown operation \"/v2/images\"; closest: \"GET /v2/images\", \"POST /v2/images\""
        );
        assert!(
            error_of("POST /v2/images/x")
                .starts_with("unknown operation \"POST /v2/images/x\"; closest: ")
        );
        assert!(error_of("FETCH /v2/images").contains("unknown HTTP method"));
    }
}
