//! Which message is sent: every template a notification can have, named once. The texts are
//! `notify`'s; the context each template gathers when it is rendered, `app::delivery`'s; the staff
//! action table names the citizen's template of each action with this type, so a template that
//! does not exist cannot be named anywhere.

/// What happened, and so which message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    RequestRegistered,
    SentBackForReformulation,
    Validated,
    ForwardedForInformation,
    Treated,
    AnalystReply,
    Reopened,
    VerdictReminder,
    /// «Code requête oublié ?»: the codes of an address's requests.
    ForgottenCodes,
    /// A staff member's one-time sign-in link.
    StaffSignIn,
    /// To a new staff member: their account exists, with a first sign-in link (72 hours).
    StaffInvitation,
    /// To a staff member: sign-in links for their address were refused this hour because
    /// unknown browsers asked too often (`Payload::deadline`: the minutes until the next hour).
    StaffSignInThrottled,
    /// The daily list of a staff member's requests near or past their deadline.
    StaffDigest,
    /// To supervisors and admins: requests at twice their deadline.
    StaffEscalation,
    /// To the citizen: the body took the observation or suggestion into account.
    TakenIntoAccount,
    /// To a focal point or an analyst: a request needs them (`Payload::event` says why).
    StaffAlert,
    /// To a body's own address when it has no active focal point.
    BodyAlert,
    /// To a staff member on an hourly or daily cadence: what happened since the last one.
    StaffSummary,
    /// To a citizen tracking by code + mobile: the one-time code (`Payload::note`, derived from
    /// `Payload::secret_ref` when the SMS is rendered). SMS only.
    TrackingCode,
    /// To admins: a daily job keeps failing (`Payload::items`: which, how often, the last error).
    /// Once a day at most.
    JobFailing,
    /// To a duplicate's citizen: merged into a request about the same problem, followed with
    /// their own code.
    Merged,
    /// To a duplicate's citizen: the merge was undone, the request is followed on its own.
    Unmerged,
    /// To a duplicate's citizen: the request theirs follows was answered (`Payload::note`).
    FollowedAnswered,
    /// To a citizen who wrote by SMS (or asked on the USSD menu): the answer, worded when it is
    /// rendered from `Payload::event` (`domain::sms_command::Answer`) and, when it is about a
    /// request, from the request as it stands then. SMS only.
    ChannelReply,
}

impl Template {
    pub const ALL: [Template; 24] = [
        Template::RequestRegistered,
        Template::SentBackForReformulation,
        Template::Validated,
        Template::ForwardedForInformation,
        Template::Treated,
        Template::AnalystReply,
        Template::Reopened,
        Template::VerdictReminder,
        Template::ForgottenCodes,
        Template::StaffSignIn,
        Template::StaffInvitation,
        Template::StaffSignInThrottled,
        Template::StaffDigest,
        Template::StaffEscalation,
        Template::TakenIntoAccount,
        Template::StaffAlert,
        Template::BodyAlert,
        Template::StaffSummary,
        Template::TrackingCode,
        Template::JobFailing,
        Template::Merged,
        Template::Unmerged,
        Template::FollowedAnswered,
        Template::ChannelReply,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Template::RequestRegistered => "request_registered",
            Template::SentBackForReformulation => "sent_back",
            Template::Validated => "validated",
            Template::ForwardedForInformation => "forwarded",
            Template::Treated => "treated",
            Template::AnalystReply => "analyst_reply",
            Template::Reopened => "reopened",
            Template::VerdictReminder => "verdict_reminder",
            Template::ForgottenCodes => "forgotten_codes",
            Template::StaffSignIn => "staff_sign_in",
            Template::StaffInvitation => "staff_invitation",
            Template::StaffSignInThrottled => "staff_sign_in_throttled",
            Template::StaffDigest => "staff_digest",
            Template::StaffEscalation => "staff_escalation",
            Template::TakenIntoAccount => "taken_into_account",
            Template::StaffAlert => "staff_alert",
            Template::BodyAlert => "body_alert",
            Template::StaffSummary => "staff_summary",
            Template::TrackingCode => "tracking_code",
            Template::JobFailing => "job_failing",
            Template::Merged => "merged",
            Template::Unmerged => "unmerged",
            Template::FollowedAnswered => "followed_answered",
            Template::ChannelReply => "channel_reply",
        }
    }

    pub fn parse(slug: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_has_its_own_slug_and_reads_back() {
        let mut slugs: Vec<&str> = Template::ALL.iter().map(|t| t.slug()).collect();
        for t in Template::ALL {
            assert_eq!(Template::parse(t.slug()), Some(t));
        }
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), Template::ALL.len());
        assert_eq!(Template::parse("nonsense"), None);
    }
}
