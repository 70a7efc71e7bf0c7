//! One USSD screen: the number's session read with its counters (one round trip), the menu's
//! next turn (`domain::ussd`), the lists it pages read from the isolate's directory and the store,
//! its effect carried out through the intake door or the citizen's changes, and the session
//! written back with the answer (a retried callback gets that same answer).

use super::africastalking::UssdCall;
use crate::app::citizen_actions;
use crate::app::http::crypto::random_token;
use crate::app::intake::{self, directory, Attached, Caller, Intake, Key};
use crate::app::store::{Store, UssdRead};
use crate::app::Ctx;
use crate::domain::channel::{limits, Channel};
use crate::domain::directory::{PlaceKind, PlaceOption};
use crate::domain::gazetteer::Gazetteer;
use crate::domain::gsm7::to_gsm7;
use crate::domain::lang::Lang;
use crate::domain::rate_limit::{self, Window};
use crate::domain::submission::RawSubmission;
use crate::domain::text::fold;
use crate::domain::ussd::{
    self, input, Data, Effect, End, Facts, Item, Need, Reply, Session, Turn,
};
use crate::i18n::channels::{stage_words, ChannelTexts};

/// What «Mes requêtes» lists.
const MINE: i64 = 5;

/// The answer to a callback, whatever happens: a failure is logged and the handset told to try
/// again later (the session is left as it was, so a retry starts from the same step).
pub async fn answer(ctx: &Ctx, call: &UssdCall) -> String {
    match screen(ctx, call).await {
        Ok(text) => text,
        Err(e) => {
            crate::app::log::error("ussd", &format!("a USSD screen failed: {e}"));
            crate::web::ussd::render(&Reply::end(End::Unavailable), ctx.lang, "")
        }
    }
}

async fn screen(ctx: &Ctx, call: &UssdCall) -> worker::Result<String> {
    let store = Store::new(&ctx.env)?;
    let now = ctx.now();
    let window = Window::hour(now);
    let number = call.number.e164();
    let number_key = rate_limit::bucket("number", number);
    let session_key = rate_limit::bucket("ussd:session", &call.session_id);
    let short = ctx.settings.ussd_short_code.clone().unwrap_or_default();
    let UssdRead { counts, row, lang: remembered } = store
        .ussd_read(
            &number_key,
            &[
                rate_limit::bucket("ussd:screen", number),
                rate_limit::bucket("channel:client", &ctx.client),
            ],
            window.start,
        )
        .await?;
    let remembered = remembered.as_deref().and_then(Lang::parse);
    let shown_lang = remembered.unwrap_or(ctx.lang);
    let limited =
        |minutes| crate::web::ussd::render(&Reply::end(End::Limited(minutes)), shown_lang, &short);
    if counts[0] > limits::USSD_SCREENS_PER_HOUR
        || counts[1] > limits::CALLBACKS_PER_CLIENT_PER_HOUR
    {
        return Ok(limited(window.minutes_left(now)));
    }
    let stored =
        row.as_ref().and_then(|r| serde_json::from_str::<Session>(&r.state).ok().map(|s| (r, s)));
    let (mut session, inputs): (Session, Vec<&str>) = match &stored {
        Some((r, s)) if r.session_key == session_key => {
            if now - r.updated_at > ussd::IDLE_MS && s.step != ussd::Step::Done {
                let expired = Reply::end(End::Expired);
                return Ok(crate::web::ussd::render(&expired, s.lang(), &short));
            }
            match input::read(&call.text, Some(&r.seen)) {
                input::Input::Repeat => return Ok(r.answer.clone()),
                input::Input::Next(one) => (s.clone(), vec![one]),
                input::Input::Start(all) => (s.clone(), all),
            }
        }
        _ => {
            // A new session: counted per number first.
            let bucket = rate_limit::bucket("ussd:sessions", number);
            let opened = store.rate_limit_count(&[bucket], window.start).await?;
            if opened[0] > limits::USSD_SESSIONS_PER_HOUR {
                return Ok(limited(window.minutes_left(now)));
            }
            let dropped = stored
                .as_ref()
                .filter(|(r, _)| now - r.updated_at <= ussd::RESUME_MS)
                .map(|(_, s)| s.clone());
            let key = format!("ussd:{}", random_token(16)?);
            let inputs = match input::read(&call.text, None) {
                input::Input::Start(all) => all,
                _ => Vec::new(),
            };
            (Session::start(remembered, dropped, key), inputs)
        }
    };
    let mut lists =
        Lists { store: &store, number, data: Data::default(), session_lang: session.lang() };
    let mut reply = lists.show(&session).await?;
    for typed in inputs {
        lists.session_lang = session.lang();
        let turn = lists.advance(&session, typed).await?;
        session = turn.session;
        reply = match turn.effect {
            Some(effect) => {
                Reply::end(carry_out(ctx, &store, call, &session, effect, &mut lists).await?)
            }
            None => turn.reply,
        };
        if matches!(reply, Reply::End(_)) {
            break;
        }
    }
    let lang = session.lang();
    let text = crate::web::ussd::render(&reply, lang, &short);
    let state =
        serde_json::to_string(&session).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let chosen = session.lang.as_deref().filter(|l| Lang::parse(l) != remembered);
    store.ussd_write(&number_key, &session_key, &state, &call.text, &text, now, chosen).await?;
    Ok(text)
}

