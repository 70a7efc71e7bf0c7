//! Free-text fields: the message, and the citizen's names.

/// Message limits, shown on the form and enforced here.
pub const MESSAGE_MIN_CHARS: usize = 10;
pub const MESSAGE_MAX_CHARS: usize = 4000;
pub const NAME_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooShort { min: usize },
    TooLong { max: usize },
}

/// Normalises line endings and drops control characters other than newlines and tabs, so what is
/// stored is plain text that every channel (HTML, mail, SMS, CSV) can carry safely.
fn clean(input: &str, keep_newlines: bool) -> String {
    let unified = input.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .chars()
        .filter(|c| !crate::domain::text::is_invisible_format(*c))
        .filter(|c| !c.is_control() || (keep_newlines && (*c == '\n' || *c == '\t')))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// «Message»: what the citizen has to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message(String);

impl Message {
    pub fn parse(input: &str) -> Result<Message, TextError> {
        let text = clean(input, true);
        let chars = text.chars().count();
        if chars == 0 {
            Err(TextError::Empty)
        } else if chars < MESSAGE_MIN_CHARS {
            Err(TextError::TooShort { min: MESSAGE_MIN_CHARS })
        } else if chars > MESSAGE_MAX_CHARS {
            Err(TextError::TooLong { max: MESSAGE_MAX_CHARS })
        } else {
            Ok(Message(text))
        }
    }

    /// Beside a voice note the written message may be left empty (then it is empty, never
    /// stand-in words); written, it follows the same rules.
    pub fn parse_beside_voice(input: &str) -> Result<Message, TextError> {
        match Message::parse(input) {
            Err(TextError::Empty) => Ok(Message(String::new())),
            other => other,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// «Nom» or «Prénoms»: optional, on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// `Ok(None)` when left blank.
    pub fn parse_optional(input: &str) -> Result<Option<PersonName>, TextError> {
        let text = clean(input, false).split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            Ok(None)
        } else if text.chars().count() > NAME_MAX_CHARS {
            Err(TextError::TooLong { max: NAME_MAX_CHARS })
        } else {
            Ok(Some(PersonName(text)))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_is_trimmed_cleaned_and_bounded() {
        assert_eq!(
            Message::parse("  Mal reçu au guichet.\r\nRien n'a été fait.  ").unwrap().as_str(),
            "Mal reçu au guichet.\nRien n'a été fait."
        );
        assert_eq!(
            Message::parse("Bonjour\u{0}\u{7} à vous tous").unwrap().as_str(),
            "Bonjour à vous tous"
        );
        assert_eq!(Message::parse(" \n "), Err(TextError::Empty));
        assert_eq!(Message::parse("Trop court"), Ok(Message("Trop court".into())));
        assert_eq!(Message::parse("court"), Err(TextError::TooShort { min: 10 }));
        assert_eq!(Message::parse(&"é".repeat(4000)).map(|m| m.as_str().chars().count()), Ok(4000));
        assert_eq!(Message::parse(&"é".repeat(4001)), Err(TextError::TooLong { max: 4000 }));
    }

    #[test]
    fn names_are_optional_single_line() {
        assert_eq!(PersonName::parse_optional("   "), Ok(None));
        assert_eq!(
            PersonName::parse_optional(" Kouassi \n  Aya ").unwrap().unwrap().as_str(),
            "Kouassi Aya"
        );
        assert_eq!(
            PersonName::parse_optional(&"a".repeat(101)),
            Err(TextError::TooLong { max: 100 })
        );
    }
}
