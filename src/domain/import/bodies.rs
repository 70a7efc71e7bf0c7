//! The directory of bodies as a CSV in the shape of bodies.csv (name, acronym, kind, holder,
//! website, phone, email, address, source, source_date, evidence, confidence), with the columns
//! the export adds (id, anciennement, gouvernement, source_contacts). Older spellings of the
//! columns are read too (nom, telephones, localisation). A column the file lacks leaves that
//! field as it is; a blank cell blanks it.

use super::{line, LineError, Problem, Sheet};
use crate::domain::body::{parse_phones, slugify, BodyPhone};
use crate::domain::email::Email;
use crate::domain::text::fold;
use crate::domain::time::parse_day;

/// What the directory says of a body, field by field as the CSV has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyRecord {
    pub name: String,
    pub acronym: String,
    pub kind: String,
    pub holder: String,
    pub website: String,
    pub phones: Vec<BodyPhone>,
    pub email: Option<String>,
    pub address: String,
    pub source: String,
    pub source_date: String,
    pub evidence: String,
    pub confidence: String,
    pub formerly: Vec<String>,
    pub government: String,
    pub contacts_source: String,
}

/// Columns in the export's order: bodies.csv's, then the export's own.
pub const COLUMNS: [&str; 16] = [
    "name",
    "acronym",
    "kind",
    "holder",
    "website",
    "phone",
    "email",
    "address",
    "source",
    "source_date",
    "evidence",
    "confidence",
    "id",
    "anciennement",
    "gouvernement",
    "source_contacts",
];

const SPELLINGS: [(&str, &[&str]); 16] = [
    ("name", &["nom", "organisme", "institution"]),
    ("acronym", &["sigle", "acronyme"]),
    ("kind", &["type", "categorie"]),
    ("holder", &["titulaire", "responsable"]),
    ("website", &["site", "site web", "site internet"]),
    ("phone", &["phones", "telephone", "telephones", "contacts"]),
    ("email", &["courriel", "e-mail", "mail"]),
    ("address", &["adresse", "localisation", "location"]),
    ("source", &[]),
    ("source_date", &["date source", "date de la source"]),
    ("evidence", &["extrait", "citation"]),
    ("confidence", &["fiabilite", "confiance"]),
    ("id", &["identifiant"]),
    ("anciennement", &["formerly", "ancien nom", "anciens noms"]),
    ("gouvernement", &["government"]),
    ("source_contacts", &["contacts source"]),
];

/// Former names in one cell.
const NAMES_SEPARATOR: &str = " | ";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLine {
    pub line: u64,
    pub id: Option<i64>,
    pub record: BodyRecord,
}

/// A file read and checked: its lines, and which columns it has (the others keep their values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyFile {
    pub columns: Vec<&'static str>,
    pub lines: Vec<BodyLine>,
}

/// `source_date` as bodies.csv writes it: blank (an undated page), «2026», «2026-01»,
/// «2026-01-23», each maybe after «c. ».
fn date_ok(s: &str) -> bool {
    let s = s.strip_prefix("c. ").unwrap_or(s);
    let digits = |p: &str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit());
    match s.len() {
        0 => true,
        4 => digits(s),
        7 => digits(&s[..4]) && parse_day(&format!("{s}-01")).is_some(),
        _ => parse_day(s).is_some(),
    }
}

/// A website as sources write it: a host («www.cnps.ci») or an http(s) address, no spaces.
fn website_ok(s: &str) -> bool {
    let host = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")).unwrap_or(s);
    let name = host.split(['/', '?', '#']).next().unwrap_or("");
    s.len() <= 200
        && name.contains('.')
        && !name.starts_with('.')
        && !name.ends_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && host.bytes().all(|b| b.is_ascii_graphic())
}

