//! STATISTIQUES with its open data: figures per body and overall over a period, and per région
//! and département, read from the daily rollups (never from `requests`), small counts suppressed.
//! Served by the back office (the citizens' worker hands `/statistiques` over, as `/agent`): it
//! is read-only and cached at the edge, and keeps the citizens' worker small.

use askama::Template;
use serde_json::{json, Value};
use worker::{Headers, Response};

use super::Outcome;
use crate::app::http::cache::{self, Ttl};
use crate::app::http::respond;
use crate::app::store::{BodyFacts, StatsLabels, Store};
use crate::app::{AppError, Ctx};
use crate::domain::stats::{by_area, Count, Fact, Period, Summary};
use crate::domain::text::csv_line;
use crate::domain::time::{date_fr, day_iso};
use crate::i18n::Texts;
use crate::web::href;
use crate::web::public::{nature_label, stage_label, verdict_label, AreaTable, Chart, StatsPage};

const DAY_MS: i64 = 86_400_000;

/// The filters of the statistics: body (None = all) and period; `bad` when the asked period was
/// refused and the default is shown.
struct Query {
    body: Option<i64>,
    period: Period,
    bad: bool,
}

fn query(ctx: &Ctx) -> Query {
    let today = ctx.now().div_euclid(DAY_MS);
    let (period, bad) = match Period::parse(
        ctx.query.get("du").unwrap_or(""),
        ctx.query.get("au").unwrap_or(""),
        today,
    ) {
        Ok(p) => (p, false),
        Err(p) => (p, true),
    };
    // A body that is not a number is as bad a filter as a period that is not one.
    let body = ctx.query.get("organisme").map(str::trim).filter(|b| !b.is_empty());
    let parsed = body.map(|b| b.parse::<i64>().ok().filter(|id| *id > 0));
    Query { body: parsed.flatten(), period, bad: bad || parsed.is_some_and(|p| p.is_none()) }
}

fn day(d: i64) -> String {
    day_iso(d * DAY_MS)
}

/// The facts of one body, or of all of them summed.
fn facts_of(all: &[BodyFacts], body: Option<i64>) -> Vec<Fact> {
    all.iter()
        .filter(|b| body.is_none_or(|id| b.body_id == id))
        .flat_map(|b| b.facts.iter().cloned())
        .collect()
}

/// Each dimension's rows with their labels, as shown and published.
/// One dimension of the figures: (open-data name, title, rows of (value, label, count)).
type Dimension = (&'static str, &'static str, Vec<(String, String, Count)>);

fn labelled(s: &Summary, labels: &StatsLabels, t: &Texts) -> Vec<Dimension> {
    let p = t.info;
    let with = |rows: &[(String, Count)],
                label: &dyn Fn(&str) -> String|
     -> Vec<(String, String, Count)> {
        rows.iter().map(|(v, c)| (v.clone(), label(v), *c)).collect()
    };
    let theme = |v: &str| {
        if v == "none" {
            p.theme_none.to_owned()
        } else {
            labels.themes.get(v).cloned().unwrap_or_else(|| v.to_owned())
        }
    };
    let place = |v: &str| match v {
        "none" => p.place_none.to_owned(),
        "abroad" => p.place_abroad.to_owned(),
        _ => labels.places.get(v).cloned().unwrap_or_else(|| v.to_owned()),
    };
    vec![
        ("nature", p.stats_by_nature, with(&s.by_nature, &|v| nature_label(v, t))),
        ("niveau", p.stats_by_stage, with(&s.by_stage, &|v| stage_label(v, t))),
        ("theme", p.stats_by_theme, with(&s.by_theme, &theme)),
        ("lieu", p.stats_by_place, with(&s.by_place, &place)),
        ("avis", p.stats_verdicts, with(&s.verdicts, &|v| verdict_label(v, t))),
    ]
}

async fn load(ctx: &Ctx, q: &Query) -> Result<(Vec<BodyFacts>, StatsLabels), AppError> {
    let store = Store::new(&ctx.env)?;
    let facts = store.stats_facts(&day(q.period.from), &day(q.period.to)).await?;
    Ok((facts, store.stats_labels(ctx.lang).await?))
}

fn data_href(path: &str, q: &Query) -> String {
    let body = q.body.map(|b| b.to_string()).unwrap_or_default();
    href(path, &[("organisme", &body), ("du", &day(q.period.from)), ("au", &day(q.period.to))])
}

