//! Citizens' rights (law n° 2013-450, ARTCI), for admins: the requester's identity checked by a
//! tracking code and the contact given on that request; then «Exporter les données» (a ZIP of
//! everything held about that contact, streamed entry by entry, its files read from R2 one at a
//! time) or «Effacer» (names, contact, messages, files — R2 included — removed, the anonymous
//! requests kept for the statistics), after a confirmation of its own that names what happens to
//! a request still being answered. Everything is recorded in the audit trail. The code and
//! contact travel in POST bodies only, never in a URL.

use askama::Template;
use futures_util::stream;
use worker::{FormData, Request, Response};

use super::{admin, admin_post, Outcome};
use crate::app::http::csrf;
use crate::app::http::export::download_headers;
use crate::app::http::files::Files;
use crate::app::http::flash;
use crate::app::http::form::field;
use crate::app::http::respond::{self, with_cookie};
use crate::app::http::staff_session::nav;
use crate::app::store::{ContactRequest, HeldFile, Store};
use crate::app::{AppError, Ctx};
use crate::domain::audit::{Action, Entry};
use crate::domain::code::RequestCode;
use crate::domain::export::zip::ZipWriter;
use crate::domain::export::Format;
use crate::domain::rights::{entries, file_entry, Holder};
use crate::domain::staff::Staff;
use crate::domain::time::date_fr;
use crate::i18n::office_admin::texts;
use crate::i18n::staff::staff_stage;
use crate::web::office::{RightsPage, RightsRow, RightsState};

fn rows(ctx: &Ctx, list: &[ContactRequest]) -> Vec<RightsRow> {
    list.iter()
        .map(|r| RightsRow {
            code: r.code.clone(),
            received: date_fr(r.created_at),
            stage: staff_stage(ctx.lang, r.stage),
            open: crate::domain::merge::OPEN.contains(&r.stage),
            erased: r.erased_at.is_some(),
        })
        .collect()
}