/// Reads a file: every line checked; the first problem of each bad line named.
pub fn parse(data: &str) -> Result<BodyFile, Vec<LineError>> {
    let sheet = Sheet::read(data, &SPELLINGS, &["name"])?;
    let columns: Vec<&'static str> = COLUMNS.iter().copied().filter(|c| sheet.has(c)).collect();
    let mut lines = Vec::new();
    let mut errors = sheet.errors.clone();
    let mut names: Vec<(String, u64)> = Vec::new();
    for (line, row) in &sheet.rows {
        // A name twice is named even when the first line has another problem.
        let name = sheet.cell(row, "name");
        let key = fold(name);
        if !slugify(name).is_empty() {
            if let Some((_, first)) = names.iter().find(|(n, _)| *n == key) {
                let value = name.to_owned();
                let problem = Problem::Duplicate { what: "name", value, first_line: *first };
                errors.push(LineError::new(*line, problem));
                continue;
            }
            names.push((key, *line));
        }
        match read_line(&sheet, row) {
            Ok((id, record)) => lines.push(BodyLine { line: *line, id, record }),
            Err(problem) => errors.push(LineError::new(*line, problem)),
        }
    }
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() {
        Ok(BodyFile { columns, lines })
    } else {
        Err(errors)
    }
}

fn read_line(sheet: &Sheet, row: &[String]) -> Result<(Option<i64>, BodyRecord), Problem> {
    let cell = |c: &str| sheet.cell(row, c).to_owned();
    let name = cell("name");
    if slugify(&name).is_empty() {
        return Err(Problem::NameMissing);
    }
    for (column, max) in [("name", 200), ("address", 300), ("holder", 200), ("kind", 200)] {
        if cell(column).chars().count() > max {
            return Err(Problem::TooLong(column));
        }
    }
    for column in ["acronym", "source", "evidence", "confidence", "source_contacts"] {
        if cell(column).chars().count() > 1000 {
            return Err(Problem::TooLong(column));
        }
    }
    let phones = parse_phones(&cell("phone")).map_err(Problem::Phone)?;
    let email = match cell("email") {
        e if e.is_empty() => None,
        e => Some(Email::parse(&e).map_err(|_| Problem::Email(e.clone()))?.as_str().to_owned()),
    };
    let website = cell("website");
    if !website.is_empty() && !website_ok(&website) {
        return Err(Problem::Website(website));
    }
    let source_date = cell("source_date");
    if !date_ok(&source_date) {
        return Err(Problem::Date(source_date));
    }
    let government = cell("gouvernement");
    if !government.is_empty() && parse_day(&government).is_none() {
        return Err(Problem::Date(government));
    }
    let id = match cell("id") {
        i if i.is_empty() => None,
        i => Some(i.parse::<i64>().ok().filter(|n| *n > 0).ok_or(Problem::UnknownId(i))?),
    };
    let formerly = cell("anciennement")
        .split('|')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect();
    let record = BodyRecord {
        name,
        acronym: cell("acronym"),
        kind: cell("kind"),
        holder: cell("holder"),
        website,
        phones,
        email,
        address: cell("address"),
        source: cell("source"),
        source_date,
        evidence: cell("evidence"),
        confidence: cell("confidence"),
        formerly,
        government,
        contacts_source: cell("source_contacts"),
    };
    Ok((id, record))
}

/// A body as the directory holds it (active or closed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub id: i64,
    pub slug: String,
    pub active: bool,
    pub record: BodyRecord,
}

/// One field of a record that an import changes (words: `i18n::import`).
pub type Field = &'static str;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    /// The name it has now (the record carries the new one).
    pub before: String,
    pub record: BodyRecord,
    pub fields: Vec<Field>,
    pub reopened: bool,
}

/// What confirming an import will do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub added: Vec<(String, BodyRecord)>,
    pub changed: Vec<Change>,
    /// (id, name) of the active bodies the file leaves out.
    pub closed: Vec<(i64, String)>,
    pub unchanged: usize,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.closed.is_empty()
    }
}

/// The body a line is: its id, else the body whose slug, name or a former name is the line's
/// name (accents and case aside).
fn matching<'a>(
    line: &BodyLine,
    existing: &'a [Existing],
) -> Result<Option<&'a Existing>, Problem> {
    if let Some(id) = line.id {
        return existing
            .iter()
            .find(|e| e.id == id)
            .map(Some)
            .ok_or(Problem::UnknownId(id.to_string()));
    }
    let (slug, name) = (slugify(&line.record.name), fold(&line.record.name));
    Ok(existing
        .iter()
        .find(|e| e.slug == slug || fold(&e.record.name) == name)
        .or_else(|| existing.iter().find(|e| e.record.formerly.iter().any(|f| fold(f) == name))))
}

