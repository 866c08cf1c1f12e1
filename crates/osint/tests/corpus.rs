//! Quality against hand-labelled news corpora: any directory holding `labels.jsonl` and
//! `reports/` in the shared label format (see the corpus README) is evaluated the same way.
//!
//! - the shared corpus (`$ACCORD_SHARED/corpus`, opt-in);
//! - the development set `third_party/news-corpus/dev` (in the repository: always run when
//!   present; figures printed, misses listed, since rules are tuned on it);
//! - the test set `third_party/news-corpus/test` (in the repository: always run when present;
//!   only the figures are printed, never the reports' claims, so that nobody tunes on it; the
//!   figures are asserted against a floor and their shortfall from the targets printed);
//! - the second test set `third_party/news-corpus/test2`, held out the same way, gathered after
//!   the rules had been tuned over many rounds against the first test set's figures;
//! - the third test set `third_party/news-corpus/test3`, held out the same way, gathered later
//!   still on events and states the other sets hardly cover, so that the rule changes of a round
//!   can be checked once against reports no rule has seen;
//! - the fourth test set `third_party/news-corpus/test4`, held out the same way, gathered in a
//!   later round on events none of the other sets holds, so that the rule changes of that round
//!   can again be checked once against reports no rule has seen;
//! - the fifth test set `third_party/news-corpus/test5`, held out the same way, gathered in a
//!   still later round on events none of the other sets holds (arms orders, exercises, missile
//!   launches and deployments of states beyond the US, Russia and Ukraine), for the same check.
//!
//! A claim matches a label when actor, category and quantity agree (weights within 1%), one to
//! one. Printed: claim precision and recall per category and overall, with the false and the
//! missed claims counted by kind (another owner, another category, not extracted at all, and
//! how a figure not extracted is written); derived-from pairs found,
//! missed and false; precision and recall of "same event" over all pairs of reports.
//!
//! A corpus that is absent is a skip reported on the terminal (`accord_testkit::require`); with
//! `ACCORD_REQUIRE_ALL` set, as in CI, it fails the test instead.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use accord_osint::report::read_report;
use accord_osint::{Report, extract_claims, group_copies};

/// The targets on the held-out test set: claim precision and recall, every derived pair found
/// and none false, and same-event pair precision and recall.
const TARGET: Floor = Floor {
    claim_precision: 0.90,
    claim_recall: 0.80,
    derived_missed: 0,
    derived_false: 0,
    event_precision: 0.85,
    event_recall: 0.80,
};

/// What the test set must not fall below: the targets where they are reached, else the figures
/// measured when these rules were last changed (rounded down), so that no change makes the
/// extraction or the grouping worse on reports they were never tuned on. The shortfall against
/// [`TARGET`] is printed on every run.
const FLOOR: Floor = Floor {
    claim_precision: 0.789,
    claim_recall: 0.742,
    derived_missed: 18,
    derived_false: 12,
    // The target 0.85 is reached; held at 0.98 so that it does not slide towards it.
    event_precision: 0.98,
    event_recall: 0.476,
};

/// What the second held-out set must not fall below: its figures when it was first measured,
/// before any rule was changed after it was gathered (rounded down), raised since to its claim
/// figures after later rule changes, so that no change makes the rules worse on reports no rule
/// has seen.
const FLOOR2: Floor = Floor {
    claim_precision: 0.675,
    claim_recall: 0.675,
    derived_missed: 2,
    derived_false: 0,
    event_precision: 0.859,
    event_recall: 0.567,
};

/// What the third held-out set must not fall below: its figures when it was first measured, on
/// the rules of the round it was gathered in (rounded down), raised since as [`FLOOR2`] was, so
/// that the changes of that round and later ones are measured on reports no rule has seen.
const FLOOR3: Floor = Floor {
    claim_precision: 0.711,
    claim_recall: 0.696,
    derived_missed: 6,
    derived_false: 5,
    event_precision: 1.0,
    event_recall: 0.779,
};

/// What the fourth held-out set must not fall below, set as [`FLOOR3`] was.
const FLOOR4: Floor = Floor {
    claim_precision: 0.518,
    claim_recall: 0.500,
    derived_missed: 1,
    derived_false: 0,
    event_precision: 1.0,
    event_recall: 0.802,
};

