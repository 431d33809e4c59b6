//! Action patterns as policies write them (`ims:*:get*`) and the one glob that matches them:
//! a leaf shared by the composer, the reviewer and the exports.

/// Why an action is not `service:resourceType:action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MalformedWhy {
    NotThreeParts,
    BadCharacters,
    UpperCaseService,
}

/// An action pattern from a policy: `ims:*:get*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    pub raw: String,
    pub(crate) service: String,
    resource: String,
    action: String,
    /// `?` matches one character (5.0 only).
    pub(crate) question_mark: bool,
}

impl ActionPattern {
    /// Parses `service:resourceType:action`, where each part is letters, digits, `_`, `-` and
    /// wildcards. Returns why not otherwise.
    pub fn parse(raw: &str, question_mark: bool) -> Result<ActionPattern, MalformedWhy> {
        let parts: Vec<&str> = raw.split(':').collect();
        let [service, resource, action] = parts.as_slice() else {
            return Err(MalformedWhy::NotThreeParts);
        };
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || matches!(c, '*' | '_' | '-')
                        || (question_mark && c == '?')
                })
        };
        if !(ok(service) && ok(resource) && ok(action)) {
            return Err(MalformedWhy::BadCharacters);
        }
        if service.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(MalformedWhy::UpperCaseService);
        }
        Ok(ActionPattern {
            raw: raw.to_string(),
            service: service.to_string(),
            resource: resource.to_ascii_lowercase(),
            action: action.to_ascii_lowercase(),
            question_mark,
        })
    }

    pub fn is_wildcard(&self) -> bool {
        self.raw.contains('*') || (self.question_mark && self.raw.contains('?'))
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// The service when written out (`ims` in `ims:*:get*`), `None` when it is a wildcard too:
    /// what a pattern is filed under, so an action is compared only with its service's patterns.
    pub fn literal_service(&self) -> Option<&str> {
        (!self.service.contains(['*', '?'])).then_some(self.service.as_str())
    }

    /// Whether the pattern covers a concrete action: the service exactly (wildcards aside),
    /// resource type and action case-insensitively.
    pub fn matches(&self, action: &str) -> bool {
        let mut parts = action.split(':');
        let (Some(service), Some(resource), Some(act), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        glob(&self.service, service, self.question_mark)
            && glob_ignoring_case(&self.resource, resource, self.question_mark)
            && glob_ignoring_case(&self.action, act, self.question_mark)
    }

    /// Whether this pattern grants everything `other` (an action or a wildcard) does: it
    /// matches `other` read with its `*` as a plain character, which only a `*` of this
    /// pattern can take, and that `*` takes whatever `other`'s stands for.
    pub fn covers(&self, other: &str) -> bool {
        self.matches(other)
    }

    /// Whether every action this pattern matches is also matched by `other` (for "already
    /// covered by a wildcard").
    pub fn covered_by(&self, other: &ActionPattern) -> bool {
        !self.is_wildcard() && other.matches(&self.raw)
    }
}

/// `*` any run, `?` (when enabled) any one character. Over bytes: patterns and actions are
/// ASCII (both are checked when read), and this runs for every action of every operation.
pub(crate) fn glob(pattern: &str, text: &str, question_mark: bool) -> bool {
    glob_bytes(pattern.as_bytes(), text.as_bytes(), question_mark, false)
}

/// [`glob`] with `text` compared case-insensitively (the pattern is lower case already).
fn glob_ignoring_case(pattern: &str, text: &str, question_mark: bool) -> bool {
    glob_bytes(pattern.as_bytes(), text.as_bytes(), question_mark, true)
}

fn glob_bytes(p: &[u8], t: &[u8], question_mark: bool, fold: bool) -> bool {
    let same = |a: u8, b: u8| a == b || (fold && a == b.to_ascii_lowercase());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        // A `*` of the pattern is always a wildcard, even facing a `*` of the text (a
        // wildcard read as text, by `covers`), so it can still take more than one character.
        if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if pi < p.len() && (same(p[pi], t[ti]) || (question_mark && p[pi] == b'?')) {
            pi += 1;
            ti += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(raw: &str) -> ActionPattern {
        ActionPattern::parse(raw, false).unwrap()
    }

    #[test]
    fn covers_actions_and_narrower_wildcards_only() {
        assert!(p("evs:volumes:*").covers("evs:volumes:get"));
        assert!(p("kms:*:*").covers("kms:cmk:*"));
        assert!(p("ims:*:get*").covers("ims:images:get*"));
        assert!(
            p("ims:*:*x").covers("ims:a:*ax"),
            "a star still takes a run after a star"
        );
        assert!(!p("ims:images:*").covers("ims:*:get"));
        assert!(!p("ims:*:get*").covers("ims:images:*"));
        assert!(!p("obs:bucket:*").covers("obs:object:get"));
    }
}
