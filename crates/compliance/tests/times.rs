//! Scenario directories that carry the cosignatures on the parties' logs.

use std::path::Path;

use accord_compliance::{RECORD_TIME_PROVISION, Scenario};
use accord_model::{Finding, Severity};

const REQUEST: &str = r#"{"id":"LT-Q","party":"LT","issued_at":"2022-02-09T12:00:00Z","body":{"type":"explanation_request","agreement":"vienna-document-2011","provision":"ch-iii-unusual-activities","to":"BY","area":{"zone":"belarus","description":"Belarus"},"text":"totals of troops"}}"#;
/// Dated an hour after the request; Lithuania's node held it three days later.
const REPLY: &str = r#"{"id":"BY-A","party":"BY","issued_at":"2022-02-09T13:00:00Z","body":{"type":"explanation_reply","request":"LT-Q","text":"within the parameters"}}"#;
const COSIGNATURES: &str = "\
{\"log\":\"BY\",\"size\":0,\"cosigner\":\"LT\",\"timestamp\":\"2022-02-12T11:00:00Z\"}
{\"log\":\"BY\",\"size\":1,\"cosigner\":\"LT\",\"timestamp\":\"2022-02-12T12:00:00Z\"}
{\"log\":\"LT\",\"size\":1,\"cosigner\":\"BY\",\"timestamp\":\"2022-02-09T12:01:00Z\"}
";

fn scenario(dir: &Path, cosignatures: Option<&str>) -> Result<Scenario, String> {
    let mut toml = String::from(
        "name = \"t\"\ntitle = \"t\"\nparties = [\"LT\", \"BY\"]\n\
         agreements = [\"vienna-document-2011\"]\nas_of = \"2022-03-01T00:00:00Z\"\n",
    );
    if let Some(text) = cosignatures {
        toml.push_str("cosignatures = \"cosignatures.jsonl\"\n");
        std::fs::write(dir.join("cosignatures.jsonl"), text).unwrap();
    }
    std::fs::write(dir.join("scenario.toml"), toml).unwrap();
    std::fs::write(dir.join("records.jsonl"), format!("{REQUEST}\n{REPLY}\n")).unwrap();
    Scenario::load(dir).map_err(|e| e.to_string())
}

fn findings(s: &Scenario) -> Vec<Finding> {
    s.engine(&[])
        .unwrap()
        .evaluate(&s.state, s.file.as_of)
        .findings()
}

fn reply_finding(f: &[Finding]) -> &Finding {
    f.iter()
        .find(|x| x.provision.as_str() == "ch-iii-unusual-activities" && x.party.as_str() == "BY")
        .unwrap()
}

#[test]
fn a_scenario_with_cosignatures_judges_the_reply_by_when_the_requester_held_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), Some(COSIGNATURES)).unwrap();
    let f = findings(&s);
    let reply = reply_finding(&f);
    assert_eq!(reply.severity, Severity::Violation);
    assert!(
        reply.summary.contains("after 72 hours"),
        "{}",
        reply.summary
    );
    let dated: Vec<&Finding> = f
        .iter()
        .filter(|x| x.provision.as_str() == RECORD_TIME_PROVISION)
        .collect();
    assert_eq!(dated.len(), 1, "{dated:?}");
    assert_eq!(dated[0].party.as_str(), "BY");
    assert_eq!(dated[0].agreement.as_str(), "vienna-document-2011");
    assert_eq!(dated[0].severity, Severity::Concern);
}

#[test]
fn a_scenario_without_cosignatures_judges_the_date_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), None).unwrap();
    let f = findings(&s);
    let reply = reply_finding(&f);
    assert_eq!(reply.severity, Severity::Compliant);
    assert_eq!(reply.notes[0].id, "note-time-dated");
    assert!(
        !f.iter()
            .any(|x| x.provision.as_str() == RECORD_TIME_PROVISION)
    );
}

