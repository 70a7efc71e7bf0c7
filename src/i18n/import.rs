//! The words of the directory's imports and exports (Administration › Organismes and › Lieux):
//! the preview, its confirmation, and each problem a bad line can have. French and English side
//! by side. Reached through `texts(lang)` (not `Texts`), so the citizens' worker carries none of it.

use super::Lang;
use crate::domain::import::{LineError, Problem};

#[derive(Debug)]
pub struct ImportTexts {
    pub bodies_hint: &'static str,
    pub places_hint: &'static str,
    pub export_bodies: &'static str,
    pub export_places: &'static str,
    pub preview_bodies: &'static str,
    pub preview_places: &'static str,
    /// «{added} à ajouter, {changed} à modifier, {closed} à fermer, {unchanged} inchangés»
    pub summary: &'static str,
    pub nothing: &'static str,
    pub added: &'static str,
    pub changed: &'static str,
    pub closed: &'static str,
    pub reopened: &'static str,
    pub more: &'static str,
    pub closed_bodies_note: &'static str,
    pub closed_places_note: &'static str,
    pub confirm: &'static str,
    pub confirm_note: &'static str,
    pub cancel: &'static str,
    pub moved: &'static str,
    pub expired: &'static str,
    pub done: &'static str,
    pub refused: &'static str,
    pub col_name: &'static str,
    pub col_kind: &'static str,
    pub col_changes: &'static str,
    pub col_source: &'static str,
    pub undated: &'static str,
    pub line: &'static str,
}

pub static FR: ImportTexts = ImportTexts {
    bodies_hint: "Un fichier CSV (UTF-8) dans la forme de l'export ci-dessus, celle de bodies.csv : name, acronym, kind, holder, website, phone, email, address, source, source_date, evidence, confidence, et facultatives id, anciennement, gouvernement, source_contacts. C'est la liste complète : un organisme absent du fichier est fermé (jamais supprimé ; ses requêtes restent et les analystes sont avertis). Une colonne absente laisse ce champ tel qu'il est. Vous verrez un aperçu avant que rien ne change.",
    places_hint: "Un fichier CSV (UTF-8) dans la forme de l'export ci-dessus : type (district, region, departement, commune, sous_prefecture, localite), pcode, nom, slug, rattachement (le P-code du parent, sinon son slug), latitude, longitude, point (seat : chef-lieu, centroid : centre du polygone). C'est la liste complète : un lieu absent du fichier est fermé. Vous verrez un aperçu avant que rien ne change.",
    export_bodies: "Exporter l'annuaire (CSV)",
    export_places: "Exporter les lieux (CSV)",
    preview_bodies: "Aperçu de l'import des organismes",
    preview_places: "Aperçu de l'import des lieux",
    summary: "{added} à ajouter, {changed} à modifier, {closed} à fermer, {unchanged} inchangés.",
    nothing: "Rien à changer : le fichier décrit l'annuaire tel qu'il est.",
    added: "À ajouter",
    changed: "À modifier",
    closed: "À fermer",
    reopened: "rouvert",
    more: "… et {n} de plus.",
    closed_bodies_note: "Un organisme fermé ne reçoit plus de requêtes ; celles qu'il a gardent leur organisme, et les analystes sont avertis de chacune qui reste à traiter.",
    closed_places_note: "Un lieu fermé n'est plus proposé ; les requêtes qui le nomment le gardent.",
    confirm: "Confirmer l'import",
    confirm_note: "Tout est écrit d'un seul coup, ou rien.",
    cancel: "Annuler",
    moved: "L'annuaire a changé depuis cet aperçu : voici l'aperçu à jour, à confirmer de nouveau.",
    expired: "Cet aperçu n'existe plus (il expire au bout d'une heure) : importez le fichier de nouveau.",
    done: "Import enregistré : {added} ajoutés, {changed} modifiés, {closed} fermés.",
    refused: "Le fichier n'a pas été importé et rien n'a changé. Corrigez ces lignes :",
    col_name: "Nom",
    col_kind: "Type",
    col_changes: "Ce qui change",
    col_source: "Source",
    undated: "non datée",
    line: "Ligne",
};

