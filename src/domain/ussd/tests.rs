//! The menu walked natively: every path of the menu, the bad inputs at every step, and the
//! needs the adapter answers.

use super::*;

fn items(names: &[&str]) -> Vec<Item> {
    names.iter().enumerate().map(|(i, n)| Item::new(i as i64 + 1, n)).collect()
}

fn answered() -> Facts {
    Facts {
        code: "42568096".into(),
        nature: Nature::Reclamation,
        body: "Min. Education".into(),
        stage: Stage::Treated,
        treated_at: Some(0),
        answer: Some(
            "Le guichet rouvre lundi a 8 heures ; nous vous prions de nous excuser. ".repeat(4),
        ),
    }
}

/// Everything the menus may ask for, as a directory of twelve bodies would give it.
fn data() -> Data {
    let bodies: Vec<Item> =
        (1..=12).map(|i| Item::new(i, &format!("Ministère numéro {i} de la République"))).collect();
    let mut regions = items(&["Abidjan", "Gbeke", "Poro"]);
    regions.push(Item::new(0, "Autre lieu"));
    let mut themes = items(&["Accueil", "Delais"]);
    themes.push(Item::new(0, "Autre"));
    Data {
        bodies: Some(bodies),
        regions: Some(regions),
        places: Some(vec![Item::new(101, "Cocody"), Item::new(102, "Yopougon")]),
        themes: Some(themes),
        mine: Some(vec![Item::new(7, "42568096 Traitee"), Item::new(8, "31415926 En attente")]),
        request: Some(Some(answered())),
    }
}

fn start(lang: Option<Lang>) -> Session {
    Session::start(lang, None, "key".into())
}

/// Walks `inputs` from `s`, each turn needing nothing missing; returns the last turn and the
/// number of screens shown (the first one included).
fn walk(s: &Session, inputs: &[&str]) -> (Turn, usize) {
    let d = data();
    let mut turn = Turn { session: s.clone(), reply: show(s, &d).unwrap(), effect: None };
    let mut screens = 1;
    for input in inputs {
        turn = advance(&turn.session, input, &d).unwrap();
        screens += 1;
    }
    (turn, screens)
}

fn screen_of(turn: &Turn) -> &Screen {
    match &turn.reply {
        Reply::Con { screen, .. } => screen,
        Reply::End(e) => panic!("ended: {e:?}"),
    }
}

#[test]
fn a_full_submission_fits_in_twelve_screens() {
    // Language, main menu, nature, bodies (page 1, page 2 and the fifth there), région, place,
    // theme, message, confirm: the END screen with the code is the eleventh.
    let (turn, screens) = walk(
        &start(None),
        &["1", "1", "1", "9", "2", "1", "1", "1", "Le guichet est fermé depuis lundi.", "1"],
    );
    assert_eq!(turn.effect, Some(Effect::Submit));
    assert_eq!(screens, 11, "the END screen the effect decides is the eleventh");
    let d = &turn.session.draft;
    assert_eq!(d.nature(), Some(Nature::Reclamation));
    assert!(d.body.is_some_and(|b| b > 1), "a body of the second page: {:?}", d.body);
    assert_eq!((d.region, d.place, d.theme), (Some(1), Some(101), Some(1)));
    assert_eq!(d.message, "Le guichet est fermé depuis lundi.");
    assert_eq!(turn.session.step, Step::Done);
    // A remembered language starts at the main menu.
    assert_eq!(start(Some(Lang::En)).step, Step::Main);
    assert_eq!(start(Some(Lang::En)).lang(), Lang::En);
}

#[test]
fn a_body_is_found_by_its_number_too() {
    let (turn, _) = walk(&start(Some(Lang::Fr)), &["1", "2", "00", "12"]);
    assert_eq!((turn.session.step, turn.session.draft.body), (Step::Region, Some(12)));
    let (turn, _) = walk(&start(Some(Lang::Fr)), &["1", "2", "00", "99"]);
    assert!(matches!(turn.reply, Reply::Con { invalid: true, screen: Screen::BodyNumber, .. }));
    let (turn, _) = walk(&start(Some(Lang::Fr)), &["1", "2", "00", "0"]);
    assert_eq!(turn.session.step, Step::Body);
}

