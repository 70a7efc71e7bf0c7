//! The request page the citizen sees: the guide's table, the stage in words, the due date, the forms of the moment.

use super::*;
use crate::app::http::crypto::random_token;
use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::store::{Store, Tracked};
use crate::app::Ctx;
use crate::domain::nature::Nature;
use crate::domain::stage::{self, Event, Role, Stage};
use crate::domain::time::date_fr;
use crate::web::submit::size_label;
use crate::web::track::{FileLine, HistoryLine, RequestPage, RequestView};
use askama::Template;

#[derive(Default)]
pub(super) struct Notices {
    pub(super) notice: Option<&'static str>,
    pub(super) edit_error: Option<String>,
    pub(super) edit_message: Option<String>,
    pub(super) verdict_error: Option<&'static str>,
    pub(super) reopen_error: Option<&'static str>,
    pub(super) reopen_reason: String,
    pub(super) status: Option<u16>,
}

fn stage_label(ctx: &Ctx, r: &Tracked, stage: Stage) -> String {
    let t = &ctx.lang.texts().track;
    match stage {
        Stage::AwaitingTriage => t.stage_awaiting.to_owned(),
        Stage::Returned => t.stage_returned.to_owned(),
        Stage::InTreatment => t.stage_in_treatment.to_owned(),
        Stage::Forwarded => t.stage_forwarded.replace("{body}", &r.body_name),
        Stage::Treated | Stage::Closed => match r.treated_at {
            Some(at) if stage == Stage::Treated || r.verdict.is_some() => {
                t.stage_treated.replace("{date}", &date_fr(at))
            }
            _ => t.stage_closed.to_owned(),
        },
        Stage::ClosedWithoutVerdict => t.stage_closed_without.to_owned(),
        Stage::Merged => crate::i18n::track_merged_stage(ctx.lang).to_owned(),
        Stage::TakenIntoAccount => t
            .stage_taken
            .replace("{body}", &r.body_name)
            .replace("{date}", &r.closed_at.map(date_fr).unwrap_or_default()),
    }
}

/// The date an answer is due, while the request waits for the analyst (stage 1) or the body
/// (stage 2); none while the citizen has the hand or once it is answered.
pub(super) fn due_date(r: &Tracked, stage: Stage) -> Option<i64> {
    matches!(stage, Stage::AwaitingTriage | Stage::InTreatment).then_some(r.due_at).flatten()
}

pub(super) async fn render_request(ctx: &Ctx, store: &Store, r: Tracked, n: Notices) -> Outcome {
    let t = ctx.lang.texts();
    let (stage, nature) = (r.stage, r.nature);
    let events = store.history(r.id).await?;
    // A duplicate merged into another follows that one: its stage, deadline and answer.
    let main = match (stage, r.merged_into) {
        (Stage::Merged, Some(id)) => store.tracked_by_id(id, ctx.lang).await?,
        _ => None,
    };
    let main_events = match &main {
        Some(m) => store.history(m.id).await?,
        None => Vec::new(),
    };
    let followed = main.as_ref().unwrap_or(&r);
    let last_main_note = |event: &str| {
        main_events
            .iter()
            .rev()
            .find(|e| e.event == event)
            .and_then(|e| e.note.clone().map(|n| (n, e.at)))
    };
    let last_note = |event: &str| {
        events
            .iter()
            .rev()
            .find(|e| e.event == event)
            .and_then(|e| e.note.clone().map(|n| (n, e.at)))
    };
    let analyst_return = matches!(stage, Stage::Returned | Stage::AwaitingTriage)
        .then(|| last_note("sent_back"))
        .flatten()
        .map(|(n, _)| n);
    let treatment = last_note("treated")
        .or_else(|| last_main_note("treated"))
        .map(|(note, at)| (note, date_fr(at)));
    let place = crate::i18n::place_words(
        ctx.lang,
        r.place.as_deref(),
        r.abroad_city.as_deref(),
        r.abroad_country.as_deref(),
    );
    let view = RequestView {
        code: r.code.clone(),
        nature: t.nature(nature),
        is_reclamation: nature == Nature::Reclamation,
        date: date_fr(r.created_at),
        theme: r.theme.clone(),
        place,
        body: r.body_name.clone(),
        stage_label: match &main {
            Some(m) => {
                format!("{} — {}", stage_label(ctx, &r, stage), stage_label(ctx, m, m.stage))
            }
            None => stage_label(ctx, &r, stage),
        },
        stage_number: followed.stage.number(),
        message: r.message.clone(),
        analyst_return,
        treatment,
        verdict: r.verdict.map(|v| t.track.verdict(v)),
        verdict_comment: r.verdict_comment.clone(),
        reply: last_note("clarified").map(|(n, _)| n),
        can_edit: stage::next(stage, Event::Edit, Role::Citizen, nature).is_ok(),
        can_judge: stage::next(stage, Event::Reopen, Role::Citizen, nature).is_ok(),
        version: r.version,
        due: due_date(followed, followed.stage)
            .map(|due| t.track.due_by.replace("{date}", &date_fr(due))),
        late: due_date(followed, followed.stage).is_some_and(|due| due < ctx.now()),
        taken: (followed.stage == Stage::TakenIntoAccount).then(|| {
            last_note("taken_into_account")
                .or_else(|| last_main_note("taken_into_account"))
                .map(|(n, _)| n)
        }),
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
    let mut response =
        with_cookie(respond::html(n.status.unwrap_or(200), page.render()?)?, cookie)?;
    // The page shows personal data: never stored by shared caches.
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    remember_bookmark(store, &mut response)?;
    Ok(response)
}
