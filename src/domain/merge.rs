//! Duplicates merged into a main request: the rules of the pair beside the action table (which
//! says who may merge, and from which stages). A merged request is closed as «fusionnée» and its
//! citizen follows the main one's stage with their own code; the main one lists its followers.
//! There are no chains: a main request is never itself merged, a follower never has followers.

use super::nature::Nature;
use super::stage::Stage;

/// What the rules read of each request of the pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub id: i64,
    pub body_id: i64,
    pub nature: Nature,
    pub stage: Stage,
    /// The main request it follows, when merged.
    pub merged_into: Option<i64>,
    /// How many requests follow it.
    pub followers: i64,
}

/// Why a merge was refused (each has its words: `i18n::office`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A request into itself.
    Itself,
    /// The two are with different bodies.
    OtherBody,
    /// A réclamation and an observation (or suggestion) do not follow the same steps.
    OtherNature,
    /// The main one is itself merged into another (A into B into A, or into a chain).
    Chain,
    /// The duplicate has followers of its own: they would be left following a follower.
    HasFollowers,
    /// One of the two is closed (answered and closed, taken into account, or already merged).
    Closed,
}

impl Refusal {
    pub fn slug(self) -> &'static str {
        match self {
            Refusal::Itself => "itself",
            Refusal::OtherBody => "other_body",
            Refusal::OtherNature => "other_nature",
            Refusal::Chain => "chain",
            Refusal::HasFollowers => "has_followers",
            Refusal::Closed => "closed",
        }
    }
}

/// Stages a request may be merged from, or into: still being worked on.
pub const OPEN: [Stage; 4] =
    [Stage::AwaitingTriage, Stage::Returned, Stage::InTreatment, Stage::Forwarded];

/// Whether `duplicate` may be merged into `main`.
pub fn check(duplicate: &Facts, main: &Facts) -> Result<(), Refusal> {
    if duplicate.id == main.id {
        return Err(Refusal::Itself);
    }
    if main.merged_into.is_some() || main.merged_into == Some(duplicate.id) {
        return Err(Refusal::Chain);
    }
    if duplicate.followers > 0 {
        return Err(Refusal::HasFollowers);
    }
    if !OPEN.contains(&duplicate.stage) || !OPEN.contains(&main.stage) {
        return Err(Refusal::Closed);
    }
    if duplicate.body_id != main.body_id {
        return Err(Refusal::OtherBody);
    }
    if duplicate.nature != main.nature {
        return Err(Refusal::OtherNature);
    }
    Ok(())
}

/// The stage an unmerged request returns to: the one it had, else triage.
pub fn unmerged_stage(before: Option<Stage>) -> Stage {
    before.filter(|s| OPEN.contains(s)).unwrap_or(Stage::AwaitingTriage)
}

/// The SQL list of the open stages, for the store's conditions (`'a', 'b'`).
pub fn open_sql() -> String {
    OPEN.iter().map(|s| format!("'{}'", s.slug())).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(id: i64) -> Facts {
        Facts {
            id,
            body_id: 5,
            nature: Nature::Reclamation,
            stage: Stage::AwaitingTriage,
            merged_into: None,
            followers: 0,
        }
    }

    #[test]
    fn two_open_requests_of_one_body_merge() {
        assert_eq!(check(&facts(1), &facts(2)), Ok(()));
        let treating = Facts { stage: Stage::InTreatment, followers: 11, ..facts(2) };
        assert_eq!(check(&facts(1), &treating), Ok(()), "a main one may have many followers");
    }

    #[test]
    fn every_bad_pair_is_refused_with_its_reason() {
        assert_eq!(check(&facts(1), &facts(1)), Err(Refusal::Itself));
        assert_eq!(check(&facts(1), &Facts { body_id: 2, ..facts(2) }), Err(Refusal::OtherBody));
        let observation = Facts { nature: Nature::Observation, ..facts(2) };
        assert_eq!(check(&facts(1), &observation), Err(Refusal::OtherNature));
        // A into B into A: B is merged into A, so A cannot go into B.
        let b = Facts { stage: Stage::Merged, merged_into: Some(1), ..facts(2) };
        assert_eq!(check(&facts(1), &b), Err(Refusal::Chain));
        let c = Facts { stage: Stage::Merged, merged_into: Some(9), ..facts(3) };
        assert_eq!(check(&facts(1), &c), Err(Refusal::Chain));
        assert_eq!(
            check(&Facts { followers: 2, ..facts(1) }, &facts(2)),
            Err(Refusal::HasFollowers)
        );
        for closed in
            [Stage::Closed, Stage::ClosedWithoutVerdict, Stage::TakenIntoAccount, Stage::Treated]
        {
            assert_eq!(
                check(&facts(1), &Facts { stage: closed, ..facts(2) }),
                Err(Refusal::Closed)
            );
            assert_eq!(
                check(&Facts { stage: closed, ..facts(1) }, &facts(2)),
                Err(Refusal::Closed)
            );
        }
    }

    #[test]
    fn unmerging_restores_the_stage_it_had() {
        assert_eq!(unmerged_stage(Some(Stage::InTreatment)), Stage::InTreatment);
        assert_eq!(unmerged_stage(None), Stage::AwaitingTriage);
        assert_eq!(unmerged_stage(Some(Stage::Closed)), Stage::AwaitingTriage);
        assert!(open_sql().contains("'in_treatment'"));
    }
}
