//! Exact hash indexes of ids and routes: 64-bit hashes, a hit confirmed by the caller.

use std::collections::HashMap;

use crate::catalog::route::{RoutePattern, normalised_segments};

use super::model::Operation;

/// An exact index from 64-bit hashes to operations: a hit is confirmed by the caller's
/// comparison, and further operations with the same hash are kept aside. At 100,000 operations
/// this is far smaller and faster than keeping every id and route as a string key.
#[derive(Debug, Clone, Default)]
pub(super) struct HashIndex {
    pub(super) first: HashMap<u64, usize, std::hash::BuildHasherDefault<IdentityHasher>>,
    /// Further keys with a hash already in `first`. Not rare for routes: operations that share
    /// a route (ECS's `POST …/action`, one per action) have the same route hash, and a list
    /// searched from the start made loading quadratic in them.
    pub(super) more: HashMap<u64, Vec<usize>, std::hash::BuildHasherDefault<IdentityHasher>>,
}

impl HashIndex {
    pub(super) fn find(&self, hash: u64, is: impl Fn(usize) -> bool) -> Option<usize> {
        let &i = self.first.get(&hash)?;
        if is(i) {
            return Some(i);
        }
        self.more.get(&hash)?.iter().copied().find(|&i| is(i))
    }

    pub(super) fn insert(&mut self, hash: u64, index: usize) {
        match self.first.entry(hash) {
            std::collections::hash_map::Entry::Occupied(_) => {
                self.more.entry(hash).or_default().push(index)
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(index);
            }
        }
    }
}

/// The keys are hashes already.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

// xxh3 rather than the standard SipHash: the keys are the catalogs' own, not an attacker's
// choice against a server, and at 100,000 operations SipHash was a tenth of loading.
pub(super) fn id_hash(service: &str, id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    service.hash(&mut h);
    id.hash(&mut h);
    h.finish()
}

/// Hash of (service, method, normalised path, action set), without building the normalised
/// string: what [`same_route`] compares. The actions are in it because several permissions may
/// share a route (8,000 rows of one `POST …/action` route made every check compare each with
/// all before it); the set's hash is a sum, so their order does not count.
pub(super) fn route_hash(op: &Operation) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    op.service.hash(&mut h);
    if let Some(route) = &op.route {
        route.method.hash(&mut h);
        for seg in normalised_segments(&route.path) {
            seg.hash(&mut h);
        }
    }
    let actions = op.actions.iter().fold(0u64, |sum, a| {
        sum.wrapping_add(xxhash_rust::xxh3::xxh3_64(
            a.action.to_ascii_lowercase().as_bytes(),
        ))
    });
    actions.hash(&mut h);
    name_key(op).hash(&mut h);
    h.finish()
}

/// The name two operations are compared by: the Chinese one when there is one (both editions of
/// a page have it), else the English, in any case.
fn name_key(op: &Operation) -> String {
    op.name
        .zh
        .as_deref()
        .filter(|z| !z.is_empty())
        .or(op.name.en.as_deref())
        .map(crate::text::fold)
        .unwrap_or_default()
        .to_lowercase()
}

/// Whether two operations are one operation written twice: the same route of the same service
/// (`{id}` and `{image_id}` are the same segment) needing the same actions, under the same name.
/// Several permissions may share a route (ECS's `POST …/servers/{server_id}/action` starts,
/// stops, reboots… by request body; adding and removing a security group need the same
/// action): those differ in their names or actions and stay separate operations.
/// Operations without a route never clash by route: they are told apart by id.
pub(super) fn same_route(a: &Operation, b: &Operation) -> bool {
    let (Some(ra), Some(rb)) = (&a.route, &b.route) else {
        return false;
    };
    a.service == b.service
        && ra.method == rb.method
        && RoutePattern::same_route(&ra.path, &rb.path)
        && same_actions(a, b)
        && name_key(a) == name_key(b)
}

pub(super) fn same_actions(a: &Operation, b: &Operation) -> bool {
    a.action_set() == b.action_set()
}
