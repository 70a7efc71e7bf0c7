//! The directory's imports and exports (Administration › Organismes and › Lieux): a CSV is read
//! and checked whole (a bad line refuses it, each named, nothing written); a good one is kept and
//! previewed (added, changed, closed); «Confirmer» writes it in one batch against the directory
//! the preview was made from (moved since: the preview again). Exports write the same shape.

use worker::{FormEntry, Headers, Request, Response};

use super::{admin, admin_post, bodies_page, Outcome, Page};
use crate::app::http::flash;
use crate::app::http::form::field;
use crate::app::store::Store;
use crate::app::{AppError, Ctx};
use crate::domain::import::{self, bodies, places, LineError};
use crate::domain::staff::Staff;
use crate::domain::time::day_iso;
use crate::i18n::import::{field as column, problem, texts};
use crate::web::admin::{ImportLine, ImportList, Section};

/// Which list an import is of: its address and its words.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum What {
    Bodies,
    Places,
}

impl What {
    pub fn parse(segment: &str) -> Option<What> {
        match segment {
            "organismes" => Some(What::Bodies),
            "lieux" => Some(What::Places),
            _ => None,
        }
    }
    fn segment(self) -> &'static str {
        match self {
            What::Bodies => "organismes",
            What::Places => "lieux",
        }
    }
    fn kind(self) -> &'static str {
        match self {
            What::Bodies => "bodies",
            What::Places => "places",
        }
    }
}

enum Planned {
    Bodies(bodies::Plan),
    Places(places::Plan),
}

/// The file checked and compared with the directory as it is now (with its version).
async fn planned(
    ctx: &Ctx,
    store: &Store,
    what: What,
    data: &str,
) -> Result<Result<(i64, Planned), Vec<LineError>>, AppError> {
    Ok(match what {
        What::Bodies => {
            let file = match bodies::parse(data) {
                Ok(f) => f,
                Err(e) => return Ok(Err(e)),
            };
            let (version, existing) = store.bodies_for_import().await?;
            bodies::plan(&file, &existing, &day_iso(ctx.now()))
                .map(|p| (version, Planned::Bodies(p)))
        }
        What::Places => {
            let file = match places::parse(data) {
                Ok(f) => f,
                Err(e) => return Ok(Err(e)),
            };
            let (version, existing) = store.places_for_import().await?;
            places::plan(&file, &existing).map(|p| (version, Planned::Places(p)))
        }
    })
}

/// The list's page refusing a file: each bad line named (the first 200).
async fn refused(
    ctx: &Ctx,
    store: &Store,
    me: &Staff,
    what: What,
    errors: Vec<LineError>,
) -> Outcome {
    let words = texts(ctx.lang);
    let mut lines = vec![words.refused.to_owned()];
    lines.extend(errors.iter().take(200).map(|e| problem(ctx.lang, e)));
    if errors.len() > 200 {
        lines.push(words.more.replace("{n}", &(errors.len() - 200).to_string()));
    }
    let page = match what {
        What::Bodies => bodies_page(ctx, store).await?,
        What::Places => places_page(ctx, store).await?,
    };
    page.refused(422, lines, Default::default()).respond(ctx, me)
}

async fn places_page(ctx: &Ctx, store: &Store) -> Result<Page, AppError> {
    let order = ["district", "region", "departement", "commune", "sous_prefecture", "localite"];
    let found = store.place_counts().await?;
    let counts = order
        .iter()
        .map(|k| {
            let n = found.iter().find(|(kind, _)| kind == k).map_or(0, |(_, n)| *n);
            (crate::i18n::import::kind(ctx.lang, k, true), n)
        })
        .collect();
    Ok(Page::new("lieux", ctx.lang.texts().admin.places, Section::Places { counts }))
}

/// GET /agent/admin/lieux
pub async fn places(ctx: &Ctx) -> Outcome {
    let (store, me) = signed_in_admin!(ctx);
    places_page(ctx, &store).await?.respond(ctx, &me)
}

/// POST /agent/admin/{organismes|lieux}/import — the file checked; kept and previewed if good.
pub async fn import(ctx: &Ctx, what: What, req: Request) -> Outcome {
    let (form, store, me) = posted!(ctx, req);
    let bytes = match form.get("fichier") {
        Some(FormEntry::File(file)) => file.bytes().await.map_err(|_| AppError::BadRequest)?,
        _ => Vec::new(),
    };
    let data = match import::decode(&bytes) {
        Ok(data) => data,
        Err(errors) => return refused(ctx, &store, &me, what, errors).await,
    };
    let version = match planned(ctx, &store, what, &data).await? {
        Ok((version, _)) => version,
        Err(errors) => return refused(ctx, &store, &me, what, errors).await,
    };
    let id = store.stage_import(what.kind(), me.id, version, &data, ctx.now()).await?;
    crate::app::http::respond::redirect(&format!("/agent/admin/{}/import/{id}", what.segment()))
        .map_err(AppError::from)
}

