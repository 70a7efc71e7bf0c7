//! Where a request stands. The transitions between stages are the lifecycle's; this is the vocabulary.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Stage 1: new or edited, waiting for an analyst.
    AwaitingTriage,
}

impl Stage {
    pub fn slug(self) -> &'static str {
        match self {
            Stage::AwaitingTriage => "awaiting_triage",
        }
    }
    /// The guide's stage number (1, 2, 3).
    pub fn number(self) -> u8 {
        match self {
            Stage::AwaitingTriage => 1,
        }
    }
}

/// How a request reached the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Web,
    Api,
}

impl Channel {
    pub fn slug(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
        }
    }
}
