//! The two languages of the catalog and of the user interface.

use serde::{Deserialize, Serialize};

/// The language names, notes and messages are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The language the environment asks for: the first non-empty of `LC_ALL`, `LC_MESSAGES`,
    /// `LANG` (the POSIX precedence); `zh*` gives Chinese, anything else English.
    pub fn from_env() -> Lang {
        Self::from_locale_vars(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_env`] over any variable lookup, so it can be tested without touching the
    /// process environment.
    pub fn from_locale_vars(get: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| get(name))
            .find(|value| !value.is_empty());
        match locale {
            Some(value) if value.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// A text in Chinese, English, or both. Either may be missing or empty in a user catalog;
/// [`LocalText::get`] then falls back to the other language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalText {
    pub fn new(zh: &str, en: &str) -> LocalText {
        LocalText {
            zh: Some(zh.to_string()),
            en: Some(en.to_string()),
        }
    }

    /// A text in one language only (an imported table is in one).
    pub fn only(lang: Lang, text: &str) -> LocalText {
        let text = Some(text.to_string());
        match lang {
            Lang::Zh => LocalText { zh: text, en: None },
            Lang::En => LocalText { zh: None, en: text },
        }
    }

    /// The text in `lang`, or in the other language when `lang`'s is missing or empty.
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Zh => (&self.zh, &self.en),
            Lang::En => (&self.en, &self.zh),
        };
        [first, second]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .find(|s| !s.is_empty())
            .unwrap_or("")
    }

    /// The text in exactly `lang`, without falling back.
    pub fn exactly(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Zh => self.zh.as_deref(),
            Lang::En => self.en.as_deref(),
        }
        .filter(|s| !s.is_empty())
    }

    pub fn is_empty(&self) -> bool {
        self.get(Lang::En).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn locale_precedence_and_prefix() {
        assert_eq!(Lang::from_locale_vars(env(&[])), Lang::En);
        assert_eq!(
            Lang::from_locale_vars(env(&[("LANG", "zh_CN.UTF-8")])),
            Lang::Zh
        );
        assert_eq!(Lang::from_locale_vars(env(&[("LANG", "ZH_tw")])), Lang::Zh);
        assert_eq!(
            Lang::from_locale_vars(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_locale_vars(env(&[("LC_ALL", ""), ("LANG", "zh_CN")])),
            Lang::Zh
        );
        assert_eq!(Lang::from_locale_vars(env(&[("LANG", "C")])), Lang::En);
    }

    #[test]
    fn local_text_falls_back() {
        let t = LocalText {
            zh: Some("删除".into()),
            en: Some(String::new()),
        };
        assert_eq!(t.get(Lang::En), "删除");
        assert_eq!(t.get(Lang::Zh), "删除");
        assert_eq!(t.exactly(Lang::En), None);
        let t = LocalText::new("删除", "Delete");
        assert_eq!(t.get(Lang::En), "Delete");
        assert_eq!(t.get(Lang::Zh), "删除");
    }
}
