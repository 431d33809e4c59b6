//! The one evaluator: what a policy's statements decide for an action, as IAM decides it. An
//! explicit Deny of the action wins; else it is allowed when an Allow matches it; else it is
//! implicitly denied. A statement matches by `Action` (the patterns, `*` and `?`) or by
//! `NotAction` (every action none of its patterns matches). `explain`, `simulate`, the
//! explorer's review marks, `--compact` and `--fix` all decide through [`Decisions`].
//!
//! Statements are filed for lookup: concrete actions hashed, wildcards by their service (when
//! it is written out), so an action is compared only with the wildcards of its own service, and
//! each distinct action is decided once. A statement of 60,000 wildcards costs one pass, not
//! one per operation per wildcard.

use std::collections::HashMap;

use serde::Serialize;

use crate::catalog::action::ActionPattern;

/// Where the authorization is in effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// An IAM project (every operation supports it).
    #[default]
    Project,
    /// An enterprise project: an operation that does not support one is not in effect there,
    /// whatever a policy says.
    EnterpriseProject,
}

/// One statement as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadStatement {
    /// Its place in the document's `Statement` array.
    pub index: usize,
    pub allow: bool,
    /// `NotAction`: the statement applies to every action its patterns do not match.
    pub not_action: bool,
    /// The `Action` (or `NotAction`) patterns.
    pub actions: Vec<ActionPattern>,
    /// It has a `Condition`, `Resource` or `NotResource`: its effect holds only when those do,
    /// which is not evaluated.
    pub conditional: bool,
}

impl ReadStatement {
    /// A plain statement of `Action` patterns (a composed policy's).
    pub fn of_actions(index: usize, allow: bool, actions: Vec<ActionPattern>) -> ReadStatement {
        ReadStatement {
            index,
            allow,
            not_action: false,
            actions,
            conditional: false,
        }
    }
}

/// A statement and pattern that matched an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matched {
    /// The statement's place in `Statement`, 0-based.
    pub statement: usize,
    /// The pattern's place in its `Action`, 0-based; `None` for a `NotAction` statement (it
    /// matched because none of its patterns did).
    pub index: Option<usize>,
    /// The pattern as written; for a `NotAction` statement, `NotAction`.
    pub pattern: String,
    #[serde(skip)]
    pub not_action: bool,
    /// The statement has a Condition or Resource.
    #[serde(skip)]
    pub conditional: bool,
}

/// What the statements decide for one action: the Allows and the Denies that match it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    pub allowed_by: Vec<Matched>,
    pub denied_by: Vec<Matched>,
}

impl Decision {
    pub fn allowed(&self) -> bool {
        !self.allowed_by.is_empty()
    }

    pub fn denied(&self) -> bool {
        !self.denied_by.is_empty()
    }

    /// Allowed and not denied.
    pub fn effective(&self) -> bool {
        self.allowed() && !self.denied()
    }

    /// The Deny patterns that match, as written, each once.
    pub fn deny_patterns(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in &self.denied_by {
            if !out.contains(&m.pattern) {
                out.push(m.pattern.clone());
            }
        }
        out
    }
}

