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
    let fr = lang == Lang::Fr;
    match column {
        "name" | "nom" => {
            if fr {
                "nom"
            } else {
                "name"
            }
        }
        "acronym" => {
            if fr {
                "sigle"
            } else {
                "acronym"
            }
        }
        "kind" | "type" => "type",
        "holder" => {
            if fr {
                "titulaire"
            } else {
                "holder"
            }
        }
        "website" => {
            if fr {
                "site web"
            } else {
                "website"
            }
        }
        "phone" => {
            if fr {
                "téléphones"
            } else {
                "phones"
            }
        }
        "email" => {
            if fr {
                "courriel"
            } else {
                "email"
            }
        }
        "address" => {
            if fr {
                "adresse"
            } else {
                "address"
            }
        }
        "source" => "source",
        "source_date" => {
            if fr {
                "date de la source"
            } else {
                "source date"
            }
        }
        "evidence" => {
            if fr {
                "extrait"
            } else {
                "evidence"
            }
        }
        "confidence" => {
            if fr {
                "fiabilité"
            } else {
                "confidence"
            }
        }
        "anciennement" => {
            if fr {
                "anciens noms"
            } else {
                "former names"
            }
        }
        "gouvernement" => {
            if fr {
                "gouvernement"
            } else {
                "government"
            }
        }
        "source_contacts" => {
            if fr {
                "source des contacts"
            } else {
                "contacts' source"
            }
        }
        "rattachement" => {
            if fr {
                "rattachement"
            } else {
                "parent"
            }
        }
        "pcode" => "P-code",
        "position" => {
            if fr {
                "coordonnées"
            } else {
                "coordinates"
            }
        }
        "point" => {
            if fr {
                "nature du point"
            } else {
                "kind of point"
            }
        }
        "slug" => "slug",
        "id" => {
            if fr {
                "identifiant"
            } else {
                "id"
            }
        }
        "latitude" => "latitude",
        "longitude" => "longitude",
        _ => "?",
    }
}

