//! An SMS to Miliê's number: counted per number (and answers with it) before anything else, read
//! by the keyword parser (`domain::sms_command`), acted on through the citizen's changes — only on
//! this number's requests: a wrong code and another number's answer the same «code inconnu» — and
//! answered by one SMS through the outbox (its words gathered when it leaves). A message the
//! gateway sends twice (the same `id`) is answered once.

use super::africastalking::InboundSms;
use crate::app::citizen_actions;
use crate::app::delivery::notifier;
use crate::app::http::crypto::sha256_hex;
use crate::app::store::{HandsetRequest, Store};
use crate::app::Ctx;
use crate::domain::channel::limits;
use crate::domain::code::RequestCode;
use crate::domain::lang::Lang;
use crate::domain::notification::Template;
use crate::domain::rate_limit::{self, Window};
use crate::domain::sms_command::{self, Answer, Command};
use crate::domain::stage::{Stage, Verdict};
use crate::domain::text_field::Message;
use crate::notify::Payload;

/// Acts on the SMS and queues its answer.
pub async fn receive(ctx: &Ctx, sms: &InboundSms) -> worker::Result<()> {
    let store = Store::new(&ctx.env)?;
    let now = ctx.now();
    let window = Window::hour(now);
    let number = sms.from.e164();
    let number_key = rate_limit::bucket("number", number);
    let (counts, remembered) = store
        .sms_read(
            &number_key,
            &[
                rate_limit::bucket("sms:in", number),
                rate_limit::bucket("answers", number),
                rate_limit::bucket("channel:client", &ctx.client),
            ],
            window.start,
        )
        .await?;
    let parsed = sms_command::parse(&sms.text);
    let lang =
        parsed.lang.or_else(|| remembered.as_deref().and_then(Lang::parse)).unwrap_or(Lang::Fr);
    let reply = Reply { ctx, store: &store, number, lang, message_id: &sms.id, now };
    if counts[2] > limits::CALLBACKS_PER_CLIENT_PER_HOUR {
        return Ok(());
    }
    if counts[0] > limits::SMS_IN_PER_HOUR || counts[1] > limits::ANSWERS_PER_HOUR {
        // Answered once, when the limit is reached; nothing is done.
        if counts[0] == limits::SMS_IN_PER_HOUR + 1 {
            let minutes = window.minutes_left(now).to_string();
            let key = format!("limited:{}:{}", number_key, window.start);
            reply.send_keyed(&key, Answer::Limited, None, Some(minutes)).await?;
        }
        crate::app::log::warn("sms", "an inbound SMS over its number's hourly limit, not acted on");
        return Ok(());
    }
    let (answer, about) = act(ctx, &store, number, lang, parsed.command).await?;
    match answer {
        Some(answer) => reply.send(answer, about.as_ref()).await,
        None => Ok(()),
    }
}

