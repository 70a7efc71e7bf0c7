//! Headers every response carries. Kept in one list so the worker and the tests agree.

/// No inline script or style anywhere: everything comes from our own origin (and a voice note
/// just recorded plays from its `blob:` before it is sent).
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; media-src 'self' blob:; font-src 'self'; connect-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
];

/// The submission form may ask for the position («Utiliser ma position», opt-in) and the
/// microphone (a voice note, recorded when the citizen presses «Enregistrer»); no other page may.
pub const FORM_PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(self), geolocation=(self), payment=()";

/// The phone operator's form: the microphone (a recording of the call), never the position.
pub const RECORDING_PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(self), geolocation=(), payment=()";

/// The policy for a page that embeds the Turnstile widget (its script and its frame come from Cloudflare).
pub fn csp_with_turnstile() -> String {
    CONTENT_SECURITY_POLICY
        .replace("script-src 'self'", "script-src 'self' https://challenges.cloudflare.com")
        .replace("connect-src 'self'", "connect-src 'self' https://challenges.cloudflare.com")
        + "; frame-src https://challenges.cloudflare.com"
}
