//! What the handset just typed. Africa's Talking (and most gateways after it) sends, with every
//! callback of a session, everything typed so far joined by `*`; the session keeps the text it last
//! answered, so the new input is what follows it — a message may itself contain `*`. A gateway
//! that sends only the last input is read the same way (its text does not continue the last one).

/// Inputs a new session's first text may carry (a dial string such as `*123*1*2#`).
pub const MAX_REPLAYED: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input<'a> {
    /// The very text already answered: a retried callback, answered again the same way.
    Repeat,
    /// One new input after the last answered text.
    Next(&'a str),
    /// A new session: the inputs of its first text, in order (none: just dialled).
    Start(Vec<&'a str>),
}

/// `text` as received, against the text the session last answered (None: a new session).
pub fn read<'a>(text: &'a str, seen: Option<&str>) -> Input<'a> {
    let Some(seen) = seen else {
        if text.is_empty() {
            return Input::Start(Vec::new());
        }
        return Input::Start(text.split('*').take(MAX_REPLAYED).collect());
    };
    if text == seen {
        return Input::Repeat;
    }
    if seen.is_empty() {
        return Input::Next(text);
    }
    if let Some(rest) = text.strip_prefix(seen).and_then(|r| r.strip_prefix('*')) {
        return Input::Next(rest);
    }
    // Not a continuation: the last input only.
    Input::Next(text.rsplit('*').next().unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_input_is_what_follows_the_last_answered_text() {
        assert_eq!(read("", None), Input::Start(vec![]));
        assert_eq!(read("1*2", None), Input::Start(vec!["1", "2"]));
        assert_eq!(read("1", Some("")), Input::Next("1"));
        assert_eq!(read("1*2", Some("1")), Input::Next("2"));
        assert_eq!(read("1*2", Some("1*2")), Input::Repeat);
        // A message with a star in it stays whole.
        assert_eq!(read("1*1*prix*2 fois", Some("1*1")), Input::Next("prix*2 fois"));
        // A gateway sending only the last input.
        assert_eq!(read("3", Some("1*2")), Input::Next("3"));
        assert_eq!(read("9*9*4", Some("1*2")), Input::Next("4"));
        assert_eq!(read("1*", Some("1")), Input::Next(""));
        let many = vec!["1"; 30].join("*");
        assert_eq!(read(&many, None), Input::Start(vec!["1"; MAX_REPLAYED]));
    }
}
