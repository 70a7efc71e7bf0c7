//! The staff workspace's reads: a queue's page and every queue's count in one batch, the search
//! box, and the reply templates a body answers with.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::{int, json_array, opt_int, text, Hits, Store};
use crate::domain::nature::Nature;
use crate::domain::queue::{
    like_pattern, phone_digits, Condition, Queue, SearchQuery, Sort, PER_PAGE,
};
use crate::domain::stage::{self, Stage, Verdict};

/// One row of a queue or of the search results.
#[derive(Debug, Clone, Deserialize)]
pub struct QueueLine {
    pub code: String,
    pub version: i64,
    pub nature: Nature,
    pub stage: Stage,
    pub body_name: String,
    pub channel: String,
    pub created_at: i64,
    pub verdict: Option<Verdict>,
    pub due_at: Option<i64>,
    /// The first 160 characters of the message.
    pub excerpt: String,
    pub theme: Option<String>,
    pub place: Option<String>,
    pub abroad_city: Option<String>,
    pub abroad_country: Option<String>,
    /// Who holds it within its body.
    #[serde(default)]
    pub assignee: Option<String>,
    /// How many duplicates were merged into it.
    #[serde(default)]
    pub followers: i64,
    /// 1 when the request is back in stage 2 because its citizen reopened it.
    pub reopened: i64,
    /// The citizen's reason for reopening, when reopened.
    pub reopen_reason: Option<String>,
}

/// Who is asking and what they narrowed the lists to (kept in the URL).
pub struct Scope<'a> {
    /// `None`: every body.
    pub bodies: Option<&'a [i64]>,
    pub nature: Option<Nature>,
    pub body: Option<i64>,
    pub channel: Option<&'a str>,
    /// Only requests received before this instant (the «older than N days» filter).
    pub received_before: Option<i64>,
    /// Only requests whose deadline passed before this instant (the «late» filter).
    pub late_at: Option<i64>,
    /// The person looking («Mes dossiers»).
    pub me: Option<i64>,
}

fn condition_sql(condition: Condition, scope: &Scope<'_>, args: &mut Vec<JsValue>) -> String {
    match condition {
        Condition::HeldByMe => {
            args.push(int(scope.me.unwrap_or(-1)));
            format!(" AND r.assignee_id = ?{}", args.len())
        }
        Condition::None => String::new(),
        // The last time the request entered stage 2 was a reopening (the domain's rule).
        Condition::Reopened => format!(" AND {}", stage::reopened_last_sql()),
        Condition::NotReopened => format!(" AND NOT coalesce({}, 0)", stage::reopened_last_sql()),
        Condition::VerdictToExamine => " AND r.verdict IN ('partly_satisfied', 'not_satisfied')
              AND NOT EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.event = 'clarified' AND e.at >= r.closed_at)"
            .to_owned(),
        Condition::ReassignRequested => format!(" AND EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.event = 'reassign_requested'
              AND e.at >= (SELECT max(x.at) FROM request_events x WHERE x.request_id = r.id
                           AND x.event IN ({})))",
            stage::ENTERS_TREATMENT.iter().map(|e| format!("'{}'", e.slug())).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The WHERE clause of a scope (after `WHERE 1`), its parameters appended to `args`.
pub(super) fn scope_sql(scope: &Scope<'_>, args: &mut Vec<JsValue>) -> String {
    let mut sql = String::new();
    if let Some(bodies) = scope.bodies {
        args.push(json_array(bodies));
        sql.push_str(&format!(" AND r.body_id IN (SELECT value FROM json_each(?{}))", args.len()));
    }
    if let Some(nature) = scope.nature {
        args.push(text(nature.slug()));
        sql.push_str(&format!(" AND r.nature = ?{}", args.len()));
    }
    if let Some(body) = scope.body {
        args.push(int(body));
        sql.push_str(&format!(" AND r.body_id = ?{}", args.len()));
    }
    if let Some(channel) = scope.channel {
        args.push(text(channel));
        sql.push_str(&format!(" AND r.channel = ?{}", args.len()));
    }
    if let Some(before) = scope.received_before {
        args.push(int(before));
        sql.push_str(&format!(" AND r.created_at < ?{}", args.len()));
    }
    if let Some(at) = scope.late_at {
        args.push(int(at));
        sql.push_str(&format!(" AND r.due_at < ?{}", args.len()));
    }
    sql
}

pub(super) fn queue_where(queue: Queue, scope: &Scope<'_>, args: &mut Vec<JsValue>) -> String {
    let stages: Vec<&str> = queue.stages().iter().map(|s| s.slug()).collect();
    args.push(json_array(&stages));
    let mut sql = format!(" WHERE r.stage IN (SELECT value FROM json_each(?{}))", args.len());
    sql.push_str(&scope_sql(scope, args));
    sql.push_str(&condition_sql(queue.condition(), scope, args));
    sql
}

fn order_sql(sort: Sort) -> &'static str {
    match sort {
        Sort::Due => " ORDER BY r.due_at IS NULL, r.due_at, r.created_at",
        Sort::Age => " ORDER BY r.created_at, r.id",
        Sort::Update => " ORDER BY r.updated_at DESC, r.id DESC",
    }
}

