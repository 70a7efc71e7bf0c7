//! SMS text in the GSM 03.38 7-bit alphabet: the domain's (`domain::gsm7`), shared with the USSD
//! screens.

pub use crate::domain::gsm7::{septets, to_gsm7, SINGLE_SMS, TWO_PARTS};
