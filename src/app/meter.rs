//! What each invocation costs against Cloudflare's per-invocation limits — D1 statements and
//! round trips, subrequests (fetches, the service binding, R2, Queues, D1) — and, in development
//! only, the faults injected into D1 and R2 (`FAULT_D1_RATE`, `FAULT_R2_RATE`).
//!
//! An invocation (an HTTP request, a queue batch, a cron) runs inside [`metered`]: its meter is the
//! current one while any of its futures is polled — the work after the answer (`waitUntil`)
//! included — so interleaved invocations of one isolate never count each other's statements. When
//! the last of them ends, the meter writes one JSON log line (`event: "invocation"`, with
//! `d1_statements`, `d1_batches`, `subrequests`) if `COUNT_INVOCATIONS` is set; the tests read
//! those lines and fail an invocation over its budget (`tests/support/worker.mjs`).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use worker::Env;

/// One invocation's counts.
pub struct Meter {
    /// `citizen`, `office`, `queue` or `cron`.
    kind: &'static str,
    /// The route or job, for the log (never a code or personal data: see `label`).
    label: RefCell<String>,
    /// When it started (ms): its log line says how long it lasted, I/O included.
    started: f64,
    log: bool,
    /// Development only (`LOG_STATEMENTS=1`): each distinct SQL text is logged once per isolate,
    /// so `make bench` can read every statement's query plan at a million rows.
    log_statements: bool,
    d1_statements: Cell<u32>,
    d1_batches: Cell<u32>,
    subrequests: Cell<u32>,
    /// Development only: the share of D1 round trips and R2 operations that fail.
    fault_d1: f64,
    fault_r2: f64,
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Meter>>> = const { RefCell::new(None) };
    static LOGGED: RefCell<std::collections::HashSet<u64>> = RefCell::new(Default::default());
}

fn rate(env: &Env, name: &str) -> f64 {
    env.var(name)
        .ok()
        .and_then(|v| v.to_string().trim().parse::<f64>().ok())
        .filter(|r| r.is_finite())
        .map_or(0.0, |r| r.clamp(0.0, 1.0))
}

impl Meter {
    pub fn new(env: &Env, kind: &'static str, label: &str) -> Rc<Meter> {
        let log = env.var("COUNT_INVOCATIONS").is_ok_and(|v| v.to_string() == "1");
        Rc::new(Meter {
            kind,
            label: RefCell::new(label.to_owned()),
            started: worker::Date::now().as_millis() as f64,
            log,
            log_statements: env.var("LOG_STATEMENTS").is_ok_and(|v| v.to_string() == "1"),
            d1_statements: Cell::new(0),
            d1_batches: Cell::new(0),
            subrequests: Cell::new(0),
            fault_d1: rate(env, "FAULT_D1_RATE"),
            fault_r2: rate(env, "FAULT_R2_RATE"),
        })
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        if !self.log {
            return;
        }
        let line = serde_json::json!({
            "level": "info",
            "event": "invocation",
            "kind": self.kind,
            "label": *self.label.borrow(),
            "ms": worker::Date::now().as_millis() as f64 - self.started,
            "d1_statements": self.d1_statements.get(),
            "d1_batches": self.d1_batches.get(),
            "subrequests": self.subrequests.get(),
        });
        worker::console_log!("{line}");
    }
}

/// A path as a log label: its first three segments, a code, id or token among them masked.
pub fn label(path: &str) -> String {
    let masked = |s: &str| s.bytes().filter(u8::is_ascii_digit).count() >= 3 || s.len() > 24;
    let segments: Vec<&str> = path
        .trim_start_matches('/')
        .split('/')
        .take(3)
        .map(|s| if masked(s) { "…" } else { s })
        .collect();
    format!("/{}", segments.join("/"))
}

fn with_current(f: impl FnOnce(&Meter)) {
    CURRENT.with_borrow(|m| {
        if let Some(m) = m {
            f(m)
        }
    });
}

/// The invocation's meter, for work it hands to `waitUntil`.
pub fn current() -> Option<Rc<Meter>> {
    CURRENT.with_borrow(|m| m.clone())
}

/// A D1 round trip carrying `statements` statements (a batch, or one statement run alone).
pub fn d1(statements: u32, batch: bool) {
    with_current(|m| {
        m.d1_statements.set(m.d1_statements.get() + statements);
        if batch {
            m.d1_batches.set(m.d1_batches.get() + 1);
        }
        m.subrequests.set(m.subrequests.get() + 1);
    });
}

/// A statement about to be prepared: logged, the first time this isolate sees its text, when
/// `LOG_STATEMENTS` is on (its text only: values are bound, never part of it).
pub fn statement(sql: &str) {
    with_current(|m| {
        if !m.log_statements {
            return;
        }
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        sql.hash(&mut hasher);
        if LOGGED.with_borrow_mut(|seen| seen.insert(hasher.finish())) {
            let line = serde_json::json!({ "event": "statement", "sql": sql });
            worker::console_log!("{line}");
        }
    });
}

/// The D1 statements the current invocation has run so far (work that takes slices stops short
/// of its budget with this).
pub fn statements() -> u32 {
    CURRENT.with_borrow(|m| m.as_ref().map_or(0, |m| m.d1_statements.get()))
}

/// Adds what the invocation did to its label (a queue batch that ran a job's slice says which).
pub fn add_to_label(what: &str) {
    with_current(|m| {
        let mut label = m.label.borrow_mut();
        label.push(' ');
        label.push_str(what);
    });
}

/// A fetch, a service-binding call, an R2 operation or a queue send.
pub fn subrequest() {
    with_current(|m| m.subrequests.set(m.subrequests.get() + 1));
}

/// Development only: whether this D1 round trip fails, and if so whether before it takes
/// effect (false) or after (true: the write happened, its answer is lost).
pub fn d1_fault() -> Option<bool> {
    draw(|m| m.fault_d1)
}

/// Development only: whether this R2 operation fails (before or after it takes effect).
pub fn r2_fault() -> Option<bool> {
    draw(|m| m.fault_r2)
}

fn draw(share: impl Fn(&Meter) -> f64) -> Option<bool> {
    let rate = CURRENT.with_borrow(|m| m.as_ref().map_or(0.0, |m| share(m)));
    if rate <= 0.0 {
        return None;
    }
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).ok()?;
    let roll = u32::from_le_bytes(bytes);
    // The low bit says before or after; the rest decides whether it fails at all.
    ((f64::from(roll >> 1) / f64::from(u32::MAX >> 1)) < rate).then_some(roll & 1 == 1)
}

/// The error an injected fault gives, worded like D1's and R2's own transient failures.
pub fn injected(what: &str) -> worker::Error {
    worker::Error::RustError(format!("{what}: injected fault (FAULT_*_RATE, development only)"))
}

/// A future that makes `meter` the current one while it is polled.
pub struct Metered<F> {
    meter: Rc<Meter>,
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for Metered<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let meter = self.meter.clone();
        let previous = CURRENT.with_borrow_mut(|m| m.replace(meter));
        let result = self.inner.as_mut().poll(cx);
        CURRENT.with_borrow_mut(|m| *m = previous);
        result
    }
}

/// Runs `work` under `meter`.
pub fn metered<F: Future>(meter: Rc<Meter>, work: F) -> Metered<F> {
    Metered { meter, inner: Box::pin(work) }
}