const LINE_COLUMNS: &str = "SELECT r.code, r.version, r.nature, r.stage, b.name AS body_name, r.channel, r.created_at, r.updated_at,
        r.verdict, r.due_at, substr(r.message, 1, 160) AS excerpt, t.category_fr || ' : ' || t.label_fr AS theme,
        p.name AS place, r.abroad_city, r.abroad_country,
        CASE WHEN r.stage = 'in_treatment' AND coalesce(REOPENED_SQL, 0) THEN 1 ELSE 0 END AS reopened,
        CASE WHEN r.stage = 'in_treatment' THEN (SELECT e.note FROM request_events e WHERE e.request_id = r.id AND e.event = 'reopened'
             ORDER BY e.at DESC, e.id DESC LIMIT 1) END AS reopen_reason,
        (SELECT s.name FROM staff s WHERE s.id = r.assignee_id) AS assignee,
        (SELECT count(*) FROM requests f WHERE f.merged_into = r.id) AS followers
     FROM requests r JOIN bodies b ON b.id = r.body_id
     LEFT JOIN themes t ON t.id = r.theme_id LEFT JOIN places p ON p.id = r.place_id";

pub(super) fn line_columns() -> String {
    LINE_COLUMNS.replace("REOPENED_SQL", &stage::reopened_last_sql())
}

/// The WHERE clause of a search: an exact code, or every word in the message — or, when
/// `contacts`, in the citizen's names, email or phone.
pub(super) fn search_where(
    query: &SearchQuery,
    scope: &Scope<'_>,
    contacts: bool,
    args: &mut Vec<JsValue>,
) -> String {
    let mut filter = format!(" WHERE 1{}", scope_sql(scope, args));
    if let Some(code) = query.code {
        args.push(text(&code.to_string()));
        filter.push_str(&format!(" AND r.code = ?{}", args.len()));
    }
    for word in &query.words {
        args.push(text(&like_pattern(word)));
        let n = args.len();
        let mut any = format!("r.message LIKE ?{n} ESCAPE '\\'");
        if contacts {
            any.push_str(&format!(" OR r.first_names LIKE ?{n} ESCAPE '\\' OR r.last_name LIKE ?{n} ESCAPE '\\' OR r.email LIKE ?{n} ESCAPE '\\'"));
            if let Some(digits) = phone_digits(word) {
                // Stored numbers are E.164; a caller gives the local 10 digits or fewer.
                let tail: String = digits.chars().skip(digits.len().saturating_sub(10)).collect();
                args.push(text(&format!("%{tail}%")));
                any.push_str(&format!(" OR r.phone LIKE ?{}", args.len()));
            }
        }
        filter.push_str(&format!(" AND ({any})"));
    }
    filter
}

