//! The one output layer: data to stdout as a table, JSON or CSV; messages, warnings, hints,
//! errors and progress to stderr. Colour only on a terminal and never with `NO_COLOR`.

use std::io::Write;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use super::error::{CommandError, ErrorKind};
use super::time;
use crate::client::config::OutputFormat;
use crate::client::http::Logger;

/// A shared stderr, so the HTTP client's `-v` lines and the UI interleave correctly.
pub type SharedWriter = Arc<Mutex<Box<dyn Write + Send>>>;

/// One value of a table row: what people see, and what CSV carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub human: String,
    pub raw: String,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        Cell { human: if s.is_empty() { time::ABSENT.into() } else { s.clone() }, raw: s }
    }

    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        match s {
            Some(s) => Cell::text(s),
            None => Cell { human: time::ABSENT.into(), raw: String::new() },
        }
    }

    /// A time with its distance from `now`; CSV gets RFC 3339 UTC.
    pub fn time(t: Option<DateTime<Utc>>, now: DateTime<Utc>, utc: bool) -> Cell {
        Cell {
            human: time::format_time_relative(t, now, utc),
            raw: t
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
        }
    }
}

/// How the output looks, decided once per invocation.
#[derive(Debug, Clone)]
pub struct UiSettings {
    pub format: OutputFormat,
    pub color: bool,
    pub color_stderr: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub utc: bool,
    /// Terminal width for tables; `None` when stdout is not a terminal or reports 0.
    pub width: Option<u16>,
    pub stderr_is_terminal: bool,
}

pub struct Ui {
    out: Box<dyn Write + Send>,
    err: SharedWriter,
    pub settings: UiSettings,
}

impl std::fmt::Debug for Ui {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ui").field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl Ui {
    pub fn new(out: Box<dyn Write + Send>, err: Box<dyn Write + Send>, settings: UiSettings) -> Ui {
        Ui { out, err: Arc::new(Mutex::new(err)), settings }
    }

    pub fn format(&self) -> OutputFormat {
        self.settings.format
    }

    pub fn utc(&self) -> bool {
        self.settings.utc
    }

    // ----- stdout: data -----

