//! The workspace home: the queues of this person's role (counted, paged, sorted, filtered, the
//! choices kept in the URL), the search box's results, and bulk actions on queue rows.

use askama::Template;
use worker::Request;

use super::{to_sign_in, visible_request};
use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::form::{entries, field};
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::http::staff_session::{current_staff, may_see_contacts, nav};
use crate::app::http::staff_session::{May, StaffPost};
use crate::app::staff_change::{self, Action, Refusal};
use crate::app::store::{QueueLine, Scope, Store};
use crate::app::Ctx;
use crate::domain::channel::Channel;
use crate::domain::code::RequestCode;
use crate::domain::nature::Nature;
use crate::domain::notice::Cadence;
use crate::domain::queue::{days_late, Queue, SearchQuery, Sort, PER_PAGE};
use crate::domain::staff_action::StaffAction;
use crate::domain::time::date_fr;
use crate::i18n::staff::{cadence_label, staff_stage};
use crate::i18n::workspace as words;
use crate::web::agent::{BulkLine, QueuePage, QueueRow, QueueTab};
use crate::web::href;

const DAY_MS: i64 = 24 * 3600 * 1000;
/// At most this many requests in one bulk action.
const BULK_MAX: usize = 50;

/// The filters of the URL, validated: (nature, body, channel, age in days).
struct Filters {
    nature: Option<Nature>,
    body: Option<i64>,
    channel: Option<&'static str>,
    age: Option<i64>,
    /// Only those past their deadline (`retard=1`).
    late: bool,
}

impl Filters {
    fn read(ctx: &Ctx) -> Filters {
        let q = &ctx.query;
        Filters {
            nature: q.get("nature").and_then(|n| Nature::parse(n).ok()),
            body: q.get("organisme").and_then(|v| v.parse().ok()),
            channel: q
                .get("canal")
                .and_then(|c| Channel::ALL.map(|k| k.slug()).into_iter().find(|k| *k == c)),
            age: q
                .get("age")
                .and_then(|a| a.parse::<i64>().ok())
                .filter(|a| [7, 15, 30].contains(a)),
            late: q.get("retard") == Some("1"),
        }
    }

    /// The query pairs that keep these filters in a link.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(n) = self.nature {
            out.push(("nature", n.slug().to_owned()));
        }
        if let Some(b) = self.body {
            out.push(("organisme", b.to_string()));
        }
        if let Some(c) = self.channel {
            out.push(("canal", c.to_owned()));
        }
        if let Some(a) = self.age {
            out.push(("age", a.to_string()));
        }
        if self.late {
            out.push(("retard", "1".to_owned()));
        }
        out
    }
}