/// What the fifth held-out set must not fall below, set as [`FLOOR3`] was.
const FLOOR5: Floor = Floor {
    claim_precision: 0.720,
    claim_recall: 0.725,
    derived_missed: 6,
    derived_false: 3,
    event_precision: 0.915,
    event_recall: 0.588,
};

/// What the sixth held-out set must not fall below: its figures when it was first measured
/// (rounded down), before any rule was changed after it was gathered.
const FLOOR6: Floor = Floor {
    claim_precision: 0.636,
    claim_recall: 0.577,
    derived_missed: 11,
    derived_false: 0,
    event_precision: 0.988,
    event_recall: 0.830,
};

/// What the seventh held-out set must not fall below, set as [`FLOOR6`] was.
const FLOOR7: Floor = Floor {
    claim_precision: 0.701,
    claim_recall: 0.587,
    derived_missed: 7,
    derived_false: 7,
    event_precision: 0.962,
    event_recall: 0.798,
};

/// Bounds on the figures of a corpus.
struct Floor {
    claim_precision: f64,
    claim_recall: f64,
    derived_missed: usize,
    derived_false: usize,
    event_precision: f64,
    event_recall: f64,
}

impl Floor {
    /// The figures of `f` that miss these bounds, described.
    fn missed_by(&self, f: &Figures) -> Vec<String> {
        let mut out = Vec::new();
        let (p, r) = (f.claims.precision(), f.claims.recall());
        if p < self.claim_precision {
            out.push(format!("claim precision {p:.3} < {}", self.claim_precision));
        }
        if r < self.claim_recall {
            out.push(format!("claim recall {r:.3} < {}", self.claim_recall));
        }
        if f.derived_missing.len() > self.derived_missed {
            out.push(format!(
                "{} derived pairs missed > {}",
                f.derived_missing.len(),
                self.derived_missed
            ));
        }
        if f.derived_false.len() > self.derived_false {
            out.push(format!(
                "{} false derived pairs > {}",
                f.derived_false.len(),
                self.derived_false
            ));
        }
        if f.event_precision < self.event_precision {
            out.push(format!(
                "event-pair precision {:.3} < {}",
                f.event_precision, self.event_precision
            ));
        }
        if f.event_recall < self.event_recall {
            out.push(format!(
                "event-pair recall {:.3} < {}",
                f.event_recall, self.event_recall
            ));
        }
        out
    }
}

/// The corpus directory, or `None` (a skip a person sees, a failure under
/// `ACCORD_REQUIRE_ALL`) when it is absent.
fn corpus_dir(test: &str, name: &str, dir: Option<PathBuf>) -> Option<PathBuf> {
    let found = dir.filter(|d| d.join("labels.jsonl").is_file());
    let ok = accord_testkit::require(
        test,
        &format!("the {name} corpus"),
        found.is_some(),
        "its labels.jsonl and reports/",
    );
    if ok { found } else { None }
}

fn repository_corpus(test: &str, split: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../third_party/news-corpus")
        .join(split);
    corpus_dir(test, split, Some(dir))
}

fn shared_corpus(test: &str) -> Option<PathBuf> {
    accord_testkit::shared_dir(test)
        .and_then(|d| corpus_dir(test, "shared", Some(d.join("corpus"))))
}

struct LabelClaim {
    actor: String,
    category: String,
    quantity: f64,
    text: String,
}

struct Label {
    file: String,
    event: String,
    derived_from: Option<String>,
    claims: Vec<LabelClaim>,
}

fn field<'a>(v: &'a serde_json::Value, key: &str, at: &str) -> &'a serde_json::Value {
    let f = &v[key];
    assert!(
        !f.is_null() || v.get(key).is_some(),
        "{at}: no field `{key}`"
    );
    f
}

fn string(v: &serde_json::Value, key: &str, at: &str) -> String {
    match field(v, key, at).as_str() {
        Some(s) => s.to_owned(),
        None => panic!("{at}: field `{key}` is not a string"),
    }
}

fn labels(dir: &Path) -> Vec<Label> {
    let path = dir.join("labels.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{}: line {}", path.display(), n + 1);
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{at}: {e}"));
        let claims = field(&v, "claims", &at)
            .as_array()
            .unwrap_or_else(|| panic!("{at}: `claims` is not a list"))
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let at = format!("{at}: claim {}", k + 1);
                LabelClaim {
                    actor: string(c, "actor", &at),
                    category: string(c, "category", &at),
                    quantity: field(c, "quantity", &at)
                        .as_f64()
                        .unwrap_or_else(|| panic!("{at}: `quantity` is not a number")),
                    text: string(c, "text", &at),
                }
            })
            .collect();
        out.push(Label {
            file: string(&v, "file", &at),
            event: string(&v, "event", &at),
            derived_from: v["derived_from"].as_str().map(str::to_owned),
            claims,
        });
    }
    out
}

