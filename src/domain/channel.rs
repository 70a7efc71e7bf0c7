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
}

impl Channel {
    pub fn slug(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
            Channel::Phone => "phone",
            Channel::Open311 => "open311",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_channel_has_its_own_slug() {
        let all = [Channel::Web, Channel::Api, Channel::Phone, Channel::Open311];
        let mut slugs: Vec<&str> = all.iter().map(|c| c.slug()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), all.len());
    }
}