    /// Writes data text to stdout.
    pub fn data(&mut self, text: &str) -> Result<(), CommandError> {
        self.out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            self.out.write_all(b"\n")?;
        }
        self.out.flush()?;
        Ok(())
    }

    /// Writes a value as pretty JSON to stdout.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CommandError> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CommandError::new(ErrorKind::General, e))?;
        self.data(&text)
    }

    /// Writes rows as a table or CSV, by the output format. JSON is the caller's job, since
    /// its shape is the API type and not the table.
    pub fn rows(&mut self, header: &[&str], rows: &[Vec<Cell>]) -> Result<(), CommandError> {
        match self.settings.format {
            OutputFormat::Csv => {
                let mut text = csv_record(header.iter().map(|h| h.to_lowercase()));
                for row in rows {
                    text.push_str(&csv_record(row.iter().map(|c| c.raw.clone())));
                }
                self.data(&text)
            }
            _ => {
                let text = self.render_table(header, rows);
                self.data(&text)
            }
        }
    }

    fn render_table(&self, header: &[&str], rows: &[Vec<Cell>]) -> String {
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        match self.settings.width {
            Some(width) => {
                table.set_content_arrangement(ContentArrangement::Dynamic).set_width(width);
            }
            None => {
                table.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        // Styling through comfy-table, not raw escapes, so column widths ignore them.
        table.force_no_tty();
        if self.settings.color {
            table.enforce_styling();
        }
        let header = header.iter().map(|h| {
            let cell = comfy_table::Cell::new(h.to_uppercase());
            if self.settings.color {
                cell.add_attribute(comfy_table::Attribute::Bold)
            } else {
                cell
            }
        });
        table.set_header(header);
        for row in rows {
            table.add_row(row.iter().map(|c| c.human.clone()));
        }
        // Two spaces between columns and none before the first, so the text starts flush.
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
        table.to_string().lines().map(|l| l.trim_end().to_string()).collect::<Vec<_>>().join("\n")
    }

    /// Writes `label: value` pairs for one object.
    pub fn fields(&mut self, pairs: &[(&str, String)]) -> Result<(), CommandError> {
        if self.settings.format == OutputFormat::Csv {
            let header: Vec<&str> = pairs.iter().map(|(k, _)| *k).collect();
            let row: Vec<Cell> = pairs.iter().map(|(_, v)| Cell::text(v.clone())).collect();
            return self.rows(&header, &[row]);
        }
        let width = pairs.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
        let mut text = String::new();
        for (key, value) in pairs {
            let value = if value.is_empty() { time::ABSENT } else { value };
            let label = format!("{key}:{:pad$}", "", pad = width - key.chars().count());
            text.push_str(&format!("{} {value}\n", self.bold(&label)));
        }
        self.data(&text)
    }

    /// A section title in table output.
    pub fn heading(&mut self, title: &str) -> Result<(), CommandError> {
        let text = self.bold(title);
        self.data(&text)
    }

    // ----- stderr: messages -----

    /// A message about what happened, for people; silenced by `-q`.
    pub fn status(&self, message: &str) {
        if !self.settings.quiet {
            self.to_stderr(message);
        }
    }

    pub fn warn(&self, message: &str) {
        let label = self.paint_err("Warning:", "33");
        self.to_stderr(&format!("{label} {message}"));
    }

    pub fn hint(&self, message: &str) {
        if !self.settings.quiet {
            let label = self.paint_err("Hint:", "36");
            self.to_stderr(&format!("{label} {message}"));
        }
    }

    /// Prints a failed command: `Error:`, the cause chain, and the hints.
    pub fn error(&self, err: &CommandError) {
        let mut text = format!("{} {}", self.paint_err("Error:", "1;31"), err.error);
        let causes: Vec<String> = err.error.chain().skip(1).map(|c| c.to_string()).collect();
        // Messages that already quote their cause would say it twice.
        let causes: Vec<&String> =
            causes.iter().filter(|c| !err.error.to_string().ends_with(c.as_str())).collect();
        if causes.len() == 1 {
            text.push_str(&format!("\nCaused by: {}", causes[0]));
        } else if !causes.is_empty() {
            text.push_str("\nCaused by:");
            for (i, cause) in causes.iter().enumerate() {
                text.push_str(&format!("\n  {}: {cause}", i + 1));
            }
        }
        for hint in &err.hints {
            text.push_str(&format!("\n{} {hint}", self.paint_err("Hint:", "36")));
        }
        self.to_stderr(&text);
    }

    /// A `-v` line; never carries a token, since the HTTP client never passes one.
    pub fn logger(&self) -> Option<Logger> {
        if self.settings.verbose == 0 {
            return None;
        }
        let err = self.err.clone();
        Some(Arc::new(move |line: &str| {
            if let Ok(mut w) = err.lock() {
                let _ = writeln!(w, "jit: {line}");
            }
        }))
    }

    fn to_stderr(&self, text: &str) {
        if let Ok(mut w) = self.err.lock() {
            // Nothing sensible is left to do when stderr itself is gone.
            let _ = writeln!(w, "{text}");
            let _ = w.flush();
        }
    }

    // ----- formatting -----

    pub fn time(&self, t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
        time::format_time_relative(t, now, self.settings.utc)
    }

    pub fn cell_time(&self, t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Cell {
        Cell::time(t, now, self.settings.utc)
    }

    fn bold(&self, s: &str) -> String {
        if self.settings.color { format!("\x1b[1m{s}\x1b[0m") } else { s.to_string() }
    }

    fn paint_err(&self, s: &str, code: &str) -> String {
        if self.settings.color_stderr { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }
}

/// One CSV record, quoting fields that need it.
fn csv_record(fields: impl Iterator<Item = String>) -> String {
    let fields: Vec<String> = fields
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f
            }
        })
        .collect();
    format!("{}\n", fields.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer tests can read back.
    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);

    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Buf {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn ui(format: OutputFormat, width: Option<u16>) -> (Ui, Buf, Buf) {
        let (out, err) = (Buf::default(), Buf::default());
        let settings = UiSettings {
            format,
            color: false,
            color_stderr: false,
            quiet: false,
            verbose: 0,
            utc: true,
            width,
            stderr_is_terminal: false,
        };
        (Ui::new(Box::new(out.clone()), Box::new(err.clone()), settings), out, err)
    }

    #[test]
    fn csv_quotes_fields_that_need_it_and_uses_raw_values() {
        let (mut ui, out, _) = ui(OutputFormat::Csv, None);
        let rows =
            vec![vec![Cell::text("a,b"), Cell::opt(None::<String>), Cell::text("say \"hi\"")]];
        ui.rows(&["One", "Two", "Three"], &rows).unwrap();
        assert_eq!(out.text(), "one,two,three\n\"a,b\",,\"say \"\"hi\"\"\"\n");
    }

    #[test]
    fn tables_show_a_dash_for_absent_values_and_fit_the_width() {
        let (mut ui, out, _) = ui(OutputFormat::Table, Some(30));
        let long = "a reason that is much longer than the terminal is wide".to_string();
        ui.rows(&["device", "reason"], &[vec![Cell::opt(None::<String>), Cell::text(long)]])
            .unwrap();
        let text = out.text();
        assert!(text.contains('—'), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 30), "{text}");
    }

    #[test]
    fn errors_print_the_cause_chain_and_hints_to_stderr() {
        let (ui, out, err) = ui(OutputFormat::Table, None);
        let e = CommandError::new(
            ErrorKind::General,
            anyhow::anyhow!("disk on fire").context("cannot save"),
        )
        .hint("call the fire brigade");
        ui.error(&e);
        assert_eq!(out.text(), "");
        assert_eq!(
            err.text(),
            "Error: cannot save\nCaused by: disk on fire\nHint: call the fire brigade\n"
        );
    }

    #[test]
    fn quiet_silences_status_but_not_warnings() {
        let (mut ui, _, err) = ui(OutputFormat::Table, None);
        ui.settings.quiet = true;
        ui.status("done");
        ui.warn("careful");
        assert_eq!(err.text(), "Warning: careful\n");
    }

    #[test]
    fn coloured_headers_keep_the_columns_aligned() {
        let (mut ui, out, _) = ui(OutputFormat::Table, Some(80));
        ui.settings.color = true;
        ui.rows(&["a", "b"], &[vec![Cell::text("long value"), Cell::text("x")]]).unwrap();
        let text = out.text();
        let plain: String = strip_ansi(&text);
        let lines: Vec<&str> = plain.lines().collect();
        assert_eq!(lines[0].find('B'), lines[1].find('x'), "{plain}");
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
