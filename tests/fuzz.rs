//! Fuzzing of every parser of outside input (proptest, plus the committed corpus of hostile
//! inputs in `tests/fuzz-corpus/`): none may panic, and whatever one accepts must satisfy the
//! invariants the rest of Miliê relies on (and parse again to itself).
//!
//! `cargo test` runs a quick pass; `make fuzz` runs `FUZZ_CASES` (default 100 000) cases per target.

use milie::domain::area::{parse_rings, Area};
use milie::domain::attachment::{self, AttachmentKind};
use milie::domain::code::RequestCode;
use milie::domain::countries::COUNTRIES;
use milie::domain::email::Email;
use milie::domain::geo::Position;
use milie::domain::gsm7::{septets, to_gsm7};
use milie::domain::http_range::{self, ByteRange};
use milie::domain::import;
use milie::domain::lang::Lang;
use milie::domain::nature::Nature;
use milie::domain::open311::{
    PublicId, RequestQuery, ServiceCode, UpdateQuery, Via, DAY_MS, MAX_GET_IDS, MAX_IDS,
    WINDOW_DAYS,
};
use milie::domain::phone::MobilePhone;
use milie::domain::sms_command::{self, Command};
use milie::domain::stage::Stage;
use milie::domain::stats::{Period, MAX_PERIOD_DAYS};
use milie::domain::submission::RawSubmission;
use milie::domain::text::is_invisible_format;
use milie::domain::text_field::{Message, PersonName, MESSAGE_MAX_CHARS, NAME_MAX_CHARS};
use milie::domain::time::{iso8601_offset, parse_datetime, parse_day};
use milie::domain::token;
use milie::domain::ussd::{self, input, Data, Draft, Facts, Item, Session, Step};
use milie::web::Params;
use proptest::prelude::*;

fn corpus() -> Vec<String> {
    let raw = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz-corpus/hostile.json"
    ))
    .expect("corpus");
    serde_json::from_str(&raw).expect("corpus is a JSON list of strings")
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

/// Outside text: any Unicode, weighted towards the characters parsers care about.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 +().-]{0,24}",
        "[a-zA-Z0-9.@_+-]{0,40}",
        "[\\PC\\p{Cf}\\p{Cc}]{0,80}",
        prop::sample::select(corpus()),
    ]
}

fn check_code(s: &str) {
    if let Ok(code) = RequestCode::parse(s) {
        let shown = code.to_string();
        assert!(shown.len() == 8 && shown.bytes().all(|b| b.is_ascii_digit()), "{s:?} → {shown}");
        assert_eq!(RequestCode::parse(&shown), Ok(code));
    }
}

fn check_email(s: &str) {
    if let Ok(email) = Email::parse(s) {
        let e = email.as_str();
        assert!(e.is_ascii() && e.len() <= 254 && e.contains('@'), "{s:?} → {e}");
        assert_eq!(e, e.to_lowercase());
        assert!(!e.chars().any(|c| c.is_control() || c.is_whitespace() || "<>\"".contains(c)));
        assert_eq!(Email::parse(e).as_ref().map(Email::as_str), Ok(e), "idempotent");
    }
}

fn check_phone(country_index: usize, s: &str) {
    let country = &COUNTRIES[country_index % COUNTRIES.len()];
    if let Ok(phone) = MobilePhone::parse(country, s) {
        let e164 = phone.e164();
        assert!(
            e164.starts_with('+')
                && e164[1..].bytes().all(|b| b.is_ascii_digit())
                && e164.len() <= 16,
            "{s:?} → {e164}"
        );
        assert!(e164[1..].starts_with(&country.dial.to_string()));
        assert_eq!(
            MobilePhone::parse(country, e164).map(|p| p.e164().to_owned()),
            Ok(e164.to_owned()),
            "idempotent"
        );
    }
}

fn check_texts(s: &str) {
    if let Ok(m) = Message::parse(s) {
        let t = m.as_str();
        assert!(t.chars().count() <= MESSAGE_MAX_CHARS);
        assert!(
            !t.chars()
                .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_invisible_format(c)),
            "{s:?}"
        );
        assert_eq!(Message::parse(t).as_ref().map(Message::as_str), Ok(t));
    }
    if let Ok(Some(n)) = PersonName::parse_optional(s) {
        let t = n.as_str();
        assert!(t.chars().count() <= NAME_MAX_CHARS && !t.is_empty());
        assert!(!t.chars().any(|c| c.is_control() || is_invisible_format(c)), "{s:?}");
        assert_eq!(
            PersonName::parse_optional(t).ok().flatten().as_ref().map(PersonName::as_str),
            Some(t)
        );
    }
}

