//! The dashboard driven in headless Chromium through WebDriver: two nodes (US and RU) of the 2022
//! scenario on loopback; every page loads without a console error and without a serious or
//! critical axe-core violation, a finding leads to its record whose proof checks in the browser,
//! a hotline message goes from one node's page to the other's, and the Russian pages take their
//! interface words from the Russian message file. Screenshots go to `target/screenshots/`.

mod common;

use common::relay::Relay;
use common::wait_until;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_accord");
const TEST: &str = "dashboard_browser";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";
/// The agreements of the 2022 scenario the nodes judge their logs against.
const AGREEMENTS: [&str; 2] = ["vienna-document-2011", "new-start"];
/// How long a page or a message between nodes may take.
const LIMIT: Duration = Duration::from_secs(30);

/// The build's target directory (the parent of the test's scratch directory).
fn target() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .to_path_buf()
}

/// Where `.ci/run` installs axe-core (`npm install axe-core@4` in `target/axe`).
fn axe_path() -> PathBuf {
    target().join("axe/node_modules/axe-core/axe.min.js")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn accord(args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("ACCORD_LANG", "en")
        .output()
        .expect("accord runs");
    assert!(
        out.status.success(),
        "accord {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A child process killed when the test ends, pass or fail.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A child process leading its own process group, the whole group killed when the test
/// ends, pass or fail.
struct KilledGroup(Child);

impl Drop for KilledGroup {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// A running node: its directory and the address its relay gives it.
struct Node {
    party: String,
    relay: Relay,
    _child: Killed,
}

impl Node {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.relay.port())
    }
}

/// Starts a node for each of `parties` under `root`, each trusting the others and knowing their
/// addresses, and submits to each the scenario's records of its own party.
fn start_nodes(root: &Path, parties: &[&str]) -> Vec<Node> {
    let relays: Vec<Relay> = parties.iter().map(|_| Relay::bind()).collect();
    let mut keys = Vec::new();
    for party in parties {
        let dir = root.join(party);
        let out = accord(&["keys", "--data", dir.to_str().unwrap(), "--json"]);
        let v: Value = serde_json::from_str(&out).unwrap();
        keys.push(v["public_key"].as_str().unwrap().to_owned());
    }
    let records = std::fs::read_to_string(repo().join("examples/2022-crisis/records.jsonl"))
        .expect("the 2022 scenario's records");
    let mut nodes = Vec::new();
    for (i, (party, relay)) in parties.iter().zip(relays.iter()).enumerate() {
        let dir = root.join(party);
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--party", party, "--data"])
            .arg(&dir)
            .args(["--listen", "127.0.0.1:0"]);
        for a in AGREEMENTS {
            cmd.args(["--agreement", a]);
        }
        for (j, other) in parties.iter().enumerate() {
            if j != i {
                accord(&[
                    "keys",
                    "--data",
                    dir.to_str().unwrap(),
                    "--trust",
                    &format!("{other}={}", keys[j]),
                ]);
                cmd.args([
                    "--peer",
                    &format!("{other}=http://127.0.0.1:{}", relays[j].port()),
                ]);
            }
        }
        let node_file = dir.join(accord_node::client::NODE_FILE);
        let _ = std::fs::remove_file(&node_file);
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        let child = Killed(cmd.spawn().expect("accord serve starts"));
        let file = wait_until(&format!("node {party} reports its address"), LIMIT, || {
            accord_node::client::read_node_file(&dir).map_err(|e| e.to_string())
        });
        relay.point_at(file.url.rsplit(':').next().unwrap().parse().unwrap());
        // The node logs the records its party issued.
        let own: String = records
            .lines()
            .filter(|l| serde_json::from_str::<Value>(l).is_ok_and(|v| v["party"] == json!(party)))
            .map(|l| format!("{l}\n"))
            .collect();
        let file = root.join(format!("{party}.jsonl"));
        std::fs::write(&file, own).unwrap();
        accord(&[
            "submit",
            file.to_str().unwrap(),
            "--data",
            dir.to_str().unwrap(),
        ]);
        nodes.push((party.to_string(), child));
    }
    nodes
        .into_iter()
        .zip(relays)
        .map(|((party, child), relay)| Node {
            party,
            relay,
            _child: child,
        })
        .collect()
}

/// A port the OS says is free (chromedriver takes no port 0).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Starts chromedriver on a free port and waits until it answers.
fn start_chromedriver(rt: &tokio::runtime::Runtime) -> (KilledGroup, u16) {
    let port = free_port();
    // A process group of its own, so that the Chromium it starts goes with it when the test
    // ends, failed or not (killing chromedriver alone leaves the browser running).
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("chromedriver starts");
    let child = KilledGroup(child);
    wait_until("chromedriver answers", LIMIT, || {
        rt.block_on(http(&format!("http://127.0.0.1:{port}/status"), None))
            .and_then(|v| {
                if v["value"]["ready"] == json!(true) {
                    Ok(())
                } else {
                    Err(v.to_string())
                }
            })
    });
    (child, port)
}

/// How long one HTTP request to chromedriver or a node may take before the test says so.
const REQUEST_LIMIT: Duration = Duration::from_secs(20);

/// One HTTP request (to chromedriver or a node), its JSON answer; bounded in time.
async fn http(url: &str, body: Option<&str>) -> Result<Value, String> {
    let client = accord_node::tls::plain_client().map_err(|e| e.to_string())?;
    let request = match body {
        Some(b) => client
            .post(url)
            .header("content-type", "application/json")
            .body(b.to_owned()),
        None => client.get(url),
    }
    .timeout(REQUEST_LIMIT);
    let answer = request.send().await.map_err(|e| format!("{url}: {e}"))?;
    let status = answer.status();
    let text = answer.text().await.map_err(|e| format!("{url}: {e}"))?;
    if !status.is_success() {
        return Err(format!("{url}: {status}: {text}"));
    }
    serde_json::from_str(&text).map_err(|e| format!("{url}: {e}: {text}"))
}

/// The browser's console entries since the last call, through chromedriver's log endpoint
/// (WebDriver has no standard command for it and the client wraps none).
async fn console(port: u16, session: &str) -> Vec<Value> {
    let v = http(
        &format!("http://127.0.0.1:{port}/session/{session}/se/log"),
        Some(r#"{"type":"browser"}"#),
    )
    .await
    .expect("the browser log");
    v["value"].as_array().cloned().unwrap_or_default()
}

async fn browser(port: u16, profile: &Path) -> Client {
    let caps = json!({
        "browserName": "chrome",
        "goog:loggingPrefs": {"browser": "ALL"},
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        },
    });
    let caps = match caps {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    ClientBuilder::rustls()
        .expect("a WebDriver client")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session")
}

/// Everything a page is checked for on load: no console error, no serious or critical axe-core
/// violation; and its screenshot.
struct Checks {
    driver_port: u16,
    session: String,
    axe: String,
    shots: PathBuf,
}

impl Checks {
    async fn page(&self, c: &Client, url: &str, shot: &str) {
        c.goto(url).await.unwrap();
        let state = c
            .execute("return document.readyState", vec![])
            .await
            .unwrap();
        assert_eq!(state, json!("complete"), "{url}");
        let errors: Vec<Value> = console(self.driver_port, &self.session)
            .await
            .into_iter()
            .filter(|e| e["level"] == json!("SEVERE"))
            .collect();
        assert!(errors.is_empty(), "{url}: console errors {errors:?}");
        let title = c.execute("return document.title", vec![]).await.unwrap();
        assert!(
            title.as_str().is_some_and(|t| !t.is_empty()),
            "{url}: no title"
        );
        c.execute(&self.axe, vec![]).await.unwrap();
        let violations = c
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations\
                   .filter(v => v.impact === 'serious' || v.impact === 'critical')\
                   .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))),\
                   e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(violations, json!([]), "{url}: axe-core violations");
        let png = c.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{shot}.png")), png).unwrap();
    }
}

