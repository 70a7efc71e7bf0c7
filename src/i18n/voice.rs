//! A voice note on the staff request page: its words in the attachments, its player, its transcript.

#[derive(Debug)]
pub struct VoiceTexts {
    /// In the attachment's line: «(34 Ko, message vocal, 42 s)».
    pub note: &'static str,
    /// The message of a request told by voice only.
    pub only: &'static str,
    /// The player's label, before the file's name.
    pub play: &'static str,
    pub transcribe: &'static str,
}

pub const FR: VoiceTexts = VoiceTexts {
    note: "message vocal",
    only:
        "Pas de message écrit : le citoyen a laissé un message vocal (pièces jointes ci-dessous).",
    play: "Écouter",
    transcribe: "Ajouter une transcription (note interne)",
};

pub const EN: VoiceTexts = VoiceTexts {
    note: "voice note",
    only: "No written message: the citizen left a voice note (attachments below).",
    play: "Play",
    transcribe: "Add a transcript (internal note)",
};
