//! The answer to a citizen's SMS (or to the USSD menu's «codes by SMS»): its kind is in the
//! outbox row, its words are gathered now — for an answer about a request, from the request as it
//! stands when the SMS leaves (the outbox never holds the code, the stage or the answer).

use super::Rendering;
use crate::app::delivery::providers::Outcome;
use crate::app::settings::Settings;
use crate::domain::code::RequestCode;
use crate::domain::sms_command::Answer;
use crate::i18n::channels::{sms_answer, AnswerFacts};
use crate::notify::Payload;

pub(super) async fn gather(r: &Rendering<'_>, payload: &mut Payload) -> Result<String, Outcome> {
    let answer = payload
        .event
        .as_deref()
        .and_then(Answer::parse)
        .ok_or_else(|| Outcome::Permanent("a channel answer without its kind".into()))?;
    let request = match answer {
        Answer::Status | Answer::NotAwaiting => {
            let code = RequestCode::parse(&payload.code)
                .map_err(|_| Outcome::Permanent("an answer about a request without it".into()))?;
            r.store
                .handset_request_by_code(code, None)
                .await
                .map_err(|e| Outcome::Temporary(format!("reading the request: {e}")))?
        }
        _ => None,
    };
    let facts = request.as_ref().map(|q| AnswerFacts {
        nature: q.nature,
        stage: q.stage,
        answer: q.answer.as_deref(),
    });
    let settings = Settings::read(r.env);
    let short = settings.ussd_short_code.unwrap_or_default();
    let minutes = payload.deadline.clone().unwrap_or_default();
    payload.note =
        Some(sms_answer(r.lang, answer, &payload.code, facts.as_ref(), &short, &minutes));
    Ok(format!("{}/suivi", r.base))
}
