//! The ways a request reaches the portal, as the request records them (its `channel`).

/// How a request reached the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Web,
    Api,
    /// Entered by a phone operator for a caller.
    Phone,
    /// Posted by a partner's application through Open311 GeoReport v2.
    Open311,
    /// Submitted from a handset's USSD menu (the operator's number is the citizen's).
    Ussd,
    /// Acted on by SMS replies (no request is submitted by SMS; the slug names the channel).
    Sms,
}

impl Channel {
    pub fn slug(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
            Channel::Phone => "phone",
            Channel::Open311 => "open311",
            Channel::Ussd => "ussd",
            Channel::Sms => "sms",
        }
    }

    pub const ALL: [Channel; 6] =
        [Channel::Web, Channel::Api, Channel::Phone, Channel::Open311, Channel::Ussd, Channel::Sms];
}

/// What one handset may do through the USSD and SMS channels per hour, counted per number
/// (hashed) before anything is answered; past a limit the gateway is answered, nothing is done.
pub mod limits {
    /// USSD sessions a number may open.
    pub const USSD_SESSIONS_PER_HOUR: i64 = 10;
    /// USSD screens a number may be answered (a flood of one session's callbacks).
    pub const USSD_SCREENS_PER_HOUR: i64 = 150;
    /// Inbound SMS of a number that are acted on.
    pub const SMS_IN_PER_HOUR: i64 = 10;
    /// SMS answers a number is sent (replies to its SMS, codes asked for on the USSD menu).
    pub const ANSWERS_PER_HOUR: i64 = 10;
    /// Requests a number may submit through the USSD menu.
    pub const SUBMISSIONS_PER_HOUR: i64 = 5;
    /// Callbacks from one client address (the gateway) for every number together.
    pub const CALLBACKS_PER_CLIENT_PER_HOUR: i64 = 20_000;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_channel_has_its_own_slug() {
        let all = Channel::ALL;
        let mut slugs: Vec<&str> = all.iter().map(|c| c.slug()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), all.len());
    }
}
