//! Changes to a request, by its citizen or by staff: written with their history row, the
//! citizen's messages and the staff alerts in one batch, applied only to the version that was seen.

use wasm_bindgen::JsValue;
use worker::Result;

use super::Stmt;

use super::{int, opt_text, text, Store};
use crate::domain::audit::Entry;
use crate::domain::constraint::{on_constraint, Constraint};
use crate::domain::deadline::Deadline;
use crate::domain::notice::Alert;
use crate::domain::notification::Template;
use crate::domain::stage::{Event, Role, Stage, Verdict};

/// A change to a request (by its citizen or by staff), applied only to the version they saw.
pub struct Change<'a> {
    pub request_id: i64,
    pub version: i64,
    pub now: i64,
    /// The lifecycle event, or None for an internal note (a history row only).
    pub event: Option<Event>,
    pub to_stage: Stage,
    pub actor_role: Role,
    pub actor_id: Option<i64>,
    pub note: Option<&'a str>,
    /// False for staff's internal notes.
    pub visible: bool,
    /// Whether the citizen sees the note with the row (`ActionRule::message_to_citizen`).
    pub note_visible: bool,
    pub kind: ChangeKind<'a>,
    /// The citizen's messages about the change, written in the same batch.
    pub notifications: Vec<super::Message>,
    /// The staff to tell, written in the same batch (focal points, analysts, or the body's mailbox).
    pub alert: Option<Alert>,
    /// Files staff staged under this form key join the request with the change (the official letter).
    pub staff_files: Option<&'a str>,
}

pub enum ChangeKind<'a> {
    /// New wording of the message; staged files of `form_key` join the request. Successive
    /// edits within one window (the hour starting at `window_start`) keep one earlier version,
    /// one history row and one alert.
    Edit {
        message: &'a str,
        form_key: &'a str,
        window_start: i64,
    },
    Verdict {
        verdict: Verdict,
        comment: Option<&'a str>,
    },
    Reopen,
    /// A stage change by staff; `treated` stamps the treatment date.
    Move {
        treated: bool,
    },
    /// To another body (the stage stays).
    Reassign {
        body_id: i64,
    },
    /// Only a history row (internal note, clarification).
    Note,
    /// To a final stage (an observation or suggestion taken into account): closed now.
    Close,
    /// Who holds it within its body: `to` (None: back to the body's queue), applied only if
    /// `from` still holds it and `to` is an active focal point of its body.
    Assign {
        from: Option<i64>,
        to: Option<i64>,
    },
    /// Closed as a duplicate of `into` (checked again in the batch: no chain, same body and
    /// nature, the main one still open); the main one gets a staff row naming it.
    Merge {
        into: i64,
    },
    /// Back to the stage it had (`to_stage`), following `main` no more.
    Unmerge {
        main: i64,
    },
}

/// What a staff change adds to its batch: the history row's other party, the answer for the
/// main request's followers, the audit record.
pub struct StaffExtras<'a> {
    pub subject: Option<i64>,
    /// The template and payload each follower's citizen receives (on the main one's answer).
    pub followers: Option<(Template, String)>,
    pub audit: Option<(&'a Entry, &'a str)>,
    /// The citizen channels on (`notify_email`, `notify_sms`).
    pub channels: &'a [&'static str],
}

/// Sets the deadline of the step a request enters (computed by `Store::step_deadline`) from
/// parameters `{due}` and `{escalate}`; the treatment deadline is kept for the statistics.
fn set_due(stage: &str, due: &str, escalate: &str) -> String {
    format!(
        "due_at = {due}, escalate_at = {escalate},
         treatment_due_at = CASE WHEN {stage} = 'in_treatment' THEN {due} ELSE treatment_due_at END"
    )
}

fn opt_ms(d: Option<Deadline>, f: fn(Deadline) -> i64) -> JsValue {
    d.map_or(JsValue::NULL, |d| int(f(d)))
}

impl Store {
    /// Writes the change, its history event and its notifications in one batch: the outbox rows
    /// it wrote (to put on the queue), or None when the request moved on since the page was loaded.
    pub async fn apply_change(&self, c: &Change<'_>) -> Result<Option<Vec<i64>>> {
        self.apply_staff_change(c, None).await
    }

