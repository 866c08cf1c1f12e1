//! `accord demo`: the 2022 crisis scenario, end to end, from data embedded in the binary.

use std::fmt::Write as _;
use std::process::ExitCode;

use accord_compliance::{Scenario, render_text};
use accord_messages::Lang;
use accord_model::{AgreementId, Severity};

use super::check::heading;

/// The scenario file of the demo, embedded so that `accord demo` runs from anywhere.
const SCENARIO: &str = include_str!("../../examples/2022-crisis/scenario.toml");
/// The records of the demo.
const RECORDS: &str = include_str!("../../examples/2022-crisis/records.jsonl");
/// The name of the demonstration witness that cosigns the demo log's checkpoint.
const WITNESS: &str = "witness.example/US";

/// Arguments of `accord demo`.
///
/// Runs the 2022 crisis scenario (examples/2022-crisis, embedded in the binary): public estimates
/// of Russian forces near Ukraine and in Belarus from December 2021 to February 2022, the Vienna
/// Document chapter III requests and replies, the New START data then in force, and the US and
/// NATO proposals of January 2022. It prints the findings as of 20 February 2022, how Ukraine's
/// request looked before and after its deadline, and what each proposal would demand if it were
/// in force. Then a New START follow-on declaration goes into escrow: committed, revealed in
/// phases, a limit proven in zero knowledge, inspection sites drawn fairly from both parties'
/// seeds. Exit code 0 when the demo ran (its findings include violations by design).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the tamper-evident log of the scenario's records (signed DSSE envelopes,
    /// C2SP tlog-tiles); findings cite their indices, which `accord log verify DIR --index I`
    /// checks. A directory holding an earlier demo log is replaced. The escrow's commitment and
    /// limit proof records go to DIR/escrow, for `accord limit verify`.
    #[arg(long, value_name = "DIR", default_value = "accord-demo-log")]
    pub log_dir: std::path::PathBuf,
    /// Print every finding of every step as one JSON object instead of the readable report.
    #[arg(long)]
    pub json: bool,
}

