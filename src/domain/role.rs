//! Who acts on a request: the citizen, each kind of staff, the scheduled jobs.

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Citizen,
    PhoneOperator,
    Analyst,
    FocalPoint,
    Supervisor,
    Admin,
    /// Scheduled jobs.
    System,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Citizen,
        Role::PhoneOperator,
        Role::Analyst,
        Role::FocalPoint,
        Role::Supervisor,
        Role::Admin,
        Role::System,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::PhoneOperator => "phone_operator",
            Role::Analyst => "analyst",
            Role::FocalPoint => "focal_point",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::System => "system",
        }
    }
}
