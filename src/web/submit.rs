//! Views of the submission path: nature, body, form, review, confirmation, terms.

use askama::Template;

use super::{href, Chrome};
use crate::domain::body::Body;
use crate::domain::countries::COUNTRIES;
use crate::domain::nature::Nature;
use crate::domain::submission::{FieldErrors, RawSubmission, ABROAD};
use crate::domain::text_field::{MESSAGE_MAX_CHARS, MESSAGE_MIN_CHARS};
use crate::i18n::{problem_message, Lang};

pub use crate::domain::directory::{PlaceKind, PlaceOption, StagedFile, ThemeOption};

pub use crate::domain::directory::size_label;

#[derive(Debug, Clone)]
pub struct ErrorItem {
    pub field: &'static str,
    pub message: String,
}

/// Everything the form (and its review page) needs to show the citizen's input back.
pub struct FormState {
    pub form_key: String,
    pub csrf: String,
    pub values: RawSubmission,
    pub errors: Vec<ErrorItem>,
    pub themes: Vec<ThemeOption>,
    pub places: Vec<PlaceOption>,
    pub staged: Vec<StagedFile>,
    /// A message above the form that is not about one field (technical failure, expiry).
    pub notice: Option<&'static str>,
    /// Turnstile site key when the anti-robot check is on.
    pub turnstile: Option<String>,
    /// Where the form posts: the citizen's path, or the phone operator's.
    pub action: &'static str,
    /// Entered by a phone operator: the terms box records the caller's consent.
    pub phone: bool,
    /// The operator's workspace header: the form then sits in the staff layout.
    #[cfg(feature = "office")]
    pub staff_nav: Option<super::agent::StaffNav>,
    /// What was typed to find a town or village, and how many the server found (without
    /// JavaScript, «Chercher» posts the form and the towns found join the list).
    pub place_search: String,
    pub places_found: Option<usize>,
}

impl FormState {
    pub fn set_errors(&mut self, lang: Lang, errors: &FieldErrors) {
        self.errors = errors
            .iter()
            .map(|(field, problem)| ErrorItem {
                field: field.name(),
                message: problem_message(lang, *field, problem),
            })
            .collect();
    }
}

/// Groups consecutive items by a key, keeping order: `<optgroup>`s.
fn grouped<T, K: PartialEq + Clone>(items: &[T], key: impl Fn(&T) -> K) -> Vec<(K, Vec<&T>)> {
    let mut groups: Vec<(K, Vec<&T>)> = Vec::new();
    for item in items {
        let k = key(item);
        match groups.last_mut() {
            Some((last, members)) if *last == k => members.push(item),
            _ => groups.push((k, vec![item])),
        }
    }
    groups
}

#[derive(Template)]
#[template(path = "submit_nature.html")]
pub struct NaturePage {
    pub c: Chrome,
}

impl NaturePage {
    fn natures(&self) -> Vec<(&'static str, String)> {
        Nature::ALL
            .iter()
            .map(|n| (self.c.t.nature(*n), href("/requete/nouvelle", &[("nature", n.slug())])))
            .collect()
    }
}

#[derive(Template)]
#[template(path = "submit_body.html")]
pub struct BodyChoicePage<'a> {
    pub c: Chrome,
    pub nature: Nature,
    pub query: &'a str,
    pub bodies: &'a [Body],
}

impl BodyChoicePage<'_> {
    fn intro(&self) -> String {
        self.c.t.submit.body_intro.replace("{nature}", &self.c.t.nature(self.nature).to_lowercase())
    }
    fn choose_href(&self, body: &Body) -> String {
        href(
            "/requete/nouvelle",
            &[("nature", self.nature.slug()), ("organisme", &body.id.to_string())],
        )
    }
}

#[derive(Template)]
#[template(path = "submit_form.html")]
pub struct FormPage<'a> {
    pub c: Chrome,
    pub body: &'a Body,
    pub form: FormState,
}

#[derive(Template)]
#[template(path = "submit_review.html")]
pub struct ReviewPage<'a> {
    pub c: Chrome,
    pub body: &'a Body,
    pub form: FormState,
}

/// The same form and review in the staff layout, for a phone operator (`s`: the workspace header).
#[cfg(feature = "office")]
#[derive(Template)]
#[template(path = "agent_phone_form.html")]
pub struct PhoneFormPage<'a> {
    pub c: Chrome,
    pub s: Option<super::agent::StaffNav>,
    pub body: &'a Body,
    pub form: FormState,
}

