//! «SUIVRE UNE REQUETE»: lookup by code and email, signed mail links, forgotten codes, and the
//! request page with its actions (edit in stage 1, verdict or reopen in stage 3).

use askama::Template;
use worker::{FormData, Request, Response};

use crate::app::form::field;
use crate::app::respond::with_cookie;
use super::Outcome;
use crate::app::crypto::{is_form_token, random_token};
use crate::app::files::Files;
use crate::app::tracking_link::secret;
use crate::app::store::{Change, ChangeKind, LookupRead, Store, Tracked};
use crate::app::{csrf, intake, notifier, respond, AppError, Ctx};
use crate::domain::code::RequestCode;
use crate::domain::email::Email;
use crate::domain::nature::Nature;
use crate::domain::stage::{self, Event, Role, Stage, Verdict};
use crate::domain::submission::{Field, FieldErrors, Problem};
use crate::domain::text_field::{Message, TextError};
use crate::domain::time::date_fr;
use crate::domain::rate_limit::{self, Window};
use crate::domain::token;
use crate::i18n::problem_message;
use crate::domain::notice::Alert;
use crate::notify::Payload;
use crate::web::submit::size_label;
use crate::web::track::{FileLine, ForgotPage, HistoryLine, LookupPage, RequestPage, RequestView};

const SESSION_COOKIE: &str = "__Host-suivi";
/// The D1 session bookmark of this browser's last read or write (Sessions API).
const BOOKMARK_COOKIE: &str = "__Host-d1b";

/// Tracking reads go through a D1 session (read replicas near the citizen), started from the
/// bookmark of the citizen's previous request so an edit or verdict is seen at once.
fn tracking_store(ctx: &Ctx) -> worker::Result<Store> {
    Store::session(&ctx.env, ctx.cookie(BOOKMARK_COOKIE))
}

/// Carries the session's latest bookmark to the browser's next request.
fn remember_bookmark(store: &Store, response: &mut Response) -> worker::Result<()> {
    if let Some(bookmark) = store.bookmark() {
        response
            .headers_mut()
            .append("Set-Cookie", &format!("{BOOKMARK_COOKIE}={bookmark}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECONDS}"))?;
    }
    Ok(())
}
/// A tracking session lasts two hours; a mail link thirty days.
const SESSION_SECONDS: u32 = 2 * 3600;

fn now_secs(ctx: &Ctx) -> u32 {
    (ctx.now() / 1000) as u32
}

fn session_cookie(ctx: &Ctx, code: RequestCode, email: &str) -> worker::Result<String> {
    let t = token::sign(&secret(&ctx.env)?, "session", code, email, now_secs(ctx) + SESSION_SECONDS);
    Ok(format!("{SESSION_COOKIE}={code}.{t}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECONDS}"))
}

/// The request this browser's tracking session opens, if it is `code`.
async fn session_request(ctx: &Ctx, store: &Store, code: RequestCode) -> worker::Result<Option<Tracked>> {
    let Some((cookie_code, t)) = ctx.cookie(SESSION_COOKIE).and_then(|v| v.split_once('.')) else { return Ok(None) };
    if RequestCode::parse(cookie_code) != Ok(code) {
        return Ok(None);
    }
    let Some(request) = store.tracked(code, ctx.lang).await? else { return Ok(None) };
    let ok = token::verify(&secret(&ctx.env)?, "session", code, &request.email, t, now_secs(ctx)).is_ok();
    Ok(ok.then_some(request))
}

fn lookup_page(ctx: &Ctx, status: u16, code: &str, email: &str, error: Option<String>) -> Outcome {
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = LookupPage { c: ctx.chrome("track"), csrf, code: code.to_owned(), email: email.to_owned(), error };
    with_cookie(respond::html(status, page.render()?)?, cookie)
}

/// GET /suivi[?code=…]
pub fn lookup(ctx: &Ctx) -> Outcome {
    let code = ctx.query.get("code").unwrap_or("").chars().take(12).collect::<String>();
    lookup_page(ctx, 200, &code, "", None)
}

/// Lookups counted before they are answered, within the clock hour, with `L` =
/// `TRACK_FAILURES_PER_HOUR` (default 10): L per email from one client address, 5 L per email
/// from anywhere (so a burst from one address does not lock the citizen out from their own),
/// 5 L per code, 3 L per client address. A lookup that opens the request is given back; the
/// signed link of a mail never counts.
struct Limits {
    buckets: Vec<String>,
    limits: Vec<i64>,
    window: Window,
}

