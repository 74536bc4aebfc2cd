//! Retry policy: which failures are resent, and how long to wait (back-off, `Retry-After`).

use std::time::{Duration, SystemTime};

use rand::Rng as _;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How failed requests are retried.
///
/// Operations marked `retry_safe` are retried up to `max_retries` times after a connection
/// error, HTTP 429 (or a SOAP fault the conventions call a rate-limit fault), 502, 503 or
/// 504. Any other operation is resent at most once, and only after HTTP 429, a rate-limit
/// fault or a connection error (nothing was processed by the server). A `max_retries` of 0
/// disables both. Timeouts and other errors are never retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Maximum retries for retry-safe operations.
    pub max_retries: u32,
    /// First back-off delay; doubled per retry.
    pub initial_backoff: Duration,
    /// Upper bound of the back-off delay.
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not waited for: the error is returned instead.
    pub max_retry_after: Duration,
    /// Randomise each back-off delay to between half and all of its value.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The back-off before retry number `retry` (0-based), capped and jittered.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX);
        let base = self
            .initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        if self.jitter && !base.is_zero() {
            let half = base / 2;
            let extra =
                rand::thread_rng().gen_range(0..=half.as_millis().min(u128::from(u64::MAX)) as u64);
            half + Duration::from_millis(extra)
        } else {
            base
        }
    }
}

/// Why a response or error may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryReason {
    /// The connection could not be established (nothing was sent).
    Connect,
    /// HTTP 429.
    TooManyRequests,
    /// HTTP 502, 503 or 504.
    Unavailable,
}

impl RetryReason {
    /// Whether an operation that is not retry-safe may be resent (once) for this reason.
    pub(crate) fn allows_unsafe_resend(self) -> bool {
        matches!(self, RetryReason::Connect | RetryReason::TooManyRequests)
    }

    /// Classifies an HTTP status.
    pub(crate) fn from_status(status: u16) -> Option<Self> {
        match status {
            429 => Some(RetryReason::TooManyRequests),
            502..=504 => Some(RetryReason::Unavailable),
            _ => None,
        }
    }
}

/// Parses `Retry-After` as delta-seconds or an HTTP date (relative to `now`).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy {
            jitter: false,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        assert_eq!(p.backoff(0), Duration::from_millis(100));
        assert_eq!(p.backoff(1), Duration::from_millis(200));
        assert_eq!(p.backoff(2), Duration::from_millis(350));
        assert_eq!(p.backoff(60), Duration::from_millis(350));
        let j = RetryPolicy { jitter: true, ..p };
        for _ in 0..50 {
            let d = j.backoff(1);
            assert!(d >= Duration::from_millis(100) && d <= Duration::from_millis(200));
        }
    }

    #[test]
    fn parses_retry_after() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h, now), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        h.insert(RETRY_AFTER, HeaderValue::from_str(&later).expect("value"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(30)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h, now), None);
    }
}
