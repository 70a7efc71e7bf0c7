use super::bodies::{self, BodyRecord};
use super::places::{self, PlaceFile};
use super::*;
use crate::domain::directory::PlaceKind;
use crate::domain::gazetteer::Point;

fn problems(errors: Vec<LineError>) -> Vec<(u64, Problem)> {
    errors.into_iter().map(|e| (e.line, e.problem)).collect()
}

fn body(id: i64, slug: &str, name: &str) -> bodies::Existing {
    bodies::Existing {
        id,
        slug: slug.into(),
        active: true,
        record: BodyRecord { name: name.into(), source: "guide".into(), ..BodyRecord::default() },
    }
}

#[test]
fn files_that_are_not_utf8_name_their_lines() {
    let latin1 = b"name;phone\nMinist\xe8re;180\nOk;180\nCaf\xe9;\n";
    assert_eq!(
        problems(decode(latin1).unwrap_err()),
        [(2, Problem::NotUtf8), (4, Problem::NotUtf8)]
    );
    assert_eq!(decode("\u{feff}name\nA\n".as_bytes()).unwrap(), "name\nA\n");
    assert_eq!(problems(decode(b"  \n").unwrap_err()), [(1, Problem::Empty)]);
}

#[test]
fn bodies_in_the_shape_of_bodies_csv_and_older_spellings() {
    let data = "name,acronym,kind,holder,website,phone,email,address,source,source_date,evidence,confidence\n\
        \"Caisse Nationale de Prévoyance Sociale\",IPS-CNPS,organisme,,www.cnps.ci,,info@cnps.ci,\"Plateau, rue du Commerce\",https://example.ci/a,,\"quote, with comma\",confirmed\n\
        Office National de la Protection Civile,ONPC,secours,,,180; +225 27 22 47 87 00,,,https://example.ci/b,c. 2021,,\n";
    let file = bodies::parse(data).unwrap();
    assert_eq!(file.lines.len(), 2);
    let cnps = &file.lines[0].record;
    assert_eq!((cnps.acronym.as_str(), cnps.website.as_str()), ("IPS-CNPS", "www.cnps.ci"));
    assert_eq!(cnps.email.as_deref(), Some("info@cnps.ci"));
    assert_eq!(file.lines[1].record.phones[1].e164, "+2252722478700");
    // The guide's older columns, «;», a BOM removed by `decode`.
    let old =
        bodies::parse("Nom;Téléphones;Localisation\nMinistère de la Santé;20 21 08 71;Plateau\n")
            .unwrap();
    assert_eq!(old.columns, ["name", "phone", "address"]);
    assert_eq!(old.lines[0].record.phones[0].e164, "+2252720210871");
}

#[test]
fn bad_body_lines_are_each_named() {
    let data = "name;phone;email;website;source;source_date\n\
        A;20211100;;;s;2026-01-23\n\
        ;;;;s;\n\
        B;pas un numéro;;;s;\n\
        C;;pas@;;s;\n\
        D;;;not a site;s;\n\
        E;;;;s;janvier\n\
        a;;;;s;\n\
        G;;;\n";
    let found = problems(bodies::parse(data).unwrap_err());
    let lines: Vec<u64> = found.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(found[1].1, Problem::Phone("pas un numéro".into()));
    assert_eq!(found[5].1, Problem::Duplicate { what: "name", value: "a".into(), first_line: 2 });
    assert_eq!(found[6].1, Problem::Cells { found: 4, expected: 6 });
    // A new body without its source; an existing one whose source would be blanked.
    let file = bodies::parse("name;source\nNouvelle;\nMinistère de la Défense;\n").unwrap();
    let existing = [body(2, "defense", "Ministère de la Défense")];
    assert_eq!(
        problems(bodies::plan(&file, &existing, "").unwrap_err()),
        [(2, Problem::SourceMissing), (3, Problem::SourceMissing)]
    );
    assert_eq!(
        problems(bodies::parse("phone;email\n180;\n").unwrap_err()),
        [(1, Problem::MissingColumns(vec!["name"]))]
    );
}

