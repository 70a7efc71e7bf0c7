//! The request lifecycle: stages, events, roles, and the one table of allowed transitions
//! (stage × event × role → next stage), in the spirit of Signalen's workflow table.

use super::nature::Nature;

/// Read from storage by its slug (`serde(try_from)`): a row never carries an unparsed stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum Stage {
    /// Stage 1: new or edited, waiting for an analyst.
    AwaitingTriage,
    /// Stage 1: sent back to the citizen for reformulation.
    Returned,
    /// Stage 2: a réclamation found admissible, with the body.
    InTreatment,
    /// An observation or suggestion read and passed on to the body (no verdict step).
    Forwarded,
    /// The body's focal point took the forwarded observation or suggestion into account (final).
    TakenIntoAccount,
    /// Stage 3: the body answered; the citizen's verdict is awaited.
    Treated,
    /// The citizen gave a verdict.
    Closed,
    /// No verdict came after the reminders.
    ClosedWithoutVerdict,
    /// A duplicate merged into another request (its main one): closed, it follows the main one's
    /// stage; unmerging brings it back to the stage it had (`domain::merge`).
    Merged,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::AwaitingTriage,
        Stage::Returned,
        Stage::InTreatment,
        Stage::Forwarded,
        Stage::TakenIntoAccount,
        Stage::Treated,
        Stage::Closed,
        Stage::ClosedWithoutVerdict,
        Stage::Merged,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Stage::AwaitingTriage => "awaiting_triage",
            Stage::Returned => "returned",
            Stage::InTreatment => "in_treatment",
            Stage::Forwarded => "forwarded",
            Stage::TakenIntoAccount => "taken_into_account",
            Stage::Treated => "treated",
            Stage::Closed => "closed",
            Stage::ClosedWithoutVerdict => "closed_without_verdict",
            Stage::Merged => "merged",
        }
    }

    pub fn parse(slug: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// The guide's stage number: 1 triage, 2 treatment, 3 verdict.
    pub fn number(self) -> u8 {
        match self {
            Stage::AwaitingTriage | Stage::Returned => 1,
            Stage::InTreatment | Stage::Forwarded => 2,
            Stage::Treated
            | Stage::Closed
            | Stage::ClosedWithoutVerdict
            | Stage::TakenIntoAccount
            | Stage::Merged => 3,
        }
    }

    /// Open to Open311's eyes: still being worked on.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Stage::Forwarded
                | Stage::TakenIntoAccount
                | Stage::Closed
                | Stage::ClosedWithoutVerdict
                | Stage::Merged
        )
    }
}

impl TryFrom<String> for Stage {
    type Error = String;
    fn try_from(slug: String) -> Result<Stage, String> {
        Stage::parse(&slug).ok_or_else(|| format!("unknown stage {slug:?}"))
    }
}

impl TryFrom<String> for Verdict {
    type Error = String;
    fn try_from(slug: String) -> Result<Verdict, String> {
        Verdict::parse(&slug).ok_or_else(|| format!("unknown verdict {slug:?}"))
    }
}

pub use super::role::Role;

pub use super::channel::Channel;

/// The events that bring a request (back) into the body's hands, stage 2: which of them came last
/// says how it got there.
pub const ENTERS_TREATMENT: [Event; 4] =
    [Event::Validate, Event::Reassign, Event::Reopen, Event::ReturnToBody];

/// Whether a request in stage 2 is there because its citizen reopened it: the last of the events
/// that bring it there (oldest first in `history`) is the reopening.
pub fn reopened_last<'a>(history: impl DoubleEndedIterator<Item = &'a str>) -> bool {
    let enters = |e: &&str| ENTERS_TREATMENT.iter().any(|x| x.slug() == *e);
    history.rev().find(enters) == Some(Event::Reopen.slug())
}

