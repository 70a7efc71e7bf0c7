//! `?format=csv` or `?format=xlsx` on a queue's or a search's URL: the same requests, every page
//! of them, as a file streamed from D1 a page at a time. The URL is read strictly: an unknown
//! queue, filter or value is a 400 naming it (a page forgives them; a file someone relies on
//! must not silently ignore a filter). Contact details only for the roles that may see them;
//! every export recorded in the audit trail before its first byte.

use std::rc::Rc;

use worker::Response;

use crate::app::http::error::Outcome;
use crate::app::http::export::{self, Page};
use crate::app::http::staff_session::may_see_contacts;
use crate::app::store::{ExportLine, ExportSource, Scope, Store};
use crate::app::Ctx;
use crate::domain::audit::{Action, Entry};
use crate::domain::code::RequestCode;
use crate::domain::export::{file_name, Cell, Format, Writer, PAGE_ROWS};
use crate::domain::nature::Nature;
use crate::domain::queue::{days_late, Queue, SearchQuery, Sort};
use crate::domain::staff::Staff;
use crate::domain::time::day_iso;
use crate::i18n::staff::staff_stage;
use crate::i18n::workspace::channel_label;
use crate::i18n::Lang;

const DAY_MS: i64 = 24 * 3600 * 1000;
const KNOWN: [&str; 11] =
    ["format", "file", "q", "nature", "organisme", "canal", "age", "retard", "tri", "page", "lang"];

/// The scope of an export, owned: it lives as long as the stream.
struct Owned {
    bodies: Option<Vec<i64>>,
    nature: Option<Nature>,
    body: Option<i64>,
    channel: Option<&'static str>,
    received_before: Option<i64>,
    late_at: Option<i64>,
    me: i64,
}

impl Owned {
    fn scope(&self) -> Scope<'_> {
        Scope {
            bodies: self.bodies.as_deref(),
            nature: self.nature,
            body: self.body,
            channel: self.channel,
            received_before: self.received_before,
            late_at: self.late_at,
            me: Some(self.me),
        }
    }
}

fn refused(what: &str, value: &str) -> Outcome {
    let mut response =
        Response::error(format!("Paramètre non valable / invalid parameter: {what}={value}"), 400)?;
    response.headers_mut().set("Content-Type", "text/plain; charset=utf-8")?;
    Ok(response)
}