    /// The same, with what a staff action adds (`StaffExtras`) in the same batch.
    pub async fn apply_staff_change(
        &self,
        c: &Change<'_>,
        extras: Option<&StaffExtras<'_>>,
    ) -> Result<Option<Vec<i64>>> {
        let deadline = match c.kind {
            ChangeKind::Edit { .. }
            | ChangeKind::Reopen
            | ChangeKind::Move { .. }
            | ChangeKind::Unmerge { .. } => {
                self.step_deadline(c.request_id, c.to_stage.slug(), c.now).await?
            }
            _ => None,
        };
        let (due, escalate) = (opt_ms(deadline, |d| d.due_at), opt_ms(deadline, |d| d.escalate_at));
        // An internal note is a row of its own kind in the history, not a lifecycle event.
        let event = c.event.map_or("note", Event::slug);
        let mut statements: Vec<Stmt> = Vec::new();
        match &c.kind {
            ChangeKind::Edit { message, window_start, .. } => {
                // The wording before the window's first edit is what is kept.
                statements.push(
                    self.db
                        .prepare(
                            "INSERT INTO request_versions (request_id, message, replaced_at) SELECT id, message, ?2 FROM requests
                             WHERE id = ?1 AND version = ?3
                               AND NOT EXISTS (SELECT 1 FROM request_versions v WHERE v.request_id = ?1 AND v.replaced_at >= ?4)",
                        )
                        .bind(&[int(c.request_id), int(c.now), int(c.version), int(*window_start)])?,
                );
                statements.push(
                    self.db
                        .prepare(format!(
                            "UPDATE requests SET message = ?2, stage = ?3, updated_at = ?4, version = version + 1, {} WHERE id = ?1 AND version = ?5",
                            set_due("?3", "?6", "?7")
                        ))
                        .bind(&[int(c.request_id), text(message), text(c.to_stage.slug()), int(c.now), int(c.version), due, escalate])?,
                );
            }
            ChangeKind::Verdict { verdict, comment } => statements.push(
                self.db
                    .prepare(
                        "UPDATE requests SET stage = ?2, verdict = ?3, verdict_comment = ?4, closed_at = ?5, updated_at = ?5,
                           due_at = NULL, escalate_at = NULL, version = version + 1 WHERE id = ?1 AND version = ?6",
                    )
                    .bind(&[int(c.request_id), text(c.to_stage.slug()), text(verdict.slug()), opt_text(*comment), int(c.now), int(c.version)])?,
            ),
            ChangeKind::Reopen => statements.push(
                self.db
                    .prepare(format!(
                        "UPDATE requests SET stage = ?2, treated_at = NULL, updated_at = ?3, version = version + 1, {} WHERE id = ?1 AND version = ?4",
                        set_due("?2", "?5", "?6")
                    ))
                    .bind(&[int(c.request_id), text(c.to_stage.slug()), int(c.now), int(c.version), due, escalate])?,
            ),
            ChangeKind::Move { treated } => statements.push(
                self.db
                    .prepare(format!(
                        "UPDATE requests SET stage = ?2, updated_at = ?3, version = version + 1,
                           treated_at = CASE WHEN ?5 THEN ?3 ELSE treated_at END,
                           verdict = CASE WHEN ?2 = 'in_treatment' THEN NULL ELSE verdict END, {} WHERE id = ?1 AND version = ?4",
                        set_due("?2", "?6", "?7")
                    ))
                    .bind(&[int(c.request_id), text(c.to_stage.slug()), int(c.now), int(c.version), JsValue::from_bool(*treated), due, escalate])?,
            ),
            ChangeKind::Reassign { body_id } => statements.push(
                // Another body: nobody there holds it yet.
                self.db.prepare("UPDATE requests SET body_id = ?2, assignee_id = NULL, updated_at = ?3, version = version + 1 WHERE id = ?1 AND version = ?4").bind(&[
                    int(c.request_id),
                    int(*body_id),
                    int(c.now),
                    int(c.version),
                ])?,
            ),
            ChangeKind::Note => {
                statements.push(self.db.prepare("UPDATE requests SET updated_at = ?2, version = version + 1 WHERE id = ?1 AND version = ?3").bind(&[
                    int(c.request_id),
                    int(c.now),
                    int(c.version),
                ])?)
            }
            ChangeKind::Close => statements.push(
                self.db
                    .prepare(
                        "UPDATE requests SET stage = ?2, closed_at = ?3, updated_at = ?3, due_at = NULL, escalate_at = NULL,
                           version = version + 1 WHERE id = ?1 AND version = ?4",
                    )
                    .bind(&[int(c.request_id), text(c.to_stage.slug()), int(c.now), int(c.version)])?,
            ),
            ChangeKind::Assign { from, to } => {
                statements.push(self.assign_statement(c, *from, *to)?)
            }
            ChangeKind::Merge { into } => statements.push(self.merge_statement(c, *into)?),
            ChangeKind::Unmerge { .. } => statements.push(
                self.db
                    .prepare(format!(
                        "UPDATE requests SET stage = ?2, merged_into = NULL, stage_before_merge = NULL, closed_at = NULL,
                           updated_at = ?3, version = version + 1, {} WHERE id = ?1 AND version = ?4 AND stage = 'merged'",
                        set_due("?2", "?5", "?6")
                    ))
                    .bind(&[int(c.request_id), text(c.to_stage.slug()), int(c.now), int(c.version), due.clone(), escalate.clone()])?,
            ),
        }
        statements.push(self.db.prepare("INSERT INTO batch_guard (ok) VALUES (changes())"));
        match c.kind {
            ChangeKind::Merge { into } => {
                statements.push(self.main_row(c, into, "duplicate_attached")?)
            }
            ChangeKind::Unmerge { main } => {
                statements.push(self.main_row(c, main, "duplicate_detached")?)
            }
            _ => {}
        }
        if let ChangeKind::Edit { form_key, .. } = &c.kind {
            statements.push(
                self.db
                    .prepare("UPDATE attachments SET request_id = ?1 WHERE form_key = ?2 AND request_id IS NULL")
                    .bind(&[int(c.request_id), text(form_key)])?,
            );
        }
        if let Some(form_key) = c.staff_files {
            statements.push(
                self.db
                    .prepare("UPDATE attachments SET request_id = ?1, origin = 'staff' WHERE form_key = ?2 AND request_id IS NULL")
                    .bind(&[int(c.request_id), text(form_key)])?,
            );
        }
        // One history row per edit window: a later edit in it moves that row's time.
        let edit_window = match c.kind {
            ChangeKind::Edit { window_start, .. } => Some(window_start),
            _ => None,
        };
        if let Some(start) = edit_window {
            statements.push(
                self.db
                    .prepare(
                        "UPDATE request_events SET at = ?2 WHERE request_id = ?1 AND event = ?3 AND at >= ?4
                           AND id = (SELECT max(id) FROM request_events WHERE request_id = ?1)",
                    )
                    .bind(&[int(c.request_id), int(c.now), text(event), int(start)])?,
            );
        }
        statements.push(
            self.db
                .prepare(
                    "INSERT INTO request_events (request_id, at, event, actor_role, actor_id, to_stage, note, visible_to_citizen, note_visible, subject_id)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?11
                     WHERE ?9 IS NULL OR NOT EXISTS (SELECT 1 FROM request_events WHERE request_id = ?1 AND event = ?3 AND at = ?2
                       AND id = (SELECT max(id) FROM request_events WHERE request_id = ?1))",
                )
                .bind(&[
                    int(c.request_id),
                    int(c.now),
                    text(event),
                    text(c.actor_role.slug()),
                    c.actor_id.map_or(JsValue::NULL, int),
                    text(c.to_stage.slug()),
                    opt_text(c.note),
                    int(i64::from(c.visible)),
                    edit_window.map_or(JsValue::NULL, int),
                    int(i64::from(c.note_visible)),
                    extras.and_then(|x| x.subject).map_or(JsValue::NULL, int),
                ])?,
        );
        for m in &c.notifications {
            let columns = super::OutboxColumns {
                key: "?1",
                request: "?2",
                channel: "?3",
                recipient: "?4",
                template: m.template,
                lang: "?5",
                payload: "?6",
                created_at: "?7",
            };
            statements.push(
                self.db.prepare(super::insert_outbox_sql(&columns, "WHERE true")).bind(&[
                    text(&m.key),
                    int(c.request_id),
                    text(m.channel),
                    text(&m.recipient),
                    text(&m.lang),
                    text(&m.payload),
                    int(c.now),
                ])?,
            );
        }
        if let Some(alert) = c.alert {
            // Successive edits in one window are one occurrence: staff hear of them once.
            let occurrence = edit_window
                .map_or_else(|| c.version.to_string(), |start| format!("window-{start}"));
            statements.extend(self.alert_statements(
                "?1",
                int(c.request_id),
                alert,
                &occurrence,
                c.now,
            )?);
        }
        if let Some(extras) = extras {
            if let Some((template, payload)) = &extras.followers {
                statements.extend(self.follower_messages(
                    c,
                    *template,
                    payload,
                    extras.channels,
                )?);
            }
            if let Some((entry, ip)) = extras.audit {
                statements.push(self.audit_statement(entry, ip, c.now)?);
            }
        }
        statements.push(self.db.prepare("DELETE FROM batch_guard"));
        let results = match self.db.batch(statements).await {
            Ok(results) => results,
            Err(e) if on_constraint(&e.to_string()) == Some(Constraint::Guard) => return Ok(None),
            Err(e) => return Err(e),
        };
        match results.iter().find_map(|r| r.error()) {
            Some(e) if on_constraint(&e) == Some(Constraint::Guard) => Ok(None),
            Some(e) => Err(worker::Error::RustError(e)),
            None => Ok(Some(super::returned_ids(&results))),
        }
    }
}
