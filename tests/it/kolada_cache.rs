//! The Kolada cache against crashes, races, damage and hostile keys.
//!
//! Writers run in child processes: this test binary re-runs itself with
//! `JAMLIK_CACHE_CHILD` set, and the `child_writer` test then writes entries in a
//! bounded loop instead of returning at once. The parent SIGKILLs writers mid-write
//! or runs two at once, and checks that every read sees a complete entry (old or
//! new) or none, never a corrupt one.

use jamlik::data::kolada::{Cache, Lookup};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const URL: &str = "https://api.kolada.se/v3/data/kpi/N1/municipality/0180";
const CHILD_ENV: &str = "JAMLIK_CACHE_CHILD";

/// A body of about `mb` MB that says who wrote it, so a read can be matched to a
/// writer exactly.
fn body(tag: &str, mb: usize) -> String {
    let unit = format!("{tag}-0123456789abcdef");
    let pad = unit.repeat(mb * 1_000_000 / unit.len() + 1);
    format!("{{\"writer\":\"{tag}\",\"pad\":\"{pad}\"}}")
}

/// The child side: writes `JAMLIK_CACHE_ITER` entries tagged `JAMLIK_CACHE_TAG`
/// into `JAMLIK_CACHE_CHILD`. Returns at once in a normal test run.
#[test]
fn child_writer() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let tag = std::env::var("JAMLIK_CACHE_TAG").unwrap();
    let iterations: usize = std::env::var("JAMLIK_CACHE_ITER").unwrap().parse().unwrap();
    let mb: usize = std::env::var("JAMLIK_CACHE_MB").unwrap().parse().unwrap();
    let cache = Cache::open(dir).unwrap();
    let page = body(&tag, mb);
    // Two pages, so an entry is also a multi-page entry.
    let (a, b) = page.split_at(page.len() / 2);
    for _ in 0..iterations {
        cache.put_pages(URL, &[a, b]).unwrap();
    }
}

fn spawn_writer(dir: &Path, tag: &str, iterations: usize, mb: usize) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "kolada_cache::child_writer",
            "--exact",
            "--test-threads=1",
            "--quiet",
        ])
        .env(CHILD_ENV, dir)
        .env("JAMLIK_CACHE_TAG", tag)
        .env("JAMLIK_CACHE_ITER", iterations.to_string())
        .env("JAMLIK_CACHE_MB", mb.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits at most `limit` for a child, then kills it: a bug cannot hang the suite.
fn wait_bounded(child: &mut Child, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

/// The writer tag of a complete entry; panics on a corrupt one.
fn read_tag(cache: &Cache) -> Option<String> {
    match cache.get(URL).unwrap() {
        Lookup::Hit(e) => {
            let whole = e.pages.concat();
            let start = "{\"writer\":\"".len();
            let tag = &whole[start..whole[start..].find('"').unwrap() + start];
            assert!(whole.ends_with("\"}"), "an entry is complete");
            Some(tag.to_string())
        }
        Lookup::Miss => None,
        Lookup::Corrupt(r) => panic!("a corrupt entry was visible: {r}"),
    }
}

#[test]
fn a_writer_killed_mid_write_leaves_the_old_entry_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path()).unwrap();
    let old = body("old", 1);
    cache.put(URL, &old).unwrap();
    let mut strays = 0;
    for round in 0..6u64 {
        let mut child = spawn_writer(dir.path(), "new", 50, 8);
        // Wait (bounded) until the child is writing its temporary file, then kill
        // it a varied moment later: mostly mid-write, sometimes between writes.
        let start = Instant::now();
        while cache.stray_temp_files().unwrap().is_empty()
            && start.elapsed() < Duration::from_secs(20)
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        std::thread::sleep(Duration::from_millis(round % 4));
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no cleanup.
        let _ = child.wait();
        let tag = read_tag(&cache);
        assert!(
            matches!(tag.as_deref(), Some("old" | "new")),
            "round {round}: {tag:?}"
        );
        let left = cache.stray_temp_files().unwrap();
        strays += left.len();
        for f in left {
            std::fs::remove_file(f).unwrap();
        }
        // Restore the old entry so every round starts from the same state.
        cache.put(URL, &old).unwrap();
    }
    // Every entry file that is not a temporary file is one complete entry.
    let entries = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".kolada")
        })
        .count();
    assert_eq!(entries, 1);
    // The kills did land mid-write: half-written temporary files were left behind
    // (and never read as entries).
    assert!(strays > 0, "no kill interrupted a write");
    eprintln!("writes interrupted by SIGKILL: {strays} of 6");
    assert_eq!(cache.clear().unwrap(), 1);
}

