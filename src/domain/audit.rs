//! The audit trail: every staff and admin action, with who, when, from where and what. Records are
//! append-only — no statement of the worker updates or deletes one, and the database refuses it
//! (migration 0026's triggers) but for the daily purge of records older than the retention setting.

use super::staff_action::StaffAction;

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignIn,
    SignOut,
    SignOutEverywhere,
    StaffCreate,
    StaffDeactivate,
    StaffReactivate,
    StaffRole,
    BodyCreate,
    BodyUpdate,
    BodyImport,
    PlaceImport,
    ThemeAdd,
    ThemeDeactivate,
    ThemeReactivate,
    HolidaySet,
    HolidayRemove,
    ApiKeyCreate,
    ApiKeyRevoke,
    TemplateAdd,
    TemplateRemove,
    NotificationRetry,
    SettingsChannels,
    SettingsRetention,
    /// One's own alerts cadence, or absence.
    OwnNotifications,
    OwnAbsence,
    /// A download of a queue, search results, the dashboard or the trail itself.
    Export,
    /// A request page showing the citizen's contact details.
    ContactView,
    /// A staff action on a request (the action table's).
    Request(StaffAction),
    /// Data rights: a citizen's identity checked, their data exported, their data erased.
    DataLookup,
    DataExport,
    DataErase,
}

const PLAIN: [(Action, &str); 30] = [
    (Action::SignIn, "auth.sign_in"),
    (Action::SignOut, "auth.sign_out"),
    (Action::SignOutEverywhere, "auth.sign_out_everywhere"),
    (Action::StaffCreate, "staff.create"),
    (Action::StaffDeactivate, "staff.deactivate"),
    (Action::StaffReactivate, "staff.reactivate"),
    (Action::StaffRole, "staff.role"),
    (Action::BodyCreate, "body.create"),
    (Action::BodyUpdate, "body.update"),
    (Action::BodyImport, "body.import"),
    (Action::PlaceImport, "place.import"),
    (Action::ThemeAdd, "theme.add"),
    (Action::ThemeDeactivate, "theme.deactivate"),
    (Action::ThemeReactivate, "theme.reactivate"),
    (Action::HolidaySet, "holiday.set"),
    (Action::HolidayRemove, "holiday.remove"),
    (Action::ApiKeyCreate, "api_key.create"),
    (Action::ApiKeyRevoke, "api_key.revoke"),
    (Action::TemplateAdd, "template.add"),
    (Action::TemplateRemove, "template.remove"),
    (Action::NotificationRetry, "notification.retry"),
    (Action::SettingsChannels, "settings.channels"),
    (Action::SettingsRetention, "settings.audit_retention"),
    (Action::OwnNotifications, "self.notifications"),
    (Action::OwnAbsence, "self.absence"),
    (Action::Export, "export"),
    (Action::ContactView, "contact.view"),
    (Action::DataLookup, "data.lookup"),
    (Action::DataExport, "data.export"),
    (Action::DataErase, "data.erase"),
];

impl Action {
    /// Every action, for the journal's filter: the plain ones, then each staff action.
    pub fn all() -> Vec<Action> {
        let mut all: Vec<Action> = PLAIN.iter().map(|(a, _)| *a).collect();
        all.extend(StaffAction::ALL.into_iter().map(Action::Request));
        all
    }

    pub fn slug(self) -> String {
        match self {
            Action::Request(a) => format!("request.{}", a.slug()),
            plain => PLAIN.iter().find(|(a, _)| *a == plain).map_or("", |(_, s)| s).to_owned(),
        }
    }

    pub fn parse(slug: &str) -> Option<Action> {
        if let Some(action) = slug.strip_prefix("request.") {
            return StaffAction::parse(action).map(Action::Request);
        }
        PLAIN.iter().find(|(_, s)| *s == slug).map(|(a, _)| *a)
    }
}

/// Records are kept at least a year, three by default, ten at most (Administration › Paramètres).
pub const MIN_RETENTION_DAYS: i64 = 365;
pub const DEFAULT_RETENTION_DAYS: i64 = 1095;
pub const MAX_RETENTION_DAYS: i64 = 3650;
/// The daily purge deletes at most this many records a run (the rest the next day).
pub const PURGE_BATCH: i64 = 5000;
/// The setting's key in `settings` (read by the purge and by the triggers that guard the table).
pub const RETENTION_SETTING: &str = "audit_retention_days";
/// The message of the triggers that refuse to change or delete a record (migration 0026).
pub const APPEND_ONLY: &str = "audit_log_append_only";

/// A retention typed by an admin, in days, within the bounds.
pub fn parse_retention(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|d| (MIN_RETENTION_DAYS..=MAX_RETENTION_DAYS).contains(d))
}

/// One record to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub staff_id: i64,
    pub action: Action,
    /// What it was done to: a request's code, an account's id, a body's slug, a queue's name…
    /// (never a citizen's name or contact).
    pub target: String,
    pub request_id: Option<i64>,
    pub detail: Option<String>,
}

impl Entry {
    pub fn new(staff_id: i64, action: Action, target: impl Into<String>) -> Entry {
        Entry { staff_id, action, target: target.into(), request_id: None, detail: None }
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Entry {
        self.detail = Some(detail.into());
        self
    }
    pub fn request(mut self, id: i64) -> Entry {
        self.request_id = Some(id);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_slug_and_reads_back() {
        let all = Action::all();
        let mut slugs: Vec<String> = all.iter().map(|a| a.slug()).collect();
        for a in &all {
            assert!(!a.slug().is_empty(), "{a:?}");
            assert_eq!(Action::parse(&a.slug()), Some(*a));
        }
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), all.len());
        assert_eq!(Action::Request(StaffAction::Take).slug(), "request.prendre");
        assert_eq!(Action::parse("request.supprimer"), None);
        assert_eq!(Action::parse("nonsense"), None);
    }

    #[test]
    fn retention_stays_within_one_and_ten_years() {
        assert_eq!(parse_retention("730"), Some(730));
        assert_eq!(parse_retention("364"), None);
        assert_eq!(parse_retention("3651"), None);
        assert_eq!(parse_retention("un an"), None);
        const { assert!(DEFAULT_RETENTION_DAYS >= MIN_RETENTION_DAYS) };
    }
}
