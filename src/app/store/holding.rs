//! Who holds a request and which requests are duplicates: the statements a holding or merging
//! change adds to its batch (`changes.rs`), the colleagues a request may be given to, the
//! candidates offered at triage, a main request's followers.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::Stmt;

use super::changes::Change;
use super::{insert_outbox_sql, int, opt_int, text, OutboxColumns, Store};
use crate::domain::assignment::Colleague;
use crate::domain::duplicates::{Candidate, BOX_DEGREES, MAX_CANDIDATES};
use crate::domain::geo::Position;
use crate::domain::merge::{self, Facts};
use crate::domain::nature::Nature;
use crate::domain::notification::Template;
use crate::domain::stage::{Role, Stage};

/// A request offered as a possible duplicate, as the panel shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct DuplicateRow {
    pub code: String,
    pub version: i64,
    pub stage: Stage,
    pub created_at: i64,
    pub message: String,
    #[serde(default)]
    pub followers: i64,
    same_place: i64,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FollowerRow {
    pub code: String,
    pub created_at: i64,
}

#[derive(Deserialize)]
struct ColleagueRow {
    id: i64,
    name: String,
    role: String,
    body_id: Option<i64>,
    active: i64,
    away: i64,
}

#[derive(Deserialize)]
struct FactsRow {
    id: i64,
    body_id: i64,
    nature: Nature,
    stage: Stage,
    merged_into: Option<i64>,
    followers: i64,
    code: String,
}

/// Same theme, and the same known place: a commune or village, or the same city abroad (two
/// requests without a place are not «at the same place»).
const SAME_PLACE: &str = "c.theme_id IS r.theme_id AND (c.place_id = r.place_id
    OR c.abroad_country = r.abroad_country AND coalesce(c.abroad_city, '') = coalesce(r.abroad_city, ''))";

const FACTS_SQL: &str = "SELECT r.id, r.body_id, r.nature, r.stage, r.merged_into, r.code,
    (SELECT count(*) FROM requests f WHERE f.merged_into = r.id) AS followers FROM requests r";

impl Store {
    /// The holder change, applied only if `from` still holds it; a new holder must be an active
    /// focal point of the request's body at that moment.
    pub(super) fn assign_statement(
        &self,
        c: &Change<'_>,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Stmt> {
        self.db
            .prepare(
                "UPDATE requests SET assignee_id = ?2, updated_at = ?3, version = version + 1
                 WHERE id = ?1 AND version = ?4 AND assignee_id IS ?5
                   AND (?2 IS NULL OR EXISTS (SELECT 1 FROM staff s WHERE s.id = ?2 AND s.active = 1
                        AND s.role = 'focal_point' AND s.body_id = requests.body_id))",
            )
            .bind(&[int(c.request_id), opt_int(to), int(c.now), int(c.version), opt_int(from)])
    }

    /// The duplicate closed as merged into `into`, the pair's rules checked again in SQL.
    pub(super) fn merge_statement(&self, c: &Change<'_>, into: i64) -> Result<Stmt> {
        self.db
            .prepare(format!(
                "UPDATE requests SET stage = 'merged', stage_before_merge = stage, merged_into = ?2, closed_at = ?3,
                   updated_at = ?3, due_at = NULL, escalate_at = NULL, assignee_id = NULL, version = version + 1
                 WHERE id = ?1 AND version = ?4 AND merged_into IS NULL AND stage IN ({open})
                   AND NOT EXISTS (SELECT 1 FROM requests f WHERE f.merged_into = ?1)
                   AND EXISTS (SELECT 1 FROM requests m WHERE m.id = ?2 AND m.id <> ?1 AND m.merged_into IS NULL
                     AND m.body_id = requests.body_id AND m.nature = requests.nature AND m.stage IN ({open}))",
                open = merge::open_sql()
            ))
            .bind(&[int(c.request_id), int(into), int(c.now), int(c.version)])
    }

