//! Citizens' rights of access and erasure (law n° 2013-450, ARTCI): who asks (a tracking code
//! and the contact given on that request), and what the access archive holds — every request of
//! that contact with its history, earlier wordings, links, the messages sent to it and its files,
//! as JSON (everything), CSV (one table per kind) and the files themselves.

use serde_json::{Map, Value};

use super::email::Email;
use super::export::{write_all, Cell, Format};
use super::phone::MobilePhone;

/// The contact a citizen proves, as stored on their requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    Email(String),
    Phone(String),
}

impl Holder {
    /// An address or a mobile number as typed (Ivorian unless it has a dial code).
    pub fn parse(input: &str) -> Option<Holder> {
        let input = input.trim();
        if input.contains('@') {
            Email::parse(input).ok().map(|e| Holder::Email(e.as_str().to_owned()))
        } else {
            MobilePhone::parse_any(input).ok().map(|p| Holder::Phone(p.e164().to_owned()))
        }
    }

    /// The column of `requests` it is stored in, and its value.
    pub fn column(&self) -> (&'static str, &str) {
        match self {
            Holder::Email(e) => ("email", e),
            Holder::Phone(p) => ("phone", p),
        }
    }
}

/// What the archive is made of, read from the store: each kind of record as JSON objects.
#[derive(Debug, Clone, Default)]
pub struct Held {
    pub requests: Vec<Value>,
    pub history: Vec<Value>,
    pub versions: Vec<Value>,
    pub links: Vec<Value>,
    pub messages: Vec<Value>,
    pub files: Vec<Value>,
}

/// A table of JSON objects as CSV rows (the columns of the first object, in order).
pub fn table(rows: &[Value]) -> (Vec<String>, Vec<Vec<Cell>>) {
    let Some(Value::Object(first)) = rows.first() else { return (Vec::new(), Vec::new()) };
    let columns: Vec<String> = first.keys().cloned().collect();
    let cells = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| match row.get(c) {
                    None | Some(Value::Null) => Cell::Empty,
                    Some(Value::String(s)) => Cell::Text(s.clone()),
                    Some(Value::Number(n)) => {
                        n.as_i64().map_or(Cell::Text(n.to_string()), Cell::Number)
                    }
                    Some(other) => Cell::Text(other.to_string()),
                })
                .collect()
        })
        .collect();
    (columns, cells)
}

/// The archive's name of an attachment: under its request's code, with its id (two files may
/// share a name) and its name with anything path-like removed.
pub fn file_entry(code: &str, id: i64, name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if c == '/' || c == '\\' || c.is_control() { '_' } else { c })
        .collect();
    format!("fichiers/{code}/{id}-{clean}")
}

/// The archive's fixed entries: the README, everything as JSON, one CSV per kind.
pub fn entries(held: &Held, now: i64, generated_by: &str) -> Vec<(String, Vec<u8>)> {
    let mut all = Map::new();
    all.insert("genere_le".into(), Value::String(super::time::iso8601(now)));
    for (key, rows) in [
        ("requetes", &held.requests),
        ("historique", &held.history),
        ("versions", &held.versions),
        ("liens", &held.links),
        ("messages", &held.messages),
        ("fichiers", &held.files),
    ] {
        all.insert(key.into(), Value::Array(rows.clone()));
    }
    let json = serde_json::to_vec_pretty(&Value::Object(all)).unwrap_or_default();
    let readme = format!(
        "Miliê — données personnelles / personal data\r\n\r\n\
         Archive produite le {date} par {generated_by} à la demande du citoyen (loi n° 2013-450 \
         relative à la protection des données à caractère personnel, ARTCI).\r\n\
         Archive made on {date} at the citizen's request (law no. 2013-450).\r\n\r\n\
         donnees.json : tout / everything\r\n\
         requetes.csv, historique.csv, versions.csv, liens.csv, messages.csv, fichiers.csv : \
         les mêmes données en tableaux / the same as tables (UTF-8, « ; »)\r\n\
         fichiers/<code>/ : les pièces jointes / the attachments\r\n",
        date = super::time::iso8601(now)
    );
    let mut out =
        vec![("LISEZMOI.txt".to_owned(), readme.into_bytes()), ("donnees.json".to_owned(), json)];
    for (name, rows) in [
        ("requetes.csv", &held.requests),
        ("historique.csv", &held.history),
        ("versions.csv", &held.versions),
        ("liens.csv", &held.links),
        ("messages.csv", &held.messages),
        ("fichiers.csv", &held.files),
    ] {
        let (columns, cells) = table(rows);
        let headers: Vec<&str> = columns.iter().map(String::as_str).collect();
        out.push((name.to_owned(), write_all(Format::Csv, name, &headers, &cells, now)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_holder_is_an_address_or_a_mobile() {
        assert_eq!(
            Holder::parse(" Awa.Kone@Example.CI "),
            Some(Holder::Email("awa.kone@example.ci".into()))
        );
        assert_eq!(Holder::parse("07 01 02 03 04"), Some(Holder::Phone("+2250701020304".into())));
        assert_eq!(Holder::parse("+225 07 01 02 03 04").map(|h| h.column().0), Some("phone"));
        assert_eq!(Holder::parse("pas un contact"), None);
        assert_eq!(Holder::parse("a@"), None);
    }

    #[test]
    fn the_archive_holds_everything_as_json_and_tables() {
        let held = Held {
            requests: vec![
                json!({"code": "12345678", "message": "=SOMME(A1)", "last_name": "Koné"}),
            ],
            history: vec![json!({"code": "12345678", "event": "submitted", "at": 1})],
            ..Held::default()
        };
        let entries = entries(&held, 0, "Admin");
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[..3], ["LISEZMOI.txt", "donnees.json", "requetes.csv"]);
        let json: Value = serde_json::from_slice(&entries[1].1).unwrap();
        assert_eq!(json["requetes"][0]["last_name"], "Koné");
        let csv = String::from_utf8(entries[2].1.clone()).unwrap();
        assert!(csv.starts_with("\u{FEFF}code;message;last_name\r\n"), "{csv}");
        assert!(csv.contains("12345678;'=SOMME(A1);Koné"), "formulas neutralised: {csv}");
        assert_eq!(file_entry("12345678", 4, "../../a/b.pdf"), "fichiers/12345678/4-.._.._a_b.pdf");
    }
}