/// GET /statistiques
pub async fn stats(ctx: &Ctx) -> Outcome {
    cache::public(
        ctx,
        Ttl::Hourly,
        Box::pin(async move {
            let t = ctx.lang.texts();
            let q = query(ctx);
            let (all, labels) = load(ctx, &q).await?;
            let facts = facts_of(&all, q.body);
            let summary = Summary::from_facts(&facts);
            let p = t.info;
            let areas = [
                ("regions", p.stats_by_region, p.stats_col_region, "region"),
                ("departements", p.stats_by_departement, p.stats_col_departement, "departement"),
            ]
            .into_iter()
            .map(|(id, title, column, level)| {
                AreaTable::new((id, title, column), by_area(&facts, level), &labels.areas, t)
            })
            .collect();
            let charts = labelled(&summary, &labels, t)
                .into_iter()
                .map(|(id, title, rows)| {
                    Chart::new(
                        id,
                        title,
                        rows.into_iter().map(|(_, label, c)| (label, c)).collect(),
                        t,
                    )
                })
                .collect();
            let page = StatsPage {
                c: ctx.chrome("stats"),
                bodies: labels.bodies.iter().map(|(id, _, name)| (*id, name.clone())).collect(),
                body: q.body,
                from: day(q.period.from),
                to: day(q.period.to),
                period: t
                    .info
                    .stats_period
                    .replace("{from}", &date_fr(q.period.from * DAY_MS))
                    .replace("{to}", &date_fr(q.period.to * DAY_MS)),
                bad_period: q.bad,
                computed: labels.computed_at.map_or_else(
                    || t.info.stats_never.to_owned(),
                    |at| t.info.stats_computed.replace("{date}", &date_fr(at)),
                ),
                empty: summary.received == Count::Exact(0),
                figures: StatsPage::key_figures(&summary, t),
                charts,
                areas,
                csv_href: data_href("/statistiques/donnees.csv", &q),
                json_href: data_href("/statistiques/donnees.json", &q),
            };
            Ok(respond::html(if q.bad { 422 } else { 200 }, page.render()?)?)
        }),
    )
    .await
}

