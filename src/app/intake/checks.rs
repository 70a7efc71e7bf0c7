//! A submission checked against the domain and against the directory this isolate keeps in
//! memory (bodies, themes, places); checked again when the directory moved meanwhile.

use std::rc::Rc;

use crate::app::intake::directory::{self, Snapshot};
use crate::app::store::Store;
use crate::domain::submission::{
    Field, FieldErrors, PlaceChoice, Problem, RawSubmission, Submission,
};

/// A submission that passed every check, with what registering it needs from the directory.
pub struct Validated {
    pub submission: Submission,
    pub body_name: String,
    pub channels: Vec<&'static str>,
    /// The directory version it was checked against.
    pub version: i64,
    snapshot: Rc<Snapshot>,
}

impl Validated {
    /// When the analyst's step is due, for a request registered at `now`.
    pub fn deadline(&self, now: i64) -> Option<crate::domain::deadline::Deadline> {
        self.snapshot.index.triage_deadline(self.submission.body_id, now)
    }
}

/// Domain validation, then the references (body, theme, place) against the directory this
/// isolate keeps in memory (read from D1 only on first use). Some only when `errors` (with
/// whatever the caller found before, e.g. attachments) is empty; None leaves at least one error.
pub async fn validate(
    store: &Store,
    raw: &RawSubmission,
    errors: &mut FieldErrors,
) -> worker::Result<Option<Validated>> {
    let submission = match raw.parse() {
        Ok(submission) => submission,
        // A refusal always names at least one field (`RawSubmission::parse` says why).
        Err(found) => {
            errors.merge(found);
            return Ok(None);
        }
    };
    let mut snapshot = directory::current(store).await?;
    if !fits(&snapshot, &submission) && store.directory_version().await? != snapshot.version {
        // An id this isolate does not know may be new: read the directory again before refusing.
        snapshot = directory::reload(store).await?;
    }
    Ok(check_refs(&snapshot, submission, errors))
}

fn fits(snapshot: &Snapshot, s: &Submission) -> bool {
    let refs = snapshot.index.check(s.body_id, s.theme_id, place_of(s));
    refs.body && refs.theme && refs.place
}

fn place_of(s: &Submission) -> Option<i64> {
    match s.place {
        Some(PlaceChoice::Place(id)) => Some(id),
        _ => None,
    }
}

/// The references against a directory snapshot; Some only when `errors` is empty.
fn check_refs(
    snapshot: &Rc<Snapshot>,
    submission: Submission,
    errors: &mut FieldErrors,
) -> Option<Validated> {
    let refs = snapshot.index.check(submission.body_id, submission.theme_id, place_of(&submission));
    if !refs.body {
        errors.add(Field::Body, Problem::Unknown);
    }
    if !refs.theme {
        errors.add(Field::Theme, Problem::Unknown);
    }
    if !refs.place {
        errors.add(Field::Place, Problem::Unknown);
    }
    if !errors.is_empty() {
        return None;
    }
    let body_name = snapshot.index.body_name(submission.body_id)?.to_owned();
    Some(Validated {
        submission,
        body_name,
        channels: snapshot.index.channels.clone(),
        version: snapshot.version,
        snapshot: snapshot.clone(),
    })
}

/// The directory moved since `validated` was checked: read it again and check the references anew.
pub async fn recheck(
    store: &Store,
    validated: Validated,
    errors: &mut FieldErrors,
) -> worker::Result<Option<Validated>> {
    let snapshot = directory::reload(store).await?;
    Ok(check_refs(&snapshot, validated.submission, errors))
}