type Filed<'a> = HashMap<Option<&'a str>, Vec<(usize, usize, &'a ActionPattern)>>;

/// One effect's statements, filed for lookup.
#[derive(Default)]
struct Side<'a> {
    /// Lower-case action → (statement, pattern index, pattern).
    exact: HashMap<String, Vec<(usize, usize, &'a ActionPattern)>>,
    /// Service → its wildcards; `None`: wildcards whose service is a wildcard too.
    wild: Filed<'a>,
    /// `NotAction` statements, whole.
    not_action: Vec<&'a ReadStatement>,
    /// Statement index → whether it is conditional.
    conditional: HashMap<usize, bool>,
}

impl<'a> Side<'a> {
    fn add(&mut self, st: &'a ReadStatement) {
        self.conditional.insert(st.index, st.conditional);
        if st.not_action {
            self.not_action.push(st);
            return;
        }
        for (k, p) in st.actions.iter().enumerate() {
            if p.is_wildcard() {
                self.wild
                    .entry(p.literal_service())
                    .or_default()
                    .push((st.index, k, p));
            } else {
                self.exact
                    .entry(p.raw.to_ascii_lowercase())
                    .or_default()
                    .push((st.index, k, p));
            }
        }
    }

    /// Every statement and pattern of this side that matches `action`, in document order.
    fn matching(&self, action: &str) -> Vec<Matched> {
        // Services are lower case in IAM; resource types and actions compare in any case.
        let lower = action.to_ascii_lowercase();
        let action = lower.as_str();
        let service = action.split(':').next().unwrap_or("");
        let of = |(statement, index, p): (usize, usize, &ActionPattern)| Matched {
            statement,
            index: Some(index),
            pattern: p.raw.clone(),
            not_action: false,
            conditional: self.conditional.get(&statement).copied().unwrap_or(false),
        };
        let mut out: Vec<Matched> = self
            .exact
            .get(action)
            .into_iter()
            .flatten()
            .copied()
            .map(of)
            .collect();
        let wild = self
            .wild
            .get(&Some(service))
            .into_iter()
            .chain(self.wild.get(&None))
            .flatten()
            .copied()
            .filter(|(_, _, p)| p.matches(action));
        out.extend(wild.map(of));
        for st in &self.not_action {
            if !st.actions.iter().any(|p| p.matches(action)) {
                out.push(Matched {
                    statement: st.index,
                    index: None,
                    pattern: "NotAction".into(),
                    not_action: true,
                    conditional: st.conditional,
                });
            }
        }
        out.sort_by_key(|m| (m.statement, m.index));
        out
    }
}

/// What the statements decide for each distinct action, worked out once per action however
/// many operations name it.
pub struct Decisions<'a> {
    allow: Side<'a>,
    deny: Side<'a>,
    known: std::cell::RefCell<HashMap<String, std::rc::Rc<Decision>>>,
}

impl<'a> Decisions<'a> {
    pub fn new(statements: &'a [ReadStatement]) -> Decisions<'a> {
        let (mut allow, mut deny) = (Side::default(), Side::default());
        for st in statements {
            if st.allow {
                allow.add(st);
            } else {
                deny.add(st);
            }
        }
        Decisions {
            allow,
            deny,
            known: Default::default(),
        }
    }

    pub fn decide(&self, action: &str) -> std::rc::Rc<Decision> {
        let key = action.to_ascii_lowercase();
        if let Some(d) = self.known.borrow().get(&key) {
            return std::rc::Rc::clone(d);
        }
        let d = std::rc::Rc::new(Decision {
            allowed_by: self.allow.matching(action),
            denied_by: self.deny.matching(action),
        });
        self.known.borrow_mut().insert(key, std::rc::Rc::clone(&d));
        d
    }

    pub fn allows(&self, action: &str) -> bool {
        self.decide(action).allowed()
    }

    /// Allowed and not denied.
    pub fn effective(&self, action: &str) -> bool {
        self.decide(action).effective()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(index: usize, allow: bool, not_action: bool, actions: &[&str]) -> ReadStatement {
        ReadStatement {
            index,
            allow,
            not_action,
            actions: actions
                .iter()
                .map(|a| ActionPattern::parse(a, true).unwrap())
                .collect(),
            conditional: false,
        }
    }

    #[test]
    fn explicit_deny_wins_and_not_action_matches_the_rest() {
        let statements = [
            st(0, true, false, &["ims:images:*", "ims:images:list"]),
            st(1, false, false, &["ims:images:copy"]),
            st(2, true, true, &["ims:images:delete"]),
        ];
        let d = Decisions::new(&statements);
        let copy = d.decide("ims:images:copy");
        assert!(copy.allowed() && copy.denied() && !copy.effective());
        assert_eq!(copy.denied_by[0].statement, 1);
        assert_eq!(copy.denied_by[0].index, Some(0));
        let list = d.decide("IMS:images:LIST");
        let by: Vec<(usize, Option<usize>, &str)> = list
            .allowed_by
            .iter()
            .map(|m| (m.statement, m.index, m.pattern.as_str()))
            .collect();
        assert_eq!(
            by,
            [
                (0, Some(0), "ims:images:*"),
                (0, Some(1), "ims:images:list"),
                (2, None, "NotAction")
            ]
        );
        // NotAction: every action but those listed.
        let delete = d.decide("ims:images:delete");
        assert_eq!(delete.allowed_by.len(), 1);
        assert!(d.decide("ecs:servers:list").effective());
        let deny_all_but_list = [
            st(0, true, false, &["ims:*:*"]),
            st(1, false, true, &["ims:images:list"]),
        ];
        let d = Decisions::new(&deny_all_but_list);
        assert!(d.effective("ims:images:list"));
        assert!(!d.effective("ims:images:get"));
        assert_eq!(d.decide("ims:images:get").deny_patterns(), ["NotAction"]);
    }
}
