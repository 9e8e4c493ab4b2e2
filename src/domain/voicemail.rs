//! Voicemails: which calls are voicemails, whether their recording was played, and the line
//! of a transcript that stands for it in the list (its preview).

use crate::api::model::StatusKind;
use crate::api::{CallFields, Text, Transcript};
use crate::domain::sanitize::{clean, single_line};

/// How many characters of a transcript's first line a preview keeps; the row cuts it again
/// to its width.
pub const PREVIEW_CHARS: usize = 200;

/// A voicemail: its status says so, or its recording is a voicemail (one since handled).
pub fn is_voicemail<C: CallFields + ?Sized>(call: &C) -> bool {
    call.status_kind() == Some(StatusKind::Voicemail) || call.recording_type() == Some("VOICEMAIL")
}

/// The uid of the call's recording, when it has one.
pub fn recording_uid<C: CallFields + ?Sized>(call: &C) -> Option<&str> {
    call.text(Text::RecordingUid)
        .filter(|u| !u.trim().is_empty())
}

/// Whether the call's recording was played, when the server says.
pub fn played<C: CallFields + ?Sized>(call: &C) -> Option<bool> {
    call.recording_played()
}

/// A voicemail row whose transcript is made, so its first line can be its preview.
pub fn wants_preview<C: CallFields + ?Sized>(call: &C) -> bool {
    is_voicemail(call) && call.text(Text::TranscriptStatus) == Some("DONE")
}

/// The transcript's first line with words in it, on one line, cleaned for the terminal and
/// cut to [`PREVIEW_CHARS`]; `None` when it has none.
pub fn preview(transcript: &Transcript) -> Option<String> {
    let first = transcript
        .transcript
        .as_ref()?
        .iter()
        .filter_map(|e| e.text.as_deref())
        .map(|t| single_line(&clean(t)).trim().to_string())
        .find(|t| !t.is_empty())?;
    Some(first.chars().take(PREVIEW_CHARS).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::TranscriptEntry;

    fn entry(text: &str) -> TranscriptEntry {
        TranscriptEntry {
            text: Some(text.to_string()),
            ..TranscriptEntry::default()
        }
    }

    #[test]
    fn the_preview_is_the_first_line_with_words_cleaned_and_cut() {
        let t = Transcript {
            transcript: Some(vec![
                entry("  "),
                entry("Hi, it's Emily\nabout \u{1b}[31mTuesday"),
                entry("second"),
            ]),
            ..Transcript::default()
        };
        assert_eq!(preview(&t).as_deref(), Some("Hi, it's Emily about Tuesday"));
        let long = Transcript {
            transcript: Some(vec![entry(&"a".repeat(500))]),
            ..Transcript::default()
        };
        assert_eq!(
            preview(&long).map(|p| p.chars().count()),
            Some(PREVIEW_CHARS)
        );
        assert_eq!(preview(&Transcript::default()), None);
    }
}
