//! The report store: normalised reports kept as JSON lines in a directory, one report per line.
//!
//! A report is known by its content hash (SHA-256 over everything but its id: address, outlet,
//! dates, title and body) and by its source address. Ingesting never loses a report already
//! stored:
//!
//! - the same content from the same address (or the same file read again) is already stored;
//! - a different report under a stored report's id (two files of one name from different
//!   folders) is kept beside it under a new id made from its hash;
//! - a different text at a stored report's address (the page changed) is kept beside the older
//!   one, and the outcome says so.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::{OsintError, Report};

/// File name of the store inside its directory.
pub const STORE_FILE: &str = "reports.jsonl";

/// The SHA-256 of a report's content (every field but its id), in hex.
pub fn content_hash(report: &Report) -> String {
    let mut h = Sha256::new();
    let dates = [report.published, report.captured].map(|d| d.map(|d| d.to_string()));
    let fields = [
        report.url.as_deref(),
        report.outlet.as_deref(),
        dates[0].as_deref(),
        report.title.as_deref(),
        dates[1].as_deref(),
        Some(report.body.as_str()),
    ];
    // Each field is marked present or absent and prefixed by its length, so no two different
    // reports hash the same bytes.
    for f in fields {
        match f {
            None => h.update([0u8]),
            Some(v) => {
                h.update([1u8]);
                h.update((v.len() as u64).to_le_bytes());
                h.update(v.as_bytes());
            }
        }
    }
    hex::encode(h.finalize())
}

/// Why an ingested report was kept beside a stored one instead of replacing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// A stored report has the same id (file name) and different content.
    SameId,
    /// A stored report has the same source address and different content.
    SameUrl,
}

/// What ingesting one report did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    /// A new report, stored under this id.
    Added {
        /// Its id in the store.
        id: String,
    },
    /// The same content from the same source is already stored under this id.
    Unchanged {
        /// The stored report's id.
        id: String,
    },
    /// A report that differs from a stored one it would have replaced: both are kept.
    KeptBoth {
        /// The id the new report is stored under.
        id: String,
        /// The stored report it differs from.
        existing: String,
        /// What the two share.
        conflict: Conflict,
    },
}

/// The report files under `paths`: a file as given, a directory read recursively for `.txt`,
/// `.html`, `.htm` and `.md` files, in sorted order.
pub fn report_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, OsintError> {
    fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), OsintError> {
        let io = |source| OsintError::Io {
            path: path.display().to_string(),
            source,
        };
        if !std::fs::metadata(path).map_err(io)?.is_dir() {
            out.push(path.to_owned());
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() {
                collect(&e, out)?;
            } else if e
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| matches!(x, "txt" | "html" | "htm" | "md"))
            {
                out.push(e);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        collect(p, &mut out)?;
    }
    Ok(out)
}

/// A report kept beside a stored one that it differs from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptBeside {
    /// The file it was read from.
    pub file: String,
    /// The id it is stored under.
    pub id: String,
    /// The stored report it differs from.
    pub differs_from: String,
    /// What the two share: `file name` or `address`.
    pub same: &'static str,
}

/// What ingesting a list of files did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    /// How many files were read.
    pub read: usize,
    /// New reports, not counting those kept beside a stored one.
    pub added: usize,
    /// Reports already stored.
    pub unchanged: usize,
    /// Reports kept beside a stored one they differ from.
    pub kept_beside: Vec<KeptBeside>,
    /// Files that could not be read as reports, with the reason.
    pub failed: Vec<String>,
}

/// Normalised reports kept in a directory (`reports.jsonl`).
#[derive(Debug)]
pub struct ReportStore {
    dir: PathBuf,
    reports: Vec<Report>,
    hashes: Vec<String>,
}