/// GET /agent/admin/{organismes|lieux}/import/{id} — what confirming will do.
pub async fn preview(ctx: &Ctx, what: What, id: &str) -> Outcome {
    let (store, me) = signed_in_admin!(ctx);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    show(ctx, &store, &me, what, id, 200, None).await
}

/// The preview of a kept file against the directory as it is now (`status` 409 with `notice`
/// when the directory moved since the one confirmed).
async fn show(
    ctx: &Ctx,
    store: &Store,
    me: &Staff,
    what: What,
    id: i64,
    status: u16,
    notice: Option<&str>,
) -> Outcome {
    let words = texts(ctx.lang);
    let Some(data) = store.staged_import(id, what.kind(), me.id, ctx.now()).await? else {
        let page = match what {
            What::Bodies => bodies_page(ctx, store).await?,
            What::Places => places_page(ctx, store).await?,
        };
        return page
            .refused(404, vec![words.expired.to_owned()], Default::default())
            .respond(ctx, me);
    };
    let (version, plan) = match planned(ctx, store, what, &data).await? {
        Ok(p) => p,
        Err(errors) => return refused(ctx, store, me, what, errors).await,
    };
    let cancel = match what {
        What::Bodies => "/agent/admin/organismes",
        What::Places => "/agent/admin/lieux",
    };
    let (summary, lists, note, empty) = describe(ctx, &plan);
    let title = match what {
        What::Bodies => words.preview_bodies,
        What::Places => words.preview_places,
    };
    let action = format!("/agent/admin/{}/import/{id}", what.segment());
    let section = Section::Import {
        summary,
        lists,
        note,
        confirm: (!empty).then_some((action, version)),
        cancel,
    };
    let mut page = Page::new(what.segment(), title, section);
    if let Some(n) = notice {
        page = page.refused(status, vec![n.to_owned()], Default::default());
    }
    page.respond(ctx, me)
}

/// The preview's summary and lists (the first 200 of each), the note on closing, whether empty.
fn describe(ctx: &Ctx, plan: &Planned) -> (String, Vec<ImportList>, &'static str, bool) {
    let words = texts(ctx.lang);
    let lang = ctx.lang;
    let fields = |f: &[&str]| f.iter().map(|c| column(lang, c)).collect::<Vec<_>>().join(", ");
    let list = |title, column: &'static str, lines: Vec<ImportLine>| {
        let count = lines.len();
        let more = (count > 200).then(|| words.more.replace("{n}", &(count - 200).to_string()));
        ImportList { title, column, count, lines: lines.into_iter().take(200).collect(), more }
    };
    let line = |name: &str, detail: String| ImportLine { name: name.to_owned(), detail };
    let kinds =
        |k: crate::domain::directory::PlaceKind| crate::i18n::import::kind(lang, k.as_str(), false);
    let (counts, lists, note, empty) = match plan {
        Planned::Bodies(p) => (
            (p.added.len(), p.changed.len(), p.closed.len(), p.unchanged),
            vec![
                list(
                    words.added,
                    words.col_kind,
                    p.added.iter().map(|(_, r)| line(&r.name, r.kind.clone())).collect(),
                ),
                list(
                    words.changed,
                    words.col_changes,
                    p.changed
                        .iter()
                        .map(|c| {
                            let mut detail = fields(&c.fields);
                            if c.before != c.record.name {
                                detail =
                                    format!("« {} » → « {} » ; {detail}", c.before, c.record.name);
                            }
                            if c.reopened {
                                detail = format!("{} ; {detail}", words.reopened);
                            }
                            line(&c.record.name, detail.trim_end_matches(" ; ").to_owned())
                        })
                        .collect(),
                ),
                list(
                    words.closed,
                    words.col_kind,
                    p.closed.iter().map(|(_, n)| line(n, String::new())).collect(),
                ),
            ],
            if p.closed.is_empty() { "" } else { words.closed_bodies_note },
            p.is_empty(),
        ),
        Planned::Places(p) => (
            (p.added.len(), p.changed.len(), p.closed.len(), p.unchanged),
            vec![
                list(
                    words.added,
                    words.col_kind,
                    p.added.iter().map(|w| line(&w.name, kinds(w.kind).to_owned())).collect(),
                ),
                list(
                    words.changed,
                    words.col_changes,
                    p.changed
                        .iter()
                        .map(|(w, before, f, reopened)| {
                            let mut detail = fields(f);
                            if before != &w.name {
                                detail = format!("« {before} » → « {} » ; {detail}", w.name);
                            }
                            if *reopened {
                                detail = format!("{} ; {detail}", words.reopened);
                            }
                            line(&w.name, detail.trim_end_matches(" ; ").to_owned())
                        })
                        .collect(),
                ),
                list(
                    words.closed,
                    words.col_kind,
                    p.closed.iter().map(|(_, n, k)| line(n, kinds(*k).to_owned())).collect(),
                ),
            ],
            if p.closed.is_empty() { "" } else { words.closed_places_note },
            p.is_empty(),
        ),
    };
    let (a, c, x, u) = counts;
    let summary = if empty && u > 0 {
        words.nothing.to_owned()
    } else {
        words
            .summary
            .replace("{added}", &a.to_string())
            .replace("{changed}", &c.to_string())
            .replace("{closed}", &x.to_string())
            .replace("{unchanged}", &u.to_string())
    };
    (summary, lists, note, empty)
}