    /// A staff-only row on the main request naming the duplicate attached or detached.
    pub(super) fn main_row(&self, c: &Change<'_>, main: i64, event: &str) -> Result<Stmt> {
        self.db
            .prepare(
                "INSERT INTO request_events (request_id, at, event, actor_role, actor_id, to_stage, visible_to_citizen, note_visible, subject_id)
                 SELECT id, ?2, ?3, ?4, ?5, stage, 0, 0, ?6 FROM requests WHERE id = ?1",
            )
            .bind(&[
                int(main),
                int(c.now),
                text(event),
                text(c.actor_role.slug()),
                c.actor_id.map_or(JsValue::NULL, int),
                int(c.request_id),
            ])
    }

    /// Each follower's citizen told of the main request's answer, on every channel that is on
    /// (with their own code: the outbox row is theirs).
    pub(super) fn follower_messages(
        &self,
        c: &Change<'_>,
        template: Template,
        payload: &str,
        channels: &[&'static str],
    ) -> Result<Vec<Stmt>> {
        let mut statements = Vec::new();
        for (channel, column) in [("email", "f.email"), ("sms", "f.phone")] {
            if !channels.contains(&channel) {
                continue;
            }
            let key = format!("'{}:' || f.id || ':' || ?3 || ':{channel}'", template.slug());
            let sql = insert_outbox_sql(
                &OutboxColumns {
                    key: &key,
                    request: "f.id",
                    channel: &format!("'{channel}'"),
                    recipient: column,
                    template,
                    lang: "f.lang",
                    payload: "?2",
                    created_at: "?4",
                },
                &format!(
                    "FROM requests f WHERE f.merged_into = ?1 AND {column} <> '' AND f.erased_at IS NULL"
                ),
            );
            statements.push(self.db.prepare(sql).bind(&[
                int(c.request_id),
                text(payload),
                int(c.version),
                int(c.now),
            ])?);
        }
        Ok(statements)
    }

    /// What the merge rules read of a request (by id).
    pub async fn merge_facts(&self, id: i64) -> Result<Option<(Facts, String)>> {
        let row = self
            .db
            .prepare(format!("{FACTS_SQL} WHERE r.id = ?1"))
            .bind(&[int(id)])?
            .first::<FactsRow>(None)
            .await?;
        Ok(row.map(|r| {
            let facts = Facts {
                id: r.id,
                body_id: r.body_id,
                nature: r.nature,
                stage: r.stage,
                merged_into: r.merged_into,
                followers: r.followers,
            };
            (facts, r.code)
        }))
    }

    /// A request's id by its code.
    pub async fn request_id(&self, code: &str) -> Result<Option<i64>> {
        #[derive(Deserialize)]
        struct Id {
            id: i64,
        }
        let row = self
            .db
            .prepare("SELECT id FROM requests WHERE code = ?1")
            .bind(&[text(code)])?
            .first::<Id>(None)
            .await?;
        Ok(row.map(|r| r.id))
    }

    /// A colleague a request may be given to (whatever their role or state: the rules judge).
    pub async fn colleague(&self, id: i64, now: i64) -> Result<Option<Colleague>> {
        let row = self
            .db
            .prepare(
                "SELECT id, name, role, body_id, active, coalesce(away_until, 0) > ?2 AS away FROM staff WHERE id = ?1",
            )
            .bind(&[int(id), int(now)])?
            .first::<ColleagueRow>(None)
            .await?;
        Ok(row.map(colleague))
    }

    /// The focal points of a body a supervisor may give a request to (active; absent ones too,
    /// named as such by the page), by name.
    pub async fn colleagues(&self, body_id: i64, now: i64) -> Result<Vec<(Colleague, String)>> {
        let rows = self
            .db
            .prepare(
                "SELECT id, name, role, body_id, active, coalesce(away_until, 0) > ?2 AS away FROM staff
                 WHERE role = 'focal_point' AND body_id = ?1 AND active = 1 ORDER BY name",
            )
            .bind(&[int(body_id), int(now)])?
            .all()
            .await?
            .results::<ColleagueRow>()?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let name = r.name.clone();
                (colleague(r), name)
            })
            .collect())
    }

    /// Open requests of the same body that may be duplicates of request `id`: same theme and
    /// place, or (both with a position) in the square around it; newest first, at most
    /// `MAX_CANDIDATES` (the domain scores them).
    pub async fn duplicate_candidates(&self, id: i64) -> Result<Vec<Candidate<DuplicateRow>>> {
        let rows = self
            .db
            .prepare(format!(
                "SELECT c.code, c.version, c.stage, c.created_at, c.message, c.lat, c.lon,
                   (SELECT count(*) FROM requests f WHERE f.merged_into = c.id) AS followers,
                   ({SAME_PLACE}) AS same_place
                 FROM requests r JOIN requests c ON c.body_id = r.body_id AND c.id <> r.id
                 WHERE r.id = ?1 AND c.merged_into IS NULL AND c.erased_at IS NULL AND c.nature = r.nature
                   AND c.stage IN ({open})
                   AND (({SAME_PLACE})
                     OR (r.lat IS NOT NULL AND c.lat BETWEEN r.lat - ?2 AND r.lat + ?2
                         AND c.lon BETWEEN r.lon - ?2 * 2 AND r.lon + ?2 * 2))
                 ORDER BY c.created_at DESC LIMIT ?3",
                open = merge::open_sql()
            ))
            .bind(&[int(id), JsValue::from_f64(BOX_DEGREES), int(MAX_CANDIDATES)])?
            .all()
            .await?
            .results::<DuplicateRow>()?;
        Ok(rows
            .into_iter()
            .map(|r| Candidate {
                message: r.message.clone(),
                same_place: r.same_place == 1,
                position: r.lat.zip(r.lon).map(|(lat, lon)| Position { lat, lon }),
                item: r,
            })
            .collect())
    }

    /// The requests merged into `main`, oldest first.
    pub async fn followers(&self, main: i64) -> Result<Vec<FollowerRow>> {
        self.db
            .prepare("SELECT code, created_at FROM requests WHERE merged_into = ?1 ORDER BY created_at, id LIMIT 500")
            .bind(&[int(main)])?
            .all()
            .await?
            .results::<FollowerRow>()
    }

    /// The open requests a person holds (released when they leave or go away).
    pub async fn held_by(&self, staff_id: i64) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            code: String,
        }
        let rows = self
            .db
            .prepare("SELECT code FROM requests WHERE assignee_id = ?1 AND stage IN ('in_treatment', 'forwarded') LIMIT 500")
            .bind(&[int(staff_id)])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.code).collect())
    }

    /// Sets (or clears) a person's absence.
    pub async fn set_away(&self, staff_id: i64, until: Option<i64>) -> Result<()> {
        self.db
            .prepare("UPDATE staff SET away_until = ?2 WHERE id = ?1")
            .bind(&[int(staff_id), opt_int(until)])?
            .run()
            .await?;
        Ok(())
    }

    /// Until when a person is away, if they are.
    pub async fn away_until(&self, staff_id: i64, now: i64) -> Result<Option<i64>> {
        #[derive(Deserialize)]
        struct Row {
            away_until: Option<i64>,
        }
        let row = self
            .db
            .prepare("SELECT away_until FROM staff WHERE id = ?1 AND away_until > ?2")
            .bind(&[int(staff_id), int(now)])?
            .first::<Row>(None)
            .await?;
        Ok(row.and_then(|r| r.away_until))
    }
}

fn colleague(r: ColleagueRow) -> Colleague {
    Colleague {
        id: r.id,
        role: crate::domain::staff::parse_role(&r.role).unwrap_or(Role::System),
        body_id: r.body_id,
        active: r.active == 1,
        away: r.away == 1,
    }
}
