//! A library's assets in and out as CSV: the columns both ways, reading a file, and
//! the import, previewed first and then written all or nothing.
//!
//! Invariants: a file is read whole before anything is decided; a file that is not a
//! CSV of [`COLUMNS`] (not UTF-8, too large, a quote left open, other columns) is refused
//! as a whole with one message on the `csv` field; a row that names an asset the
//! library (or an earlier row) already has is skipped; a row with a bad value is
//! rejected with its line and reason, and while any row is rejected nothing is written.

use super::assets::parse_asset;
use super::{AssetInput, assets_count, library_ref, same_name};
use crate::actor::Actor;
use crate::error::{UseCaseError, UseCaseResult, ValidationErrors};
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{AssetKind, AssetSpec, AuditAction, LibraryId};

/// The columns of a library's CSV, in order: export writes them, import wants them
/// (in any order, any case; no others).
pub const COLUMNS: [&str; 7] = ["name", "kind", "category", "description", "default_quantity", "unique", "public"];

/// The largest file an import reads.
pub const MAX_BYTES: usize = 256 * 1024;

/// The field a bad file's message is shown beside.
const FIELD: &str = "csv";

/// What importing a file would do, row by row (lines counted from 1, the header being 1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPreview {
    /// The assets it would add, with their lines.
    pub to_add: Vec<(usize, AssetSpec)>,
    /// Rows it would skip: line, name and why.
    pub skipped: Vec<(usize, String, &'static str)>,
    /// Rows it cannot take: line and why.
    pub rejected: Vec<(usize, String)>,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// What importing `file` into `library` would do. Changes nothing.
    /// # Errors
    /// `Forbidden` for the public; `NotFound("library")`; `Invalid` on `csv` when the
    /// file is not a CSV of [`COLUMNS`].
    pub async fn preview_asset_import(
        &self,
        actor: &Actor,
        library: LibraryId,
        file: &[u8],
    ) -> UseCaseResult<ImportPreview> {
        actor.staff()?;
        let rows = read(file).map_err(|message| UseCaseError::Invalid(ValidationErrors::single(FIELD, message)))?;
        self.library_or_404(library).await?;
        let existing = self.store.assets(library).await?;
        let mut preview = ImportPreview::default();
        for (line, row) in rows {
            match parse_row(&row) {
                Err(reason) => preview.rejected.push((line, reason)),
                Ok(spec) => {
                    let name = spec.name().to_string();
                    if existing.iter().any(|a| same_name(a.spec.name(), &name)) {
                        preview.skipped.push((line, name, "the library has an asset of that name"));
                    } else if preview.to_add.iter().any(|(_, s)| same_name(s.name(), &name)) {
                        preview.skipped.push((line, name, "an earlier row has that name"));
                    } else {
                        preview.to_add.push((line, spec));
                    }
                }
            }
        }
        Ok(preview)
    }

    /// Imports `file` into `library` as previewed: every row to add, in one write, or
    /// none. Returns the preview it carried out; when nothing is to be added, nothing is
    /// written and no audit entry is left.
    /// # Errors
    /// As [`Self::preview_asset_import`]; `Invalid` on `csv` while a row is rejected.
    pub async fn import_assets(&self, actor: &Actor, library: LibraryId, file: &[u8]) -> UseCaseResult<ImportPreview> {
        let staff = actor.staff()?;
        let preview = self.preview_asset_import(actor, library, file).await?;
        if let Some((line, _)) = preview.rejected.first() {
            let message = format!(
                "{} cannot be imported (the first on line {line}): correct the file and preview it again",
                rows_count(preview.rejected.len())
            );
            return Err(UseCaseError::Invalid(ValidationErrors::single(FIELD, message)));
        }
        if preview.to_add.is_empty() {
            return Ok(preview);
        }
        let specs: Vec<AssetSpec> = preview.to_add.iter().map(|(_, spec)| spec.clone()).collect();
        let details = format!("imported {} from CSV", assets_count(specs.len() as u64));
        let audit = self.audit(staff, AuditAction::AssetsImported, None, library_ref(library), details);
        self.store.copy_assets(library, &specs, &audit).await?;
        Ok(preview)
    }
}

/// "1 row", "3 rows".
fn rows_count(n: usize) -> String {
    if n == 1 { "1 row".to_owned() } else { format!("{n} rows") }
}

