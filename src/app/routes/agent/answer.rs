//! «Marquer traité», second step: the answer and its files checked and staged, the citizen's
//! mail rendered as they will get it, to confirm or edit; and discarding what was staged.

use askama::Template;

use super::request::{render, Extra};
use crate::app::http::crypto::random_token;
use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::files::Files;
use crate::app::http::form::field;
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::http::staff_session::nav;
use crate::app::intake::files;
use crate::app::staff_change::allowed;
use crate::app::store::{Store, Tracked};
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::lang::Lang;
use crate::domain::staff::Staff;
use crate::domain::staff_action::StaffAction;
use crate::domain::submission::FieldErrors;
use crate::domain::text_field::Message;
use crate::notify::{self, Payload};
use crate::web::agent::AnswerPreviewPage;
use crate::web::submit::size_label;

/// A staged answer's form key as posted back by the preview: «staff-» and 22 URL-safe characters.
pub(super) fn answer_key(raw: &str) -> Option<&str> {
    let token = raw.strip_prefix("staff-")?;
    (token.len() == 22
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(raw)
}

pub(super) async fn discard(ctx: &Ctx, store: &Store, form_key: &str) -> Result<(), AppError> {
    let ids: Vec<i64> = store.staged_files(form_key).await?.into_iter().map(|f| f.id).collect();
    let keys = store.unstage(form_key, &ids).await?;
    Files::new(&ctx.env)?.delete(&keys).await;
    Ok(())
}

/// The answer's first step: message and files checked, files staged, the citizen's mail shown.
pub(super) async fn preview(
    ctx: &Ctx,
    store: &Store,
    staff: &Staff,
    r: Tracked,
    form: &worker::FormData,
    message: Option<Message>,
    version: i64,
) -> Outcome {
    let t = ctx.lang.texts();
    let raw_message = field(form, "message");
    let Some(message) = message else {
        let extra = Extra {
            error: Some(t.agent.message_required.to_owned()),
            draft: Some(raw_message),
            ..Extra::default()
        };
        return render(ctx, store, staff, r, extra, 422).await;
    };
    if !allowed(staff, &r, StaffAction::Treat) || version != r.version {
        let extra = Extra {
            error: Some(t.agent.refused.to_owned()),
            draft: Some(raw_message),
            ..Extra::default()
        };
        return render(ctx, store, staff, r, extra, 409).await;
    }
    let uploads = files::read_files(form, "pieces").await?;
    let mut errors = FieldErrors::default();
    let checked = files::check_files(&uploads, &[], &mut errors);
    if let Some((field, problem)) = errors.iter().next() {
        let extra = Extra {
            error: Some(crate::i18n::problem_message(ctx.lang, *field, problem)),
            draft: Some(raw_message),
            ..Extra::default()
        };
        return render(ctx, store, staff, r, extra, 422).await;
    }
    // Staged bytes count per person as well as per client address: a preview stores its files.
    if let Some(minutes) = files::staging_over_cap(ctx, store, &checked, Some(staff.id)).await? {
        let extra = Extra {
            error: Some(t.agent.staging_limited.replace("{minutes}", &minutes.to_string())),
            draft: Some(raw_message),
            ..Extra::default()
        };
        return render(ctx, store, staff, r, extra, 429).await;
    }
    let form_key = format!("staff-{}", random_token(16)?);
    let files: Vec<(String, String)> =
        checked.iter().map(|(f, _)| (f.name.clone(), size_label(f.size as i64))).collect();
    files::stage(store, &Files::new(&ctx.env)?, &form_key, checked, ctx.now()).await?;
    // Rendered here only, never stored: the code and the link appear as the citizen will see them.
    let lang = Lang::parse(&r.lang).unwrap_or(Lang::Fr);
    let payload = Payload {
        code: r.code.clone(),
        nature: r.nature.slug().to_owned(),
        body: r.body_name.clone(),
        note: Some(message.as_str().to_owned()),
        ..Default::default()
    };
    let link = format!("{}/suivi", ctx.settings.public_url.trim_end_matches('/'));
    let mail = notify::render_email(notify::Template::Treated, lang, &payload, &link)
        .map_err(|e| AppError::Internal(format!("{e:?}")))?;
    let channels = store.citizen_channels().await?;
    let sms_text = (channels.contains(&"sms") && !r.phone.is_empty())
        .then(|| notify::render_sms(notify::Template::Treated, lang, &payload, &link).ok())
        .flatten();
    let (csrf, cookie) = csrf::token(ctx)?;
    let page = AnswerPreviewPage {
        c: ctx.chrome(""),
        s: Some(nav(staff, "queues", &csrf, "")),
        csrf,
        code: r.code.clone(),
        version,
        message: message.as_str().to_owned(),
        form_key,
        files,
        subject: mail.subject,
        mail_text: mail.text,
        sms_text,
    };
    let mut response = with_cookie(respond::html(200, page.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}