fn check_attachment(name: &str, bytes: &[u8]) {
    let cleaned = attachment::clean_name(name);
    assert!(!cleaned.is_empty() && cleaned.chars().count() <= 120);
    assert!(
        !cleaned
            .chars()
            .any(|c| c.is_control() || is_invisible_format(c) || "/\\\"<>;".contains(c)),
        "{name:?} → {cleaned:?}"
    );
    assert!(cleaned != "." && cleaned != "..");
    if let Ok(file) = attachment::check(name, bytes) {
        assert_eq!(AttachmentKind::sniff(bytes), Some(file.kind), "accepted only by content");
        assert_eq!(file.size, bytes.len());
        assert!(file.size <= 5 * 1024 * 1024);
        // A recording is kept only with a length read from it, three minutes at most.
        assert_eq!(file.kind.is_audio(), file.duration_ms.is_some());
        assert!(file.duration_ms.is_none_or(|ms| ms <= 180_000));
    }
    if let Ok(file) = attachment::check_voice(name, bytes) {
        assert!(file.kind.is_audio());
    }
}

fn check_csv(s: &str) {
    if let Ok(text) = import::decode(s.as_bytes()) {
        assert!(!text.starts_with('\u{feff}'));
    }
    if let Ok(file) = import::bodies::parse(s) {
        assert!(file.lines.iter().all(|l| !l.record.name.trim().is_empty()));
        // What a file says is what its export says again.
        let existing: Vec<import::bodies::Existing> = file
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| import::bodies::Existing {
                id: i as i64 + 1,
                slug: format!("b{i}"),
                active: true,
                record: l.record.clone(),
            })
            .collect();
        let again = import::bodies::parse(&import::bodies::export(&existing)[3..]).unwrap();
        let plan = import::bodies::plan(&again, &existing, "2026-12-04").unwrap();
        assert!(plan.is_empty(), "{s:?}: {plan:?}");
        let _ = import::bodies::plan(&file, &[], "2026-12-04");
    }
    if let Ok(file) = import::places::parse(s) {
        assert!(file.lines.iter().all(|l| !l.name.trim().is_empty()));
        let _ = import::places::plan(&file, &[]);
    }
    // Polygons as the seed stores them, and positions as clients send them.
    if let Ok(rings) = parse_rings(s) {
        assert!(rings.iter().all(|r| r.len() >= 3));
        let area = Area::new("X", "X", 1, s).unwrap();
        let _ = area.contains(Position { lat: 5.0, lon: -4.0 });
    }
    if let Ok(Some(p)) = Position::parse(s, s) {
        assert!(p.lat.is_finite() && (-90.0..=90.0).contains(&p.lat));
    }
}

fn check_dates(s: &str) {
    if let Some(day) = parse_day(s) {
        assert!(day >= 0);
    }
    if let Some(ms) = parse_datetime(s).filter(|ms| *ms >= 0) {
        // Written back to the second, it reads the same.
        assert_eq!(parse_datetime(&iso8601_offset(ms)), Some(ms - ms.rem_euclid(1000)), "{s:?}");
    }
    let today = 20_000;
    match Period::parse(s, "", today) {
        Ok(p) | Err(p) => assert!(p.from <= p.to && p.to - p.from < MAX_PERIOD_DAYS),
    }
}

fn check_open311(s: &str, now: i64) {
    if let Some(code) = ServiceCode::parse(s) {
        assert_eq!(ServiceCode::parse(&code.to_string()), Some(code));
    }
    for key in [
        "service_request_id",
        "start_date",
        "end_date",
        "status",
        "service_code",
        "jurisdiction_id",
    ] {
        for via in [Via::Get, Via::Form] {
            check_request_query(|k| if k == key { vec![s] } else { vec![] }, now, via);
        }
        check_update_query(|k| if k == key { vec![s] } else { vec![] }, now);
    }
    // The same text repeated, and as a whole form body or query string.
    check_request_query(
        |k| if k == "service_request_id" { vec![s, s] } else { vec![] },
        now,
        Via::Get,
    );
    check_form(s, now);
}

