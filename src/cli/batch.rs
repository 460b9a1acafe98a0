//! Batch files for `jit approve --from-file` and `jit reimage-fix ... --from-file`.
//!
//! Pure parsing, no I/O. A file is either one item per line, or for decisions a CSV with the
//! header `id,decision,reason` (any order, `decision` and `reason` optional). A UTF-8
//! byte-order mark, CRLF line endings, blank lines, `#` comment lines and spaces around
//! values are accepted; anything else that is not understood (a bad id, an unknown or
//! missing column, a duplicate) refuses the whole file with its line number, because a line
//! skipped silently is a decision nobody made.

use std::collections::HashMap;

use uuid::Uuid;

use crate::api::Decision;

/// Why a batch file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct BatchError {
    pub line: usize,
    pub message: String,
}

fn refuse(line: usize, message: impl Into<String>) -> BatchError {
    BatchError { line, message: message.into() }
}

/// One decision read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionLine {
    pub line: usize,
    pub id: Uuid,
    /// `None` when the file does not say: the command's own decision applies.
    pub decision: Option<Decision>,
    pub reason: Option<String>,
}

/// One device read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceLine {
    pub line: usize,
    pub device: String,
}

/// The lines that carry content, numbered from 1, without BOM, line ending or outer spaces.
fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end_matches('\r').trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

const DECISION_COLUMNS: [&str; 3] = ["id", "decision", "reason"];

/// Parses request ids, one per line, or a CSV with the header `id,decision,reason`.
pub fn parse_decisions(text: &str) -> Result<Vec<DecisionLine>, BatchError> {
    let mut lines = content_lines(text).peekable();
    let Some(&(first_line, first)) = lines.peek() else {
        return Err(refuse(1, "the file names no requests"));
    };
    let header_fields = split_csv(first).map_err(|m| refuse(first_line, m))?;
    let looks_like_header = header_fields.iter().any(|f| f.eq_ignore_ascii_case("id"))
        || (first.contains(',') && Uuid::parse_str(header_fields[0].trim()).is_err());

    let items = if looks_like_header {
        lines.next();
        let columns = decision_columns(first_line, &header_fields)?;
        let mut items = Vec::new();
        for (line, text) in lines {
            items.push(decision_row(line, text, &columns)?);
        }
        items
    } else {
        lines
            .map(|(line, text)| {
                if text.contains(',') {
                    return Err(refuse(
                        line,
                        "a comma, but the file has no CSV header; start it with \
                         `id,decision,reason`",
                    ));
                }
                Ok(DecisionLine { line, id: parse_id(line, text)?, decision: None, reason: None })
            })
            .collect::<Result<_, _>>()?
    };

    if items.is_empty() {
        return Err(refuse(first_line, "the file names no requests, only a header"));
    }
    refuse_duplicates(items.iter().map(|i| (i.line, i.id.to_string())))?;
    Ok(items)
}

/// Where each known column sits in the header.
fn decision_columns(
    line: usize,
    header: &[String],
) -> Result<HashMap<&'static str, usize>, BatchError> {
    let mut columns = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        let Some(known) = DECISION_COLUMNS.iter().find(|c| **c == name) else {
            return Err(refuse(
                line,
                format!("unknown column `{name}`: the columns are id, decision, reason"),
            ));
        };
        if columns.insert(*known, index).is_some() {
            return Err(refuse(line, format!("column `{name}` appears twice")));
        }
    }
    if !columns.contains_key("id") {
        return Err(refuse(line, "the header has no `id` column"));
    }
    Ok(columns)
}

fn decision_row(
    line: usize,
    text: &str,
    columns: &HashMap<&'static str, usize>,
) -> Result<DecisionLine, BatchError> {
    let fields = split_csv(text).map_err(|m| refuse(line, m))?;
    if fields.len() != columns.len() {
        return Err(refuse(
            line,
            format!("{} fields, but the header has {} columns", fields.len(), columns.len()),
        ));
    }
    let field = |name| columns.get(name).map(|&i| fields[i].trim()).filter(|f| !f.is_empty());
    let id = parse_id(line, field("id").unwrap_or_default())?;
    let decision = match field("decision").map(str::to_ascii_lowercase).as_deref() {
        None => None,
        Some("approve" | "approved") => Some(Decision::Approve),
        Some("deny" | "denied") => Some(Decision::Deny),
        Some(other) => {
            return Err(refuse(line, format!("unknown decision `{other}`: use approve or deny")));
        }
    };
    Ok(DecisionLine { line, id, decision, reason: field("reason").map(str::to_string) })
}

