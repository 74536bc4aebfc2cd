//! Client-side rate limiting: at most N requests per rolling window, waiting rather than failing.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::Mutex;

/// The future returned by [`Clock::sleep`].
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Time source for rate limiting and retry back-off; replaceable in tests.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Instant;
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> SleepFuture;
    /// The wall-clock time (WS-Security `Created`/`Timestamp`, HTTP-date `Retry-After`).
    /// Default: [`SystemTime::now`].
    fn wall_time(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// The real clock (`Instant::now`, `tokio::time::sleep`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// At most `max_calls` requests in any rolling window of length `per`. `max_calls == 0`
/// means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub max_calls: u32,
    /// Window length.
    pub per: Duration,
}

impl RateLimit {
    /// `max_calls` per `per`.
    pub fn new(max_calls: u32, per: Duration) -> Self {
        RateLimit { max_calls, per }
    }

    /// `max_calls` per minute.
    pub fn per_minute(max_calls: u32) -> Self {
        RateLimit::new(max_calls, Duration::from_secs(60))
    }
}

/// Shared limiter: remembers when the last `max_calls` requests were sent.
pub(crate) struct RateLimiter {
    limit: RateLimit,
    clock: Arc<dyn Clock>,
    sent: Mutex<VecDeque<Instant>>,
    /// No request before this instant (the server said the limit is reached: 429 or a
    /// rate-limit fault).
    blocked_until: std::sync::Mutex<Option<Instant>>,
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit, clock: Arc<dyn Clock>) -> Self {
        RateLimiter {
            limit,
            clock,
            sent: Mutex::new(VecDeque::new()),
            blocked_until: std::sync::Mutex::new(None),
        }
    }

    /// Holds every caller of this limiter (all clones of the client) for `delay` from now,
    /// e.g. after a 429 or a rate-limit fault (for its `Retry-After`, else the retry back-off).
    pub(crate) fn back_off(&self, delay: Duration) {
        let Some(until) = self.clock.now().checked_add(delay) else {
            return;
        };
        if let Ok(mut blocked) = self.blocked_until.lock() {
            if blocked.is_none_or(|b| b < until) {
                *blocked = Some(until);
            }
        }
    }

    /// Waits until a request may be sent and records it; returns how long it waited (by the
    /// injected clock). Waiters are served in order (the lock is held while waiting).
    pub(crate) async fn acquire(&self) -> Duration {
        let max = self.limit.max_calls as usize;
        let mut waited = Duration::ZERO;
        let mut sent = self.sent.lock().await;
        loop {
            let now = self.clock.now();
            let blocked = self.blocked_until.lock().ok().and_then(|b| *b);
            if let Some(until) = blocked.filter(|u| *u > now) {
                let wait = until.saturating_duration_since(now);
                tracing::info!(
                    wait_ms = wait.as_millis() as u64,
                    "server said the rate limit is reached (429 or a rate-limit fault); waiting"
                );
                self.clock.sleep(wait).await;
                waited += wait;
                continue;
            }
            if max == 0 {
                return waited;
            }
            while let Some(&first) = sent.front() {
                if now.saturating_duration_since(first) >= self.limit.per {
                    sent.pop_front();
                } else {
                    break;
                }
            }
            if sent.len() < max {
                sent.push_back(now);
                return waited;
            }
            let Some(&first) = sent.front() else {
                continue;
            };
            let wait = first
                .checked_add(self.limit.per)
                .map_or(self.limit.per, |free_at| {
                    free_at.saturating_duration_since(now)
                });
            let wait = wait.max(Duration::from_millis(1));
            tracing::info!(
                wait_ms = wait.as_millis() as u64,
                max_calls = self.limit.max_calls,
                per_secs = self.limit.per.as_secs(),
                "rate limit reached; waiting for a free slot"
            );
            self.clock.sleep(wait).await;
            waited += wait;
        }
    }
}
