//! On-disk cache of Kolada responses, keyed by request URL.
//!
//! One file per request (`<sha256 of the URL>.kolada`, so no key, however long or
//! strange (`../`, absolute paths, NUL), can name a file outside the directory): a
//! one-line JSON header (`jamlik_cache` format version, `url`, the byte length of
//! every page, the total `length`, the `sha256` of all pages, `fetched_at`) followed
//! by the page bodies exactly as received, back to back. A multi-page response is
//! one entry, written only once every page has arrived and parsed, so a cached
//! response is never a mix of pages fetched at different times.
//!
//! Writes go to a temporary file in the same directory, which is fsynced and then
//! renamed over the entry (and the directory fsynced), so a writer killed at any
//! moment leaves either the old complete entry or the new one, plus at most a stray
//! temporary file (`.tmp-*.partial`, ignored by look-ups and removed by
//! [`Cache::clear`]). Concurrent writers of one entry each rename a complete file:
//! the last rename wins. An entry whose length or checksum does not match its header
//! (truncated, edited, damaged disk) is reported as [`Lookup::Corrupt`], never served.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

const ENTRY_EXT: &str = "kolada";
const TEMP_PREFIX: &str = ".tmp-";
const TEMP_SUFFIX: &str = ".partial";
const FORMAT_VERSION: u32 = 2;

/// A directory of cached responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    dir: PathBuf,
}

/// A cached response: every page of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheEntry {
    /// The page bodies as received, in paging order (one for a single-page response).
    pub pages: Vec<String>,
    /// When it was fetched, seconds since the Unix epoch.
    pub fetched_at: u64,
}

/// Result of a cache look-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A complete, verified entry.
    Hit(CacheEntry),
    /// No entry for this URL.
    Miss,
    /// An entry exists but fails verification; the reason says how.
    Corrupt(String),
}

