//! «SOUMETTRE UNE REQUETE»: nature → body → form → (review) → confirmation, without JavaScript,
//! and with it (the confirmation dialog posts straight to «soumettre»).

use askama::Template;
use worker::{FormData, FormEntry, Request, Response};

use super::Outcome;
use crate::app::crypto::{is_form_token, random_token};
use crate::app::files::Files;
use crate::app::store::{NewRequest, Store};
use crate::app::{csrf, intake, respond, turnstile, AppError, Ctx};
use crate::domain::attachment::MAX_FILES;
use crate::domain::body::{self, Body};
use crate::domain::nature::Nature;
use crate::domain::stage::{Channel, Role};
use crate::domain::staff::Staff;
use crate::domain::submission::{Field, FieldErrors, RawSubmission};
use crate::web::submit::{BodyChoicePage, DonePage, FormPage, FormState, NaturePage, ReviewPage, TermsPage};
use crate::web::href;

/// How long the confirmation page can be reopened from the browser that submitted.
const CONFIRMATION_TTL_MS: i64 = 24 * 3600 * 1000;

/// GET /requete/nouvelle[?nature=…[&organisme=…]]
pub async fn start(ctx: &Ctx) -> Outcome {
    let Some(nature) = ctx.query.get("nature").and_then(|n| Nature::parse(n).ok()) else {
        return Ok(respond::html(200, NaturePage { c: ctx.chrome("submit") }.render()?)?);
    };
    let store = Store::new(&ctx.env)?;
    let body = match ctx.query.get("organisme").and_then(|id| id.trim().parse::<i64>().ok()) {
        Some(id) => store.body(id).await?,
        None => None,
    };
    let Some(body) = body else {
        return choose_body(ctx, &store, nature).await;
    };
    let (csrf, new_cookie) = csrf::token(ctx)?;
    let form = form_state(ctx, &store, &body, random_token(16)?, csrf, fresh_values(&body, nature), Mode::Citizen).await?;
    with_cookie(form_page(ctx, 200, &body, form, false)?, new_cookie)
}

async fn choose_body(ctx: &Ctx, store: &Store, nature: Nature) -> Outcome {
    let query: String = ctx.query.get("q").unwrap_or("").trim().chars().take(100).collect();
    let mut bodies = body::search(store.active_bodies().await?, &query);
    body::sort_for_directory(&mut bodies);
    let page = BodyChoicePage { c: ctx.chrome("submit"), nature, query: &query, bodies: &bodies };
    Ok(respond::html(200, page.render()?)?)
}


