//! Headers every response carries. Kept in one list so the worker and the tests agree.

/// No inline script or style anywhere: everything comes from our own origin.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; media-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; \
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

/// The submission form may ask for the position («Utiliser ma position», opt-in); no other page may.
pub const FORM_PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(), geolocation=(self), payment=()";

/// The policy for a page that embeds the Turnstile widget (its script and its frame come from Cloudflare).
pub fn csp_with_turnstile() -> String {
    CONTENT_SECURITY_POLICY
        .replace("script-src 'self'", "script-src 'self' https://challenges.cloudflare.com")
        .replace("connect-src 'self'", "connect-src 'self' https://challenges.cloudflare.com")
        + "; frame-src https://challenges.cloudflare.com"
}