fn link(pairs: &[(&'static str, String)]) -> String {
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    href("/agent", &borrowed)
}

fn row(ctx: &Ctx, l: QueueLine) -> QueueRow {
    let t = ctx.lang.texts();
    let now = ctx.now();
    let place = crate::i18n::place_words(
        ctx.lang,
        l.place.as_deref(),
        l.abroad_city.as_deref(),
        l.abroad_country.as_deref(),
    )
    .unwrap_or_else(|| t.work.no_place.to_owned());
    QueueRow {
        code: l.code,
        version: l.version,
        nature: t.nature(l.nature),
        body: l.body_name,
        received: date_fr(l.created_at),
        age: words::age(ctx.lang, (now - l.created_at).max(0) / DAY_MS),
        channel: words::channel_label(ctx.lang, &l.channel),
        stage: staff_stage(ctx.lang, l.stage),
        due: l.due_at.map(date_fr).unwrap_or_default(),
        late_by: l
            .due_at
            .filter(|due| *due < now)
            .map(|due| words::late_by(ctx.lang, days_late(due, now))),
        excerpt: l.excerpt,
        theme: l.theme,
        place,
        verdict: l.verdict.map(|v| t.track.verdict(v)),
        reopened: l.reopened == 1,
        reopen_reason: l.reopen_reason.filter(|_| l.reopened == 1),
        holder: l.assignee,
        followers: l.followers,
    }
}

/// The report of a bulk action, from the URL it redirected to.
fn report(ctx: &Ctx) -> Vec<BulkLine> {
    let t = &ctx.lang.texts().work;
    let Some(action) = ctx.query.get("lot").and_then(StaffAction::parse) else { return Vec::new() };
    let codes = |key: &str| {
        ctx.query
            .get(key)
            .unwrap_or("")
            .split(',')
            .filter_map(|c| c.split_once('~').map_or(Some((c, "")), Some))
            .filter_map(|(c, why)| {
                RequestCode::parse(c).ok().map(|c| (c.to_string(), why.to_owned()))
            })
            .take(BULK_MAX)
            .collect::<Vec<_>>()
    };
    let mut out: Vec<BulkLine> = codes("faits")
        .into_iter()
        .map(|(code, _)| BulkLine { code, outcome: words::bulk_done(ctx.lang, action), done: true })
        .collect();
    out.extend(codes("refuses").into_iter().map(|(code, why)| BulkLine {
        code,
        outcome: match why.as_str() {
            "version" => t.bulk_refused_version,
            "perimetre" => t.bulk_refused_scope,
            _ => t.bulk_refused_rule,
        },
        done: false,
    }));
    out
}

/// GET /agent[?file=…&tri=…&page=…&nature=…&organisme=…&canal=…&age=…] — a queue;
/// GET /agent?q=… — the search results within the person's scope.
pub async fn home(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(staff) = current_staff(ctx, &store).await? else { return to_sign_in() };
    if let Some(format) = ctx.query.get("format") {
        let store = store.for_client(&ctx.client_ip);
        return super::export::queue(ctx, store, &staff, format).await;
    }
    let t = ctx.lang.texts();
    let queues = Queue::for_role(staff.role);
    let filters = Filters::read(ctx);
    let bodies_scope = staff.queue_bodies();
    let scope = Scope {
        bodies: bodies_scope.as_deref(),
        nature: filters.nature,
        body: filters.body,
        channel: filters.channel,
        received_before: filters.age.map(|days| ctx.now() - days * DAY_MS),
        late_at: filters.late.then(|| ctx.now()),
        me: Some(staff.id),
    };
    let page = ctx
        .query
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1);
    let q = ctx.query.get("q").unwrap_or("").trim().to_owned();
    let searching = !q.is_empty() && !queues.is_empty();
    let mut base = filters.pairs();
    let (mut error, mut tabs, mut sorts) = (None, Vec::new(), Vec::new());
    let (title, hint, queue, sort, lines, total, empty);
    if searching {
        base.push(("q", q.clone()));
        (title, hint, queue, sort, empty) =
            (t.work.search_title.to_owned(), "", None, Sort::Update, t.work.search_none);
        (lines, total) = match SearchQuery::parse(&q) {
            Some(query) => store.search(&query, &scope, may_see_contacts(&staff), page).await?,
            None => {
                error = Some(t.work.search_invalid);
                (Vec::new(), 0)
            }
        };
    } else if let Some(first) = queues.first() {
        let shown = ctx
            .query
            .get("file")
            .and_then(Queue::parse)
            .filter(|q| queues.contains(q))
            .unwrap_or(*first);
        let chosen = ctx.query.get("tri").and_then(Sort::parse).unwrap_or(shown.default_sort());
        let read = store.queue_page(shown, &scope, chosen, page, queues).await?;
        for (q, count) in queues.iter().zip(&read.counts) {
            let mut pairs = vec![("file", q.slug().to_owned())];
            pairs.extend(filters.pairs());
            tabs.push(QueueTab {
                title: words::queue_title(ctx.lang, *q),
                count: *count,
                current: *q == shown,
                href: link(&pairs),
            });
        }
        sorts = Sort::ALL.iter().map(|s| (s.slug(), words::sort_label(ctx.lang, *s))).collect();
        base.insert(0, ("file", shown.slug().to_owned()));
        if chosen != shown.default_sort() {
            base.push(("tri", chosen.slug().to_owned()));
        }
        total = queues
            .iter()
            .position(|q| *q == shown)
            .and_then(|i| read.counts.get(i).copied())
            .unwrap_or(0);
        (title, hint, queue, sort, lines, empty) = (
            words::queue_title(ctx.lang, shown).to_owned(),
            words::queue_hint(ctx.lang, shown),
            Some(shown),
            chosen,
            read.lines,
            t.agent.queue_empty,
        );
    } else {
        (title, hint, queue, sort, lines, total, empty) =
            (t.agent.title.to_owned(), "", None, Sort::Update, Vec::new(), 0, "");
    }
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page_link = |p: i64| {
        let mut pairs = base.clone();
        pairs.push(("page", p.to_string()));
        link(&pairs)
    };
    let bodies = store
        .active_bodies()
        .await?
        .into_iter()
        .filter(|b| staff.sees_body(b.id))
        .map(|b| (b.id, b.name))
        .collect();
    let (csrf, cookie) = csrf::token(ctx)?;
    let page_view = QueuePage {
        c: ctx.chrome(""),
        s: Some(nav(&staff, "queues", &csrf, &q)),
        csrf,
        tabs,
        queue: queue.map_or("", Queue::slug),
        title,
        hint,
        total_label: words::requests_count(ctx.lang, total),
        rows: lines.into_iter().map(|l| row(ctx, l)).collect(),
        bulk: queue.is_some_and(Queue::bulk),
        show_verdict: queue
            .is_none_or(|q| matches!(q, Queue::Answered | Queue::Verdicts | Queue::Open)),
        bodies,
        filter_body: filters.body,
        filter_nature: filters.nature.map_or("", Nature::slug).to_owned(),
        filter_channel: filters.channel.unwrap_or("").to_owned(),
        filter_age: filters.age,
        sort: sort.slug(),
        sorts,
        page_label: words::page_of(ctx.lang, page.min(pages), pages),
        prev_href: (page > 1).then(|| page_link(page.min(pages + 1) - 1)),
        next_href: (page < pages).then(|| page_link(page + 1)),
        error: error.or(match ctx.query.get("erreur") {
            Some("lot") => Some(t.work.bulk_none),
            Some("absence") => Some(crate::i18n::office::texts(ctx.lang).absence_invalid),
            _ => None,
        }),
        empty,
        report: report(ctx),
        notice: match ctx.query.get("enregistre") {
            Some("notifications") => Some(t.staff.prefs_saved),
            Some("absence") => Some(crate::i18n::office::texts(ctx.lang).absence_saved),
            _ => None,
        },
        cadence: store.notify_pref(staff.id).await?.unwrap_or_default(),
        cadences: Cadence::ALL.iter().map(|c| (c.slug(), cadence_label(ctx.lang, *c))).collect(),
        phone_only: queues.is_empty(),
        o: crate::i18n::office::texts(ctx.lang),
        filter_late: filters.late,
        exports: (!queues.is_empty()).then(|| {
            let with = |format: &str| {
                let mut pairs = base.clone();
                pairs.push(("format", format.to_owned()));
                link(&pairs)
            };
            (with("csv"), with("xlsx"))
        }),
        away: store.away_until(staff.id, ctx.now()).await?.map(|until| {
            crate::i18n::office::texts(ctx.lang).absence_now.replace("{date}", &date_fr(until - 1))
        }),
        dashboard: !queues.is_empty(),
    };
    let mut response = with_cookie(respond::html(200, page_view.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}

/// POST /agent/lot — one action (forward, reassign) on the ticked rows: each request goes through
/// the same checks and batch as on its own page; the report says what was done to which.
pub async fn bulk(ctx: &Ctx, mut req: Request) -> Outcome {
    let StaffPost { staff, form, store } = match StaffPost::read(ctx, &mut req, May::AnyStaff).await
    {
        Ok(post) => post,
        Err(answer) => return answer,
    };
    let queue = Queue::parse(&field(&form, "file")).unwrap_or(Queue::ToTriage);
    let action = StaffAction::parse(&field(&form, "action"))
        .filter(|a| matches!(a, StaffAction::Forward | StaffAction::Reassign));
    let body_id = field(&form, "organisme").parse::<i64>().ok();
    // «CODE.VERSION»: the version each row showed, so nothing changed meanwhile is touched.
    let picked: Vec<(String, i64)> = entries(&form, "requetes")
        .iter()
        .filter_map(|v| v.split_once('.'))
        .filter_map(|(code, version)| {
            Some((RequestCode::parse(code).ok()?.to_string(), version.parse().ok()?))
        })
        .take(BULK_MAX)
        .collect();
    let back = format!("/agent?file={}", queue.slug());
    let Some(action) =
        action.filter(|a| !picked.is_empty() && (*a != StaffAction::Reassign || body_id.is_some()))
    else {
        return Ok(respond::redirect(&format!("{back}&erreur=lot"))?);
    };
    let (mut done, mut refused) = (Vec::new(), Vec::new());
    for (code, version) in picked {
        let Ok(r) = visible_request(ctx, &store, &staff, &code).await else {
            refused.push(format!("{code}~perimetre"));
            continue;
        };
        let a = Action { action, note: None, version, body_id, staff_files: None, other: None };
        match staff_change::perform(ctx, &store, &staff, &r, &a).await? {
            Ok(()) => done.push(code),
            Err(Refusal::Version) => refused.push(format!("{code}~version")),
            Err(Refusal::Rule | Refusal::Message | Refusal::Holding(_) | Refusal::Merging(_)) => {
                refused.push(format!("{code}~regle"))
            }
        }
    }
    let location = format!(
        "{back}&lot={}&faits={}&refuses={}#rapport",
        action.slug(),
        done.join(","),
        refused.join(",")
    );
    Ok(respond::redirect(&location)?)
}