/// The same rule in SQL, for queues: `1` when the last entering event of request `r` is the
/// reopening (NULL when there is none).
pub fn reopened_last_sql() -> String {
    let list = ENTERS_TREATMENT.iter().map(|e| format!("'{}'", e.slug())).collect::<Vec<_>>();
    format!(
        "(SELECT e.event FROM request_events e WHERE e.request_id = r.id AND e.event IN ({}) \
         ORDER BY e.at DESC, e.id DESC LIMIT 1) = '{}'",
        list.join(", "),
        Event::Reopen.slug()
    )
}

/// The citizen's verdict on the body's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum Verdict {
    Satisfied,
    PartlySatisfied,
    NotSatisfied,
}

impl Verdict {
    pub const ALL: [Verdict; 3] =
        [Verdict::Satisfied, Verdict::PartlySatisfied, Verdict::NotSatisfied];
    pub fn slug(self) -> &'static str {
        match self {
            Verdict::Satisfied => "satisfied",
            Verdict::PartlySatisfied => "partly_satisfied",
            Verdict::NotSatisfied => "not_satisfied",
        }
    }
    pub fn parse(slug: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.slug() == slug)
    }
}

/// What can happen to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The citizen changes the message (stage 1).
    Edit,
    SendBack,
    Validate,
    MarkForwarded,
    Reassign,
    Treat,
    GiveVerdict(Verdict),
    Reopen,
    /// The analyst's clarification after a verdict other than «satisfait».
    Clarify,
    /// After a verdict other than «satisfait», the analyst returns the request to the body.
    ReturnToBody,
    /// The focal point asks the analyst to send the request to another body.
    RequestReassign,
    /// The focal point takes a forwarded observation or suggestion into account.
    TakeIntoAccount,
    AutoClose,
    /// A focal point takes the request in hand («Je m'en charge»).
    Take,
    /// A supervisor gives it to a colleague of the same body, with the reason.
    Assign,
    /// Back to the body's queue: by its holder, a supervisor, or the system (holder deactivated
    /// or absent).
    Release,
    /// A duplicate merged into its main request.
    Merge,
    /// The merge undone.
    Unmerge,
}