#[cfg(feature = "office")]
#[derive(Template)]
#[template(path = "agent_phone_review.html")]
pub struct PhoneReviewPage<'a> {
    pub c: Chrome,
    pub s: Option<super::agent::StaffNav>,
    pub body: &'a Body,
    pub form: FormState,
}

/// Shared by the form and its review: labels of what was chosen, and the form's lists.
pub trait FormView {
    fn chrome(&self) -> &Chrome;
    fn form(&self) -> &FormState;

    fn v(&self) -> &RawSubmission {
        &self.form().values
    }
    fn errors_for(&self, field: &str) -> Vec<&str> {
        self.form().errors.iter().filter(|e| e.field == field).map(|e| e.message.as_str()).collect()
    }
    fn invalid(&self, field: &str) -> bool {
        self.form().errors.iter().any(|e| e.field == field)
    }
    /// The ` aria-describedby="…"` attribute of a field: its hint and, when present, its error;
    /// nothing when it has neither. Built from field names only (fixed ASCII), so safe unescaped.
    fn described_by(&self, field: &str, hint: bool) -> String {
        let mut ids = Vec::new();
        if matches!(field, "telephone" | "email") {
            ids.push("contact-either".to_owned());
        }
        if hint {
            ids.push(format!("{field}-hint"));
        }
        if self.invalid(field) {
            ids.push(format!("{field}-error"));
        }
        if ids.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{}\"", ids.join(" "))
        }
    }
    /// Whether `option` is the value currently chosen in a select.
    fn sel(&self, current: &str, option: &str) -> bool {
        current.trim() == option
    }
    fn natures(&self) -> Vec<(&'static str, &'static str)> {
        Nature::ALL.iter().map(|n| (n.slug(), self.chrome().t.nature(*n))).collect()
    }
    fn nature_label(&self) -> &'static str {
        Nature::parse(&self.v().nature).map(|n| self.chrome().t.nature(n)).unwrap_or("")
    }
    fn theme_groups(&self) -> Vec<(String, Vec<&ThemeOption>)> {
        grouped(&self.form().themes, |t| t.category.clone())
    }
    fn theme_label(&self) -> Option<String> {
        let id: i64 = self.v().theme.trim().parse().ok()?;
        self.form()
            .themes
            .iter()
            .find(|t| t.id == id)
            .map(|t| format!("{} : {}", t.category, t.label))
    }
    /// The communes and sous-préfectures by région and département (a sous-préfecture named as a
    /// commune of its group is marked «S/P»), then the towns and villages found (by a search, or
    /// chosen before) in one group of their own, each with its sous-préfecture.
    fn place_groups(&self) -> Vec<(String, Vec<(i64, String)>)> {
        let places = &self.form().places;
        let (listed, found): (Vec<&PlaceOption>, Vec<&PlaceOption>) =
            places.iter().partition(|p| p.kind != PlaceKind::Locality);
        let sp = self.chrome().t.submit.sp_mark;
        let mut groups: Vec<(String, Vec<(i64, String)>)> = grouped(&listed, |p| p.group.clone())
            .into_iter()
            .map(|(g, ps)| {
                let label = |p: &PlaceOption| {
                    let twin = ps.iter().any(|o| o.id != p.id && o.name == p.name);
                    match p.kind {
                        PlaceKind::SousPrefecture if twin => format!("{} ({sp})", p.name),
                        _ => p.name.clone(),
                    }
                };
                let options = ps.iter().map(|p| (p.id, label(p))).collect();
                (g, options)
            })
            .collect();
        if !found.is_empty() {
            groups.push((
                self.chrome().t.submit.localities.to_owned(),
                found.into_iter().map(|p| (p.id, format!("{} ({})", p.name, p.group))).collect(),
            ));
        }
        groups
    }
    /// After «Chercher»: how many towns and villages joined the list, or that none did.
    fn found_text(&self) -> Option<String> {
        let t = &self.chrome().t.submit;
        self.form().places_found.map(|n| {
            if n == 0 {
                t.localities_none.to_owned()
            } else {
                t.localities_found.replace("{n}", &n.to_string())
            }
        })
    }
    fn abroad_value(&self) -> &'static str {
        ABROAD
    }
    fn place_label(&self) -> Option<String> {
        let v = self.v();
        if v.place == ABROAD {
            let country = crate::domain::countries::Country::find(&v.abroad_country)?;
            let name = country.name(self.chrome().lang);
            return Some(match v.abroad_city.trim() {
                "" => format!("{} — {name}", self.chrome().t.submit.abroad),
                city => format!("{} — {city}, {name}", self.chrome().t.submit.abroad),
            });
        }
        let id: i64 = v.place.trim().parse().ok()?;
        let sp = self.chrome().t.submit.sp_mark;
        self.form().places.iter().find(|p| p.id == id).map(|p| match p.kind {
            PlaceKind::SousPrefecture => format!("{} — {sp} ({})", p.name, p.group),
            _ => format!("{} ({})", p.name, p.group),
        })
    }
    fn countries(&self) -> Vec<(&'static str, String)> {
        let lang = self.chrome().lang;
        COUNTRIES.iter().map(|c| (c.code, format!("{} (+{})", c.name(lang), c.dial))).collect()
    }
    fn country_label(&self) -> String {
        crate::domain::countries::Country::find(&self.v().country)
            .map(|c| format!("{} (+{})", c.name(self.chrome().lang), c.dial))
            .unwrap_or_default()
    }
    fn message_hint(&self) -> String {
        self.chrome()
            .t
            .submit
            .message_hint
            .replace("{min}", &MESSAGE_MIN_CHARS.to_string())
            .replace("{max}", &MESSAGE_MAX_CHARS.to_string())
    }
    fn caller_message_hint(&self) -> String {
        self.chrome()
            .t
            .submit
            .caller_message_hint
            .replace("{min}", &MESSAGE_MIN_CHARS.to_string())
            .replace("{max}", &MESSAGE_MAX_CHARS.to_string())
    }
    fn message_max(&self) -> usize {
        MESSAGE_MAX_CHARS
    }
}

