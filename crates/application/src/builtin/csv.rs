//! A small CSV reader for the embedded catalogue (RFC 4180 without the options): fields
//! separated by commas, records by `\n` or `\r\n`; a field may be quoted, and a quoted
//! field may hold commas, line breaks and doubled quotes (`""` for `"`).
//!
//! Invariant: every record carries the line it starts on, so an error in the data names
//! the line to fix; malformed quoting is an error, never guessed at. Blank lines are
//! skipped.

/// One record of a CSV text: its fields, unquoted, and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    /// The line (from 1) on which the record starts.
    pub line: usize,
    /// The fields, with quotes removed and doubled quotes undoubled.
    pub fields: Vec<String>,
}

/// Why a CSV text cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum CsvError {
    /// A quoted field has no closing quote.
    #[error("line {line}: a quoted field is never closed")]
    Unterminated {
        /// The line on which the quoted field starts.
        line: usize,
    },
    /// A quote inside an unquoted field.
    #[error("line {line}: a quote inside an unquoted field (quote the whole field and double the quote)")]
    StrayQuote {
        /// The line of the quote.
        line: usize,
    },
    /// Text between a closing quote and the next comma or line end.
    #[error("line {line}: text after a closing quote")]
    TextAfterQuote {
        /// The line of the closing quote.
        line: usize,
    },
}

impl CsvError {
    /// The line the error is on.
    pub(super) fn line(&self) -> usize {
        match *self {
            CsvError::Unterminated { line } | CsvError::StrayQuote { line } | CsvError::TextAfterQuote { line } => line,
        }
    }
}

/// Splits `text` into records. A leading byte-order mark is ignored.
pub(super) fn records(text: &str) -> Result<Vec<Record>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader { chars: text.chars().peekable(), line: 1 };
    let mut records = Vec::new();
    while let Some(record) = reader.record()? {
        let blank = record.fields.len() == 1 && record.fields[0].is_empty();
        if !blank {
            records.push(record);
        }
    }
    Ok(records)
}

struct Reader<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
}

impl Reader<'_> {
    /// The next record, or `None` at the end of the text.
    fn record(&mut self) -> Result<Option<Record>, CsvError> {
        if self.chars.peek().is_none() {
            return Ok(None);
        }
        let line = self.line;
        let mut fields = Vec::new();
        loop {
            fields.push(self.field()?);
            match self.chars.next() {
                Some(',') => continue,
                Some('\r') => {
                    // `field` stops at `\r` only before `\n`.
                    self.chars.next();
                    self.line += 1;
                    break;
                }
                Some('\n') => {
                    self.line += 1;
                    break;
                }
                // `field` stops only at a separator or at the end of the text.
                _ => break,
            }
        }
        Ok(Some(Record { line, fields }))
    }

    /// One field, leaving the separator after it unread.
    fn field(&mut self) -> Result<String, CsvError> {
        if self.chars.peek() == Some(&'"') {
            self.chars.next();
            return self.quoted();
        }
        let mut field = String::new();
        while let Some(&c) = self.chars.peek() {
            match c {
                ',' | '\n' => break,
                '\r' if self.at_crlf() => break,
                '"' => return Err(CsvError::StrayQuote { line: self.line }),
                _ => {
                    field.push(c);
                    self.chars.next();
                }
            }
        }
        Ok(field)
    }

    /// The rest of a quoted field, after its opening quote.
    fn quoted(&mut self) -> Result<String, CsvError> {
        let start = self.line;
        let mut field = String::new();
        loop {
            match self.chars.next() {
                None => return Err(CsvError::Unterminated { line: start }),
                Some('"') if self.chars.peek() == Some(&'"') => {
                    self.chars.next();
                    field.push('"');
                }
                Some('"') => break,
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    field.push(c);
                }
            }
        }
        match self.chars.peek().copied() {
            None | Some(',' | '\n') => Ok(field),
            Some('\r') if self.at_crlf() => Ok(field),
            Some(_) => Err(CsvError::TextAfterQuote { line: self.line }),
        }
    }

    /// Whether the next two characters are `\r\n`.
    fn at_crlf(&self) -> bool {
        let mut ahead = self.chars.clone();
        ahead.next() == Some('\r') && ahead.next() == Some('\n')
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text made mostly of the characters that matter to a CSV reader.
    fn csv_text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[a,\"\r\n ]{0,200}"]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn any_text_is_read_or_refused_with_a_line_never_a_panic(text in csv_text()) {
            match records(&text) {
                Ok(rows) => prop_assert!(rows.len() <= text.len() + 1),
                Err(e) => prop_assert!(e.line() >= 1 && e.line() <= text.lines().count() + 1, "{e}"),
            }
        }
    }
}