/// The rows of `file` with their lines, each as the [`COLUMNS`] in order; or why the
/// file is not a CSV of them.
fn read(file: &[u8]) -> Result<Vec<(usize, [String; 7])>, String> {
    if file.len() > MAX_BYTES {
        return Err(format!("the file is larger than {} KB: split it in parts", MAX_BYTES / 1024));
    }
    let text = std::str::from_utf8(file).map_err(|e| {
        format!("the file is not UTF-8 text (at byte {}): save it as \"CSV UTF-8\" and try again", e.valid_up_to())
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = records(text)?.into_iter().filter(|(_, fields)| fields.iter().any(|f| !f.trim().is_empty()));
    let Some((_, header)) = records.next() else {
        return Err(format!("the file is empty: its first line must name the columns {}", COLUMNS.join(", ")));
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut order = [0usize; 7];
    for (slot, column) in order.iter_mut().zip(COLUMNS) {
        *slot = header.iter().position(|h| h == column).ok_or_else(|| {
            format!("the first line has no column \"{column}\": it must name the columns {}", COLUMNS.join(", "))
        })?;
    }
    if let Some(stranger) = header.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(format!("the first line names a column \"{stranger}\" that is not one of {}", COLUMNS.join(", ")));
    }
    let mut rows = Vec::new();
    for (line, fields) in records {
        if fields.len() != header.len() {
            return Err(format!("line {line} has {} fields where the first line has {}", fields.len(), header.len()));
        }
        rows.push((line, order.map(|i| fields[i].clone())));
    }
    Ok(rows)
}

/// RFC 4180 records of `text` with the line each starts on: fields separated by commas,
/// records by CRLF or LF, a field in double quotes may hold commas, line breaks and
/// doubled quotes.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let (mut line, mut start) = (1, 1);
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                fields.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("a quoted field opened on line {start} is never closed"));
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((start, fields));
    }
    Ok(records)
}

