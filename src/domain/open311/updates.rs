//! What an Open311 update (`servicerequestupdates`, the extension FixMyStreet reads) says of one
//! event of a request's history: its id, its status, its words.

/// The status of an update, in the words FixMyStreet's `map_state` understands (lower case,
/// `_` for spaces): `open` (its «confirmed»), `in_progress`, `internal_referral` (an
/// observation or suggestion read and passed on to the body: closed, no verdict to come) and
/// `closed` (its «fixed - council», or «closed» with extended statuses). Open and closed as
/// `status_of` says: the update's status never contradicts the request's.
/// The stage itself goes along as `external_status_code`.
pub fn update_status(stage: &str) -> &'static str {
    match stage {
        "in_treatment" => "in_progress",
        "forwarded" => "internal_referral",
        "treated" | "closed" | "closed_without_verdict" | "taken_into_account" => "closed",
        // FixMyStreet's own state for a report closed as a duplicate of another.
        "merged" => "duplicate",
        _ => "open",
    }
}

/// What an update says, for everyone: what happened and the stage it left the request at, in
/// the words of the citizen's tracking page (once when they are the same words). Never a note,
/// a name, a contact or the tracking code.
pub fn update_description(event_words: &str, stage_words: &str) -> String {
    if event_words.trim().eq_ignore_ascii_case(stage_words.trim()) || stage_words.is_empty() {
        event_words.to_owned()
    } else {
        format!("{event_words} — {stage_words}")
    }
}

/// An update's id: the request's Open311 id and the event's rank among the events its citizen
/// sees (1 is the submission). Stable (events are never removed, nor their visibility changed),
/// unique (a client such as FixMyStreet keys comments by it), and it tells nothing of the staff's
/// own events, which a global row id would by its gaps.
pub fn update_id(public_id: &str, rank: i64) -> String {
    format!("{public_id}-{rank}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::open311::status_of;
    use crate::domain::stage::Stage;

    #[test]
    fn statuses_are_fixmystreets_words_and_agree_with_open_or_closed() {
        for stage in Stage::ALL {
            let status = update_status(stage.slug());
            let open = matches!(status, "open" | "in_progress");
            assert_eq!(open, status_of(stage.slug()) == "open", "{stage:?}");
            // FixMyStreet lowercases and turns `_` into spaces: plain words, no other characters.
            assert!(status.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        }
        assert_eq!(update_status("in_treatment"), "in_progress");
        assert_eq!(update_status("awaiting_triage"), "open");
        assert_eq!(update_status("treated"), "closed");
    }

    #[test]
    fn descriptions_and_ids() {
        assert_eq!(
            update_description(
                "Jugée recevable et transmise à l'organisme",
                "En cours de traitement"
            ),
            "Jugée recevable et transmise à l'organisme — En cours de traitement"
        );
        assert_eq!(
            update_description("Clôturée sans avis", "Clôturée sans avis"),
            "Clôturée sans avis"
        );
        assert_eq!(update_id("0123456789abcdef", 3), "0123456789abcdef-3");
    }
}