#[test]
fn unknown_choices_show_the_screen_again_with_choix_invalide() {
    for (inputs, step) in [
        (&["7"][..], Step::Language),
        (&["1", "8"][..], Step::Main),
        (&["1", "1", "4"][..], Step::Nature),
        (&["1", "1", "1", "abc"][..], Step::Body),
        (&["1", "1", "1", "1", "99"][..], Step::Region),
    ] {
        let (turn, _) = walk(&start(None), inputs);
        assert_eq!(turn.session.step, step, "{inputs:?}");
        assert!(matches!(turn.reply, Reply::Con { invalid: true, .. }), "{inputs:?}");
    }
    // No page before the first, none after the last.
    let (turn, _) = walk(&start(Some(Lang::Fr)), &["1", "1", "9", "9", "9", "9"]);
    assert!(matches!(turn.reply, Reply::Con { invalid: true, .. }));
}

#[test]
fn zero_goes_back_a_page_then_a_step() {
    let (turn, _) = walk(&start(Some(Lang::Fr)), &["1", "1", "9", "0"]);
    assert_eq!((turn.session.step, turn.session.page), (Step::Body, 0));
    let (turn, _) = walk(&start(Some(Lang::Fr)), &["1", "1", "9", "0", "0"]);
    assert_eq!(turn.session.step, Step::Nature);
    let (turn, _) = walk(&start(Some(Lang::Fr)), &["1", "1", "0", "0"]);
    assert_eq!(turn.session.step, Step::Main);
}

#[test]
fn no_place_and_no_theme_are_choices_too() {
    let (turn, _) = walk(&start(Some(Lang::Fr)), &["1", "3", "1", "4", "3"]);
    let d = &turn.session.draft;
    assert_eq!((d.region, d.place, d.theme, turn.session.step), (None, None, None, Step::Message));
}

#[test]
fn a_message_in_several_screens() {
    let s = start(Some(Lang::Fr));
    let (turn, _) = walk(&s, &["1", "2", "1", "1", "1", "1", "Trop"]);
    assert!(matches!(turn.reply, Reply::Con { problem: Some(TextError::TooShort { .. }), .. }));
    assert_eq!(turn.session.step, Step::Message);
    let (turn, _) = walk(
        &s,
        &[
            "1",
            "2",
            "1",
            "1",
            "1",
            "1",
            "Trop",
            "court, mais la suite",
            "2",
            "et encore*une étoile",
        ],
    );
    assert_eq!(turn.session.draft.message, "Trop court, mais la suite et encore*une étoile");
    assert_eq!(turn.session.step, Step::Confirm);
    match screen_of(&turn) {
        Screen::Confirm { place, message, .. } => {
            assert_eq!(place.as_deref(), Some("Cocody"));
            assert!(message.ends_with("étoile"));
        }
        other => panic!("{other:?}"),
    }
    // Over 4 000 characters: the part is refused, what was typed before kept.
    let long = "x".repeat(4000);
    let (turn, _) = walk(&s, &["1", "2", "1", "1", "1", "1", "Dix caracteres.", "2", &long]);
    assert!(matches!(turn.reply, Reply::Con { problem: Some(TextError::TooLong { .. }), .. }));
    assert_eq!(turn.session.draft.message, "Dix caracteres.");
    // Cancelling forgets the draft.
    let (turn, _) = walk(&s, &["1", "2", "1", "1", "1", "1", "Dix caracteres.", "0"]);
    assert_eq!((turn.session.step, turn.session.draft.clone()), (Step::Main, Draft::default()));
}

#[test]
fn my_requests_their_answer_the_verdict_and_the_reopening() {
    let s = start(Some(Lang::Fr));
    let (turn, _) = walk(&s, &["2", "1"]);
    assert_eq!((turn.session.step, turn.session.request), (Step::Request, Some(7)));
    let (turn, _) = walk(&s, &["2", "1", "1"]);
    match screen_of(&turn) {
        Screen::Answer { page, pages, text } => {
            assert_eq!(*page, 1);
            assert!(*pages > 1 && text.starts_with("Le guichet"));
        }
        other => panic!("{other:?}"),
    }
    let (turn, _) = walk(&s, &["2", "1", "1", "9", "0", "0"]);
    assert_eq!(turn.session.step, Step::Request);
    let (turn, _) = walk(&s, &["2", "1", "2", "3"]);
    assert_eq!(turn.effect, Some(Effect::Verdict(Verdict::NotSatisfied)));
    let (turn, _) = walk(&s, &["2", "1", "3", "court"]);
    assert!(matches!(turn.reply, Reply::Con { problem: Some(_), screen: Screen::Reason, .. }));
    let (turn, _) = walk(&s, &["2", "1", "3", "Le guichet est toujours fermé."]);
    assert_eq!(turn.effect, Some(Effect::Reopen("Le guichet est toujours fermé.".into())));
    // Codes by SMS from the main menu; 0 says goodbye.
    assert_eq!(walk(&s, &["3"]).0.effect, Some(Effect::SendCodes));
    assert_eq!(walk(&s, &["0"]).0.reply, Reply::End(End::Goodbye));
}

