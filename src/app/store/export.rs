//! Exports read from D1 a page at a time, after a cursor (the last request id of the previous
//! page, in id order): one statement per page whatever the page's place in the export, so a
//! 100 000-row export costs 40 statements of `PAGE_ROWS` and never an OFFSET scan.

use serde::Deserialize;
use worker::Result;

use super::workspace::{queue_where, search_where, Scope};
use super::{int, Store};
use crate::domain::nature::Nature;
use crate::domain::queue::{Queue, SearchQuery};
use crate::domain::stage::{Stage, Verdict};

/// What is exported: a queue's requests, or a search's.
#[derive(Debug, Clone)]
pub enum ExportSource {
    Queue(Queue),
    Search(SearchQuery),
}

/// One request of an export. The contact columns are read only for the roles that may see them
/// (NULL otherwise, in SQL: never fetched).
#[derive(Debug, Clone, Deserialize)]
pub struct ExportLine {
    pub id: i64,
    pub code: String,
    pub created_at: i64,
    pub nature: Nature,
    pub body_name: String,
    pub theme: Option<String>,
    pub place: Option<String>,
    pub abroad_city: Option<String>,
    pub abroad_country: Option<String>,
    pub channel: String,
    pub stage: Stage,
    pub due_at: Option<i64>,
    pub verdict: Option<Verdict>,
    pub assignee: Option<String>,
    pub main_code: Option<String>,
    pub followers: i64,
    pub message: String,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// `hint` follows the table's name: after the first page, `NOT INDEXED` makes SQLite walk the
/// table by its rowid from the cursor (the first page, which may be the only one, uses the
/// queue's indexes; walking by rowid then costs each page only the rows it passes, instead of
/// sorting every row of the queue again).
fn columns(contacts: bool, hint: &str) -> String {
    let contact = if contacts {
        "nullif(trim(coalesce(r.first_names, '') || ' ' || coalesce(r.last_name, '')), '') AS full_name,
         nullif(r.email, '') AS email, nullif(r.phone, '') AS phone"
    } else {
        "NULL AS full_name, NULL AS email, NULL AS phone"
    };
    format!(
        "SELECT r.id, r.code, r.created_at, r.nature, b.name AS body_name,
           t.category_fr || ' : ' || t.label_fr AS theme, p.name AS place, r.abroad_city, r.abroad_country,
           r.channel, r.stage, r.due_at, r.verdict,
           (SELECT s.name FROM staff s WHERE s.id = r.assignee_id) AS assignee,
           (SELECT m.code FROM requests m WHERE m.id = r.merged_into) AS main_code,
           (SELECT count(*) FROM requests f WHERE f.merged_into = r.id) AS followers,
           r.message, {contact}
         FROM requests r{hint} JOIN bodies b ON b.id = r.body_id
         LEFT JOIN themes t ON t.id = r.theme_id LEFT JOIN places p ON p.id = r.place_id"
    )
}

impl Store {
    /// The page of `source` after request id `after`, at most `limit` rows, in id order.
    pub async fn export_page(
        &self,
        source: &ExportSource,
        scope: &Scope<'_>,
        contacts: bool,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ExportLine>> {
        let mut args = Vec::new();
        let filter = match source {
            ExportSource::Queue(queue) => queue_where(*queue, scope, &mut args),
            ExportSource::Search(query) => search_where(query, scope, contacts, &mut args),
        };
        args.push(int(after));
        args.push(int(limit));
        let n = args.len();
        let hint = if after > 0 { " NOT INDEXED" } else { "" };
        let sql = format!(
            "{}{filter} AND r.id > ?{} ORDER BY r.id LIMIT ?{n}",
            columns(contacts, hint),
            n - 1
        );
        self.db.prepare(sql).bind(&args)?.all().await?.results::<ExportLine>()
    }
}
