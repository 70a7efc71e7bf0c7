//! The back office's actions, beside the transition table: for each action a staff member can
//! post (`/agent/requetes/<code>/<slug>`), its lifecycle event, whether it needs a message, what
//! it changes, whom it tells. `stage::next` decides whether it is allowed.

use super::nature::Nature;
use super::notice::Alert;
use super::notification::Template;
use super::stage::{self, Event, Refused, Role, Stage, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffAction {
    Validate,
    SendBack,
    Forward,
    Reassign,
    Treat,
    Clarify,
    ReturnToBody,
    RequestReassign,
    TakeIntoAccount,
    Note,
    /// «Je m'en charge»: a focal point takes the request in hand.
    Take,
    /// A supervisor gives the request to a colleague of its body, with the reason.
    Assign,
    /// Back to the body's queue, from whoever held it.
    Release,
    /// A duplicate into its main request (named in the form).
    Merge,
    /// The merge undone: the request is followed on its own again.
    Unmerge,
}

/// Whether the action's message is required, optional, or absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageRule {
    Required,
    Optional,
}

/// What the action writes on the request besides its history row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// A stage change; `treated` stamps the treatment date.
    Move { treated: bool },
    /// To another body (named in the form).
    Reassign,
    /// To a final stage, closed now.
    Close,
    /// Only the history row.
    Note,
    /// Who holds the request within its body (`domain::assignment` says who).
    Assign,
    /// Closed as a duplicate of another request (`domain::merge` checks the pair).
    Merge,
    /// Back to the stage it had before the merge.
    Unmerge,
}

/// One row of the action table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionRule {
    /// None: an internal note, which is no lifecycle event.
    pub event: Option<Event>,
    pub message: MessageRule,
    pub effect: Effect,
    /// The citizen's notification template, if the citizen is told.
    pub citizen_template: Option<Template>,
    /// The staff to tell.
    pub alert: Option<Alert>,
    /// Whether the citizen sees the history row (internal notes and reassignment requests: no).
    pub visible: bool,
    /// Whether the citizen sees the message with it. The analyst's «Motif» when returning a
    /// request to the body is an instruction to the body, not an answer: the guide's citizen
    /// reads only «Message du ministère» and «Réponse de l'analyste» (which is `Clarify`), so
    /// the row shows the request back in treatment and the reason stays with staff.
    pub message_to_citizen: bool,
}

impl StaffAction {
    pub const ALL: [StaffAction; 15] = [
        StaffAction::Validate,
        StaffAction::SendBack,
        StaffAction::Forward,
        StaffAction::Reassign,
        StaffAction::Treat,
        StaffAction::Clarify,
        StaffAction::ReturnToBody,
        StaffAction::RequestReassign,
        StaffAction::TakeIntoAccount,
        StaffAction::Note,
        StaffAction::Take,
        StaffAction::Assign,
        StaffAction::Release,
        StaffAction::Merge,
        StaffAction::Unmerge,
    ];