fn load(dir: &Path, labels: &[Label]) -> Vec<Report> {
    labels
        .iter()
        .map(|l| read_report(&dir.join("reports").join(&l.file)).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn quantity_matches(category: &str, a: f64, b: f64) -> bool {
    if category == "ammunition_tons" {
        (a - b).abs() <= 0.011 * a.abs().max(b.abs()).max(1.0)
    } else {
        (a - b).abs() < 0.5
    }
}

/// Matched, extracted and labelled claims.
#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    found: usize,
    expected: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        self.tp as f64 / self.found.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / self.expected.max(1) as f64
    }
}

/// Every figure the harness measures on one corpus.
struct Figures {
    reports: usize,
    claims: Counts,
    /// Claims extracted and not labelled, by what the labels hold of their figure: with another
    /// owner (same category), in another category (same owner), both other, or not at all.
    false_claims: [usize; 4],
    /// Labelled claims missed, by what was extracted of their figure: with another owner (same
    /// category), in another category, both other, or nothing at all.
    missed_claims: [usize; 4],
    /// Labelled claims whose figure was not extracted at all, by how the figure is written:
    /// number words, a range, a qualifier before it, a hyphenated form, money, plain digits.
    unread_forms: [usize; 6],
    by_category: BTreeMap<String, Counts>,
    derived_labelled: usize,
    derived_found: usize,
    derived_missing: Vec<(String, String)>,
    derived_false: Vec<(String, String)>,
    /// Missed pairs found the other way round, with another source, or in another copy group.
    missing_kinds: [usize; 3],
    /// Missed pairs in other copy groups as compared on their own: copies, one event, too far
    /// apart in time, unrelated.
    ungrouped_kinds: [usize; 4],
    /// False pairs by the test that linked them as compared on their own: identical, one wire,
    /// aligned sentences, verbatim sentences, none (linked through others).
    false_rules: [usize; 5],
    /// False pairs: a labelled pair reversed, a labelled copy with another source, a copy of one
    /// labelled event that is labelled original, and a pair across labelled events.
    false_kinds: [usize; 4],
    event_precision: f64,
    event_recall: f64,
    events_labelled: usize,
    events_found: usize,
}

