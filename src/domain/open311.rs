//! Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): formats, service codes, the
//! query of `GET requests`, the request statuses, and the XML the specification requires
//! (written from the same JSON values the JSON format sends, so both always agree).

use serde_json::Value;

use crate::domain::countries::{Country, COUNTRIES, DEFAULT_COUNTRY};
use crate::domain::phone::MobilePhone;

mod partner;
mod query;
mod updates;

pub use partner::{media_links, partner_contact, PartnerContact, MAX_LINKS};
pub use query::{
    list, single, Refusal, RequestQuery, UpdateQuery, Via, DAY_MS, MAX_GET_IDS, MAX_IDS,
    MAX_RESULTS, MAX_UPDATES, UPDATES_DEFAULT_HOURS, WINDOW_DAYS,
};
pub use updates::{update_description, update_id, update_status};

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

    /// The format of an answer to this path, an error included: JSON when it ends in `.json`,
    /// else XML (the specification's default).
    pub fn of_path(path: &str) -> Format {
        if path.trim_end_matches('/').ends_with(".json") {
            Format::Json
        } else {
            Format::Xml
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
        "treated"
        | "closed"
        | "closed_without_verdict"
        | "forwarded"
        | "taken_into_account"
        | "merged" => "closed",
        _ => "open",
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
        "service_request_updates" => "request_update",
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

/// A response's body in its format: `root` names the XML document (JSON has none).
pub fn render(format: Format, root: &str, value: &Value) -> String {
    match format {
        Format::Json => value.to_string(),
        Format::Xml => to_xml(root, value),
    }
}

/// The specification's error list, `[{code, description}]` / `<errors><error>…`, as a body.
pub fn errors_body(format: Format, status: u16, descriptions: &[String]) -> String {
    let list = descriptions
        .iter()
        .map(|d| serde_json::json!({ "code": status, "description": d }))
        .collect();
    render(format, "errors", &Value::Array(list))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_and_service_codes() {
        assert_eq!(Format::of_path("/open311/v2/nope.json"), Format::Json);
        assert_eq!(Format::of_path("/open311/v2/requests.json/"), Format::Json);
        for xml in
            ["/open311/v2/nope", "/open311/v2/requests.xml", "/open311", "/open311/v2/a.jsonx"]
        {
            assert_eq!(Format::of_path(xml), Format::Xml, "{xml}");
        }
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
        assert_eq!(
            errors_body(Format::Json, 404, &["unknown <path>".into()]),
            r#"[{"code":404,"description":"unknown <path>"}]"#
        );
        assert!(errors_body(Format::Xml, 405, &["a".into(), "b".into()])
            .ends_with("<errors><error><code>405</code><description>a</description></error><error><code>405</code><description>b</description></error></errors>"));
        assert!(to_xml("service_request_updates", &json!([{ "update_id": "x" }])).contains(
            "<service_request_updates><request_update><update_id>x</update_id></request_update>"
        ));
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