#[test]
fn a_request_not_awaiting_a_verdict_offers_neither_verdict_nor_reopening() {
    let mut d = data();
    d.request = Some(Some(Facts { stage: Stage::InTreatment, answer: None, ..answered() }));
    let s = Session { step: Step::Request, request: Some(8), ..start(Some(Lang::Fr)) };
    for input in ["1", "2", "3"] {
        let turn = advance(&s, input, &d).unwrap();
        assert!(matches!(turn.reply, Reply::Con { invalid: true, .. }), "{input}");
    }
    // Not this number's (or gone): back to the list.
    d.request = Some(None);
    assert_eq!(advance(&s, "2", &d).unwrap().session.step, Step::Mine);
}

#[test]
fn missing_lists_are_asked_for() {
    let s = start(Some(Lang::Fr));
    let empty = Data::default();
    assert_eq!(advance(&s, "2", &empty), Err(Need::Mine));
    let nature = Session { step: Step::Nature, ..s.clone() };
    assert_eq!(advance(&nature, "1", &empty), Err(Need::Bodies));
    let region = Session { step: Step::Region, ..s.clone() };
    assert_eq!(
        advance(&region, "1", &Data { regions: data().regions, ..Default::default() }),
        Err(Need::Places(1))
    );
    let place = Session {
        step: Step::Place,
        draft: Draft { body: Some(4), region: Some(1), ..Default::default() },
        ..s.clone()
    };
    assert_eq!(
        advance(&place, "1", &Data { places: data().places, ..Default::default() }),
        Err(Need::Themes(4))
    );
    let mine = Session { step: Step::Mine, ..s };
    assert_eq!(
        advance(&mine, "1", &Data { mine: data().mine, ..Default::default() }),
        Err(Need::Request(7))
    );
}

#[test]
fn a_dropped_session_is_offered_again() {
    let (turn, _) = walk(&start(Some(Lang::En)), &["1", "1", "1"]);
    assert!(turn.session.resumable());
    let resumed = Session::start(Some(Lang::Fr), Some(turn.session.clone()), "key2".into());
    assert_eq!(
        (resumed.step, resumed.resume, resumed.lang()),
        (Step::Resume, Some(Step::Region), Lang::En)
    );
    let d = data();
    let on = advance(&resumed, "1", &d).unwrap();
    assert_eq!((on.session.step, on.session.draft.body), (Step::Region, turn.session.draft.body));
    let again = advance(&resumed, "2", &d).unwrap();
    assert_eq!((again.session.step, again.session.draft.clone()), (Step::Main, Draft::default()));
    // Nothing worth resuming: the main menu.
    let menu = start(Some(Lang::Fr));
    assert_eq!(Session::start(Some(Lang::Fr), Some(menu), "k".into()).step, Step::Main);
}

#[test]
fn every_step_takes_any_input_without_panicking() {
    let d = data();
    let steps = [
        Step::Language,
        Step::Resume,
        Step::Main,
        Step::Nature,
        Step::Body,
        Step::BodyNumber,
        Step::Region,
        Step::Place,
        Step::Theme,
        Step::Message,
        Step::MoreMessage,
        Step::Confirm,
        Step::Mine,
        Step::Request,
        Step::Answer,
        Step::Verdict,
        Step::Reason,
        Step::Done,
    ];
    let inputs = [
        "", "0", "00", "1", "2", "3", "4", "8", "9", "99", "-1", "1.5", " 1 ", "١", "*", "#", "🙂",
        "x",
    ];
    let draft = Draft {
        nature: Some("suggestion".into()),
        body: Some(3),
        region: Some(1),
        place: Some(101),
        theme: None,
        message: "Un message assez long.".into(),
    };
    for step in steps {
        for page in [0, 1, 5, usize::MAX - 1] {
            let s = Session {
                step,
                page,
                draft: draft.clone(),
                request: Some(7),
                resume: Some(Step::Theme),
                ..start(Some(Lang::Fr))
            };
            for input in inputs {
                let turn =
                    advance(&s, input, &d).unwrap_or_else(|n| panic!("{step:?} {input:?}: {n:?}"));
                if let Reply::Con { screen: Screen::List { items, .. }, .. } = &turn.reply {
                    assert!(items.len() <= paging::PAGE_MAX);
                }
            }
        }
    }
}
