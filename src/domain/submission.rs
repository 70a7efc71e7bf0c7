//! A citizen's request as submitted (web form, JSON API, phone intake): raw fields in, either a
//! valid `Submission` or every problem at once, each tied to its field.

use super::attachment::AttachmentError;
use super::contact::Contact;
use super::countries::Country;
use super::email::{Email, EmailError};
use super::nature::Nature;
use super::phone::{MobilePhone, PhoneError};
use super::text_field::{Message, PersonName, TextError};

/// The form's fields; `name()` is the HTML/API field name and the element id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Body,
    Nature,
    Place,
    AbroadCountry,
    AbroadCity,
    Theme,
    Message,
    LastName,
    FirstNames,
    Country,
    Phone,
    Email,
    Terms,
    Attachments,
    /// A voice note (a recording instead of, or beside, the written message).
    VoiceNote,
    /// The anti-robot check (Turnstile), when enabled.
    HumanCheck,
    /// A caller's `Idempotency-Key` (JSON API, Open311), already used for another submission.
    IdempotencyKey,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Body => "organisme",
            Field::Nature => "nature",
            Field::Place => "localite",
            Field::AbroadCountry => "etranger_pays",
            Field::AbroadCity => "etranger_ville",
            Field::Theme => "theme",
            Field::Message => "message",
            Field::LastName => "nom",
            Field::FirstNames => "prenoms",
            Field::Country => "pays",
            Field::Phone => "telephone",
            Field::Email => "email",
            Field::Terms => "conditions",
            Field::Attachments => "pieces",
            Field::VoiceNote => "vocal",
            Field::HumanCheck => "cf-turnstile-response",
            Field::IdempotencyKey => "Idempotency-Key",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    /// Not one of the choices offered.
    Unknown,
    Text(TextError),
    Phone(PhoneError),
    Email(EmailError),
    File {
        name: String,
        error: AttachmentError,
    },
    TooManyFiles {
        max: usize,
    },
    TotalTooLarge {
        max_bytes: usize,
    },
    /// Neither a mobile number nor an email: one of the two is needed (said on both fields).
    ContactRequired,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(Field, Problem)>);

impl FieldErrors {
    pub fn add(&mut self, field: Field, problem: Problem) {
        self.0.push((field, problem));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &(Field, Problem)> {
        self.0.iter()
    }
    pub fn has(&self, field: Field) -> bool {
        self.0.iter().any(|(f, _)| *f == field)
    }
    pub fn merge(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }
}

/// Where the problem is: a place of Côte d'Ivoire from the list, or abroad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceChoice {
    Place(i64),
    Abroad { country: &'static Country, city: Option<String> },
}

/// The value of «localite» that means «À l'étranger».
pub const ABROAD: &str = "etranger";

/// The fields exactly as received (text inputs, selects, the checkbox).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawSubmission {
    pub body: String,
    pub nature: String,
    pub place: String,
    pub abroad_country: String,
    pub abroad_city: String,
    pub theme: String,
    pub message: String,
    pub last_name: String,
    pub first_names: String,
    pub country: String,
    pub phone: String,
    pub email: String,
    pub terms: bool,
    /// A voice note is attached (staged with the form): the written message may be left out.
    pub voice_note: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub body_id: i64,
    pub nature: Nature,
    pub place: Option<PlaceChoice>,
    pub theme_id: Option<i64>,
    pub message: Message,
    pub last_name: Option<PersonName>,
    pub first_names: Option<PersonName>,
    pub country: &'static Country,
    pub contact: Contact,
}