impl Event {
    pub fn slug(self) -> &'static str {
        match self {
            Event::Edit => "edited",
            Event::SendBack => "sent_back",
            Event::Validate => "validated",
            Event::MarkForwarded => "forwarded",
            Event::Reassign => "reassigned",
            Event::Treat => "treated",
            Event::GiveVerdict(_) => "verdict",
            Event::Reopen => "reopened",
            Event::Clarify => "clarified",
            Event::ReturnToBody => "returned_to_body",
            Event::RequestReassign => "reassign_requested",
            Event::TakeIntoAccount => "taken_into_account",
            Event::AutoClose => "auto_closed",
            Event::Take => "took_charge",
            Event::Assign => "assigned",
            Event::Release => "released",
            Event::Merge => "merged",
            Event::Unmerge => "unmerged",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub stage: Stage,
    pub event: Event,
    pub role: Role,
}

/// The transition table. Anything not listed is refused.
pub fn next(stage: Stage, event: Event, role: Role, nature: Nature) -> Result<Stage, Refused> {
    use Event as E;
    use Role as R;
    use Stage as S;
    let reclamation = nature == Nature::Reclamation;
    let to = match (stage, event, role) {
        // Stage 1: the citizen may reword while the request waits or after it was sent back.
        (S::AwaitingTriage | S::Returned, E::Edit, R::Citizen | R::PhoneOperator) => {
            Some(S::AwaitingTriage)
        }
        (S::AwaitingTriage, E::SendBack, R::Analyst) => Some(S::Returned),
        (S::AwaitingTriage, E::Validate, R::Analyst) if reclamation => Some(S::InTreatment),
        (S::AwaitingTriage, E::MarkForwarded, R::Analyst) if !reclamation => Some(S::Forwarded),
        // The body's focal point takes a forwarded observation or suggestion into account.
        (S::Forwarded, E::TakeIntoAccount, R::FocalPoint) if !reclamation => {
            Some(S::TakenIntoAccount)
        }
        (S::AwaitingTriage | S::InTreatment, E::Reassign, R::Analyst | R::Admin) => Some(stage),
        // Stage 2: the body's focal point answers.
        (S::InTreatment, E::Treat, R::FocalPoint) => Some(S::Treated),
        // Stage 3: the citizen judges the answer or reopens the request.
        (S::Treated, E::GiveVerdict(_), R::Citizen) => Some(S::Closed),
        (S::Treated, E::Reopen, R::Citizen) => Some(S::InTreatment),
        (S::Closed, E::Clarify, R::Analyst) => Some(S::Closed),
        (S::Closed, E::ReturnToBody, R::Analyst) if reclamation => Some(S::InTreatment),
        (S::InTreatment, E::RequestReassign, R::FocalPoint) => Some(S::InTreatment),
        (S::Treated, E::AutoClose, R::System) => Some(S::ClosedWithoutVerdict),
        // Who holds a request within its body (`domain::assignment` guards the rest).
        (S::InTreatment | S::Forwarded, E::Take, R::FocalPoint) => Some(stage),
        (S::InTreatment | S::Forwarded, E::Assign, R::Supervisor | R::Admin) => Some(stage),
        (
            S::InTreatment | S::Forwarded,
            E::Release,
            R::FocalPoint | R::Supervisor | R::Admin | R::System,
        ) => Some(stage),
        // Duplicates (`domain::merge` guards the pair); unmerging restores the stage it had.
        (S::AwaitingTriage | S::Returned | S::InTreatment | S::Forwarded, E::Merge, R::Analyst) => {
            Some(S::Merged)
        }
        (S::Merged, E::Unmerge, R::Analyst) => Some(S::AwaitingTriage),
        _ => None,
    };
    to.ok_or(Refused { stage, event, role })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_was_reopened_last_when_the_reopening_is_its_last_way_into_stage_2() {
        let h = |events: &[&'static str]| reopened_last(events.iter().copied());
        assert!(h(&["submitted", "validated", "treated", "reopened"]));
        assert!(
            h(&["submitted", "validated", "treated", "reopened", "note"]),
            "a note changes nothing"
        );
        assert!(!h(&["submitted", "validated", "treated", "reopened", "reassigned"]));
        assert!(!h(&["submitted", "validated", "treated", "verdict", "returned_to_body"]));
        assert!(!h(&["submitted", "validated"]));
        assert!(!h(&[]));
        let sql = reopened_last_sql();
        for e in ENTERS_TREATMENT {
            assert!(sql.contains(&format!("'{}'", e.slug())), "{sql}");
        }
        assert!(sql.ends_with(&format!("= '{}'", Event::Reopen.slug())));
    }

    const EVENTS: [Event; 20] = [
        Event::Edit,
        Event::SendBack,
        Event::Validate,
        Event::MarkForwarded,
        Event::Reassign,
        Event::Treat,
        Event::GiveVerdict(Verdict::Satisfied),
        Event::GiveVerdict(Verdict::PartlySatisfied),
        Event::GiveVerdict(Verdict::NotSatisfied),
        Event::Reopen,
        Event::Clarify,
        Event::ReturnToBody,
        Event::RequestReassign,
        Event::AutoClose,
        Event::TakeIntoAccount,
        Event::Take,
        Event::Assign,
        Event::Release,
        Event::Merge,
        Event::Unmerge,
    ];

    #[test]
    fn the_guides_path_for_a_reclamation() {
        let n = Nature::Reclamation;
        let s = next(Stage::AwaitingTriage, Event::SendBack, Role::Analyst, n).unwrap();
        assert_eq!(s, Stage::Returned);
        let s = next(s, Event::Edit, Role::Citizen, n).unwrap();
        assert_eq!(s, Stage::AwaitingTriage);
        let s = next(s, Event::Validate, Role::Analyst, n).unwrap();
        assert_eq!(s, Stage::InTreatment);
        let s = next(s, Event::Treat, Role::FocalPoint, n).unwrap();
        assert_eq!(s, Stage::Treated);
        let reopened = next(s, Event::Reopen, Role::Citizen, n).unwrap();
        assert_eq!(reopened, Stage::InTreatment);
        let s = next(s, Event::GiveVerdict(Verdict::NotSatisfied), Role::Citizen, n).unwrap();
        assert_eq!(s, Stage::Closed);
        assert_eq!(next(s, Event::Clarify, Role::Analyst, n), Ok(Stage::Closed));
    }

    #[test]
    fn observations_and_suggestions_are_forwarded_not_validated() {
        for n in [Nature::Observation, Nature::Suggestion] {
            assert_eq!(
                next(Stage::AwaitingTriage, Event::MarkForwarded, Role::Analyst, n),
                Ok(Stage::Forwarded)
            );
            assert!(next(Stage::AwaitingTriage, Event::Validate, Role::Analyst, n).is_err());
        }
        assert!(next(
            Stage::AwaitingTriage,
            Event::MarkForwarded,
            Role::Analyst,
            Nature::Reclamation
        )
        .is_err());
    }

    #[test]
    fn only_the_right_role_moves_a_request() {
        assert!(next(Stage::AwaitingTriage, Event::Validate, Role::Citizen, Nature::Reclamation)
            .is_err());
        assert!(next(Stage::InTreatment, Event::Treat, Role::Analyst, Nature::Reclamation).is_err());
        assert!(next(
            Stage::Treated,
            Event::GiveVerdict(Verdict::Satisfied),
            Role::FocalPoint,
            Nature::Reclamation
        )
        .is_err());
        assert!(
            next(Stage::InTreatment, Event::Edit, Role::Citizen, Nature::Reclamation).is_err(),
            "no edit once with the body"
        );
    }

    #[test]
    fn the_table_is_exhaustive_and_closed_stages_are_final() {
        // Every combination answers (no panic); count what is allowed, so a change to the table is deliberate.
        let mut allowed = 0;
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.slug()), Some(stage));
            for event in EVENTS {
                for role in Role::ALL {
                    for nature in Nature::ALL {
                        if let Ok(to) = next(stage, event, role, nature) {
                            allowed += 1;
                            if matches!(
                                stage,
                                Stage::TakenIntoAccount | Stage::ClosedWithoutVerdict
                            ) {
                                panic!("{stage:?} must be final, but {event:?} by {role:?} leads to {to:?}");
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(allowed, 114);
    }

    #[test]
    fn rows_carry_parsed_values() {
        for stage in Stage::ALL {
            assert_eq!(
                serde_json::from_str::<Stage>(&format!("\"{}\"", stage.slug())).unwrap(),
                stage
            );
        }
        assert_eq!(
            serde_json::from_str::<Option<Verdict>>("\"partly_satisfied\"").unwrap(),
            Some(Verdict::PartlySatisfied)
        );
        assert!(
            serde_json::from_str::<Stage>("\"lost\"").is_err(),
            "an unknown stage is an error, never a default"
        );
        assert_eq!(serde_json::from_str::<Nature>("\"suggestion\"").unwrap(), Nature::Suggestion);
    }

    #[test]
    fn forwarded_observations_are_taken_into_account_by_the_body() {
        for n in [Nature::Observation, Nature::Suggestion] {
            assert_eq!(
                next(Stage::Forwarded, Event::TakeIntoAccount, Role::FocalPoint, n),
                Ok(Stage::TakenIntoAccount)
            );
            for role in [Role::Citizen, Role::Analyst, Role::PhoneOperator, Role::System] {
                assert!(
                    next(Stage::Forwarded, Event::TakeIntoAccount, role, n).is_err(),
                    "{role:?}"
                );
            }
            assert!(
                next(Stage::AwaitingTriage, Event::TakeIntoAccount, Role::FocalPoint, n).is_err()
            );
        }
        assert!(next(
            Stage::Forwarded,
            Event::TakeIntoAccount,
            Role::FocalPoint,
            Nature::Reclamation
        )
        .is_err());
        assert_eq!(Stage::TakenIntoAccount.number(), 3);
        assert!(!Stage::TakenIntoAccount.is_open());
    }
}
