//! The audit journal (`/agent/admin/journal`): every record, newest first, filtered by person,
//! request, action and dates, 50 a page with a cursor; the same as CSV or XLSX streamed a page
//! of records at a time; and the retention setting, which the daily purge and the table's
//! trigger both read.

use std::rc::Rc;

use askama::Template;
use worker::Request;

use super::{admin, admin_post, Outcome};
use crate::app::http::csrf;
use crate::app::http::export::{self, Page};
use crate::app::http::flash;
use crate::app::http::form::field;
use crate::app::http::respond::{self, with_cookie};
use crate::app::http::staff_session::nav;
use crate::app::store::{JournalFilter, JournalLine, Store};
use crate::app::{AppError, Ctx};
use crate::domain::audit::{parse_retention, Action, Entry};
use crate::domain::code::RequestCode;
use crate::domain::export::{file_name, Cell, Format, Writer, PAGE_ROWS};
use crate::domain::time::{iso8601, parse_day};
use crate::i18n::office_admin::{action_words, texts};
use crate::i18n::Lang;
use crate::web::office::{JournalPage, JournalRow};

const PER_PAGE: i64 = 50;
const DAY_MS: i64 = 86_400_000;
const KNOWN: [&str; 9] =
    ["personne", "requete", "action", "du", "au", "avant", "format", "lang", "erreur"];

/// The filters of the URL; a value that is not one is a 400 naming it.
fn filters(ctx: &Ctx) -> Result<JournalFilter, AppError> {
    let q = &ctx.query;
    if q.pairs().any(|(k, _)| !KNOWN.contains(&k)) {
        return Err(AppError::BadRequest);
    }
    let given = |k: &str| q.get(k).map(str::trim).filter(|v| !v.is_empty());
    let mut f = JournalFilter::default();
    if let Some(v) = given("personne") {
        f.staff_id = Some(v.parse().map_err(|_| AppError::BadRequest)?);
    }
    if let Some(v) = given("requete") {
        f.request_code = Some(RequestCode::parse(v).map_err(|_| AppError::BadRequest)?.to_string());
    }
    if let Some(v) = given("action") {
        f.action = Some(Action::parse(v).ok_or(AppError::BadRequest)?.slug());
    }
    if let Some(v) = given("du") {
        f.from = Some(parse_day(v).ok_or(AppError::BadRequest)? * DAY_MS);
    }
    if let Some(v) = given("au") {
        f.until = Some((parse_day(v).ok_or(AppError::BadRequest)? + 1) * DAY_MS);
    }
    Ok(f)
}

fn who(l: &JournalLine) -> String {
    match (&l.staff_name, &l.staff_email) {
        (Some(n), Some(e)) => format!("{n} ({e})"),
        _ => String::new(),
    }
}

fn words(lang: Lang, action: &str) -> String {
    Action::parse(action).map_or_else(|| action.to_owned(), |a| action_words(lang, a))
}