pub static EN: ImportTexts = ImportTexts {
    bodies_hint: "A CSV file (UTF-8) in the shape of the export above, that of bodies.csv: name, acronym, kind, holder, website, phone, email, address, source, source_date, evidence, confidence, and optionally id, anciennement, gouvernement, source_contacts. It is the whole list: a body the file leaves out is closed (never deleted; its requests stay and the analysts are told). A column the file lacks leaves that field as it is. You will see a preview before anything changes.",
    places_hint: "A CSV file (UTF-8) in the shape of the export above: type (district, region, departement, commune, sous_prefecture, localite), pcode, nom, slug, rattachement (the parent's P-code, else its slug), latitude, longitude, point (seat, or centroid of the polygon). It is the whole list: a place the file leaves out is closed. You will see a preview before anything changes.",
    export_bodies: "Export the directory (CSV)",
    export_places: "Export the places (CSV)",
    preview_bodies: "Preview of the bodies' import",
    preview_places: "Preview of the places' import",
    summary: "{added} to add, {changed} to change, {closed} to close, {unchanged} unchanged.",
    nothing: "Nothing to change: the file describes the directory as it is.",
    added: "To add",
    changed: "To change",
    closed: "To close",
    reopened: "reopened",
    more: "… and {n} more.",
    closed_bodies_note: "A closed body receives no more requests; those it has keep their body, and the analysts are told of each one still to be handled.",
    closed_places_note: "A closed place is no longer offered; requests that name it keep it.",
    confirm: "Confirm the import",
    confirm_note: "Everything is written at once, or nothing.",
    cancel: "Cancel",
    moved: "The directory changed since this preview: here is the preview as it stands now, to confirm again.",
    expired: "This preview no longer exists (it expires after an hour): import the file again.",
    done: "Import saved: {added} added, {changed} changed, {closed} closed.",
    refused: "The file was not imported and nothing changed. Correct these lines:",
    col_name: "Name",
    col_kind: "Type",
    col_changes: "What changes",
    col_source: "Source",
    undated: "undated",
    line: "Line",
};

pub fn texts(lang: Lang) -> &'static ImportTexts {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

/// A column's name in the admin's words.
pub fn field(lang: Lang, column: &str) -> &'static str {
    let (fr, en) = match column {
        "name" | "nom" => ("nom", "name"),
        "acronym" => ("sigle", "acronym"),
        "kind" | "type" => ("type", "type"),
        "holder" => ("titulaire", "holder"),
        "website" => ("site web", "website"),
        "phone" => ("téléphones", "phones"),
        "email" => ("courriel", "email"),
        "address" => ("adresse", "address"),
        "source" => ("source", "source"),
        "source_date" => ("date de la source", "source date"),
        "evidence" => ("extrait", "evidence"),
        "confidence" => ("fiabilité", "confidence"),
        "anciennement" => ("anciens noms", "former names"),
        "gouvernement" => ("gouvernement", "government"),
        "source_contacts" => ("source des contacts", "contacts' source"),
        "rattachement" => ("rattachement", "parent"),
        "pcode" => ("P-code", "P-code"),
        "position" => ("coordonnées", "coordinates"),
        "point" => ("nature du point", "kind of point"),
        "slug" => ("slug", "slug"),
        "id" => ("identifiant", "id"),
        "latitude" => ("latitude", "latitude"),
        "longitude" => ("longitude", "longitude"),
        _ => ("?", "?"),
    };
    if lang == Lang::Fr {
        fr
    } else {
        en
    }
}

