//! Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): formats, service codes, the
//! query of `GET requests`, the request statuses, and the XML the specification requires
//! (written from the same JSON values the JSON format sends, so both always agree).

use serde_json::Value;

use crate::domain::countries::{Country, COUNTRIES, DEFAULT_COUNTRY};
use crate::domain::phone::MobilePhone;
use crate::domain::time::parse_datetime;

const DAY_MS: i64 = 86_400_000;
/// The window `GET requests` covers by default, and the longest one it accepts.
pub const WINDOW_DAYS: i64 = 90;
/// Most requests one `GET requests` returns.
pub const MAX_RESULTS: i64 = 1000;
/// Ids one query may name: a client such as FixMyStreet polls all of a body's reports at once.
pub const MAX_IDS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// `services.json` → ("services", Json).
    pub fn split(segment: &str) -> Option<(&str, Format)> {
        if let Some(stem) = segment.strip_suffix(".json") {
            Some((stem, Format::Json))
        } else {
            segment.strip_suffix(".xml").map(|stem| (stem, Format::Xml))
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

/// A service is a body and one of its themes: `"{body}-{theme}"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceCode {
    pub body_id: i64,
    pub theme_id: i64,
}

impl ServiceCode {
    pub fn parse(s: &str) -> Option<ServiceCode> {
        let (b, t) = s.trim().split_once('-')?;
        let id = |x: &str| -> Option<i64> {
            (!x.is_empty() && x.len() <= 12 && x.bytes().all(|c| c.is_ascii_digit()))
                .then(|| x.parse().ok())
                .flatten()
        };
        Some(ServiceCode { body_id: id(b)?, theme_id: id(t)? })
    }
}

impl std::fmt::Display for ServiceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.body_id, self.theme_id)
    }
}

/// How Open311 names a request: 16 lowercase hex digits (64 random bits), drawn when the
/// request is registered and never derived from its tracking code, which Open311 never shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicId(String);