impl Limits {
    fn new(ctx: &Ctx, email: &Email, code: Option<RequestCode>) -> Limits {
        let l: i64 = ctx.var("TRACK_FAILURES_PER_HOUR").and_then(|v| v.parse().ok()).unwrap_or(10);
        let mut buckets = vec![
            rate_limit::pair_bucket("track:email-client", email.as_str(), &ctx.client),
            rate_limit::bucket("track:email", email.as_str()),
            rate_limit::bucket("track:client", &ctx.client),
        ];
        let mut limits = vec![l, 5 * l, 3 * l];
        if let Some(code) = code {
            buckets.push(rate_limit::bucket("track:code", &code.to_string()));
            limits.push(5 * l);
        }
        Limits { buckets, limits, window: Window::hour(ctx.now()) }
    }

    /// Minutes to wait when any counter, this attempt included, is over its limit.
    fn blocked(&self, ctx: &Ctx, read: &LookupRead) -> Option<u32> {
        let counts: Vec<(i64, i64)> = read.counts.iter().copied().zip(self.limits.iter().copied()).collect();
        rate_limit::over_any(&counts).then(|| self.window.minutes_left(ctx.now()))
    }
}

enum Lookup {
    Found(Box<LookupRead>, Tracked),
    NoMatch,
    Blocked(u32),
}

/// The one lookup both the page and the API use: same work whichever of code or email is wrong,
/// and every read (with the counting) in one round trip. The email is already valid.
async fn find(ctx: &Ctx, store: &Store, code: &str, email: &Email) -> worker::Result<Lookup> {
    let parsed = RequestCode::parse(code).ok();
    let limits = Limits::new(ctx, email, parsed);
    // A malformed code reads like a real one, so it answers in the same time class.
    let asked = match parsed {
        Some(code) => code,
        None => RequestCode::parse("10000000").map_err(|_| worker::Error::RustError("code".into()))?,
    };
    let mut read = store.lookup_read(asked, ctx.lang, &limits.buckets, limits.window.start).await?;
    if let Some(minutes) = limits.blocked(ctx, &read) {
        // A refused attempt compares nothing, so it gives back what it took from the counters
        // still under their limit: a burst from one address spends that address's allowance,
        // never the citizen's own (per email, per code) from elsewhere.
        let untouched: Vec<String> = limits.buckets.iter().zip(&read.counts).zip(&limits.limits).filter(|((_, hits), limit)| hits <= limit).map(|((b, _), _)| b.clone()).collect();
        if !untouched.is_empty() {
            store.rate_limit_refund(&untouched, limits.window.start).await?;
        }
        return Ok(Lookup::Blocked(minutes));
    }
    let request = read.tracked.take().filter(|_| parsed.is_some());
    match request {
        Some(r) if crate::app::crypto::constant_time_eq(&r.email, email.as_str()) => {
            // The citizen's own lookups are not failures: give the counters back.
            store.rate_limit_refund(&limits.buckets, limits.window.start).await?;
            Ok(Lookup::Found(Box::new(read), r))
        }
        _ => Ok(Lookup::NoMatch),
    }
}

fn too_many(ctx: &Ctx, minutes: u32) -> String {
    ctx.lang.texts().track.too_many.replace("{minutes}", &minutes.to_string())
}

/// POST /suivi — code and email in the body, never in the URL.
pub async fn lookup_post(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    let (code, email) = (field(&form, "code"), field(&form, "email"));
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return lookup_page(ctx, 403, &code, &email, Some(ctx.lang.texts().submit.expired.to_owned()));
    }
    let parsed_email = match Email::parse(&email) {
        Ok(e) => e,
        // Refused before anything is counted or stored: a bucket never holds what was not an email.
        Err(e) => return lookup_page(ctx, 422, &code, &email, Some(problem_message(ctx.lang, Field::Email, &Problem::Email(e)))),
    };
    let store = tracking_store(ctx)?;
    match find(ctx, &store, &code, &parsed_email).await? {
        Lookup::Found(_, r) => {
            let code = RequestCode::parse(&r.code).map_err(|_| AppError::Internal("stored code".into()))?;
            let mut response = respond::redirect(&format!("/suivi/{code}"))?;
            response.headers_mut().append("Set-Cookie", &session_cookie(ctx, code, &r.email)?)?;
            remember_bookmark(&store, &mut response)?;
            Ok(response)
        }
        Lookup::NoMatch => lookup_page(ctx, 404, &code, &email, Some(ctx.lang.texts().track.not_found.to_owned())),
        Lookup::Blocked(minutes) => {
            let mut response = lookup_page(ctx, 429, &code, &email, Some(too_many(ctx, minutes)))?;
            response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
            Ok(response)
        }
    }
}