/// Runs `accord demo`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut o = String::new();
    let scenario = Scenario::from_texts(
        SCENARIO,
        "examples/2022-crisis/scenario.toml",
        RECORDS,
        "examples/2022-crisis/records.jsonl",
    )?;
    let at = scenario.file.as_of;
    let (log_index, checkpoint) =
        super::scenario_log::write(&args.log_dir, scenario.state.records())?;
    let engine = |assume: &[AgreementId]| -> anyhow::Result<accord_compliance::Engine> {
        Ok(scenario
            .engine(assume)?
            .with_log_index(super::scenario_log::SCENARIO_ORIGIN, log_index.clone()))
    };
    let base = engine(&[])?.evaluate(&scenario.state, at).findings();
    let mut proposals = Vec::new();
    for id in &scenario.file.proposals {
        let mut findings = engine(std::slice::from_ref(id))?
            .evaluate(&scenario.state, at)
            .findings();
        findings.retain(|f| &f.agreement == id);
        proposals.push((id.clone(), findings));
    }
    let mut moments = Vec::new();
    for m in &scenario.file.moments {
        let findings = engine(&[])?.evaluate(&scenario.state, m.at).findings();
        moments.push((m, findings));
    }
    let cosigned = super::scenario_log::witness_cosign(&checkpoint, WITNESS)?;
    let (escrow_text, escrow_json) = super::demo_escrow::run(&args.log_dir)?;
    if args.json {
        let value = serde_json::json!({
            "scenario": scenario.file.name,
            "log": {"dir": args.log_dir, "checkpoint": checkpoint.as_str(), "cosigned": cosigned},
            "escrow": escrow_json,
            "as_of": at,
            "findings": base,
            "proposals": proposals.iter().map(|(id, f)| serde_json::json!({"agreement": id, "findings": f})).collect::<Vec<_>>(),
            "moments": moments.iter().map(|(m, f)| serde_json::json!({"at": m.at, "label": m.label, "findings": f})).collect::<Vec<_>>(),
        });
        let _ = writeln!(o, "{}", serde_json::to_string_pretty(&value)?);
        super::check::emit(&o)?;
        return Ok(ExitCode::SUCCESS);
    }

    let _ = writeln!(o, "accord demo: {}", scenario.file.name);
    let _ = writeln!(o, "{}", "=".repeat(78));
    let _ = writeln!(o, "{}", scenario.file.description.trim());
    let _ = writeln!(o);
    let _ = write!(o, "{}", heading(&scenario, at, &[], Lang::En));
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "1. What the records show on {}",
        accord_state::date_of(at)
    );
    let _ = writeln!(o, "{}", "-".repeat(78));
    let shown: Vec<_> = base
        .iter()
        .filter(|f| f.severity != Severity::NotApplicable)
        .cloned()
        .collect();
    let _ = write!(o, "{}", render_text(&shown, Lang::En));
    let _ = writeln!(
        o,
        "({}; the {} not applicable are listed by `accord check examples/2022-crisis`)",
        accord_compliance::tally(&base, Lang::En),
        base.len() - shown.len()
    );
    let _ = writeln!(o);

    let _ = writeln!(o, "2. The same records at other moments");
    let _ = writeln!(o, "{}", "-".repeat(78));
    for (m, findings) in &moments {
        let _ = writeln!(o, "{} - {}", m.at, m.label);
        for f in findings.iter().filter(|f| {
            f.provision.as_str() == "ch-iii-unusual-activities"
                && f.severity != Severity::NotApplicable
        }) {
            let _ = writeln!(
                o,
                "  [{}] {} / {}: {}",
                f.severity.label(),
                f.agreement,
                f.party,
                f.summary
            );
        }
    }
    let _ = writeln!(o);

    let _ = writeln!(
        o,
        "3. What each proposal would demand if it were in force on {}",
        accord_state::date_of(at)
    );
    let _ = writeln!(o, "{}", "-".repeat(78));
    for (id, findings) in &proposals {
        let title = scenario
            .agreements
            .iter()
            .find(|a| &a.id == id)
            .map(|a| a.title.as_str())
            .unwrap_or("");
        let _ = writeln!(o, "{id}: {title}");
        print_proposal(&mut o, id, findings);
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "4. The records behind these findings");
    let _ = writeln!(o, "{}", "-".repeat(78));
    let _ = writeln!(
        o,
        "{} records, each signed by its party, were appended to the log in {} (C2SP tlog-tiles).",
        log_index.len(),
        args.log_dir.display()
    );
    let _ = writeln!(
        o,
        "Its signed checkpoint, checked and cosigned by a witness ({WITNESS}, C2SP \
         tlog-cosignature);\nwith an inclusion proof it is each record's receipt:\n"
    );
    for line in cosigned.lines() {
        let _ = writeln!(o, "    {line}");
    }
    let _ = writeln!(
        o,
        "\nEvidence above cites log indices (\"log index N\"). Check any of them, or the whole log:\n    accord log verify {dir} --index N\n    accord log audit {dir}\n",
        dir = args.log_dir.display()
    );
    let _ = writeln!(
        o,
        "5. Verification without disclosure: declarations in escrow (a New START follow-on)"
    );
    let _ = writeln!(o, "{}", "-".repeat(78));
    let _ = writeln!(o, "{escrow_text}");
    let _ = writeln!(
        o,
        "The same steps by hand: docs/inspections.md (accord declare | limit | inspect).\n"
    );
    let _ = writeln!(
        o,
        "Evaluate it yourself: accord check examples/2022-crisis [--as-of INSTANT] [--assume-in-force ID] [--json]"
    );
    super::check::emit(&o)?;
    Ok(ExitCode::SUCCESS)
}

fn print_proposal(o: &mut String, _id: &AgreementId, findings: &[accord_model::Finding]) {
    let words = |f: &&accord_model::Finding| f.message.id == "commitment-in-words";
    let mut in_words: Vec<&str> = findings
        .iter()
        .filter(words)
        .map(|f| f.provision.as_str())
        .collect();
    in_words.dedup();
    for f in findings.iter().filter(|f| !words(f)) {
        let _ = writeln!(
            o,
            "  [{}] {} / {}: {}",
            f.severity.label(),
            f.provision,
            f.party,
            f.summary
        );
        for e in &f.evidence {
            if let accord_model::Evidence::Record { id, .. } = e {
                let _ = writeln!(o, "      - record {id}");
            }
        }
    }
    if !in_words.is_empty() {
        let _ = writeln!(
            o,
            "  stated in words only, not machine-checked: {}",
            in_words.join(", ")
        );
    }
}