/// Compares a file with the directory: bodies added, changed (the file's columns over the
/// current values), reopened, and closed (the active ones it leaves out). `today` dates the
/// source of a new body when the file has no source column («Administration Miliê»).
pub fn plan(file: &BodyFile, existing: &[Existing], today: &str) -> Result<Plan, Vec<LineError>> {
    let mut plan = Plan::default();
    let mut matched: Vec<(i64, u64)> = Vec::new();
    let mut errors = Vec::new();
    let mut slugs: Vec<String> = existing.iter().map(|e| e.slug.clone()).collect();
    for line in &file.lines {
        let found = match matching(line, existing) {
            Ok(found) => found,
            Err(problem) => {
                errors.push(LineError::new(line.line, problem));
                continue;
            }
        };
        let Some(current) = found else {
            let mut record = line.record.clone();
            if file.columns.contains(&"source") && record.source.is_empty() {
                errors.push(LineError::new(line.line, Problem::SourceMissing));
                continue;
            }
            if !file.columns.contains(&"source") {
                record.source = "Administration Miliê (import)".into();
                record.source_date = today.to_owned();
            }
            let base = slugify(&record.name);
            let mut slug = base.clone();
            let mut n = 1;
            while slugs.contains(&slug) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            slugs.push(slug.clone());
            plan.added.push((slug, record));
            continue;
        };
        if let Some((_, first)) = matched.iter().find(|(id, _)| *id == current.id) {
            errors.push(LineError::new(line.line, Problem::SameEntry { first_line: *first }));
            continue;
        }
        matched.push((current.id, line.line));
        let record = merged(&current.record, &line.record, &file.columns);
        if record.source.is_empty() && !current.record.source.is_empty() {
            errors.push(LineError::new(line.line, Problem::SourceMissing));
            continue;
        }
        let fields = differences(&current.record, &record);
        if fields.is_empty() && current.active {
            plan.unchanged += 1;
        } else {
            plan.changed.push(Change {
                id: current.id,
                before: current.record.name.clone(),
                record,
                fields,
                reopened: !current.active,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    plan.closed = existing
        .iter()
        .filter(|e| e.active && !matched.iter().any(|(id, _)| *id == e.id))
        .map(|e| (e.id, e.record.name.clone()))
        .collect();
    Ok(plan)
}

/// The current record with the file's columns written over it.
fn merged(current: &BodyRecord, new: &BodyRecord, columns: &[&str]) -> BodyRecord {
    let mut r = current.clone();
    let has = |c: &str| columns.contains(&c);
    r.name = new.name.clone();
    macro_rules! take {
        ($($column:literal => $field:ident),*) => {$( if has($column) { r.$field = new.$field.clone(); } )*};
    }
    take!("acronym" => acronym, "kind" => kind, "holder" => holder, "website" => website,
        "phone" => phones, "email" => email, "address" => address, "source" => source,
        "source_date" => source_date, "evidence" => evidence, "confidence" => confidence,
        "anciennement" => formerly, "gouvernement" => government, "source_contacts" => contacts_source);
    r
}

fn differences(a: &BodyRecord, b: &BodyRecord) -> Vec<Field> {
    let mut out = Vec::new();
    macro_rules! compare {
        ($($field:ident => $column:literal),*) => {$( if a.$field != b.$field { out.push($column); } )*};
    }
    compare!(name => "name", acronym => "acronym", kind => "kind", holder => "holder",
        website => "website", phones => "phone", email => "email", address => "address",
        source => "source", source_date => "source_date", evidence => "evidence",
        confidence => "confidence", formerly => "anciennement", government => "gouvernement",
        contacts_source => "source_contacts");
    out
}

/// The active bodies in the import's shape (a byte-order mark first, for spreadsheets).
pub fn export(bodies: &[Existing]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&line(&COLUMNS));
    for b in bodies.iter().filter(|b| b.active) {
        let r = &b.record;
        let phones = r.phones.iter().map(BodyPhone::written).collect::<Vec<_>>().join("; ");
        let id = b.id.to_string();
        let formerly = r.formerly.join(NAMES_SEPARATOR);
        out.push_str(&line(&[
            &r.name,
            &r.acronym,
            &r.kind,
            &r.holder,
            &r.website,
            &phones,
            r.email.as_deref().unwrap_or(""),
            &r.address,
            &r.source,
            &r.source_date,
            &r.evidence,
            &r.confidence,
            &id,
            &formerly,
            &r.government,
            &r.contacts_source,
        ]));
    }
    out
}
