//! The supervisor's dashboard (`/agent/tableau-de-bord`): per body or for all bodies of one's
//! scope, the open and late requests now and, week by week over a period, what was received,
//! answered, on time, how long it took, the verdicts, reopenings and merged duplicates — drawn
//! as SVG bars and given as a table for screen readers; each figure links to its queue. The same
//! table exports with `?format=csv|xlsx`.

use askama::Template;

use crate::app::http::csrf;
use crate::app::http::error::Outcome;
use crate::app::http::export;
use crate::app::http::respond::{self, with_cookie};
use crate::app::http::staff_session::{current_staff, nav};
use crate::app::store::Store;
use crate::app::{AppError, Ctx};
use crate::domain::audit::{Action, Entry};
use crate::domain::dashboard::{bars, default_period, weekly, Figures};
use crate::domain::export::{file_name, write_all, Cell, Format};
use crate::domain::queue::Queue;
use crate::domain::staff::Staff;
use crate::domain::time::{day_iso, parse_day};
use crate::i18n::office_admin::{texts, OfficeAdminTexts};
use crate::i18n::Lang;
use crate::web::office::{Bar, DashboardPage, WeekRow};

const DAY_MS: i64 = 86_400_000;
/// At most a year of weeks on one page.
const MAX_DAYS: i64 = 371;

/// A link into the queue behind a figure, when this person has that queue.
fn queue_link(staff: &Staff, queue: Queue, body: Option<i64>, extra: &str) -> Option<String> {
    Queue::for_role(staff.role).contains(&queue).then(|| {
        let body = body.map(|b| format!("&organisme={b}")).unwrap_or_default();
        format!("/agent?file={}{body}{extra}", queue.slug())
    })
}

fn headers(o: &OfficeAdminTexts) -> Vec<&'static str> {
    vec![
        o.col_week,
        o.received,
        o.answered,
        o.on_time,
        o.median,
        o.p90,
        o.satisfied,
        o.partly,
        o.not_satisfied,
        o.without_verdict,
        o.reopened,
        o.merged,
    ]
}

fn cells(week: i64, f: &Figures) -> Vec<Cell> {
    let opt = |v: Option<i64>| v.map_or(Cell::Empty, Cell::Number);
    vec![
        Cell::from(day_iso(week * DAY_MS)),
        Cell::Number(f.received),
        Cell::Number(f.answered),
        opt(f.on_time_percent()),
        opt(f.median_days),
        opt(f.p90_days),
        Cell::Number(f.satisfied),
        Cell::Number(f.partly),
        Cell::Number(f.not_satisfied),
        Cell::Number(f.without_verdict),
        Cell::Number(f.reopened),
        Cell::Number(f.merged),
    ]
}

fn row(lang: Lang, week: i64, f: &Figures) -> WeekRow {
    let o = texts(lang);
    let days = |d: Option<i64>| d.map_or(o.none.to_owned(), |d| format!("{d} {}", o.days));
    WeekRow {
        week: crate::domain::time::date_fr(week * DAY_MS),
        received: f.received,
        answered: f.answered,
        on_time: f.on_time_percent().map_or(o.none.to_owned(), |p| format!("{p} %")),
        median: days(f.median_days),
        p90: days(f.p90_days),
        verdicts: [f.satisfied, f.partly, f.not_satisfied, f.without_verdict],
        reopened: f.reopened,
        merged: f.merged,
    }
}