/// Evaluates one corpus; `detail` prints every false and missed claim.
fn evaluate(dir: &Path, detail: bool) -> Figures {
    let labels = labels(dir);
    let reports = load(dir, &labels);
    let mut claims = Counts::default();
    let mut false_kinds = [0usize; 4];
    let mut missed_kinds = [0usize; 4];
    let mut unread_forms = [0usize; 6];
    let mut by_category: BTreeMap<String, Counts> = BTreeMap::new();
    for (label, report) in labels.iter().zip(&reports) {
        let extracted = extract_claims(report);
        claims.found += extracted.len();
        claims.expected += label.claims.len();
        for l in &label.claims {
            by_category.entry(l.category.clone()).or_default().expected += 1;
        }
        let mut used = vec![false; label.claims.len()];
        for c in &extracted {
            by_category.entry(c.label.clone()).or_default().found += 1;
            let hit = label.claims.iter().enumerate().position(|(k, l)| {
                !used[k]
                    && l.actor == c.actor
                    && l.category == c.label
                    && quantity_matches(&l.category, l.quantity, c.quantity)
            });
            match hit {
                Some(k) => {
                    used[k] = true;
                    claims.tp += 1;
                    by_category.entry(c.label.clone()).or_default().tp += 1;
                }
                None => {
                    // What the report's labels hold of this figure: the figure with another
                    // owner, in another category, both, or not at all.
                    let figure = |l: &&LabelClaim| {
                        quantity_matches(&l.category, l.quantity, c.quantity)
                            || quantity_matches(&c.label, l.quantity, c.quantity)
                    };
                    let kind = if label
                        .claims
                        .iter()
                        .filter(figure)
                        .any(|l| l.category == c.label)
                    {
                        0
                    } else if label
                        .claims
                        .iter()
                        .filter(figure)
                        .any(|l| l.actor == c.actor)
                    {
                        1
                    } else if label.claims.iter().any(|l| figure(&l)) {
                        2
                    } else {
                        3
                    };
                    false_kinds[kind] += 1;
                    if detail {
                        println!(
                            "  false  {}: {} {} {} ({}) in {:?}\n         sentence {:?}",
                            label.file,
                            c.actor,
                            c.label,
                            c.quantity,
                            c.category,
                            c.text,
                            c.sentence
                        );
                    }
                }
            }
        }
        for (k, l) in label.claims.iter().enumerate() {
            if used[k] {
                continue;
            }
            let same_figure: Vec<_> = extracted
                .iter()
                .filter(|c| {
                    quantity_matches(&l.category, l.quantity, c.quantity)
                        || quantity_matches(&c.label, l.quantity, c.quantity)
                })
                .collect();
            let kind = if same_figure.iter().any(|c| c.label == l.category) {
                0
            } else if same_figure.iter().any(|c| c.actor == l.actor) {
                1
            } else if !same_figure.is_empty() {
                2
            } else {
                3
            };
            missed_kinds[kind] += 1;
            if kind == 3 {
                unread_forms[written_form(&l.text)] += 1;
            }
        }
        if detail {
            for (k, l) in label.claims.iter().enumerate() {
                if !used[k] {
                    println!(
                        "  missed {}: {} {} {} in {:?}",
                        label.file, l.actor, l.category, l.quantity, l.text
                    );
                }
            }
        }
    }
    let copies = group_copies(&reports);
    let found: HashSet<(String, String)> = copies
        .derived
        .iter()
        .map(|d| (labels[d.copy].file.clone(), labels[d.source].file.clone()))
        .collect();
    let expected: HashSet<(String, String)> = labels
        .iter()
        .filter_map(|l| l.derived_from.clone().map(|s| (l.file.clone(), s)))
        .collect();
    let mut derived_missing: Vec<_> = expected.difference(&found).cloned().collect();
    let mut derived_false: Vec<_> = found.difference(&expected).cloned().collect();
    derived_missing.sort();
    derived_false.sort();
    let kinds = derived_kinds(&labels, &reports, &found, &derived_missing, &derived_false);
    if detail && std::env::var_os("OSINT_DEBUG").is_some() {
        explain(&labels, &reports, &derived_missing, &derived_false);
        // Each labelled event with the found event of each of its reports and its date.
        let mut by_event: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (i, l) in labels.iter().enumerate() {
            by_event.entry(l.event.as_str()).or_default().push(format!(
                "{}:e{}:{}",
                l.file,
                copies.event_of[i],
                reports[i]
                    .published
                    .map_or("-".to_owned(), |d| d.to_string())
            ));
        }
        for (event, members) in by_event {
            println!("    event {event}: {}", members.join(" "));
        }
    }
    let (mut tp, mut fp, mut fnn) = (0usize, 0usize, 0usize);
    for i in 0..labels.len() {
        for j in i + 1..labels.len() {
            let same = labels[i].event == labels[j].event;
            let grouped = copies.event_of[i] == copies.event_of[j];
            match (same, grouped) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fnn += 1,
                _ => {}
            }
        }
    }
    Figures {
        reports: labels.len(),
        claims,
        false_claims: false_kinds,
        missed_claims: missed_kinds,
        unread_forms,
        by_category,
        derived_labelled: expected.len(),
        derived_found: found.len(),
        derived_missing,
        derived_false,
        missing_kinds: kinds.missing,
        false_kinds: kinds.false_pairs,
        ungrouped_kinds: kinds.ungrouped,
        false_rules: kinds.false_rules,
        // No pair grouped (or none labelled) is perfect precision (recall) by convention.
        event_precision: if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        },
        event_recall: if tp + fnn == 0 {
            1.0
        } else {
            tp as f64 / (tp + fnn) as f64
        },
        events_labelled: labels
            .iter()
            .map(|l| &l.event)
            .collect::<HashSet<_>>()
            .len(),
        events_found: copies.events.len(),
    }
}