/// One row as an asset, or why it cannot be one ("kind: must be one of …").
fn parse_row(row: &[String; 7]) -> Result<AssetSpec, String> {
    let [name, kind, category, description, quantity, unique, public] = row;
    let flag = |column: &str, value: &str, empty: bool| match value.trim().to_lowercase().as_str() {
        "" => Ok(empty),
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        other => Err(format!("{column}: \"{other}\" is not one of true, false, yes, no, 1, 0")),
    };
    let unique = flag("unique", unique, false)?;
    let public = flag("public", public, true)?;
    let kind = AssetKind::parse_legacy(kind).map_or_else(|_| kind.clone(), |k| k.as_str().to_owned());
    let input = AssetInput {
        name: undefused(name),
        kind,
        category: undefused(category),
        description: undefused(description),
        default_quantity: quantity.clone(),
        unique,
        public,
        idempotency_key: None,
    };
    parse_asset(&input).map(|parsed| parsed.spec).map_err(|e| match e {
        UseCaseError::Invalid(errors) => {
            errors.fields().iter().map(|f| format!("{}: {}", f.path, f.message)).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    })
}

/// A text cell as it was before an export guarded it against spreadsheet formulas
/// (which prefixes `'` to a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return), so that a library exported and imported again keeps its names.
fn undefused(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_follow_rfc_4180_and_remember_their_lines() {
        let text = "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,";
        let got = records(text).expect("records");
        assert_eq!(
            got,
            [
                (1, vec!["a".to_owned(), "b".to_owned()]),
                (2, vec!["x, y".to_owned(), "say \"hi\"".to_owned()]),
                (3, vec!["two\nlines".to_owned(), "z".to_owned()]),
                (5, vec!["last".to_owned(), String::new()]),
            ]
        );
        assert_eq!(records("a,\"open\nb").unwrap_err(), "a quoted field opened on line 1 is never closed");
    }

    #[test]
    fn a_file_is_refused_whole_when_it_is_not_a_csv_of_the_columns() {
        let header = COLUMNS.join(",");
        let cases: [(Vec<u8>, &str); 6] = [
            (vec![b'a'; MAX_BYTES + 1], "larger than 256 KB"),
            (b"name,kind\xff".to_vec(), "not UTF-8 text (at byte 9)"),
            (b"\n \n".to_vec(), "the file is empty"),
            (b"name,kind,category".to_vec(), "no column \"description\""),
            (format!("{header},colour").into_bytes(), "a column \"colour\""),
            (format!("{header}\nTank,Vehicle").into_bytes(), "line 2 has 2 fields where the first line has 7"),
        ];
        for (file, expected) in cases {
            let message = read(&file).expect_err(expected);
            assert!(message.contains(expected), "{message} should say {expected}");
        }
    }

    #[test]
    fn columns_may_come_in_any_order_and_case_after_a_byte_order_mark() {
        let file = "\u{feff}Public,UNIQUE,default_quantity,description,category,kind,name\r\nno,yes,1,Command,HQ,Vehicle,Mobile HQ\r\n";
        let rows = read(file.as_bytes()).expect("rows");
        assert_eq!(rows.len(), 1);
        let (line, row) = &rows[0];
        assert_eq!(*line, 2);
        assert_eq!(row[0], "Mobile HQ");
        let spec = parse_row(row).expect("an asset");
        assert!(spec.is_unique() && !spec.is_public());
        assert_eq!(spec.kind(), AssetKind::Vehicle);
    }

    #[test]
    fn the_exports_formula_guard_is_undone_and_nothing_else() {
        assert_eq!(undefused("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(undefused("'-2 crates"), "-2 crates");
        assert_eq!(undefused("'quoted'"), "'quoted'");
        assert_eq!(undefused("plain"), "plain");
    }

    #[test]
    fn a_row_says_what_is_wrong_with_it() {
        let row = |kind: &str, quantity: &str, unique: &str| {
            ["Tank".into(), kind.into(), String::new(), String::new(), quantity.into(), unique.into(), String::new()]
        };
        assert_eq!(parse_row(&row("Supplies", "3", "")).map(|s| s.kind()), Ok(AssetKind::Supply), "the old name");
        assert!(parse_row(&row("Spaceship", "3", "")).unwrap_err().starts_with("kind: must be one of"));
        assert!(parse_row(&row("Vehicle", "three", "")).unwrap_err().starts_with("default_quantity:"));
        assert!(parse_row(&row("Vehicle", "2", "yes")).unwrap_err().starts_with("default_quantity:"), "unique, 2");
        assert_eq!(
            parse_row(&row("Vehicle", "2", "maybe")).unwrap_err(),
            "unique: \"maybe\" is not one of true, false, yes, no, 1, 0"
        );
    }

    mod use_cases {
        use super::super::*;
        use crate::ports::LibraryRepo;
        use crate::testing::{anonymous, audit_actions, fixture, seed_library};

        const HEADER: &str = "name,kind,category,description,default_quantity,unique,public";

        #[tokio::test]
        async fn a_preview_sorts_rows_into_added_skipped_and_rejected_and_writes_nothing() {
            let f = fixture().await;
            let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
            let file = format!(
                "{HEADER}\nSlammer,Vehicle,Tank,,4,no,yes\nhunter,Vehicle,,,2,,\nSLAMMER,Vehicle,,,1,,\n\
                 Drone,Spaceship,,,1,,\nMedkit,Medical,,,10,,\n"
            );
            let before = audit_actions(&f.t);
            let preview = f.t.preview_asset_import(&f.manager, nato, file.as_bytes()).await.expect("a preview");
            let added: Vec<(usize, String)> = preview.to_add.iter().map(|(l, s)| (*l, s.name().to_string())).collect();
            assert_eq!(added, [(2, "Slammer".to_owned()), (6, "Medkit".to_owned())]);
            let skipped: Vec<(usize, &str)> = preview.skipped.iter().map(|(l, n, _)| (*l, n.as_str())).collect();
            assert_eq!(skipped, [(3, "hunter"), (4, "SLAMMER")], "names compare case-insensitively");
            assert_eq!(preview.rejected.len(), 1);
            assert_eq!(preview.rejected[0].0, 5);
            assert!(preview.rejected[0].1.starts_with("kind: must be one of"), "{:?}", preview.rejected);
            assert_eq!(audit_actions(&f.t), before, "a preview writes nothing");
            assert_eq!(f.t.store().assets(nato).await.expect("assets").len(), 1);

            let refused = f.t.import_assets(&f.manager, nato, file.as_bytes()).await;
            let Err(UseCaseError::Invalid(errors)) = refused else { panic!("refused: {refused:?}") };
            assert_eq!(
                errors.message_for("csv"),
                Some("1 row cannot be imported (the first on line 5): correct the file and preview it again")
            );
            assert_eq!(f.t.store().assets(nato).await.expect("assets").len(), 1, "all or nothing");
        }

        #[tokio::test]
        async fn an_import_adds_every_new_row_in_one_audited_write() {
            let f = fixture().await;
            let (nato, _) = seed_library(&f.t, "NATO", &[("Hunter", AssetKind::Vehicle, 4, false)]).await;
            let file =
                format!("{HEADER}\nSlammer,Vehicle,Tank,,4,,\nHunter,Vehicle,,,2,,\nRadio,Communication,,,3,,no\n");
            let done = f.t.import_assets(&f.admin, nato, file.as_bytes()).await.expect("imported");
            assert_eq!((done.to_add.len(), done.skipped.len()), (2, 1));
            let assets = f.t.store().assets(nato).await.expect("assets");
            let names: Vec<String> = assets.iter().map(|a| a.spec.name().to_string()).collect();
            assert_eq!(names, ["Hunter", "Slammer", "Radio"]);
            assert!(!assets[2].spec.is_public());
            assert_eq!(audit_actions(&f.t).last(), Some(&AuditAction::AssetsImported));
            let again = f.t.import_assets(&f.admin, nato, file.as_bytes()).await.expect("nothing new");
            assert!(again.to_add.is_empty());
            assert_eq!(audit_actions(&f.t).iter().filter(|a| **a == AuditAction::AssetsImported).count(), 1);
            let missing = f.t.preview_asset_import(&f.admin, LibraryId::new(999), file.as_bytes()).await;
            assert!(matches!(missing, Err(UseCaseError::NotFound("library"))));
            let public = f.t.preview_asset_import(&anonymous(), nato, file.as_bytes()).await;
            assert!(matches!(public, Err(UseCaseError::Forbidden)));
        }
    }
}
