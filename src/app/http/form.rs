//! Reading posted forms: one field, a repeated field, the fields of a submission. A leaf module:
//! every route family reads its forms through it, none through another route.

use worker::{FormData, FormEntry, Request};

use crate::app::http::csrf;
use crate::app::AppError;
use crate::app::Ctx;
use crate::domain::submission::{Field, RawSubmission};

/// A text field's value, empty when absent.
pub fn field(form: &FormData, name: &str) -> String {
    form.get_field(name).unwrap_or_default()
}

/// Every text value of a repeated field.
pub fn entries(form: &FormData, name: &str) -> Vec<String> {
    form.get_all(name)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| match e {
            FormEntry::Field(v) => Some(v),
            FormEntry::File(_) => None,
        })
        .collect()
}

/// The body of a form post; a body that is not a form is a 400.
pub async fn read(req: &mut Request) -> Result<FormData, AppError> {
    req.form_data().await.map_err(|_| AppError::BadRequest)
}

/// A form post from this site with this browser's CSRF token, or `Forbidden`.
pub async fn read_checked(ctx: &Ctx, req: &mut Request) -> Result<FormData, AppError> {
    let form = read(req).await?;
    if !csrf::valid(ctx, &field(&form, "csrf")) {
        return Err(AppError::Forbidden);
    }
    Ok(form)
}

/// The text fields of a submission, as the form and the API name them.
pub fn raw_submission(form: &FormData) -> RawSubmission {
    let f = |which: Field| field(form, which.name());
    RawSubmission {
        body: f(Field::Body),
        nature: f(Field::Nature),
        place: f(Field::Place),
        abroad_country: f(Field::AbroadCountry),
        abroad_city: f(Field::AbroadCity),
        theme: f(Field::Theme),
        message: f(Field::Message),
        last_name: f(Field::LastName),
        first_names: f(Field::FirstNames),
        country: f(Field::Country),
        phone: f(Field::Phone),
        email: f(Field::Email),
        terms: matches!(f(Field::Terms).as_str(), "on" | "true" | "1" | "oui" | "yes"),
        // Known once the form's files are read (`intake::form_flow`).
        voice_note: false,
    }
}
