//! Statistics from the daily rollups: counts per dimension, medians and 90th percentiles of
//! durations, shares — with small counts suppressed so no citizen can be singled out.

use std::collections::BTreeMap;

use crate::domain::time::parse_day;

/// Counts from 1 to `SUPPRESS_BELOW - 1` are published as «< 5», never as their value.
pub const SUPPRESS_BELOW: i64 = 5;

/// The period the statistics cover: whole days (days since 1970-01-01), both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: i64,
    pub to: i64,
}

/// Longest period asked for at once.
pub const MAX_PERIOD_DAYS: i64 = 3660;

impl Period {
    /// The last 365 days up to `today`.
    pub fn default_for(today: i64) -> Period {
        Period { from: today - 364, to: today }
    }

    /// From the page's `du`/`au` fields (`YYYY-MM-DD`, either may be empty for its default);
    /// Err(default) when they make no sense, so the page can say so and still show figures.
    pub fn parse(from: &str, to: &str, today: i64) -> Result<Period, Period> {
        let default = Period::default_for(today);
        let day = |s: &str, fallback: i64| {
            if s.trim().is_empty() {
                Some(fallback)
            } else {
                parse_day(s.trim())
            }
        };
        match (day(from, default.from), day(to, default.to)) {
            (Some(from), Some(to)) if from <= to && to - from < MAX_PERIOD_DAYS => {
                Ok(Period { from, to })
            }
            _ => Err(default),
        }
    }
}

/// One aggregated rollup row over a period: `count` requests have `value` for `dimension`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub dimension: String,
    pub value: String,
    pub count: i64,
}

/// A published count: exact, or suppressed because it is small (but not zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Exact(i64),
    Suppressed,
}

impl Count {
    pub fn of(n: i64) -> Count {
        if n > 0 && n < SUPPRESS_BELOW {
            Count::Suppressed
        } else {
            Count::Exact(n)
        }
    }

    pub fn exact(self) -> Option<i64> {
        match self {
            Count::Exact(n) => Some(n),
            Count::Suppressed => None,
        }
    }
}

/// Days at the median and the 90th percentile of a duration, when enough requests had it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Durations {
    pub n: i64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

/// Everything the statistics page and the open data publish for one body or all of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub received: Count,
    /// (value, count), largest first, then by value.
    pub by_nature: Vec<(String, Count)>,
    pub by_stage: Vec<(String, Count)>,
    pub by_theme: Vec<(String, Count)>,
    pub by_place: Vec<(String, Count)>,
    pub verdicts: Vec<(String, Count)>,
    pub triage: Durations,
    pub treatment: Durations,
    /// Share of treated requests treated within the deadline, in whole percent.
    pub on_time_percent: Option<i64>,
    /// Reopened requests per hundred treated.
    pub reopen_percent: Option<i64>,
    /// Share of forwarded observations and suggestions the body took into account.
    pub taken_percent: Option<i64>,
    /// Days from forwarding to being taken into account.
    pub taking: Durations,
}

/// Nearest-rank percentile over a histogram of whole days: the smallest day at which the
/// cumulative count reaches `p` percent of all.
fn percentile(histogram: &BTreeMap<i64, i64>, total: i64, p: i64) -> Option<i64> {
    if total < SUPPRESS_BELOW {
        return None;
    }
    let rank = (p * total + 99) / 100;
    let mut seen = 0;
    histogram.iter().find_map(|(day, count)| {
        seen += count;
        (seen >= rank).then_some(*day)
    })
}

fn durations(facts: &[Fact], dimension: &str) -> Durations {
    let mut histogram = BTreeMap::new();
    for f in facts.iter().filter(|f| f.dimension == dimension) {
        if let Ok(day) = f.value.parse::<i64>() {
            *histogram.entry(day.max(0)).or_insert(0) += f.count;
        }
    }
    let n = histogram.values().sum();
    Durations { n, median: percentile(&histogram, n, 50), p90: percentile(&histogram, n, 90) }
}

fn sum(facts: &[Fact], dimension: &str, value: Option<&str>) -> i64 {
    facts
        .iter()
        .filter(|f| f.dimension == dimension && value.is_none_or(|v| f.value == v))
        .map(|f| f.count)
        .sum()
}

fn breakdown(facts: &[Fact], dimension: &str) -> Vec<(String, Count)> {
    let mut totals: BTreeMap<&str, i64> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.dimension == dimension) {
        *totals.entry(f.value.as_str()).or_insert(0) += f.count;
    }
    let mut rows: Vec<(&str, i64)> = totals.into_iter().filter(|(_, n)| *n > 0).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rows.into_iter().map(|(v, n)| (v.to_owned(), Count::of(n))).collect()
}