/// GET /agent/tableau-de-bord[?organisme=…&du=…&au=…&format=csv|xlsx]
pub async fn page(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?.for_client(&ctx.client_ip);
    let Some(staff) = current_staff(ctx, &store).await? else {
        return Ok(respond::redirect("/agent/connexion")?);
    };
    if Queue::for_role(staff.role).is_empty() {
        return Err(AppError::Forbidden);
    }
    let (lang, now) = (ctx.lang, ctx.now());
    let o = texts(lang);
    let today = now.div_euclid(DAY_MS);
    let body = match ctx.query.get("organisme").filter(|v| !v.is_empty()) {
        Some(v) => Some(
            v.parse::<i64>().ok().filter(|b| staff.sees_body(*b)).ok_or(AppError::BadRequest)?,
        ),
        None => None,
    };
    let bodies: Option<Vec<i64>> = body.map(|b| vec![b]).or_else(|| staff.queue_bodies());
    let day = |key: &str| ctx.query.get(key).filter(|v| !v.is_empty()).map(parse_day);
    let (mut from, mut to) = default_period(today);
    let mut bad_period = false;
    match (day("du"), day("au")) {
        (None, None) => {}
        (a, b) => match (a.unwrap_or(Some(from)), b.unwrap_or(Some(to))) {
            (Some(a), Some(b)) if a <= b && b - a <= MAX_DAYS => (from, to) = (a, b),
            _ => bad_period = true,
        },
    }
    let facts = store
        .dashboard_facts(&day_iso(from * DAY_MS), &day_iso(to * DAY_MS), bodies.as_deref())
        .await?;
    let weeks = weekly(from, to, &facts);
    let total = Figures::from_facts(facts.iter().map(|(_, f)| f));
    if let Some(format) = ctx.query.get("format") {
        let format = Format::parse(format).ok_or(AppError::BadRequest)?;
        let mut rows: Vec<Vec<Cell>> = weeks.iter().map(|(w, f)| cells(*w, f)).collect();
        let mut all = cells(from, &total);
        all[0] = Cell::from(format!("{} – {}", day_iso(from * DAY_MS), day_iso(to * DAY_MS)));
        rows.push(all);
        let target = body.map_or_else(
            || "tableau de bord".to_owned(),
            |b| format!("tableau de bord organisme {b}"),
        );
        store
            .record(
                &Entry::new(staff.id, Action::Export, target).detail(ctx.query.without("lang")),
                now,
            )
            .await?;
        let bytes = write_all(format, o.dashboard_title, &headers(o), &rows, now);
        return Ok(export::whole(format, &file_name("tableau-de-bord", now, format), bytes)?);
    }
    let live = store.dashboard_live(bodies.as_deref(), now).await?;
    let chart = |values: Vec<i64>| -> Vec<Bar> {
        let heights = bars(&values, 120);
        weeks
            .iter()
            .zip(values.iter().zip(heights))
            .enumerate()
            .map(|(i, ((w, _), (v, h)))| Bar {
                x: 40 + i as i64 * 24,
                y: 140 - h,
                h,
                value: *v,
                label: crate::domain::time::date_fr(w * DAY_MS),
            })
            .collect()
    };
    let bodies_list = store
        .active_bodies()
        .await?
        .into_iter()
        .filter(|b| staff.sees_body(b.id))
        .map(|b| (b.id, b.name))
        .collect::<Vec<_>>();
    let (csrf, cookie) = csrf::token(ctx)?;
    let query = ctx.query.without("format");
    let link = |format: &str| {
        format!(
            "/agent/tableau-de-bord?{query}{}format={format}",
            if query.is_empty() { "" } else { "&" }
        )
    };
    let view = DashboardPage {
        c: ctx.chrome(""),
        s: Some(nav(&staff, "queues", &csrf, "")),
        o,
        w: crate::i18n::office::texts(lang),
        all_bodies: bodies_list.len() > 1,
        bodies: bodies_list,
        body,
        from: day_iso(from * DAY_MS),
        to: day_iso(to * DAY_MS),
        bad_period,
        open: live.open.unwrap_or(0),
        late: live.late.unwrap_or(0),
        held: live.held.unwrap_or(0),
        open_href: queue_link(&staff, Queue::Open, body, ""),
        late_href: queue_link(&staff, Queue::Open, body, "&retard=1"),
        answered_href: queue_link(&staff, Queue::Answered, body, ""),
        reopened_href: queue_link(&staff, Queue::Reopened, body, ""),
        total: row(lang, from, &total),
        received_bars: chart(weeks.iter().map(|(_, f)| f.received).collect()),
        answered_bars: chart(weeks.iter().map(|(_, f)| f.answered).collect()),
        width: 60 + weeks.len() as i64 * 24,
        weeks: weeks.iter().map(|(w, f)| row(lang, *w, f)).collect(),
        csv: link("csv"),
        xlsx: link("xlsx"),
    };
    let mut response = with_cookie(respond::html(200, view.render()?)?, cookie)?;
    response.headers_mut().set("Cache-Control", "private, no-store")?;
    Ok(response)
}
