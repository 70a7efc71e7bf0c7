//! What a partner posts beside the form's fields: its media links, and a contact that may carry a
//! number that is not a mobile (a landline) beside a valid email.

use super::country_for_phone;
use crate::domain::countries::Country;
use crate::domain::email::Email;
use crate::domain::phone::MobilePhone;

/// Media links one post may carry.
pub const MAX_LINKS: usize = 10;

/// `media_url` as sent (repeated, or once): each an http(s) URL of at most 500 characters without
/// spaces; blanks are skipped. Err names the first that is not.
pub fn media_links(values: &[String]) -> Result<Vec<String>, String> {
    let links: Vec<String> =
        values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).map(str::to_owned).collect();
    if links.len() > MAX_LINKS {
        return Err(format!("media_url: at most {MAX_LINKS} links"));
    }
    for link in &links {
        let scheme = link.starts_with("https://") || link.starts_with("http://");
        if !scheme || link.len() > 500 || link.len() < 12 || link.chars().any(char::is_whitespace) {
            return Err("media_url: an http(s) URL of at most 500 characters".into());
        }
    }
    Ok(links)
}

/// The contact a partner's post registers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerContact {
    /// The number the request keeps (blank when set aside).
    pub phone: String,
    /// A number that is not a mobile, given beside a valid email: kept for staff as it was
    /// given, never messaged; the email is the contact.
    pub set_aside: Option<String>,
}

/// A landline beside a valid email no longer refuses the whole report: the email is used and
/// the number set aside. Any other pair is left to the form's rules (a landline alone, or beside
/// an invalid email, is refused there, naming the field).
pub fn partner_contact(phone: &str, email: &str) -> PartnerContact {
    let keep = PartnerContact { phone: phone.to_owned(), set_aside: None };
    if phone.trim().is_empty() || Email::parse(email).is_err() {
        return keep;
    }
    let mobile = Country::find(country_for_phone(phone))
        .is_some_and(|country| MobilePhone::parse(country, phone).is_ok());
    if mobile {
        return keep;
    }
    PartnerContact {
        phone: String::new(),
        set_aside: Some(phone.trim().chars().take(40).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_links_are_http_urls_of_a_sensible_length() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(media_links(&s(&[])), Ok(vec![]));
        assert_eq!(media_links(&s(&["", "  "])), Ok(vec![]));
        assert_eq!(
            media_links(&s(&["https://fms.example/p/1.jpg", " http://x.example/a "])),
            Ok(s(&["https://fms.example/p/1.jpg", "http://x.example/a"]))
        );
        for bad in ["ftp://x.example/a", "https://x y.example", "javascript:alert(1)", "https://"] {
            assert!(media_links(&s(&[bad])).is_err(), "{bad}");
        }
        assert!(media_links(&s(&[&format!("https://x.example/{}", "a".repeat(500))])).is_err());
        let many: Vec<String> = (0..11).map(|i| format!("https://x.example/{i}")).collect();
        assert!(media_links(&many).is_err());
    }

    #[test]
    fn a_landline_beside_a_valid_email_is_set_aside() {
        let landline = partner_contact("27 20 21 22 23", "awa@example.ci");
        assert_eq!(landline.phone, "");
        assert_eq!(landline.set_aside.as_deref(), Some("27 20 21 22 23"));
        // A mobile stays; without a valid email the form's rules decide.
        assert_eq!(partner_contact("07 07 12 34 56", "awa@example.ci").set_aside, None);
        assert_eq!(partner_contact("27 20 21 22 23", "").phone, "27 20 21 22 23");
        assert_eq!(partner_contact("27 20 21 22 23", "pas-une-adresse").set_aside, None);
        assert_eq!(partner_contact("", "awa@example.ci").set_aside, None);
        // International mobiles are mobiles.
        assert_eq!(partner_contact("+33 6 12 34 56 78", "a@example.fr").set_aside, None);
    }
}