/// The lists the menu pages, read when it asks for them.
struct Lists<'a> {
    store: &'a Store,
    number: &'a str,
    data: Data,
    session_lang: Lang,
}

impl Lists<'_> {
    async fn show(&mut self, s: &Session) -> worker::Result<Reply> {
        for _ in 0..6 {
            match ussd::show(s, &self.data) {
                Ok(reply) => return Ok(reply),
                Err(need) => self.fill(need).await?,
            }
        }
        Err(worker::Error::RustError("a USSD screen kept needing lists".into()))
    }

    async fn advance(&mut self, s: &Session, typed: &str) -> worker::Result<Turn> {
        for _ in 0..6 {
            match ussd::advance(s, typed, &self.data) {
                Ok(turn) => return Ok(turn),
                Err(need) => self.fill(need).await?,
            }
        }
        Err(worker::Error::RustError("a USSD turn kept needing lists".into()))
    }

    async fn fill(&mut self, need: Need) -> worker::Result<()> {
        let lang = self.session_lang;
        let t = ChannelTexts::get(lang);
        match need {
            Need::Bodies => {
                let snapshot = directory::current(self.store).await?;
                let mut bodies: Vec<(String, Item)> = snapshot
                    .index
                    .bodies
                    .iter()
                    .map(|(id, name)| (fold(name), Item::new(*id, name)))
                    .collect();
                bodies.sort_by(|a, b| a.0.cmp(&b.0));
                self.data.bodies = Some(bodies.into_iter().map(|(_, i)| i).collect());
            }
            Need::Regions => {
                let places = directory::places(self.store).await?;
                let mut regions: Vec<Item> = regions(&places)
                    .iter()
                    .enumerate()
                    .map(|(i, name)| Item::new(i as i64 + 1, name))
                    .collect();
                regions.push(Item::new(0, t.other_place));
                self.data.regions = Some(regions);
            }
            Need::Places(region) => {
                let places = directory::places(self.store).await?;
                let names = regions(&places);
                let group = usize::try_from(region - 1).ok().and_then(|i| names.get(i));
                let mut found: Vec<(String, Item)> = places
                    .all()
                    .iter()
                    .filter(|p| listed(p) && places.region(p).map(|r| &r.name) == group)
                    .map(|p| (fold(&p.name), Item::new(p.id, &p.name)))
                    .collect();
                found.sort_by(|a, b| a.0.cmp(&b.0));
                self.data.places = Some(found.into_iter().map(|(_, i)| i).collect());
            }
            Need::Themes(body) => {
                let mut themes: Vec<Item> = self
                    .store
                    .themes(body, lang)
                    .await?
                    .iter()
                    .map(|t| Item::new(t.id, &t.label))
                    .collect();
                themes.push(Item::new(0, t.other_theme));
                self.data.themes = Some(themes);
            }
            Need::Mine => {
                let mine = self.store.handset_requests(self.number, MINE).await?;
                self.data.mine = Some(
                    mine.iter()
                        .map(|r| {
                            Item::new(r.id, &format!("{} {}", r.code, stage_words(lang, r.stage)))
                        })
                        .collect(),
                );
            }
            Need::Request(id) => {
                let request = self.store.handset_request(id, self.number).await?;
                self.data.request = Some(request.map(|r| Facts {
                    code: r.code,
                    nature: r.nature,
                    body: r.body_name,
                    stage: r.stage,
                    treated_at: r.treated_at,
                    answer: r.answer.as_deref().map(to_gsm7).filter(|a| !a.trim().is_empty()),
                }));
            }
        }
        Ok(())
    }
}