#[test]
fn a_body_is_matched_by_id_slug_name_or_former_name_and_missing_ones_are_closed() {
    let mut finances = body(1, "budget-portefeuille-etat", "Ministère des Finances et du Budget");
    finances.record.formerly = vec!["Ministère du budget et du Portefeuille de l'Etat".into()];
    let mut closed = body(3, "ancien", "Office ancien");
    closed.active = false;
    let existing = vec![finances, body(2, "defense", "Ministère de la Défense"), closed];
    let file = bodies::parse(
        "name;phone\nMinistère du Budget et du Portefeuille de l'État;20211100\nOffice ancien;\nNouvelle Autorité;\n",
    )
    .unwrap();
    let plan = bodies::plan(&file, &existing, "2026-12-04").unwrap();
    assert_eq!(plan.changed.len(), 2);
    assert_eq!(plan.changed[0].id, 1, "found by its former name");
    assert_eq!(plan.changed[0].fields, ["name", "phone"]);
    assert!(plan.changed[1].reopened && plan.changed[1].fields.is_empty());
    assert_eq!(plan.added.len(), 1);
    assert_eq!(plan.added[0].0, "nouvelle-autorite");
    assert_eq!(plan.added[0].1.source, "Administration Miliê (import)", "a file without sources");
    assert_eq!(plan.added[0].1.source_date, "2026-12-04");
    assert_eq!(plan.closed, [(2, "Ministère de la Défense".to_owned())]);
    // Two lines for one body; an id that is none.
    let twice = bodies::parse("name;id\nMinistère de la Défense;\nAutre nom;2\n").unwrap();
    assert_eq!(
        problems(bodies::plan(&twice, &existing, "").unwrap_err()),
        [(3, Problem::SameEntry { first_line: 2 })]
    );
    let unknown = bodies::parse("name;id\nX;99\n").unwrap();
    assert_eq!(
        problems(bodies::plan(&unknown, &existing, "").unwrap_err()),
        [(2, Problem::UnknownId("99".into()))]
    );
}

#[test]
fn exporting_then_importing_the_bodies_plans_nothing() {
    let mut a = body(1, "a", "Haute Autorité pour la Bonne Gouvernance");
    a.record.phones =
        crate::domain::body::parse_phones("800 800 11 (numéro vert); +225 27 20 22 55 00").unwrap();
    a.record.formerly = vec!["Ancien nom, avec virgule".into(), "Autre".into()];
    a.record.evidence = "«=formule» ; \"guillemets\", -1 et +2".into();
    a.record.government = "2026-01-23".into();
    a.record.email = Some("x@y.ci".into());
    let mut b = body(2, "b", "=Nom risqué");
    b.record.source_date = "c. 2024".into();
    let existing = vec![a, b];
    let exported = bodies::export(&existing);
    let file = bodies::parse(&decode(exported.as_bytes()).unwrap()).unwrap();
    let plan = bodies::plan(&file, &existing, "2026-12-04").unwrap();
    assert!(plan.is_empty(), "{plan:?}");
    assert_eq!(plan.unchanged, 2);
}

fn place(
    id: i64,
    slug: &str,
    kind: PlaceKind,
    name: &str,
    parent: Option<i64>,
    pcode: Option<&str>,
) -> places::Existing {
    places::Existing {
        id,
        slug: slug.into(),
        kind,
        name: name.into(),
        parent,
        pcode: pcode.map(str::to_owned),
        lat: None,
        lon: None,
        point: None,
        active: true,
    }
}

fn country() -> Vec<places::Existing> {
    use PlaceKind::*;
    let mut sp =
        place(4, "sous-prefecture-bouake", SousPrefecture, "Bouaké", Some(3), Some("CI110301"));
    (sp.lat, sp.lon, sp.point) = (Some(7.69385), Some(-5.03031), Some(Point::Seat));
    vec![
        place(1, "district-vallee-du-bandama", District, "Vallée du Bandama", None, None),
        place(2, "region-gbeke", Region, "Gbêkê", Some(1), Some("CI11")),
        place(3, "departement-bouake", Departement, "Bouaké", Some(2), Some("CI1103")),
        sp,
        place(5, "commune-bouake", Commune, "Bouaké", Some(3), None),
        place(6, "localite-1", Locality, "Allokokro", Some(4), None),
    ]
}

fn read(data: &str) -> PlaceFile {
    places::parse(data).unwrap()
}

