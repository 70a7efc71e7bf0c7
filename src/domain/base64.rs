//! Base64 as the tokens and provider headers need it (RFC 4648): the URL-safe alphabet without
//! padding, decoded strictly (one encoding per value), and the standard alphabet with padding for
//! HTTP Basic credentials. Hand-written so the citizens' worker carries no general base64 crate;
//! the native tests check it against that crate.

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// URL-safe, no padding: tokens, links, digests.
pub fn encode_url(bytes: impl AsRef<[u8]>) -> String {
    encode(bytes.as_ref(), URL_SAFE, false)
}

/// Standard alphabet with padding: HTTP Basic credentials.
pub fn encode_standard(bytes: impl AsRef<[u8]>) -> String {
    encode(bytes.as_ref(), STANDARD, true)
}

/// URL-safe without padding, strictly: any other character, a length no encoding has, or unused
/// bits left non-zero is refused, so a value has exactly one accepted text.
pub fn decode_url(text: &str) -> Option<Vec<u8>> {
    let digits = text
        .bytes()
        .map(|c| URL_SAFE.iter().position(|a| *a == c).map(|v| v as u32))
        .collect::<Option<Vec<u32>>>()?;
    if digits.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, d)| n | d << (18 - 6 * i));
        let bytes = chunk.len() - 1;
        // The bits past the last whole byte must be zero.
        if n & ((1 << (24 - 8 * bytes)) - 1) != 0 {
            return None;
        }
        out.extend((0..bytes).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{
        STANDARD as CRATE_STANDARD, URL_SAFE_NO_PAD as CRATE_URL,
    };
    use base64::Engine;
    use proptest::prelude::*;

    #[test]
    fn rfc_4648_vectors() {
        for (plain, standard) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode_standard(plain), standard);
            assert_eq!(encode_url(plain), standard.trim_end_matches('='));
            assert_eq!(
                decode_url(standard.trim_end_matches('=')).as_deref(),
                Some(plain.as_bytes())
            );
        }
        assert_eq!(encode_url([0xfb, 0xff]), "-_8");
    }

    #[test]
    fn strict_decoding() {
        for bad in ["Zg==", "Z", "Zh", "Zm9=", "Zm+v", "Zm/v", "Zm9v\n", "é"] {
            assert_eq!(decode_url(bad), None, "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn same_as_the_base64_crate(bytes in proptest::collection::vec(any::<u8>(), 0..80), text in "[A-Za-z0-9_=+/-]{0,12}") {
            prop_assert_eq!(encode_url(&bytes), CRATE_URL.encode(&bytes));
            prop_assert_eq!(encode_standard(&bytes), CRATE_STANDARD.encode(&bytes));
            prop_assert_eq!(decode_url(&encode_url(&bytes)), Some(bytes));
            prop_assert_eq!(decode_url(&text), CRATE_URL.decode(&text).ok());
        }
    }
}