impl FormView for FormPage<'_> {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
    fn form(&self) -> &FormState {
        &self.form
    }
}

impl FormView for ReviewPage<'_> {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
    fn form(&self) -> &FormState {
        &self.form
    }
}

#[cfg(feature = "office")]
impl FormView for PhoneFormPage<'_> {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
    fn form(&self) -> &FormState {
        &self.form
    }
}

#[cfg(feature = "office")]
impl FormView for PhoneReviewPage<'_> {
    fn chrome(&self) -> &Chrome {
        &self.c
    }
    fn form(&self) -> &FormState {
        &self.form
    }
}

#[derive(Template)]
#[template(path = "submit_done.html")]
pub struct DonePage {
    pub c: Chrome,
    pub nature: Nature,
    pub code: String,
    /// Where the confirmation goes («» when not given).
    pub email: String,
    pub mobile: String,
    /// Shown to a phone operator, who reads the code to the caller.
    pub phone: bool,
}

/// The confirmation in the staff layout, for the operator who reads the code to the caller.
#[cfg(feature = "office")]
#[derive(Template)]
#[template(path = "agent_phone_done.html")]
pub struct PhoneDonePage {
    pub s: Option<super::agent::StaffNav>,
    pub done: DonePage,
}

#[cfg(feature = "office")]
impl std::ops::Deref for PhoneDonePage {
    type Target = DonePage;
    fn deref(&self) -> &DonePage {
        &self.done
    }
}

impl DonePage {
    fn registered(&self) -> String {
        self.c.t.submit.done_registered.replace("{nature}", self.c.t.nature(self.nature))
    }
    fn mail_note(&self) -> String {
        self.c.t.submit.done_mail.replace("{email}", &self.email)
    }
    fn sms_note(&self) -> String {
        self.c.t.submit.done_sms.replace("{phone}", &self.mobile)
    }
    /// The code as an operator reads it aloud: two groups of four digits.
    fn code_spoken(&self) -> String {
        let digits: Vec<char> = self.code.chars().collect();
        digits
            .chunks(4)
            .map(|c| c.iter().map(char::to_string).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" — ")
    }
}

#[derive(Template)]
#[template(path = "terms.html")]
pub struct TermsPage {
    pub c: Chrome,
}

#[derive(Template)]
#[template(path = "rate_limited.html")]
pub struct RateLimitedPage {
    pub c: Chrome,
    pub minutes: u32,
}

impl RateLimitedPage {
    fn text(&self) -> String {
        self.c.t.submit.rate_limited.replace("{minutes}", &self.minutes.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_the_guide() {
        assert_eq!(size_label(500), "1 Ko");
        assert_eq!(size_label(300 * 1024), "300 Ko");
        assert_eq!(size_label(5 * 1024 * 1024), "5,0 Mo");
    }

    #[test]
    fn grouping_keeps_order() {
        let items = [("a", 1), ("a", 2), ("b", 3), ("a", 4)];
        let groups = grouped(&items, |i| i.0);
        let shape: Vec<(&str, usize)> = groups.iter().map(|(k, v)| (*k, v.len())).collect();
        assert_eq!(shape, [("a", 2), ("b", 1), ("a", 1)]);
    }
}
