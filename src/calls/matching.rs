//! Recorded calls to the operations they are, through the one route matcher
//! ([`crate::search::resolve::route_match`]).

use crate::catalog::Catalog;
use crate::catalog::route::Request;
use crate::search::resolve::{RouteIndex, RouteMatch};

use super::RecordedCall;

/// What a distinct call is among the loaded operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Operation(usize),
    /// Several permissions share the route (the request body said which, and a log does not
    /// keep it); `chosen`: those `--choose` picked.
    Shared {
        candidates: Vec<usize>,
        chosen: Vec<usize>,
    },
    /// The route is in several services' catalogs and the call has no host to tell.
    Services {
        candidates: Vec<usize>,
        chosen: Vec<usize>,
    },
    /// No loaded operation has the route. `host_service`: the service its host names;
    /// `loaded`: a catalog of that service is loaded (so its reference lacks the route).
    /// (No "did you mean": a recorded call is what was sent, not a typo.)
    Unmatched {
        host_service: Option<String>,
        loaded: bool,
    },
}

impl Outcome {
    /// The operations the call stands for in a policy (none while a choice is open).
    pub fn operations(&self) -> &[usize] {
        match self {
            Outcome::Operation(i) => std::slice::from_ref(i),
            Outcome::Shared { chosen, .. } | Outcome::Services { chosen, .. } => chosen,
            Outcome::Unmatched { .. } => &[],
        }
    }

    pub fn is_matched(&self) -> bool {
        !self.operations().is_empty()
    }
}

/// A distinct call and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedCall {
    pub call: RecordedCall,
    pub outcome: Outcome,
}

/// Every distinct call of one or more recordings, matched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallsMatch {
    pub calls: Vec<MatchedCall>,
}

impl CallsMatch {
    /// The operations the matched calls need, each once, in the order first met.
    pub fn operations(&self) -> Vec<usize> {
        let mut seen = std::collections::HashSet::new();
        self.calls
            .iter()
            .flat_map(|c| c.outcome.operations())
            .copied()
            .filter(|&i| seen.insert(i))
            .collect()
    }

    /// Distinct calls no operation stands for yet.
    pub fn unmatched(&self) -> usize {
        self.calls
            .iter()
            .filter(|c| !c.outcome.is_matched())
            .count()
    }

    /// Choices that picked nothing: no call's route is shared by them.
    pub fn unused<'a>(&self, choose: &'a [usize]) -> Vec<&'a usize> {
        choose
            .iter()
            .filter(|i| {
                !self.calls.iter().any(|c| match &c.outcome {
                    Outcome::Shared { candidates, .. } | Outcome::Services { candidates, .. } => {
                        candidates.contains(i)
                    }
                    _ => false,
                })
            })
            .collect()
    }
}

/// Matches each distinct call through `index` (the catalog's, built once for every file of
/// calls). `choose`: operations picked for routes several permissions share (`--choose`).
pub fn match_calls(
    catalog: &Catalog,
    index: &RouteIndex,
    calls: &[RecordedCall],
    choose: &[usize],
) -> CallsMatch {
    let services = catalog.services();
    let pick = |candidates: &[usize]| -> Vec<usize> {
        candidates
            .iter()
            .copied()
            .filter(|i| choose.contains(i))
            .collect()
    };
    let calls = calls
        .iter()
        .map(|call| {
            // A recorded call always parses: the readers keep only those that do.
            let request = Request::parse(&call.call()).ok();
            let outcome = match request.as_ref().map(|r| index.route_match(catalog, r)) {
                Some(RouteMatch::One(i)) => Outcome::Operation(i),
                Some(RouteMatch::Shared(candidates)) => Outcome::Shared {
                    chosen: pick(&candidates),
                    candidates,
                },
                Some(RouteMatch::Services(candidates)) => Outcome::Services {
                    chosen: pick(&candidates),
                    candidates,
                },
                Some(RouteMatch::None) | None => {
                    let host_service = request.as_ref().and_then(Request::named_service);
                    Outcome::Unmatched {
                        loaded: host_service
                            .as_deref()
                            .is_some_and(|s| services.contains(&s)),
                        host_service,
                    }
                }
            };
            MatchedCall {
                call: call.clone(),
                outcome,
            }
        })
        .collect();
    CallsMatch { calls }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::resolve::route_match;

    #[test]
    fn the_index_decides_as_the_scan_does() {
        let catalog = Catalog::builtin().unwrap();
        let index = RouteIndex::new(&catalog);
        let mut calls: Vec<String> = catalog
            .operations()
            .iter()
            .map(|op| {
                format!(
                    "{} {}",
                    op.method(),
                    op.path().replace('{', "x").replace('}', "")
                )
            })
            .collect();
        calls.extend([
            "GET https://ims.x.myhuaweicloud.com/v2/cloudimages".into(),
            "GET https://ecs.x.myhuaweicloud.com/v2/cloudimages".into(),
            "GET /".into(),
            "DELETE /v2/images/..".into(),
            "GET /v9/nothing".into(),
        ]);
        for call in calls {
            let request = Request::parse(&call).unwrap();
            assert_eq!(
                index.route_match(&catalog, &request),
                route_match(&catalog, &request),
                "{call}"
            );
        }
    }
}
