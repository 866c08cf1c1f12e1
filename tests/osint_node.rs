//! Open sources in the nodes, as processes on loopback: an open-source party (OSINT) runs its
//! own node and publishes observations with `accord osint observations --data DIR`; the nodes of
//! two State parties (US, RU) that trust it mirror its log and find the same open-source-basis
//! finding with the same digest; what an open-source party may not publish, and what a State
//! party may not, is refused with a clear error and nothing is logged.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use accord_model::{Basis, Evidence};
use accord_node::client::{Client, read_node_file};
use accord_node::keys;
use accord_node::wire::{Findings, StateSummary};
use common::{accord, code, ok, stderr, stdout, wait_until};

const BIN: &str = env!("CARGO_BIN_EXE_accord");
const URL: &str = "https://wire.example/2022/01/20/buildup";

/// A running `accord serve`, stopped when dropped.
struct Served {
    dir: PathBuf,
    url: String,
    child: Child,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn client(&self) -> Client {
        let file = read_node_file(&self.dir).unwrap();
        Client::new(&self.url, file.party, keys::load_key(&self.dir).unwrap())
    }
}

/// Starts `accord serve` for `party` on `dir` on a port it binds, with `args`; waits until it
/// reports its address in DIR/node.json.
fn serve(party: &str, dir: &Path, args: &[String]) -> Served {
    let child = Command::new(BIN)
        .args(["serve", "--party", party, "--data"])
        .arg(dir)
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("accord serve starts");
    let file = wait_until(
        &format!("node {party} reports its address"),
        Duration::from_secs(30),
        || read_node_file(dir).map_err(|e| e.to_string()),
    );
    Served {
        dir: dir.to_owned(),
        url: file.url,
        child,
    }
}

