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

#[cfg(test)]
mod tests {
    use super::*;

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