/// The page's text outside record contents, ids and sources (preformatted and monospace text,
/// links to records and sources, the select options naming parties and agreements).
async fn interface_text(c: &Client) -> String {
    let v = c
        .execute(
            "const b = document.body.cloneNode(true);\
             b.querySelectorAll('pre, code, .mono, script, style, option, a[href^=\"/records/\"], a[href^=\"http\"], [lang]:not([lang=\"ru\"])')\
               .forEach(e => e.remove());\
             return b.textContent;",
            vec![],
        )
        .await
        .unwrap();
    v.as_str().unwrap_or_default().to_owned()
}

/// The English words of the dashboard's interface (`dash-*` messages), placeables left out.
fn english_words() -> BTreeSet<String> {
    let ftl =
        std::fs::read_to_string(repo().join("crates/messages/locales/en/interface.ftl")).unwrap();
    let mut words = BTreeSet::new();
    for line in ftl.lines() {
        let Some((id, value)) = line.split_once('=') else {
            continue;
        };
        if !id.trim().starts_with("dash-") {
            continue;
        }
        let mut depth = 0;
        let mut text = String::new();
        for ch in value.chars() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ if depth == 0 => text.push(ch),
                _ => {}
            }
        }
        for w in text.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 4 {
                words.insert(w.to_lowercase());
            }
        }
    }
    words
}

