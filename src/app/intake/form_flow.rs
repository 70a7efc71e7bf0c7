//! The submission form's flow, shared by the citizen's route («SOUMETTRE UNE REQUETE») and the
//! phone operator's (a caller's request entered for them): the form and its review, staging of
//! files, the checks in order (CSRF, validation, human check, rate limit), registration, and the
//! confirmation. A leaf module: both route families use it, neither through the other.

use askama::Template;
use worker::FormData;

use crate::app::http::crypto::{constant_time_eq, is_form_token, random_token};
use crate::app::http::csrf;
use crate::app::http::error::Outcome as Answer;
use crate::app::http::files::Files;
use crate::app::http::form::{entries, field, raw_submission};
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::http::turnstile;
use crate::app::intake::{checks, files as intake_files};
use crate::app::intake::{Attached, Caller, Intake, Key, Outcome};
use crate::app::store::Store;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::attachment::MAX_FILES;
use crate::domain::body::Body;
use crate::domain::directory::{find_places, PlaceKind};
use crate::domain::nature::Nature;
use crate::domain::staff::Staff;
use crate::domain::stage::Channel;
use crate::domain::submission::{FieldErrors, RawSubmission};
use crate::web::href;
use crate::web::submit::{DonePage, FormPage, FormState, ReviewPage};

/// How long the confirmation page can be reopened from the browser that submitted.
const CONFIRMATION_TTL_MS: i64 = 24 * 3600 * 1000;
/// Towns and villages added to the list by one search (the JavaScript picker asks for as many).
const FOUND_MAX: usize = 50;

/// An empty form for a body: the nature chosen, Côte d'Ivoire preselected.
pub fn fresh_values(body: &Body, nature: Nature) -> RawSubmission {
    RawSubmission {
        body: body.id.to_string(),
        nature: nature.slug().to_owned(),
        country: crate::domain::countries::DEFAULT_COUNTRY.to_owned(),
        ..Default::default()
    }
}

/// Who is filling in the form: the citizen on the portal, or a phone operator for a caller.
#[derive(Clone, Copy)]
pub enum Mode<'a> {
    Citizen,
    Phone(&'a Staff),
}

impl Mode<'_> {
    fn action(self) -> &'static str {
        match self {
            Mode::Citizen => "/requete/nouvelle",
            Mode::Phone(_) => "/agent/telephone",
        }
    }
    fn done(self) -> &'static str {
        match self {
            Mode::Citizen => "/requete/enregistree",
            Mode::Phone(_) => "/agent/telephone/enregistree",
        }
    }
}

pub async fn form_state(
    ctx: &Ctx,
    store: &Store,
    body: &Body,
    form_key: String,
    csrf: String,
    values: RawSubmission,
    mode: Mode<'_>,
) -> worker::Result<FormState> {
    let themes = store.themes(body.id, ctx.lang).await?;
    // The communes from the isolate's copy of every place; a locality (found by typing, never
    // listed whole) stays chosen on the review and error pages.
    let chosen = values.place.trim().parse::<i64>().ok();
    let places = crate::app::intake::directory::places(store)
        .await?
        .iter()
        .filter(|p| p.kind != PlaceKind::Locality || Some(p.id) == chosen)
        .cloned()
        .collect();
    let staged = store.staged_files(&form_key).await?;
    // Staff behind a sign-in need no anti-robot check.
    let turnstile = matches!(mode, Mode::Citizen).then(|| turnstile::site_key(ctx)).flatten();
    let (action, phone) = (mode.action(), matches!(mode, Mode::Phone(_)));
    // The operator works in the staff layout, with the workspace header.
    // The citizens' worker has no staff pages: a phone operator's form is the back office's.
    #[cfg(feature = "office")]
    let staff_nav = match mode {
        Mode::Phone(staff) => Some(crate::app::http::staff_session::nav(staff, "phone", &csrf, "")),
        Mode::Citizen => None,
    };
    Ok(FormState {
        form_key,
        csrf,
        values,
        errors: Vec::new(),
        themes,
        places,
        staged,
        notice: None,
        turnstile,
        action,
        phone,
        #[cfg(feature = "office")]
        staff_nav,
        place_search: String::new(),
        places_found: None,
    })
}