/// GET /suivi/{code}[?t=…] — a valid mail link or tracking session shows the request; anything
/// else falls back to the lookup form with the code filled in. Never changes the request.
pub async fn show(ctx: &Ctx, code: &str) -> Outcome {
    let Ok(code) = RequestCode::parse(code) else { return Err(AppError::NotFound) };
    let store = tracking_store(ctx)?;
    if let Some(t) = ctx.query.get("t") {
        let valid = match store.tracked(code, ctx.lang).await? {
            Some(r) => token::verify(&secret(&ctx.env)?, "link", code, &r.email, t, now_secs(ctx)).is_ok().then_some(r),
            None => None,
        };
        return match valid {
            Some(r) => {
                let cookie = session_cookie(ctx, code, &r.email)?;
                let mut response = render_request(ctx, &store, r, Notices::default()).await?;
                response.headers_mut().append("Set-Cookie", &cookie)?;
                Ok(response)
            }
            None => lookup_page(ctx, 200, &code.to_string(), "", Some(ctx.lang.texts().track.link_invalid.to_owned())),
        };
    }
    match session_request(ctx, &store, code).await? {
        Some(r) => render_request(ctx, &store, r, Notices::default()).await,
        None => lookup_page(ctx, 200, &code.to_string(), "", None),
    }
}

#[derive(Default)]
struct Notices {
    notice: Option<&'static str>,
    edit_error: Option<String>,
    edit_message: Option<String>,
    verdict_error: Option<&'static str>,
    reopen_error: Option<&'static str>,
    reopen_reason: String,
    status: Option<u16>,
}

fn stage_label(ctx: &Ctx, r: &Tracked, stage: Stage) -> String {
    let t = &ctx.lang.texts().track;
    match stage {
        Stage::AwaitingTriage => t.stage_awaiting.to_owned(),
        Stage::Returned => t.stage_returned.to_owned(),
        Stage::InTreatment => t.stage_in_treatment.to_owned(),
        Stage::Forwarded => t.stage_forwarded.replace("{body}", &r.body_name),
        Stage::Treated | Stage::Closed => match r.treated_at {
            Some(at) if stage == Stage::Treated || r.verdict.is_some() => t.stage_treated.replace("{date}", &date_fr(at)),
            _ => t.stage_closed.to_owned(),
        },
        Stage::ClosedWithoutVerdict => t.stage_closed_without.to_owned(),
        Stage::TakenIntoAccount => t.stage_taken.replace("{body}", &r.body_name).replace("{date}", &r.closed_at.map(date_fr).unwrap_or_default()),
    }
}

/// The date an answer is due, while the request waits for the analyst (stage 1) or the body
/// (stage 2); none while the citizen has the hand or once it is answered.
fn due_date(r: &Tracked, stage: Stage) -> Option<i64> {
    matches!(stage, Stage::AwaitingTriage | Stage::InTreatment).then_some(r.due_at).flatten()
}

