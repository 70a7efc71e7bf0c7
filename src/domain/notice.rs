//! What staff are told of new work: the kinds of alert and how often each person wants them.
//! (Their words are `i18n::staff`'s; the statements that write them, `app::store::alerts`.)

use super::stage::Role;

/// Why a staff member is told about a request (the `kind` of an alert).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alert {
    /// A new request for the analysts.
    New,
    /// The citizen reworded a request (back to the analysts).
    Edited,
    /// A verdict other than «satisfait» (for the analysts).
    Unsatisfied,
    /// A réclamation found admissible, now with the body.
    Validated,
    /// An observation or suggestion passed on to the body.
    Forwarded,
    /// The citizen reopened the request.
    Reopened,
    /// Returned to the body after the citizen's verdict.
    ReturnedToBody,
    /// Reassigned to this body.
    Reassigned,
    /// The request's body was closed in the directory (an import left it out): to reassign.
    BodyClosed,
    /// Given to this person by a supervisor (only the new holder is told).
    Assigned,
}

impl Alert {
    pub const ALL: [Alert; 10] = [
        Alert::New,
        Alert::Edited,
        Alert::Unsatisfied,
        Alert::Validated,
        Alert::Forwarded,
        Alert::Reopened,
        Alert::ReturnedToBody,
        Alert::Reassigned,
        Alert::BodyClosed,
        Alert::Assigned,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Alert::New => "new",
            Alert::Edited => "edited",
            Alert::Unsatisfied => "unsatisfied",
            Alert::Validated => "validated",
            Alert::Forwarded => "forwarded",
            Alert::Reopened => "reopened",
            Alert::ReturnedToBody => "returned_to_body",
            Alert::Reassigned => "reassigned",
            Alert::BodyClosed => "body_closed",
            Alert::Assigned => "assigned",
        }
    }

    pub fn parse(slug: &str) -> Option<Alert> {
        Alert::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// Whom it concerns: the analysts (triage) or the body's focal points.
    pub fn for_analysts(self) -> bool {
        matches!(self, Alert::New | Alert::Edited | Alert::Unsatisfied | Alert::BodyClosed)
    }
}

/// How often a staff member wants to be told of new work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Immediate,
    Hourly,
    Daily,
    Never,
}

impl Cadence {
    pub const ALL: [Cadence; 4] =
        [Cadence::Immediate, Cadence::Hourly, Cadence::Daily, Cadence::Never];

    pub fn slug(self) -> &'static str {
        match self {
            Cadence::Immediate => "immediate",
            Cadence::Hourly => "hourly",
            Cadence::Daily => "daily",
            Cadence::Never => "none",
        }
    }

    pub fn parse(slug: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// A staff member's cadence until they choose one: focal points answer requests and hear of
    /// each at once, analysts triage many and get an hourly summary; the other roles receive no
    /// alerts of their own.
    pub fn default_for(role: Role) -> Cadence {
        match role {
            Role::Analyst => Cadence::Hourly,
            Role::FocalPoint => Cadence::Immediate,
            Role::Citizen | Role::PhoneOperator | Role::Supervisor | Role::Admin | Role::System => {
                Cadence::Never
            }
        }
    }

    /// The same default in SQL, over a column holding a role's slug.
    pub fn default_sql(role_column: &str) -> String {
        let arms: String = Role::ALL
            .iter()
            .map(|r| format!(" WHEN '{}' THEN '{}'", r.slug(), Cadence::default_for(*r).slug()))
            .collect();
        format!("CASE {role_column}{arms} ELSE '{}' END", Cadence::Never.slug())
    }

    /// A staff member's cadence: their choice (a column), else their role's default.
    pub fn effective_sql(choice_column: &str, role_column: &str) -> String {
        format!("coalesce({choice_column}, {})", Cadence::default_sql(role_column))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_one_default_cadence_and_sql_says_the_same() {
        assert_eq!(Cadence::default_for(Role::Analyst), Cadence::Hourly);
        assert_eq!(Cadence::default_for(Role::FocalPoint), Cadence::Immediate);
        let sql = Cadence::default_sql("s.role");
        for role in Role::ALL {
            let arm =
                format!("WHEN '{}' THEN '{}'", role.slug(), Cadence::default_for(role).slug());
            assert!(sql.contains(&arm), "{sql}");
        }
        assert_eq!(
            Cadence::effective_sql("s.notify_pref", "s.role"),
            format!("coalesce(s.notify_pref, {sql})")
        );
    }

    #[test]
    fn slugs_read_back() {
        for alert in Alert::ALL {
            assert_eq!(Alert::parse(alert.slug()), Some(alert));
        }
        for cadence in Cadence::ALL {
            assert_eq!(Cadence::parse(cadence.slug()), Some(cadence));
        }
        assert_eq!(Alert::parse("nonsense"), None);
        assert!(Alert::New.for_analysts() && !Alert::Forwarded.for_analysts());
    }
}
