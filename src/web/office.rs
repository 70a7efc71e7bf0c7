//! Views of the back office's supervision pages: the dashboard, the audit journal, citizens' data
//! rights.

use askama::Template;

use super::agent::StaffNav;
use super::Chrome;
use crate::i18n::office::OfficeTexts;
use crate::i18n::office_admin::OfficeAdminTexts;

/// One bar of a chart (SVG user units).
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub h: i64,
    pub value: i64,
    pub label: String,
}

/// One week of the dashboard's table.
pub struct WeekRow {
    pub week: String,
    pub received: i64,
    pub answered: i64,
    pub on_time: String,
    pub median: String,
    pub p90: String,
    /// Satisfied, partly, not satisfied, without opinion.
    pub verdicts: [i64; 4],
    pub reopened: i64,
    pub merged: i64,
}

#[derive(Template)]
#[template(path = "office_dashboard.html")]
pub struct DashboardPage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub o: &'static OfficeAdminTexts,
    pub w: &'static OfficeTexts,
    pub all_bodies: bool,
    pub bodies: Vec<(i64, String)>,
    pub body: Option<i64>,
    pub from: String,
    pub to: String,
    pub bad_period: bool,
    pub open: i64,
    pub late: i64,
    pub held: i64,
    pub open_href: Option<String>,
    pub late_href: Option<String>,
    pub answered_href: Option<String>,
    pub reopened_href: Option<String>,
    pub total: WeekRow,
    pub weeks: Vec<WeekRow>,
    pub received_bars: Vec<Bar>,
    pub answered_bars: Vec<Bar>,
    pub width: i64,
    pub csv: String,
    pub xlsx: String,
}

/// One record of the journal.
pub struct JournalRow {
    pub when: String,
    pub who: String,
    pub ip: String,
    pub what: String,
    pub target: String,
    pub request: Option<String>,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "office_journal.html")]
pub struct JournalPage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub csrf: String,
    pub o: &'static OfficeAdminTexts,
    pub w: &'static OfficeTexts,
    pub pages: Vec<(&'static str, &'static str)>,
    pub notice: Option<String>,
    pub error: Option<&'static str>,
    pub people: Vec<(i64, String)>,
    pub actions: Vec<(String, String)>,
    pub person: Option<i64>,
    pub request: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub rows: Vec<JournalRow>,
    pub older: Option<String>,
    pub csv: String,
    pub xlsx: String,
    pub retention: i64,
}

/// A request of the contact whose rights are exercised.
pub struct RightsRow {
    pub code: String,
    pub received: String,
    pub stage: &'static str,
    pub open: bool,
    pub erased: bool,
}

/// What the data-rights page shows: the form, the requests found, or the confirmation.
pub enum RightsState {
    Form,
    Found { rows: Vec<RightsRow> },
    Confirm { rows: Vec<RightsRow>, open: Vec<String>, missing_confirmation: bool },
}

#[derive(Template)]
#[template(path = "office_rights.html")]
pub struct RightsPage {
    pub c: Chrome,
    pub s: Option<StaffNav>,
    pub csrf: String,
    pub o: &'static OfficeAdminTexts,
    pub pages: Vec<(&'static str, &'static str)>,
    pub notice: Option<String>,
    pub error: Option<&'static str>,
    pub code: String,
    pub contact: String,
    pub state: RightsState,
}

impl RightsPage {
    fn open_warning(&self, code: &str) -> String {
        self.o.rights_open_warning.replace("{code}", code)
    }
}