/// What the command does; the answer to send (None: its change sends its own message) and the
/// request it is about.
async fn act(
    ctx: &Ctx,
    store: &Store,
    number: &str,
    lang: Lang,
    command: Command,
) -> worker::Result<(Option<Answer>, Option<HandsetRequest>)> {
    let mine = |code: Option<RequestCode>| async move {
        match code {
            Some(code) => store.handset_request_by_code(code, Some(number)).await,
            None => Ok(None),
        }
    };
    let now = ctx.now();
    Ok(match command {
        Command::Help => (Some(Answer::Help), None),
        Command::Codes => {
            let sent =
                citizen_actions::send_codes(&ctx.env, store, "sms", number, lang.code(), now)
                    .await?;
            (if sent { None } else { Some(Answer::NoCodes) }, None)
        }
        Command::Track(code) => match mine(code).await? {
            Some(r) => (Some(Answer::Status), Some(r)),
            None => (Some(Answer::UnknownCode), None),
        },
        Command::Verdict { code, verdict } => match (mine(code).await?, verdict) {
            (None, _) => (Some(Answer::UnknownCode), None),
            (Some(r), None) => (Some(Answer::VerdictRequired), Some(r)),
            (Some(r), Some(v)) => (Some(judge(ctx, store, &r, v, lang).await?), Some(r)),
        },
        Command::BareVerdict(v) => {
            let mut awaiting = store.awaiting_verdict_of(number).await?;
            match (awaiting.pop(), awaiting.is_empty()) {
                (None, _) => (Some(Answer::NoneAwaiting), None),
                (Some(_), false) => (Some(Answer::Which), None),
                (Some(r), true) => (Some(judge(ctx, store, &r, v, lang).await?), Some(r)),
            }
        }
        Command::Reopen { code, reason } => match mine(code).await? {
            None => (Some(Answer::UnknownCode), None),
            Some(r) if r.stage != Stage::Treated => (Some(Answer::NotAwaiting), Some(r)),
            Some(r) => match Message::parse(&reason) {
                Err(_) => (Some(Answer::ReasonRequired), Some(r)),
                Ok(reason) => {
                    let reopened = match tracked(store, &r, lang).await? {
                        Some(t) => match citizen_actions::reopen_change(
                            store,
                            &t,
                            reason.as_str(),
                            t.version,
                            now,
                        )
                        .await?
                        {
                            Some(change) => {
                                citizen_actions::apply(&ctx.env, store, &change).await?
                            }
                            None => false,
                        },
                        None => false,
                    };
                    // Reopened, the change's own message answers («votre requête est relancée»).
                    (if reopened { None } else { Some(Answer::NotAwaiting) }, Some(r))
                }
            },
        },
    })
}

async fn tracked(
    store: &Store,
    r: &HandsetRequest,
    lang: Lang,
) -> worker::Result<Option<crate::app::store::Tracked>> {
    match RequestCode::parse(&r.code) {
        Ok(code) => store.tracked(code, lang).await,
        Err(_) => Ok(None),
    }
}

/// The verdict on `r`, if it awaits one.
async fn judge(
    ctx: &Ctx,
    store: &Store,
    r: &HandsetRequest,
    verdict: Verdict,
    lang: Lang,
) -> worker::Result<Answer> {
    if r.stage != Stage::Treated {
        return Ok(Answer::NotAwaiting);
    }
    let Some(t) = tracked(store, r, lang).await? else { return Ok(Answer::NotAwaiting) };
    let given = match citizen_actions::verdict_change(&t, verdict, None, t.version, ctx.now()) {
        Some(change) => citizen_actions::apply(&ctx.env, store, &change).await?,
        None => false,
    };
    Ok(if given { Answer::VerdictGiven } else { Answer::NotAwaiting })
}

/// Sends answers to one inbound SMS.
struct Reply<'a> {
    ctx: &'a Ctx,
    store: &'a Store,
    number: &'a str,
    lang: Lang,
    message_id: &'a str,
    now: i64,
}

impl Reply<'_> {
    /// The answer to this message (keyed by it: a message received twice is answered once).
    async fn send(&self, answer: Answer, about: Option<&HandsetRequest>) -> worker::Result<()> {
        let key = sha256_hex(&format!("{}\n{}", self.number, self.message_id));
        self.send_keyed(&key, answer, about.filter(|_| answer.about_request()), None).await
    }

    async fn send_keyed(
        &self,
        key: &str,
        answer: Answer,
        about: Option<&HandsetRequest>,
        minutes: Option<String>,
    ) -> worker::Result<()> {
        let payload = serde_json::to_string(&Payload {
            event: Some(answer.slug().to_owned()),
            deadline: minutes,
            ..Default::default()
        })
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
        let key = format!("{}:{key}", Template::ChannelReply.slug());
        let written = self
            .store
            .insert_outbox_once(
                &key,
                about.map(|r| r.id),
                "sms",
                self.number,
                Template::ChannelReply,
                self.lang.code(),
                &payload,
                self.now,
            )
            .await?;
        if let Some(id) = written {
            notifier::enqueue(&self.ctx.env, &[id]).await;
        }
        Ok(())
    }
}