/// A share in whole percent, published only over enough cases and when the part itself is not
/// a small count that the share would give away.
fn share(part: i64, whole: i64) -> Option<i64> {
    let safe = |n: i64| n == 0 || n >= SUPPRESS_BELOW;
    (whole >= SUPPRESS_BELOW && safe(part) && safe(whole - part))
        .then(|| (part * 100 + whole / 2) / whole)
}

impl Summary {
    /// From the facts of one period (already summed over days, for one body or all).
    pub fn from_facts(facts: &[Fact]) -> Summary {
        let treated = sum(facts, "on_time", None);
        Summary {
            received: Count::of(sum(facts, "received", Some("all"))),
            by_nature: breakdown(facts, "nature"),
            by_stage: breakdown(facts, "stage"),
            by_theme: breakdown(facts, "theme"),
            by_place: breakdown(facts, "place"),
            verdicts: breakdown(facts, "verdict"),
            triage: durations(facts, "triage_days"),
            treatment: durations(facts, "treatment_days"),
            on_time_percent: share(sum(facts, "on_time", Some("yes")), treated),
            reopen_percent: share(sum(facts, "reopened", Some("yes")), treated),
            taken_percent: share(sum(facts, "taken", Some("yes")), sum(facts, "taken", None)),
            taking: durations(facts, "taken_days"),
        }
    }
}

/// The figures of one région or département: requests placed there (by their place's parents),
/// the share of those treated within their deadline, and the median days of treatment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaFigures {
    /// The place's id, as the rollups store it.
    pub id: String,
    pub received: Count,
    pub on_time_percent: Option<i64>,
    pub median_days: Option<i64>,
}