/// How the figure of a labelled claim's text is written, as an index of
/// [`Figures::unread_forms`]: number words ("two dozen", "nineteen"), a range ("between 1,300
/// and 1,450", "95,000-100,000"), a qualifier before it ("about", "up to", "more than"), a
/// hyphenated form ("$200-million", "40,000-strong"), money, else plain digits.
fn written_form(text: &str) -> usize {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    const NUMBER_WORDS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
        "ninety", "hundred", "dozen", "dozens", "thousand",
    ];
    const QUALIFIERS: &[&str] = &[
        "about",
        "around",
        "some",
        "nearly",
        "almost",
        "approximately",
        "roughly",
        "up",
        "over",
        "more",
        "least",
        "estimated",
        "than",
        "under",
        "closer",
        "close",
    ];
    let digits = lower.bytes().any(|b| b.is_ascii_digit());
    let hyphenated = words.iter().any(|w| {
        w.bytes().next().is_some_and(|b| b.is_ascii_digit())
            && w.contains('-')
            && w.bytes().any(|b| b.is_ascii_alphabetic())
    });
    if !digits
        || words
            .iter()
            .any(|w| w.split('-').any(|p| NUMBER_WORDS.contains(&p)))
            && !hyphenated
    {
        0
    } else if words.contains(&"between")
        || words.iter().any(|w| {
            w.split_once('-').is_some_and(|(a, b)| {
                a.starts_with(|c: char| c.is_ascii_digit())
                    && b.starts_with(|c: char| c.is_ascii_digit())
            })
        })
        || lower.contains(" to ")
    {
        1
    } else if words.iter().any(|w| QUALIFIERS.contains(w)) {
        2
    } else if hyphenated {
        3
    } else if lower.contains('$') || words.iter().any(|w| matches!(*w, "million" | "billion")) {
        4
    } else {
        5
    }
}

/// The kinds of derived-pair errors, as figures only (no file names): see
/// [`Figures::missing_kinds`], [`Figures::false_kinds`], [`Figures::ungrouped_kinds`] and
/// [`Figures::false_rules`].
struct ErrorKinds {
    missing: [usize; 3],
    false_pairs: [usize; 4],
    ungrouped: [usize; 4],
    false_rules: [usize; 5],
}

/// Counts the kinds of derived-pair errors: missed pairs found reversed, with another source or
/// not grouped (and how those compare on their own), false pairs by how the labels relate them
/// and by the test that linked them.
fn derived_kinds(
    labels: &[Label],
    reports: &[Report],
    found: &HashSet<(String, String)>,
    missing: &[(String, String)],
    false_pairs: &[(String, String)],
) -> ErrorKinds {
    use accord_osint::copies::{CopyParams, CopyRule, Fingerprint, Relation, compare};
    let index = |f: &str| labels.iter().position(|l| l.file == f);
    let p = CopyParams::default();
    let cmp = |i: usize, j: usize| {
        compare(
            &Fingerprint::of(&reports[i]),
            &Fingerprint::of(&reports[j]),
            &p,
        )
    };
    let mut k = ErrorKinds {
        missing: [0; 3],
        false_pairs: [0; 4],
        ungrouped: [0; 4],
        false_rules: [0; 5],
    };
    for (copy, source) in missing {
        if found.contains(&(source.clone(), copy.clone())) {
            k.missing[0] += 1;
            continue;
        } else if found.iter().any(|(c, _)| c == copy) {
            k.missing[1] += 1;
            continue;
        }
        k.missing[2] += 1;
        let (Some(i), Some(j)) = (index(copy), index(source)) else {
            continue;
        };
        let far = match (reports[i].published, reports[j].published) {
            (Some(a), Some(b)) => (a - b).get_days().abs() > p.copy_days,
            _ => false,
        };
        k.ungrouped[match cmp(i, j).relation {
            _ if far => 2,
            Relation::Copy => 0,
            Relation::Event => 1,
            Relation::None => 3,
        }] += 1;
    }
    for (copy, source) in false_pairs {
        let (Some(i), Some(j)) = (index(copy), index(source)) else {
            continue;
        };
        k.false_pairs[if labels[j].derived_from.as_deref() == Some(copy.as_str()) {
            0
        } else if labels[i].derived_from.is_some() {
            1
        } else if labels[i].event == labels[j].event {
            2
        } else {
            3
        }] += 1;
        k.false_rules[match cmp(i, j).rule {
            Some(CopyRule::Identical) => 0,
            Some(CopyRule::Wire) => 1,
            Some(CopyRule::Aligned) => 2,
            Some(CopyRule::Verbatim) => 3,
            None => 4,
        }] += 1;
    }
    k
}

