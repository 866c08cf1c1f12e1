//! How much the command line prints and whether it colours it: `-q`, `-v`, `--color` and
//! `NO_COLOR`, set once from the global flags and read by every command.

use std::io::IsTerminal as _;
use std::sync::OnceLock;

/// When to colour what accord prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On terminals, unless the `NO_COLOR` environment variable is set and not empty.
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// How much accord prints beside its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Results and errors only (`-q`).
    Quiet,
    /// Results, warnings (a few of each kind) and summaries.
    Normal,
    /// Everything, every warning included (`-v`).
    Verbose,
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    color_stdout: bool,
    color_stderr: bool,
    verbosity: Verbosity,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Whether colour is on for a stream, given the choice, `NO_COLOR` and whether it is a terminal.
pub fn color_enabled(choice: ColorChoice, no_color: Option<&str>, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && no_color.is_none_or(str::is_empty),
    }
}

/// Records the global flags; called once, before any command runs.
pub fn init(choice: ColorChoice, quiet: bool, verbose: u8) {
    let no_color = std::env::var("NO_COLOR").ok();
    let verbosity = if quiet {
        Verbosity::Quiet
    } else if verbose > 0 {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let _ = SETTINGS.set(Settings {
        color_stdout: color_enabled(choice, no_color.as_deref(), std::io::stdout().is_terminal()),
        color_stderr: color_enabled(choice, no_color.as_deref(), std::io::stderr().is_terminal()),
        verbosity,
    });
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or(Settings {
        color_stdout: false,
        color_stderr: false,
        verbosity: Verbosity::Normal,
    })
}

/// How much to print.
pub fn verbosity() -> Verbosity {
    settings().verbosity
}

/// Whether standard output is coloured.
pub fn color_stdout() -> bool {
    settings().color_stdout
}

/// Text in a style (an ANSI SGR code such as `1;31`), when `on`.
pub fn paint(text: &str, sgr: &str, on: bool) -> String {
    if on {
        format!("\x1b[{sgr}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// The `error:` prefix of every error line, in bold red on colour terminals.
pub fn error_prefix() -> String {
    paint("error:", "1;31", settings().color_stderr)
}

/// The `warning:` prefix of every warning line, in bold yellow on colour terminals.
pub fn warning_prefix(on_stdout: bool) -> String {
    let s = settings();
    paint(
        "warning:",
        "1;33",
        if on_stdout {
            s.color_stdout
        } else {
            s.color_stderr
        },
    )
}

/// Colours the severity tags of rendered findings (`[violation]`, `[concern]`) when standard
/// output is coloured.
pub fn paint_severities(text: &str) -> String {
    if !color_stdout() {
        return text.to_owned();
    }
    text.replace("[violation]", &paint("[violation]", "1;31", true))
        .replace("[concern]", &paint("[concern]", "33", true))
        .replace("[compliant]", &paint("[compliant]", "32", true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_choice_no_color_and_the_terminal() {
        assert!(color_enabled(ColorChoice::Auto, None, true));
        assert!(!color_enabled(ColorChoice::Auto, None, false));
        assert!(!color_enabled(ColorChoice::Auto, Some("1"), true));
        assert!(color_enabled(ColorChoice::Auto, Some(""), true));
        assert!(color_enabled(ColorChoice::Always, Some("1"), false));
        assert!(!color_enabled(ColorChoice::Never, None, true));
        assert_eq!(paint("x", "1", false), "x");
        assert_eq!(paint("x", "1", true), "\x1b[1mx\x1b[0m");
    }
}
