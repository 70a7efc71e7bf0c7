//! Open311 services (one per body × theme) and their definitions (the attributes a post takes).

use serde_json::{json, Value};

use super::{check_scope, error, refused, respond, service_name, unknown_service, Outcome};
use crate::app::store::{ServiceRow, Store};
use crate::app::Ctx;
use crate::domain::directory::PlaceKind;
use crate::domain::nature::Nature;
use crate::domain::open311::{self, Format, ServiceCode};
use crate::domain::text::fold;
use crate::i18n::Lang;

fn theme_words(s: &ServiceRow) -> Option<String> {
    match (&s.category, &s.label) {
        (Some(c), Some(l)) => Some(format!("{c} : {l}")),
        _ => None,
    }
}

fn service_json(s: &ServiceRow, lang: Lang) -> Value {
    let name = service_name(theme_words(s).as_deref(), &s.body_name, lang);
    let description = match lang {
        Lang::Fr => {
            format!(
                "Réclamation, suggestion ou observation adressée à {} : {}.",
                s.body_name,
                theme_words(s).unwrap_or_else(|| "autre préoccupation".into())
            )
        }
        Lang::En => format!(
            "Complaint, suggestion or observation to {}: {}.",
            s.body_name,
            theme_words(s).unwrap_or_else(|| "other concern".into())
        ),
    };
    json!({
        "service_code": ServiceCode { body_id: s.body_id, theme_id: s.theme_id }.to_string(),
        "service_name": name,
        "description": description,
        "metadata": true,
        // A post is registered at once and answered with its id: no token to poll.
        "type": "realtime",
        "keywords": s.category.clone().map_or_else(String::new, |c| fold(&c)),
        "group": s.body_name,
        "jurisdiction_id": s.body_slug,
    })
}

/// `jurisdiction_id` of a query: bodies' slugs (a list; `check_scope` gives the 404 of one unknown).
fn jurisdictions(ctx: &Ctx) -> Vec<String> {
    open311::list(&ctx.query.all("jurisdiction_id")).into_iter().map(str::to_owned).collect()
}

pub(super) async fn list(ctx: &Ctx, format: Format) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let only = jurisdictions(ctx);
    if let Err(refusal) = check_scope(&store, ctx, &only, &[]).await? {
        return refused(format, refusal);
    }
    let mut rows = store.open311_services(ctx.lang, None, None).await?;
    rows.retain(|s| only.is_empty() || only.contains(&s.body_slug));
    respond(
        format,
        200,
        "services",
        &Value::Array(rows.iter().map(|s| service_json(s, ctx.lang)).collect()),
    )
}

pub(super) async fn definition(ctx: &Ctx, format: Format, code: &str) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let Some(service) = ServiceCode::parse(code) else {
        return error(format, 404, &["unknown service_code; services.xml lists them".into()]);
    };
    let only = jurisdictions(ctx);
    if !only.is_empty() {
        if let Err(refusal) = check_scope(&store, ctx, &only, &[service]).await? {
            return refused(format, refusal);
        }
    } else if store.open311_services(ctx.lang, Some(service), None).await?.is_empty() {
        return refused(format, unknown_service(ctx, service, false));
    }
    let t = ctx.lang.texts();
    let natures: Vec<Value> =
        Nature::ALL.iter().map(|n| json!({ "key": n.slug(), "name": t.nature(*n) })).collect();
    let all = crate::app::intake::directory::places(&store).await?;
    let places: Vec<Value> = all
        .iter()
        .filter(|p| p.kind != PlaceKind::Locality)
        .map(|p| json!({ "key": p.id.to_string(), "name": p.name }))
        .collect();
    let doc = json!({
        "service_code": code,
        "attributes": [
            {
                "variable": true, "code": "nature", "datatype": "singlevaluelist", "required": true,
                "datatype_description": t.submit.nature_title, "order": 1, "description": t.submit.nature_title, "values": natures,
            },
            {
                "variable": true, "code": "lieu", "datatype": "singlevaluelist", "required": false,
                "datatype_description": t.submit.place_hint, "order": 2, "description": t.submit.place_label, "values": places,
            },
        ],
    });
    respond(format, 200, "service_definition", &doc)
}