/// Prints how the reports of each missed and false derived pair compare (`OSINT_DEBUG=1`).
fn explain(
    labels: &[Label],
    reports: &[Report],
    missing: &[(String, String)],
    false_pairs: &[(String, String)],
) {
    use accord_osint::copies::{CopyParams, Fingerprint, compare};
    let index = |f: &str| labels.iter().position(|l| l.file == f);
    if std::env::var_os("OSINT_DEBUG").is_some_and(|v| v == "2") {
        let prints: Vec<_> = reports.iter().map(Fingerprint::of).collect();
        let linked = |i: usize, j: usize| {
            labels[i].derived_from.as_deref() == Some(labels[j].file.as_str())
                || labels[j].derived_from.as_deref() == Some(labels[i].file.as_str())
        };
        let mut rows = Vec::new();
        for i in 0..labels.len() {
            for j in i + 1..labels.len() {
                let c = compare(&prints[i], &prints[j], &CopyParams::default());
                if c.jaccard < 0.12 {
                    continue;
                }
                let kind = if linked(i, j) {
                    "COPY"
                } else if labels[i].event == labels[j].event {
                    "event"
                } else {
                    "other"
                };
                rows.push((c.jaccard, kind, i, j, c));
            }
        }
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (jac, kind, i, j, c) in rows {
            let shorter = c.sentences.0.min(c.sentences.1).max(1);
            println!(
                "    pair {kind:<5} {jac:.3} aligned {:>2} mass {:.2} of {:?} share {:.2} verbatim {} {:?} {:?} {} {}",
                c.aligned,
                c.aligned_similarity,
                c.sentences,
                c.aligned_similarity / shorter as f64,
                c.verbatim,
                c.relation,
                c.rule,
                labels[i].file,
                labels[j].file
            );
        }
    }
    for (kind, pairs) in [("missed", missing), ("false", false_pairs)] {
        for (a, b) in pairs {
            let (Some(i), Some(j)) = (index(a), index(b)) else {
                continue;
            };
            let (fa, fb) = (Fingerprint::of(&reports[i]), Fingerprint::of(&reports[j]));
            let c = compare(&fa, &fb, &CopyParams::default());
            println!(
                "    {kind} {a} ({:?} {:?}) <- {b} ({:?} {:?}): {:?} jaccard {:.3} aligned {} of {:?}",
                reports[i].published,
                reports[i].outlet,
                reports[j].published,
                reports[j].outlet,
                c.relation,
                c.jaccard,
                c.aligned,
                c.sentences
            );
        }
    }
}

/// Prints the figures; `names` also lists the files of missed and false derived pairs.
fn print(name: &str, f: &Figures, names: bool) {
    println!("corpus {name}: {} reports", f.reports);
    for (cat, c) in &f.by_category {
        println!(
            "  {cat:<26} {:>3} matched of {:>3} extracted, {:>3} labelled: precision {:.3}, recall {:.3}",
            c.tp,
            c.found,
            c.expected,
            c.precision(),
            c.recall()
        );
    }
    println!(
        "  claims overall: {} matched of {} extracted and {} labelled: precision {:.3}, recall {:.3}",
        f.claims.tp,
        f.claims.found,
        f.claims.expected,
        f.claims.precision(),
        f.claims.recall()
    );
    println!(
        "    false claims: {} of a labelled figure with another owner, {} in another category, {} with both other, {} of no labelled figure",
        f.false_claims[0], f.false_claims[1], f.false_claims[2], f.false_claims[3]
    );
    println!(
        "    missed claims: {} extracted with another owner, {} in another category, {} with both other, {} not extracted",
        f.missed_claims[0], f.missed_claims[1], f.missed_claims[2], f.missed_claims[3]
    );
    println!(
        "    not extracted, by form: {} number words, {} ranges, {} qualified (about, up to, more than), {} hyphenated, {} money, {} plain digits",
        f.unread_forms[0],
        f.unread_forms[1],
        f.unread_forms[2],
        f.unread_forms[3],
        f.unread_forms[4],
        f.unread_forms[5]
    );
    println!(
        "  derived_from: {} labelled, {} found, {} missed, {} false",
        f.derived_labelled,
        f.derived_found,
        f.derived_missing.len(),
        f.derived_false.len()
    );
    println!(
        "    missed: {} reversed, {} with another source, {} not grouped; false: {} reversed, {} another source, {} of an original, {} across events",
        f.missing_kinds[0],
        f.missing_kinds[1],
        f.missing_kinds[2],
        f.false_kinds[0],
        f.false_kinds[1],
        f.false_kinds[2],
        f.false_kinds[3]
    );
    println!(
        "    missed not grouped, compared alone: {} copies, {} one event, {} too far apart, {} unrelated; false by test: {} identical, {} one wire, {} aligned, {} verbatim, {} through others",
        f.ungrouped_kinds[0],
        f.ungrouped_kinds[1],
        f.ungrouped_kinds[2],
        f.ungrouped_kinds[3],
        f.false_rules[0],
        f.false_rules[1],
        f.false_rules[2],
        f.false_rules[3],
        f.false_rules[4]
    );
    if names {
        for (copy, source) in &f.derived_missing {
            println!("    missed {copy} <- {source}");
        }
        for (copy, source) in &f.derived_false {
            println!("    false  {copy} <- {source}");
        }
    }
    println!(
        "  events: {} found for {} labelled; same-event pairs precision {:.3}, recall {:.3}",
        f.events_found, f.events_labelled, f.event_precision, f.event_recall
    );
}