/// Places one chooses from a list: communes and sous-préfectures (towns and villages are found by
/// name on the web form, never listed).
fn listed(p: &PlaceOption) -> bool {
    matches!(p.kind, PlaceKind::Commune | PlaceKind::SousPrefecture)
}

/// The régions (and the autonomous districts that act as régions) above the listed places, by name.
fn regions(places: &Gazetteer) -> Vec<String> {
    let mut names: Vec<&str> = places
        .all()
        .iter()
        .filter(|p| listed(p))
        .filter_map(|p| places.region(p).map(|r| r.name.as_str()))
        .collect();
    names.sort_by_key(|n| fold(n));
    names.dedup();
    names.into_iter().map(str::to_owned).collect()
}

/// Carries out what the menu decided; the last screen says how it went.
async fn carry_out(
    ctx: &Ctx,
    store: &Store,
    call: &UssdCall,
    s: &Session,
    effect: Effect,
    lists: &mut Lists<'_>,
) -> worker::Result<End> {
    let number = call.number.e164();
    let lang = s.lang();
    let now = ctx.now();
    match effect {
        Effect::Submit => {
            let d = &s.draft;
            let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            let raw = RawSubmission {
                body: id(d.body),
                nature: d.nature.clone().unwrap_or_default(),
                place: id(d.place),
                theme: id(d.theme),
                message: d.message.clone(),
                phone: number.to_owned(),
                // Sending from the confirmation screen says «j'accepte les conditions».
                terms: true,
                ..RawSubmission::default()
            };
            let intake = Intake {
                raw: &raw,
                files: Attached::Uploaded(&[]),
                channel: Channel::Ussd,
                caller: Caller::Handset { number, lang },
                key: Key::Form(&s.key),
                position: None,
                address: None,
                note: None,
                links: &[],
                extra: "",
            };
            Ok(match intake::submit(ctx, store, &intake).await? {
                intake::Outcome::Created(r) | intake::Outcome::Replayed(r) => {
                    End::Submitted(r.nature, r.code.to_string())
                }
                intake::Outcome::Refused(errors) => {
                    let fields: Vec<&str> = errors.iter().map(|(f, _)| f.name()).collect();
                    crate::app::log::warn(
                        "ussd",
                        &format!("a USSD submission refused: {}", fields.join(", ")),
                    );
                    End::Refused
                }
                intake::Outcome::Limited(minutes) => End::Limited(minutes),
            })
        }
        Effect::Verdict(_) | Effect::Reopen(_) => {
            lists.fill(Need::Request(s.request.unwrap_or_default())).await?;
            let code = lists.data.request.clone().flatten().map(|f| f.code);
            let tracked = match code.as_deref().map(crate::domain::code::RequestCode::parse) {
                Some(Ok(code)) => store.tracked(code, lang).await?,
                _ => None,
            };
            let Some(r) = tracked else { return Ok(End::Conflict) };
            let (change, done) = match &effect {
                Effect::Verdict(v) => (
                    citizen_actions::verdict_change(&r, *v, None, r.version, now),
                    End::VerdictGiven,
                ),
                Effect::Reopen(reason) => (
                    citizen_actions::reopen_change(store, &r, reason, r.version, now).await?,
                    End::Reopened,
                ),
                _ => (None, End::Conflict),
            };
            Ok(match change {
                Some(change) if citizen_actions::apply(&ctx.env, store, &change).await? => done,
                _ => End::Conflict,
            })
        }
        Effect::SendCodes => {
            let answers = store
                .rate_limit_count(&[rate_limit::bucket("answers", number)], Window::hour(now).start)
                .await?;
            if answers[0] > limits::ANSWERS_PER_HOUR {
                return Ok(End::Limited(Window::hour(now).minutes_left(now)));
            }
            citizen_actions::send_codes(&ctx.env, store, "sms", number, lang.code(), now).await?;
            Ok(End::CodesSent)
        }
    }
}