#[test]
fn two_writers_at_once_leave_one_complete_entry() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path()).unwrap();
    let mut a = spawn_writer(dir.path(), "A", 15, 1);
    let mut b = spawn_writer(dir.path(), "B", 15, 1);
    // Read all the while: never a corrupt or mixed entry.
    let start = Instant::now();
    let mut reads = 0;
    while start.elapsed() < Duration::from_secs(60) {
        let tag = read_tag(&cache);
        assert!(matches!(tag.as_deref(), None | Some("A" | "B")), "{tag:?}");
        reads += 1;
        if a.try_wait().unwrap().is_some() && b.try_wait().unwrap().is_some() {
            break;
        }
    }
    assert!(
        wait_bounded(&mut a, Duration::from_secs(60)),
        "writer A failed"
    );
    assert!(
        wait_bounded(&mut b, Duration::from_secs(60)),
        "writer B failed"
    );
    assert!(reads > 0);
    assert!(matches!(read_tag(&cache).as_deref(), Some("A" | "B")));
    assert!(
        cache.stray_temp_files().unwrap().is_empty(),
        "writers that finish leave no temporary files"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn every_flipped_byte_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path()).unwrap();
    cache
        .put_pages(URL, &["{\"values\":[1,2,3],", "\"next_url\":null}"])
        .unwrap();
    let path = cache.path_for(URL);
    let good = std::fs::read(&path).unwrap();
    let header_end = good.iter().position(|&b| b == b'\n').unwrap();
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x20;
        std::fs::write(&path, &bad).unwrap();
        match cache.get(URL).unwrap() {
            Lookup::Corrupt(_) => {}
            // A flip inside the header's URL makes it another URL's entry: a miss.
            Lookup::Miss => assert!(i < header_end, "byte {i}"),
            Lookup::Hit(_) => panic!("flipped byte {i} was served"),
        }
    }
    std::fs::write(&path, &good).unwrap();
    assert!(matches!(cache.get(URL).unwrap(), Lookup::Hit(_)));
}

#[test]
fn keys_cannot_escape_the_cache_directory() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("cache");
    let cache = Cache::open(&dir).unwrap();
    let long = "x".repeat(100_000);
    let keys = [
        "../escape",
        "../../../../../../tmp/escape",
        "/etc/passwd",
        "/absolute/path.kolada",
        "a\0b",
        "\0",
        "",
        "..",
        ".",
        "C:\\windows\\system32",
        "dir/with/slashes/",
        "https://api.kolada.se/v3/kpi?title=%2e%2e%2f",
        long.as_str(),
        "ünïcödé/../..",
    ];
    for (i, key) in keys.iter().enumerate() {
        let path = cache.path_for(key);
        assert_eq!(path.parent().unwrap(), dir, "{key:?}");
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(name.len(), 64 + ".kolada".len(), "{key:?}");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b'.' || b.is_ascii_alphabetic())
        );
        cache.put(key, &format!("body {i}")).unwrap();
    }
    for (i, key) in keys.iter().enumerate() {
        match cache.get(key).unwrap() {
            Lookup::Hit(e) => assert_eq!(e.pages, [format!("body {i}")], "{key:?}"),
            other => panic!("{key:?}: {other:?}"),
        }
    }
    // Nothing outside the cache directory.
    let outside: Vec<_> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, ["cache"]);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), keys.len());
}

#[test]
fn an_entry_of_another_format_version_is_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path()).unwrap();
    cache.put(URL, "{\"values\":[]}").unwrap();
    let path = cache.path_for(URL);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("\"jamlik_cache\":2", "\"jamlik_cache\":1"),
    )
    .unwrap();
    assert!(matches!(cache.get(URL).unwrap(), Lookup::Corrupt(r) if r.contains("format")));
}