/// POST /agent/admin/{organismes|lieux}/import/{id} — confirms: one batch, or the preview again.
pub async fn confirm_import(ctx: &Ctx, what: What, id: &str, req: Request) -> Outcome {
    let (form, store, me) = posted!(ctx, req);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let words = texts(ctx.lang);
    let Some(data) = store.staged_import(id, what.kind(), me.id, ctx.now()).await? else {
        return show(ctx, &store, &me, what, id, 404, None).await;
    };
    let (version, plan) = match planned(ctx, &store, what, &data).await? {
        Ok(p) => p,
        Err(errors) => return refused(ctx, &store, &me, what, errors).await,
    };
    if field(&form, "version").trim().parse::<i64>().ok() != Some(version) {
        return show(ctx, &store, &me, what, id, 409, Some(words.moved)).await;
    }
    let now = ctx.now();
    let (added, changed, closed, detail) = match &plan {
        Planned::Bodies(p) => {
            let names: Vec<&str> = p.closed.iter().map(|(_, n)| n.as_str()).collect();
            (p.added.len(), p.changed.len(), p.closed.len(), names.join(" | "))
        }
        Planned::Places(p) => {
            let slugs: Vec<&str> = p.closed.iter().map(|(s, ..)| s.as_str()).collect();
            (p.added.len(), p.changed.len(), p.closed.len(), slugs.join(" | "))
        }
    };
    let detail: String = format!("{added} added, {changed} changed, {closed} closed: {detail}")
        .chars()
        .take(2000)
        .collect();
    let applied = match &plan {
        Planned::Bodies(p) => store.apply_bodies(p, version, id, (me.id, &detail, now)).await?,
        Planned::Places(p) => store.apply_places(p, version, id, (me.id, &detail, now)).await?,
    };
    let Some(outbox) = applied else {
        return show(ctx, &store, &me, what, id, 409, Some(words.moved)).await;
    };
    if !outbox.is_empty() {
        let env = ctx.env.clone();
        ctx.after_response(
            async move { crate::app::delivery::notifier::enqueue(&env, &outbox).await },
        );
    }
    crate::app::http::cache::purge_directory().await;
    let message = words
        .done
        .replace("{added}", &added.to_string())
        .replace("{changed}", &changed.to_string())
        .replace("{closed}", &closed.to_string());
    flash::redirect(&format!("/agent/admin/{}", what.segment()), &message)
}

/// GET /agent/admin/{organismes|lieux}/export.csv — the active list in the import's shape.
pub async fn export(ctx: &Ctx, what: What) -> Outcome {
    let (store, _me) = signed_in_admin!(ctx);
    let body = match what {
        What::Bodies => bodies::export(&store.bodies_for_import().await?.1),
        What::Places => places::export(&store.places_for_import().await?.1),
    };
    let headers = Headers::new();
    headers.set("Content-Type", "text/csv; charset=utf-8")?;
    let file = format!("milie-{}-{}.csv", what.segment(), day_iso(ctx.now()));
    headers.set("Content-Disposition", &format!("attachment; filename=\"{file}\""))?;
    headers.set("Cache-Control", "private, no-store")?;
    Ok(Response::ok(body)?.with_headers(headers))
}