impl PublicId {
    pub fn from_bytes(bytes: [u8; 8]) -> PublicId {
        PublicId(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn parse(s: &str) -> Option<PublicId> {
        let s = s.trim();
        (s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
            .then(|| PublicId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Open311's two statuses: a request is closed once the body has answered (or, for an
/// observation or suggestion, once it was passed on), open before.
pub fn status_of(stage: &str) -> &'static str {
    match stage {
        "treated" | "closed" | "closed_without_verdict" | "forwarded" | "taken_into_account" => {
            "closed"
        }
        _ => "open",
    }
}

/// The filters of `GET requests`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestQuery {
    /// `service_request_id` given: those requests, every other filter ignored (as the spec says).
    Ids(Vec<PublicId>),
    Filter {
        service_codes: Vec<ServiceCode>,
        start: i64,
        end: i64,
        statuses: Vec<&'static str>,
    },
}

impl RequestQuery {
    /// `get` reads a parameter. Errors are the message of a 400.
    pub fn parse<'a>(
        get: impl Fn(&str) -> Option<&'a str>,
        now: i64,
    ) -> Result<RequestQuery, String> {
        let list = |name: &str| -> Vec<&str> {
            get(name).unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
        };
        let ids = list("service_request_id");
        if !ids.is_empty() {
            let parsed: Option<Vec<PublicId>> = ids.iter().map(|id| PublicId::parse(id)).collect();
            return match parsed {
                Some(ids) if ids.len() <= MAX_IDS => Ok(RequestQuery::Ids(ids)),
                _ => Err(format!("service_request_id: a comma-separated list of at most {MAX_IDS} request ids (16 hexadecimal digits each)")),
            };
        }
        let service_codes = list("service_code")
            .into_iter()
            .map(|c| ServiceCode::parse(c).ok_or_else(|| format!("service_code: unknown code {c}")))
            .collect::<Result<Vec<_>, _>>()?;
        let date = |name: &str| -> Result<Option<i64>, String> {
            match get(name).map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => parse_datetime(s).map(Some).ok_or_else(|| {
                    format!("{name}: an ISO 8601 date-time, e.g. 2026-11-29T08:00:00+00:00")
                }),
            }
        };
        let (start, end) = match (date("start_date")?, date("end_date")?) {
            (None, None) => (now - WINDOW_DAYS * DAY_MS, now),
            (Some(s), None) => (s, s + WINDOW_DAYS * DAY_MS),
            (None, Some(e)) => (e - WINDOW_DAYS * DAY_MS, e),
            (Some(s), Some(e)) => (s, e),
        };
        if end < start {
            return Err("end_date is before start_date".into());
        }
        if end - start > WINDOW_DAYS * DAY_MS {
            return Err(format!("start_date to end_date: at most {WINDOW_DAYS} days"));
        }
        let statuses = list("status")
            .into_iter()
            .map(|s| match s.to_ascii_lowercase().as_str() {
                "open" => Ok("open"),
                "closed" => Ok("closed"),
                _ => Err(format!("status: open or closed, not {s}")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RequestQuery::Filter { service_codes, start, end, statuses })
    }
}

/// The country of a phone number given without one: Côte d'Ivoire for a national number, else
/// the country whose dial code starts an international one and accepts it as a mobile.
pub fn country_for_phone(phone: &str) -> &'static str {
    let p = phone.trim();
    if p.starts_with('+') || p.starts_with("00") {
        let ci = Country::find(DEFAULT_COUNTRY).into_iter();
        if let Some(c) = ci.chain(COUNTRIES.iter()).find(|c| MobilePhone::parse(c, p).is_ok()) {
            return c.code;
        }
    }
    DEFAULT_COUNTRY
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
}

/// The element name of one item of a list element, as the specification names them.
fn item_name(list: &str) -> &str {
    match list {
        "services" => "service",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        "service_requests" => "request",
        "errors" => "error",
        other => other.strip_suffix('s').unwrap_or(other),
    }
}

fn write(name: &str, value: &Value, out: &mut String) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => escape(s, out),
        Value::Array(items) => {
            for item in items {
                write(item_name(name), item, out);
            }
        }
        Value::Object(fields) => {
            for (k, v) in fields {
                write(k, v, out);
            }
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// The XML document of a response: `root` wraps `value` (a list gives one element per item).
pub fn to_xml(root: &str, value: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    write(root, value, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_and_service_codes() {
        assert_eq!(Format::split("services.json"), Some(("services", Format::Json)));
        assert_eq!(Format::split("12345678.xml"), Some(("12345678", Format::Xml)));
        assert_eq!(Format::split("services"), None);
        assert_eq!(ServiceCode::parse("5-12"), Some(ServiceCode { body_id: 5, theme_id: 12 }));
        assert_eq!(ServiceCode::parse("5-12").unwrap().to_string(), "5-12");
        for bad in ["5", "5-", "-12", "a-1", "5-1-2", "5 - 1", "99999999999999-1"] {
            assert_eq!(ServiceCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn statuses() {
        for open in ["awaiting_triage", "returned", "in_treatment"] {
            assert_eq!(status_of(open), "open");
        }
        for closed in ["forwarded", "treated", "closed", "closed_without_verdict"] {
            assert_eq!(status_of(closed), "closed");
        }
    }

    #[test]
    fn xml_follows_the_spec_names_and_escapes() {
        let services = json!([{ "service_code": "5-12", "service_name": "Accueil : Temps d'attente & <files>", "metadata": true, "group": null }]);
        assert_eq!(
            to_xml("services", &services),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><service_code>5-12</service_code>\
             <service_name>Accueil : Temps d&apos;attente &amp; &lt;files&gt;</service_name><metadata>true</metadata><group></group></service></services>"
        );
        let def = json!({ "service_code": "5-12", "attributes": [{ "code": "nature", "values": [{ "key": "reclamation", "name": "Réclamation" }] }] });
        assert_eq!(
            to_xml("service_definition", &def),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_definition><service_code>5-12</service_code><attributes><attribute>\
             <code>nature</code><values><value><key>reclamation</key><name>Réclamation</name></value></values></attribute></attributes></service_definition>"
        );
        assert!(to_xml("service_requests", &json!([{ "service_request_id": "12345678" }]))
            .contains("<service_requests><request><service_request_id>"));
        assert_eq!(
            to_xml("errors", &json!([{ "code": 403, "description": "bad\u{1}key" }])),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><errors><error><code>403</code><description>badkey</description></error></errors>"
        );
    }

    #[test]
    fn request_queries() {
        let now = 1_796_000_000_000;
        let q = |pairs: &'static [(&'static str, &'static str)]| {
            RequestQuery::parse(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| *v), now)
        };
        assert_eq!(
            q(&[]),
            Ok(RequestQuery::Filter {
                service_codes: vec![],
                start: now - 90 * DAY_MS,
                end: now,
                statuses: vec![]
            })
        );
        let ids = || {
            vec![
                PublicId::parse("0123456789abcdef").unwrap(),
                PublicId::parse("fedcba9876543210").unwrap(),
            ]
        };
        assert_eq!(
            q(&[
                ("service_request_id", "0123456789abcdef, fedcba9876543210"),
                ("status", "nonsense")
            ]),
            Ok(RequestQuery::Ids(ids()))
        );
        // Tracking codes are not Open311 ids: a query by code is refused, never looked up.
        for bad in ["1234", "12345678", "0123456789ABCDEF", "0123456789abcdeg", "0123456789abcdef0"]
        {
            assert!(
                RequestQuery::parse(|k| (k == "service_request_id").then_some(bad), now).is_err(),
                "{bad}"
            );
        }
        assert_eq!(
            PublicId::from_bytes([0, 1, 2, 0xab, 0xcd, 0xef, 0x10, 0xff]).as_str(),
            "000102abcdef10ff"
        );
        let Ok(RequestQuery::Filter { service_codes, start, end, statuses }) = q(&[
            ("service_code", "1-2,3-4"),
            ("status", "open,Closed"),
            ("start_date", "2026-10-01T00:00:00Z"),
        ]) else {
            panic!()
        };
        assert_eq!(service_codes.len(), 2);
        assert_eq!(end - start, 90 * DAY_MS);
        assert_eq!(statuses, vec!["open", "closed"]);
        assert!(q(&[("start_date", "2026-01-01T00:00:00Z"), ("end_date", "2026-11-01T00:00:00Z")])
            .unwrap_err()
            .contains("90 days"));
        assert!(q(&[("start_date", "2026-11-01T00:00:00Z"), ("end_date", "2026-10-01T00:00:00Z")])
            .is_err());
        assert!(q(&[("start_date", "yesterday")]).is_err());
        assert!(q(&[("status", "pending")]).is_err());
        assert!(q(&[("service_code", "x")]).is_err());
    }

    #[test]
    fn phone_countries() {
        assert_eq!(country_for_phone("07 07 12 34 56"), "CI");
        assert_eq!(country_for_phone("+225 07 07 12 34 56"), "CI");
        assert_eq!(country_for_phone("+33 6 12 34 56 78"), "FR");
        assert_eq!(country_for_phone("0033612345678"), "FR");
        assert_eq!(country_for_phone("+999 1"), "CI");
    }
}