#[test]
fn exporting_then_importing_the_places_plans_nothing() {
    let existing = country();
    let exported = places::export(&existing);
    assert!(exported.contains(
        "sous_prefecture,CI110301,Bouaké,sous-prefecture-bouake,CI1103,7.69385,-5.03031,seat"
    ));
    assert!(exported.contains("localite,,Allokokro,localite-1,CI110301,,,"));
    let plan = places::plan(&read(&decode(exported.as_bytes()).unwrap()), &existing).unwrap();
    assert!(plan.is_empty(), "{plan:?}");
    assert_eq!(plan.unchanged, 6);
}

#[test]
fn places_added_changed_and_closed() {
    let existing = country();
    let data = "type,pcode,nom,slug,rattachement,latitude,longitude,point\n\
        district,,Vallée du Bandama,district-vallee-du-bandama,,,,\n\
        region,CI11,Gbêkê,region-gbeke,district-vallee-du-bandama,,,\n\
        departement,CI1103,Bouaké,departement-bouake,CI11,,,\n\
        sous_prefecture,CI110301,Bouaké,sous-prefecture-bouake,CI1103,7.7,-5.03,seat\n\
        sous_prefecture,CI110302,Brobo,,CI1103,7.6,-4.9,centroid\n\
        localite,,Allokokro,localite-1,CI110302,,,\n";
    let plan = places::plan(&read(data), &existing).unwrap();
    assert_eq!(plan.added.len(), 1);
    assert_eq!(plan.added[0].slug, "sous-prefecture-brobo");
    assert_eq!(plan.added[0].parent.as_deref(), Some("departement-bouake"));
    let changed: Vec<(&str, &[&str])> =
        plan.changed.iter().map(|(w, _, f, _)| (w.slug.as_str(), f.as_slice())).collect();
    assert_eq!(
        changed,
        [("sous-prefecture-bouake", &["position"][..]), ("localite-1", &["rattachement"][..])]
    );
    assert_eq!(
        plan.closed,
        [("commune-bouake".to_owned(), "Bouaké".to_owned(), PlaceKind::Commune)]
    );
}

#[test]
fn bad_place_lines_are_each_named() {
    let existing = country();
    let parse_errors = problems(
        places::parse(
            "type;pcode;nom;rattachement;latitude;longitude;point\n\
             hameau;;X;CI11;;;\n\
             commune;CI1103;Y;CI11;;;\n\
             departement;CI11;Z;CI11;;;\n\
             commune;;W;;;;\n\
             commune;;V;CI11;95;1;\n\
             commune;;U;CI11;;;seat\n\
             commune;;T;CI11;;;chez moi\n",
        )
        .unwrap_err(),
    );
    assert_eq!(
        parse_errors,
        [
            (2, Problem::Kind("hameau".into())),
            (3, Problem::PcodeNotHere("CI1103".into())),
            (4, Problem::PcodeFormat("CI11".into())),
            (5, Problem::ParentMissing),
            (6, Problem::Position),
            (7, Problem::PointWithoutPosition),
            (8, Problem::Point("chez moi".into())),
        ]
    );
    let plan_errors = problems(
        places::plan(
            &read(
                "type;pcode;nom;rattachement\n\
                 district;;Vallée du Bandama;\n\
                 region;CI11;Gbêkê;Vallée du Bandama\n\
                 departement;CI1103;Bouaké;CI11\n\
                 sous_prefecture;CI990101;Nulle;CI9901\n\
                 sous_prefecture;CI120101;Ailleurs;CI1103\n\
                 commune;;Bouaké;CI1103\n\
                 commune;;Bouaké;CI1103\n\
                 sous_prefecture;CI110301;Bouaké;Gbêkê\n",
            ),
            &existing,
        )
        .unwrap_err(),
    );
    assert_eq!(
        plan_errors,
        [
            (5, Problem::UnknownPcode("CI9901".into())),
            (6, Problem::PcodeOutside { pcode: "CI120101".into(), parent: "CI1103".into() }),
            (9, Problem::ParentKind { kind: "sous_prefecture", parent: "region" }),
        ]
    );
    let twice = problems(
        places::plan(
            &read("type;nom;rattachement\ndistrict;Vallée du Bandama;\nregion;Gbêkê;Vallée du Bandama\nregion;Gbêkê;Vallée du Bandama\n"),
            &existing,
        )
        .unwrap_err(),
    );
    assert_eq!(twice, [(4, Problem::SameEntry { first_line: 3 })]);
}