/// «Ligne 4 : numéro illisible : «abc»».
pub fn problem(lang: Lang, e: &LineError) -> String {
    let fr = lang == Lang::Fr;
    let words = match &e.problem {
        Problem::NotUtf8 => {
            if fr {
                "pas en UTF-8 : enregistrez le fichier en « CSV UTF-8 »".into()
            } else {
                "not UTF-8: save the file as «CSV UTF-8»".into()
            }
        }
        Problem::Empty => {
            if fr {
                "le fichier est vide".into()
            } else {
                "the file is empty".into()
            }
        }
        Problem::TooLarge => {
            if fr {
                "le fichier dépasse 1,8 Mo".into()
            } else {
                "the file is over 1.8 MB".into()
            }
        }
        Problem::TooManyLines(n) => {
            if fr {
                format!("plus de {n} lignes")
            } else {
                format!("more than {n} lines")
            }
        }
        Problem::MissingColumns(c) => {
            let names = c.iter().map(|c| field(lang, c)).collect::<Vec<_>>().join(", ");
            if fr {
                format!("colonne manquante : {names}")
            } else {
                format!("missing column: {names}")
            }
        }
        Problem::DuplicateColumn(c) => {
            if fr {
                format!("colonne « {c} » deux fois")
            } else {
                format!("column «{c}» twice")
            }
        }
        Problem::Cells { found, expected } => {
            if fr {
                format!("{found} colonnes au lieu de {expected} (colonne manquante ou en trop)")
            } else {
                format!("{found} columns instead of {expected} (a column missing or too many)")
            }
        }
        Problem::Unreadable => {
            if fr {
                "ligne illisible".into()
            } else {
                "unreadable line".into()
            }
        }
        Problem::NameMissing => {
            if fr {
                "nom manquant, ou sans lettre ni chiffre".into()
            } else {
                "name missing, or without a letter or digit".into()
            }
        }
        Problem::TooLong(c) => {
            if fr {
                format!("{} trop long", field(lang, c))
            } else {
                format!("{} too long", field(lang, c))
            }
        }
        Problem::Duplicate { what, value, first_line } => {
            let what = field(lang, what);
            if fr {
                format!("{what} en double : « {value} » (déjà ligne {first_line})")
            } else {
                format!("duplicate {what}: «{value}» (already line {first_line})")
            }
        }
        Problem::Phone(p) => {
            if fr {
                format!("numéro de téléphone illisible : « {p} »")
            } else {
                format!("unreadable phone number: «{p}»")
            }
        }
        Problem::Email(m) => {
            if fr {
                format!("adresse électronique invalide : « {m} »")
            } else {
                format!("invalid email address: «{m}»")
            }
        }
        Problem::Website(w) => {
            if fr {
                format!("site web illisible : « {w} »")
            } else {
                format!("unreadable website: «{w}»")
            }
        }
        Problem::Date(d) => {
            if fr {
                format!("date illisible : « {d} » (AAAA-MM-JJ, AAAA-MM, AAAA, ou vide)")
            } else {
                format!("unreadable date: «{d}» (YYYY-MM-DD, YYYY-MM, YYYY, or blank)")
            }
        }
        Problem::SourceMissing => {
            if fr {
                "source manquante : d'où vient cette information ?".into()
            } else {
                "source missing: where does this come from?".into()
            }
        }
        Problem::UnknownId(i) => {
            if fr {
                format!("identifiant inconnu : {i}")
            } else {
                format!("unknown id: {i}")
            }
        }
        Problem::SameEntry { first_line } => {
            if fr {
                format!("le même que la ligne {first_line}")
            } else {
                format!("the same as line {first_line}")
            }
        }
        Problem::Kind(k) => {
            if fr {
                format!("type inconnu : « {k} »")
            } else {
                format!("unknown type: «{k}»")
            }
        }
        Problem::PcodeFormat(p) => {
            if fr {
                format!("P-code mal formé pour ce type : {p}")
            } else {
                format!("P-code of the wrong form for this type: {p}")
            }
        }
        Problem::PcodeNotHere(p) => {
            if fr {
                format!("les communes et les localités n'ont pas de P-code OCHA : {p}")
            } else {
                format!("communes and localities have no OCHA P-code: {p}")
            }
        }
        Problem::PcodeTaken { pcode, by } => {
            if fr {
                format!("P-code {pcode} déjà porté par « {by} »")
            } else {
                format!("P-code {pcode} already held by «{by}»")
            }
        }
        Problem::PcodeOutside { pcode, parent } => {
            if fr {
                format!("P-code {pcode} hors de son rattachement {parent}")
            } else {
                format!("P-code {pcode} outside its parent {parent}")
            }
        }
        Problem::UnknownPcode(p) => {
            if fr {
                format!("P-code inconnu : {p} (aucune ligne du fichier ne le porte)")
            } else {
                format!("unknown P-code: {p} (no line of the file has it)")
            }
        }
        Problem::UnknownParent(p) => {
            if fr {
                format!("rattachement inconnu : « {p} »")
            } else {
                format!("unknown parent: «{p}»")
            }
        }
        Problem::AmbiguousParent(p) => {
            if fr {
                format!("rattachement ambigu : plusieurs lieux s'appellent « {p} » ; donnez son P-code ou son slug")
            } else {
                format!(
                    "ambiguous parent: several places are called «{p}»; give its P-code or slug"
                )
            }
        }
        Problem::ParentMissing => {
            if fr {
                "rattachement manquant".into()
            } else {
                "parent missing".into()
            }
        }
        Problem::ParentKind { kind, parent } if parent.is_empty() => {
            if fr {
                format!("un {kind} n'a pas de rattachement")
            } else {
                format!("a {kind} has no parent")
            }
        }
        Problem::ParentKind { kind, parent } => {
            if fr {
                format!("un lieu de type {kind} ne peut pas relever d'un {parent}")
            } else {
                format!("a {kind} cannot belong to a {parent}")
            }
        }
        Problem::Position => {
            if fr {
                "coordonnées illisibles : latitude et longitude en degrés décimaux, les deux ou aucune".into()
            } else {
                "unreadable coordinates: latitude and longitude in decimal degrees, both or neither"
                    .into()
            }
        }
        Problem::Point(p) => {
            if fr {
                format!("nature du point inconnue : « {p} » (seat ou centroid)")
            } else {
                format!("unknown kind of point: «{p}» (seat or centroid)")
            }
        }
        Problem::PointWithoutPosition => {
            if fr {
                "nature du point sans coordonnées".into()
            } else {
                "a kind of point without coordinates".into()
            }
        }
    };
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
        for column in crate::domain::import::bodies::COLUMNS
            .iter()
            .chain(&crate::domain::import::places::COLUMNS)
        {
            assert_ne!(field(Lang::Fr, column), "?", "{column}");
        }
    }
}
