//! The queries of Open311's reads: `GET requests` (and the same query posted as a form, for long
//! id lists) and `GET servicerequestupdates`. Each parameter is read with every value it was given:
//! a repeated parameter is a list, as a comma-separated one is; a parameter that takes one value
//! may be repeated only with that same value.

use super::{PublicId, ServiceCode};
use crate::domain::time::parse_datetime;

pub const DAY_MS: i64 = 86_400_000;
/// The window `GET requests` covers by default, and the longest one either read accepts.
pub const WINDOW_DAYS: i64 = 90;
/// Most requests one `GET requests` filter returns (newest first).
pub const MAX_RESULTS: i64 = 1000;
/// Ids one posted query may name: a client such as FixMyStreet polls all of a body's reports.
pub const MAX_IDS: usize = 10_000;
/// Ids one GET may name. Cloudflare takes URLs of up to 16 KB; FixMyStreet escapes each comma
/// (`%2C`), 19 bytes an id: 800 ids are 15 200 bytes, room left for the rest of the URL.
pub const MAX_GET_IDS: usize = 800;
/// Most updates one `servicerequestupdates` answer carries (oldest first).
pub const MAX_UPDATES: i64 = 1000;
/// The window of `servicerequestupdates` without dates: the last day.
pub const UPDATES_DEFAULT_HOURS: i64 = 24;

/// A query refused: the HTTP status (400, 404 or 414) and the message of the error list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

impl Refusal {
    pub fn new(status: u16, message: impl Into<String>) -> Refusal {
        Refusal { status, message: message.into() }
    }
}

fn bad(message: impl Into<String>) -> Refusal {
    Refusal::new(400, message)
}

/// How a `requests` query arrived: a GET's ids are limited by the URL, a form's are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Get,
    Form,
}

/// Every value of a list parameter, repeated and/or comma-separated, blanks left out.
pub fn list<'a>(values: &[&'a str]) -> Vec<&'a str> {
    values.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// The value of a parameter that takes one (blank: none). Repeated with the same value, that value;
/// with two different ones, a 400.
pub fn single<'a>(name: &str, values: &[&'a str]) -> Result<Option<&'a str>, Refusal> {
    let mut given = values.iter().map(|v| v.trim()).filter(|v| !v.is_empty());
    let first = given.next();
    if let Some(first) = first {
        if given.any(|v| v != first) {
            return Err(bad(format!("{name}: one value; it was given twice, differently")));
        }
    }
    Ok(first)
}

/// A date-time as clients send it. The `+` of an offset written unescaped in a query string
/// arrives as a space (`…T08:00:00 00:00`): read as the `+` it was.
pub fn parse_query_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    parse_datetime(s).or_else(|| {
        let (head, offset) = s.rsplit_once(' ')?;
        let shaped = matches!(offset.len(), 4 | 5)
            && offset.bytes().all(|b| b.is_ascii_digit() || b == b':')
            && head.len() >= 16;
        shaped.then(|| parse_datetime(&format!("{head}+{offset}"))).flatten()
    })
}

fn date(name: &str, values: &[&str]) -> Result<Option<i64>, Refusal> {
    match single(name, values)? {
        None => Ok(None),
        Some(s) => parse_query_datetime(s).map(Some).ok_or_else(|| {
            bad(format!("{name}: an ISO 8601 date-time, e.g. 2026-11-29T08:00:00+00:00"))
        }),
    }
}

/// The filters of `GET requests`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestQuery {
    /// `service_request_id` given: those requests (each once), every other filter ignored, as
    /// the specification says — a request reassigned to another body still answers its ids.
    Ids(Vec<PublicId>),
    Filter {
        /// Bodies' slugs (none: every body); whether they exist is for the caller to check.
        jurisdictions: Vec<String>,
        service_codes: Vec<ServiceCode>,
        start: i64,
        end: i64,
        statuses: Vec<&'static str>,
    },
}

