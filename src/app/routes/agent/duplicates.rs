//! Duplicates: the panel of the request page (possible duplicates with their score, the
//! followers of a main request, the main one of a follower), and the confirmation pages before
//! merging one request into another, attaching several to one, or unmerging — each a page of its
//! own. Every merge is the action table's `fusionner`, one request at a time through the one door.

use askama::Template;
use worker::Request;

use super::{to_sign_in, visible_request};
use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::form::entries;
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::http::staff_session::{current_staff, nav};
use crate::app::http::staff_session::{May, StaffPost};
use crate::app::staff_change::{self, allowed, Action};
use crate::app::store::{Store, Tracked};
use crate::app::{AppError, Ctx};
use crate::domain::code::RequestCode;
use crate::domain::duplicates::offer;
use crate::domain::geo::Position;
use crate::domain::merge;
use crate::domain::staff::Staff;
use crate::domain::staff_action::StaffAction;
use crate::domain::time::date_fr;
use crate::i18n::office::{self, merge_refusal};
use crate::i18n::staff::staff_stage;
use crate::web::agent::{ConfirmPage, DuplicateLine, Merging};

/// At most this many duplicates attached in one go.
const ATTACH_MAX: usize = 50;

/// What the request page shows about duplicates.
pub(super) async fn panel(
    ctx: &Ctx,
    store: &Store,
    staff: &Staff,
    r: &Tracked,
) -> Result<Merging, AppError> {
    let o = office::texts(ctx.lang);
    let can_merge = r.merged_into.is_none() && allowed(staff, r, StaffAction::Merge);
    let mut duplicates = Vec::new();
    if can_merge {
        let position = r.lat.zip(r.lon).map(|(lat, lon)| Position { lat, lon });
        let candidates = store.duplicate_candidates(r.id).await?;
        for offered in offer(&r.message, position, candidates) {
            let c = offered.item;
            duplicates.push(DuplicateLine {
                score: offered.score,
                place: match offered.metres {
                    Some(m) => o.metres_away.replace("{m}", &m.to_string()),
                    None => o.same_place.to_owned(),
                },
                stage: staff_stage(ctx.lang, c.stage),
                received: date_fr(c.created_at),
                excerpt: c.message.chars().take(160).collect(),
                merge_href: format!("/agent/requetes/{}/fusionner?dans={}", r.code, c.code),
                attachable: c.followers == 0,
                code: c.code,
                version: c.version,
            });
        }
    }
    let followers =
        store.followers(r.id).await?.into_iter().map(|f| (f.code, date_fr(f.created_at))).collect();
    let main = match r.merged_into {
        Some(id) => store.merge_facts(id).await?.map(|(_, code)| code),
        None => None,
    };
    Ok(Merging {
        can_merge,
        duplicates,
        followers,
        can_unmerge: main.is_some() && allowed(staff, r, StaffAction::Unmerge),
        main,
    })
}

