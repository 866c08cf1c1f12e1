//! Views of findings for people, shared by `accord report` and a node's dashboard: the HTML
//! report with its SVG charts (declared levels against limits, observed forces against
//! thresholds), its findings table and the records it cites, and the dashboard's pages, in
//! English or Russian from the message files.
#![deny(missing_docs)]
#![deny(unsafe_code)]

pub mod charts;
pub mod dashboard;
pub mod html;

pub use charts::ChartError;
pub use html::{ReportInput, render_html};