/// Renders the form (or its review) with the status given; with Turnstile on, the page's CSP
/// admits Cloudflare's widget.
#[cfg_attr(not(feature = "office"), allow(unused_mut))]
pub fn form_page(ctx: &Ctx, status: u16, body: &Body, mut form: FormState, review: bool) -> Answer {
    let with_widget = form.turnstile.is_some();
    let c = ctx.chrome("submit");
    // The operator's own position says nothing of the caller's: «Utiliser ma position» is the citizen's.
    let (may_locate, may_record) = (!review && !form.phone, !review);
    #[cfg(feature = "office")]
    let staff_nav = form.staff_nav.take();
    #[cfg(not(feature = "office"))]
    let staff_nav: Option<std::convert::Infallible> = None;
    let html = match (staff_nav, review) {
        #[cfg(feature = "office")]
        (Some(s), true) => {
            crate::web::submit::PhoneReviewPage { c, s: Some(s), body, form }.render()?
        }
        #[cfg(feature = "office")]
        (Some(s), false) => {
            crate::web::submit::PhoneFormPage { c, s: Some(s), body, form }.render()?
        }
        (_, true) => ReviewPage { c, body, form }.render()?,
        (_, false) => FormPage { c, body, form }.render()?,
    };
    let mut response = respond::html(status, html)?;
    if may_locate {
        response
            .headers_mut()
            .set("Permissions-Policy", crate::web::security::FORM_PERMISSIONS_POLICY)?;
    } else if may_record {
        response
            .headers_mut()
            .set("Permissions-Policy", crate::web::security::RECORDING_PERMISSIONS_POLICY)?;
    }
    if with_widget {
        response
            .headers_mut()
            .set("Content-Security-Policy", &crate::web::security::csp_with_turnstile())?;
    }
    Ok(response)
}

/// The form for a phone operator: the same fields and rules, for the caller's body.
pub async fn phone_form(
    ctx: &Ctx,
    store: &Store,
    staff: &Staff,
    body: &Body,
    nature: Nature,
) -> Answer {
    let (csrf, new_cookie) = csrf::token(ctx)?;
    let form = form_state(
        ctx,
        store,
        body,
        random_token(16)?,
        csrf,
        fresh_values(body, nature),
        Mode::Phone(staff),
    )
    .await?;
    Ok(with_cookie(form_page(ctx, 200, body, form, false)?, new_cookie)?)
}