async fn render_request(ctx: &Ctx, store: &Store, r: Tracked, n: Notices) -> Outcome {
    let t = ctx.lang.texts();
    let stage = Stage::parse(&r.stage).ok_or_else(|| AppError::Internal(format!("stored stage {}", r.stage)))?;
    let nature = Nature::parse(&r.nature).map_err(|e| AppError::Internal(e.to_string()))?;
    let events = store.history(r.id).await?;
    let last_note = |event: &str| events.iter().rev().find(|e| e.event == event).and_then(|e| e.note.clone().map(|n| (n, e.at)));
    let analyst_return = matches!(stage, Stage::Returned | Stage::AwaitingTriage).then(|| last_note("sent_back")).flatten().map(|(n, _)| n);
    let treatment = last_note("treated").map(|(note, at)| (note, date_fr(at)));
    let place = match (&r.place, &r.abroad_country) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(c)) => crate::domain::countries::Country::find(c).map(|country| {
            let name = country.name(ctx.lang);
            match &r.abroad_city {
                Some(city) => format!("{} — {city}, {name}", t.submit.abroad),
                None => format!("{} — {name}", t.submit.abroad),
            }
        }),
        _ => None,
    };
    let view = RequestView {
        code: r.code.clone(),
        nature: t.nature(nature),
        is_reclamation: nature == Nature::Reclamation,
        date: date_fr(r.created_at),
        theme: r.theme.clone(),
        place,
        body: r.body_name.clone(),
        stage_label: stage_label(ctx, &r, stage),
        stage_number: stage.number(),
        message: r.message.clone(),
        analyst_return,
        treatment,
        verdict: r.verdict.as_deref().map(|v| t.track.verdict(v)),
        verdict_comment: r.verdict_comment.clone(),
        reply: last_note("clarified").map(|(n, _)| n),
        can_edit: stage::next(stage, Event::Edit, Role::Citizen, nature).is_ok(),
        can_judge: stage::next(stage, Event::Reopen, Role::Citizen, nature).is_ok(),
        version: r.version,
        due: due_date(&r, stage).map(|due| t.track.due_by.replace("{date}", &date_fr(due))),
        late: due_date(&r, stage).is_some_and(|due| due < ctx.now()),
        taken: (stage == Stage::TakenIntoAccount).then(|| last_note("taken_into_account").map(|(n, _)| n)),
    };
    let history = events
        .iter()
        .map(|e| HistoryLine {
            date: date_fr(e.at),
            label: t.track.event(ctx.lang, &e.event),
            // Internal notes are never loaded; what staff wrote to the citizen is shown.
            note: e.note.clone(),
        })
        .collect();
    let files = store
        .request_files(r.id)
        .await?
        .into_iter()
        .map(|f| FileLine { id: f.id, name: f.file_name, size: size_label(f.size) })
        .collect();
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = RequestPage {
        c: ctx.chrome("track"),
        edit_message: n.edit_message.unwrap_or_else(|| r.message.clone()),
        r: view,
        history,
        files,
        csrf,
        form_key: random_token(16)?,
        notice: n.notice,
        edit_error: n.edit_error,
        verdict_error: n.verdict_error,
        reopen_error: n.reopen_error,
        reopen_reason: n.reopen_reason,
    };
    let mut response = with_cookie(respond::html(n.status.unwrap_or(200), page.render()?)?, cookie)?;
    // The page shows personal data: never stored by shared caches.
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    remember_bookmark(store, &mut response)?;
    Ok(response)
}

/// The request of a POST from its page: a valid session and CSRF token, or nothing happens.
async fn authorised(ctx: &Ctx, store: &Store, code: &str, form: &FormData) -> Result<(RequestCode, Tracked), Outcome> {
    let Ok(code) = RequestCode::parse(code) else { return Err(Err(AppError::NotFound)) };
    if !csrf::valid(ctx, &field(form, "csrf")) {
        return Err(lookup_page(ctx, 403, &code.to_string(), "", Some(ctx.lang.texts().submit.expired.to_owned())));
    }
    match session_request(ctx, store, code).await {
        Ok(Some(r)) => Ok((code, r)),
        Ok(None) => Err(lookup_page(ctx, 403, &code.to_string(), "", None)),
        Err(e) => Err(Err(e.into())),
    }
}