fn english_in(text: &str, words: &BTreeSet<String>) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .map(str::to_lowercase)
        .filter(|w| words.contains(w))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

async fn text_of(c: &Client) -> String {
    c.execute("return document.body.innerText", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits, reloading `url`, until the page's text satisfies `ok`.
async fn wait_page(c: &Client, url: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + LIMIT;
    loop {
        c.goto(url).await.unwrap();
        let text = text_of(c).await;
        if ok(&text) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not within {LIMIT:?}; page: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[test]
fn the_dashboard_works_in_a_real_browser() {
    let how = "apt-get install chromium chromium-driver; npm install axe-core@4 in target/axe";
    if !accord_testkit::require(TEST, "chromium", Path::new(CHROMIUM).exists(), how)
        || !accord_testkit::require(TEST, "chromedriver", runs(CHROMEDRIVER, "--version"), how)
        || !accord_testkit::require(TEST, "axe-core", axe_path().exists(), how)
    {
        return;
    }
    let axe = std::fs::read_to_string(axe_path()).unwrap();
    let shots = target().join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let root = tempfile::tempdir().unwrap();
    let nodes = start_nodes(root.path(), &["US", "RU"]);
    let (us, ru) = (&nodes[0], &nodes[1]);
    let rt = accord_node::http::runtime().unwrap();
    let (_driver, port) = start_chromedriver(&rt);
    rt.block_on(async {
        let c = browser(port, &root.path().join("profile")).await;
        let session = c.session_id().await.unwrap().expect("a session id");
        let checks = Checks {
            driver_port: port,
            session,
            axe,
            shots,
        };
        let english = english_words();
        let pages = ["/", "/findings", "/timeline", "/hotline", "/escrow"];
        for node in &nodes {
            for page in pages {
                let name = match page {
                    "/" => "overview",
                    p => &p[1..],
                };
                let party = node.party.to_lowercase();
                checks
                    .page(&c, &node.url(page), &format!("{party}-{name}"))
                    .await;
                checks
                    .page(
                        &c,
                        &node.url(&format!("{page}?lang=ru")),
                        &format!("{party}-{name}-ru"),
                    )
                    .await;
                let found = english_in(&interface_text(&c).await, &english);
                assert!(
                    found.is_empty(),
                    "{page}?lang=ru on {}: English interface words {found:?}",
                    node.party
                );
            }
        }

        // The picture of the dashboard for people (README): US's overview during the crisis.
        checks
            .page(
                &c,
                &us.url("/?as_of=2022-02-20T12:00:00Z"),
                "dashboard",
            )
            .await;

        // A finding leads to its record; the proof checks against the pinned log keys.
        c.goto(&us.url("/findings?as_of=2022-02-20T12:00:00Z"))
            .await
            .unwrap();
        let link = match c
            .find(Locator::Css("main > table a[href^=\"/records/\"]"))
            .await
        {
            Ok(link) => link,
            Err(e) => panic!(
                "no finding links to its record ({e}); page: {}",
                c.source().await.unwrap_or_default()
            ),
        };
        link.click().await.unwrap();
        let url = c.current_url().await.unwrap();
        assert!(url.path().starts_with("/records/"), "{url}");
        checks.page(&c, url.as_str(), "record").await;
        let mut vkeys = Vec::new();
        for node in &nodes {
            let info = reqwest_node(node).await;
            vkeys.push(info["verifier_key"].as_str().unwrap().to_owned());
        }
        c.find(Locator::Id("pin"))
            .await
            .unwrap()
            .send_keys(&vkeys.join("\n"))
            .await
            .unwrap();
        c.find(Locator::Id("pin-add"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let result = check_result(&c).await;
        let shown = c
            .execute(
                "return [document.getElementById('checkpoint').textContent,\
                   document.querySelectorAll('#proof li').length,\
                   document.getElementById('pinned').textContent, localStorage.getItem('accord-pinned-keys')]",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            result.0, "valid",
            "{}; checkpoint, proof length, pinned: {shown}; keys given: {vkeys:?}",
            result.1
        );
        // Altered proof: the first proof hash, or the entry when the proof is empty.
        c.execute(
            "const li = document.querySelector('#proof li');\
             const el = li || document.getElementById('entry');\
             const t = el.textContent.trim();\
             el.textContent = (t[0] === 'A' ? 'B' : 'A') + t.slice(1);",
            vec![],
        )
        .await
        .unwrap();
        let result = check_result(&c).await;
        assert_eq!(result.0, "invalid", "{}", result.1);

        // A hotline message from US's page reaches RU's page; US's page shows its delivery.
        let text = format!("browser test message {}", std::process::id());
        c.goto(&us.url("/hotline")).await.unwrap();
        c.find(Locator::Css("#to option[value=\"RU\"]"))
            .await
            .expect("RU among the recipients")
            .click()
            .await
            .unwrap();
        c.find(Locator::Id("text"))
            .await
            .unwrap()
            .send_keys(&text)
            .await
            .unwrap();
        c.find(Locator::Css(
            "form[method=\"post\"] button, form[method=\"post\"] [type=\"submit\"]",
        ))
        .await
        .expect("the send button")
        .click()
        .await
        .unwrap();
        wait_page(&c, &ru.url("/hotline"), "the message on RU's page", |t| {
            t.contains(&text)
        })
        .await;
        checks
            .page(&c, &ru.url("/hotline"), "ru-hotline-received")
            .await;
        // The sent message's row on US's page: its "delivered" cell holds the receipt's time.
        let deadline = Instant::now() + LIMIT;
        loop {
            c.goto(&us.url("/hotline")).await.unwrap();
            let delivered = c
                .execute(
                    "for (const tr of document.querySelectorAll('tr')) {\
                       const cells = Array.from(tr.cells);\
                       if (!cells.some(td => td.textContent === arguments[0])) continue;\
                       const col = Array.from(tr.closest('table').rows[0].cells)\
                         .findIndex(h => h.textContent === 'delivered');\
                       return cells[col].textContent;\
                     }\
                     return '';",
                    vec![json!(text)],
                )
                .await
                .unwrap();
            let delivered = delivered.as_str().unwrap_or_default().to_owned();
            if delivered.parse::<jiff::Timestamp>().is_ok() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "no delivery receipt on US's page within {LIMIT:?}: {:?}",
                text_of(&c).await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        checks
            .page(&c, &us.url("/hotline"), "us-hotline-delivered")
            .await;
        c.close().await.unwrap();
    });
}

/// The node's `/v1/node` answer.
async fn reqwest_node(node: &Node) -> Value {
    http(&node.url("/v1/node"), None)
        .await
        .expect("the node's description")
}

/// Clicks `#check` and waits until `#result` says `valid` or `invalid`: the class and the text.
async fn check_result(c: &Client) -> (String, String) {
    c.execute(
        "const r = document.getElementById('result'); r.className = ''; r.textContent = '';",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Id("check"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + LIMIT;
    loop {
        let v = c
            .execute(
                "const r = document.getElementById('result'); return [r.className, r.textContent];",
                vec![],
            )
            .await
            .unwrap();
        let class = v[0].as_str().unwrap_or_default().to_owned();
        let text = v[1].as_str().unwrap_or_default().to_owned();
        if class == "valid" || class == "invalid" {
            return (class, text);
        }
        assert!(
            Instant::now() < deadline,
            "#check gave no result within {LIMIT:?}: class {class:?}, text {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