impl RequestQuery {
    /// `get` gives every value of a parameter.
    pub fn parse<'a>(
        get: impl Fn(&str) -> Vec<&'a str>,
        now: i64,
        via: Via,
    ) -> Result<RequestQuery, Refusal> {
        let ids = list(&get("service_request_id"));
        if !ids.is_empty() {
            return Self::ids(&ids, via);
        }
        let jurisdictions = jurisdictions(&get("jurisdiction_id"))?;
        let service_codes = list(&get("service_code"))
            .into_iter()
            .map(|c| {
                ServiceCode::parse(c).ok_or_else(|| {
                    Refusal::new(
                        404,
                        format!("service_code: unknown code {c}; services.xml lists them"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (start, end) =
            match (date("start_date", &get("start_date"))?, date("end_date", &get("end_date"))?) {
                (None, None) => (now - WINDOW_DAYS * DAY_MS, now),
                (Some(s), None) => (s, s + WINDOW_DAYS * DAY_MS),
                (None, Some(e)) => (e - WINDOW_DAYS * DAY_MS, e),
                (Some(s), Some(e)) => (s, e),
            };
        check_window(start, end)?;
        let statuses = list(&get("status"))
            .into_iter()
            .map(|s| match s.to_ascii_lowercase().as_str() {
                "open" => Ok("open"),
                "closed" => Ok("closed"),
                _ => Err(bad(format!("status: open or closed, not {s}"))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RequestQuery::Filter { jurisdictions, service_codes, start, end, statuses })
    }

    fn ids(ids: &[&str], via: Via) -> Result<RequestQuery, Refusal> {
        match via {
            Via::Get if ids.len() > MAX_GET_IDS => {
                return Err(Refusal::new(
                    414,
                    format!(
                    "service_request_id: at most {MAX_GET_IDS} ids in a GET, whose URL must stay \
                         under 16 KB; for more (up to {MAX_IDS}), POST the same parameters to \
                         requests.xml or requests.json as a form body \
                         (application/x-www-form-urlencoded), without service_code"
                ),
                ))
            }
            Via::Form if ids.len() > MAX_IDS => {
                return Err(bad(format!("service_request_id: at most {MAX_IDS} ids in one query")))
            }
            _ => {}
        }
        let mut parsed: Vec<PublicId> = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(id) = PublicId::parse(id) else {
                return Err(bad(
                    "service_request_id: request ids of 16 hexadecimal digits, comma-separated or repeated",
                ));
            };
            parsed.push(id);
        }
        // Each id once, in the order first given.
        let mut seen = std::collections::HashSet::with_capacity(parsed.len());
        parsed.retain(|id| seen.insert(id.as_str().to_owned()));
        Ok(RequestQuery::Ids(parsed))
    }
}

/// `jurisdiction_id`: bodies' slugs (a list; whether each exists is the caller's 404 to give).
fn jurisdictions(values: &[&str]) -> Result<Vec<String>, Refusal> {
    list(values)
        .into_iter()
        .map(|j| {
            if j.len() <= 100 {
                Ok(j.to_owned())
            } else {
                Err(Refusal::new(
                    404,
                    "jurisdiction_id: unknown; discovery.xml lists the bodies' ids",
                ))
            }
        })
        .collect()
}

fn check_window(start: i64, end: i64) -> Result<(), Refusal> {
    if end < start {
        return Err(bad("end_date is before start_date"));
    }
    if end - start > WINDOW_DAYS * DAY_MS {
        return Err(bad(format!("start_date to end_date: at most {WINDOW_DAYS} days")));
    }
    Ok(())
}

/// `GET servicerequestupdates`: the updates shown in a window, as FixMyStreet asks for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateQuery {
    /// The first millisecond an update may have been made at: an update's `updated_datetime` is
    /// written to the second, and must read within `start_date`…`end_date` as the client checks
    /// it (FixMyStreet's `check_date` compares the written times).
    pub from: i64,
    /// The first millisecond after the window (exclusive).
    pub until: i64,
    pub jurisdictions: Vec<String>,
}

impl UpdateQuery {
    /// `start_date` and `end_date`, both or neither (FixMyStreet sends both or neither); without
    /// them, the last `UPDATES_DEFAULT_HOURS` hours; at most `WINDOW_DAYS` days.
    pub fn parse<'a>(get: impl Fn(&str) -> Vec<&'a str>, now: i64) -> Result<UpdateQuery, Refusal> {
        let (start, end) =
            match (date("start_date", &get("start_date"))?, date("end_date", &get("end_date"))?) {
                (None, None) => (now - UPDATES_DEFAULT_HOURS * 3_600_000, now),
                (Some(s), Some(e)) => (s, e),
                _ => return Err(bad("start_date and end_date: both or neither")),
            };
        check_window(start, end)?;
        let jurisdictions = jurisdictions(&get("jurisdiction_id"))?;
        // An update made at 08:00:00.400 reads 08:00:00: within a window that starts at
        // 08:00:00.000 or ends at 08:00:00.000, and not one that starts at 08:00:00.500.
        let from =
            start.div_euclid(1000) * 1000 + if start.rem_euclid(1000) > 0 { 1000 } else { 0 };
        let until = end.div_euclid(1000) * 1000 + 1000;
        Ok(UpdateQuery { from, until, jurisdictions })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_000_000_000;

    fn q<'a>(pairs: &'a [(&'a str, &'a str)], via: Via) -> Result<RequestQuery, Refusal> {
        RequestQuery::parse(
            |k| pairs.iter().filter(|(n, _)| *n == k).map(|(_, v)| *v).collect(),
            NOW,
            via,
        )
    }

    fn u<'a>(pairs: &'a [(&'a str, &'a str)]) -> Result<UpdateQuery, Refusal> {
        UpdateQuery::parse(
            |k| pairs.iter().filter(|(n, _)| *n == k).map(|(_, v)| *v).collect(),
            NOW,
        )
    }

    fn id(s: &str) -> PublicId {
        PublicId::parse(s).unwrap()
    }

    #[test]
    fn lists_and_single_values() {
        assert_eq!(list(&["a, b", "", " c ", "a"]), vec!["a", "b", "c", "a"]);
        assert_eq!(single("x", &["", " 1 ", "1"]), Ok(Some("1")));
        assert_eq!(single("x", &[]), Ok(None));
        assert_eq!(single("x", &["1", "2"]).unwrap_err().status, 400);
        // A `+` sent unescaped in a query string arrives as a space.
        assert_eq!(
            parse_query_datetime("2026-11-29T08:00:00 01:00"),
            parse_datetime("2026-11-29T07:00:00Z")
        );
        assert_eq!(parse_query_datetime("2026-11-29 08:00"), parse_datetime("2026-11-29T08:00Z"));
        assert_eq!(parse_query_datetime("2026-11-29 08:00 x"), None);
    }

    #[test]
    fn ids_override_every_other_filter_repeated_or_comma_separated() {
        let both = Ok(RequestQuery::Ids(vec![id("0123456789abcdef"), id("fedcba9876543210")]));
        let pairs: &[(&str, &str)] = &[
            ("service_request_id", "0123456789abcdef, fedcba9876543210"),
            ("status", "nonsense"),
            ("jurisdiction_id", "nulle-part"),
            ("service_code", "x"),
            ("start_date", "yesterday"),
        ];
        assert_eq!(q(pairs, Via::Get), both);
        let repeated: &[(&str, &str)] = &[
            ("service_request_id", "0123456789abcdef"),
            ("service_request_id", "fedcba9876543210,0123456789abcdef"),
        ];
        assert_eq!(q(repeated, Via::Form), both, "repeated, and each once");
        // Tracking codes are not Open311 ids: a query by code is refused, never looked up.
        for bad in ["1234", "12345678", "0123456789ABCDEF", "0123456789abcdeg", "0123456789abcdef0"]
        {
            let r = RequestQuery::parse(
                |k| if k == "service_request_id" { vec![bad] } else { vec![] },
                NOW,
                Via::Get,
            );
            assert_eq!(r.unwrap_err().status, 400, "{bad}");
        }
    }

    #[test]
    fn a_get_names_at_most_800_ids_a_form_10_000() {
        let ids = |n: usize| (0..n).map(|i| format!("{i:016x}")).collect::<Vec<_>>().join(",");
        let ask = |n: usize, via| {
            let all = ids(n);
            RequestQuery::parse(
                |k| if k == "service_request_id" { vec![all.as_str()] } else { vec![] },
                NOW,
                via,
            )
        };
        assert!(matches!(ask(800, Via::Get), Ok(RequestQuery::Ids(v)) if v.len() == 800));
        let over = ask(801, Via::Get).unwrap_err();
        assert_eq!(over.status, 414);
        assert!(over.message.contains("800") && over.message.contains("POST"), "{}", over.message);
        assert!(matches!(ask(5000, Via::Form), Ok(RequestQuery::Ids(v)) if v.len() == 5000));
        assert!(matches!(ask(10_000, Via::Form), Ok(RequestQuery::Ids(_))));
        assert_eq!(ask(10_001, Via::Form).unwrap_err().status, 400);
    }

    #[test]
    fn filters_read_repeated_parameters_as_lists() {
        assert_eq!(
            q(&[], Via::Get),
            Ok(RequestQuery::Filter {
                jurisdictions: vec![],
                service_codes: vec![],
                start: NOW - 90 * DAY_MS,
                end: NOW,
                statuses: vec![]
            })
        );
        let Ok(RequestQuery::Filter { jurisdictions, service_codes, start, end, statuses }) = q(
            &[
                ("service_code", "1-2,3-4"),
                ("service_code", "5-0"),
                ("status", "open"),
                ("status", "Closed"),
                ("jurisdiction_id", "mairie-a"),
                ("jurisdiction_id", "mairie-b,mairie-c"),
                ("start_date", "2026-10-01T00:00:00Z"),
                ("start_date", "2026-10-01T00:00:00Z"),
            ],
            Via::Get,
        ) else {
            panic!()
        };
        assert_eq!(service_codes.len(), 3);
        assert_eq!(jurisdictions, ["mairie-a", "mairie-b", "mairie-c"]);
        assert_eq!(end - start, 90 * DAY_MS);
        assert_eq!(statuses, vec!["open", "closed"]);
        let status = |pairs: &[(&str, &str)]| q(pairs, Via::Get).unwrap_err().status;
        assert_eq!(
            status(&[("start_date", "2026-01-01T00:00:00Z"), ("end_date", "2026-11-01T00:00:00Z")]),
            400
        );
        assert_eq!(
            status(&[("start_date", "2026-11-01T00:00:00Z"), ("end_date", "2026-10-01T00:00:00Z")]),
            400
        );
        assert_eq!(
            status(&[
                ("start_date", "2026-11-01T00:00:00Z"),
                ("start_date", "2026-10-01T00:00:00Z")
            ]),
            400
        );
        assert_eq!(status(&[("start_date", "yesterday")]), 400);
        assert_eq!(status(&[("status", "pending")]), 400);
        // An unknown service or jurisdiction is a 404.
        assert_eq!(status(&[("service_code", "x")]), 404);
        assert_eq!(status(&[("jurisdiction_id", &"j".repeat(101))]), 404);
    }

    #[test]
    fn update_windows_both_dates_or_neither_read_to_the_second() {
        let day = u(&[]).unwrap();
        assert_eq!((day.from, day.until), (NOW - 24 * 3_600_000, NOW + 1000));
        for one in ["start_date", "end_date"] {
            assert_eq!(u(&[(one, "2026-11-29T08:00:00Z")]).unwrap_err().status, 400);
        }
        let w = u(&[
            ("start_date", "2026-11-29T08:00:00Z"),
            ("end_date", "2026-11-29T10:00:00+02:00"),
            ("jurisdiction_id", "a,b"),
        ])
        .unwrap();
        let at = |s| parse_datetime(s).unwrap();
        assert_eq!(w.from, at("2026-11-29T08:00:00Z"));
        assert_eq!(w.until, at("2026-11-29T08:00:01Z"), "an update at 08:00:00.999 reads 08:00:00");
        assert_eq!(w.jurisdictions, ["a", "b"]);
        let half = u(&[
            ("start_date", "2026-11-29T08:00:00.500Z"),
            ("end_date", "2026-11-29T09:00:00.500Z"),
        ])
        .unwrap();
        assert_eq!(
            (half.from, half.until),
            (at("2026-11-29T08:00:01Z"), at("2026-11-29T09:00:01Z"))
        );
        assert_eq!(
            u(&[("start_date", "2026-01-01"), ("end_date", "2026-11-01")]).unwrap_err().status,
            400
        );
        assert_eq!(
            u(&[("start_date", "2026-11-02"), ("end_date", "2026-11-01")]).unwrap_err().status,
            400
        );
    }
}
