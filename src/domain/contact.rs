//! How the citizen is reached: a mobile number, an email address, or both — never neither.
//! In Côte d'Ivoire far more people have a phone than a mailbox; either one is enough to get the
//! code and to track the request.

use super::email::Email;
use super::phone::MobilePhone;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    phone: Option<MobilePhone>,
    email: Option<Email>,
}

impl Contact {
    /// `None` when neither is given: the one way to build a contact guarantees at least one.
    pub fn new(phone: Option<MobilePhone>, email: Option<Email>) -> Option<Contact> {
        (phone.is_some() || email.is_some()).then_some(Contact { phone, email })
    }

    pub fn phone(&self) -> Option<&MobilePhone> {
        self.phone.as_ref()
    }

    pub fn email(&self) -> Option<&Email> {
        self.email.as_ref()
    }

    /// The phone column as stored («» when none: the column predates optional contacts).
    pub fn phone_column(&self) -> &str {
        self.phone.as_ref().map_or("", MobilePhone::e164)
    }

    pub fn email_column(&self) -> &str {
        self.email.as_ref().map_or("", Email::as_str)
    }

    /// Where each enabled channel goes: mail to the address, SMS to the mobile, when present.
    pub fn recipients<'a>(&'a self, channels: &[&str]) -> Vec<(&'static str, &'a str)> {
        recipients(self.email_column(), self.phone_column(), channels)
    }
}

/// Where each enabled channel goes for a stored request (`email`, `phone` columns, «» = none).
pub fn recipients<'a>(
    email: &'a str,
    phone: &'a str,
    channels: &[&str],
) -> Vec<(&'static str, &'a str)> {
    [("email", email), ("sms", phone)]
        .into_iter()
        .filter(|(c, to)| !to.is_empty() && channels.contains(c))
        .collect()
}

/// What signs a request's tracking links and sessions: its email, or its mobile when it has no
/// email. Stable for the life of the request (contacts are never edited).
pub fn holder<'a>(email: &'a str, phone: &'a str) -> &'a str {
    if email.is_empty() {
        phone
    } else {
        email
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::countries::Country;

    fn phone() -> MobilePhone {
        MobilePhone::parse(Country::find("CI").unwrap(), "07 07 12 34 56").unwrap()
    }

    #[test]
    fn at_least_one_way_to_reach_the_citizen() {
        assert_eq!(Contact::new(None, None), None);
        let p = Contact::new(Some(phone()), None).unwrap();
        assert_eq!((p.phone_column(), p.email_column()), ("+2250707123456", ""));
        let e = Contact::new(None, Some(Email::parse("a@b.ci").unwrap())).unwrap();
        assert_eq!((e.phone_column(), e.email_column()), ("", "a@b.ci"));
    }

    #[test]
    fn each_channel_goes_only_where_there_is_a_recipient() {
        let p = Contact::new(Some(phone()), None).unwrap();
        assert_eq!(p.recipients(&["email", "sms"]), vec![("sms", "+2250707123456")]);
        assert_eq!(p.recipients(&["email"]), vec![]);
        assert_eq!(
            recipients("a@b.ci", "+2250707123456", &["email", "sms"]),
            vec![("email", "a@b.ci"), ("sms", "+2250707123456")]
        );
        assert_eq!(recipients("a@b.ci", "", &["email", "sms"]), vec![("email", "a@b.ci")]);
    }

    #[test]
    fn the_holder_is_the_email_else_the_mobile() {
        assert_eq!(holder("a@b.ci", "+2250707123456"), "a@b.ci");
        assert_eq!(holder("", "+2250707123456"), "+2250707123456");
    }
}
