//! Following a log from its published files: growth, forks, rewrites, rollbacks and altered
//! files, with the monitor's state changing only when everything verified.

use std::path::Path;

use accord_log::monitor::{MonitorState, monitor_step};
use accord_log::tiles::DirTileReader;
use accord_log::{Log, LogError, LogKey};

const ORIGIN: &str = "accord.example/US";

fn entry(i: u64) -> Vec<u8> {
    format!(
        "{{\"record\":{i},\"pad\":\"{}\"}}",
        "y".repeat((i % 50) as usize)
    )
    .into_bytes()
}

fn append(log: &mut Log, from: u64, to: u64) {
    let batch: Vec<Vec<u8>> = (from..to).map(entry).collect();
    log.append_batch(&batch).unwrap();
}

fn step(dir: &Path, key: &LogKey, state: &mut Option<MonitorState>) -> accord_log::Result<u64> {
    let mut seen = 0;
    let s = monitor_step(
        &DirTileReader::new(dir),
        key.vkey(),
        state,
        &mut |done, _| seen = done,
    )?;
    Ok(s.checkpoint.size() - s.from - seen)
}

/// Grows the log from `from` to `to` entries and has the monitor follow it: every new entry
/// counted, the checkpoint of size `to` kept with its tree edge.
fn grow_and_follow(
    log: &mut Log,
    dir: &Path,
    key: &LogKey,
    state: &mut Option<MonitorState>,
    from: u64,
    to: u64,
) {
    append(log, from, to);
    assert_eq!(step(dir, key, state).unwrap(), 0, "every entry counted");
    let s = state.as_ref().unwrap();
    assert!(s.checkpoint.contains(&format!("\n{to}\n")));
    assert_eq!(s.frontier.len(), to.count_ones() as usize);
}

#[test]
fn follows_a_growing_log_checking_every_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let key = LogKey::generate(ORIGIN).unwrap();
    let mut log = Log::create(&dir, ORIGIN, &key).unwrap();
    let mut state = None;
    // Empty, then sizes that start and end inside bundles and cross several.
    for (from, to) in [
        (0, 0),
        (0, 3),
        (3, 300),
        (300, 512),
        (512, 1300),
        (1300, 1301),
    ] {
        grow_and_follow(&mut log, &dir, &key, &mut state, from, to);
    }
    // Nothing new: the same state.
    let before = state.clone();
    step(&dir, &key, &mut state).unwrap();
    assert_eq!(state, before);
}

#[test]
fn a_fork_or_a_rewrite_is_equivocation_with_both_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let key = LogKey::generate(ORIGIN).unwrap();
    let real = tmp.path().join("real");
    let mut log = Log::create(&real, ORIGIN, &key).unwrap();
    append(&mut log, 0, 400);
    let mut state = None;
    step(&real, &key, &mut state).unwrap();
    let seen = state.clone().unwrap();

    // The same key signs another history: entry 100 differs.
    let fork = tmp.path().join("fork");
    let mut other = Log::create(&fork, ORIGIN, &key).unwrap();
    let mut entries: Vec<Vec<u8>> = (0..400).map(entry).collect();
    entries[100] = b"rewritten".to_vec();
    other.append_batch(&entries).unwrap();
    let Err(LogError::Equivocation(e)) = step(&fork, &key, &mut state) else {
        panic!("a fork at the same size must be equivocation")
    };
    assert_eq!((e.a.size(), e.b.size()), (400, 400));
    assert_eq!(e.a.as_str(), seen.checkpoint);
    assert_eq!(state.as_ref(), Some(&seen), "the state is kept");

    // The forked log grows: a larger tree that does not extend the one seen.
    append(&mut other, 400, 700);
    let Err(LogError::Equivocation(e)) = step(&fork, &key, &mut state) else {
        panic!("a rewrite must be equivocation")
    };
    assert_eq!((e.a.size(), e.b.size()), (400, 700));
    assert!(e.summary.contains("not on one history"), "{}", e.summary);
    assert_eq!(state.as_ref(), Some(&seen));

    // The real log grows: followed as before.
    append(&mut log, 400, 700);
    step(&real, &key, &mut state).unwrap();
}

#[test]
fn rollbacks_altered_files_and_other_keys_are_refused_without_changing_the_state() {
    let tmp = tempfile::tempdir().unwrap();
    let key = LogKey::generate(ORIGIN).unwrap();
    let dir = tmp.path().join("log");
    let mut log = Log::create(&dir, ORIGIN, &key).unwrap();
    append(&mut log, 0, 300);
    let old_note = log.checkpoint().note().to_vec();
    let mut state = None;
    step(&dir, &key, &mut state).unwrap();
    append(&mut log, 300, 600);
    let seen = state.clone();

    // An altered new entry (the last of bundle 1; its first 44 were seen before).
    let bundle = dir.join("tile/entries/001");
    let good = std::fs::read(&bundle).unwrap();
    let mut bad = good.clone();
    let last = bad.len() - 3;
    bad[last] ^= 1;
    std::fs::write(&bundle, &bad).unwrap();
    let e = step(&dir, &key, &mut state).unwrap_err();
    assert!(e.to_string().contains("do not hash to the root"), "{e}");
    assert_eq!(state, seen);
    // A forged extra entry appended to it.
    let mut longer = good.clone();
    accord_log::tiles::encode_entry(&mut longer, b"forged").unwrap();
    std::fs::write(&bundle, &longer).unwrap();
    let e = step(&dir, &key, &mut state).unwrap_err();
    assert!(e.to_string().contains("257 entries"), "{e}");
    std::fs::write(&bundle, &good).unwrap();

    // An older checkpoint served again.
    let newest = std::fs::read(dir.join("checkpoint")).unwrap();
    std::fs::write(dir.join("checkpoint"), &old_note).unwrap();
    step(&dir, &key, &mut state).unwrap();
    std::fs::write(dir.join("checkpoint"), &newest).unwrap();
    step(&dir, &key, &mut state).unwrap();
    std::fs::write(dir.join("checkpoint"), &old_note).unwrap();
    let e = step(&dir, &key, &mut state).unwrap_err();
    assert!(e.to_string().contains("older than the one seen"), "{e}");
    std::fs::write(dir.join("checkpoint"), &newest).unwrap();

    // Another key.
    let other = LogKey::generate(ORIGIN).unwrap();
    let mut fresh = None;
    assert!(step(&dir, &other, &mut fresh).is_err());
    assert!(fresh.is_none());
}

#[test]
fn a_log_of_many_bundle_groups_is_verified_whole_and_then_from_inside_a_bundle() {
    // More than one group of bundles fetched together (64 bundles of 256 entries), ending and
    // then resuming inside a bundle, so that groups are hashed while the next is fetched.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let key = LogKey::generate(ORIGIN).unwrap();
    let mut log = Log::create(&dir, ORIGIN, &key).unwrap();
    let mut state = None;
    for to in [2 * 64 * 256 + 77, 3 * 64 * 256 + 300] {
        let from = log.size();
        grow_and_follow(&mut log, &dir, &key, &mut state, from, to);
    }

    // A bundle of the second group altered: a first look is refused and keeps no state.
    let mut fresh = None;
    let bundle = dir.join(accord_log::tiles::entries_path(70, 256));
    let mut data = std::fs::read(&bundle).unwrap();
    data[10] ^= 1;
    std::fs::write(&bundle, data).unwrap();
    let err = step(&dir, &key, &mut fresh).unwrap_err();
    assert!(matches!(err, LogError::Tile { .. }), "{err}");
    assert_eq!(fresh, None);
}
