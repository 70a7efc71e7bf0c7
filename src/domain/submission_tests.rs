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
        vec![(Field::Phone, Problem::ContactRequired), (Field::Email, Problem::ContactRequired)]
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
    let french = RawSubmission { country: "".into(), phone: "+33 6 12 34 56 78".into(), ..valid() }
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