/// Whatever a query gives: ids within the limit of the way it came, each a public id and each
/// once; a window of at most `WINDOW_DAYS`; a refusal with its status and message.
fn check_request_query<'a>(get: impl Fn(&str) -> Vec<&'a str>, now: i64, via: Via) {
    match RequestQuery::parse(get, now, via) {
        Ok(RequestQuery::Ids(ids)) => {
            let max = if via == Via::Get { MAX_GET_IDS } else { MAX_IDS };
            assert!(!ids.is_empty() && ids.len() <= max);
            assert!(ids.iter().all(|i| PublicId::parse(i.as_str()).as_ref() == Some(i)));
            let unique: std::collections::HashSet<&str> = ids.iter().map(|i| i.as_str()).collect();
            assert_eq!(unique.len(), ids.len(), "each id once");
        }
        Ok(RequestQuery::Filter { start, end, jurisdictions, .. }) => {
            assert!(start <= end && end - start <= WINDOW_DAYS * DAY_MS);
            assert!(jurisdictions
                .iter()
                .all(|j| !j.is_empty() && j.len() <= 100 && !j.contains(',')));
        }
        Err(r) => assert!(!r.message.is_empty() && [400, 404, 414].contains(&r.status)),
    }
}

fn check_update_query<'a>(get: impl Fn(&str) -> Vec<&'a str>, now: i64) {
    match UpdateQuery::parse(get, now) {
        Ok(q) => {
            assert!(q.from % 1000 == 0 && q.until % 1000 == 0, "whole seconds");
            assert!(q.from <= q.until && q.until - q.from <= WINDOW_DAYS * DAY_MS + 1000);
        }
        Err(r) => assert!(!r.message.is_empty() && [400, 404].contains(&r.status)),
    }
}

/// A posted form body (or a query string): decoded, then read as a query either way.
fn check_form(body: &str, now: i64) {
    let params = Params::parse(body);
    check_request_query(|k| params.all(k), now, Via::Form);
    check_request_query(|k| params.all(k), now, Via::Get);
    check_update_query(|k| params.all(k), now);
}

fn check_range(s: &str, size: u64) {
    match http_range::parse(Some(s), size) {
        ByteRange::Part { start, end } => {
            assert!(start <= end && end < size, "{s:?} over {size}: {start}-{end}")
        }
        ByteRange::Whole | ByteRange::Unsatisfiable => {}
    }
}

fn check_token(s: &str) {
    let code = RequestCode::parse("12345678").unwrap();
    assert!(
        token::verify(b"secret", "link", code, "a@b.ci", s, 1_000).is_err(),
        "a made-up token never opens a request"
    );
}

/// Tracking by mobile and positions: a number typed without a country, a one-time code, lat/long.
fn check_mobile_otp_position(s: &str) {
    if let Ok(p) = MobilePhone::parse_any(s) {
        let e = p.e164();
        assert!(e.starts_with('+') && e[1..].bytes().all(|b| b.is_ascii_digit()), "{s:?} → {e}");
        assert_eq!(
            MobilePhone::parse_any(e).map(|q| q.e164().to_owned()),
            Ok(e.to_owned()),
            "E.164 parses to itself"
        );
    }
    if let Some(otp) = milie::domain::otp::Otp::parse(s) {
        assert!(otp.as_str().len() == 6 && otp.as_str().bytes().all(|b| b.is_ascii_digit()));
    }
    let (lat, lon) = s.split_once(',').unwrap_or((s, s));
    if let Ok(Some(p)) = milie::domain::geo::Position::parse(lat, lon) {
        assert!(p.lat.abs() <= 90.0 && p.lon.abs() <= 180.0);
    }
}