/// An empty form for a body: the nature chosen, Côte d'Ivoire preselected.
fn fresh_values(body: &Body, nature: Nature) -> RawSubmission {
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

async fn form_state(ctx: &Ctx, store: &Store, body: &Body, form_key: String, csrf: String, values: RawSubmission, mode: Mode<'_>) -> worker::Result<FormState> {
    let themes = store.themes(body.id, ctx.lang).await?;
    let places = store.places().await?;
    let staged = store.staged_files(&form_key).await?;
    // Staff behind a sign-in need no anti-robot check.
    let turnstile = matches!(mode, Mode::Citizen).then(|| turnstile::site_key(ctx)).flatten();
    let (action, phone) = (mode.action(), matches!(mode, Mode::Phone(_)));
    Ok(FormState { form_key, csrf, values, errors: Vec::new(), themes, places, staged, notice: None, turnstile, action, phone })
}

/// Renders the form (or its review) with the status given; with Turnstile on, the page's CSP
/// admits Cloudflare's widget.
fn form_page(ctx: &Ctx, status: u16, body: &Body, form: FormState, review: bool) -> Outcome {
    let with_widget = form.turnstile.is_some();
    let html = if review {
        ReviewPage { c: ctx.chrome("submit"), body, form }.render()?
    } else {
        FormPage { c: ctx.chrome("submit"), body, form }.render()?
    };
    let mut response = respond::html(status, html)?;
    if with_widget {
        response.headers_mut().set("Content-Security-Policy", &crate::web::security::csp_with_turnstile())?;
    }
    Ok(response)
}

pub fn field(form: &FormData, name: &str) -> String {
    form.get_field(name).unwrap_or_default()
}

/// The text fields of a submission, as the form and the API name them.
pub fn raw_submission(form: &FormData) -> RawSubmission {
    let f = |which: Field| field(form, which.name());
    RawSubmission {
        body: f(Field::Body),
        nature: f(Field::Nature),
        place: f(Field::Place),
        abroad_country: f(Field::AbroadCountry),
        abroad_city: f(Field::AbroadCity),
        theme: f(Field::Theme),
        message: f(Field::Message),
        last_name: f(Field::LastName),
        first_names: f(Field::FirstNames),
        country: f(Field::Country),
        phone: f(Field::Phone),
        email: f(Field::Email),
        terms: matches!(f(Field::Terms).as_str(), "on" | "true" | "1" | "oui" | "yes"),
    }
}

/// POST /requete/nouvelle — `action` is «verifier» (to the review page), «retour» (back to the
/// form) or «soumettre» (register). Files are staged in R2 as soon as they arrive, so neither an
/// error nor the review step ever asks the citizen to attach them again.
pub async fn post(ctx: &Ctx, req: Request) -> Outcome {
    handle(ctx, req, Mode::Citizen).await
}

/// The form for a phone operator: the same fields and rules, for the caller's body.
pub async fn phone_form(ctx: &Ctx, store: &Store, staff: &Staff, body: &Body, nature: Nature) -> Outcome {
    let (csrf, new_cookie) = csrf::token(ctx)?;
    let form = form_state(ctx, store, body, random_token(16)?, csrf, fresh_values(body, nature), Mode::Phone(staff)).await?;
    with_cookie(form_page(ctx, 200, body, form, false)?, new_cookie)
}

/// Registration, shared by the citizen's form and the phone operator's.
pub async fn handle(ctx: &Ctx, mut req: Request, mode: Mode<'_>) -> Outcome {
    let form = req.form_data().await.map_err(|_| AppError::BadRequest)?;
    let store = Store::new(&ctx.env)?;
    let values = raw_submission(&form);
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
        let mut state = form_state(ctx, &store, &body, form_key, csrf, values, mode).await?;
        state.notice = Some(ctx.lang.texts().submit.expired);
        return with_cookie(form_page(ctx, 403, &body, state, false)?, new_cookie);
    }

    if store.request_by_key(&form_key).await?.is_some() {
        return Ok(respond::redirect(&href(mode.done(), &[("f", &form_key)]))?);
    }

    let files = Files::new(&ctx.env)?;
    let mut errors = FieldErrors::default();
    // A form never has more staged files than MAX_FILES: a longer list of files to take off is
    // cut there, and they go in one statement.
    let mut removed: Vec<i64> = entries(&form, "retirer").iter().take(MAX_FILES).filter_map(|v| v.trim().parse().ok()).collect();
    removed.sort_unstable();
    removed.dedup();
    files.delete(&store.unstage(&form_key, &removed).await?).await;

    let uploads = intake::read_files(&form, "pieces").await?;
    let already = store.staged_files(&form_key).await?;
    let checked = intake::check_files(&uploads, &already, &mut errors);
    // Staging is capped per client address and hour, whatever the form key.
    if let Some(minutes) = intake::staging_over_cap(ctx, &store, &checked).await? {
        return intake::rate_limited_page(ctx, minutes);
    }
    let mut notice = None;
    if let Err(e) = intake::stage(&store, &files, &form_key, checked, ctx.now()).await {
        worker::console_error!("staging files failed: {e}");
        notice = Some(ctx.lang.texts().submit.failed);
    }

    let action = field(&form, "action");
    let mut state = form_state(ctx, &store, &body, form_key.clone(), csrf, values.clone(), mode).await?;
    state.notice = notice;
    if action == "retour" && notice.is_none() {
        return form_page(ctx, 200, &body, state, false);
    }

    let submission = intake::validate(&store, &values, &mut errors).await?;
    let submission = match submission {
        Some(s) if errors.is_empty() && notice.is_none() => s,
        _ => {
            state.set_errors(ctx.lang, &errors);
            return form_page(ctx, 422, &body, state, false);
        }
    };
    if action != "soumettre" {
        return form_page(ctx, 200, &body, state, true);
    }
    if let Mode::Citizen = mode {
        if !turnstile::verify(ctx, &field(&form, turnstile::RESPONSE_FIELD)).await {
            errors.add(Field::HumanCheck, crate::domain::submission::Problem::Required);
            state.set_errors(ctx.lang, &errors);
            return form_page(ctx, 422, &body, state, false);
        }
        if let Some(minutes) = intake::rate_limited(ctx, &store).await? {
            return intake::rate_limited_page(ctx, minutes);
        }
    }
    let (channel, actor_role, actor_id, note) = match mode {
        Mode::Citizen => (Channel::Web, Role::Citizen.slug(), None, None),
        Mode::Phone(staff) => (Channel::Phone, staff.role.slug(), Some(staff.id), Some(ctx.lang.texts().submit.phone_consent)),
    };
    let channels = store.citizen_channels().await?;
    let recipient_limit = intake::recipient_limit(ctx);
    let created = intake::register(&ctx.env, &store, |code, public_id| NewRequest {
        submission: &submission,
        code,
        public_id,
        key: &form_key,
        channel,
        actor_role,
        actor_id,
        note,
        lang: ctx.lang,
        now: ctx.now(),
        body_name: &body.name,
        direct_files: &[],
        channels: &channels,
        payload_hash: None,
        recipient_limit,
    })
    .await;
    match created {
        Ok(_) => Ok(respond::redirect(&href(mode.done(), &[("f", &form_key)]))?),
        Err(e) => {
            crate::app::error::log_with_reference(ctx, &format!("registering request failed: {e}"));
            state.notice = Some(ctx.lang.texts().submit.failed);
            form_page(ctx, 503, &body, state, false)
        }
    }
}