#[derive(Serialize, Deserialize)]
struct Header {
    jamlik_cache: u32,
    url: String,
    parts: Vec<usize>,
    length: usize,
    sha256: String,
    fetched_at: u64,
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn io_err(path: &Path, e: &std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

impl Cache {
    /// Opens (and creates if needed) a cache directory.
    ///
    /// # Errors
    /// [`Error::Io`] when the directory cannot be created.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, &e))?;
        Ok(Self { dir })
    }

    /// The cache directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that holds (or would hold) the entry for `url`.
    pub fn path_for(&self, url: &str) -> PathBuf {
        self.dir
            .join(format!("{}.{ENTRY_EXT}", sha256_hex(url.as_bytes())))
    }

    /// Looks `url` up.
    ///
    /// # Errors
    /// [`Error::Io`] when the entry exists but cannot be read.
    pub fn get(&self, url: &str) -> Result<Lookup> {
        let path = self.path_for(url);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Lookup::Miss),
            Err(e) => return Err(io_err(&path, &e)),
        };
        Ok(Self::verify(url, &bytes))
    }

    fn verify(url: &str, bytes: &[u8]) -> Lookup {
        let Some(nl) = bytes.iter().position(|&b| b == b'\n') else {
            return Lookup::Corrupt("no header line (truncated entry)".into());
        };
        let header: Header = match serde_json::from_slice(&bytes[..nl]) {
            Ok(h) => h,
            Err(e) => return Lookup::Corrupt(format!("unreadable header: {e}")),
        };
        if header.jamlik_cache != FORMAT_VERSION {
            return Lookup::Corrupt(format!(
                "cache format {} is not this version's {FORMAT_VERSION}",
                header.jamlik_cache
            ));
        }
        if header.url != url {
            // A different URL with the same hash: treat as absent.
            return Lookup::Miss;
        }
        let body = &bytes[nl + 1..];
        if body.len() != header.length {
            return Lookup::Corrupt(format!(
                "body has {} bytes, header says {} (truncated entry)",
                body.len(),
                header.length
            ));
        }
        if header
            .parts
            .iter()
            .try_fold(0usize, |a, &p| a.checked_add(p))
            != Some(header.length)
        {
            return Lookup::Corrupt("page lengths do not add up to the body length".into());
        }
        if sha256_hex(body) != header.sha256 {
            return Lookup::Corrupt("body checksum does not match its header".into());
        }
        let mut pages = Vec::with_capacity(header.parts.len());
        let mut rest = body;
        for &len in &header.parts {
            let (page, tail) = rest.split_at(len);
            rest = tail;
            match std::str::from_utf8(page) {
                Ok(p) => pages.push(p.to_string()),
                Err(_) => return Lookup::Corrupt("a page is not UTF-8".into()),
            }
        }
        Lookup::Hit(CacheEntry {
            pages,
            fetched_at: header.fetched_at,
        })
    }

    /// Stores a single-page response for `url`; see [`Cache::put_pages`].
    ///
    /// # Errors
    /// As [`Cache::put_pages`].
    pub fn put(&self, url: &str, body: &str) -> Result<()> {
        self.put_pages(url, &[body])
    }

    /// Stores every page of the response to `url` as one entry, atomically: a
    /// temporary file in the cache directory, fsync, rename over the entry, fsync of
    /// the directory.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be written or renamed.
    pub fn put_pages(&self, url: &str, pages: &[&str]) -> Result<()> {
        let fetched_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut hasher = Sha256::new();
        for p in pages {
            hasher.update(p.as_bytes());
        }
        let parts: Vec<usize> = pages.iter().map(|p| p.len()).collect();
        let header = Header {
            jamlik_cache: FORMAT_VERSION,
            url: url.to_string(),
            length: parts.iter().sum(),
            parts,
            sha256: hex(&hasher.finalize()),
            fetched_at,
        };
        let header = serde_json::to_string(&header).map_err(|e| Error::Io {
            path: self.dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(&self.dir)
            .map_err(|e| io_err(&self.dir, &e))?;
        let tmp_path = tmp.path().to_path_buf();
        (|| {
            let mut w = std::io::BufWriter::new(tmp.as_file_mut());
            w.write_all(header.as_bytes())?;
            w.write_all(b"\n")?;
            for p in pages {
                w.write_all(p.as_bytes())?;
            }
            w.flush()?;
            drop(w);
            tmp.as_file().sync_all()
        })()
        .map_err(|e| io_err(&tmp_path, &e))?;
        let target = self.path_for(url);
        tmp.persist(&target)
            .map_err(|e| io_err(&target, &e.error))?;
        self.sync_dir();
        Ok(())
    }

    /// Makes the rename durable. Best effort: some file systems cannot fsync a
    /// directory, and the entry is complete either way.
    fn sync_dir(&self) {
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
    }

    /// Removes the entry for `url`, if any.
    ///
    /// # Errors
    /// [`Error::Io`] when it exists and cannot be removed.
    pub fn remove(&self, url: &str) -> Result<()> {
        let path = self.path_for(url);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err(&path, &e)),
        }
    }

    /// Temporary files left behind by interrupted writes.
    ///
    /// # Errors
    /// [`Error::Io`] when the directory cannot be listed.
    pub fn stray_temp_files(&self) -> Result<Vec<PathBuf>> {
        self.files(|name| name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX))
    }

    /// Removes every entry and every stray temporary file; returns how many files
    /// were removed. Other files in the directory are left alone.
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be removed.
    pub fn clear(&self) -> Result<usize> {
        let files = self.files(|name| {
            (name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX))
                || Path::new(name).extension().is_some_and(|e| e == ENTRY_EXT)
        })?;
        for f in &files {
            std::fs::remove_file(f).map_err(|e| io_err(f, &e))?;
        }
        Ok(files.len())
    }

    fn files(&self, keep: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
        let rd = std::fs::read_dir(&self.dir).map_err(|e| io_err(&self.dir, &e))?;
        let mut out = Vec::new();
        for entry in rd {
            let entry = entry.map_err(|e| io_err(&self.dir, &e))?;
            if let Some(name) = entry.file_name().to_str() {
                if keep(name) {
                    out.push(entry.path());
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_truncation_detected() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path()).unwrap();
        let url = "http://127.0.0.1/v3/kpi/N1";
        assert_eq!(cache.get(url).unwrap(), Lookup::Miss);
        cache.put(url, "{\"values\":[]}").unwrap();
        match cache.get(url).unwrap() {
            Lookup::Hit(e) => assert_eq!(e.pages, ["{\"values\":[]}"]),
            other => panic!("{other:?}"),
        }
        let path = cache.path_for(url);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(matches!(cache.get(url).unwrap(), Lookup::Corrupt(r) if r.contains("truncated")));
        std::fs::write(&path, &bytes[..10]).unwrap();
        assert!(matches!(cache.get(url).unwrap(), Lookup::Corrupt(_)));
        // Same length, different content.
        let mut flipped = bytes.clone();
        let last = flipped.len() - 2;
        flipped[last] = b'X';
        std::fs::write(&path, &flipped).unwrap();
        assert!(matches!(cache.get(url).unwrap(), Lookup::Corrupt(r) if r.contains("checksum")));
        assert!(cache.stray_temp_files().unwrap().is_empty());
        assert_eq!(cache.clear().unwrap(), 1);
    }
}