fn check_submission(fields: &[String; 12]) {
    let raw = RawSubmission {
        body: fields[0].clone(),
        nature: fields[1].clone(),
        place: fields[2].clone(),
        abroad_country: fields[3].clone(),
        abroad_city: fields[4].clone(),
        theme: fields[5].clone(),
        message: fields[6].clone(),
        last_name: fields[7].clone(),
        first_names: fields[8].clone(),
        country: fields[9].clone(),
        phone: fields[10].clone(),
        email: fields[11].clone(),
        terms: true,
        // Beside a voice note or not: both rules of the message.
        voice_note: fields[6].len() % 2 == 1,
    };
    match raw.parse() {
        Ok(s) => {
            assert!(s.body_id > 0);
            // At least one way to reach the citizen, each one valid as stored.
            assert!(s.contact.email().is_some() || s.contact.phone().is_some());
            if let Some(email) = s.contact.email() {
                assert_eq!(
                    Email::parse(email.as_str()).map(|e| e.as_str().to_owned()),
                    Ok(email.as_str().to_owned())
                );
            }
            if let Some(phone) = s.contact.phone() {
                assert_eq!(
                    MobilePhone::parse(s.country, phone.e164()).map(|p| p.e164().to_owned()),
                    Ok(phone.e164().to_owned())
                );
            }
        }
        Err(errors) => assert!(errors.iter().count() > 0, "a refusal says why"),
    }
}

/// An SMS to Miliê: read without panicking; a code it finds is a code, a reason is what was typed.
fn check_sms_command(s: &str) {
    match sms_command::parse(s).command {
        Command::Track(Some(code)) | Command::Verdict { code: Some(code), .. } => {
            assert_eq!(RequestCode::parse(&code.to_string()), Ok(code), "{s:?}")
        }
        Command::Reopen { reason, .. } => {
            assert!(s.contains(reason.as_str()), "{s:?} → {reason:?}")
        }
        _ => {}
    }
}

/// Everything the USSD menu may list, as a directory with long names would give it.
fn ussd_data() -> Data {
    let long = "Ministère de l'Intégration Africaine et des Ivoiriens de l'Extérieur";
    let list = |n: i64, name: &str| {
        (1..=n).map(|i| Item::new(i, &format!("{name} {i}"))).collect::<Vec<_>>()
    };
    let with_other = |mut items: Vec<Item>| {
        items.push(Item::new(0, "Autre"));
        items
    };
    Data {
        bodies: Some(list(40, long)),
        regions: Some(with_other(list(33, "Région"))),
        places: Some(list(25, "Sous-préfecture de Koun-Fao")),
        themes: Some(with_other(list(12, "Thème"))),
        mine: Some(list(5, "42568096 Traitée, avis attendu")),
        request: Some(Some(Facts {
            code: "42568096".into(),
            nature: Nature::Reclamation,
            body: long.into(),
            stage: Stage::Treated,
            treated_at: Some(0),
            answer: Some("Réponse de l'organisme. ".repeat(30)),
        })),
    }
}

const STEPS: [Step; 18] = [
    Step::Language,
    Step::Resume,
    Step::Main,
    Step::Nature,
    Step::Body,
    Step::BodyNumber,
    Step::Region,
    Step::Place,
    Step::Theme,
    Step::Message,
    Step::MoreMessage,
    Step::Confirm,
    Step::Mine,
    Step::Request,
    Step::Answer,
    Step::Verdict,
    Step::Reason,
    Step::Done,
];

/// The gateway's `text` at any step: read against what was seen, every input answered by a screen
/// of at most 182 GSM-7 septets, never a panic; a stored state that does not parse is refused.
fn check_ussd(text: &str, seen: Option<&str>, step: usize, page: usize, lang: Lang) {
    let _ = serde_json::from_str::<Session>(text);
    let inputs = match input::read(text, seen) {
        input::Input::Repeat => Vec::new(),
        input::Input::Next(one) => vec![one],
        input::Input::Start(all) => all,
    };
    let data = ussd_data();
    let draft = Draft {
        nature: Some("observation".into()),
        body: Some(3),
        region: Some(2),
        place: Some(4),
        theme: None,
        message: text.chars().take(300).collect(),
    };
    let mut session = Session {
        step: STEPS[step % STEPS.len()],
        page,
        draft,
        request: Some(1),
        resume: Some(Step::Theme),
        ..Session::start(Some(lang), None, "ussd:k".into())
    };
    for typed in inputs {
        let turn = ussd::advance(&session, typed, &data)
            .unwrap_or_else(|need| panic!("{need:?} with every list given"));
        let shown = milie::web::ussd::render(&turn.reply, session.lang(), "*384*7117#");
        assert!(septets(&shown[4..]) <= ussd::SCREEN_MAX, "{typed:?}: {shown}");
        assert_eq!(shown, to_gsm7(&shown));
        session = turn.session;
    }
}

