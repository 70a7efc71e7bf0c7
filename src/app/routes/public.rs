//! The public pages: INFORMATIONS (with the video from R2), LE GUIDE, A PROPOS and the
//! personal-data page. All cached at the edge (see `app::cache`). STATISTIQUES is the back
//! office's (`stats`).

use askama::Template;
use worker::{Headers, Response};

use super::Outcome;
use crate::app::http::cache::{self, Ttl};
use crate::app::http::files::Files;
use crate::app::http::respond;
use crate::app::{AppError, Ctx};
use crate::domain::http_range::{self, ByteRange};
use crate::web::assets;
use crate::web::public::{AboutPage, GuidePage, InfoPage, PrivacyPage, TranscriptLine};
/// Where `make db` (or an admin with wrangler) puts the institutional video in R2.
pub const VIDEO_KEY: &str = "media/video-institutionnelle.webm";

/// GET /guide
pub async fn guide(ctx: &Ctx) -> Outcome {
    cache::public(
        ctx,
        Ttl::Daily,
        Box::pin(
            async move { Ok(respond::html(200, GuidePage { c: ctx.chrome("guide") }.render()?)?) },
        ),
    )
    .await
}

/// GET /a-propos
pub async fn about(ctx: &Ctx) -> Outcome {
    cache::public(
        ctx,
        Ttl::Daily,
        Box::pin(
            async move { Ok(respond::html(200, AboutPage { c: ctx.chrome("about") }.render()?)?) },
        ),
    )
    .await
}

/// GET /donnees-personnelles
pub async fn privacy(ctx: &Ctx) -> Outcome {
    let days = ctx.settings.retention_days;
    let page = PrivacyPage { c: ctx.chrome(""), retention_years: (days + 364) / 365 };
    cache::public(ctx, Ttl::Daily, Box::pin(async move { Ok(respond::html(200, page.render()?)?) }))
        .await
}

/// GET /informations
pub async fn informations(ctx: &Ctx) -> Outcome {
    let t = ctx.lang.texts();
    let transcript =
        t.info.video_slides.iter().map(|(title, text)| TranscriptLine { title, text }).collect();
    let page = InfoPage { c: ctx.chrome("info"), poster: assets::VIDEO_POSTER, transcript };
    cache::public(ctx, Ttl::Daily, Box::pin(async move { Ok(respond::html(200, page.render()?)?) }))
        .await
}

/// GET /informations/video.webm — from R2, in pieces when the player asks for a range (seeking,
/// resuming on a bad connection).
pub async fn video(ctx: &Ctx, range_header: Option<String>) -> Outcome {
    let files = Files::new(&ctx.env)?;
    let Some(size) = files.size(VIDEO_KEY).await? else { return Err(AppError::NotFound) };
    let headers = Headers::new();
    headers.set("Content-Type", "video/webm")?;
    headers.set("Accept-Ranges", "bytes")?;
    headers.set("Cache-Control", "public, max-age=86400")?;
    match http_range::parse(range_header.as_deref(), size) {
        ByteRange::Whole => {
            let bytes = files.read(VIDEO_KEY, None).await?.ok_or(AppError::NotFound)?;
            Ok(Response::from_bytes(bytes)?.with_headers(headers))
        }
        ByteRange::Part { start, end } => {
            let bytes = files
                .read(VIDEO_KEY, Some((start, end - start + 1)))
                .await?
                .ok_or(AppError::NotFound)?;
            headers.set("Content-Range", &format!("bytes {start}-{end}/{size}"))?;
            Ok(Response::from_bytes(bytes)?.with_headers(headers).with_status(206))
        }
        ByteRange::Unsatisfiable => {
            headers.set("Content-Range", &format!("bytes */{size}"))?;
            Ok(Response::empty()?.with_headers(headers).with_status(416))
        }
    }
}
