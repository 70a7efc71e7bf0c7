//! Views of the administration pages.

use askama::Template;

use super::views::{layout, Layout};
use super::Chrome;

pub struct StaffRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub body: Option<String>,
    pub active: bool,
}

pub struct BodyRow {
    pub id: i64,
    pub name: String,
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

pub struct ThemeRow {
    pub id: i64,
    pub label_fr: String,
    pub label_en: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin_home.html")]
pub struct AdminHomePage {
    pub c: Chrome,
    pub csrf: String,
    pub notice: Option<String>,
    pub errors: Vec<String>,
    pub staff: Vec<StaffRow>,
    pub bodies: Vec<BodyRow>,
    pub failed: Vec<FailedRow>,
    pub notify_email: bool,
    pub notify_sms: bool,
    pub holidays: Vec<HolidayRow>,
    pub api_keys: Vec<ApiKeyRow>,
}

impl AdminHomePage {
    fn roles(&self) -> Vec<(&'static str, &'static str)> {
        ["analyst", "focal_point", "phone_operator", "supervisor", "admin"].into_iter().map(|r| (r, self.c.t.admin.role(r))).collect()
    }
}

#[derive(Template)]
#[template(path = "admin_body.html")]
pub struct AdminBodyPage {
    pub c: Chrome,
    pub csrf: String,
    pub body: BodyRow,
    pub themes: Vec<ThemeRow>,
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

layout!(AdminHomePage, AdminBodyPage);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_are_masked() {
        assert_eq!(mask("awa.kone@example.ci"), "a•••@example.ci");
        assert_eq!(mask("+2250707123456"), "+225•••••••456");
    }
}