fn render(
    ctx: &Ctx,
    me: &Staff,
    status: u16,
    (code, contact): (String, String),
    state: RightsState,
    error: Option<&'static str>,
) -> Outcome {
    let (csrf, cookie) = csrf::token(ctx)?;
    let notice = if status == 200 { flash::take(ctx) } else { None };
    let c = ctx.chrome("");
    let page = RightsPage {
        pages: crate::web::admin::admin_pages(&c),
        c,
        s: Some(nav(me, "admin", &csrf, "")),
        csrf,
        o: texts(ctx.lang),
        notice: notice.clone(),
        error,
        code,
        contact,
        state,
    };
    let mut response = with_cookie(respond::html(status, page.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    if notice.is_some() {
        flash::clear(&mut response)?;
    }
    Ok(response)
}

/// GET /agent/admin/donnees
pub async fn rights(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let me = match admin(ctx, &store).await {
        Ok(me) => me,
        Err(outcome) => return outcome,
    };
    render(ctx, &me, 200, Default::default(), RightsState::Form, None)
}

/// The code and contact posted, checked together: the contact's requests, or the form again
/// (422) saying they do not belong together — the same whether the code exists or not.
async fn identified(
    ctx: &Ctx,
    store: &Store,
    me: &Staff,
    form: &FormData,
) -> Result<Result<(String, String, Vec<ContactRequest>), Outcome>, AppError> {
    let (code, contact) =
        (field(form, "code").trim().to_owned(), field(form, "contact").trim().to_owned());
    let found = match (RequestCode::parse(&code), Holder::parse(&contact)) {
        (Ok(c), Some(holder)) => store.contact_requests(&c.to_string(), &holder).await?,
        _ => None,
    };
    match found {
        Some(list) if !list.is_empty() => Ok(Ok((code, contact, list))),
        _ => {
            let entry =
                Entry::new(me.id, Action::DataLookup, code.chars().take(8).collect::<String>())
                    .detail("aucune correspondance");
            store.record(&entry, ctx.now()).await?;
            let o = texts(ctx.lang);
            Ok(Err(render(
                ctx,
                me,
                422,
                (code, contact),
                RightsState::Form,
                Some(o.rights_no_match),
            )))
        }
    }
}

fn codes(list: &[ContactRequest]) -> String {
    list.iter().map(|r| r.code.as_str()).collect::<Vec<_>>().join(",")
}

/// POST /agent/admin/donnees — checks the identity, lists the contact's requests.
pub async fn rights_lookup(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let (code, contact, list) = match identified(ctx, &store, &me, &form).await? {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let entry = Entry::new(me.id, Action::DataLookup, code.clone()).detail(codes(&list));
    store.record(&entry, ctx.now()).await?;
    render(ctx, &me, 200, (code, contact), RightsState::Found { rows: rows(ctx, &list) }, None)
}

/// POST /agent/admin/donnees/export — the ZIP: the fixed entries first, then each file from R2.
pub async fn rights_export(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let (code, _, list) = match identified(ctx, &store, &me, &form).await? {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let now = ctx.now();
    let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
    let (held, files) = store.held(&ids).await?;
    let entry = Entry::new(me.id, Action::DataExport, code.clone()).detail(codes(&list));
    store.record(&entry, now).await?;
    let mut zip = ZipWriter::new(now);
    let mut first = Vec::new();
    for (name, bytes) in entries(&held, now, &me.name) {
        first.extend(zip.entry(&name, &bytes));
    }
    let r2 = Files::new(&ctx.env)?;
    struct State {
        zip: Option<ZipWriter>,
        first: Option<Vec<u8>>,
        files: std::vec::IntoIter<HeldFile>,
        r2: Files,
    }
    let state = State { zip: Some(zip), first: Some(first), files: files.into_iter(), r2 };
    let body = stream::unfold(state, |mut st| async move {
        if let Some(first) = st.first.take() {
            return Some((Ok(first), st));
        }
        let zip = st.zip.as_mut()?;
        match st.files.next() {
            Some(f) => match st.r2.get(&f.r2_key).await {
                Ok(bytes) => {
                    // A file gone from R2 (erased meanwhile) is left out, not invented.
                    let out =
                        bytes.map(|b| zip.entry(&file_entry(&f.code, f.id, &f.file_name), &b));
                    Some((Ok(out.unwrap_or_default()), st))
                }
                Err(e) => Some((Err(e), State { zip: None, ..st })),
            },
            None => st.zip.take().map(|z| (Ok(z.finish()), st)),
        }
    });
    let name = format!("milie-donnees-{code}-{}.zip", crate::domain::time::day_iso(now));
    let headers = download_headers(Format::Xlsx, &name)?;
    headers.set("Content-Type", "application/zip")?;
    Ok(Response::from_stream(body)?.with_headers(headers))
}

/// POST /agent/admin/donnees/effacer — without `confirmer`, the confirmation page (naming what
/// happens to a request still being answered); with it, the erasure, then back with a message.
pub async fn rights_erase(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let (code, contact, list) = match identified(ctx, &store, &me, &form).await? {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let shown = rows(ctx, &list);
    let open: Vec<String> =
        shown.iter().filter(|r| r.open && !r.erased).map(|r| r.code.clone()).collect();
    let confirmed = field(&form, "confirmer") == "1";
    let open_confirmed = open.is_empty() || field(&form, "en_cours") == "1";
    if !confirmed || !open_confirmed {
        let o = texts(ctx.lang);
        let missing = confirmed && !open_confirmed;
        let state = RightsState::Confirm { rows: shown, open, missing_confirmation: missing };
        let (status, error) =
            if missing { (409, Some(o.rights_open_required)) } else { (200, None) };
        return render(ctx, &me, status, (code, contact), state, error);
    }
    let now = ctx.now();
    let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
    // R2 first: a failure leaves the rows, and the erasure can be asked again.
    let keys = store.attachment_keys(&ids).await?;
    Files::new(&ctx.env)?.try_delete(&keys).await?;
    store.erase_contact_data(&ids, now).await?;
    let detail = format!("{} ; {} fichiers", codes(&list), keys.len());
    store.record(&Entry::new(me.id, Action::DataErase, code).detail(detail), now).await?;
    flash::redirect("/agent/admin/donnees", texts(ctx.lang).rights_erased)
}