pub fn with_cookie(mut response: Response, cookie: Option<String>) -> Outcome {
    if let Some(cookie) = cookie {
        response.headers_mut().append("Set-Cookie", &cookie)?;
    }
    Ok(response)
}

/// Every text value of a repeated field.
pub fn entries(form: &FormData, name: &str) -> Vec<String> {
    form.get_all(name)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| match e {
            FormEntry::Field(v) => Some(v),
            FormEntry::File(_) => None,
        })
        .collect()
}

/// GET /requete/enregistree?f=<form key> — the guide's confirmation, for the browser that submitted.
pub async fn done(ctx: &Ctx) -> Outcome {
    confirmation(ctx, false).await
}

/// The confirmation; `phone`: the operator's version, who reads the code to the caller.
pub async fn confirmation(ctx: &Ctx, phone: bool) -> Outcome {
    let key = ctx.query.get("f").unwrap_or("");
    if !is_form_token(key) {
        return Err(AppError::NotFound);
    }
    let store = Store::new(&ctx.env)?;
    match store.request_by_key(key).await? {
        Some(r) if ctx.now() - r.created_at < CONFIRMATION_TTL_MS => {
            let page = DonePage { c: ctx.chrome("submit"), nature: r.nature, code: r.code.to_string(), email: r.email, phone };
            let mut response = respond::html(200, page.render()?)?;
            // The code and the address: half a tracking secret and personal data, never kept by any cache.
            response.headers_mut().set("Cache-Control", "private, no-store")?;
            Ok(response)
        }
        _ => Err(AppError::NotFound),
    }
}

/// GET /conditions-utilisation
pub fn terms(ctx: &Ctx) -> Outcome {
    Ok(respond::html(200, TermsPage { c: ctx.chrome("submit") }.render()?)?)
}
