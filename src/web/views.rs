//! Page views: one struct per template, holding exactly what the page shows.
//! Templates live in `src/templates/` and escape everything by default.

use askama::Template;

use super::{href, Chrome};
use crate::domain::body::Body;
use crate::domain::nature::Nature;
use crate::domain::pagination::{Page, PAGE_SIZES};

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub c: Chrome,
}

impl HomePage {
    fn natures(&self) -> Vec<(&'static str, String)> {
        nature_links(&self.c)
    }
}

/// The three entries of «SOUMETTRE UNE REQUETE»: label and link.
fn nature_links(c: &Chrome) -> Vec<(&'static str, String)> {
    Nature::ALL
        .iter()
        .map(|n| (c.t.nature(*n), href("/requete/nouvelle", &[("nature", n.slug())])))
        .collect()
}

/// The chrome around a citizen page's content: the skip link, header and menu before it, the
/// footer after. Each is one template rendered by every page (`Chrome::top`, `Chrome::bottom`):
/// a base template's text would be copied into each page that extends it.
#[derive(Template)]
#[template(path = "chrome_head.html")]
pub struct ChromeHead<'a> {
    pub c: &'a Chrome,
}

#[derive(Template)]
#[template(path = "chrome_top.html")]
pub struct ChromeTop<'a> {
    pub c: &'a Chrome,
}

impl ChromeTop<'_> {
    fn menu_natures(&self) -> Vec<(&'static str, String)> {
        nature_links(self.c)
    }
}

#[derive(Template)]
#[template(path = "chrome_bottom.html")]
pub struct ChromeBottom<'a> {
    pub c: &'a Chrome,
}

#[derive(Template)]
#[template(path = "bodies.html")]
pub struct BodiesPage<'a> {
    pub c: Chrome,
    pub query: &'a str,
    pub page: Page,
    pub bodies: &'a [Body],
}

impl BodiesPage<'_> {
    fn page_sizes(&self) -> &'static [u32] {
        &PAGE_SIZES
    }
    fn page_href(&self, page: usize) -> String {
        let page = page.to_string();
        let per_page = self.page.per_page.to_string();
        href("/organismes", &[("q", self.query), ("page", &page), ("per_page", &per_page)])
    }
    /// «Gouvernement du 23 janvier 2026» for a member of that government.
    fn government(&self, body: &Body) -> Option<String> {
        let t = &self.c.t;
        let b = body.government.as_bytes();
        let ok = b.len() == 10 && crate::domain::time::parse_day(&body.government).is_some();
        let month = if ok { body.government[5..7].parse::<usize>().ok()? } else { return None };
        let day = body.government[8..10].trim_start_matches('0');
        let date = format!("{day} {} {}", t.months[month - 1], &body.government[..4]);
        Some(t.government_of.replace("{date}", &date))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub title: &'static str,
    pub text: &'static str,
    /// Shown for unexpected errors so support can find the log line.
    pub reference: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pagination::PageRequest;
    use crate::i18n::Lang;
    use crate::web::Params;

    fn chrome(lang: Lang, nav: &'static str) -> Chrome {
        Chrome::new(lang, nav, "/", &Params::default())
    }

    #[test]
    fn home_has_the_guide_menu_in_french_and_english() {
        let fr = HomePage { c: chrome(Lang::Fr, "home") }.render().unwrap();
        for label in [
            "Accueil",
            "A propos",
            "Soumettre une requête",
            "Suivre une requête",
            "Organismes",
            "Statistiques",
            "Informations",
            "Le guide",
            "Réclamation",
            "Observation",
            "Suggestion",
        ] {
            assert!(fr.contains(label), "menu entry {label} missing");
        }
        assert!(fr.contains(r#"<html lang="fr">"#));
        assert!(fr.contains(r#"href="/requete/nouvelle?nature=reclamation""#));
        let en = HomePage { c: chrome(Lang::En, "home") }.render().unwrap();
        assert!(
            en.contains(r#"<html lang="en">"#)
                && en.contains("Track a request")
                && en.contains("Complaint")
        );
    }

    #[test]
    fn bodies_page_escapes_and_links_phones() {
        let bodies = vec![
            Body {
                id: 1,
                slug: "x".into(),
                name: "Ministère <script>alert(1)</script>".into(),
                phones: vec![crate::domain::body::parse_phone("20212674").unwrap()],
                location: "Plateau, Etat Major".into(),
                email: Some("contact@defense.gouv.ci".into()),
                formerly: vec!["Ministère d'Etat, Ministère de la Défense".into()],
                government: "2026-01-23".into(),
                ..Body::default()
            },
            Body { id: 2, name: "Office sans contact".into(), ..Body::default() },
        ];
        let page = PageRequest::default().resolve(2);
        let html =
            BodiesPage { c: chrome(Lang::Fr, "bodies"), query: "a\"b", page, bodies: &bodies }
                .render()
                .unwrap();
        assert!(!html.contains("<script>alert(1)"), "names must be escaped");
        assert!(
            html.contains("Ministère &#60;script&#62;alert(1)&#60;/script&#62;"),
            "escaped name shown"
        );
        assert!(html.contains(r#"href="tel:+2252720212674""#));
        assert!(html.contains("Nombre de résultats : <strong>2</strong>"));
        assert!(html.contains("Gouvernement du 23 janvier 2026"));
        assert!(html.contains("anciennement Ministère d&#39;Etat, Ministère de la Défense"));
        assert!(html.contains("Contact non communiqué"));
        assert!(!html.contains(r#"value="a"b""#), "the query must be escaped in the search box");
    }
}
