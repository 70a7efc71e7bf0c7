//! The schema's constraints a D1 batch may fail on by design (`schema/migrations`), told apart by
//! the name the error gives: the one place such failures are read (after realworld-axum-sqlx's
//! `on_constraint`). Anything else is a real error.

/// A constraint a batch is written to trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    /// `batch_guard_ok`: a guarded batch's condition was false (stale version, over a limit,
    /// the directory moved); the whole batch is undone.
    Guard,
    /// `requests.idempotency_key`: the same key registered first by a concurrent twin.
    RequestKey,
    /// `requests.code` / `requests.public_id`: a freshly drawn code already taken.
    RequestCode,
}

/// The constraint an error names, if it is one of those.
pub fn on_constraint(error: &str) -> Option<Constraint> {
    // SQLite: «CHECK constraint failed: <name>», «UNIQUE constraint failed: <table>.<column>».
    let (kind, name) = error.split_once(" constraint failed: ")?;
    let name = name.split(|c: char| c.is_whitespace() || c == ':' || c == ',').next()?;
    match (kind.rsplit(|c: char| !c.is_ascii_uppercase()).next()?, name) {
        ("CHECK", "batch_guard_ok") => Some(Constraint::Guard),
        ("UNIQUE", "requests.idempotency_key") => Some(Constraint::RequestKey),
        ("UNIQUE", "requests.code" | "requests.public_id") => Some(Constraint::RequestCode),
        _ => None,
    }
}

/// Whether a storage failure (D1, R2) is one that passes — an overloaded or restarting database,
/// a lost connection, a busy file locally, an injected fault in development — so the caller may
/// try again (503 with `Retry-After`), rather than a bug (500).
pub fn is_transient(error: &str) -> bool {
    const PASSING: [&str; 10] = [
        "Network connection lost",
        "overloaded",
        "exceeded timeout",
        "timed out",
        "SQLITE_BUSY",
        "database is locked",
        "internal error",
        "try again",
        "injected fault",
        "D1 DB is",
    ];
    PASSING.iter().any(|p| error.contains(p)) && on_constraint(error).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passing_failures_are_told_from_bugs() {
        for passing in [
            "D1_ERROR: Network connection lost.",
            "D1 DB is overloaded. Requests queued for too long.",
            "D1_ERROR: storage operation exceeded timeout which caused object to be reset.",
            "D1_ERROR: internal error; reference = 1234",
            "SQLITE_BUSY: database is locked",
            "D1: injected fault (FAULT_*_RATE, development only)",
            "put: We encountered an internal error. Please try again. (10001)",
        ] {
            assert!(is_transient(passing), "{passing}");
        }
        for bug in [
            "D1_ERROR: no such column: nope",
            "CHECK constraint failed: batch_guard_ok: SQLITE_CONSTRAINT",
            "template: missing field",
            "",
        ] {
            assert!(!is_transient(bug), "{bug}");
        }
    }

    #[test]
    fn each_named_constraint_and_nothing_else() {
        assert_eq!(
            on_constraint("D1_ERROR: CHECK constraint failed: batch_guard_ok: SQLITE_CONSTRAINT"),
            Some(Constraint::Guard)
        );
        assert_eq!(
            on_constraint("UNIQUE constraint failed: requests.idempotency_key"),
            Some(Constraint::RequestKey)
        );
        assert_eq!(
            on_constraint("UNIQUE constraint failed: requests.code"),
            Some(Constraint::RequestCode)
        );
        assert_eq!(
            on_constraint("UNIQUE constraint failed: requests.public_id"),
            Some(Constraint::RequestCode)
        );
        // Another CHECK (a bad value) is a real error, not a guard.
        assert_eq!(on_constraint("CHECK constraint failed: stage IN ('a')"), None);
        assert_eq!(on_constraint("UNIQUE constraint failed: outbox.idempotency_key"), None);
        assert_eq!(on_constraint("network connection lost"), None);
        assert_eq!(on_constraint(""), None);
    }
}