/// GET /agent/admin/journal[?personne=…&requete=…&action=…&du=…&au=…&avant=…][&format=csv|xlsx]
pub async fn journal(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?.for_client(&ctx.client_ip);
    let me = match admin(ctx, &store).await {
        Ok(me) => me,
        Err(outcome) => return outcome,
    };
    let f = filters(ctx)?;
    let lang = ctx.lang;
    let o = texts(lang);
    let now = ctx.now();
    if let Some(format) = ctx.query.get("format") {
        let format = Format::parse(format).ok_or(AppError::BadRequest)?;
        let entry = Entry::new(me.id, Action::Export, "journal").detail(ctx.query.without("lang"));
        store.record(&entry, now).await?;
        let headers = [
            o.col_when,
            o.col_who,
            o.col_where,
            o.col_what,
            o.col_target,
            o.journal_request,
            o.col_detail,
        ];
        let (writer, head) = Writer::start(format, o.journal, &headers, now);
        let (store, f) = (Rc::new(store), Rc::new(f));
        let fetch = move |before: i64| {
            let (store, f) = (store.clone(), f.clone());
            async move {
                let before = (before > 0).then_some(before);
                let lines = store.journal(&f, before, PAGE_ROWS).await?;
                let next =
                    (lines.len() as i64 == PAGE_ROWS).then(|| lines.last().map(|l| l.id)).flatten();
                let rows = lines
                    .into_iter()
                    .map(|l| {
                        vec![
                            Cell::from(iso8601(l.at)),
                            Cell::from(who(&l)),
                            Cell::from(l.ip.clone()),
                            Cell::from(words(lang, &l.action)),
                            Cell::from(l.target.clone()),
                            Cell::from(l.request_code.clone()),
                            Cell::from(l.detail.clone()),
                        ]
                    })
                    .collect();
                Ok::<Page, worker::Error>((rows, next))
            }
        };
        return Ok(export::stream(
            format,
            &file_name("journal", now, format),
            writer,
            head,
            0,
            fetch,
        )?);
    }
    let before = ctx.query.get("avant").and_then(|v| v.parse::<i64>().ok());
    let lines = store.journal(&f, before, PER_PAGE).await?;
    let older =
        (lines.len() as i64 == PER_PAGE).then(|| lines.last().map(|l| l.id)).flatten().map(|id| {
            let rest = ctx.query.without("avant");
            format!(
                "/agent/admin/journal?{rest}{}avant={id}",
                if rest.is_empty() { "" } else { "&" }
            )
        });
    let query = ctx.query.without("avant");
    let link = |format: &str| {
        format!(
            "/agent/admin/journal?{query}{}format={format}",
            if query.is_empty() { "" } else { "&" }
        )
    };
    let rows = lines
        .iter()
        .map(|l| JournalRow {
            when: iso8601(l.at),
            who: who(l),
            ip: l.ip.clone().unwrap_or_default(),
            what: words(lang, &l.action),
            target: l.target.clone(),
            request: l.request_code.clone(),
            detail: l.detail.clone().unwrap_or_default(),
        })
        .collect();
    let (csrf, cookie) = csrf::token(ctx)?;
    let notice = flash::take(ctx);
    let c = ctx.chrome("");
    let page = JournalPage {
        pages: crate::web::admin::admin_pages(&c),
        c,
        s: Some(nav(&me, "admin", &csrf, "")),
        csrf,
        o,
        w: crate::i18n::office::texts(lang),
        notice: notice.clone(),
        error: (ctx.query.get("erreur") == Some("conservation")).then_some(o.retention_invalid),
        people: store.staff_names().await?,
        actions: Action::all().into_iter().map(|a| (a.slug(), action_words(lang, a))).collect(),
        person: f.staff_id,
        request: f.request_code.clone().unwrap_or_default(),
        action: f.action.clone().unwrap_or_default(),
        from: ctx.query.get("du").unwrap_or("").to_owned(),
        to: ctx.query.get("au").unwrap_or("").to_owned(),
        rows,
        older,
        csv: link("csv"),
        xlsx: link("xlsx"),
        retention: store.audit_retention().await?,
    };
    let mut response = with_cookie(respond::html(200, page.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    if notice.is_some() {
        flash::clear(&mut response)?;
    }
    Ok(response)
}

/// POST /agent/admin/journal/conservation — the retention in days (365 to 3 650).
pub async fn set_retention(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let Some(days) = parse_retention(&field(&form, "jours")) else {
        return Ok(respond::redirect(
            "/agent/admin/journal?erreur=conservation#conservation-titre",
        )?);
    };
    store.set_audit_retention(days).await?;
    store
        .audit(me.id, Action::SettingsRetention, "audit_log", Some(&days.to_string()), ctx.now())
        .await?;
    flash::redirect("/agent/admin/journal", texts(ctx.lang).retention_saved)
}
