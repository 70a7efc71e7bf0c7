//! The web layer's pure parts: query strings, links, page chrome, views and response headers.
//! Handlers (wasm only, in `crate::app`) glue these to the runtime.

pub mod admin;
pub mod agent;
pub mod assets;
pub mod caching;
pub mod public;
pub mod security;
pub mod submit;
pub mod track;
pub mod views;

use crate::i18n::{Lang, Texts};

/// A decoded query string or urlencoded form, in order, duplicates kept.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: &str) -> Params {
        let raw = raw.strip_prefix('?').unwrap_or(raw);
        Params(form_urlencoded::parse(raw.as_bytes()).into_owned().collect())
    }

    /// The first value for `key`, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The query string again (encoded, empty values left out), without `key`.
    pub fn without(&self, key: &str) -> String {
        let pairs: Vec<(&str, &str)> = self.0.iter().filter(|(k, _)| k != key).map(|(k, v)| (k.as_str(), v.as_str())).collect();
        href("", &pairs).trim_start_matches('?').to_owned()
    }
}

/// Builds `path?k=v&…`, leaving out empty values so links stay short and clean.
pub fn href(path: &str, params: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
        query.append_pair(k, v);
        any = true;
    }
    if any {
        format!("{path}?{}", query.finish())
    } else {
        path.to_owned()
    }
}

/// What every page needs around its content: language, texts, which menu entry is current,
/// and the link that shows the same page in the other language.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub lang: Lang,
    pub t: &'static Texts,
    /// Menu key of the current section ("home", "bodies", …), for `aria-current`.
    pub nav: &'static str,
    pub switch_href: String,
}

impl Chrome {
    pub fn css(&self) -> &'static str {
        assets::CSS
    }

    /// `path` and `query` are the current request's; the switch link keeps the query and sets `lang`.
    pub fn new(lang: Lang, nav: &'static str, path: &str, query: &Params) -> Chrome {
        let other = lang.other().code();
        let mut pairs: Vec<(&str, &str)> = query.0.iter().filter(|(k, _)| k != "lang").map(|(k, v)| (k.as_str(), v.as_str())).collect();
        pairs.push(("lang", other));
        Chrome { lang, t: lang.texts(), nav, switch_href: href(path, &pairs) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_decode_and_keep_first_value() {
        let p = Params::parse("?q=%C3%A9ducation+nationale&page=2&page=3");
        assert_eq!(p.get("q"), Some("éducation nationale"));
        assert_eq!(p.get("page"), Some("2"));
        assert_eq!(p.get("missing"), None);
    }

    #[test]
    fn href_encodes_and_skips_empty_values() {
        assert_eq!(href("/organismes", &[]), "/organismes");
        assert_eq!(href("/organismes", &[("q", ""), ("page", "2")]), "/organismes?page=2");
        assert_eq!(href("/organismes", &[("q", "eaux & forêts")]), "/organismes?q=eaux+%26+for%C3%AAts");
    }

    #[test]
    fn language_switch_keeps_the_query() {
        let c = Chrome::new(Lang::Fr, "bodies", "/organismes", &Params::parse("page=2&lang=fr"));
        assert_eq!(c.switch_href, "/organismes?page=2&lang=en");
        assert_eq!(c.t.nav_bodies, "Organismes");
    }
}
