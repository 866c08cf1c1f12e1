//! Crash safety: an appender process is killed with SIGKILL at random points, over and over;
//! after each kill the log is reopened (recovering its tiles), every acknowledged append must be
//! present with its exact bytes, and the log must verify from its files.
//!
//! This is a `harness = false` test: the same binary is the appender when
//! `ACCORD_LOG_CRASH_CHILD` names a log directory.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use accord_log::{Log, LogKey, audit, verify_entry_in_dir};

const ORIGIN: &str = "accord.example/crash";
const KILLS: u32 = 110;

/// The entry at `index`: deterministic, so the checker knows what must be there.
fn entry(index: u64) -> Vec<u8> {
    let mut e = format!("entry {index} ").into_bytes();
    e.resize(e.len() + (index * 37 % 300) as usize, b'x');
    e
}

struct Rng(u64);
impl Rng {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

fn child(dir: &Path) {
    let key = LogKey::load(&dir.with_extension("key")).unwrap();
    let mut log = Log::open_or_create(dir, ORIGIN, &key).unwrap();
    let mut rng = Rng(std::process::id() as u64 | 1);
    let mut out = std::io::stdout().lock();
    loop {
        let start = log.size();
        let batch: Vec<Vec<u8>> = (start..start + 1 + rng.next(12)).map(entry).collect();
        let r = log.append_batch(&batch).unwrap();
        // Acknowledge only after append_batch returned: the entries are durable.
        writeln!(out, "ack {}", r.end).unwrap();
        out.flush().unwrap();
    }
}

fn main() {
    if let Some(dir) = std::env::var_os("ACCORD_LOG_CRASH_CHILD") {
        child(Path::new(&dir));
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let key = LogKey::generate(ORIGIN).unwrap();
    key.save(&dir.with_extension("key")).unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut acked = 0u64;
    let mut kills_after_acks = 0;
    for round in 0..KILLS {
        let mut proc = Command::new(&exe)
            .env("ACCORD_LOG_CRASH_CHILD", &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(proc.stdout.take().unwrap()).lines();
        let mut last = None;
        if round % 2 == 0 {
            // Kill at a random instant after spawning: during start-up, recovery or appends.
            std::thread::sleep(Duration::from_micros(rng.next(30_000)));
        } else {
            // Wait for the first acknowledgement, then kill mid-stream.
            if let Some(Ok(line)) = lines.next() {
                last = line.strip_prefix("ack ").map(|n| n.parse::<u64>().unwrap());
            }
            std::thread::sleep(Duration::from_micros(rng.next(15_000)));
        }
        proc.kill().unwrap(); // SIGKILL on Unix
        proc.wait().unwrap();
        for line in lines {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("ack ") {
                last = Some(n.parse::<u64>().unwrap());
            }
        }
        if let Some(n) = last {
            assert!(n >= acked, "round {round}: acknowledgements went backwards");
            acked = n;
            kills_after_acks += 1;
        }
        if !Log::exists(&dir) {
            continue; // killed before the log was created
        }
        // Reopen (recovering tiles) and check every acknowledged append.
        let log = Log::open(&dir, &key).unwrap();
        assert!(
            log.size() >= acked,
            "round {round}: {acked} appends acknowledged, {} present",
            log.size()
        );
        let all = log.entries(0..log.size()).unwrap();
        for (i, e) in all.iter().enumerate() {
            assert_eq!(*e, entry(i as u64), "round {round}: entry {i} differs");
        }
        assert_eq!(log.checkpoint().size(), log.size());
        if log.size() > 0 {
            let v = verify_entry_in_dir(&dir, log.size() - 1, key.vkey()).unwrap();
            assert_eq!(v.entry, entry(log.size() - 1));
        }
        drop(log);
        if round % 20 == 19 {
            let r = audit(&dir, key.vkey()).unwrap();
            assert!(r.is_clean(), "round {round}: {:?}", r.problems);
        }
    }
    let r = audit(&dir, key.vkey()).unwrap();
    assert!(r.is_clean(), "final audit: {:?}", r.problems);
    assert!(
        kills_after_acks >= KILLS / 2,
        "only {kills_after_acks} of {KILLS} kills came after an acknowledged append"
    );
    println!(
        "crash test: {KILLS} SIGKILLs, {acked} appends acknowledged, {} entries, log verifies ({:.1} s)",
        r.size,
        started.elapsed().as_secs_f64()
    );
}