/// One page of a queue, and the count of every queue asked for (same scope), in one batch.
pub struct QueuePageRead {
    pub lines: Vec<QueueLine>,
    pub counts: Vec<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReplyTemplate {
    pub id: i64,
    pub body_name: Option<String>,
    pub title: String,
    pub text: String,
}

impl Store {
    /// `page` counts from 1; `counted` are the queues whose totals the tabs show (the shown one among them).
    pub async fn queue_page(
        &self,
        queue: Queue,
        scope: &Scope<'_>,
        sort: Sort,
        page: i64,
        counted: &[Queue],
    ) -> Result<QueuePageRead> {
        let mut args = Vec::new();
        let mut sql = line_columns();
        sql.push_str(&queue_where(queue, scope, &mut args));
        sql.push_str(order_sql(sort));
        args.push(int(PER_PAGE));
        args.push(int((page - 1).max(0) * PER_PAGE));
        sql.push_str(&format!(" LIMIT ?{} OFFSET ?{}", args.len() - 1, args.len()));
        let mut statements = vec![self.db.prepare(sql).bind(&args)?];
        for q in counted {
            let mut args = Vec::new();
            let sql = format!(
                "SELECT count(*) AS hits FROM requests r{}",
                queue_where(*q, scope, &mut args)
            );
            statements.push(self.db.prepare(sql).bind(&args)?);
        }
        let mut results = self.db.batch(statements).await?.into_iter();
        let lines = results
            .next()
            .ok_or_else(|| worker::Error::RustError("queue batch".into()))?
            .results::<QueueLine>()?;
        let counts = results
            .map(|r| Ok(r.results::<Hits>()?.first().map_or(0, |h| h.hits)))
            .collect::<Result<Vec<i64>>>()?;
        Ok(QueuePageRead { lines, counts })
    }

    /// Requests of the scope (any stage) matching the search: an exact code, or every word in the
    /// message — or, when `contacts`, in the citizen's names, email or phone. Newest change first.
    pub async fn search(
        &self,
        query: &SearchQuery,
        scope: &Scope<'_>,
        contacts: bool,
        page: i64,
    ) -> Result<(Vec<QueueLine>, i64)> {
        let mut args = Vec::new();
        let filter = search_where(query, scope, contacts, &mut args);
        let count_sql = format!("SELECT count(*) AS hits FROM requests r{filter}");
        let mut page_args = args.clone();
        page_args.push(int(PER_PAGE));
        page_args.push(int((page - 1).max(0) * PER_PAGE));
        let n = page_args.len();
        let sql = format!(
            "{}{filter} ORDER BY r.updated_at DESC, r.id DESC LIMIT ?{} OFFSET ?{n}",
            line_columns(),
            n - 1
        );
        let results = self
            .db
            .batch(vec![
                self.db.prepare(sql).bind(&page_args)?,
                self.db.prepare(count_sql).bind(&args)?,
            ])
            .await?;
        let [lines, count] = <[worker::D1Result; 2]>::try_from(results)
            .map_err(|_| worker::Error::RustError("search batch".into()))?;
        Ok((lines.results::<QueueLine>()?, count.results::<Hits>()?.first().map_or(0, |h| h.hits)))
    }

    /// The templates a body's answer may start from: its own and the general ones.
    pub async fn reply_templates_for(&self, body_id: i64) -> Result<Vec<ReplyTemplate>> {
        self.db
            .prepare(
                "SELECT t.id, b.name AS body_name, t.title, t.text FROM reply_templates t LEFT JOIN bodies b ON b.id = t.body_id
                 WHERE t.active = 1 AND (t.body_id IS NULL OR t.body_id = ?1) ORDER BY t.body_id IS NULL, t.title",
            )
            .bind(&[int(body_id)])?
            .all()
            .await?
            .results::<ReplyTemplate>()
    }

    /// Every active template, for the administration.
    pub async fn reply_templates(&self) -> Result<Vec<ReplyTemplate>> {
        self.db
            .prepare(
                "SELECT t.id, b.name AS body_name, t.title, t.text FROM reply_templates t LEFT JOIN bodies b ON b.id = t.body_id
                 WHERE t.active = 1 ORDER BY b.name IS NOT NULL, b.name, t.title",
            )
            .all()
            .await?
            .results::<ReplyTemplate>()
    }

    pub async fn add_reply_template(
        &self,
        body_id: Option<i64>,
        title: &str,
        body: &str,
        now: i64,
    ) -> Result<()> {
        self.db
            .prepare("INSERT INTO reply_templates (body_id, title, text, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)")
            .bind(&[opt_int(body_id), text(title), text(body), int(now)])?
            .run()
            .await?;
        Ok(())
    }

    /// Takes a template off the lists; its title, for the message that says so.
    pub async fn remove_reply_template(&self, id: i64, now: i64) -> Result<Option<String>> {
        #[derive(Deserialize)]
        struct Row {
            title: String,
        }
        let row = self
            .db
            .prepare("UPDATE reply_templates SET active = 0, updated_at = ?2 WHERE id = ?1 AND active = 1 RETURNING title")
            .bind(&[int(id), int(now)])?
            .first::<Row>(None)
            .await?;
        Ok(row.map(|r| r.title))
    }
}