fn parse_id(input: &str) -> Option<i64> {
    input.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

impl RawSubmission {
    /// Parses every field; on failure returns all the problems, not just the first.
    /// Whether the body, theme and place ids exist is the store's to check (`FieldErrors::add`).
    pub fn parse(&self) -> Result<Submission, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut check = |field: Field, result: Result<(), Problem>| {
            if let Err(p) = result {
                errors.add(field, p);
            }
        };

        let body_id = if self.body.trim().is_empty() {
            Err(Problem::Required)
        } else {
            parse_id(&self.body).ok_or(Problem::Unknown)
        };
        check(Field::Body, body_id.clone().map(drop));

        let nature = if self.nature.trim().is_empty() {
            Err(Problem::Required)
        } else {
            Nature::parse(&self.nature).map_err(|_| Problem::Unknown)
        };
        check(Field::Nature, nature.clone().map(drop));

        let place = match self.place.trim() {
            "" => Ok(None),
            ABROAD => {
                let country = if self.abroad_country.trim().is_empty() {
                    Err(Problem::Required)
                } else {
                    Country::find(&self.abroad_country).ok_or(Problem::Unknown)
                };
                check(Field::AbroadCountry, country.clone().map(drop));
                let city = PersonName::parse_optional(&self.abroad_city).map_err(Problem::Text);
                check(Field::AbroadCity, city.clone().map(drop));
                match (country, city) {
                    (Ok(country), Ok(city)) => Ok(Some(PlaceChoice::Abroad {
                        country,
                        city: city.map(|c| c.as_str().to_owned()),
                    })),
                    _ => Ok(None), // reported on the abroad fields
                }
            }
            other => parse_id(other).map(|id| Some(PlaceChoice::Place(id))).ok_or(Problem::Unknown),
        };
        check(Field::Place, place.clone().map(drop));

        let theme = match self.theme.trim() {
            "" => Ok(None),
            other => parse_id(other).map(Some).ok_or(Problem::Unknown),
        };
        check(Field::Theme, theme.clone().map(drop));

        let message = if self.voice_note {
            Message::parse_beside_voice(&self.message)
        } else {
            Message::parse(&self.message)
        }
        .map_err(Problem::Text);
        check(Field::Message, message.clone().map(drop));
        let last_name = PersonName::parse_optional(&self.last_name).map_err(Problem::Text);
        check(Field::LastName, last_name.clone().map(drop));
        let first_names = PersonName::parse_optional(&self.first_names).map_err(Problem::Text);
        check(Field::FirstNames, first_names.clone().map(drop));

        let (phone_blank, email_blank) =
            (self.phone.trim().is_empty(), self.email.trim().is_empty());
        // The country rules the phone number. Left out (API and Open311 clients often do), it is
        // the number's own: international by its dial code, else Côte d'Ivoire — and Côte
        // d'Ivoire without a phone, where it only says where the citizen lives.
        let (country, phone) = match self.country.trim() {
            "" if phone_blank => (Country::find("CI").ok_or(Problem::Unknown), Ok(None)),
            "" => match MobilePhone::parse_with_country(&self.phone) {
                Ok((c, p)) => (Ok(c), Ok(Some(p))),
                Err(e) => (Country::find("CI").ok_or(Problem::Unknown), Err(Problem::Phone(e))),
            },
            other => {
                let country = Country::find(other).ok_or(Problem::Unknown);
                let phone = match &country {
                    _ if phone_blank => Ok(None),
                    Ok(c) => MobilePhone::parse(c, &self.phone).map(Some).map_err(Problem::Phone),
                    Err(_) => Err(Problem::Unknown),
                };
                (country, phone)
            }
        };
        check(Field::Country, country.clone().map(drop));
        if country.is_ok() {
            check(Field::Phone, phone.clone().map(drop));
        }
        let email = if email_blank {
            Ok(None)
        } else {
            Email::parse(&self.email).map(Some).map_err(Problem::Email)
        };
        check(Field::Email, email.clone().map(drop));
        // At least one way to reach the citizen: named on both fields, since either will do.
        if phone_blank && email_blank {
            check(Field::Phone, Err(Problem::ContactRequired));
            check(Field::Email, Err(Problem::ContactRequired));
        }
        check(Field::Terms, if self.terms { Ok(()) } else { Err(Problem::Required) });

        match (
            body_id,
            nature,
            place,
            theme,
            message,
            last_name,
            first_names,
            country,
            phone,
            email,
        ) {
            (
                Ok(body_id),
                Ok(nature),
                Ok(place),
                Ok(theme_id),
                Ok(message),
                Ok(last_name),
                Ok(first_names),
                Ok(country),
                Ok(phone),
                Ok(email),
            ) if errors.is_empty() => {
                let contact = Contact::new(phone, email).ok_or_else(FieldErrors::default)?;
                Ok(Submission {
                    body_id,
                    nature,
                    place,
                    theme_id,
                    message,
                    last_name,
                    first_names,
                    country,
                    contact,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
#[path = "submission_tests.rs"]
mod tests;
