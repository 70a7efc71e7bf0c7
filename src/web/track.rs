//! Views of the tracking path: lookup, forgotten code, and the request page.

use askama::Template;

use super::Chrome;

#[derive(Template)]
#[template(path = "track_lookup.html")]
pub struct LookupPage {
    pub c: Chrome,
    pub csrf: String,
    pub code: String,
    pub email: String,
    pub phone: String,
    /// The second step of tracking by mobile: the one-time code sent by SMS is asked for.
    pub otp_step: bool,
    /// A message above the form: no match, expired link, too many attempts.
    pub error: Option<String>,
}

impl LookupPage {
    fn otp_for(&self) -> String {
        self.c.t.track.otp_for.replace("{code}", &self.code).replace("{phone}", &self.phone)
    }
}

#[derive(Template)]
#[template(path = "track_forgot.html")]
pub struct ForgotPage {
    pub c: Chrome,
    pub csrf: String,
    pub email: String,
    pub phone: String,
    pub sent: bool,
    /// The list went by SMS (the number was given).
    pub by_sms: bool,
    pub error: Option<String>,
}

/// One line of the timeline.
pub struct HistoryLine {
    pub date: String,
    pub label: &'static str,
    pub note: Option<String>,
}

pub struct FileLine {
    pub id: i64,
    pub name: String,
    pub size: String,
}

/// Everything the request page shows, already in words.
pub struct RequestView {
    pub code: String,
    pub nature: &'static str,
    pub is_reclamation: bool,
    pub date: String,
    pub theme: Option<String>,
    pub place: Option<String>,
    pub body: String,
    pub stage_label: String,
    pub stage_number: u8,
    pub message: String,
    /// The analyst's message when the request was sent back (stage 1).
    pub analyst_return: Option<String>,
    /// The body's treatment message and its date.
    pub treatment: Option<(String, String)>,
    pub verdict: Option<&'static str>,
    pub verdict_comment: Option<String>,
    /// The analyst's clarification after a verdict.
    pub reply: Option<String>,
    pub can_edit: bool,
    pub can_judge: bool,
    pub version: i64,
    /// «Réponse attendue au plus tard le …» in stages 1 and 2, and whether the date is past.
    pub due: Option<String>,
    pub late: bool,
    /// The body's message when it took an observation or suggestion into account (may be empty).
    pub taken: Option<Option<String>>,
}

#[derive(Template)]
#[template(path = "track_request.html")]
pub struct RequestPage {
    pub c: Chrome,
    pub r: RequestView,
    pub history: Vec<HistoryLine>,
    pub files: Vec<FileLine>,
    pub csrf: String,
    pub form_key: String,
    /// Confirmation or conflict message at the top.
    pub notice: Option<&'static str>,
    pub edit_error: Option<String>,
    pub edit_message: String,
    pub verdict_error: Option<&'static str>,
    pub reopen_error: Option<&'static str>,
    pub reopen_reason: String,
}