/// Dimensions the rollups count areas by: `{level}`, `{level}_on_time` («id:yes»), and
/// `{level}_treatment_days` («id:days»), for `level` «region» and «departement».
pub fn by_area(facts: &[Fact], level: &str) -> Vec<AreaFigures> {
    let (on_time, days) = (format!("{level}_on_time"), format!("{level}_treatment_days"));
    let split = |f: &Fact| f.value.split_once(':').map(|(id, v)| (id.to_owned(), v.to_owned()));
    breakdown(facts, level)
        .into_iter()
        .map(|(id, received)| {
            let mine = |dimension: &str| -> Vec<Fact> {
                facts
                    .iter()
                    .filter(|f| f.dimension == dimension)
                    .filter_map(|f| {
                        let (area, value) = split(f)?;
                        (area == id).then(|| Fact {
                            dimension: dimension.into(),
                            value,
                            count: f.count,
                        })
                    })
                    .collect()
            };
            let timely = mine(&on_time);
            let treated = sum(&timely, &on_time, None);
            AreaFigures {
                on_time_percent: share(sum(&timely, &on_time, Some("yes")), treated),
                median_days: durations(&mine(&days), &days).median,
                received,
                id,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(dimension: &str, value: &str, count: i64) -> Fact {
        Fact { dimension: dimension.into(), value: value.into(), count }
    }

    #[test]
    fn periods_default_to_a_year_and_refuse_nonsense() {
        let today = parse_day("2026-11-29").unwrap();
        assert_eq!(Period::parse("", "", today), Ok(Period { from: today - 364, to: today }));
        assert_eq!(
            Period::parse("2026-01-01", "2026-03-31", today),
            Ok(Period {
                from: parse_day("2026-01-01").unwrap(),
                to: parse_day("2026-03-31").unwrap()
            })
        );
        assert_eq!(
            Period::parse("2026-11-01", "", today),
            Ok(Period { from: parse_day("2026-11-01").unwrap(), to: today })
        );
        for (from, to) in [
            ("2026-03-31", "2026-01-01"),
            ("2026-02-30", ""),
            ("hier", ""),
            ("2000-01-01", "2026-01-01"),
        ] {
            assert_eq!(
                Period::parse(from, to, today),
                Err(Period::default_for(today)),
                "{from}..{to}"
            );
        }
    }

    #[test]
    fn small_counts_are_suppressed_zero_and_five_are_not() {
        assert_eq!(Count::of(0), Count::Exact(0));
        for n in 1..5 {
            assert_eq!(Count::of(n), Count::Suppressed);
        }
        assert_eq!(Count::of(5), Count::Exact(5));
        assert_eq!(Count::of(5).exact(), Some(5));
        assert_eq!(Count::Suppressed.exact(), None);
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        // Ten requests triaged in 0,1,1,2,2,2,3,5,8,20 days.
        let facts: Vec<Fact> = [(0, 1), (1, 2), (2, 3), (3, 1), (5, 1), (8, 1), (20, 1)]
            .iter()
            .map(|(d, n)| fact("triage_days", &d.to_string(), *n))
            .collect();
        let s = Summary::from_facts(&facts);
        assert_eq!(s.triage, Durations { n: 10, median: Some(2), p90: Some(8) });
        // Too few cases: no percentile at all.
        let few = Summary::from_facts(&[fact("treatment_days", "3", 4)]);
        assert_eq!(few.treatment, Durations { n: 4, median: None, p90: None });
    }

    #[test]
    fn breakdowns_sum_over_days_and_sort_largest_first() {
        let facts = vec![
            fact("received", "all", 12),
            fact("nature", "suggestion", 2),
            fact("nature", "complaint", 6),
            fact("nature", "complaint", 2),
            fact("nature", "observation", 2),
            fact("place", "abroad", 0),
        ];
        let s = Summary::from_facts(&facts);
        assert_eq!(s.received, Count::Exact(12));
        assert_eq!(
            s.by_nature,
            vec![
                ("complaint".into(), Count::Exact(8)),
                ("observation".into(), Count::Suppressed),
                ("suggestion".into(), Count::Suppressed)
            ]
        );
        assert!(s.by_place.is_empty(), "zero rows are dropped");
    }

    #[test]
    fn shares_need_enough_cases_and_never_reveal_a_small_part() {
        let s = Summary::from_facts(&[
            fact("on_time", "yes", 15),
            fact("on_time", "no", 5),
            fact("reopened", "yes", 5),
        ]);
        assert_eq!((s.on_time_percent, s.reopen_percent), (Some(75), Some(25)));
        let s = Summary::from_facts(&[fact("on_time", "yes", 3), fact("on_time", "no", 1)]);
        assert_eq!(s.on_time_percent, None, "four cases are too few");
        let s = Summary::from_facts(&[
            fact("on_time", "yes", 18),
            fact("on_time", "no", 2),
            fact("reopened", "yes", 1),
        ]);
        assert_eq!(
            (s.on_time_percent, s.reopen_percent),
            (None, None),
            "90 % of 20 would reveal 2 late, 5 % one reopening"
        );
        let s = Summary::from_facts(&[fact("on_time", "yes", 20)]);
        assert_eq!((s.on_time_percent, s.reopen_percent), (Some(100), Some(0)));
    }

    #[test]
    fn areas_have_their_count_share_on_time_and_median_small_ones_suppressed() {
        let mut facts = vec![
            fact("region", "12", 20),
            fact("region", "7", 3),
            fact("region_on_time", "12:yes", 15),
            fact("region_on_time", "12:no", 5),
            fact("region_on_time", "7:yes", 3),
            fact("departement", "40", 20),
        ];
        facts.extend(
            [(2, 10), (5, 10)]
                .iter()
                .map(|(d, n)| fact("region_treatment_days", &format!("12:{d}"), *n)),
        );
        let areas = by_area(&facts, "region");
        assert_eq!(
            areas,
            vec![
                AreaFigures {
                    id: "12".into(),
                    received: Count::Exact(20),
                    on_time_percent: Some(75),
                    median_days: Some(2)
                },
                AreaFigures {
                    id: "7".into(),
                    received: Count::Suppressed,
                    on_time_percent: None,
                    median_days: None
                },
            ]
        );
        assert_eq!(by_area(&facts, "departement")[0].received, Count::Exact(20));
        assert!(by_area(&[], "region").is_empty());
    }

    #[test]
    fn observations_taken_into_account_have_their_share_and_delay() {
        let mut facts = vec![fact("taken", "yes", 6), fact("taken", "no", 6)];
        facts.extend(
            [(0, 2), (1, 2), (4, 2)].iter().map(|(d, n)| fact("taken_days", &d.to_string(), *n)),
        );
        let s = Summary::from_facts(&facts);
        assert_eq!(s.taken_percent, Some(50));
        assert_eq!(s.taking, Durations { n: 6, median: Some(1), p90: Some(4) });
        assert_eq!(Summary::from_facts(&[fact("taken", "yes", 3)]).taken_percent, None);
    }
}
