//! Tiles, entry bundles and checkpoint files of a published log: the first byte of the input
//! picks one file of a known good log of 300 entries, the rest replaces its bytes. Whatever the
//! bytes, nothing panics, every entry read back and verified is the entry that was logged, and an
//! audit passes only while the file holds exactly its original bytes. Any bytes that decode as an
//! entry bundle encode back to the same bytes.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use accord_log::tiles::{decode_bundle, encode_entry};
use accord_log::{Log, LogKey, audit, verify_entry_in_dir};
use libfuzzer_sys::fuzz_target;

/// The private key of the log (a test key, `accord log keygen --origin accord.example/fuzz`).
const LOG_SKEY: &str =
    "PRIVATE+KEY+accord.example/fuzz+47a3aa2c+AY2bxk9+e4IVBIPPMqlZ9oSrz5ux3rE4DKsJ7hrgOaZf";
/// The files of the published log that the input may replace.
const FILES: [&str; 6] = [
    "checkpoint",
    "tile/0/000",
    "tile/0/001.p/44",
    "tile/1/000.p/1",
    "tile/entries/000",
    "tile/entries/001.p/44",
];
/// Entries whose verification is tried on every input: both bundles, first, last and edges.
const PROBES: [u64; 5] = [0, 1, 255, 256, 299];

struct Published {
    _tmp: tempfile::TempDir,
    dir: std::path::PathBuf,
    vkey: String,
    entries: Vec<Vec<u8>>,
    originals: Vec<Vec<u8>>,
}

/// The entries of the seed log, as `accord log append --lines` of the seed file wrote them.
fn entry(n: u32) -> Vec<u8> {
    format!("{{\"n\":{n},\"entry\":\"fuzz seed {n}\"}}").into_bytes()
}

fn published() -> &'static Published {
    static LOG: OnceLock<Published> = OnceLock::new();
    LOG.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let dir = tmp.path().join("log");
        let key = LogKey::from_skey(LOG_SKEY).expect("the log key parses");
        let mut log = Log::create(&dir, key.name(), &key).expect("a new log");
        let entries: Vec<Vec<u8>> = (1..=300).map(entry).collect();
        log.append_batch(&entries).expect("append");
        let vkey = log.vkey().to_owned();
        drop(log);
        let originals = FILES
            .iter()
            .map(|f| std::fs::read(dir.join(f)).expect("a published file"))
            .collect();
        let report = audit(&dir, &vkey).expect("audit");
        assert!(report.is_clean(), "the untouched log audits clean");
        Published {
            _tmp: tmp,
            dir,
            vkey,
            entries,
            originals,
        }
    })
}

fn check_bundle_round_trip(data: &[u8]) {
    if let Ok(entries) = decode_bundle("fuzz", data) {
        let mut again = Vec::new();
        for e in &entries {
            encode_entry(&mut again, e).expect("a decoded entry fits its length prefix");
        }
        assert_eq!(
            again, data,
            "an entry bundle does not encode back to its bytes"
        );
    }
}

fn check_log(log: &Published, dir: &Path, changed: bool) {
    for index in PROBES {
        if let Ok(verified) = verify_entry_in_dir(dir, index, &log.vkey) {
            assert_eq!(
                verified.entry, log.entries[index as usize],
                "entry {index} verified with bytes that were never logged"
            );
        }
    }
    if let Ok(report) = audit(dir, &log.vkey) {
        assert!(
            !(changed && report.is_clean()),
            "an altered file audits clean"
        );
        assert!(
            changed || report.is_clean(),
            "the untouched log does not audit clean: {:?}",
            report.problems
        );
    } else {
        assert!(changed, "the untouched log fails to audit");
    }
}

fuzz_target!(|data: &[u8]| {
    check_bundle_round_trip(data);
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let log = published();
    let which = usize::from(pick) % FILES.len();
    let path = log.dir.join(FILES[which]);
    std::fs::write(&path, bytes).expect("write the file under test");
    check_log(log, &log.dir, bytes != log.originals[which].as_slice());
    std::fs::write(&path, &log.originals[which]).expect("restore the file");
});