fn parse_id(line: usize, text: &str) -> Result<Uuid, BatchError> {
    Uuid::parse_str(text.trim())
        .map_err(|_| refuse(line, format!("`{}` is not a request id", text.trim())))
}

/// Parses device names, one per line, with an optional header line `device`.
pub fn parse_devices(text: &str) -> Result<Vec<DeviceLine>, BatchError> {
    let mut items = Vec::new();
    let mut first = true;
    for (line, text) in content_lines(text) {
        if std::mem::take(&mut first) && text.eq_ignore_ascii_case("device") {
            continue;
        }
        if text.contains(',') {
            return Err(refuse(
                line,
                "a comma: the file takes one device name per line, under an optional header \
                 `device`",
            ));
        }
        if text.chars().any(char::is_control) {
            return Err(refuse(line, "a control character in the device name"));
        }
        items.push(DeviceLine { line, device: text.to_string() });
    }
    if items.is_empty() {
        return Err(refuse(1, "the file names no devices"));
    }
    refuse_duplicates(items.iter().map(|d| (d.line, d.device.to_lowercase())))?;
    Ok(items)
}

fn refuse_duplicates(keys: impl Iterator<Item = (usize, String)>) -> Result<(), BatchError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, key) in keys {
        if let Some(first) = seen.insert(key.clone(), line) {
            return Err(refuse(line, format!("`{key}` already appears on line {first}")));
        }
    }
    Ok(())
}