#[test]
fn a_bad_cosignatures_file_is_an_error_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let too_big = COSIGNATURES.replace(
        "\"size\":1,\"cosigner\":\"LT\"",
        "\"size\":2,\"cosigner\":\"LT\"",
    );
    let err = scenario(dir.path(), Some(&too_big)).unwrap_err();
    assert!(err.ends_with("cosignatures.jsonl:2: field `size`: a checkpoint of 2 entries, but the log of BY holds 1 records here"), "{err}");
    let stranger = COSIGNATURES.replace("\"cosigner\":\"BY\"", "\"cosigner\":\"US\"");
    let err = scenario(dir.path(), Some(&stranger)).unwrap_err();
    assert!(
        err.ends_with(":3: field `cosigner`: US is not a party of the scenario"),
        "{err}"
    );
    let err = scenario(dir.path(), Some("{\"log\":\"BY\"}\n")).unwrap_err();
    assert!(err.contains("cosignatures.jsonl:1: missing field"), "{err}");
}

#[test]
fn cosignatures_may_name_scoped_logs_of_the_scenarios_parties() {
    let dir = tempfile::tempdir().unwrap();
    // BY's agreement and hotline logs, as a node's export names them, and LT's public log.
    let scoped = "\
{\"log\":\"BY/vienna-document-2011\",\"size\":1,\"cosigner\":\"LT\",\"timestamp\":\"2022-02-12T12:00:00Z\"}
{\"log\":\"BY/hotline/BY/LT\",\"size\":0,\"cosigner\":\"LT\",\"timestamp\":\"2022-02-09T12:01:00Z\"}
{\"log\":\"LT\",\"size\":1,\"cosigner\":\"BY\",\"timestamp\":\"2022-02-09T12:01:00Z\"}
";
    let s = scenario(dir.path(), Some(scoped)).unwrap();
    // LT's public log is placed (its only named log); BY's records are in a scoped log the
    // records file does not place, so they carry no log time.
    let (request, reply) = (
        accord_model::RecordId::new("LT-Q").unwrap(),
        accord_model::RecordId::new("BY-A").unwrap(),
    );
    let lt = s
        .state
        .witnessed(&request)
        .expect("LT's public log is timed");
    assert_eq!(
        lt.witnessed_by(&accord_model::PartyId::new("BY").unwrap()),
        Some("2022-02-09T12:01:00Z".parse().unwrap())
    );
    assert!(s.state.witnessed(&reply).is_none());
    for (bad, why) in [
        (
            "\"log\":\"US/vienna-document-2011\"",
            ":1: field `log`: US is not a party of the scenario",
        ),
        (
            "\"log\":\"BY/hotline/LT/BY\"",
            ":1: field `log`: BY/hotline/LT/BY: a log is `{party}`",
        ),
        (
            "\"log\":\"BY/hotline/AM/LT\"",
            ":1: field `log`: BY/hotline/AM/LT: a log is `{party}`",
        ),
        (
            "\"log\":\"BY/../x\"",
            ":1: field `log`: BY/../x: a log name is segments",
        ),
        (
            "\"log\":\"BY/\"",
            ":1: field `log`: BY/: a log name is segments",
        ),
        (
            "\"log\":\"LT/x\"",
            ":1: field `cosigner`: LT cosigns its own log",
        ),
    ] {
        let text = scoped.replacen("\"log\":\"BY/vienna-document-2011\"", bad, 1);
        let err = scenario(dir.path(), Some(&text)).unwrap_err();
        assert!(err.contains(why), "{bad}: {err}");
    }
    let too_big = scoped.replacen("\"size\":1", "\"size\":2", 1);
    let err = scenario(dir.path(), Some(&too_big)).unwrap_err();
    assert!(
        err.ends_with(
            ":1: field `size`: a checkpoint of 2 entries, but the logs of BY hold 1 records here"
        ),
        "{err}"
    );
}
