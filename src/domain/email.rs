//! «Email»: an address we can write to, stored lowercased so lookups compare case-insensitively.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong,
    Invalid,
}

const MAX_LEN: usize = 254;

impl Email {
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError::Invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && !tld.bytes().all(|b| b.is_ascii_digit()));
        if !(local_ok && domain_ok) {
            return Err(EmailError::Invalid);
        }
        Ok(Email(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_them() {
        assert_eq!(Email::parse(" Awa.Kone@Gmail.COM ").unwrap().as_str(), "awa.kone@gmail.com");
        assert!(Email::parse("k+milie@mail.gouv.ci").is_ok());
        assert!(Email::parse("o'brien@example.co.uk").is_ok());
    }

    #[test]
    fn rejects_what_cannot_receive_mail() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        for bad in [
            "awa",
            "awa@",
            "@gmail.com",
            "awa@gmail",
            "awa@@gmail.com",
            "awa kone@gmail.com",
            "awa@gmail..com",
            ".awa@gmail.com",
            "awa.@gmail.com",
            "awa@-gmail.com",
            "awa@gmail.c",
            "awa@1.2.3.4",
            "awa@gmail.com>",
            "<script>@x.com",
            "àwa@gmail.com",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad}");
        }
        assert_eq!(Email::parse(&format!("{}@x.com", "a".repeat(260))), Err(EmailError::TooLong));
    }
}