#[test]
fn shared_corpus_figures() {
    let Some(dir) = shared_corpus("shared_corpus_figures") else {
        return;
    };
    let f = evaluate(&dir, true);
    print("shared", &f, true);
    assert!(
        f.claims.precision() >= 0.90,
        "claim precision {:.3}",
        f.claims.precision()
    );
    assert!(
        f.claims.recall() >= 0.80,
        "claim recall {:.3}",
        f.claims.recall()
    );
    // 026.txt rewrites the Reuters story of 025.txt and credits Reuters in its lead; outlets that
    // write their own story cite a wire the same way, so a credit is not taken as evidence and
    // that one pair, with one aligned sentence, is not found.
    assert_eq!(
        f.derived_missing,
        vec![("026.txt".to_owned(), "025.txt".to_owned())],
        "missed derived pairs"
    );
    assert!(
        f.derived_false.is_empty(),
        "false derived pairs {:?}",
        f.derived_false
    );
    assert!(
        f.event_precision >= 0.80,
        "event precision {:.3}",
        f.event_precision
    );
    assert!(f.event_recall >= 0.70, "event recall {:.3}", f.event_recall);
}

#[test]
fn development_set_figures() {
    let Some(dir) = repository_corpus("development_set_figures", "dev") else {
        return;
    };
    // The development set grows while it is labelled: its figures are printed, not asserted.
    let f = evaluate(&dir, true);
    print("dev", &f, true);
    assert!(f.reports > 0, "no labelled reports in {}", dir.display());
}

#[test]
fn test_set_figures() {
    held_out_set_figures("test_set_figures", "test", &FLOOR);
}

#[test]
fn second_test_set_figures() {
    held_out_set_figures("second_test_set_figures", "test2", &FLOOR2);
}

#[test]
fn third_test_set_figures() {
    held_out_set_figures("third_test_set_figures", "test3", &FLOOR3);
}

#[test]
fn fourth_test_set_figures() {
    held_out_set_figures("fourth_test_set_figures", "test4", &FLOOR4);
}

#[test]
fn fifth_test_set_figures() {
    held_out_set_figures("fifth_test_set_figures", "test5", &FLOOR5);
}

#[test]
fn sixth_test_set_figures() {
    held_out_set_figures("sixth_test_set_figures", "test6", &FLOOR6);
}

#[test]
fn seventh_test_set_figures() {
    held_out_set_figures("seventh_test_set_figures", "test7", &FLOOR7);
}

/// Measures a held-out set: prints its figures and its shortfall against [`TARGET`], and fails
/// when any figure falls below `floor`.
fn held_out_set_figures(test: &str, split: &str, floor: &Floor) {
    let Some(dir) = repository_corpus(test, split) else {
        return;
    };
    let f = evaluate(&dir, false);
    print(split, &f, false);
    let shortfall = TARGET.missed_by(&f);
    if !shortfall.is_empty() {
        println!("  short of the targets: {}", shortfall.join("; "));
    }
    let below = floor.missed_by(&f);
    assert!(
        below.is_empty(),
        "{split} set below its floor: {}",
        below.join("; ")
    );
}

