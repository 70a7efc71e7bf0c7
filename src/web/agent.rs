//! Views of the back office.

use askama::Template;

use super::views::{layout, Layout};
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
    pub csrf: String,
    pub state: SignInState,
}

pub struct QueueRow {
    pub code: String,
    pub nature: &'static str,
    pub body: String,
    pub received: String,
    pub channel: String,
    pub stage: &'static str,
    pub due: String,
    pub late: bool,
    pub excerpt: String,
    pub theme: Option<String>,
    pub place: Option<String>,
}

pub struct QueueSection {
    pub title: &'static str,
    /// An anchor for the section, and whether its rows show the message (the body's «Transmises»).
    pub id: &'static str,
    pub with_message: bool,
    pub rows: Vec<QueueRow>,
}

#[derive(Template)]
#[template(path = "agent_queue.html")]
pub struct QueuePage {
    pub c: Chrome,
    pub csrf: String,
    pub staff_name: String,
    pub sections: Vec<QueueSection>,
    pub bodies: Vec<(i64, String)>,
    pub filter_body: Option<i64>,
    pub filter_nature: String,
    pub filter_code: String,
    pub filter_channel: String,
    pub filter_age: Option<i64>,
    /// Phone operators and admins enter requests received by telephone.
    pub can_phone: bool,
    pub is_admin: bool,
    /// The person's notification cadence (slug), the choices (slug, label), and a notice once saved.
    pub cadence: String,
    pub cadences: Vec<(&'static str, &'static str)>,
    pub notice: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "agent_phone_start.html")]
pub struct PhoneStartPage {
    pub c: Chrome,
    pub bodies: Vec<(i64, String)>,
}

impl PhoneStartPage {
    fn natures(&self) -> Vec<(&'static str, &'static str)> {
        crate::domain::nature::Nature::ALL.iter().map(|n| (n.slug(), self.c.t.nature(*n))).collect()
    }
}

impl QueuePage {
    fn channels(&self) -> [&'static str; 4] {
        ["web", "api", "phone", "open311"]
    }
    fn ages(&self) -> [i64; 3] {
        [7, 15, 30]
    }
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

/// What the request page offers, from the transition table and the role.
pub struct Actions {
    pub validate: bool,
    pub send_back: bool,
    pub forward: bool,
    pub reassign: bool,
    pub treat: bool,
    pub clarify: bool,
    pub return_to_body: bool,
    pub request_reassign: bool,
    pub take_into_account: bool,
    pub note: bool,
}

#[derive(Template)]
#[template(path = "agent_request.html")]
pub struct AgentRequestPage {
    pub c: Chrome,
    pub csrf: String,
    pub staff_name: String,
    pub code: String,
    pub version: i64,
    pub nature: &'static str,
    pub body: String,
    pub stage: &'static str,
    pub received: String,
    /// The current step's deadline, and whether it is past.
    pub due: Option<String>,
    pub late: bool,
    pub theme: Option<String>,
    pub place: Option<String>,
    pub message: String,
    /// Name, email and phone: shown to analysts and admins, not to focal points.
    pub citizen: Option<(String, String, String)>,
    pub verdict: Option<&'static str>,
    pub history: Vec<StaffHistoryLine>,
    pub files: Vec<(i64, String, String)>,
    pub actions: Actions,
    pub bodies: Vec<(i64, String)>,
    pub notice: Option<&'static str>,
    pub error: Option<&'static str>,
}

layout!(SignInPage, QueuePage, AgentRequestPage, PhoneStartPage);
