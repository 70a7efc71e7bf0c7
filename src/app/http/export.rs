//! A download streamed as it is read: the response starts with the file's first bytes and each
//! later chunk is one page read from D1 and written (`domain::export::Writer`), so an export of
//! any length holds one page in memory and the client receives bytes from the first page on
//! (a `ReadableStream` body; the platform's CPU limit counts only the work, not the wait).

use std::future::Future;

use futures_util::stream;
use worker::{Headers, Response, Result};

use crate::domain::export::{Cell, Format, Writer};

/// One page of rows, and the cursor of the next page (None: that was the last).
pub type Page = (Vec<Vec<Cell>>, Option<i64>);

enum Phase {
    Head(Vec<u8>),
    Pages,
    Done,
}

struct State<F> {
    writer: Option<Writer>,
    cursor: i64,
    fetch: F,
    phase: Phase,
}

/// The response headers of a download named `file`.
pub fn download_headers(format: Format, file: &str) -> Result<Headers> {
    let headers = Headers::new();
    headers.set("Content-Type", format.content_type())?;
    headers.set("Content-Disposition", &format!("attachment; filename=\"{file}\""))?;
    headers.set("Cache-Control", "private, no-store")?;
    Ok(headers)
}

/// Streams an export: `head` (the header row) first, then `fetch(cursor)` page after page from
/// `start`, then the writer's last bytes. A failing page ends the stream with an error, so the
/// download breaks visibly instead of ending short.
pub fn stream<F, Fut>(
    format: Format,
    file: &str,
    writer: Writer,
    head: Vec<u8>,
    start: i64,
    fetch: F,
) -> Result<Response>
where
    F: FnMut(i64) -> Fut + 'static,
    Fut: Future<Output = Result<Page>> + 'static,
{
    let state = State { writer: Some(writer), cursor: start, fetch, phase: Phase::Head(head) };
    let body = stream::unfold(state, |mut st| async move {
        match std::mem::replace(&mut st.phase, Phase::Done) {
            Phase::Head(bytes) => {
                st.phase = Phase::Pages;
                Some((Ok(bytes), st))
            }
            Phase::Pages => match (st.fetch)(st.cursor).await {
                Ok((rows, next)) => {
                    let mut bytes = st.writer.as_mut().map(|w| w.rows(&rows)).unwrap_or_default();
                    match next {
                        Some(cursor) => {
                            st.cursor = cursor;
                            st.phase = Phase::Pages;
                        }
                        None => {
                            bytes.extend(st.writer.take().map(Writer::finish).unwrap_or_default())
                        }
                    }
                    Some((Ok(bytes), st))
                }
                Err(e) => {
                    crate::app::log::error("export", &format!("an export page failed: {e}"));
                    Some((Err(e), st))
                }
            },
            Phase::Done => None,
        }
    });
    Ok(Response::from_stream(body)?.with_headers(download_headers(format, file)?))
}

/// A small export written at once (the dashboard's table).
pub fn whole(format: Format, file: &str, bytes: Vec<u8>) -> Result<Response> {
    Ok(Response::from_bytes(bytes)?.with_headers(download_headers(format, file)?))
}