#[test]
fn seed_000_troops_become_one_observation_sourced_to_the_original() {
    let Some(dir) = shared_corpus("seed_000_troops_become_one_observation_sourced_to_the_original")
    else {
        return;
    };
    let labels = labels(&dir);
    let reports = load(&dir, &labels);
    let set = accord_osint::observations(&reports);
    let hits: Vec<_> = set
        .records
        .iter()
        .filter_map(|r| match &r.body {
            accord_model::RecordBody::Observation(o)
                if o.category.as_str() == "troops" && o.quantity == 120_000 =>
            {
                Some(o)
            }
            _ => None,
        })
        .collect();
    // seed-000 and its verbatim copy 005 carry the figure: one observation, one source.
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let o = hits[0];
    assert_eq!(o.source.outlet, "The Hill");
    assert_eq!(o.actor.as_str(), "RU");
    assert_eq!(o.qualifier, accord_model::Qualifier::MoreThan);
    assert_eq!(
        o.area.zone.as_ref().map(|z| z.as_str()),
        Some("near-ukraine")
    );
    assert_eq!(o.date, jiff::civil::date(2022, 1, 26));
    assert_eq!(o.confidence.independent_sources, 1);
}

/// The harness itself, on a corpus written here: matching is one to one, weights match within
/// 1%, and derived and event pairs are counted against the labels.
#[test]
fn harness_counts_against_the_labels() {
    let dir = std::env::temp_dir().join(format!("accord-osint-corpus-{}", std::process::id()));
    let reports = dir.join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    let head = |date: &str| {
        format!("url: unknown\noutlet: Test Wire\npublished: {date}\ntitle: unknown\n\n")
    };
    let a = "Russia has amassed more than 120,000 troops near the Ukrainian border, officials said.\nThe Kremlin denies any plan to invade and says the forces are there for exercises.\nDiplomats met in Geneva for talks that ended without a breakthrough on Monday.\nNATO has placed forces on standby and sent ships and jets to eastern Europe.";
    let c = "The US embassy said 200,000 pounds of lethal aid arrived in Kyiv on Tuesday.";
    std::fs::write(reports.join("a.txt"), head("2022-01-26") + a).unwrap();
    std::fs::write(reports.join("b.txt"), head("2022-01-27") + a).unwrap();
    std::fs::write(reports.join("c.txt"), head("2022-01-26") + c).unwrap();
    let labels = [
        r#"{"file": "a.txt", "event": "e1", "derived_from": null, "claims": [{"actor": "RU", "quantity": 120000, "category": "troops", "text": "120,000 troops"}, {"actor": "RU", "quantity": 5, "category": "battle_tanks", "text": "5 tanks"}]}"#,
        r#"{"file": "b.txt", "event": "e1", "derived_from": null, "claims": []}"#,
        r#"{"file": "c.txt", "event": "e1", "derived_from": null, "claims": [{"actor": "US", "quantity": 90.5, "category": "ammunition_tons", "text": "200,000 pounds"}]}"#,
    ];
    std::fs::write(dir.join("labels.jsonl"), labels.join("\n")).unwrap();
    let f = evaluate(&dir, false);
    std::fs::remove_dir_all(&dir).unwrap();
    // a: 120,000 matched, tanks missed; b: the copy's claim is false (not labelled); c: 90.7 t
    // is within 1% of the labelled 90.5.
    assert_eq!((f.claims.tp, f.claims.found, f.claims.expected), (2, 3, 3));
    assert_eq!(f.by_category["troops"].found, 2);
    assert_eq!(f.by_category["troops"].tp, 1);
    assert_eq!(f.by_category["ammunition_tons"].tp, 1);
    assert_eq!(f.by_category["battle_tanks"].expected, 1);
    assert_eq!(f.by_category["battle_tanks"].tp, 0);
    // b copies a, but the labels say it does not: one false pair, none missed.
    assert_eq!(f.derived_false, vec![("b.txt".into(), "a.txt".into())]);
    assert!(f.derived_missing.is_empty());
    assert_eq!(f.derived_labelled, 0);
    // All three are labelled one event; a and b are grouped, c (another story) is not.
    assert_eq!(f.events_labelled, 1);
    assert!((f.event_precision - 1.0).abs() < 1e-9);
    assert!((f.event_recall - 1.0 / 3.0).abs() < 1e-9);
}