/// Splits one CSV record: commas separate fields, double quotes enclose a field that holds
/// commas, and `""` inside quotes is a quote.
fn split_csv(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            (',', false) => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".to_string());
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0b6a7c43-6f36-4a57-9d1e-8d3a4a4f2d10";
    const B: &str = "5f0c2d1e-2b7a-4c1e-8f3e-1a2b3c4d5e6f";

    #[test]
    fn ids_one_per_line_with_bom_crlf_blank_lines_and_spaces() {
        let text = format!("\u{feff}{A}  \r\n\r\n  # a comment\r\n{B}\r\n");
        let items = parse_decisions(&text).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].id.to_string(), A);
        assert_eq!(items[1].line, 4);
        assert_eq!(items[1].decision, None);
    }

    #[test]
    fn csv_with_decisions_and_quoted_reasons() {
        let text = format!(
            "id,decision,reason\n{A},approve,\n{B},deny,\"not needed, use the catalogue\"\n"
        );
        let items = parse_decisions(&text).unwrap();
        assert_eq!(items[0].decision, Some(Decision::Approve));
        assert_eq!(items[0].reason, None);
        assert_eq!(items[1].decision, Some(Decision::Deny));
        assert_eq!(items[1].reason.as_deref(), Some("not needed, use the catalogue"));
    }

    #[test]
    fn csv_columns_may_come_in_any_order_and_be_left_out() {
        let text = format!("Decision,ID\r\ndeny,{A}\r\n");
        let items = parse_decisions(&text).unwrap();
        assert_eq!(items[0].decision, Some(Decision::Deny));
        let items = parse_decisions(&format!("id\n{A}\n")).unwrap();
        assert_eq!(items[0].id.to_string(), A);
    }

    #[test]
    fn an_unknown_column_is_refused_with_the_line() {
        let err =
            parse_decisions(&format!("\n# ids\nid,decision,note\n{A},approve,x\n")).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("note"), "{err}");
    }

    #[test]
    fn a_missing_id_column_is_refused() {
        let err = parse_decisions("decision,reason\napprove,ok\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.contains("`id`"), "{err}");
    }

    #[test]
    fn a_row_with_a_missing_field_is_refused_with_its_line() {
        let err = parse_decisions(&format!("id,decision,reason\n{A},approve,ok\n{B},deny\n"))
            .unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn duplicates_are_refused_naming_both_lines() {
        let err = parse_decisions(&format!("{A}\n{B}\n{A}\n")).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("line 1"), "{err}");
    }

    #[test]
    fn a_bad_id_or_decision_is_refused_with_its_line() {
        assert_eq!(parse_decisions(&format!("{A}\nnot-an-id\n")).unwrap_err().line, 2);
        let err = parse_decisions(&format!("id,decision\n{A},maybe\n")).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("maybe"));
    }

    #[test]
    fn commas_without_a_header_are_refused() {
        let err = parse_decisions(&format!("{A},approve\n")).unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn an_empty_file_or_a_lone_header_is_refused() {
        assert!(parse_decisions("").is_err());
        assert!(parse_decisions("\u{feff}\r\n\r\n").is_err());
        assert!(parse_decisions("id,decision,reason\n").is_err());
    }

    #[test]
    fn an_unclosed_quote_is_refused() {
        let err = parse_decisions(&format!("id,reason\n{A},\"oops\n")).unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn devices_one_per_line_with_an_optional_header() {
        let items = parse_devices("\u{feff}device\r\nLAB-PC1 \r\n\r\nward-7-pc03\r\n").unwrap();
        let names: Vec<_> = items.iter().map(|d| d.device.as_str()).collect();
        assert_eq!(names, ["LAB-PC1", "ward-7-pc03"]);
        assert_eq!(items[1].line, 4);
    }

    #[test]
    fn duplicate_devices_differing_in_case_are_refused() {
        let err = parse_devices("LAB-PC1\nlab-pc1\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn device_files_with_columns_are_refused() {
        assert_eq!(parse_devices("device,reason\nA,b\n").unwrap_err().line, 1);
        assert!(parse_devices("").is_err());
    }

    /// A bounded, seeded stand-in for the cargo-fuzz target in `fuzz/`, so `cargo test` keeps
    /// the parser's promises even where the fuzzer does not run: mutated files either parse
    /// into items with in-range lines and no duplicates, or are refused with an existing line.
    #[test]
    fn mutated_files_are_parsed_or_refused_by_line_and_never_panic() {
        use rand::{Rng, SeedableRng};
        let seeds = [
            format!("\u{feff}id,decision,reason\r\n{A},approve,\r\n{B},deny,\"a, b\"\r\n"),
            format!("{A}\n\n# c\n  {B}  \n"),
            "device\nLAB-PC1\nlab-pc2\n".to_string(),
        ];
        let alphabet: Vec<char> = ",\"\r\n #\u{feff}\u{0}aé-0fidecsonrv".chars().collect();
        let mut rng = rand::rngs::StdRng::seed_from_u64(0x6a69_7462);
        for _ in 0..20_000 {
            let mut chars: Vec<char> = seeds[rng.gen_range(0..seeds.len())].chars().collect();
            for _ in 0..rng.gen_range(1..6) {
                let at = rng.gen_range(0..=chars.len());
                match rng.gen_range(0..3) {
                    0 => chars.insert(at, alphabet[rng.gen_range(0..alphabet.len())]),
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    _ => chars.truncate(at),
                }
            }
            let text: String = chars.into_iter().collect();
            let lines = text.split('\n').count();
            match parse_decisions(&text) {
                Ok(items) => {
                    let ids: std::collections::HashSet<_> = items.iter().map(|i| i.id).collect();
                    assert_eq!(ids.len(), items.len(), "{text:?}");
                    assert!(items.iter().all(|i| (1..=lines).contains(&i.line)), "{text:?}");
                }
                Err(e) => assert!((1..=lines).contains(&e.line), "{text:?}: {e}"),
            }
            match parse_devices(&text) {
                Ok(items) => assert!(items.iter().all(|d| !d.device.contains(',')), "{text:?}"),
                Err(e) => assert!((1..=lines).contains(&e.line), "{text:?}: {e}"),
            }
        }
    }
}
