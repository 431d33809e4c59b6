//! One small parallel map for the places that need it (reading catalog files, preparing and
//! running a search over many operations): scoped threads take items one at a time from a shared
//! counter, so uneven items (a large file beside small ones) keep every core busy, and results
//! come back in the items' order.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The threads worth using: the machine's cores, at most `cap`.
pub fn threads(cap: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(cap)
        .max(1)
}

/// `items.iter().map(f).collect()`, on up to `threads` threads.
pub fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(k) else { break };
                    let result = f(item);
                    slots.lock().unwrap_or_else(|e| e.into_inner())[k] = Some(result);
                }
            });
        }
    });
    slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every item mapped"))
        .collect()
}

/// `0..len` cut into about `parts` ranges, for [`par_map`] over index ranges.
pub fn ranges(len: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let chunk = len.div_ceil(parts.max(1)).max(1);
    (0..len)
        .step_by(chunk)
        .map(|start| start..(start + chunk).min(len))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_on_any_number_of_threads() {
        let items: Vec<usize> = (0..1000).collect();
        for threads in [1, 2, 4, 64] {
            let out = par_map(&items, threads, |&x| x * 2);
            assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
        assert!(par_map(&Vec::<u8>::new(), 4, |&x| x).is_empty());
    }

    #[test]
    fn ranges_cover_everything_once() {
        for (len, parts) in [(0, 4), (1, 4), (10, 3), (100_000, 4)] {
            let r = ranges(len, parts);
            assert!(r.len() <= parts.max(1));
            assert_eq!(r.iter().map(|r| r.len()).sum::<usize>(), len);
            assert!(r.windows(2).all(|w| w[0].end == w[1].start));
        }
    }
}
