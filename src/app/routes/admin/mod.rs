//! Administration (admins only), one page per thing managed: staff, bodies, themes, places,
//! public holidays, API keys, answer templates, failed notifications, settings. Every save is
//! audited and redirects (Post/Redirect/Get) with a message naming what changed; whatever
//! deactivates, revokes or removes asks first on a page of its own.

/// The signed-in admin for a GET, or the way out (sign in, 403).
macro_rules! signed_in_admin {
    ($ctx:expr) => {{
        let store = Store::new(&$ctx.env)?;
        match admin($ctx, &store).await {
            Ok(me) => (store, me),
            Err(outcome) => return outcome,
        }
    }};
}

/// The form, store and admin of a POST with this browser's CSRF token, or the way out.
macro_rules! posted {
    ($ctx:expr, $req:expr) => {
        match admin_post($ctx, $req).await {
            Ok(ok) => ok,
            Err(outcome) => return outcome,
        }
    };
}

mod bodies;
mod calendar;
mod imports;
mod journal;
mod keys;
mod notices;
mod rights;
mod staff;

pub use bodies::{
    add_body, add_theme, bodies, body, set_theme_active, theme_confirm, themes, update_body,
};
pub use calendar::{add_holiday, holidays, remove_holiday, remove_holiday_confirm};
pub use imports::{confirm_import, export, import, places, preview, What};
pub use journal::{journal, set_retention};
pub use keys::{
    add_template, create_api_key, keys, remove_template, remove_template_confirm, revoke_api_key,
    revoke_confirm, templates,
};
pub use notices::{failed, retry_notification, settings, settings_page};
pub use rights::{rights, rights_erase, rights_export, rights_lookup};
pub use staff::{add_staff, deactivate_confirm, set_role, set_staff_active, staff};

use askama::Template;
use worker::{FormData, Request};

use super::Outcome;
use crate::app::http::csrf;
use crate::app::http::flash;
use crate::app::http::form::field;
use crate::app::http::respond;
use crate::app::http::respond::with_cookie;
use crate::app::http::staff_session::{current_staff, nav};
use crate::app::http::staff_session::{May, StaffPost};
use crate::app::store::Store;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::staff::Staff;
use crate::domain::stage::Role;
use crate::web::admin::{AdminPage, Section};
use crate::web::Params;

/// The signed-in admin, or the reason not to go on (sign in, or 403).
async fn admin(ctx: &Ctx, store: &Store) -> Result<Staff, Outcome> {
    match current_staff(ctx, store).await {
        Ok(Some(staff)) if staff.role == Role::Admin => Ok(staff),
        Ok(Some(_)) => Err(Err(AppError::Forbidden)),
        Ok(None) => Err(respond::redirect("/agent/connexion").map_err(AppError::from)),
        Err(e) => Err(Err(e.into())),
    }
}

/// For a POST: the form, the store, and the admin who sent it with this browser's CSRF token.
async fn admin_post(ctx: &Ctx, mut req: Request) -> Result<(FormData, Store, Staff), Outcome> {
    let StaffPost { staff, form, store } = StaffPost::read(ctx, &mut req, May::Administer).await?;
    Ok((form, store, staff))
}

/// What a refused form shows again: its text fields (never files, never the CSRF token).
fn kept(form: &FormData, names: &[&str]) -> Params {
    let pairs: Vec<(&str, String)> = names.iter().map(|n| (*n, field(form, n))).collect();
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Params::parse(&crate::web::href("", &borrowed))
}

/// One administration page. A message left by the previous save is shown once, then cleared.
struct Page {
    current: &'static str,
    title: String,
    section: Section,
    status: u16,
    errors: Vec<String>,
    kept: Params,
}

impl Page {
    fn new(current: &'static str, title: impl Into<String>, section: Section) -> Page {
        Page {
            current,
            title: title.into(),
            section,
            status: 200,
            errors: Vec::new(),
            kept: Params::default(),
        }
    }

    /// The same page refusing a form: 422 (or `status`), the reasons, the fields kept.
    fn refused(mut self, status: u16, errors: Vec<String>, kept: Params) -> Page {
        (self.status, self.errors, self.kept) = (status, errors, kept);
        self
    }

    fn respond(self, ctx: &Ctx, me: &Staff) -> Outcome {
        let (csrf, cookie) = csrf::token(ctx)?;
        let notice = if self.status == 200 { flash::take(ctx) } else { None };
        let page = AdminPage {
            c: ctx.chrome(""),
            s: Some(nav(me, "admin", &csrf, "")),
            csrf,
            current: self.current,
            title: self.title,
            notice: notice.clone(),
            errors: self.errors,
            kept: self.kept,
            section: self.section,
        };
        let mut response = with_cookie(respond::html(self.status, page.render()?)?, cookie)?;
        response.headers_mut().set("Cache-Control", "private, no-store")?;
        if notice.is_some() {
            flash::clear(&mut response)?;
        }
        Ok(response)
    }
}

/// Administration › Organismes: every body with its source, the forms to add one and to import.
async fn bodies_page(ctx: &Ctx, store: &Store) -> Result<Page, AppError> {
    let rows = store
        .list_bodies_admin()
        .await?
        .into_iter()
        .map(|b| bodies::body_row(ctx.lang, b))
        .collect();
    Ok(Page::new("organismes", ctx.lang.texts().admin.bodies, Section::Bodies { rows }))
}

/// The confirmation page before a destructive action.
fn confirm(
    current: &'static str,
    title: &str,
    question: String,
    consequence: &'static str,
    action: String,
    button: &'static str,
    cancel: &str,
) -> Page {
    Page::new(
        current,
        title,
        Section::Confirm { question, consequence, action, button, cancel: cancel.to_owned() },
    )
}

/// GET /agent/admin — what there is to manage, with counts.
pub async fn home(ctx: &Ctx) -> Outcome {
    let store = Store::new(&ctx.env)?;
    let me = match admin(ctx, &store).await {
        Ok(me) => me,
        Err(outcome) => return outcome,
    };
    let section = Section::Overview {
        staff: store.list_staff().await?.len(),
        bodies: store.list_bodies_admin().await?.len(),
        failed: store.failed_notifications().await?.len(),
        keys: store.api_keys().await?.iter().filter(|k| k.revoked_at.is_none()).count(),
        templates: store.reply_templates().await?.len(),
    };
    Page::new("", ctx.lang.texts().admin.title, section).respond(ctx, &me)
}
