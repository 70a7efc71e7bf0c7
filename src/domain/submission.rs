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
mod tests {
    use super::*;

    fn valid() -> RawSubmission {
        RawSubmission {
            body: "3".into(),
            nature: "reclamation".into(),
            place: "12".into(),
            theme: "4".into(),
            message: "Le guichet était fermé aux heures d'ouverture affichées.".into(),
            last_name: "Kouassi".into(),
            first_names: "Aya Marie".into(),
            country: "CI".into(),
            phone: "07 07 12 34 56".into(),
            email: "Aya.Kouassi@example.ci".into(),
            terms: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_voice_note_makes_the_written_message_optional() {
        let spoken = RawSubmission { message: " \n ".into(), voice_note: true, ..valid() };
        assert_eq!(spoken.parse().unwrap().message.as_str(), "");
        let errors = RawSubmission { message: "".into(), ..valid() }.parse().unwrap_err();
        assert!(errors.iter().any(|(f, _)| *f == Field::Message), "no voice note: required");
        // Written beside a voice note, the message keeps its rules.
        let short = RawSubmission { message: "Oui".into(), voice_note: true, ..valid() };
        assert!(short.parse().unwrap_err().iter().any(|(f, _)| *f == Field::Message));
    }

    #[test]
    fn a_complete_form_parses() {
        let s = valid().parse().unwrap();
        assert_eq!(s.body_id, 3);
        assert_eq!(s.nature, Nature::Reclamation);
        assert_eq!(s.place, Some(PlaceChoice::Place(12)));
        assert_eq!(s.theme_id, Some(4));
        assert_eq!(s.contact.phone().map(|p| p.e164()), Some("+2250707123456"));
        assert_eq!(s.contact.email().map(|e| e.as_str()), Some("aya.kouassi@example.ci"));
    }

    #[test]
    fn optional_fields_may_be_blank() {
        let raw = RawSubmission {
            place: "".into(),
            theme: "".into(),
            last_name: " ".into(),
            first_names: "".into(),
            ..valid()
        };
        let s = raw.parse().unwrap();
        assert_eq!((s.place, s.theme_id, s.last_name, s.first_names), (None, None, None, None));
    }

    #[test]
    fn abroad_needs_a_country() {
        let raw = RawSubmission {
            place: ABROAD.into(),
            abroad_country: "FR".into(),
            abroad_city: " Lyon ".into(),
            ..valid()
        };
        match raw.parse().unwrap().place {
            Some(PlaceChoice::Abroad { country, city }) => {
                assert_eq!((country.code, city.as_deref()), ("FR", Some("Lyon")))
            }
            other => panic!("{other:?}"),
        }
        let errors = RawSubmission { place: ABROAD.into(), ..valid() }.parse().unwrap_err();
        assert!(errors.iter().eq([(Field::AbroadCountry, Problem::Required)].iter()), "{errors:?}");
    }

    #[test]
    fn an_empty_form_reports_every_required_field_at_once() {
        let errors = RawSubmission::default().parse().unwrap_err();
        let fields: Vec<Field> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [Field::Body, Field::Nature, Field::Message, Field::Phone, Field::Email, Field::Terms]
        );
        assert!(errors.iter().any(|e| *e == (Field::Phone, Problem::ContactRequired)));
        assert!(errors.iter().any(|e| *e == (Field::Email, Problem::ContactRequired)));
    }

    #[test]
    fn a_mobile_or_an_email_is_enough() {
        let phone_only = RawSubmission { email: "".into(), ..valid() }.parse().unwrap();
        assert_eq!(
            (phone_only.contact.phone().map(|p| p.e164()), phone_only.contact.email()),
            (Some("+2250707123456"), None)
        );
        let email_only =
            RawSubmission { phone: " ".into(), country: "".into(), ..valid() }.parse().unwrap();
        assert_eq!(email_only.contact.phone(), None);
        assert_eq!(email_only.country.code, "CI", "Côte d'Ivoire when no country is given");
        let neither =
            RawSubmission { phone: "".into(), email: "".into(), ..valid() }.parse().unwrap_err();
        let got: Vec<_> = neither.iter().cloned().collect();
        assert_eq!(
            got,
            vec![
                (Field::Phone, Problem::ContactRequired),
                (Field::Email, Problem::ContactRequired)
            ]
        );
        let bad_phone =
            RawSubmission { phone: "12".into(), email: "".into(), ..valid() }.parse().unwrap_err();
        assert!(
            bad_phone.has(Field::Phone) && !bad_phone.has(Field::Email),
            "a wrong phone is named, not the missing email"
        );
        // Without a country, the number's own: Ivorian, or international by its dial code.
        let national = RawSubmission { country: "".into(), ..valid() }.parse().unwrap();
        assert_eq!(
            (national.country.code, national.contact.phone().map(|p| p.e164())),
            ("CI", Some("+2250707123456"))
        );
        let french =
            RawSubmission { country: "".into(), phone: "+33 6 12 34 56 78".into(), ..valid() }
                .parse()
                .unwrap();
        assert_eq!(
            (french.country.code, french.contact.phone().map(|p| p.e164())),
            ("FR", Some("+33612345678"))
        );
        let wrong = RawSubmission { country: "".into(), phone: "07 12 34 56".into(), ..valid() }
            .parse()
            .unwrap_err();
        assert!(
            wrong.iter().eq([(
                Field::Phone,
                Problem::Phone(crate::domain::phone::PhoneError::OldIvorianNumber)
            )]
            .iter()),
            "{wrong:?}"
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        let raw = RawSubmission {
            nature: "plainte".into(),
            place: "nowhere".into(),
            theme: "-1".into(),
            phone: "07 12 34 56".into(),
            email: "aya@".into(),
            terms: false,
            ..valid()
        };
        let errors = raw.parse().unwrap_err();
        let got: Vec<_> = errors.iter().cloned().collect();
        assert_eq!(
            got,
            vec![
                (Field::Nature, Problem::Unknown),
                (Field::Place, Problem::Unknown),
                (Field::Theme, Problem::Unknown),
                (Field::Phone, Problem::Phone(PhoneError::OldIvorianNumber)),
                (Field::Email, Problem::Email(EmailError::Invalid)),
                (Field::Terms, Problem::Required),
            ]
        );
    }
}