impl ReportStore {
    /// Opens the store in `dir`; a missing directory or file is an empty store.
    pub fn open(dir: &Path) -> Result<ReportStore, OsintError> {
        let path = dir.join(STORE_FILE);
        let mut store = ReportStore {
            dir: dir.to_owned(),
            reports: Vec::new(),
            hashes: Vec::new(),
        };
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(store),
            Err(source) => {
                return Err(OsintError::Io {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let bad = |reason: String| OsintError::BadReport {
                path: path.display().to_string(),
                line: n + 1,
                reason,
            };
            let line = line.map_err(|e| bad(e.to_string()))?;
            if line.trim().is_empty() {
                continue;
            }
            let report: Report =
                serde_json::from_str(&line).map_err(|e| bad(format!("not a report: {e}")))?;
            if store.reports.iter().any(|r| r.id == report.id) {
                return Err(bad(format!("a second report with id {:?}", report.id)));
            }
            store.hashes.push(content_hash(&report));
            store.reports.push(report);
        }
        Ok(store)
    }

    /// The store file.
    pub fn file(&self) -> PathBuf {
        self.dir.join(STORE_FILE)
    }

    /// The stored reports, in the order they were first ingested.
    pub fn reports(&self) -> &[Report] {
        &self.reports
    }

    /// Takes the stored reports out of the store.
    pub fn into_reports(self) -> Vec<Report> {
        self.reports
    }

    /// Adds a report, never replacing a different one (see the module documentation).
    pub fn ingest(&mut self, mut report: Report) -> Ingested {
        let hash = content_hash(&report);
        let same_source = |r: &Report| match (&r.url, &report.url) {
            (Some(a), Some(b)) => a == b,
            _ => r.id == report.id,
        };
        if let Some(k) = (0..self.reports.len())
            .find(|&k| self.hashes[k] == hash && same_source(&self.reports[k]))
        {
            return Ingested::Unchanged {
                id: self.reports[k].id.clone(),
            };
        }
        let same_url = report
            .url
            .as_ref()
            .and_then(|u| self.reports.iter().find(|r| r.url.as_ref() == Some(u)));
        let same_id = self.reports.iter().find(|r| r.id == report.id);
        let conflict = match (same_url, same_id) {
            (Some(r), _) => Some((r.id.clone(), Conflict::SameUrl)),
            (None, Some(r)) => Some((r.id.clone(), Conflict::SameId)),
            (None, None) => None,
        };
        if self.reports.iter().any(|r| r.id == report.id) {
            report.id = self.unique_id(&report.id, &hash);
        }
        let id = report.id.clone();
        self.reports.push(report);
        self.hashes.push(hash);
        match conflict {
            Some((existing, conflict)) => Ingested::KeptBoth {
                id,
                existing,
                conflict,
            },
            None => Ingested::Added { id },
        }
    }

    /// Reads each file of `files` as a report and ingests it (see [`ReportStore::ingest`]),
    /// calling `reading` with each file first; a file that cannot be read is listed and the
    /// others still go in. The store is not saved.
    pub fn ingest_files(
        &mut self,
        files: &[PathBuf],
        mut reading: impl FnMut(&Path),
    ) -> IngestSummary {
        let mut summary = IngestSummary {
            read: files.len(),
            ..IngestSummary::default()
        };
        for f in files {
            reading(f);
            match crate::report::read_report(f) {
                Ok(r) => match self.ingest(r) {
                    Ingested::Added { .. } => summary.added += 1,
                    Ingested::Unchanged { .. } => summary.unchanged += 1,
                    Ingested::KeptBoth {
                        id,
                        existing,
                        conflict,
                    } => summary.kept_beside.push(KeptBeside {
                        file: f.display().to_string(),
                        id,
                        differs_from: existing,
                        same: match conflict {
                            Conflict::SameId => "file name",
                            Conflict::SameUrl => "address",
                        },
                    }),
                },
                Err(e) => summary.failed.push(e.to_string()),
            }
        }
        summary
    }

    /// The stored reports as observation records authored by `party`: their claims extracted,
    /// their copies grouped, one observation per independent figure
    /// ([`crate::observe::observations_from`]).
    pub fn observations(&self, party: &accord_model::PartyId) -> crate::ObservationSet {
        let claims: Vec<Vec<crate::Claim>> =
            self.reports.iter().map(crate::extract_claims).collect();
        let copies = crate::group_copies(&self.reports);
        crate::observe::observations_from(party, &self.reports, &claims, &copies)
    }

    /// `id~HASH8`, longer if that is taken too.
    fn unique_id(&self, id: &str, hash: &str) -> String {
        (8..=hash.len())
            .step_by(8)
            .map(|n| format!("{id}~{}", &hash[..n]))
            .chain((2..).map(|k| format!("{id}~{hash}-{k}")))
            .find(|c| !self.reports.iter().any(|r| &r.id == c))
            .unwrap_or_else(|| format!("{id}~{hash}"))
    }

    /// Writes the store, atomically (a temporary file renamed over the old one).
    pub fn save(&self) -> Result<(), OsintError> {
        let io = |path: &Path, source: std::io::Error| OsintError::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(|e| io(&self.dir, e))?;
        let path = self.file();
        let tmp = path.with_extension("jsonl.tmp");
        let file = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
        let mut w = std::io::BufWriter::new(file);
        for r in &self.reports {
            serde_json::to_writer(&mut w, r).map_err(|e| io(&tmp, e.into()))?;
            w.write_all(b"\n").map_err(|e| io(&tmp, e))?;
        }
        w.flush().map_err(|e| io(&tmp, e))?;
        w.get_ref().sync_all().map_err(|e| io(&tmp, e))?;
        drop(w);
        std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_report;

    fn report(id: &str, url: &str, body: &str) -> Report {
        parse_report(
            id,
            &format!("url: {url}\noutlet: Test\npublished: 2022-01-26\ntitle: unknown\n\n{body}"),
        )
        .unwrap()
    }

    #[test]
    fn same_file_again_is_unchanged_and_a_copy_elsewhere_is_added() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ReportStore::open(dir.path()).unwrap();
        let a = report("001.txt", "https://a.example/1", "Troops moved.");
        assert_eq!(
            s.ingest(a.clone()),
            Ingested::Added {
                id: "001.txt".into()
            }
        );
        assert_eq!(
            s.ingest(a),
            Ingested::Unchanged {
                id: "001.txt".into()
            }
        );
        // The same text at another address is another outlet's copy: a report of its own.
        let copy = report("copy.txt", "https://b.example/1", "Troops moved.");
        assert_eq!(
            s.ingest(copy),
            Ingested::Added {
                id: "copy.txt".into()
            }
        );
        assert_eq!(s.reports().len(), 2);
    }

    #[test]
    fn a_different_report_under_a_stored_name_is_kept_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ReportStore::open(dir.path()).unwrap();
        s.ingest(report("001.txt", "https://a.example/1", "Troops moved."));
        let other = report("001.txt", "https://other.example/9", "Ships sailed.");
        let hash = content_hash(&other);
        let outcome = s.ingest(other);
        let new_id = format!("001.txt~{}", &hash[..8]);
        assert_eq!(
            outcome,
            Ingested::KeptBoth {
                id: new_id.clone(),
                existing: "001.txt".into(),
                conflict: Conflict::SameId
            }
        );
        s.save().unwrap();
        let again = ReportStore::open(dir.path()).unwrap();
        let bodies: Vec<(&str, &str)> = again
            .reports()
            .iter()
            .map(|r| (r.id.as_str(), r.body.as_str()))
            .collect();
        assert_eq!(
            bodies,
            vec![
                ("001.txt", "Troops moved."),
                (new_id.as_str(), "Ships sailed.")
            ]
        );
    }

    #[test]
    fn a_changed_page_at_a_stored_address_is_kept_beside_the_older_text() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ReportStore::open(dir.path()).unwrap();
        s.ingest(report("a.txt", "https://a.example/1", "Troops moved."));
        let outcome = s.ingest(report(
            "b.txt",
            "https://a.example/1",
            "Troops moved. Update: ships sailed.",
        ));
        assert_eq!(
            outcome,
            Ingested::KeptBoth {
                id: "b.txt".into(),
                existing: "a.txt".into(),
                conflict: Conflict::SameUrl
            }
        );
        assert_eq!(s.reports().len(), 2);
    }

