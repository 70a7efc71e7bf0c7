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
    /// Who holds it within its body; how many duplicates follow it.
    pub holder: Option<String>,
    pub followers: i64,
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
    pub o: &'static crate::i18n::office::OfficeTexts,
    pub filter_late: bool,
    /// This list as CSV and as XLSX (the same URL with `format`).
    pub exports: Option<(String, String)>,
    /// «Absent(e) jusqu'au …» when the person is away.
    pub away: Option<String>,
    /// The dashboard's link in the page.
    pub dashboard: bool,
}

impl QueuePage {
    fn channels(&self) -> Vec<(&'static str, &'static str)> {
        crate::domain::channel::Channel::ALL
            .map(|c| c.slug())
            .into_iter()
            .map(|ch| (ch, crate::i18n::workspace::channel_label(self.c.lang, ch)))
            .collect()
    }
    fn dashboard_label(&self) -> &'static str {
        crate::i18n::office_admin::texts(self.c.lang).nav_dashboard
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
    /// «Attribuer à»: the colleague to give it to.
    pub assign: bool,
    pub secondary: bool,
}

/// A possible duplicate offered on the request page.
pub struct DuplicateLine {
    pub code: String,
    pub version: i64,
    /// Word overlap, in percent.
    pub score: u8,
    /// «même thème et même lieu» or «à 120 m».
    pub place: String,
    pub stage: &'static str,
    pub received: String,
    pub excerpt: String,
    pub merge_href: String,
    /// A request with followers of its own cannot be attached.
    pub attachable: bool,
}

/// The request page's duplicates panel.
pub struct Merging {
    pub can_merge: bool,
    pub duplicates: Vec<DuplicateLine>,
    /// The requests merged into this one (code, date received).
    pub followers: Vec<(String, String)>,
    /// The main request this one follows.
    pub main: Option<String>,
    pub can_unmerge: bool,
}

/// A page of its own before merging, attaching or unmerging.
#[derive(Template)]
#[template(path = "agent_confirm.html")]
pub struct ConfirmPage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub csrf: String,
    pub o: &'static crate::i18n::office::OfficeTexts,
    pub title: &'static str,
    pub question: String,
    pub consequence: String,
    /// The requests concerned, when several.
    pub codes: Vec<String>,
    pub action: String,
    pub hidden: Vec<(&'static str, String)>,
    /// Why it cannot be done: then nothing is offered to confirm.
    pub error: Option<&'static str>,
    pub cancel: String,
}

pub struct FileLine {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub from_body: bool,
    /// A voice note's length: played on the page.
    pub voice: Option<String>,
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
    /// The media links a partner sent with it.
    pub links: Vec<String>,
    pub verdict: Option<&'static str>,
    pub verdict_comment: Option<String>,
    pub reopen_reason: Option<String>,
    pub history: Vec<StaffHistoryLine>,
    pub files: Vec<FileLine>,
    /// An internal note can be written here: a voice note offers its transcript.
    pub transcribe: bool,
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
    pub o: &'static crate::i18n::office::OfficeTexts,
    /// Who holds it, in words (none outside stage 2).
    pub holder: Option<String>,
    /// The colleagues «Attribuer à» offers (id, name).
    pub colleagues: Vec<(i64, String)>,
    pub merging: Merging,
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