#[test]
fn the_committed_corpus_passes_every_parser() {
    let corpus = corpus();
    assert!(corpus.len() >= 50);
    for (i, s) in corpus.iter().enumerate() {
        check_code(s);
        check_email(s);
        check_mobile_otp_position(s);
        for c in [i, 0, 40, 75] {
            check_phone(c, s);
        }
        check_texts(s);
        check_attachment(s, s.as_bytes());
        check_attachment(
            s,
            &[b"%PDF-1.7\n<html><script>alert(1)</script>".as_slice(), s.as_bytes()].concat(),
        );
        check_csv(s);
        check_csv(&format!("nom;telephones;localisation\n{s};20 21 00 00;{s}\n"));
        check_dates(s);
        check_open311(s, 1_796_000_000_000);
        check_range(s, 1000);
        check_range(&format!("bytes={s}"), 1000);
        check_token(s);
        check_sms_command(s);
        check_sms_command(&format!("RELANCE 42568096 {s}"));
        check_ussd(s, None, i, 0, Lang::Fr);
        check_ussd(&format!("1*1*{s}"), Some("1*1"), i, 1, Lang::En);
        let mut fields: [String; 12] = Default::default();
        for (j, f) in fields.iter_mut().enumerate() {
            *f = corpus[(i + j * 7) % corpus.len()].clone();
        }
        check_submission(&fields);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn codes_emails_texts_never_panic(s in text()) {
        check_code(&s);
        check_email(&s);
        check_texts(&s);
        check_dates(&s);
        check_token(&s);
    }

    #[test]
    fn mobiles_one_time_codes_and_positions(prefix in prop::sample::select(vec!["+", "00", "+225", "+33 6", "0", "07", "5.", "-4.0,", "123 4"]), tail in text()) {
        check_mobile_otp_position(&format!("{prefix}{tail}"));
    }

    #[test]
    fn phones_for_every_country(country in 0usize..300, s in text()) {
        check_phone(country, &s);
    }

    #[test]
    fn attachments_by_content(name in text(), prefix in prop::sample::select(vec![&b"%PDF-"[..], &[0xFF, 0xD8, 0xFF][..], &b"\x89PNG\r\n\x1a\n"[..], &b"RIFF\0\0\0\0WEBP"[..], &b""[..], &b"MZ"[..],
        // Recordings: OGG, EBML (WebM), MP4, AMR, WAV, ID3, an MPEG frame, an ADTS frame.
        &b"OggS\0\0"[..], &[0x1A, 0x45, 0xDF, 0xA3][..], &b"\0\0\0\x14ftypM4A "[..], &b"#!AMR\n"[..], &b"#!AMR-WB\n"[..],
        &b"RIFF\0\0\0\0WAVEfmt "[..], &b"ID3\x04\0\0\0\0\0\0"[..], &[0xFF, 0xFB, 0x90, 0x00][..], &[0xFF, 0xF1, 0x4C, 0x80][..]]), body in prop::collection::vec(any::<u8>(), 0..512)) {
        check_attachment(&name, &[prefix, body.as_slice()].concat());
    }

    #[test]
    fn csv_imports(s in text(), cells in prop::collection::vec(text(), 0..8)) {
        check_csv(&s);
        check_csv(&format!("nom;telephones;localisation;email\n{}\n", cells.join(";")));
        check_csv(&format!("nom,region\n{}\n", cells.join(",")));
    }

    /// Lines under the headers the imports write (bodies.csv's shape, the places' export), with
    /// cells shaped like theirs: phones, dates, P-codes, coordinates.
    #[test]
    fn csv_imports_in_the_exports_shape(cells in prop::collection::vec(prop_oneof![text(), "[0-9 +()/;-]{0,20}", "CI[0-9]{0,8}", "-?[0-9]{1,2}[.,][0-9]{0,6}", "(c\\. )?20[0-9]{2}(-[0-9]{2}){0,2}", "(seat|centroid|commune|sous_prefecture|localite|region|district|departement)"], 0..16), rows in 1usize..4) {
        let line = cells.join(",");
        let body = vec![line.as_str(); rows].join("\n");
        check_csv(&format!("name,acronym,kind,holder,website,phone,email,address,source,source_date,evidence,confidence,id,anciennement,gouvernement,source_contacts\n{body}\n"));
        check_csv(&format!("type,pcode,nom,slug,rattachement,latitude,longitude,point\n{body}\n"));
    }

    #[test]
    fn polygons_as_seeded(vertices in prop::collection::vec(("-?[0-9]{1,3}(\\.[0-9]{0,5})?", "-?[0-9]{1,2}(\\.[0-9]{0,5})?"), 0..12), cut in 0usize..12, tail in text()) {
        let ring: Vec<String> = vertices.iter().map(|(x, y)| format!("{x} {y}")).collect();
        let (a, b) = ring.split_at(cut.min(ring.len()));
        check_csv(&format!("{}; {}", a.join(", "), b.join(", ")));
        check_csv(&format!("{}{tail}", ring.join(",\n")));
    }

    #[test]
    fn open311_and_ranges(s in text(), size in 0u64..10_000_000, now in 0i64..4_000_000_000_000) {
        check_open311(&s, now);
        check_range(&s, size);
        check_range(&format!("bytes={s}"), size.max(1));
    }

    /// A date (and time, and offset) that parses up to a point, then anything: the shapes that reach
    /// every slicing branch of `parse_datetime` (a multi-byte character there once panicked).
    #[test]
    fn dates_followed_by_anything(prefix in prop::sample::select(vec!["2026-11-30", "2026-11-30T", "2026-11-30T00:53", "2026-11-30T00:53:", "2026-11-30T00:53:20", "2026-11-30T00:53:20.", "2026-11-30T00:53:20.5", "2026-11-30T00:53+", "2026-11-30T00:53-1", "2026-11-30T00:53:20+01:", "2026-11-30 00:53", "2026-11-30T00:53:20 01:00", "2026-11-30T00:53:20 "]), tail in text(), now in 0i64..4_000_000_000_000) {
        let s = format!("{prefix}{tail}");
        check_dates(&s);
        check_open311(&s, now);
        // Date windows: both ends (the updates take both or neither).
        check_update_query(|k| if k == "start_date" || k == "end_date" { vec![s.as_str()] } else { vec![] }, now);
        check_form(&format!("start_date={s}&end_date={s}"), now);
    }

    /// Id lists as clients send them: comma-separated (escaped or not), repeated, mixed with
    /// anything, in a form body or a query string of many ids.
    #[test]
    fn id_lists_and_form_bodies(ids in prop::collection::vec(prop_oneof!["[0-9a-f]{16}", "[0-9a-fA-F]{0,18}", text()], 0..40), sep in prop::sample::select(vec![",", "%2C", "&service_request_id=", ", ", ",,"]), extra in text(), now in 0i64..4_000_000_000_000) {
        let body = format!("service_request_id={}&{extra}", ids.join(sep));
        check_form(&body, now);
        check_form(&format!("{extra}&service_code=&service_request_id={}", ids.join(sep)), now);
        let joined = ids.join(",");
        check_request_query(|k| if k == "service_request_id" { vec![joined.as_str(), extra.as_str()] } else { vec![] }, now, Via::Get);
    }

    /// The SMS keyword parser: keywords, codes and verdicts in any shape, then anything.
    #[test]
    fn sms_keywords(keyword in prop::sample::select(vec!["", "SUIVI ", "avis ", "Relance", "RELANCER 4256 8096 ", "AVIS 42568096 ", "codes", "aïde", "1", "3 "]), tail in text()) {
        check_sms_command(&format!("{keyword}{tail}"));
    }

    /// The USSD `text` path: what the gateway joins with `*`, against what was seen, at every step.
    #[test]
    fn ussd_text_path(text in prop_oneof!["[0-9*#]{0,40}", text()], seen in prop::option::of(prop_oneof!["[0-9*]{0,12}", text()]), step in 0usize..18, page in 0usize..8, en in any::<bool>()) {
        let lang = if en { Lang::En } else { Lang::Fr };
        check_ussd(&text, seen.as_deref(), step, page, lang);
        if let Some(seen) = &seen {
            check_ussd(&format!("{seen}*{text}"), Some(seen), step, page, lang);
        }
    }

    #[test]
    fn whole_submissions(fields in prop::array::uniform12(text())) {
        check_submission(&fields);
    }
}
