//! The supervisor's dashboard: per body or for all, week by week, from the same daily rollups as
//! the public statistics (`stats::Fact`, cohorts by day of receipt) — received, answered, answered
//! within the deadline, median and 90th-percentile treatment delay, verdicts, reopenings, merged
//! duplicates (counted apart) — and the open and late requests now. Staff see exact counts: no
//! suppression of small numbers here (the public page has it).

use std::collections::BTreeMap;

use super::stats::Fact;

/// The figures of one week (or of the whole period).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub received: i64,
    /// Réclamations answered and observations or suggestions taken into account.
    pub answered: i64,
    /// Réclamations answered, and of those within their deadline.
    pub treated: i64,
    pub on_time: i64,
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
    pub satisfied: i64,
    pub partly: i64,
    pub not_satisfied: i64,
    pub without_verdict: i64,
    pub reopened: i64,
    /// Duplicates merged into another request: not counted among the answered.
    pub merged: i64,
}

/// Nearest-rank percentile over a histogram of whole days.
pub fn percentile(histogram: &BTreeMap<i64, i64>, p: i64) -> Option<i64> {
    let total: i64 = histogram.values().sum();
    if total == 0 {
        return None;
    }
    let rank = (p * total + 99) / 100;
    let mut seen = 0;
    histogram.iter().find_map(|(day, n)| {
        seen += n;
        (seen >= rank).then_some(*day)
    })
}

impl Figures {
    pub fn from_facts<'a>(facts: impl IntoIterator<Item = &'a Fact>) -> Figures {
        let mut f = Figures::default();
        let mut days = BTreeMap::new();
        for fact in facts {
            let n = fact.count;
            match (fact.dimension.as_str(), fact.value.as_str()) {
                ("received", _) => f.received += n,
                ("on_time", v) => {
                    f.treated += n;
                    f.answered += n;
                    if v == "yes" {
                        f.on_time += n;
                    }
                }
                ("taken", "yes") => f.answered += n,
                ("treatment_days", v) => {
                    if let Ok(d) = v.parse::<i64>() {
                        *days.entry(d.max(0)).or_insert(0) += n;
                    }
                }
                ("verdict", "satisfied") => f.satisfied += n,
                ("verdict", "partly_satisfied") => f.partly += n,
                ("verdict", "not_satisfied") => f.not_satisfied += n,
                ("verdict", "without_verdict") => f.without_verdict += n,
                ("reopened", "yes") => f.reopened += n,
                ("stage", "merged") => f.merged += n,
                _ => {}
            }
        }
        f.median_days = percentile(&days, 50);
        f.p90_days = percentile(&days, 90);
        f
    }

    /// Share answered within the deadline, in whole percent.
    pub fn on_time_percent(&self) -> Option<i64> {
        (self.treated > 0).then(|| (self.on_time * 100 + self.treated / 2) / self.treated)
    }
}

/// The Monday (days since 1970-01-01) of the week a day belongs to (1970-01-01 was a Thursday).
pub fn week_of(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// Figures week by week from `from` to `to` (days, both included), every week present even when
/// empty; `facts` are (day, fact) pairs.
pub fn weekly(from: i64, to: i64, facts: &[(i64, Fact)]) -> Vec<(i64, Figures)> {
    let mut by_week: BTreeMap<i64, Vec<&Fact>> = BTreeMap::new();
    let mut week = week_of(from);
    while week <= to {
        by_week.insert(week, Vec::new());
        week += 7;
    }
    for (day, fact) in facts {
        if (from..=to).contains(day) {
            by_week.entry(week_of(*day)).or_default().push(fact);
        }
    }
    by_week.into_iter().map(|(w, facts)| (w, Figures::from_facts(facts))).collect()
}

/// Bar heights (0..=`height`) for values, the largest at full height.
pub fn bars(values: &[i64], height: i64) -> Vec<i64> {
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    values.iter().map(|v| (v.max(&0) * height + max / 2) / max).collect()
}

/// The dashboard's default period: the last 12 weeks up to `today`, starting on a Monday.
pub fn default_period(today: i64) -> (i64, i64) {
    (week_of(today) - 11 * 7, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_day;

    fn fact(dimension: &str, value: &str, count: i64) -> Fact {
        Fact { dimension: dimension.into(), value: value.into(), count }
    }

    #[test]
    fn figures_count_exactly_and_merged_apart() {
        let facts = [
            fact("received", "all", 12),
            fact("on_time", "yes", 3),
            fact("on_time", "no", 1),
            fact("taken", "yes", 2),
            fact("taken", "no", 1),
            fact("treatment_days", "2", 2),
            fact("treatment_days", "5", 1),
            fact("treatment_days", "40", 1),
            fact("verdict", "satisfied", 2),
            fact("verdict", "without_verdict", 1),
            fact("reopened", "yes", 1),
            fact("stage", "merged", 4),
            fact("stage", "closed", 3),
        ];
        let f = Figures::from_facts(&facts);
        assert_eq!((f.received, f.answered, f.treated, f.on_time), (12, 6, 4, 3));
        assert_eq!((f.median_days, f.p90_days), (Some(2), Some(40)));
        assert_eq!((f.satisfied, f.without_verdict, f.reopened, f.merged), (2, 1, 1, 4));
        assert_eq!(f.on_time_percent(), Some(75));
        assert_eq!(Figures::default().on_time_percent(), None);
        assert_eq!(Figures::default().median_days, None);
    }

    #[test]
    fn weeks_start_on_monday_and_none_is_missing() {
        let monday = parse_day("2026-05-11").unwrap();
        assert_eq!(week_of(monday), monday);
        assert_eq!(week_of(monday + 6), monday, "Sunday is in Monday's week");
        assert_eq!(week_of(monday + 7), monday + 7);
        let facts = vec![
            (monday + 1, fact("received", "all", 3)),
            (monday + 15, fact("received", "all", 2)),
        ];
        let weeks = weekly(monday, monday + 20, &facts);
        let received: Vec<i64> = weeks.iter().map(|(_, f)| f.received).collect();
        assert_eq!(received, vec![3, 0, 2]);
        assert_eq!(weeks[1].0, monday + 7);
        let (from, to) = default_period(monday + 2);
        assert_eq!((to - from, week_of(from)), (79, from));
    }

    #[test]
    fn bars_scale_to_the_largest() {
        assert_eq!(bars(&[0, 5, 10], 100), vec![0, 50, 100]);
        assert_eq!(bars(&[0, 0], 100), vec![0, 0]);
        assert_eq!(bars(&[], 100), Vec::<i64>::new());
    }
}