/// POST /suivi/{code}/modifier — new wording (and attachments) while the request is in stage 1.
pub async fn edit(ctx: &Ctx, code: &str, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    let store = tracking_store(ctx)?;
    let (code, r) = match authorised(ctx, &store, code, &form).await {
        Ok(ok) => ok,
        Err(response) => return response,
    };
    let form_key = Some(field(&form, "form_key")).filter(|k| is_form_token(k)).map_or_else(|| random_token(16), Ok)?;
    let raw_message = field(&form, "message");
    let mut errors = FieldErrors::default();
    let message = Message::parse(&raw_message);
    if let Err(e) = &message {
        errors.add(Field::Message, Problem::Text(e.clone()));
    }
    let version: i64 = field(&form, "version").parse().unwrap_or(r.version);
    let Some(to) = citizen_next(&r, Event::Edit)?.filter(|_| version == r.version) else {
        // Refused before any file is stored: a stale page or a stage that no longer allows edits.
        return render_request(ctx, &store, r, Notices { notice: Some(ctx.lang.texts().track.conflict), status: Some(409), ..Default::default() }).await;
    };
    let files = Files::new(&ctx.env)?;
    let uploads = intake::read_files(&form, "pieces").await?;
    // The request's files and any staged with this form count against the limits together.
    let mut existing: Vec<crate::web::submit::StagedFile> = store
        .request_files(r.id)
        .await?
        .into_iter()
        .map(|f| crate::web::submit::StagedFile { id: f.id, name: f.file_name, size: f.size })
        .collect();
    existing.extend(store.staged_files(&form_key).await?);
    let checked = intake::check_files(&uploads, &existing, &mut errors);
    let (Ok(message), true) = (message, errors.is_empty()) else {
        let edit_error = errors.iter().map(|(f, p)| problem_message(ctx.lang, *f, p)).collect::<Vec<_>>().join(" ");
        return render_request(ctx, &store, r, Notices { edit_error: Some(edit_error), edit_message: Some(raw_message), status: Some(422), ..Default::default() }).await;
    };
    if let Some(minutes) = intake::staging_over_cap(ctx, &store, &checked).await? {
        return intake::rate_limited_page(ctx, minutes);
    }
    intake::stage(&store, &files, &form_key, checked, ctx.now()).await?;
    let change = Change {
        request_id: r.id,
        version,
        now: ctx.now(),
        event: Event::Edit.slug(),
        to_stage: to.slug(),
        actor_role: Role::Citizen.slug(),
        actor_id: None,
        visible: true,
        note: None,
        kind: ChangeKind::Edit { message: message.as_str(), form_key: &form_key },
        notifications: Vec::new(),
        alert: Some(Alert::Edited),
    };
    finish_change(ctx, &store, code, change, ctx.lang.texts().track.edited).await
}

/// Where the citizen's `event` takes the request from where it stands, if the table allows it.
fn citizen_next(r: &Tracked, event: Event) -> Result<Option<Stage>, AppError> {
    let nature = Nature::parse(&r.nature).map_err(|e| AppError::Internal(e.to_string()))?;
    let stage = Stage::parse(&r.stage).ok_or_else(|| AppError::Internal("stage".into()))?;
    Ok(stage::next(stage, event, Role::Citizen, nature).ok())
}

/// Applies a change and shows the page again (PRG: redirect with a notice key).
async fn finish_change(ctx: &Ctx, store: &Store, code: RequestCode, change: Change<'_>, done: &'static str) -> Outcome {
    let applied = store.apply_change(&change).await?;
    let r = store.tracked(code, ctx.lang).await?.ok_or(AppError::NotFound)?;
    if applied {
        notifier::enqueue(&ctx.env, store, &store.pending_outbox_for_request_id(r.id).await?).await;
        return render_request(ctx, store, r, Notices { notice: Some(done), ..Default::default() }).await;
    }
    render_request(ctx, store, r, Notices { notice: Some(ctx.lang.texts().track.conflict), status: Some(409), ..Default::default() }).await
}

/// POST /suivi/{code}/avis — the citizen's verdict on the body's answer.
pub async fn verdict(ctx: &Ctx, code: &str, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    let store = tracking_store(ctx)?;
    let (code, r) = match authorised(ctx, &store, code, &form).await {
        Ok(ok) => ok,
        Err(response) => return response,
    };
    let t = &ctx.lang.texts().track;
    let Some(verdict) = Verdict::parse(&field(&form, "avis")) else {
        return render_request(ctx, &store, r, Notices { verdict_error: Some(t.verdict_required), status: Some(422), ..Default::default() }).await;
    };
    let comment: String = field(&form, "commentaire").trim().chars().take(2000).collect();
    let Some(to) = citizen_next(&r, Event::GiveVerdict(verdict))? else {
        return render_request(ctx, &store, r, Notices { notice: Some(t.conflict), status: Some(409), ..Default::default() }).await;
    };
    let change = Change {
        request_id: r.id,
        version: field(&form, "version").parse().unwrap_or(r.version),
        now: ctx.now(),
        event: Event::GiveVerdict(verdict).slug(),
        to_stage: to.slug(),
        actor_role: Role::Citizen.slug(),
        actor_id: None,
        visible: true,
        note: Some(comment.as_str()).filter(|c| !c.is_empty()),
        kind: ChangeKind::Verdict { verdict: verdict.slug(), comment: Some(comment.as_str()).filter(|c| !c.is_empty()) },
        notifications: Vec::new(),
        // Anything short of «satisfait» goes back to the analysts.
        alert: (verdict != Verdict::Satisfied).then_some(Alert::Unsatisfied),
    };
    finish_change(ctx, &store, code, change, t.verdict_given).await
}

