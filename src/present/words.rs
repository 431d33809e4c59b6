//! Helpers every wording uses: a text by language, punctuation in each language's style.

use crate::lang::Lang;

/// `(en, zh)` by language.
pub(crate) fn pick<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// Punctuation in each language's own style: full-width in Chinese, as Huawei's console
/// writes it, never mixed with ASCII in one sentence.
pub(crate) struct Punct {
    /// `(` / `（`, with the space English wants before it.
    pub(crate) open: &'static str,
    pub(crate) close: &'static str,
    /// `, ` / `、` between the items of a list.
    pub(crate) sep: &'static str,
    pub(crate) colon: &'static str,
    pub(crate) semi: &'static str,
}

pub(crate) fn punct(lang: Lang) -> Punct {
    match lang {
        Lang::En => Punct {
            open: " (",
            close: ")",
            sep: ", ",
            colon: ": ",
            semi: "; ",
        },
        Lang::Zh => Punct {
            open: "（",
            close: "）",
            sep: "、",
            colon: "：",
            semi: "；",
        },
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// An operation's route as shown (`GET /v2/cloudimages`), or that it has none.
pub fn route_or_none(op: &crate::catalog::Operation, lang: Lang) -> String {
    match &op.route {
        Some(route) => route.to_string(),
        None => pick(lang, "no API route", "无 API 路由").to_string(),
    }
}

/// `list-images (GET /v2/cloudimages)`, `list-buckets (no API route)`.
pub fn id_and_route(op: &crate::catalog::Operation, lang: Lang) -> String {
    let p = punct(lang);
    format!("{}{}{}{}", op.id, p.open, route_or_none(op, lang), p.close)
}
