//! Who holds a request within its body, beside the action table: the guards of «Je m'en charge»,
//! «Attribuer à» and «Rendre à l'organisme» that the transition table cannot see (who holds it
//! now, and who it would go to). The actions themselves are `staff_action`'s.

use super::staff::Staff;
use super::staff_action::StaffAction;
use super::stage::Role;

/// A colleague a request may be given to, as the store reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colleague {
    pub id: i64,
    pub role: Role,
    pub body_id: Option<i64>,
    pub active: bool,
    /// Absent today (`staff.away_until` in the future).
    pub away: bool,
}

/// Why a holding action was refused (each has its own words: `i18n::office`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Someone already holds it: a supervisor gives it to another.
    HeldByAnother,
    /// It is already this person's.
    AlreadyTheirs,
    /// Nobody holds it: there is nothing to give back.
    NotHeld,
    /// Only its holder (or a supervisor) gives it back.
    NotTheHolder,
    /// The person named is not a focal point of the request's body (or does not exist).
    OutsideBody,
    /// The person named is deactivated.
    Deactivated,
    /// The person named is away.
    Absent,
}

impl Refusal {
    pub fn slug(self) -> &'static str {
        match self {
            Refusal::HeldByAnother => "held",
            Refusal::AlreadyTheirs => "already",
            Refusal::NotHeld => "not_held",
            Refusal::NotTheHolder => "not_holder",
            Refusal::OutsideBody => "outside_body",
            Refusal::Deactivated => "deactivated",
            Refusal::Absent => "absent",
        }
    }
}

/// Whom the request goes to after a holding action (`None`: back to the body's queue), or why
/// not. `holder` is who holds it now; `chosen` the colleague named by «Attribuer à».
pub fn next_holder(
    action: StaffAction,
    actor: &Staff,
    body_id: i64,
    holder: Option<i64>,
    chosen: Option<&Colleague>,
) -> Result<Option<i64>, Refusal> {
    match action {
        StaffAction::Take => match holder {
            Some(h) if h == actor.id => Err(Refusal::AlreadyTheirs),
            Some(_) => Err(Refusal::HeldByAnother),
            None => Ok(Some(actor.id)),
        },
        StaffAction::Assign => {
            let c = chosen.ok_or(Refusal::OutsideBody)?;
            if c.role != Role::FocalPoint || c.body_id != Some(body_id) {
                return Err(Refusal::OutsideBody);
            }
            if !c.active {
                return Err(Refusal::Deactivated);
            }
            if c.away {
                return Err(Refusal::Absent);
            }
            if holder == Some(c.id) {
                return Err(Refusal::AlreadyTheirs);
            }
            Ok(Some(c.id))
        }
        StaffAction::Release => match holder {
            None => Err(Refusal::NotHeld),
            Some(h) if h == actor.id => Ok(None),
            Some(_) if matches!(actor.role, Role::Supervisor | Role::Admin | Role::System) => {
                Ok(None)
            }
            Some(_) => Err(Refusal::NotTheHolder),
        },
        _ => Ok(holder),
    }
}

/// Whether the action may be offered to this person now (the page shows only what would pass).
pub fn offered(action: StaffAction, actor: &Staff, holder: Option<i64>) -> bool {
    match action {
        StaffAction::Take => holder.is_none(),
        StaffAction::Release => {
            holder == Some(actor.id)
                || holder.is_some() && matches!(actor.role, Role::Supervisor | Role::Admin)
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, role: Role, body_id: Option<i64>) -> Staff {
        Staff {
            id,
            email: format!("{id}@b.ci"),
            name: format!("P{id}"),
            role,
            body_id,
            scope: vec![],
        }
    }
    fn colleague(id: i64, body_id: i64) -> Colleague {
        Colleague { id, role: Role::FocalPoint, body_id: Some(body_id), active: true, away: false }
    }

    #[test]
    fn a_focal_point_takes_what_nobody_holds() {
        let me = person(7, Role::FocalPoint, Some(5));
        assert_eq!(next_holder(StaffAction::Take, &me, 5, None, None), Ok(Some(7)));
        assert_eq!(
            next_holder(StaffAction::Take, &me, 5, Some(7), None),
            Err(Refusal::AlreadyTheirs)
        );
        assert_eq!(
            next_holder(StaffAction::Take, &me, 5, Some(8), None),
            Err(Refusal::HeldByAnother)
        );
        assert!(offered(StaffAction::Take, &me, None) && !offered(StaffAction::Take, &me, Some(8)));
    }

    #[test]
    fn a_supervisor_assigns_within_the_body_to_someone_present() {
        let boss = person(1, Role::Supervisor, Some(5));
        let ok = colleague(8, 5);
        assert_eq!(next_holder(StaffAction::Assign, &boss, 5, Some(7), Some(&ok)), Ok(Some(8)));
        assert_eq!(
            next_holder(StaffAction::Assign, &boss, 5, Some(8), Some(&ok)),
            Err(Refusal::AlreadyTheirs)
        );
        let elsewhere = colleague(9, 2);
        assert_eq!(
            next_holder(StaffAction::Assign, &boss, 5, None, Some(&elsewhere)),
            Err(Refusal::OutsideBody)
        );
        let analyst = Colleague { role: Role::Analyst, body_id: None, ..ok.clone() };
        assert_eq!(
            next_holder(StaffAction::Assign, &boss, 5, None, Some(&analyst)),
            Err(Refusal::OutsideBody)
        );
        let gone = Colleague { active: false, ..ok.clone() };
        assert_eq!(
            next_holder(StaffAction::Assign, &boss, 5, None, Some(&gone)),
            Err(Refusal::Deactivated)
        );
        let away = Colleague { away: true, ..ok };
        assert_eq!(
            next_holder(StaffAction::Assign, &boss, 5, None, Some(&away)),
            Err(Refusal::Absent)
        );
        assert_eq!(
            next_holder(StaffAction::Assign, &boss, 5, None, None),
            Err(Refusal::OutsideBody)
        );
    }

    #[test]
    fn the_holder_or_a_supervisor_gives_it_back() {
        let holder = person(7, Role::FocalPoint, Some(5));
        let other = person(8, Role::FocalPoint, Some(5));
        let boss = person(1, Role::Supervisor, None);
        let system = person(0, Role::System, None);
        assert_eq!(next_holder(StaffAction::Release, &holder, 5, Some(7), None), Ok(None));
        assert_eq!(
            next_holder(StaffAction::Release, &other, 5, Some(7), None),
            Err(Refusal::NotTheHolder)
        );
        assert_eq!(next_holder(StaffAction::Release, &boss, 5, Some(7), None), Ok(None));
        assert_eq!(next_holder(StaffAction::Release, &system, 5, Some(7), None), Ok(None));
        assert_eq!(next_holder(StaffAction::Release, &boss, 5, None, None), Err(Refusal::NotHeld));
        assert!(!offered(StaffAction::Release, &other, Some(7)));
        assert!(offered(StaffAction::Release, &boss, Some(7)));
        // Other actions keep whoever holds it.
        assert_eq!(next_holder(StaffAction::Treat, &holder, 5, Some(7), None), Ok(Some(7)));
    }
}
