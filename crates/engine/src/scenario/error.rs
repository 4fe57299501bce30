//! Scenario diagnostics: every problem names the file, line and column, the offending value, the
//! allowed range and a hint.
use std::fmt;
use std::ops::Range;

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// File name as given by the user (or `<built-in>`).
    pub file: String,
    /// 1-based line of the offending text.
    pub line: usize,
    /// 1-based column (in characters) of the offending text.
    pub column: usize,
    /// What is wrong, naming the key and the offending value.
    pub message: String,
    /// What would have been accepted (a range, a list of names), if that applies.
    pub allowed: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
    /// The source line, for display.
    pub source_line: String,
    /// Length of the offending text on that line, for the caret underline.
    pub width: usize,
}

/// All problems found in a scenario file (at least one).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ScenarioError {
    /// The problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "error: {}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        if !self.source_line.is_empty() {
            let gutter = format!("{}", self.line).len();
            writeln!(f, "{:>gutter$} |", "")?;
            writeln!(f, "{} | {}", self.line, self.source_line)?;
            writeln!(
                f,
                "{:>gutter$} | {}{}",
                "",
                " ".repeat(self.column.saturating_sub(1)),
                "^".repeat(self.width.max(1))
            )?;
        }
        if let Some(allowed) = &self.allowed {
            writeln!(f, "  allowed: {allowed}")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  hint: {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.diagnostics.len() > 1 {
            writeln!(f, "\n{} problems found", self.diagnostics.len())?;
        }
        Ok(())
    }
}

/// Collects diagnostics against one source text.
pub(crate) struct Reporter<'a> {
    file: &'a str,
    source: &'a str,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(file: &'a str, source: &'a str) -> Self {
        Reporter {
            file,
            source,
            diagnostics: Vec::new(),
        }
    }

    /// Records a problem at byte range `span` of the source.
    pub(crate) fn error(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        allowed: Option<String>,
        hint: Option<String>,
    ) {
        let start = span.start.min(self.source.len());
        let end = span.end.clamp(start, self.source.len());
        let line_start = self.source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.source[start..]
            .find('\n')
            .map_or(self.source.len(), |i| start + i);
        let line = self.source[..start].matches('\n').count() + 1;
        let column = self.source[line_start..start].chars().count() + 1;
        let width = self.source[start..end.min(line_end)].chars().count();
        self.diagnostics.push(Diagnostic {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
            allowed,
            hint,
            source_line: self.source[line_start..line_end].trim_end().to_string(),
            width,
        });
    }

    pub(crate) fn finish(mut self) -> Result<(), ScenarioError> {
        if self.diagnostics.is_empty() {
            Ok(())
        } else {
            self.diagnostics.sort_by_key(|d| (d.line, d.column));
            Err(ScenarioError {
                diagnostics: self.diagnostics,
            })
        }
    }
}

/// Formats a number the way a user would type it.
pub(crate) fn show(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e7 || v.abs() < 1e-3) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}
