//! Who a staff member is and what they may see: role and scope, checked on every back-office route.

use super::stage::{Event, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// A focal point's body.
    pub body_id: Option<i64>,
    /// An analyst's bodies; empty means all.
    pub scope: Vec<i64>,
}

pub fn parse_role(slug: &str) -> Option<Role> {
    match slug {
        "analyst" => Some(Role::Analyst),
        "focal_point" => Some(Role::FocalPoint),
        "phone_operator" => Some(Role::PhoneOperator),
        "supervisor" => Some(Role::Supervisor),
        "admin" => Some(Role::Admin),
        _ => None,
    }
}

impl Staff {
    /// Whether this person may open requests sent to `body_id`. A supervisor may be a body's
    /// (its `body_id`) or everyone's.
    pub fn sees_body(&self, body_id: i64) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Supervisor => self.body_id.is_none_or(|b| b == body_id),
            Role::Analyst => self.scope.is_empty() || self.scope.contains(&body_id),
            Role::FocalPoint => self.body_id == Some(body_id),
            Role::PhoneOperator | Role::Citizen | Role::System => false,
        }
    }

    /// The role this person acts with for an event: admins may do an analyst's work, and a
    /// focal point's (treat, take into account) when no one else can.
    pub fn acting_role(&self, event: Option<Event>) -> Role {
        match (self.role, event) {
            (Role::Admin, Some(Event::Treat | Event::TakeIntoAccount)) => Role::FocalPoint,
            (Role::Admin, Some(Event::Reassign | Event::Assign | Event::Release)) => Role::Admin,
            (Role::Admin, _) => Role::Analyst,
            (role, _) => role,
        }
    }

    /// The bodies whose requests this person's queue lists; `None` means every body.
    pub fn queue_bodies(&self) -> Option<Vec<i64>> {
        match self.role {
            Role::Admin => None,
            Role::Supervisor => self.body_id.map(|b| vec![b]),
            Role::Analyst if self.scope.is_empty() => None,
            Role::Analyst => Some(self.scope.clone()),
            Role::FocalPoint => Some(self.body_id.into_iter().collect()),
            Role::PhoneOperator | Role::Citizen | Role::System => Some(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: Role, body_id: Option<i64>, scope: Vec<i64>) -> Staff {
        Staff { id: 1, email: "a@b.ci".into(), name: "A".into(), role, body_id, scope }
    }

    #[test]
    fn scope_by_role() {
        assert!(staff(Role::Admin, None, vec![]).sees_body(3));
        assert!(staff(Role::Analyst, None, vec![]).sees_body(3));
        assert!(staff(Role::Analyst, None, vec![1, 2]).sees_body(2));
        assert!(!staff(Role::Analyst, None, vec![1, 2]).sees_body(3));
        assert!(staff(Role::FocalPoint, Some(5), vec![]).sees_body(5));
        assert!(!staff(Role::FocalPoint, Some(5), vec![]).sees_body(6));
        assert!(!staff(Role::PhoneOperator, None, vec![]).sees_body(5));
        assert_eq!(staff(Role::FocalPoint, Some(5), vec![]).queue_bodies(), Some(vec![5]));
        assert_eq!(staff(Role::Analyst, None, vec![]).queue_bodies(), None);
        assert_eq!(parse_role("focal_point"), Some(Role::FocalPoint));
        assert_eq!(parse_role("citizen"), None);
        // A body's supervisor sees that body; one without a body sees them all.
        assert!(staff(Role::Supervisor, Some(5), vec![]).sees_body(5));
        assert!(!staff(Role::Supervisor, Some(5), vec![]).sees_body(6));
        assert!(staff(Role::Supervisor, None, vec![]).sees_body(6));
        assert_eq!(staff(Role::Supervisor, Some(5), vec![]).queue_bodies(), Some(vec![5]));
    }
}
