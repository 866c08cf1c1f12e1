//! A witness shared by concurrent requests (group commit): every request is checked against
//! the state the requests committed before it left, every answer comes after its commit, and
//! what was answered is what a reopened store holds.

use std::sync::Barrier;

use accord_log::witness::{AddCheckpoint, TrustedLogs, WitnessRefusal, add_cosignatures};
use accord_log::{CosignerKey, LogKey, MerkleTree, SharedWitnessStore, WitnessStore};

const NOW: u64 = 1_750_000_000;

struct Setup {
    key: LogKey,
    tree: MerkleTree,
    logs: TrustedLogs,
    witness: CosignerKey,
}

fn setup(origins: &[String]) -> Setup {
    let key = LogKey::generate("test.example/logs").unwrap();
    let mut logs = TrustedLogs::new();
    for o in origins {
        logs.add(o, key.vkey()).unwrap();
    }
    let mut tree = MerkleTree::new();
    tree.extend(&(0..100u8).map(|i| vec![i; 20]).collect::<Vec<_>>());
    Setup {
        key,
        tree,
        logs,
        witness: CosignerKey::generate("witness.example/W").unwrap(),
    }
}

impl Setup {
    fn request(&self, origin: &str, old: u64, size: u64) -> (Vec<u8>, Vec<u8>) {
        let cp = self
            .key
            .sign(origin, size, self.tree.root_at(size).unwrap())
            .unwrap();
        let body = AddCheckpoint {
            old_size: old,
            proof: self.tree.prove_consistency(old, size).unwrap().hashes,
            checkpoint: cp.note().to_vec(),
        }
        .to_bytes();
        (body, cp.note().to_vec())
    }
}

#[test]
fn many_logs_at_once_are_all_cosigned_and_stored() {
    let origins: Vec<String> = (0..12).map(|i| format!("test.example/log{i}")).collect();
    let s = setup(&origins);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("witness.db");
    let store = SharedWitnessStore::open(&path).unwrap();
    let start = Barrier::new(origins.len());
    std::thread::scope(|scope| {
        for origin in &origins {
            let (s, store, start) = (&s, &store, &start);
            scope.spawn(move || {
                start.wait();
                // Growth by irregular steps: 0 -> 3 -> 7 -> ... -> 99.
                let mut old = 0;
                for size in (3..100).step_by(4).chain([99]) {
                    let (body, note) = s.request(origin, old, size);
                    let answer = store
                        .add_checkpoint(&body, &s.logs, &s.witness, NOW)
                        .unwrap();
                    let cosigned = add_cosignatures(&note, &answer, &s.witness.vkey()).unwrap();
                    let (cp, cosigs) =
                        accord_log::verify_cosigned(&cosigned, s.key.vkey(), &[&s.witness.vkey()])
                            .unwrap();
                    assert_eq!((cp.origin(), cp.size()), (origin.as_str(), size));
                    assert_eq!(cosigs[0].timestamp, NOW);
                    old = size;
                }
                // A stale request is refused with the size this thread's log last got.
                let (body, _) = s.request(origin, 3, 50);
                let refusal = store
                    .add_checkpoint(&body, &s.logs, &s.witness, NOW)
                    .unwrap_err();
                assert_eq!(
                    refusal,
                    WitnessRefusal::Conflict {
                        latest_size: 99,
                        same_size_fork: false
                    }
                );
            });
        }
    });
    drop(store);
    let reopened = WitnessStore::open(&path).unwrap();
    for origin in &origins {
        let w = reopened.latest(origin).unwrap().unwrap();
        assert_eq!(
            (w.size, w.root),
            (99, s.tree.root_at(99).unwrap()),
            "{origin}"
        );
    }
}

#[test]
fn of_two_racing_requests_from_one_size_one_is_cosigned_and_the_other_told_its_size() {
    let origin = "test.example/raced".to_owned();
    let s = setup(std::slice::from_ref(&origin));
    let tmp = tempfile::tempdir().unwrap();
    let store = SharedWitnessStore::open(&tmp.path().join("witness.db")).unwrap();
    let (first, _) = s.request(&origin, 0, 10);
    store
        .add_checkpoint(&first, &s.logs, &s.witness, NOW)
        .unwrap();
    for round in 0..20u64 {
        let old = 10 + 2 * round;
        let sizes = [old + 1, old + 2];
        let start = Barrier::new(2);
        let outcomes: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = sizes
                .iter()
                .map(|&size| {
                    let (s, store, start, origin) = (&s, &store, &start, &origin);
                    scope.spawn(move || {
                        let (body, _) = s.request(origin, old, size);
                        start.wait();
                        (size, store.add_checkpoint(&body, &s.logs, &s.witness, NOW))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let won: Vec<u64> = outcomes
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|(size, _)| *size)
            .collect();
        assert_eq!(won.len(), 1, "round {round}: {outcomes:?}");
        for (_, r) in &outcomes {
            if let Err(refusal) = r {
                assert_eq!(refusal.status(), 409);
                assert_eq!(refusal.body().1, format!("{}\n", won[0]).into_bytes());
            }
        }
        assert_eq!(store.latest(&origin).unwrap().unwrap().size, won[0]);
        // The loser's log catches up from the size it was told.
        if won[0] != old + 2 {
            let (body, _) = s.request(&origin, won[0], old + 2);
            store
                .add_checkpoint(&body, &s.logs, &s.witness, NOW)
                .unwrap();
        }
    }
}
