//! Where remote locations resolve: the configured local copies, then a fetch hook only when
//! the caller supplies one (`codegen generate --allow-network` does; build scripts do not).

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A fetch hook: downloads a URL the catalog lacks and returns the local file holding it.
pub type Fetch = dyn Fn(&str) -> Result<PathBuf, String> + Send + Sync;

/// A [`Fetch`] hook kept in a `Config` (printed as `<hook>`).
#[derive(Clone)]
pub struct FetchHook(pub Arc<Fetch>);

impl fmt::Debug for FetchHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hook>")
    }
}

/// URL (or namespace) → local file, and the optional fetch hook for URLs it lacks.
#[derive(Clone, Default)]
pub struct Catalog {
    entries: BTreeMap<String, PathBuf>,
    fetch: Option<Arc<Fetch>>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("entries", &self.entries)
            .field("fetch", &self.fetch.as_ref().map(|_| "<hook>"))
            .finish()
    }
}

impl Catalog {
    /// A catalog of local copies, without a fetch hook.
    pub fn new(entries: BTreeMap<String, PathBuf>) -> Self {
        Catalog {
            entries,
            fetch: None,
        }
    }

    /// Adds the hook that fetches URLs the entries lack.
    pub fn with_fetch(mut self, fetch: Option<Arc<Fetch>>) -> Self {
        self.fetch = fetch;
        self
    }

    /// The local copy configured for `key` (a URL or a namespace; a trailing `/` is ignored).
    pub fn get(&self, key: &str) -> Option<PathBuf> {
        self.entries
            .get(key)
            .or_else(|| self.entries.get(key.trim_end_matches('/')))
            .cloned()
    }

    /// The local copy of the URL `url`: configured, else fetched by the hook. `None` when
    /// there is neither (the caller reports the URL as missing from the catalog).
    pub fn url(&self, url: &str) -> Option<Result<PathBuf, String>> {
        if let Some(p) = self.get(url) {
            return Some(Ok(p));
        }
        self.fetch.as_ref().map(|fetch| fetch(url))
    }
}