/// Registration, shared by the citizen's form and the phone operator's.
pub async fn handle(ctx: &Ctx, store: &Store, form: FormData, mode: Mode<'_>) -> Answer {
    let mut values = raw_submission(&form);
    let body_id = values.body.trim().parse::<i64>().ok();
    let Some(body) = (match body_id {
        Some(id) => store.body(id).await?,
        None => None,
    }) else {
        // No body to send to: start again from the body choice, keeping the nature.
        let target = href(mode.action(), &[("nature", values.nature.trim())]);
        return Ok(respond::redirect(&target)?);
    };
    let (csrf, new_cookie) = csrf::token(ctx)?;
    let submitted_key = field(&form, "form_key");
    let form_key = if is_form_token(&submitted_key) { submitted_key } else { random_token(16)? };

    // Cross-site posts and posts without this browser's token do nothing; the citizen gets the
    // form back, filled in, with a fresh token.
    let csrf_ok = csrf::valid(ctx, &field(&form, "csrf"));
    if !csrf_ok {
        let mut state = form_state(ctx, store, &body, form_key, csrf, values, mode).await?;
        state.notice = Some(ctx.lang.texts().submit.expired);
        return Ok(with_cookie(form_page(ctx, 403, &body, state, false)?, new_cookie)?);
    }

    if store.request_by_key(&form_key).await?.is_some() {
        return done_redirect(ctx, mode, &form_key);
    }

    let files = Files::new(&ctx.env)?;
    let mut errors = FieldErrors::default();
    // A form never has more staged files than MAX_FILES: a longer list of files to take off is
    // cut there, and they go in one statement.
    let mut removed: Vec<i64> = entries(&form, "retirer")
        .iter()
        .take(MAX_FILES)
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    removed.sort_unstable();
    removed.dedup();
    files.delete(&store.unstage(&form_key, &removed).await?).await;

    let mut uploads = intake_files::read_files(&form, "pieces").await?;
    let mut voice = intake_files::read_files(&form, "vocal").await?;
    let already = store.staged_files(&form_key).await?;
    // A post sent again (the service worker's retry after an answer that never arrived) carries
    // files this form has staged already: each is staged once.
    let sent_before = |u: &intake_files::Upload| {
        crate::domain::attachment::already_staged(&u.name, &u.bytes, &already)
    };
    uploads.retain(|u| !sent_before(u));
    voice.retain(|u| !sent_before(u));
    let checked = intake_files::check_form_files(&uploads, &voice, &already, &mut errors);
    // A voice note staged with this form, before or now, makes the written message optional.
    values.voice_note =
        already.iter().any(|f| f.audio) || checked.iter().any(|(f, _)| f.kind.is_audio());
    // Staging is capped per client address and hour, whatever the form key.
    if let Some(minutes) = intake_files::staging_over_cap(ctx, store, &checked, None).await? {
        return Ok(crate::app::http::respond::rate_limited_page(ctx, minutes)?);
    }
    let mut notice = None;
    if let Err(e) = intake_files::stage(store, &files, &form_key, checked, ctx.now()).await {
        crate::app::log::error("staging_files", &format!("staging files failed: {e}"));
        notice = Some(ctx.lang.texts().submit.failed);
    }

    let action = field(&form, "action");
    let mut state =
        form_state(ctx, store, &body, form_key.clone(), csrf, values.clone(), mode).await?;
    state.notice = notice;
    if action == "retour" && notice.is_none() {
        return form_page(ctx, 200, &body, state, false);
    }
    // «Chercher» (the form without JavaScript): the towns and villages of that name join the list,
    // everything typed and attached stays; nothing is checked yet.
    state.place_search = field(&form, "lieu_recherche").trim().chars().take(100).collect();
    if !field(&form, "chercher_lieu").is_empty()
        && !state.place_search.is_empty()
        && notice.is_none()
    {
        let all = crate::app::intake::directory::places(store).await?;
        let found = find_places(&all, &state.place_search, Some(PlaceKind::Locality), FOUND_MAX);
        state.places_found = Some(found.len());
        let known: Vec<i64> = state.places.iter().map(|p| p.id).collect();
        state.places.extend(found.into_iter().filter(|p| !known.contains(&p.id)).cloned());
        return form_page(ctx, 200, &body, state, false);
    }

    if action != "soumettre" || !errors.is_empty() || notice.is_some() {
        // The review step (or a file refused just now): checked, nothing registered.
        let valid = checks::validate(store, &values, &mut errors).await?;
        if valid.is_none() || !errors.is_empty() || notice.is_some() {
            state.set_errors(ctx.lang, &errors);
            return form_page(ctx, 422, &body, state, false);
        }
        return form_page(ctx, 200, &body, state, true);
    }
    // Through the door, as every way in: validation, the human check, the allowance (citizens
    // only: a phone operator's caller is not rate-limited), then the registering batch.
    let token = field(&form, turnstile::RESPONSE_FIELD);
    let (channel, caller, note) = match mode {
        Mode::Citizen => (Channel::Web, Caller::Citizen { human_check: &token }, None),
        Mode::Phone(staff) => {
            (Channel::Phone, Caller::Operator(staff), Some(ctx.lang.texts().submit.phone_consent))
        }
    };
    let intake = Intake {
        raw: &values,
        files: Attached::Staged,
        channel,
        caller,
        key: Key::Form(&form_key),
        position: None,
        address: None,
        note,
        links: &[],
        extra: "",
    };
    match crate::app::intake::submit(ctx, store, &intake).await {
        Ok(Outcome::Created(_) | Outcome::Replayed(_)) => done_redirect(ctx, mode, &form_key),
        Ok(Outcome::Limited(minutes)) => Ok(respond::rate_limited_page(ctx, minutes)?),
        Ok(Outcome::Refused(refused)) => {
            state.set_errors(ctx.lang, &refused);
            form_page(ctx, 422, &body, state, false)
        }
        Err(e) => {
            let message = format!("registering request failed: {e}");
            crate::app::http::error::log_with_reference(ctx, &message);
            state.notice = Some(ctx.lang.texts().submit.failed);
            // Everything typed and attached is kept: the same form, sent again, goes through.
            let mut response = form_page(ctx, 503, &body, state, false)?;
            let retry = crate::app::http::error::RETRY_AFTER_SECONDS.to_string();
            response.headers_mut().set("Retry-After", &retry)?;
            Ok(response)
        }
    }
}

