//! The daily jobs, named once: each works in bounded slices, one slice per invocation, resumed
//! from where the last one stopped (a cursor in D1), until the day's work is done. How long a
//! failing slice waits before it is tried again, and when the admins hear of it, are decided here.

/// One daily job. Each slice of it is bounded whatever the history stored: it takes what is due
/// from an index, at most a slice's worth, and says whether more is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Each staff member's requests near or past their deadline; the escalations.
    Digests,
    /// The verdict reminder a week after the answer, the closure «sans avis» two weeks later.
    Verdicts,
    /// Personal data past its retention period erased, with its files.
    Retention,
    /// The statistics of every request that changed, re-counted.
    Rollups,
    /// Old rate-limit windows, spent tracking codes, old notifications tied to no request.
    Housekeeping,
    /// R2 objects no row knows about (an upload whose request was never stored).
    Orphans,
    /// Audit records past the journal's retention.
    Audit,
}

impl Job {
    pub const ALL: [Job; 7] = [
        Job::Digests,
        Job::Verdicts,
        Job::Retention,
        Job::Rollups,
        Job::Housekeeping,
        Job::Orphans,
        Job::Audit,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Job::Digests => "digests",
            Job::Verdicts => "verdicts",
            Job::Retention => "retention",
            Job::Rollups => "rollups",
            Job::Housekeeping => "housekeeping",
            Job::Orphans => "orphans",
            Job::Audit => "audit",
        }
    }

    pub fn parse(slug: &str) -> Option<Job> {
        Job::ALL.into_iter().find(|j| j.slug() == slug)
    }

    /// The job in the admins' words (the mail that says it keeps failing).
    pub fn staff_name(self) -> &'static str {
        match self {
            Job::Digests => "récapitulatifs des échéances",
            Job::Verdicts => "rappels d'avis et clôtures sans avis",
            Job::Retention => "effacement des données personnelles échues",
            Job::Rollups => "statistiques",
            Job::Housekeeping => "nettoyage des compteurs et codes expirés",
            Job::Orphans => "fichiers sans requête",
            Job::Audit => "purge du journal d'audit échu",
        }
    }

    /// Whether a new day starts the job over, or lets it finish what it had begun. A digest is
    /// the day's (its mails carry the day); a walk through the bucket's listing carries on.
    pub fn restarts_each_day(self) -> bool {
        !matches!(self, Job::Orphans)
    }
}

/// Consecutive failures after which the admins are told (once a day at most).
pub const ALERT_AFTER_FAILURES: i64 = 3;

/// The longest wait between two tries of a failing slice.
pub const MAX_BACKOFF_MS: i64 = 3_600_000;

/// How long to wait before trying a slice again after its `failures`-th failure in a row:
/// `base_ms`, doubled at each failure, at most an hour.
pub fn backoff_ms(failures: i64, base_ms: i64) -> i64 {
    let doublings = failures.saturating_sub(1).clamp(0, 20) as u32;
    base_ms.max(0).saturating_mul(1_i64 << doublings).min(MAX_BACKOFF_MS)
}

/// Whether this failure is the one to tell the admins of: enough in a row, and none told today.
pub fn alert_due(failures: i64, alerted_day: Option<&str>, today: &str) -> bool {
    failures >= ALERT_AFTER_FAILURES && alerted_day != Some(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_parses_back_from_its_slug_and_nothing_else_does() {
        for job in Job::ALL {
            assert_eq!(Job::parse(job.slug()), Some(job));
            assert!(!job.staff_name().is_empty());
        }
        for other in ["", "Rollups", "rollups ", "jobs", "digest"] {
            assert_eq!(Job::parse(other), None, "{other:?}");
        }
    }

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_an_hour() {
        assert_eq!(backoff_ms(1, 60_000), 60_000);
        assert_eq!(backoff_ms(2, 60_000), 120_000);
        assert_eq!(backoff_ms(3, 60_000), 240_000);
        assert_eq!(backoff_ms(7, 60_000), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(1_000, 60_000), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(0, 60_000), 60_000);
        assert_eq!(backoff_ms(5, 0), 0, "tests may retry at once");
        assert_eq!(backoff_ms(i64::MAX, i64::MAX), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(-3, -1), 0);
    }

    #[test]
    fn admins_hear_of_a_failing_job_once_a_day() {
        assert!(!alert_due(1, None, "2026-12-04"));
        assert!(!alert_due(ALERT_AFTER_FAILURES - 1, None, "2026-12-04"));
        assert!(alert_due(ALERT_AFTER_FAILURES, None, "2026-12-04"));
        assert!(!alert_due(ALERT_AFTER_FAILURES + 5, Some("2026-12-04"), "2026-12-04"));
        assert!(alert_due(ALERT_AFTER_FAILURES + 5, Some("2026-12-03"), "2026-12-04"));
    }
}
