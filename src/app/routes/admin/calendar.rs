//! Public holidays: listed from today, added or renamed, removed after a confirmation. Deadlines
//! already set keep their date; steps entered from now on skip the day.

use worker::Request;

use super::{admin, admin_post, confirm, kept, Outcome, Page};
use crate::app::http::flash;
use crate::app::http::form::field;
use crate::app::store::Store;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::time::{day_iso, parse_day};
use crate::i18n::manage::{ask, done, Ask, Done};
use crate::web::admin::{HolidayRow, Section};

async fn page(ctx: &Ctx, store: &Store) -> Result<Page, AppError> {
    // Past holidays no longer change any deadline; the list shows what is still to come.
    let rows = store
        .holidays_from(&day_iso(ctx.now()))
        .await?
        .into_iter()
        .map(|h| HolidayRow { day: h.day, label: h.label })
        .collect();
    Ok(Page::new("jours-feries", ctx.lang.texts().admin.holidays, Section::Holidays { rows }))
}

/// GET /agent/admin/jours-feries
pub async fn holidays(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let me = match admin(ctx, &store).await {
        Ok(me) => me,
        Err(outcome) => return outcome,
    };
    page(ctx, &store).await?.respond(ctx, &me)
}

/// POST /agent/admin/jours-feries — a public holiday (or a new name for that day).
pub async fn add_holiday(ctx: &Ctx, req: Request) -> Outcome {
    let (form, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    let day = field(&form, "date").trim().to_owned();
    let label: String =
        field(&form, "fete").trim().chars().filter(|c| !c.is_control()).take(120).collect();
    if parse_day(&day).is_none() || label.is_empty() {
        let error = ctx.lang.texts().admin.holiday_invalid.to_owned();
        return page(ctx, &store)
            .await?
            .refused(422, vec![error], kept(&form, &["date", "fete"]))
            .respond(ctx, &me);
    }
    store.set_holiday(&day, &label).await?;
    store
        .audit(me.id, crate::domain::audit::Action::HolidaySet, &day, Some(&label), ctx.now())
        .await?;
    flash::redirect(
        "/agent/admin/jours-feries",
        &done(ctx.lang, Done::HolidaySaved { day: &day, label: &label }),
    )
}

/// GET /agent/admin/jours-feries/{day}/retirer — asks first.
pub async fn remove_holiday_confirm(ctx: &Ctx, day: &str) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let me = match admin(ctx, &store).await {
        Ok(me) => me,
        Err(outcome) => return outcome,
    };
    parse_day(day).ok_or(AppError::NotFound)?;
    let holiday = store
        .holidays_from(day)
        .await?
        .into_iter()
        .find(|h| h.day == day)
        .ok_or(AppError::NotFound)?;
    let t = ctx.lang.texts();
    let question = ask(ctx.lang, Ask::RemoveHoliday { day, label: &holiday.label });
    confirm(
        "jours-feries",
        t.admin.holidays,
        question,
        t.manage.holiday_consequence,
        format!("/agent/admin/jours-feries/{day}/retirer"),
        t.admin.remove,
        "/agent/admin/jours-feries",
    )
    .respond(ctx, &me)
}

/// POST /agent/admin/jours-feries/{day}/retirer
pub async fn remove_holiday(ctx: &Ctx, day: &str, req: Request) -> Outcome {
    let (_, store, me) = match admin_post(ctx, req).await {
        Ok(ok) => ok,
        Err(outcome) => return outcome,
    };
    parse_day(day).ok_or(AppError::NotFound)?;
    store.remove_holiday(day).await?;
    store.audit(me.id, crate::domain::audit::Action::HolidayRemove, day, None, ctx.now()).await?;
    flash::redirect("/agent/admin/jours-feries", &done(ctx.lang, Done::HolidayRemoved(day)))
}