/// Makes a node's key in `dir`; returns its public key as trust files write it.
fn make_key(dir: &Path) -> String {
    let out = ok(
        &["keys", "--data", dir.to_str().unwrap(), "--json"],
        dir.parent().unwrap(),
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["public_key"].as_str().unwrap().to_owned()
}

/// Runs `accord` in `cwd`, expecting exit 2 and `says` on standard error.
fn refused(cwd: &Path, args: &[&str], says: &str) {
    let out = accord(args, cwd);
    assert_eq!(code(&out), 2, "{args:?}: {}", stdout(&out));
    assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
}

const REPORT: &str = "url: https://wire.example/2022/01/20/buildup\n\
    outlet: Wire Service\n\
    published: 2022-01-20\n\
    title: Troops gather at the border\n\n\
    Russia has massed more than 100,000 troops near the border with Ukraine, officials said.\n";

/// The size of `log` at `node` (0 if it holds none).
fn size(rt: &tokio::runtime::Runtime, node: &Served, log: &str) -> u64 {
    let state = rt
        .block_on(node.client().get::<StateSummary>("/v1/state"))
        .unwrap();
    state
        .logs
        .get(&accord_model::PartyId::new(log).unwrap())
        .map_or(0, |l| l.size)
}

#[test]
fn observations_published_by_the_open_source_node_are_judged_alike_on_both_state_nodes() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    let dir = |party: &str| r.join(party);
    let (us, ru, osint) = (
        make_key(&dir("US")),
        make_key(&dir("RU")),
        make_key(&dir("OSINT")),
    );
    // The State parties trust each other and OSINT, which their trust files mark as an
    // open-source party; OSINT's node trusts them and marks itself.
    let marked = format!("[parties.OSINT]\nrole = \"open-sources\"\nkey = \"{osint}\"\n");
    std::fs::write(
        dir("US").join(keys::TRUST_FILE),
        format!("{marked}\n[parties.RU]\nkey = \"{ru}\"\n"),
    )
    .unwrap();
    std::fs::write(
        dir("RU").join(keys::TRUST_FILE),
        format!("{marked}\n[parties.US]\nkey = \"{us}\"\n"),
    )
    .unwrap();
    std::fs::write(
        dir("OSINT").join(keys::TRUST_FILE),
        format!(
            "[parties.OSINT]\nrole = \"open-sources\"\n\n[parties.US]\nkey = \"{us}\"\n\n\
             [parties.RU]\nkey = \"{ru}\"\n"
        ),
    )
    .unwrap();
    let vd = ["--agreement".to_owned(), "vienna-document-2011".to_owned()];
    let us_node = serve("US", &dir("US"), &vd);
    let ru_node = serve("RU", &dir("RU"), &vd);
    let osint_node = serve(
        "OSINT",
        &dir("OSINT"),
        &[
            "--peer".into(),
            format!("US={}", us_node.url),
            "--peer".into(),
            format!("RU={}", ru_node.url),
        ],
    );

    let osint_dir = dir("OSINT");
    let od = osint_dir.to_str().unwrap();
    std::fs::write(r.join("buildup.txt"), REPORT).unwrap();
    ok(&["osint", "ingest", "buildup.txt", "--store", "s"], r);
    let published = ok(
        &[
            "osint",
            "observations",
            "--store",
            "s",
            "--data",
            od,
            "--json",
        ],
        r,
    );
    let v: serde_json::Value = serde_json::from_str(&published).unwrap();
    assert_eq!(v["log"], "OSINT");
    assert_eq!(
        v["logged"],
        serde_json::json!([{"record": "osint:buildup.txt:1", "index": 0}]),
        "{published}"
    );

    // Both State nodes mirror OSINT's log and judge its observation alike.
    let rt = accord_node::http::runtime().unwrap();
    let findings = |node: &Served| -> Result<Findings, String> {
        let f: Findings = rt
            .block_on(node.client().get("/v1/findings"))
            .map_err(|e| e.to_string())?;
        if f.findings.iter().any(|f| f.basis == Basis::OpenSources) {
            Ok(f)
        } else {
            Err(format!("{f:?}"))
        }
    };
    let on_us = wait_until(
        "US judges OSINT's observation",
        Duration::from_secs(60),
        || findings(&us_node),
    );
    let on_ru = wait_until(
        "RU judges OSINT's observation",
        Duration::from_secs(60),
        || findings(&ru_node),
    );
    let unnotified = on_us
        .findings
        .iter()
        .find(|f| f.provision.as_str() == "ch-v-notification" && f.party.as_str() == "RU")
        .unwrap_or_else(|| panic!("no finding on RU's unnotified forces: {on_us:#?}"));
    assert_eq!(unnotified.basis, Basis::OpenSources);
    assert!(
        unnotified
            .evidence
            .iter()
            .any(|e| matches!(e, Evidence::Source { url } if url == URL)),
        "{unnotified:?}"
    );
    assert!(
        unnotified.summary.contains("100,000"),
        "{}",
        unnotified.summary
    );
    assert_eq!(on_us.findings, on_ru.findings);
    assert_eq!(on_us.digest, on_ru.digest);
    for node in [&us_node, &ru_node] {
        assert_eq!(size(&rt, node, "OSINT"), 1);
    }

    // Publishing again logs nothing new.
    let again = ok(&["osint", "observations", "--store", "s", "--data", od], r);
    assert!(
        again.contains("published 0 observation(s) to OSINT's log")
            && again.contains("1 already logged"),
        "{again}"
    );

    // A file with a bad line is named at that line, and nothing of it is published.
    let line = ok(&["osint", "observations", "--store", "s"], r);
    let good = line.replace("osint:buildup.txt:1", "osint:later:1");
    std::fs::write(r.join("bad.jsonl"), format!("{good}{{\"id\": 1}}\n")).unwrap();
    refused(
        r,
        &["osint", "publish", "bad.jsonl", "--data", od],
        "bad.jsonl:2:",
    );
    assert_eq!(size(&rt, &osint_node, "OSINT"), 1);
    // The good file alone is published.
    std::fs::write(r.join("good.jsonl"), &good).unwrap();
    let out = ok(&["osint", "publish", "good.jsonl", "--data", od], r);
    assert!(
        out.contains("published 1 observation(s) to OSINT's log at indices 1..2"),
        "{out}"
    );

    // The open-source party's node takes no other kind of record.
    let notification = serde_json::json!({
        "id": "OSINT-n-1", "party": "OSINT", "issued_at": "2022-01-20T00:00:00Z",
        "body": {"type": "notification", "agreement": "vienna-document-2011", "activity": {
            "name": "Drill", "kind": "exercise", "start": "2022-02-10", "end": "2022-02-20",
            "area": {"description": "training area"}, "forces": [], "participants": []}}
    });
    std::fs::write(r.join("n.jsonl"), format!("{notification}\n")).unwrap();
    refused(
        r,
        &["submit", "n.jsonl", "--data", od],
        "OSINT is an open-source party (role \"open-sources\" in the trust file): it publishes \
         observations only, not a record of kind notification",
    );
    assert_eq!(size(&rt, &osint_node, "OSINT"), 2);
    // A State party's node publishes no observation.
    let ru_dir = dir("RU");
    refused(
        r,
        &[
            "osint",
            "observations",
            "--store",
            "s",
            "--data",
            ru_dir.to_str().unwrap(),
        ],
        "RU is a State party, and only open-source parties (role \"open-sources\" in the trust \
         file) publish observations",
    );
    assert_eq!(size(&rt, &ru_node, "RU"), 0);
}