    /// The path segment of the action (French, as the back office's URLs are).
    pub fn slug(self) -> &'static str {
        match self {
            StaffAction::Validate => "valider",
            StaffAction::SendBack => "rejeter",
            StaffAction::Forward => "transmettre",
            StaffAction::Reassign => "reaffecter",
            StaffAction::Treat => "traiter",
            StaffAction::Clarify => "clarifier",
            StaffAction::ReturnToBody => "renvoyer-organisme",
            StaffAction::RequestReassign => "demander-reaffectation",
            StaffAction::TakeIntoAccount => "prendre-en-compte",
            StaffAction::Note => "note",
            StaffAction::Take => "prendre",
            StaffAction::Assign => "attribuer",
            StaffAction::Release => "liberer",
            StaffAction::Merge => "fusionner",
            StaffAction::Unmerge => "defusionner",
        }
    }

    pub fn parse(slug: &str) -> Option<StaffAction> {
        StaffAction::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// The action table.
    pub fn rule(self) -> ActionRule {
        use Effect::*;
        use MessageRule::*;
        let rule = |event, message, effect, citizen_template, alert, visible| ActionRule {
            event,
            message,
            effect,
            citizen_template,
            alert,
            visible,
            message_to_citizen: visible,
        };
        match self {
            StaffAction::Validate => rule(
                Some(Event::Validate),
                Optional,
                Move { treated: false },
                Some(Template::Validated),
                Some(Alert::Validated),
                true,
            ),
            StaffAction::SendBack => rule(
                Some(Event::SendBack),
                Required,
                Move { treated: false },
                Some(Template::SentBackForReformulation),
                None,
                true,
            ),
            StaffAction::Forward => rule(
                Some(Event::MarkForwarded),
                Optional,
                Move { treated: false },
                Some(Template::ForwardedForInformation),
                Some(Alert::Forwarded),
                true,
            ),
            StaffAction::Reassign => rule(
                Some(Event::Reassign),
                Optional,
                Effect::Reassign,
                None,
                Some(Alert::Reassigned),
                true,
            ),
            StaffAction::Treat => rule(
                Some(Event::Treat),
                Required,
                Move { treated: true },
                Some(Template::Treated),
                None,
                true,
            ),
            StaffAction::Clarify => {
                rule(Some(Event::Clarify), Required, Note, Some(Template::AnalystReply), None, true)
            }
            StaffAction::ReturnToBody => ActionRule {
                message_to_citizen: false,
                ..rule(
                    Some(Event::ReturnToBody),
                    Optional,
                    Move { treated: false },
                    None,
                    Some(Alert::ReturnedToBody),
                    true,
                )
            },
            StaffAction::RequestReassign => {
                rule(Some(Event::RequestReassign), Required, Note, None, None, false)
            }
            StaffAction::TakeIntoAccount => rule(
                Some(Event::TakeIntoAccount),
                Optional,
                Close,
                Some(Template::TakenIntoAccount),
                None,
                true,
            ),
            StaffAction::Note => rule(None, Required, Note, None, None, false),
            StaffAction::Take => rule(Some(Event::Take), Optional, Assign, None, None, false),
            StaffAction::Assign => {
                rule(Some(Event::Assign), Required, Assign, None, Some(Alert::Assigned), false)
            }
            StaffAction::Release => rule(Some(Event::Release), Optional, Assign, None, None, false),
            StaffAction::Merge => {
                rule(Some(Event::Merge), Optional, Merge, Some(Template::Merged), None, true)
            }
            StaffAction::Unmerge => {
                rule(Some(Event::Unmerge), Optional, Unmerge, Some(Template::Unmerged), None, true)
            }
        }
    }

    /// Where the action takes a request, if the transition table allows it for this role now.
    /// Actions on the citizen's verdict apply only after a verdict other than «satisfait».
    /// The stage after this action, from the transition table plus the guards beside it: the
    /// verdict actions need a verdict other than «satisfait», and one clarification answers it
    /// (`examined`: the analyst already clarified since the verdict).
    pub fn next(
        self,
        stage: Stage,
        role: Role,
        nature: Nature,
        verdict: Option<Verdict>,
        examined: bool,
    ) -> Result<Stage, Refused> {
        let Some(event) = self.rule().event else { return Ok(stage) };
        let to = stage::next(stage, event, role, nature)?;
        let verdict_action = matches!(self, StaffAction::Clarify | StaffAction::ReturnToBody);
        if verdict_action && verdict.is_none_or(|v| v == Verdict::Satisfied)
            || self == StaffAction::Clarify && examined
        {
            return Err(Refused { stage, event, role });
        }
        Ok(to)
    }

    /// Shown first on the request page, when allowed: what moves the request on. The rest (send
    /// back, reassignment requests, notes) waits under «Autres actions».
    pub fn is_primary(self, stage: Stage) -> bool {
        match self {
            StaffAction::Validate
            | StaffAction::Forward
            | StaffAction::Treat
            | StaffAction::TakeIntoAccount => true,
            StaffAction::Clarify | StaffAction::ReturnToBody => true,
            // In stage 2 the analyst's only work is a reassignment the body asked for.
            StaffAction::Reassign => stage == Stage::InTreatment,
            // Taking a request in hand is a focal point's first move; giving it to a colleague
            // is a supervisor's.
            StaffAction::Take | StaffAction::Assign => true,
            StaffAction::SendBack | StaffAction::RequestReassign | StaffAction::Note => false,
            // Merging has its own panel and confirmation page (`routes::agent::duplicates`).
            StaffAction::Release | StaffAction::Merge | StaffAction::Unmerge => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_messages_meant_for_the_citizen_reach_the_citizen() {
        for action in StaffAction::ALL {
            let rule = action.rule();
            // A message the citizen sees comes with a row the citizen sees.
            assert!(!rule.message_to_citizen || rule.visible, "{action:?}");
            // Whatever the citizen is mailed about, the row says it too.
            if rule.citizen_template.is_some() {
                assert!(rule.visible && rule.message_to_citizen, "{action:?}");
            }
        }
        let back = StaffAction::ReturnToBody.rule();
        assert!(
            back.visible && !back.message_to_citizen,
            "the motif is the body's, not the citizen's"
        );
    }

    #[test]
    fn every_action_reads_back_and_has_one_rule() {
        for action in StaffAction::ALL {
            assert_eq!(StaffAction::parse(action.slug()), Some(action));
            let rule = action.rule();
            // A citizen's mail goes only with a step the citizen sees.
            assert!(rule.citizen_template.is_none() || rule.visible, "{action:?}");
        }
        assert_eq!(StaffAction::parse("supprimer"), None);
    }

    #[test]
    fn holding_and_merging_are_actions_of_the_table() {
        let n = Nature::Reclamation;
        let take = StaffAction::Take;
        assert_eq!(
            take.next(Stage::InTreatment, Role::FocalPoint, n, None, false),
            Ok(Stage::InTreatment)
        );
        assert!(take.next(Stage::AwaitingTriage, Role::FocalPoint, n, None, false).is_err());
        assert!(take.next(Stage::InTreatment, Role::Analyst, n, None, false).is_err());
        let assign = StaffAction::Assign.rule();
        assert_eq!(
            (assign.message, assign.alert, assign.visible),
            (MessageRule::Required, Some(Alert::Assigned), false)
        );
        assert!(StaffAction::Assign
            .next(Stage::InTreatment, Role::Supervisor, n, None, false)
            .is_ok());
        assert!(StaffAction::Assign
            .next(Stage::InTreatment, Role::FocalPoint, n, None, false)
            .is_err());
        assert!(StaffAction::Release
            .next(Stage::Forwarded, Role::System, Nature::Suggestion, None, false)
            .is_ok());
        let merge = StaffAction::Merge;
        assert_eq!(
            merge.next(Stage::AwaitingTriage, Role::Analyst, n, None, false),
            Ok(Stage::Merged)
        );
        assert!(
            merge.next(Stage::Closed, Role::Analyst, n, None, false).is_err(),
            "a closed request is never merged"
        );
        assert!(merge.next(Stage::Merged, Role::Analyst, n, None, false).is_err());
        assert_eq!(merge.rule().citizen_template, Some(Template::Merged));
        assert!(StaffAction::Unmerge.next(Stage::Merged, Role::Analyst, n, None, false).is_ok());
        assert!(StaffAction::Unmerge
            .next(Stage::InTreatment, Role::Analyst, n, None, false)
            .is_err());
    }

    #[test]
    fn verdict_actions_need_an_unsatisfied_verdict() {
        let n = Nature::Reclamation;
        for action in [StaffAction::Clarify, StaffAction::ReturnToBody] {
            assert!(action
                .next(Stage::Closed, Role::Analyst, n, Some(Verdict::Satisfied), false)
                .is_err());
            assert!(action.next(Stage::Closed, Role::Analyst, n, None, false).is_err());
            assert!(action
                .next(Stage::Closed, Role::Analyst, n, Some(Verdict::NotSatisfied), false)
                .is_ok());
        }
        // One clarification answers the verdict; returning to the body stays possible.
        assert!(StaffAction::Clarify
            .next(Stage::Closed, Role::Analyst, n, Some(Verdict::NotSatisfied), true)
            .is_err());
        assert!(StaffAction::ReturnToBody
            .next(Stage::Closed, Role::Analyst, n, Some(Verdict::NotSatisfied), true)
            .is_ok());
    }

    #[test]
    fn taking_into_account_closes_forwarded_observations() {
        let rule = StaffAction::TakeIntoAccount.rule();
        assert_eq!((rule.effect, rule.message), (Effect::Close, MessageRule::Optional));
        assert_eq!(
            StaffAction::TakeIntoAccount.next(
                Stage::Forwarded,
                Role::FocalPoint,
                Nature::Observation,
                None,
                false
            ),
            Ok(Stage::TakenIntoAccount)
        );
        assert!(StaffAction::TakeIntoAccount
            .next(Stage::Forwarded, Role::Analyst, Nature::Observation, None, false)
            .is_err());
        assert_eq!(
            StaffAction::Note.next(
                Stage::Forwarded,
                Role::Analyst,
                Nature::Observation,
                None,
                false
            ),
            Ok(Stage::Forwarded)
        );
    }
}