    #[test]
    fn a_damaged_store_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ReportStore::open(dir.path()).unwrap();
        s.ingest(report("a.txt", "https://a.example/1", "Troops moved."));
        s.save().unwrap();
        let path = dir.path().join(STORE_FILE);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"id\": 5}\n");
        std::fs::write(&path, text).unwrap();
        let e = ReportStore::open(dir.path()).unwrap_err().to_string();
        assert!(e.contains("reports.jsonl: line 2: not a report"), "{e}");
    }

    #[test]
    fn report_files_are_found_and_ingested_with_a_summary() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("more")).unwrap();
        let text = |url: &str| format!("url: {url}\noutlet: Test\n\nTroops moved.");
        std::fs::write(root.join("b.txt"), text("https://a.example/1")).unwrap();
        std::fs::write(root.join("a.md"), text("https://a.example/2")).unwrap();
        std::fs::write(root.join("photo.jpg"), [0xff, 0xd8]).unwrap();
        std::fs::write(root.join("more/c.html"), [0xff, 0xfe, 0x00]).unwrap();
        let files = report_files(&[root.to_owned()]).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.md", "b.txt", "more/c.html"]);
        assert!(matches!(
            report_files(&[root.join("missing")]),
            Err(OsintError::Io { .. })
        ));

        let store_dir = tempfile::tempdir().unwrap();
        let mut store = ReportStore::open(store_dir.path()).unwrap();
        let mut seen = Vec::new();
        let done = store.ingest_files(&files, |f| seen.push(f.to_owned()));
        assert_eq!(seen, files);
        assert_eq!((done.read, done.added, done.unchanged), (3, 2, 0));
        assert_eq!(done.failed.len(), 1, "{:?}", done.failed);
        assert!(done.failed[0].contains("c.html"), "{:?}", done.failed);
        // Read again, and a changed text at a stored address is kept beside the old one.
        std::fs::write(
            root.join("b.txt"),
            "url: https://a.example/2\noutlet: Test\n\nTroops left.",
        )
        .unwrap();
        let again = store.ingest_files(&files[..2], |_| {});
        assert_eq!((again.added, again.unchanged), (0, 1));
        assert_eq!(again.kept_beside.len(), 1);
        let kept = &again.kept_beside[0];
        assert_eq!((kept.differs_from.as_str(), kept.same), ("a.md", "address"));
        assert_eq!(store.reports().len(), 3);
    }
}
