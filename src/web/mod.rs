//! The web layer's pure parts: query strings, links, page chrome, views and response headers.
//! Handlers (wasm only, in `crate::app`) glue these to the runtime.

#[cfg(feature = "office")]
pub mod admin;
#[cfg(feature = "office")]
pub mod agent;
pub mod assets;
pub mod caching;
#[cfg(feature = "office")]
pub mod office;
/// The statistics and the information pages: the back office serves them (the citizens' worker
/// hands them over), to keep the citizens' worker small.
#[cfg(feature = "office")]
pub mod public;
pub mod security;
pub mod submit;
pub mod track;
#[cfg(feature = "office")]
pub mod ussd;
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

    /// Pairs already decoded (a posted form's fields).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Params {
        Params(pairs)
    }

    /// The first value for `key`, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Every value for `key`, in order (a repeated parameter).
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
    }

    /// Every pair, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// The query string again (encoded, empty values left out), without `key`.
    pub fn without(&self, key: &str) -> String {
        let pairs: Vec<(&str, &str)> = self
            .0
            .iter()
            .filter(|(k, _)| k != key)
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        href("", &pairs).trim_start_matches('?').to_owned()
    }
}

/// The origin (`scheme://host[:port]`) and the query (without `?`) of an absolute URL as the
/// runtime hands it over, already normalised by the WHATWG URL parser (lower-case host, default
/// port dropped, non-ASCII encoded). Read by hand so the worker does not carry a URL parser.
pub fn origin_and_query(url: &str) -> (String, &str) {
    let url = url.split('#').next().unwrap_or("");
    let (before, query) = url.split_once('?').unwrap_or((url, ""));
    let Some((scheme, rest)) = before.split_once("://") else { return (String::new(), query) };
    let authority = rest.split('/').next().unwrap_or("");
    // Credentials in a URL are not part of its origin.
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    (format!("{scheme}://{host}"), query)
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

    /// What a citizen page's head links to (its stylesheet, icons, the installable portal's
    /// manifest in its language) and its script (the service worker's registration).
    pub fn head(&self) -> views::ChromeHead<'_> {
        views::ChromeHead { c: self }
    }

    /// The skip link, header and menu before a citizen page's content.
    pub fn top(&self) -> views::ChromeTop<'_> {
        views::ChromeTop { c: self }
    }

    /// The footer after a citizen page's content.
    pub fn bottom(&self) -> views::ChromeBottom<'_> {
        views::ChromeBottom { c: self }
    }

    /// `path` and `query` are the current request's; the switch link keeps the query and sets `lang`.
    pub fn new(lang: Lang, nav: &'static str, path: &str, query: &Params) -> Chrome {
        let other = lang.other().code();
        let mut pairs: Vec<(&str, &str)> = query
            .0
            .iter()
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        pairs.push(("lang", other));
        Chrome { lang, t: lang.texts(), nav, switch_href: href(&local_path(path), &pairs) }
    }
}

/// A path that can only stay on this site: «//evil.example/» or «/\\evil.example» (which
/// browsers read as another host) becomes «/evil.example/», a path here.
pub fn local_path(path: &str) -> String {
    format!("/{}", path.trim_start_matches(['/', '\\']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_link_never_leaves_the_site() {
        let q = Params::parse("");
        for path in
            ["//evil.example/", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/x"]
        {
            let c = Chrome::new(Lang::Fr, "", path, &q);
            assert!(
                c.switch_href.starts_with('/') && !c.switch_href.starts_with("//"),
                "{path}: {}",
                c.switch_href
            );
            assert!(!c.switch_href[1..].starts_with('\\'), "{path}: {}", c.switch_href);
        }
        assert_eq!(
            Chrome::new(Lang::Fr, "", "//evil.example/", &q).switch_href,
            "/evil.example/?lang=en"
        );
        assert_eq!(Chrome::new(Lang::Fr, "", "/", &q).switch_href, "/?lang=en");
        assert_eq!(Chrome::new(Lang::Fr, "", "/suivi", &q).switch_href, "/suivi?lang=en");
    }

    #[test]
    fn params_decode_and_keep_first_value() {
        let p = Params::parse("?q=%C3%A9ducation+nationale&page=2&page=3");
        assert_eq!(p.get("q"), Some("éducation nationale"));
        assert_eq!(p.get("page"), Some("2"));
        assert_eq!(p.get("missing"), None);
        assert_eq!(p.all("page"), vec!["2", "3"]);
        assert!(p.all("missing").is_empty() && !p.has("missing") && p.has("q"));
    }

    #[test]
    fn href_encodes_and_skips_empty_values() {
        assert_eq!(href("/organismes", &[]), "/organismes");
        assert_eq!(href("/organismes", &[("q", ""), ("page", "2")]), "/organismes?page=2");
        assert_eq!(
            href("/organismes", &[("q", "eaux & forêts")]),
            "/organismes?q=eaux+%26+for%C3%AAts"
        );
    }

    #[test]
    fn origin_and_query_as_the_url_standard_reads_them() {
        assert_eq!(
            origin_and_query("http://127.0.0.1:8787/suivi?code=1&x=%C3%A9#top"),
            ("http://127.0.0.1:8787".into(), "code=1&x=%C3%A9")
        );
        assert_eq!(origin_and_query("https://milie.ci/"), ("https://milie.ci".into(), ""));
        assert_eq!(
            origin_and_query("https://milie.ci?lang=en"),
            ("https://milie.ci".into(), "lang=en")
        );
        assert_eq!(
            origin_and_query("https://user:pw@milie.ci:8443/a/b?"),
            ("https://milie.ci:8443".into(), "")
        );
        assert_eq!(
            origin_and_query("https://milie.ci/a?b=c?d"),
            ("https://milie.ci".into(), "b=c?d")
        );
        assert_eq!(origin_and_query("not a url"), (String::new(), ""));
    }

    #[test]
    fn language_switch_keeps_the_query() {
        let c = Chrome::new(Lang::Fr, "bodies", "/organismes", &Params::parse("page=2&lang=fr"));
        assert_eq!(c.switch_href, "/organismes?page=2&lang=en");
        assert_eq!(c.t.nav_bodies, "Organismes");
    }
}
