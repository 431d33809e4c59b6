//! The explorer's composer: the options and toggles the selection gives, composing again when
//! they change (through `compose`, so the policy is the command line's), and what changed
//! against a reviewed policy.

use super::*;

impl App {
    /// Actions added and removed against the reviewed policy: (added, removed), in the
    /// catalog's spelling, in case-insensitive order.
    pub fn policy_difference(&self) -> Option<(Vec<String>, Vec<String>)> {
        let loaded = self.loaded.as_ref().filter(|l| l.review.evaluated)?;
        let after: BTreeMap<String, String> = self
            .composition
            .as_ref()
            .and_then(|c| c.policy.as_ref())
            .map(|p| {
                p.statements
                    .iter()
                    .flat_map(|s| {
                        s.actions
                            .iter()
                            .map(|a| (a.to_ascii_lowercase(), a.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let added = after
            .iter()
            .filter(|(k, _)| !loaded.before.contains_key(*k))
            .map(|(_, v)| v.clone())
            .collect();
        let removed = loaded
            .before
            .iter()
            .filter(|(k, _)| !after.contains_key(*k))
            .map(|(_, v)| v.clone())
            .collect();
        Some((added, removed))
    }

    /// The reviewed file's patterns the composed policy no longer has: dropped statements,
    /// wildcards replaced by actions, patterns removed.
    pub fn policy_changes(&self) -> &[crate::policy::review::PatternChange] {
        &self.changes
    }

    /// [`App::policy_changes`] worked out anew.
    pub(super) fn changes_now(&self) -> Vec<crate::policy::review::PatternChange> {
        let Some(loaded) = self.loaded.as_ref().filter(|l| l.review.evaluated) else {
            return Vec::new();
        };
        let empty = crate::policy::compose::Policy {
            version: "1.1".into(),
            statements: Vec::new(),
        };
        let after = self
            .composition
            .as_ref()
            .and_then(|c| c.policy.as_ref())
            .unwrap_or(&empty);
        crate::policy::review::pattern_changes(&loaded.review.statements, after)
    }

    /// The composer options the selection stands for (what `--with` the CLI would need).
    pub fn options(&self) -> ComposeOptions {
        ComposeOptions {
            with: self.with.clone(),
            dependencies_of: self.dependencies_of.clone(),
            ..ComposeOptions::default()
        }
    }

    /// The conditional actions of the selected operations, in selection order.
    pub fn toggles(&self) -> Vec<Toggle> {
        let Some(c) = &self.composition else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for i in self.selected.iter() {
            for a in self.catalog.operations()[i]
                .actions
                .iter()
                .filter(|a| a.is_conditional())
            {
                let entry = c
                    .report
                    .conditional_included
                    .iter()
                    .find(|x| x.operation == i && *x.action == *a.action);
                out.push(Toggle {
                    operation: i,
                    action: a.action.to_string(),
                    included: entry.is_some(),
                    kind: ToggleKind::Conditional,
                    needed_by: entry.and_then(|e| e.needed_by),
                });
            }
            let op = &self.catalog.operations()[i];
            if !op.dependencies.is_empty() {
                out.push(Toggle {
                    operation: i,
                    action: op
                        .dependencies
                        .iter()
                        .map(|d| d.action.as_ref())
                        .collect::<Vec<_>>()
                        .join(", "),
                    included: self.dependencies_of.contains(&i),
                    kind: ToggleKind::Dependencies,
                    needed_by: None,
                });
            }
        }
        out
    }

    pub(super) fn toggle_conditional(&mut self) {
        let toggles = self.toggles();
        let Some(t) = toggles.get(self.composer_cursor) else {
            return;
        };
        if t.kind == ToggleKind::Dependencies {
            match self.dependencies_of.iter().position(|&o| o == t.operation) {
                Some(p) => {
                    self.dependencies_of.remove(p);
                }
                None => self.dependencies_of.push(t.operation),
            }
            self.recompose();
            return;
        }
        if let Some(other) = t.needed_by {
            self.notice = Some(Notice::NeededBy {
                action: t.action.clone(),
                operation: self.catalog.operations()[other].id.clone(),
            });
            return;
        }
        let key = t.action.to_ascii_lowercase();
        let op = &self.catalog.operations()[t.operation];
        if !t.included {
            self.with.push(key);
        } else if op.all_conditional() {
            // Keep the operation's other included actions picked explicitly.
            let others: Vec<String> = toggles
                .iter()
                .filter(|x| x.operation == t.operation && x.included && x.action != t.action)
                .map(|x| x.action.to_ascii_lowercase())
                .collect();
            if others.is_empty() {
                self.notice = Some(Notice::NeedsOneAction);
                return;
            }
            self.with.retain(|w| *w != key);
            for o in others {
                if !self.with.contains(&o) {
                    self.with.push(o);
                }
            }
        } else {
            self.with.retain(|w| *w != key);
        }
        self.recompose();
    }

    /// Composes again after the selection or a toggle changed. `with` keeps only actions that
    /// are still conditional actions of a selected operation, so it is always a valid `--with`.
    pub(super) fn recompose(&mut self) {
        let ops = self.catalog.operations();
        let selected = &self.selected;
        self.with.retain(|w| {
            selected.iter().any(|i| {
                ops[i]
                    .actions
                    .iter()
                    .any(|a| a.is_conditional() && a.action.to_ascii_lowercase() == *w)
            })
        });
        self.dependencies_of.retain(|&o| selected.contains(o));
        (self.composition, self.compose_failure) = if self.selected.is_empty() {
            (None, None)
        } else {
            match compose(&self.catalog, self.selected.as_slice(), &self.options()) {
                Ok(c) => (Some(c), None),
                Err(e) => (None, Some(e)),
            }
        };
        self.changes = self.changes_now();
        let n = self.toggles().len();
        self.composer_cursor = self.composer_cursor.min(n.saturating_sub(1));
    }
}