/// The cookie that lets the submitting browser (and it alone) reopen its confirmation page.
const CONFIRMATION_COOKIE: &str = "__Host-envoi";

/// What that cookie holds for a form key: derived with the worker's key, so the URL alone
/// (which carries the form key) is not enough.
fn confirmation_proof(ctx: &Ctx, form_key: &str) -> worker::Result<String> {
    let key = crate::app::http::tracking_link::secret(&ctx.env)?;
    Ok(crate::domain::token::derived_secret(&key, "confirmation", form_key))
}

/// To the confirmation; a citizen's browser gets the cookie that shows it there.
fn done_redirect(ctx: &Ctx, mode: Mode<'_>, form_key: &str) -> Answer {
    let mut response = respond::redirect(&href(mode.done(), &[("f", form_key)]))?;
    if matches!(mode, Mode::Citizen) {
        let proof = confirmation_proof(ctx, form_key)?;
        let age = CONFIRMATION_TTL_MS / 1000;
        response.headers_mut().append(
            "Set-Cookie",
            &format!("{CONFIRMATION_COOKIE}={proof}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={age}"),
        )?;
    }
    Ok(response)
}

/// The confirmation; with `operator`, the phone operator's version (staff layout), who reads the
/// code to the caller.
pub async fn confirmation(ctx: &Ctx, operator: Option<&Staff>) -> Answer {
    let key = ctx.query.get("f").unwrap_or("");
    if !is_form_token(key) {
        return Err(AppError::NotFound);
    }
    // The code and the address are shown to the browser that submitted, never to whoever else
    // holds the URL (a shared screen, a history, a referrer): it carries the proof in a cookie.
    let submitted_here = ctx
        .cookie(CONFIRMATION_COOKIE)
        .zip(confirmation_proof(ctx, key).ok())
        .is_some_and(|(held, proof)| constant_time_eq(held, &proof));
    if operator.is_none() && !submitted_here {
        return Err(AppError::NotFound);
    }
    let store = Store::new(&ctx.env)?;
    match store.request_by_key(key).await? {
        Some(r) if ctx.now() - r.created_at < CONFIRMATION_TTL_MS => {
            let done = DonePage {
                c: ctx.chrome("submit"),
                nature: r.nature,
                code: r.code.to_string(),
                email: r.email,
                mobile: r.phone,
                phone: operator.is_some(),
            };
            let html = match operator {
                #[cfg(feature = "office")]
                Some(staff) => {
                    let (csrf, _) = csrf::token(ctx)?;
                    crate::web::submit::PhoneDonePage {
                        s: Some(crate::app::http::staff_session::nav(staff, "phone", &csrf, "")),
                        done,
                    }
                    .render()?
                }
                _ => done.render()?,
            };
            let mut response = respond::html(200, html)?;
            // The code and the address: half a tracking secret and personal data, never kept by any cache.
            response.headers_mut().set("Cache-Control", "private, no-store")?;
            Ok(response)
        }
        _ => Err(AppError::NotFound),
    }
}
