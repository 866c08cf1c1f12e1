//! The error type of accord-osint.

/// What can go wrong when reading reports or the gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum OsintError {
    /// A report file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A report is not valid UTF-8 or has a malformed header.
    #[error("{path}: line {line}: {reason}")]
    BadReport {
        /// The file or report id.
        path: String,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A line of an observations file is not an observation record its publisher may publish.
    #[error("{path}:{line}: {reason}")]
    BadObservation {
        /// The file (or `<stdin>`).
        path: String,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The gazetteer data file is malformed.
    #[error("gazetteer: {0}")]
    Gazetteer(String),
}