/// POST /suivi/{code}/relancer — reopen with a reason; the body handles it again.
pub async fn reopen(ctx: &Ctx, code: &str, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    let store = tracking_store(ctx)?;
    let (code, r) = match authorised(ctx, &store, code, &form).await {
        Ok(ok) => ok,
        Err(response) => return response,
    };
    let t = &ctx.lang.texts().track;
    let raw = field(&form, "motif");
    let reason = match Message::parse(&raw) {
        Ok(m) => m,
        Err(TextError::Empty | TextError::TooShort { .. } | TextError::TooLong { .. }) => {
            return render_request(ctx, &store, r, Notices { reopen_error: Some(t.reopen_required), reopen_reason: raw, status: Some(422), ..Default::default() }).await;
        }
    };
    let Some(to) = citizen_next(&r, Event::Reopen)? else {
        return render_request(ctx, &store, r, Notices { notice: Some(t.conflict), status: Some(409), ..Default::default() }).await;
    };
    let payload = serde_json::to_string(&Payload { nature: r.nature.clone(), body: r.body_name.clone(), ..Default::default() })
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let version: i64 = field(&form, "version").parse().unwrap_or(r.version);
    let key = format!("reopened:{}:{}:email", r.id, version);
    let change = Change {
        request_id: r.id,
        version,
        now: ctx.now(),
        event: Event::Reopen.slug(),
        to_stage: to.slug(),
        actor_role: Role::Citizen.slug(),
        actor_id: None,
        visible: true,
        note: Some(reason.as_str()),
        kind: ChangeKind::Reopen,
        notifications: if store.citizen_channels().await?.contains(&"email") { vec![(key, "email", &r.email, "reopened", &r.lang, payload)] } else { Vec::new() },
        alert: Some(Alert::Reopened),
    };
    finish_change(ctx, &store, code, change, t.reopened).await
}

/// GET /suivi/{code}/pieces/{id} — the citizen's own attachment, after checking the session.
pub async fn file(ctx: &Ctx, code: &str, id: &str) -> Outcome {
    let Ok(code) = RequestCode::parse(code) else { return Err(AppError::NotFound) };
    let store = tracking_store(ctx)?;
    let Some(r) = session_request(ctx, &store, code).await? else { return Err(AppError::NotFound) };
    crate::app::files::serve_attachment(ctx, &store, r.id, id).await
}

/// POST /suivi/fermer — ends the tracking session on this browser.
pub async fn sign_out(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    let mut response = respond::redirect("/suivi")?;
    if csrf::valid(ctx, &field(&form, "csrf")) {
        response.headers_mut().append("Set-Cookie", &format!("{SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0"))?;
    }
    Ok(response)
}

fn forgot_page(ctx: &Ctx, status: u16, email: &str, sent: bool, error: Option<String>) -> Outcome {
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = ForgotPage { c: ctx.chrome("track"), csrf, email: email.to_owned(), sent, error };
    with_cookie(respond::html(status, page.render()?)?, cookie)
}

/// GET /suivi/oubli
pub fn forgot(ctx: &Ctx) -> Outcome {
    forgot_page(ctx, 200, "", false, None)
}

/// POST /suivi/oubli — mails the address the list of its codes; answers the same whether or not
/// the address has requests, and as fast: the look-up and the writing happen after the answer.
/// Three mails an hour per address at most. The outbox row holds only the address: the list is
/// read when the mail is rendered.
pub async fn forgot_post(ctx: &Ctx, mut req: Request) -> Outcome {
    let form = crate::app::form::read(&mut req).await?;
    let raw = field(&form, "email");
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return forgot_page(ctx, 403, &raw, false, Some(ctx.lang.texts().submit.expired.to_owned()));
    }
    let email = match Email::parse(&raw) {
        Ok(e) => e,
        Err(e) => {
            let message = problem_message(ctx.lang, Field::Email, &Problem::Email(e));
            return forgot_page(ctx, 422, &raw, false, Some(message));
        }
    };
    let store = Store::new(&ctx.env)?;
    let now = ctx.now();
    let window = Window::hour(now);
    let per_email = store.rate_limit_hit(&rate_limit::bucket("forgot:email", email.as_str()), window.start).await?;
    let per_ip = store.rate_limit_hit(&rate_limit::bucket("forgot:client", &ctx.client), window.start).await?;
    if per_email > 3 || per_ip > 30 {
        return forgot_page(ctx, 429, &raw, false, Some(too_many(ctx, window.minutes_left(now))));
    }
    let (env, lang) = (ctx.env.clone(), ctx.lang.code());
    ctx.after_response(async move {
        if let Err(e) = send_forgotten_codes(&env, email.as_str(), lang, now).await {
            worker::console_error!("forgotten codes: {e}");
        }
    });
    forgot_page(ctx, 200, "", true, None)
}

