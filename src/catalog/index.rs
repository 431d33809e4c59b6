//! Every loaded operation, indexed by id, route and action.

use std::collections::HashMap;
use std::sync::Arc;

use crate::lang::LocalText;

use super::hash::{HashIndex, id_hash, same_route};
use super::model::*;

/// Every operation of every loaded catalog, in load order.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    catalogs: Vec<CatalogInfo>,
    operations: Vec<Operation>,
    /// (service, id) → operation.
    by_id: HashIndex,
    /// (service, method, normalised path) → operation.
    by_route: HashIndex,
    /// lower-case action → the operations that list it, in catalog order.
    by_action: HashMap<String, Vec<usize>, xxhash_rust::xxh3::Xxh3Builder>,
    /// Lower-case dependent actions the operations name (`ecs:cloudServers:get`): documented
    /// actions too, though no loaded operation needs them as its own.
    dependency_actions: HashMap<String, Arc<str>, xxhash_rust::xxh3::Xxh3Builder>,
    /// Whether the operations are filed in more than one section (kept as they are added, so
    /// drawing a frame never scans them), and the first section named.
    several_sections: bool,
    first_section: Option<Arc<LocalText>>,
    /// Services with an operation whose actions are not documented (kept as they are added:
    /// [`Catalog::is_complete`] is asked once per action while compacting).
    undocumented_services: Vec<Arc<str>>,
}

impl Catalog {
    /// A catalog with nothing in it.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// Adds catalogs read apart (in parallel, by [`crate::load::load_files`]) in the order
    /// given. The first that failed, or that clashes with what is loaded, stops everything;
    /// nothing is added then.
    pub fn add_all<E: From<CatalogError>>(
        &mut self,
        parsed: Vec<Result<ParsedCatalog, E>>,
    ) -> Result<(), E> {
        let mut staged = self.clone();
        // One exact allocation for all operations: growing by doubling would leave up to half
        // of it unused at 100,000 operations.
        let adding: usize = parsed
            .iter()
            .map(|r| r.as_ref().map_or(0, |p| p.operations.len()))
            .sum();
        staged.operations.reserve_exact(adding);
        for result in parsed {
            staged.add(result?)?;
        }
        *self = staged;
        Ok(())
    }

    /// Adds a validated catalog, refusing it whole if an id or a route repeats one already
    /// loaded for the same service.
    pub fn add(&mut self, parsed: ParsedCatalog) -> Result<(), CatalogError> {
        let ParsedCatalog {
            info,
            operations,
            hashes,
        } = parsed;
        let ops = &self.operations;
        for (i, (op, &(id, route))) in operations.iter().zip(&hashes).enumerate() {
            let clash = |clash: Clash, other: usize| CatalogError {
                origin: info.origin.clone(),
                position: None,
                operation: Some(describe_operation(i, Some(&op.id))),
                field: Some(match clash {
                    Clash::Id => "id".to_string(),
                    Clash::Route => "path".to_string(),
                }),
                reason: Box::new(CatalogReason::DefinedElsewhere {
                    clash,
                    value: match clash {
                        Clash::Id => op.id.clone(),
                        Clash::Route => op.route_text(),
                    },
                    origin: self.origin_of(other).to_string(),
                    id: ops[other].id.clone(),
                }),
            };
            let same_id = |k: usize| ops[k].service == op.service && ops[k].id == op.id;
            if let Some(other) = self.by_id.find(id, same_id) {
                return Err(clash(Clash::Id, other));
            }
            if let Some(other) = self.by_route.find(route, |k| same_route(&ops[k], op)) {
                return Err(clash(Clash::Route, other));
            }
        }
        let start = self.operations.len();
        self.operations.reserve(operations.len());
        let mut lower = String::new();
        self.by_id.first.reserve(operations.len());
        self.by_route.first.reserve(operations.len());
        for (i, (op, (id, route))) in operations.into_iter().zip(hashes).enumerate() {
            if let Some(section) = &op.section {
                match &self.first_section {
                    None => self.first_section = Some(Arc::clone(section)),
                    Some(first) => self.several_sections |= first != section,
                }
            }
            if op.actions_not_documented.is_some()
                && !self.undocumented_services.contains(&op.service)
            {
                self.undocumented_services.push(Arc::clone(&op.service));
            }
            self.by_id.insert(id, start + i);
            self.by_route.insert(route, start + i);
            for a in &op.actions {
                // One reused buffer: only a new action allocates its key.
                lower.clear();
                lower.extend(a.action.chars().map(|c| c.to_ascii_lowercase()));
                match self.by_action.get_mut(lower.as_str()) {
                    Some(list) => list.push(start + i),
                    None => {
                        self.by_action.insert(lower.clone(), vec![start + i]);
                    }
                }
            }
            for d in &op.dependencies {
                self.dependency_actions
                    .entry(d.action.to_ascii_lowercase())
                    .or_insert_with(|| Arc::clone(&d.action));
            }
            self.operations.push(op);
        }
        self.catalogs.push(info);
        Ok(())
    }

