//! Views of the back office.

use askama::Template;

use super::Chrome;

pub enum SignInState {
    Form {
        error: Option<String>,
    },
    Sent,
    /// The link was opened: a button POSTs it (mail scanners only GET).
    Confirm {
        token: String,
    },
    Invalid,
}

#[derive(Template)]
#[template(path = "agent_signin.html")]
pub struct SignInPage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub csrf: String,
    pub state: SignInState,
}

/// The workspace's header: who is signed in, where they are, what their role opens.
pub struct StaffNav {
    pub name: String,
    pub csrf: String,
    /// "queues", "phone" or "admin": the entry marked current.
    pub current: &'static str,
    pub queues: bool,
    pub phone: bool,
    pub admin: bool,
    /// Whether the search covers contact details (not for focal points).
    pub contacts: bool,
    /// The search box's text.
    pub q: String,
}

pub struct QueueTab {
    pub title: &'static str,
    pub count: i64,
    pub current: bool,
    pub href: String,
}

pub struct QueueRow {
    pub code: String,
    pub version: i64,
    pub nature: &'static str,
    pub body: String,
    pub received: String,
    pub age: String,
    pub channel: &'static str,
    pub stage: &'static str,
    pub due: String,
    /// «en retard de N j» when the deadline is past.
    pub late_by: Option<String>,
    pub excerpt: String,
    pub theme: Option<String>,
    pub place: String,
    pub verdict: Option<&'static str>,
    pub reopened: bool,
    pub reopen_reason: Option<String>,
}

/// One line of a bulk action's report.
pub struct BulkLine {
    pub code: String,
    pub outcome: &'static str,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "agent_queue.html")]
pub struct QueuePage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub csrf: String,
    pub tabs: Vec<QueueTab>,
    /// The queue shown (slug), or "" for search results.
    pub queue: &'static str,
    pub title: String,
    pub hint: &'static str,
    pub total_label: String,
    pub rows: Vec<QueueRow>,
    /// Rows carry checkboxes and the bulk form is shown.
    pub bulk: bool,
    pub show_verdict: bool,
    pub bodies: Vec<(i64, String)>,
    pub filter_body: Option<i64>,
    pub filter_nature: String,
    pub filter_channel: String,
    pub filter_age: Option<i64>,
    pub sort: &'static str,
    pub sorts: Vec<(&'static str, &'static str)>,
    pub page_label: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub error: Option<&'static str>,
    pub empty: &'static str,
    pub report: Vec<BulkLine>,
    pub notice: Option<&'static str>,
    /// The person's notification cadence (slug), the choices (slug, label).
    pub cadence: String,
    pub cadences: Vec<(&'static str, &'static str)>,
    pub phone_only: bool,
}

impl QueuePage {
    fn channels(&self) -> Vec<(&'static str, &'static str)> {
        ["web", "api", "phone", "open311"]
            .into_iter()
            .map(|ch| (ch, crate::i18n::workspace::channel_label(self.c.lang, ch)))
            .collect()
    }
    fn ages(&self) -> [i64; 3] {
        [7, 15, 30]
    }
    fn natures(&self) -> Vec<(&'static str, &'static str)> {
        crate::domain::nature::Nature::ALL.iter().map(|n| (n.slug(), self.c.t.nature(*n))).collect()
    }
}

#[derive(Template)]
#[template(path = "agent_phone_start.html")]
pub struct PhoneStartPage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub bodies: Vec<(i64, String)>,
}

impl PhoneStartPage {
    fn natures(&self) -> Vec<(&'static str, &'static str)> {
        crate::domain::nature::Nature::ALL.iter().map(|n| (n.slug(), self.c.t.nature(*n))).collect()
    }
}

pub struct StaffHistoryLine {
    pub date: String,
    pub label: &'static str,
    pub who: String,
    pub note: Option<String>,
    pub internal: bool,
}

/// One action form of the request page.
pub struct ActionForm {
    pub slug: &'static str,
    pub label: &'static str,
    /// The message box: its label and whether it must be filled.
    pub message: Option<(&'static str, bool)>,
    pub hint: Option<&'static str>,
    /// Reassignment: the body to send it to.
    pub reassign: bool,
    /// «Marquer traité»: answer templates, attachments, then a preview to confirm.
    pub treat: bool,
    pub secondary: bool,
}

pub struct FileLine {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub from_body: bool,
}

#[derive(Template)]
#[template(path = "agent_request.html")]
pub struct AgentRequestPage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub csrf: String,
    pub code: String,
    pub version: i64,
    pub nature: &'static str,
    pub body: String,
    pub stage: &'static str,
    pub received: String,
    pub channel: &'static str,
    /// The current step's deadline, and by how much it is past.
    pub due: Option<String>,
    pub late_by: Option<String>,
    pub theme: Option<String>,
    pub place: String,
    pub message: String,
    /// Name, email and phone: shown to analysts and admins, not to focal points.
    pub citizen: Option<(String, String, String)>,
    /// Where a partner said the problem is.
    pub reported: Option<Reported>,
    pub verdict: Option<&'static str>,
    pub verdict_comment: Option<String>,
    pub reopen_reason: Option<String>,
    pub history: Vec<StaffHistoryLine>,
    pub files: Vec<FileLine>,
    pub primary: Vec<ActionForm>,
    pub others: Vec<ActionForm>,
    pub bodies: Vec<(i64, String)>,
    /// Answer templates (id, title) and the chosen one's text, put in the answer box.
    pub templates: Vec<(i64, String)>,
    pub chosen_template: Option<i64>,
    /// What the answer box holds (a template, or the answer being edited again).
    pub draft: String,
    pub notice: Option<&'static str>,
    pub error: Option<String>,
}

/// What an Open311 partner sent about where: «lat, lon» with a map link, and/or an address.
pub struct Reported {
    pub position: Option<(String, String)>,
    pub address: Option<String>,
}

/// «Marquer traité», second step: what the citizen will receive, to confirm or edit.
#[derive(Template)]
#[template(path = "agent_preview.html")]
pub struct AnswerPreviewPage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub csrf: String,
    pub code: String,
    pub version: i64,
    pub message: String,
    pub form_key: String,
    pub files: Vec<(String, String)>,
    pub subject: String,
    pub mail_text: String,
    pub sms_text: Option<String>,
}