/// GET /agent?…&format=csv|xlsx
pub async fn queue(ctx: &Ctx, store: Store, staff: &Staff, format: &str) -> Outcome {
    let Some(format) = Format::parse(format) else { return refused("format", format) };
    let q = &ctx.query;
    if let Some((key, value)) = q.pairs().find(|(k, _)| !KNOWN.contains(k)) {
        return refused(key, value);
    }
    let queues = Queue::for_role(staff.role);
    let now = ctx.now();
    let mut owned = Owned {
        bodies: staff.queue_bodies(),
        nature: None,
        body: None,
        channel: None,
        received_before: None,
        late_at: None,
        me: staff.id,
    };
    if let Some(v) = q.get("nature").filter(|v| !v.is_empty()) {
        let Ok(n) = Nature::parse(v) else { return refused("nature", v) };
        owned.nature = Some(n);
    }
    if let Some(v) = q.get("organisme").filter(|v| !v.is_empty()) {
        match v.parse::<i64>() {
            Ok(id) if staff.sees_body(id) => owned.body = Some(id),
            _ => return refused("organisme", v),
        }
    }
    if let Some(v) = q.get("canal").filter(|v| !v.is_empty()) {
        let Some(ch) = ["web", "api", "phone", "open311"].into_iter().find(|k| k == &v) else {
            return refused("canal", v);
        };
        owned.channel = Some(ch);
    }
    if let Some(v) = q.get("age").filter(|v| !v.is_empty()) {
        match v.parse::<i64>() {
            Ok(days) if [7, 15, 30].contains(&days) => {
                owned.received_before = Some(now - days * DAY_MS)
            }
            _ => return refused("age", v),
        }
    }
    match q.get("retard") {
        None | Some("") => {}
        Some("1") => owned.late_at = Some(now),
        Some(v) => return refused("retard", v),
    }
    if let Some(v) = q.get("tri").filter(|v| Sort::parse(v).is_none()) {
        return refused("tri", v);
    }
    let text = q.get("q").unwrap_or("").trim();
    let (source, what, target) = if !text.is_empty() {
        let Some(query) = SearchQuery::parse(text) else { return refused("q", text) };
        // The trail names a searched code, never words (they may be a citizen's name or address).
        let target = match RequestCode::parse(text) {
            Ok(code) => format!("recherche {code}"),
            Err(_) => format!("recherche ({} mots)", query.words.len()),
        };
        (ExportSource::Search(query), "recherche".to_owned(), target)
    } else {
        let slug = q.get("file").unwrap_or_else(|| queues.first().map_or("", |f| f.slug()));
        let Some(shown) = Queue::parse(slug).filter(|f| queues.contains(f)) else {
            return refused("file", slug);
        };
        (ExportSource::Queue(shown), shown.slug().to_owned(), format!("file {}", shown.slug()))
    };
    if queues.is_empty() {
        return Err(crate::app::AppError::Forbidden);
    }
    let contacts = may_see_contacts(staff);
    let detail = ctx.query.pairs().filter(|(k, _)| *k != "q").map(|(k, v)| format!("{k}={v}"));
    let entry =
        Entry::new(staff.id, Action::Export, target).detail(detail.collect::<Vec<_>>().join("&"));
    store.record(&entry, now).await?;
    let lang = ctx.lang;
    let headers = crate::i18n::office::export_headers(lang, contacts);
    let (writer, head) = Writer::start(format, &what, &headers, now);
    let (store, owned, source) = (Rc::new(store), Rc::new(owned), Rc::new(source));
    let fetch = move |after: i64| {
        let (store, owned, source) = (store.clone(), owned.clone(), source.clone());
        async move {
            let lines =
                store.export_page(&source, &owned.scope(), contacts, after, PAGE_ROWS).await?;
            let next =
                (lines.len() as i64 == PAGE_ROWS).then(|| lines.last().map(|l| l.id)).flatten();
            let rows = lines.into_iter().map(|l| cells(lang, l, contacts, now)).collect();
            Ok::<Page, worker::Error>((rows, next))
        }
    };
    Ok(export::stream(format, &file_name(&what, now, format), writer, head, 0, fetch)?)
}

/// One request as a row of the export, in staff words.
fn cells(lang: Lang, l: ExportLine, contacts: bool, now: i64) -> Vec<Cell> {
    let t = lang.texts();
    let place = crate::i18n::place_words(
        lang,
        l.place.as_deref(),
        l.abroad_city.as_deref(),
        l.abroad_country.as_deref(),
    );
    let late = l.due_at.filter(|due| *due < now).map(|due| days_late(due, now));
    let mut row = vec![
        Cell::from(l.code),
        Cell::from(day_iso(l.created_at)),
        Cell::from(t.nature(l.nature)),
        Cell::from(l.body_name),
        Cell::from(l.theme),
        Cell::from(place),
        Cell::from(channel_label(lang, &l.channel)),
        Cell::from(staff_stage(lang, l.stage)),
        l.due_at.map_or(Cell::Empty, |d| Cell::from(day_iso(d))),
        late.map_or(Cell::Empty, Cell::Number),
        l.verdict.map_or(Cell::Empty, |v| Cell::from(t.track.verdict(v))),
        Cell::from(l.assignee),
        Cell::from(l.main_code),
        Cell::Number(l.followers),
        Cell::from(l.message),
    ];
    if contacts {
        row.extend([Cell::from(l.full_name), Cell::from(l.email), Cell::from(l.phone)]);
    }
    row
}
