//! Open311 services (one per body × theme) and their definitions (the attributes a post takes).

use serde_json::{json, Value};

use super::{error, jurisdiction, respond, service_name, Outcome};
use crate::app::store::{ServiceRow, Store};
use crate::app::Ctx;
use crate::domain::directory::PlaceKind;
use crate::domain::nature::Nature;
use crate::domain::open311::{Format, ServiceCode};
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
        "type": "batch",
        "keywords": s.category.clone().map_or_else(String::new, |c| fold(&c)),
        "group": s.body_name,
        "jurisdiction_id": s.body_slug,
    })
}

pub(super) async fn list(ctx: &Ctx, format: Format) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let only = match jurisdiction(&store, ctx, ctx.query.get("jurisdiction_id").map(str::to_owned))
        .await
    {
        Ok(j) => j,
        Err(message) => return error(format, 400, &[message]),
    };
    let rows = store.open311_services(ctx.lang, None, only.as_deref()).await?;
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
        return error(format, 404, &[format!("unknown service_code {code}")]);
    };
    if store.open311_services(ctx.lang, Some(service), None).await?.is_empty() {
        return error(format, 404, &[format!("unknown service_code {code}")]);
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
