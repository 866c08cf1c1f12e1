//! Reading records from JSON Lines text, with errors that name the file and line.

use accord_model::Record;

use crate::{State, StateError};

/// A records file that cannot be read into a state.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A line is not a well-formed record.
    #[error("{origin}:{line}: {message}")]
    Parse {
        /// The file (or other origin) read.
        origin: String,
        /// The 1-based line number.
        line: usize,
        /// What the parser expected.
        message: String,
    },
    /// A well-formed record the state refuses (duplicate id, invalid content).
    #[error("{origin}:{line}: {error}")]
    State {
        /// The file (or other origin) read.
        origin: String,
        /// The 1-based line number.
        line: usize,
        /// Why the state refused it.
        error: StateError,
    },
}

/// Parses JSON Lines text into records with their 1-based line numbers; blank lines and lines
/// starting with `#` are skipped.
pub fn parse_jsonl(text: &str, origin: &str) -> Result<Vec<(usize, Record)>, LoadError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let record: Record = serde_json::from_str(trimmed).map_err(|e| LoadError::Parse {
            origin: origin.to_owned(),
            line: n + 1,
            message: e.to_string(),
        })?;
        out.push((n + 1, record));
    }
    Ok(out)
}

impl State {
    /// Builds a state from JSON Lines text (one record per line), naming `origin` and the line
    /// in any error.
    pub fn from_jsonl(text: &str, origin: &str) -> Result<Self, LoadError> {
        let mut state = State::new();
        state.extend_jsonl(text, origin)?;
        Ok(state)
    }

    /// Appends the records of JSON Lines text to the state.
    pub fn extend_jsonl(&mut self, text: &str, origin: &str) -> Result<(), LoadError> {
        for (line, record) in parse_jsonl(text, origin)? {
            self.append(record).map_err(|error| LoadError::State {
                origin: origin.to_owned(),
                line,
                error,
            })?;
        }
        Ok(())
    }
}