/// A kind of place in the admin's words, singular or plural.
pub fn kind(lang: Lang, kind: &str, plural: bool) -> &'static str {
    let (fr, en, frs, ens) = match kind {
        "district" => ("district", "district", "Districts", "Districts"),
        "region" => ("région", "region", "Régions", "Regions"),
        "departement" => ("département", "department", "Départements", "Departments"),
        "commune" => ("commune", "commune", "Communes", "Communes"),
        "sous_prefecture" => {
            ("sous-préfecture", "sub-prefecture", "Sous-préfectures", "Sub-prefectures")
        }
        "localite" => {
            ("ville ou village", "town or village", "Villes et villages", "Towns and villages")
        }
        _ => ("?", "?", "?", "?"),
    };
    match (lang, plural) {
        (Lang::Fr, false) => fr,
        (Lang::En, false) => en,
        (Lang::Fr, true) => frs,
        (Lang::En, true) => ens,
    }
}

/// «Ligne 4 : numéro de téléphone illisible : « abc »»: the French and English wordings, then
/// what fills their `{0}` and `{1}`.
pub fn problem(lang: Lang, e: &LineError) -> String {
    let field_words = |c: &str| field(lang, c).to_owned();
    let (fr, en, args): (&str, &str, Vec<String>) = match &e.problem {
        Problem::NotUtf8 => (
            "pas en UTF-8 : enregistrez le fichier en « CSV UTF-8 »",
            "not UTF-8: save the file as «CSV UTF-8»",
            vec![],
        ),
        Problem::Empty => ("le fichier est vide", "the file is empty", vec![]),
        Problem::TooLarge => ("le fichier dépasse 1,8 Mo", "the file is over 1.8 MB", vec![]),
        Problem::TooManyLines(n) => ("plus de {0} lignes", "more than {0} lines", vec![n.to_string()]),
        Problem::MissingColumns(c) => (
            "colonne manquante : {0}",
            "missing column: {0}",
            vec![c.iter().map(|c| field_words(c)).collect::<Vec<_>>().join(", ")],
        ),
        Problem::DuplicateColumn(c) => {
            ("colonne « {0} » deux fois", "column «{0}» twice", vec![c.clone()])
        }
        Problem::Cells { found, expected } => (
            "{0} colonnes au lieu de {1} (colonne manquante ou en trop)",
            "{0} columns instead of {1} (a column missing or too many)",
            vec![found.to_string(), expected.to_string()],
        ),
        Problem::Unreadable => ("ligne illisible", "unreadable line", vec![]),
        Problem::NameMissing => (
            "nom manquant, ou sans lettre ni chiffre",
            "name missing, or without a letter or digit",
            vec![],
        ),
        Problem::TooLong(c) => ("{0} trop long", "{0} too long", vec![field_words(c)]),
        Problem::Duplicate { what, value, first_line } => (
            "{0} en double : « {1} » (déjà ligne {2})",
            "duplicate {0}: «{1}» (already line {2})",
            vec![field_words(what), value.clone(), first_line.to_string()],
        ),
        Problem::Phone(p) => (
            "numéro de téléphone illisible : « {0} »",
            "unreadable phone number: «{0}»",
            vec![p.clone()],
        ),
        Problem::Email(m) => {
            ("adresse électronique invalide : « {0} »", "invalid email address: «{0}»", vec![m.clone()])
        }
        Problem::Website(w) => {
            ("site web illisible : « {0} »", "unreadable website: «{0}»", vec![w.clone()])
        }
        Problem::Date(d) => (
            "date illisible : « {0} » (AAAA-MM-JJ, AAAA-MM, AAAA, ou vide)",
            "unreadable date: «{0}» (YYYY-MM-DD, YYYY-MM, YYYY, or blank)",
            vec![d.clone()],
        ),
        Problem::SourceMissing => (
            "source manquante : d'où vient cette information ?",
            "source missing: where does this come from?",
            vec![],
        ),
        Problem::UnknownId(i) => ("identifiant inconnu : {0}", "unknown id: {0}", vec![i.clone()]),
        Problem::SameEntry { first_line } => (
            "le même que la ligne {0}",
            "the same as line {0}",
            vec![first_line.to_string()],
        ),
        Problem::Kind(k) => ("type inconnu : « {0} »", "unknown type: «{0}»", vec![k.clone()]),
        Problem::PcodeFormat(p) => (
            "P-code mal formé pour ce type : {0}",
            "P-code of the wrong form for this type: {0}",
            vec![p.clone()],
        ),
        Problem::PcodeNotHere(p) => (
            "les communes et les localités n'ont pas de P-code OCHA : {0}",
            "communes and localities have no OCHA P-code: {0}",
            vec![p.clone()],
        ),
        Problem::PcodeTaken { pcode, by } => (
            "P-code {0} déjà porté par « {1} »",
            "P-code {0} already held by «{1}»",
            vec![pcode.clone(), by.clone()],
        ),
        Problem::PcodeOutside { pcode, parent } => (
            "P-code {0} hors de son rattachement {1}",
            "P-code {0} outside its parent {1}",
            vec![pcode.clone(), parent.clone()],
        ),
        Problem::UnknownPcode(p) => (
            "P-code inconnu : {0} (aucune ligne du fichier ne le porte)",
            "unknown P-code: {0} (no line of the file has it)",
            vec![p.clone()],
        ),
        Problem::UnknownParent(p) => {
            ("rattachement inconnu : « {0} »", "unknown parent: «{0}»", vec![p.clone()])
        }
        Problem::AmbiguousParent(p) => (
            "rattachement ambigu : plusieurs lieux s'appellent « {0} » ; donnez son P-code ou son slug",
            "ambiguous parent: several places are called «{0}»; give its P-code or slug",
            vec![p.clone()],
        ),
        Problem::ParentMissing => ("rattachement manquant", "parent missing", vec![]),
        Problem::ParentKind { kind, parent: "" } => {
            ("un {0} n'a pas de rattachement", "a {0} has no parent", vec![kind.to_string()])
        }
        Problem::ParentKind { kind, parent } => (
            "un lieu de type {0} ne peut pas relever d'un {1}",
            "a {0} cannot belong to a {1}",
            vec![kind.to_string(), parent.to_string()],
        ),
        Problem::Position => (
            "coordonnées illisibles : latitude et longitude en degrés décimaux, les deux ou aucune",
            "unreadable coordinates: latitude and longitude in decimal degrees, both or neither",
            vec![],
        ),
        Problem::Point(p) => (
            "nature du point inconnue : « {0} » (seat ou centroid)",
            "unknown kind of point: «{0}» (seat or centroid)",
            vec![p.clone()],
        ),
        Problem::PointWithoutPosition => {
            ("nature du point sans coordonnées", "a kind of point without coordinates", vec![])
        }
    };
    let mut words = if lang == Lang::Fr { fr } else { en }.to_owned();
    for (i, arg) in args.iter().enumerate() {
        words = words.replace(&format!("{{{i}}}"), arg);
    }
    format!("{} {} : {words}", texts(lang).line, e.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_worded_in_both_languages() {
        let e = LineError::new(4, Problem::Phone("abc".into()));
        assert_eq!(problem(Lang::Fr, &e), "Ligne 4 : numéro de téléphone illisible : « abc »");
        assert_eq!(problem(Lang::En, &e), "Line 4 : unreadable phone number: «abc»");
        let missing = LineError::new(1, Problem::MissingColumns(vec!["name", "phone"]));
        assert_eq!(problem(Lang::Fr, &missing), "Ligne 1 : colonne manquante : nom, téléphones");
        for k in ["district", "region", "departement", "commune", "sous_prefecture", "localite"] {
            assert_ne!(kind(Lang::En, k, true), "?");
        }
        for column in crate::domain::import::bodies::COLUMNS
            .iter()
            .chain(&crate::domain::import::places::COLUMNS)
        {
            assert_ne!(field(Lang::Fr, column), "?", "{column}");
        }
    }
}
