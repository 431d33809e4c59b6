//! The explorer's search: the query parsed as typed, searched in the background at 100,000
//! operations, the last queries remembered, results ranked as far as the table shows.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use crate::search::query::{Highlights, Query, Results};

use super::*;

impl App {
    /// Runs the query again; the highlight moves to the best match.
    pub(super) fn refilter(&mut self) {
        // A pasted API call (`POST https://…/v1/cloudimages/members`) finds its operation(s), as
        // `lookup` does.
        if let Some(hits) = crate::search::resolve::call_hits(&self.catalog, self.query.text()) {
            self.cancel_search();
            self.query_error = None;
            self.results = Arc::new(Results::from_hits(hits));
            // No parsed query stands for these results: the next one is searched afresh.
            self.parsed = None;
            self.cursor = 0;
            self.scroll = 0;
            return;
        }
        let query = match Query::parse(self.query.text(), &self.catalog.services()) {
            Ok(q) => q,
            Err(e) => {
                // Keep the previous results while the query cannot be read (mid-typing).
                self.query_error = Some(e);
                return;
            }
        };
        self.query_error = None;
        if self.parsed.as_ref() == Some(&query) {
            // The same terms as the results shown (only white space changed, or typed back).
            self.cancel_search();
            return;
        }
        if let Some(k) = self.recent.iter().position(|(q, _)| *q == query) {
            self.cancel_search();
            let entry = self.recent.remove(k).expect("found above");
            let results = Arc::clone(&entry.1);
            self.recent.push_back(entry);
            self.show_results(query, results);
            return;
        }
        if self.pending.as_ref().is_some_and(|p| p.query == query) {
            return;
        }
        self.cancel_search();
        // When the query only grew, its matches are among the last results.
        let previous: Option<Arc<Results>> = self
            .parsed
            .as_ref()
            .is_some_and(|p| query.narrows(p))
            .then(|| Arc::clone(&self.results));
        if self.catalog.len() < BACKGROUND_SEARCH_FROM {
            let results = Arc::new(self.index.ranked_results(&query, previous.as_deref()));
            self.remember(query.clone(), Arc::clone(&results));
            self.show_results(query, results);
            return;
        }
        let (sender, results) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let (index, q, stop) = (Arc::clone(&self.index), query.clone(), Arc::clone(&cancel));
        std::thread::spawn(move || {
            let results = index
                .matches(&q, previous.as_deref(), Some(&stop))
                .map(|mut results| {
                    index.rank(&mut results, RANKED_FIRST);
                    Arc::new(results)
                });
            let _ = sender.send(results);
        });
        self.pending = Some(PendingSearch {
            query,
            cancel,
            results,
        });
    }

    /// Whether a background search is still running.
    pub fn searching(&self) -> bool {
        self.pending.is_some()
    }

    /// Takes a finished background search's results; true when the screen should change.
    pub fn poll_search(&mut self) -> bool {
        let Some(pending) = &self.pending else {
            return false;
        };
        match pending.results.try_recv() {
            Ok(result) => {
                self.finish_search(result);
                true
            }
            Err(mpsc::TryRecvError::Empty) => false,
            Err(mpsc::TryRecvError::Disconnected) => {
                self.pending = None;
                false
            }
        }
    }

    /// Waits for the background search, if any (tests and benchmarks).
    pub fn wait_for_search(&mut self) {
        if let Some(pending) = &self.pending {
            let result = pending.results.recv().ok().flatten();
            self.finish_search(result);
        }
    }

    pub(super) fn finish_search(&mut self, result: Option<Arc<Results>>) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        if let Some(results) = result {
            let PendingSearch { query, .. } = pending;
            self.remember(query.clone(), Arc::clone(&results));
            self.show_results(query, results);
        }
    }

    pub(super) fn cancel_search(&mut self) {
        if let Some(pending) = self.pending.take() {
            pending.cancel.store(true, Ordering::Relaxed);
        }
    }

    pub(super) fn remember(&mut self, query: Query, results: Arc<Results>) {
        self.recent.push_back((query, results));
        while self.recent.len() > RECENT_QUERIES {
            self.recent.pop_front();
        }
    }

    /// New results: the highlight moves to the best match.
    pub(super) fn show_results(&mut self, query: Query, results: Arc<Results>) {
        self.results = results;
        self.parsed = Some(query);
        self.cursor = 0;
        self.scroll = 0;
    }

    /// What to highlight in an operation for the current query (computed for drawn rows only).
    pub fn highlights(&self, index: usize) -> Highlights {
        match &self.parsed {
            Some(query) => self.index.highlights(query, index),
            None => Highlights::default(),
        }
    }
}
