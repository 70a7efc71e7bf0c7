//! Views of the administration pages.

use askama::Template;

use super::agent::StaffNav;
use super::{Chrome, Params};

pub struct StaffRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub body: Option<String>,
    pub active: bool,
    /// The role's slug and the body's id, for the role form.
    pub role_slug: String,
    pub body_id: Option<i64>,
}

pub struct BodyRow {
    pub id: i64,
    pub name: String,
    pub acronym: String,
    /// Where its entry comes from (a page's address, or the guide) and that page's date.
    pub source: String,
    pub source_date: String,
    /// The rest of what its source says, for the body's page: (label, value), blanks left out.
    pub about: Vec<(&'static str, String)>,
    pub phones: String,
    pub location: String,
    pub email: String,
    pub triage_days: i64,
    pub treatment_days: i64,
    pub business_days: bool,
    pub active: bool,
    /// No active focal point (admins see it flagged); with no email either, nobody hears of it.
    pub no_focal_point: bool,
}

pub struct ApiKeyRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: Option<String>,
    pub revoked: bool,
}

pub struct HolidayRow {
    pub day: String,
    pub label: String,
}

pub struct FailedRow {
    pub id: i64,
    pub channel: String,
    pub template: String,
    /// Masked: the page shows enough to recognise the recipient, not the whole address.
    pub recipient: String,
    pub code: Option<String>,
    pub attempts: i64,
    pub error: String,
    pub date: String,
}

/// A daily job's state, in the admins' words.
pub struct JobRow {
    pub name: &'static str,
    pub day: String,
    pub state: &'static str,
    pub failing: bool,
    pub slices: i64,
    pub failures: i64,
    pub error: String,
}

pub struct ThemeRow {
    pub id: i64,
    pub label_fr: String,
    pub label_en: String,
    pub active: bool,
}

pub struct TemplateRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub excerpt: String,
}

/// One line of an import's preview: what (a name) and how (its kind, or what changes).
pub struct ImportLine {
    pub name: String,
    pub detail: String,
}

/// The places or bodies an import adds, changes or closes (the first 200 shown).
pub struct ImportList {
    pub title: &'static str,
    pub column: &'static str,
    pub count: usize,
    pub lines: Vec<ImportLine>,
    pub more: Option<String>,
}

/// What one administration page shows.
pub enum Section {
    Overview {
        staff: usize,
        bodies: usize,
        failed: usize,
        keys: usize,
        templates: usize,
    },
    Staff {
        rows: Vec<StaffRow>,
        bodies: Vec<(i64, String)>,
        me: i64,
    },
    Bodies {
        rows: Vec<BodyRow>,
    },
    Themes {
        bodies: Vec<(i64, String)>,
        chosen: Option<(i64, String)>,
        themes: Vec<ThemeRow>,
    },
    Places {
        /// (kind, active places of that kind)
        counts: Vec<(&'static str, i64)>,
    },
    /// An import's preview: what confirming will do, and the confirmation (its address and the
    /// directory's version it was made against) unless there is nothing to do.
    Import {
        summary: String,
        lists: Vec<ImportList>,
        note: &'static str,
        confirm: Option<(String, i64)>,
        cancel: &'static str,
    },
    Holidays {
        rows: Vec<HolidayRow>,
    },
    Keys {
        rows: Vec<ApiKeyRow>,
    },
    Templates {
        rows: Vec<TemplateRow>,
        bodies: Vec<(i64, String)>,
    },
    Failed {
        rows: Vec<FailedRow>,
        jobs: Vec<JobRow>,
    },
    Settings {
        email: bool,
        sms: bool,
    },
    /// Before a destructive action: what it does, the button that does it, the way back.
    Confirm {
        question: String,
        consequence: &'static str,
        action: String,
        button: &'static str,
        cancel: String,
    },
}

#[derive(Template)]
#[template(path = "admin_page.html")]
pub struct AdminPage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub csrf: String,
    /// The entry of the administration's menu this page is ("" for the overview).
    pub current: &'static str,
    pub title: String,
    pub notice: Option<String>,
    pub errors: Vec<String>,
    /// The fields of a refused form, shown again.
    pub kept: Params,
    pub section: Section,
}

/// Is `s` a web address a link can open (a source may be the guide, in words).
fn is_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

impl AdminPage {
    /// The words of the directory's imports and exports.
    fn iw(&self) -> &'static crate::i18n::import::ImportTexts {
        crate::i18n::import::texts(self.c.lang)
    }
    fn is_url(&self, s: &str) -> bool {
        is_url(s)
    }
    fn roles(&self) -> Vec<(&'static str, &'static str)> {
        ["analyst", "focal_point", "phone_operator", "supervisor", "admin"]
            .into_iter()
            .map(|r| (r, self.c.t.admin.role(r)))
            .collect()
    }
    fn kept(&self, name: &str) -> &str {
        self.kept.get(name).unwrap_or("")
    }
    /// The administration's pages: (slug, label).
    fn pages(&self) -> Vec<(&'static str, &'static str)> {
        admin_pages(&self.c)
    }
}

/// The administration's menu: one page per thing managed.
pub fn admin_pages(c: &Chrome) -> Vec<(&'static str, &'static str)> {
    let t = c.t.admin;
    let w = c.t.manage;
    let o = crate::i18n::office_admin::texts(c.lang);
    {
        vec![
            ("agents", t.staff),
            ("organismes", t.bodies),
            ("themes", t.themes),
            ("lieux", t.places),
            ("jours-feries", t.holidays),
            ("cles-api", t.api_keys),
            ("modeles", w.templates),
            ("notifications", t.failed),
            ("parametres", t.settings),
            ("journal", o.journal),
            ("donnees", o.rights),
        ]
    }
}

#[derive(Template)]
#[template(path = "admin_body.html")]
pub struct AdminBodyPage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub csrf: String,
    pub body: BodyRow,
    pub notice: Option<String>,
    pub errors: Vec<String>,
}

/// «awa.kone@example.ci» → «a•••@example.ci»; «+2250707123456» → «+225•••••••456».
pub fn mask(recipient: &str) -> String {
    match recipient.split_once('@') {
        Some((local, domain)) => format!("{}•••@{domain}", local.chars().next().unwrap_or('•')),
        None => {
            let chars: Vec<char> = recipient.chars().collect();
            if chars.len() <= 7 {
                return "•".repeat(chars.len());
            }
            let head: String = chars[..4].iter().collect();
            let tail: String = chars[chars.len() - 3..].iter().collect();
            format!("{head}{}{tail}", "•".repeat(chars.len() - 7))
        }
    }
}

impl AdminBodyPage {
    fn iw(&self) -> &'static crate::i18n::import::ImportTexts {
        crate::i18n::import::texts(self.c.lang)
    }
    fn is_url(&self, s: &str) -> bool {
        is_url(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_are_masked() {
        assert_eq!(mask("awa.kone@example.ci"), "a•••@example.ci");
        assert_eq!(mask("+2250707123456"), "+225•••••••456");
    }
}