/// One published figure: (dimension, value, label, count or None when suppressed).
type Row = (&'static str, String, String, Option<i64>);

/// The open-data rows of the régions and départements of one body's facts (or all): each area's
/// count, share on time and median days of treatment, valued by its P-code.
fn area_rows(facts: &[Fact], labels: &StatsLabels) -> Vec<Row> {
    let mut out = Vec::new();
    for (level, on_time, median) in [
        ("region", "region_traitees_dans_le_delai_pct", "region_delai_traitement_median_jours"),
        (
            "departement",
            "departement_traitees_dans_le_delai_pct",
            "departement_delai_traitement_median_jours",
        ),
    ] {
        for f in by_area(facts, level) {
            let (name, pcode) =
                labels.areas.get(&f.id).cloned().unwrap_or((f.id.clone(), f.id.clone()));
            out.push((level, pcode.clone(), name.clone(), f.received.exact()));
            out.push((on_time, pcode.clone(), name.clone(), f.on_time_percent));
            out.push((median, pcode, name, f.median_days));
        }
    }
    out
}

/// The open-data rows of one body (or all): counts per dimension, then the indicators.
fn rows(s: &Summary, labels: &StatsLabels, t: &Texts) -> Vec<Row> {
    let mut out: Vec<Row> =
        vec![("recues", "toutes".into(), t.info.stats_received.into(), s.received.exact())];
    for (dimension, _, values) in labelled(s, labels, t) {
        out.extend(values.into_iter().map(|(v, label, c)| (dimension, v, label, c.exact())));
    }
    let p = t.info;
    out.extend([
        (
            "indicateur",
            "delai_examen_median_jours".into(),
            p.stats_triage_time.into(),
            s.triage.median,
        ),
        ("indicateur", "delai_examen_p90_jours".into(), p.stats_triage_time.into(), s.triage.p90),
        (
            "indicateur",
            "delai_traitement_median_jours".into(),
            p.stats_treatment_time.into(),
            s.treatment.median,
        ),
        (
            "indicateur",
            "delai_traitement_p90_jours".into(),
            p.stats_treatment_time.into(),
            s.treatment.p90,
        ),
        (
            "indicateur",
            "traitees_dans_le_delai_pct".into(),
            p.stats_on_time.into(),
            s.on_time_percent,
        ),
        (
            "indicateur",
            "relances_pour_100_traitees".into(),
            p.stats_reopen.into(),
            s.reopen_percent,
        ),
        ("indicateur", "prises_en_compte_pct".into(), p.stats_taken.into(), s.taken_percent),
        (
            "indicateur",
            "delai_prise_en_compte_median_jours".into(),
            p.stats_taking_time.into(),
            s.taking.median,
        ),
        (
            "indicateur",
            "delai_prise_en_compte_p90_jours".into(),
            p.stats_taking_time.into(),
            s.taking.p90,
        ),
    ]);
    out
}

/// Every body with requests in the period, after «tous» (all bodies together): its summary and
/// its facts (the régions' and départements' rows come from them).
fn published(
    all: &[BodyFacts],
    labels: &StatsLabels,
    body: Option<i64>,
) -> Vec<(String, String, Summary, Vec<Fact>)> {
    let mut out = Vec::new();
    if body.is_none() {
        let facts = facts_of(all, None);
        out.push(("tous".to_owned(), String::new(), Summary::from_facts(&facts), facts));
    }
    for (id, slug, name) in &labels.bodies {
        if body.is_some_and(|b| b != *id) {
            continue;
        }
        let facts = facts_of(all, Some(*id));
        if !facts.is_empty() {
            out.push((slug.clone(), name.clone(), Summary::from_facts(&facts), facts));
        }
    }
    out
}

fn download(body: String, content_type: &str, file: &str) -> Outcome {
    let headers = Headers::new();
    headers.set("Content-Type", content_type)?;
    headers.set("Content-Disposition", &format!("attachment; filename=\"{file}\""))?;
    headers.set("Access-Control-Allow-Origin", "*")?;
    Ok(Response::ok(body)?.with_headers(headers))
}

/// GET /statistiques/donnees.csv and .json — the open data, small counts left empty / null.
pub async fn open_data(ctx: &Ctx, json_format: bool) -> Outcome {
    cache::public(ctx, Ttl::Hourly, Box::pin(async move {
        let t = ctx.lang.texts();
        let q = query(ctx);
        if q.bad && json_format {
            let message = match ctx.lang {
                crate::domain::lang::Lang::Fr => "du, au : deux dates réelles (AAAA-MM-JJ) à partir de 1970, la première avant la seconde, dix ans au plus ; organisme : un identifiant d'organisme",
                crate::domain::lang::Lang::En => "du, au: two real dates (YYYY-MM-DD) from 1970, the first before the second, ten years at most; organisme: a body id",
            };
            return Ok(respond::json(400, &json!({ "error": message }))?);
        }
        if q.bad {
            return Err(AppError::BadRequest);
        }
        let (all, labels) = load(ctx, &q).await?;
        let bodies = published(&all, &labels, q.body);
        let name = format!("milie-statistiques-{}-{}", day(q.period.from), day(q.period.to));
        if json_format {
            let organismes: Vec<Value> = bodies
                .iter()
                .map(|(slug, body_name, s, facts)| {
                    let figures: Vec<Value> =
                        rows(s, &labels, t).into_iter().chain(area_rows(facts, &labels)).map(|(d, v, l, c)| json!({ "dimension": d, "valeur": v, "libelle": l, "effectif": c })).collect();
                    json!({ "organisme": slug, "nom": body_name, "chiffres": figures })
                })
                .collect();
            let doc = json!({
                "periode": { "du": day(q.period.from), "au": day(q.period.to) },
                "calcule_le": labels.computed_at.map(crate::domain::time::iso8601),
                "seuil_masquage": crate::domain::stats::SUPPRESS_BELOW,
                "organismes": organismes,
            });
            return download(doc.to_string(), "application/json; charset=utf-8", &format!("{name}.json"));
        }
        // A BOM so spreadsheet programs read the accents right.
        let mut body = String::from("\u{feff}");
        body.push_str(&csv_line(&["organisme", "nom", "dimension", "valeur", "libelle", "effectif"]));
        for (slug, body_name, s, facts) in &bodies {
            for (d, v, l, c) in rows(s, &labels, t).into_iter().chain(area_rows(facts, &labels)) {
                // Names come from admins and CSV imports: `csv_line` opens no cell as a formula.
                let count = c.map(|n| n.to_string()).unwrap_or_default();
                body.push_str(&csv_line(&[slug.as_str(), body_name.as_str(), d, v.as_str(), l.as_str(), count.as_str()]));
            }
        }
        download(body, "text/csv; charset=utf-8", &format!("{name}.csv"))
    }))
    .await
}