async fn send_forgotten_codes(env: &worker::Env, email: &str, lang: &str, now: i64) -> worker::Result<()> {
    let store = Store::new(env)?;
    if store.codes_for_email(email).await?.is_empty() {
        return Ok(());
    }
    let key = format!("forgotten_codes:{}", random_token(16)?);
    let id = store.insert_outbox(&key, "email", email, "forgotten_codes", lang, "{}", now).await?;
    notifier::enqueue(env, &store, &[id]).await;
    Ok(())
}

/// POST /api/v1/suivi `{"code", "email"}` — the request's public view, or one uniform 404.
/// Same-origin and server-to-server only: `application/json` is required (so no browser can
/// send it cross-site without a preflight, which is never granted) and no CORS header is sent.
pub async fn api(ctx: &Ctx, req: Request) -> Outcome {
    let mut response = api_answer(ctx, req).await?;
    response.headers_mut().delete("Access-Control-Allow-Origin")?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

async fn api_answer(ctx: &Ctx, mut req: Request) -> Outcome {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        code: String,
        #[serde(default)]
        email: String,
    }
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if content_type.split(';').next().map(str::trim).map(str::to_ascii_lowercase).as_deref() != Some("application/json") {
        return Ok(respond::json(415, &serde_json::json!({ "error": ctx.lang.texts().wrong_format_text }))?);
    }
    let Ok(body) = req.json::<Body>().await else {
        return Ok(respond::json(400, &serde_json::json!({ "error": "a JSON object {\"code\", \"email\"} is expected" }))?);
    };
    let email = match Email::parse(&body.email) {
        Ok(e) => e,
        // Refused before anything is counted or stored.
        Err(e) => {
            let message = problem_message(ctx.lang, Field::Email, &Problem::Email(e));
            return Ok(respond::json(422, &serde_json::json!({ "error": message, "errors": { "email": message } }))?);
        }
    };
    let store = tracking_store(ctx)?;
    match find(ctx, &store, &body.code, &email).await? {
        Lookup::Found(read, r) => {
            let (events, files) = (&read.history, &read.files);
            let stage = Stage::parse(&r.stage).ok_or_else(|| AppError::Internal("stage".into()))?;
            let view = serde_json::json!({
                "code": r.code,
                "nature": r.nature,
                "organisme": { "id": r.body_id, "name": r.body_name },
                "theme": r.theme,
                "date": crate::domain::time::iso8601(r.created_at),
                "stage": stage.slug(),
                "etape": stage.number(),
                "message": r.message,
                "verdict": r.verdict,
                // The guide's «Réponse attendue au plus tard le …» and «Hors délai».
                "reponse_attendue_le": due_date(&r, stage).map(crate::domain::time::iso8601),
                "hors_delai": due_date(&r, stage).is_some_and(|due| due < ctx.now()),
                "history": events.iter().map(|e| serde_json::json!({
                    "at": crate::domain::time::iso8601(e.at), "event": e.event, "note": e.note,
                })).collect::<Vec<_>>(),
                "pieces": files.iter().map(|f| serde_json::json!({ "name": f.file_name, "size": f.size })).collect::<Vec<_>>(),
            });
            Ok(respond::json(200, &view)?)
        }
        Lookup::NoMatch => Ok(respond::json(404, &serde_json::json!({ "error": ctx.lang.texts().track.not_found }))?),
        Lookup::Blocked(minutes) => {
            let mut response = respond::json(429, &serde_json::json!({ "error": too_many(ctx, minutes), "retry_after_minutes": minutes }))?;
            response.headers_mut().set("Retry-After", &(minutes * 60).to_string())?;
            Ok(response)
        }
    }
}
