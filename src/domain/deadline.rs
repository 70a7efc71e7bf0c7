//! Deadlines: a number of calendar days, or of business days (Monday to Friday, public holidays
//! excepted), counted from the moment a request enters a step. Abidjan is on UTC all year, so a
//! day is a UTC day.

use std::collections::BTreeSet;

use crate::domain::time::parse_day;

const DAY_MS: i64 = 86_400_000;

/// How a body's deadlines are counted (admin-set, per body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayCount {
    Calendar,
    Business,
}

impl DayCount {
    pub const ALL: [DayCount; 2] = [DayCount::Calendar, DayCount::Business];

    pub fn parse(s: &str) -> Option<DayCount> {
        DayCount::ALL.into_iter().find(|c| c.slug() == s)
    }

    pub fn slug(self) -> &'static str {
        match self {
            DayCount::Calendar => "calendar",
            DayCount::Business => "business",
        }
    }
}

/// Public holidays, as days since 1970-01-01.
#[derive(Debug, Clone, Default)]
pub struct Holidays(BTreeSet<i64>);

impl Holidays {
    /// From `YYYY-MM-DD` strings; anything else is skipped (the table only admits real dates).
    pub fn from_days<'a>(days: impl IntoIterator<Item = &'a str>) -> Holidays {
        Holidays(days.into_iter().filter_map(parse_day).collect())
    }

    fn contains(&self, day: i64) -> bool {
        self.0.contains(&day)
    }
}

/// Monday to Friday (1970-01-01 was a Thursday).
fn is_weekday(day: i64) -> bool {
    (day + 3).rem_euclid(7) < 5
}

/// The moment `days` days after `start`, at the same time of day. Business days skip weekends and
/// holidays: a step entered on Friday evening with 1 business day is due on Monday evening.
pub fn add_days(start: i64, days: i64, count: DayCount, holidays: &Holidays) -> i64 {
    match count {
        DayCount::Calendar => start + days * DAY_MS,
        DayCount::Business => {
            let mut day = start.div_euclid(DAY_MS);
            let mut left = days;
            while left > 0 {
                day += 1;
                if is_weekday(day) && !holidays.contains(day) {
                    left -= 1;
                }
            }
            day * DAY_MS + start.rem_euclid(DAY_MS)
        }
    }
}

/// When a step is due, and when it is late enough to be escalated (twice the deadline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub due_at: i64,
    pub escalate_at: i64,
}

impl Deadline {
    pub fn from(start: i64, days: i64, count: DayCount, holidays: &Holidays) -> Deadline {
        let due_at = add_days(start, days, count, holidays);
        Deadline { due_at, escalate_at: add_days(due_at, days, count, holidays) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: &str, hour: i64) -> i64 {
        parse_day(day).unwrap() * DAY_MS + hour * 3_600_000
    }

    #[test]
    fn calendar_days_are_plain_days() {
        let h = Holidays::from_days(["2026-12-25"]);
        assert_eq!(add_days(at("2026-12-24", 9), 2, DayCount::Calendar, &h), at("2026-12-26", 9));
        let d = Deadline::from(at("2026-01-01", 0), 15, DayCount::Calendar, &h);
        assert_eq!((d.due_at, d.escalate_at), (at("2026-01-16", 0), at("2026-01-31", 0)));
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        let none = Holidays::default();
        // Friday 27 November 2026, 17:00 + 1 business day = Monday 30 November, 17:00.
        assert_eq!(
            add_days(at("2026-11-27", 17), 1, DayCount::Business, &none),
            at("2026-11-30", 17)
        );
        // Saturday and Sunday count nothing: + 1 = Monday, + 5 = Friday.
        assert_eq!(
            add_days(at("2026-11-28", 10), 1, DayCount::Business, &none),
            at("2026-11-30", 10)
        );
        assert_eq!(
            add_days(at("2026-11-29", 10), 5, DayCount::Business, &none),
            at("2026-12-04", 10)
        );
        // 15 business days = three weeks.
        assert_eq!(
            add_days(at("2026-11-30", 8), 15, DayCount::Business, &none),
            at("2026-12-21", 8)
        );
        // Christmas (Friday) and New Year (Friday) are skipped.
        let h = Holidays::from_days(["2026-12-25", "2027-01-01", "not a day"]);
        assert_eq!(add_days(at("2026-12-24", 8), 1, DayCount::Business, &h), at("2026-12-28", 8));
        assert_eq!(add_days(at("2026-12-21", 8), 10, DayCount::Business, &h), at("2027-01-06", 8));
        // Zero days: the moment itself.
        assert_eq!(add_days(at("2026-12-26", 8), 0, DayCount::Business, &h), at("2026-12-26", 8));
    }

    #[test]
    fn escalation_is_twice_the_deadline_in_the_same_count() {
        let h = Holidays::from_days(["2026-12-25"]);
        let d = Deadline::from(at("2026-12-21", 12), 5, DayCount::Business, &h);
        assert_eq!(d.due_at, at("2026-12-29", 12));
        assert_eq!(d.escalate_at, at("2027-01-05", 12));
    }

    #[test]
    fn business_days_never_come_before_calendar_days() {
        let h = Holidays::from_days(["2026-08-07", "2026-08-15", "2026-11-01", "2026-11-15"]);
        for start in (0..400).map(|d| at("2026-01-01", 0) + d * DAY_MS + 3_600_000) {
            for days in [1, 5, 15, 60] {
                let b = add_days(start, days, DayCount::Business, &h);
                assert!(b >= add_days(start, days, DayCount::Calendar, &h));
                assert!(is_weekday(b.div_euclid(DAY_MS)) && !h.contains(b.div_euclid(DAY_MS)));
                assert_eq!(b.rem_euclid(DAY_MS), start.rem_euclid(DAY_MS));
            }
        }
    }

    #[test]
    fn day_counts_round_trip() {
        for c in DayCount::ALL {
            assert_eq!(DayCount::parse(c.slug()), Some(c));
        }
        assert_eq!(DayCount::parse("weekly"), None);
    }
}