fn confirm_page((page, cookie): (ConfirmPage, Option<String>), status: u16) -> Outcome {
    let mut response = with_cookie(respond::html(status, page.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

#[allow(clippy::too_many_arguments)]
fn confirm(
    ctx: &Ctx,
    staff: &Staff,
    question: String,
    consequence: String,
    codes: Vec<String>,
    action: String,
    hidden: Vec<(&'static str, String)>,
    error: Option<&'static str>,
) -> Result<(ConfirmPage, Option<String>), AppError> {
    let o = office::texts(ctx.lang);
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = ConfirmPage {
        c: ctx.chrome(""),
        s: Some(nav(staff, "queues", &csrf, "")),
        csrf,
        o,
        title: o.merge_title,
        question,
        consequence,
        codes,
        action,
        hidden,
        error,
        cancel: format!("/agent/requetes/{}", ctx.path.split('/').nth(3).unwrap_or("")),
    };
    Ok((page, cookie))
}

/// GET /agent/requetes/{code}/fusionner?dans={main} — asks before merging {code} into {main};
/// a pair the rules refuse says why (409) and offers nothing to confirm.
pub async fn merge_confirm(ctx: &Ctx, code: &str) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    let dup = visible_request(ctx, &store, &staff, code).await?;
    let main_code = ctx.query.get("dans").unwrap_or("");
    let main = visible_request(ctx, &store, &staff, main_code).await?;
    let o = office::texts(ctx.lang);
    let fill = |s: &str| s.replace("{dup}", &dup.code).replace("{main}", &main.code);
    let refusal = match (store.merge_facts(dup.id).await?, store.merge_facts(main.id).await?) {
        (Some((d, _)), Some((m, _))) => merge::check(&d, &m).err(),
        _ => Some(merge::Refusal::Closed),
    };
    let error = refusal.map(|why| merge_refusal(ctx.lang, why));
    let error = error
        .or((!allowed(&staff, &dup, StaffAction::Merge)).then(|| ctx.lang.texts().agent.refused));
    let hidden = vec![("principale", main.code.clone()), ("version", dup.version.to_string())];
    let action = format!("/agent/requetes/{}/fusionner", dup.code);
    let page = confirm(
        ctx,
        &staff,
        fill(o.merge_question),
        fill(o.merge_consequence),
        Vec::new(),
        action,
        hidden,
        error,
    )?;
    confirm_page(page, if error.is_some() { 409 } else { 200 })
}

/// GET /agent/requetes/{code}/defusionner — asks before unmerging.
pub async fn unmerge_confirm(ctx: &Ctx, code: &str) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    let dup = visible_request(ctx, &store, &staff, code).await?;
    let Some(main_id) = dup.merged_into else { return Err(AppError::NotFound) };
    let main_code = store.merge_facts(main_id).await?.map(|(_, c)| c).unwrap_or_default();
    let o = office::texts(ctx.lang);
    let fill = |s: &str| s.replace("{dup}", &dup.code).replace("{main}", &main_code);
    let error =
        (!allowed(&staff, &dup, StaffAction::Unmerge)).then(|| ctx.lang.texts().agent.refused);
    let hidden = vec![("version", dup.version.to_string())];
    let action = format!("/agent/requetes/{}/defusionner", dup.code);
    let page = confirm(
        ctx,
        &staff,
        fill(o.unmerge_question),
        fill(o.unmerge_consequence),
        Vec::new(),
        action,
        hidden,
        error,
    )?;
    confirm_page(page, if error.is_some() { 409 } else { 200 })
}

/// «CODE.VERSION» values of the ticked duplicates.
fn picked(values: Vec<String>) -> Vec<(String, i64)> {
    values
        .iter()
        .filter_map(|v| v.split_once('.'))
        .filter_map(|(c, v)| Some((RequestCode::parse(c).ok()?.to_string(), v.parse().ok()?)))
        .take(ATTACH_MAX)
        .collect()
}

/// GET /agent/requetes/{main}/rattacher?doublons=CODE.VERSION… — asks before attaching them.
pub async fn attach_confirm(ctx: &Ctx, code: &str) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    let main = visible_request(ctx, &store, &staff, code).await?;
    let chosen = picked(ctx.query.all("doublons").into_iter().map(str::to_owned).collect());
    if chosen.is_empty() {
        return Ok(respond::redirect(&format!("/agent/requetes/{}#doublons", main.code))?);
    }
    let o = office::texts(ctx.lang);
    let codes: Vec<String> = chosen.iter().map(|(c, _)| c.clone()).collect();
    let dup = codes.join(", ");
    let fill = |s: &str| s.replace("{dup}", &dup).replace("{main}", &main.code);
    let hidden = chosen.iter().map(|(c, v)| ("doublons", format!("{c}.{v}"))).collect();
    let action = format!("/agent/requetes/{}/rattacher", main.code);
    let page = confirm(
        ctx,
        &staff,
        fill(o.attach_question),
        fill(o.merge_consequence),
        codes,
        action,
        hidden,
        None,
    )?;
    confirm_page(page, 200)
}

/// POST /agent/requetes/{main}/rattacher — each ticked request merged into {main}, one by one
/// through the one door; the main page then reports how many were attached and which were not.
pub async fn attach(ctx: &Ctx, code: &str, mut req: Request) -> Outcome {
    let StaffPost { staff, form, store } = match StaffPost::read(ctx, &mut req, May::AnyStaff).await
    {
        Ok(post) => post,
        Err(answer) => return answer,
    };
    let main = visible_request(ctx, &store, &staff, code).await?;
    let message =
        crate::domain::text_field::Message::parse(&crate::app::http::form::field(&form, "message"))
            .ok();
    let (mut done, mut refused) = (0, Vec::new());
    for (dup_code, version) in picked(entries(&form, "doublons")) {
        let Ok(dup) = visible_request(ctx, &store, &staff, &dup_code).await else {
            refused.push(dup_code);
            continue;
        };
        let a = Action {
            action: StaffAction::Merge,
            note: message.as_ref().map(|m| m.as_str()),
            version,
            body_id: None,
            staff_files: None,
            other: Some(main.id),
        };
        match staff_change::perform(ctx, &store, &staff, &dup, &a).await? {
            Ok(()) => done += 1,
            Err(_) => refused.push(dup_code),
        }
    }
    let location = format!(
        "/agent/requetes/{}?rattachees={done}&refusees={}#doublons",
        main.code,
        refused.join(",")
    );
    Ok(respond::redirect(&location)?)
}