    /// The operations that list `action` (any case), conditionally or not, in catalog order.
    pub fn with_action(&self, action: &str) -> &[usize] {
        self.by_action
            .get(&action.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// Whether a loaded operation names `action` (any case) among its dependent actions.
    pub fn names_dependency(&self, action: &str) -> bool {
        self.dependency_actions
            .contains_key(action.to_ascii_lowercase().as_str())
    }

    /// Every action the loaded catalogs name, as operations' actions or as dependencies (a
    /// wildcard may match any of them), each once in its first spelling, sorted.
    pub fn known_actions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .by_action
            .iter()
            .filter_map(|(key, ops)| {
                let op = &self.operations[*ops.first()?];
                op.actions
                    .iter()
                    .find(|a| a.action.eq_ignore_ascii_case(key))
                    .map(|a| a.action.as_ref())
            })
            .chain(
                self.dependency_actions
                    .iter()
                    // A dependency wildcard (`obs:bucket:*`) is a pattern, not an action.
                    .filter(|(key, _)| {
                        !key.contains('*') && !self.by_action.contains_key(key.as_str())
                    })
                    .map(|(_, a)| a.as_ref()),
            )
            .collect();
        // One lower-cased key per action, not one per comparison.
        out.sort_by_cached_key(|a| a.to_ascii_lowercase());
        out
    }

    pub fn len(&self) -> usize {
        self.operations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The catalogs loaded, in order.
    pub fn catalogs(&self) -> &[CatalogInfo] {
        &self.catalogs
    }

    /// Every service the loaded operations name in their actions, sorted: the catalogs' own
    /// and others they need (an ECS catalog names `vpc:` actions).
    pub fn action_services(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .by_action
            .keys()
            .filter_map(|a| a.split(':').next())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether the operations are filed in more than one section.
    pub fn has_sections(&self) -> bool {
        self.several_sections
    }

    /// Whether a loaded catalog of `service` says it holds every permission of the service,
    /// and every operation's actions are documented (one that is not may need any action, so
    /// the service's actions are not all known).
    pub fn is_complete(&self, service: &str) -> bool {
        self.catalogs
            .iter()
            .any(|c| c.complete && c.service == service)
            && !self.undocumented_services.iter().any(|s| &**s == service)
    }

    /// The distinct services loaded, in load order.
    pub fn services(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.catalogs {
            if !out.contains(&c.service.as_str()) {
                out.push(&c.service);
            }
        }
        out
    }

    /// Indices of the operations with this id (one per service at most).
    pub fn find_id(&self, id: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .services()
            .into_iter()
            .filter_map(|s| {
                let ops = &self.operations;
                self.by_id
                    .find(id_hash(s, id), |k| &*ops[k].service == s && ops[k].id == id)
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// The file the operation at `index` came from.
    pub fn origin_of(&self, index: usize) -> &str {
        let mut end = 0;
        for c in &self.catalogs {
            end += c.operations;
            if index < end {
                return &c.origin;
            }
        }
        ""
    }
}
