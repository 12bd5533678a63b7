//! Tests of the CSV reader, of the embedded catalogue, and of installing it.

use super::csv::{CsvError, Record, records};
use super::*;
use crate::ports::{LibraryRepo, LibrarySummary};
use crate::testing::{TestTracker, fixture, seed_library, tracker};

/// The fields of each record.
fn fields(text: &str) -> Vec<Vec<String>> {
    records(text).expect("valid CSV").into_iter().map(|r| r.fields).collect()
}

/// Owned strings.
fn row(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

const HEADER: &str = "library,name,kind,category,default_quantity,unique,public,class_name,source\n";

/// A catalogue of the header and `rows`.
fn catalogue(rows: &[&str]) -> String {
    format!("{HEADER}{}\n", rows.join("\n"))
}

/// The error a catalogue of `rows` is refused with, as (line, field).
fn refusal(rows: &[&str]) -> (usize, &'static str) {
    let error = parse_catalogue(&catalogue(rows)).expect_err("a malformed row is refused");
    (error.line, error.field)
}

const GOOD_ROW: &str = "NATO,Hunter,Vehicle,MRAP,6,false,true,B_MRAP_01_F,src";

#[test]
fn records_split_on_commas_and_line_breaks() {
    assert_eq!(fields("a,b,c\nd,e,f\n"), [row(&["a", "b", "c"]), row(&["d", "e", "f"])]);
}

#[test]
fn quoted_fields_keep_commas_line_breaks_and_doubled_quotes() {
    let text = "\"Offroad, covered\",\"the \"\"Hunter\"\"\",\"two\nlines\",plain\n";
    assert_eq!(fields(text), [row(&["Offroad, covered", "the \"Hunter\"", "two\nlines", "plain"])]);
}

#[test]
fn empty_fields_are_kept_whether_bare_or_quoted() {
    assert_eq!(fields("a,,c\n,\"\",\n"), [row(&["a", "", "c"]), row(&["", "", ""])]);
}

#[test]
fn crlf_line_endings_a_byte_order_mark_and_a_missing_final_line_break_are_accepted() {
    assert_eq!(fields("\u{feff}a,\"b\"\r\nc,d"), [row(&["a", "b"]), row(&["c", "d"])]);
}

#[test]
fn blank_lines_are_skipped_and_records_know_their_starting_line() {
    let parsed = records("a\n\n\"b\nc\",d\ne\n\n").unwrap();
    let expected = [
        Record { line: 1, fields: row(&["a"]) },
        Record { line: 3, fields: row(&["b\nc", "d"]) },
        Record { line: 5, fields: row(&["e"]) },
    ];
    assert_eq!(parsed, expected);
}

#[test]
fn malformed_quoting_is_refused_with_its_line() {
    assert_eq!(records("a\n\"open,b\nc\n"), Err(CsvError::Unterminated { line: 2 }));
    assert_eq!(records("a\nsay \"hi\",b\n"), Err(CsvError::StrayQuote { line: 2 }));
    assert_eq!(records("\"closed\"x,b\n"), Err(CsvError::TextAfterQuote { line: 1 }));
}

#[test]
fn the_embedded_catalogue_parses_into_five_libraries_of_197_assets() {
    let libraries = builtin_libraries().expect("every row of the embedded catalogue is valid");
    let counts: Vec<(&str, usize)> = libraries.iter().map(|l| (l.library.name.as_str(), l.assets.len())).collect();
    assert_eq!(
        counts,
        [
            ("NATO (Base game)", 50),
            ("CSAT (Base game)", 46),
            ("AAF (Base game)", 44),
            ("LDF (Contact DLC)", 34),
            ("FIA / Syndikat (Base game)", 23),
        ]
    );
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), 197);
}

#[test]
fn only_the_nato_base_game_library_is_a_default_and_every_library_says_where_it_came_from() {
    let libraries = builtin_libraries().unwrap();
    let defaults: Vec<&str> =
        libraries.iter().filter(|l| l.library.is_default).map(|l| l.library.name.as_str()).collect();
    assert_eq!(defaults, [DEFAULT_LIBRARY]);
    for l in &libraries {
        assert_eq!(l.library.category.as_str(), "Modern");
        assert_eq!(l.library.description.as_str(), LIBRARY_DESCRIPTION);
        assert!(!LIBRARY_DESCRIPTION.contains('\n'), "the description is one line");
    }
}

#[test]
fn each_asset_keeps_its_fields_and_names_its_config_class_in_the_description() {
    let libraries = builtin_libraries().unwrap();
    let slammer = &libraries[0].assets[0];
    assert_eq!(slammer.name().as_str(), "M2A1 Slammer");
    assert_eq!(slammer.kind(), AssetKind::Vehicle);
    assert_eq!(slammer.category().as_str(), "Main battle tank");
    assert_eq!(slammer.default_quantity().get(), 2);
    assert!(!slammer.is_unique() && slammer.is_public());
    assert_eq!(slammer.description().as_str(), "Config class: B_MBT_01_cannon_F");
    let unique: Vec<&str> =
        libraries.iter().flat_map(|l| &l.assets).filter(|a| a.is_unique()).map(|a| a.name().as_str()).collect();
    assert_eq!(unique, ["T-140K Angara"]);
}

#[test]
fn a_quoted_row_with_commas_parses_like_any_other() {
    let parsed = parse_catalogue(&catalogue(&[
        "\"FIA, Syndikat\",\"Offroad, \"\"HMG\"\"\",Vehicle,\"Technical, armed\",4,false,true,B_G_Offroad_01_armed_F,",
    ]))
    .unwrap();
    assert_eq!(parsed[0].library.name.as_str(), "FIA, Syndikat");
    assert_eq!(parsed[0].assets[0].name().as_str(), "Offroad, \"HMG\"");
    assert_eq!(parsed[0].assets[0].category().as_str(), "Technical, armed");
}

#[test]
fn each_malformed_row_is_refused_with_its_line_and_column() {
    assert_eq!(refusal(&[GOOD_ROW, "NATO,Hunter GMG,Tank,MRAP,4,false,true,B_MRAP_01_gmg_F,src"]), (3, "kind"));
    assert_eq!(refusal(&["NATO,Hunter,Vehicle,MRAP,-1,false,true,B_MRAP_01_F,src"]), (2, "default_quantity"));
    assert_eq!(refusal(&["NATO,Hunter,Vehicle,MRAP,2,true,true,B_MRAP_01_F,src"]), (2, "default_quantity"));
    assert_eq!(refusal(&["NATO,Hunter,Vehicle,MRAP,2,yes,true,B_MRAP_01_F,src"]), (2, "unique"));
    assert_eq!(refusal(&["NATO,Hunter,Vehicle,MRAP,2,false,1,B_MRAP_01_F,src"]), (2, "public"));
    assert_eq!(refusal(&["NATO,Hunter,Vehicle,MRAP,2,false,true,B MRAP,src"]), (2, "class_name"));
    assert_eq!(refusal(&["NATO,Hunter,Vehicle,MRAP,2,false,true,,src"]), (2, "class_name"));
    assert_eq!(refusal(&["NATO,  ,Vehicle,MRAP,2,false,true,B_MRAP_01_F,src"]), (2, "name"));
    assert_eq!(refusal(&[",Hunter,Vehicle,MRAP,2,false,true,B_MRAP_01_F,src"]), (2, "library"));
    assert_eq!(refusal(&["NATO,Hunter,Vehicle,MRAP,2,false,true,B_MRAP_01_F"]), (2, "row"));
    assert_eq!(refusal(&[GOOD_ROW, "nato,HUNTER,Vehicle,MRAP,2,false,true,B_MRAP_01_F,src"]), (3, "name"));
    assert_eq!(refusal(&[GOOD_ROW, "NATO,\"Hunter,2\n"]), (3, "row"));
}

#[test]
fn a_catalogue_with_other_columns_is_refused() {
    let text = format!("name,library,kind,category,default_quantity,unique,public,class_name,source\n{GOOD_ROW}\n");
    let error = parse_catalogue(&text).expect_err("columns in another order");
    assert_eq!((error.line, error.field), (1, "row"));
    assert!(parse_catalogue("").is_err(), "an empty catalogue has no header");
}

/// Every library in the store, by name.
async fn stored(t: &TestTracker) -> Vec<LibrarySummary> {
    t.store().libraries().await.expect("libraries")
}

#[tokio::test]
async fn installing_creates_every_library_with_its_assets_and_the_nato_default() {
    let f = fixture().await;
    assert!(!f.t.has_libraries().await.unwrap());
    assert_eq!(f.t.install_builtin_libraries().await.unwrap(), 5);
    assert!(f.t.has_libraries().await.unwrap());
    let libraries = stored(&f.t).await;
    let counts: Vec<(&str, u64)> = libraries.iter().map(|s| (s.library.name.as_str(), s.asset_count)).collect();
    assert_eq!(
        counts,
        [
            ("AAF (Base game)", 44),
            ("CSAT (Base game)", 46),
            ("FIA / Syndikat (Base game)", 23),
            ("LDF (Contact DLC)", 34),
            ("NATO (Base game)", 50),
        ]
    );
    let nato = libraries.iter().find(|s| s.library.name.as_str() == DEFAULT_LIBRARY).unwrap();
    assert_eq!(f.t.default_library_ids(&f.admin).await.unwrap(), [nato.library.id]);
    let assets = f.t.store().assets(nato.library.id).await.unwrap();
    let slammer = assets.iter().find(|a| a.spec.name().as_str() == "M2A1 Slammer").expect("Slammer installed");
    assert_eq!(slammer.spec.description().as_str(), "Config class: B_MBT_01_cannon_F");
}

#[tokio::test]
async fn each_created_library_leaves_one_audit_entry_by_the_system_naming_its_asset_count() {
    let t = tracker();
    t.install_builtin_libraries().await.unwrap();
    let entries = t.store().audit_entries();
    assert_eq!(entries.len(), 5, "one entry per library");
    assert!(entries.iter().all(|e| e.entry.action == AuditAction::LibraryCreated));
    assert!(entries.iter().all(|e| e.entry.actor_id.is_none() && e.entry.actor_name == "system"));
    let libraries = stored(&t).await;
    for entry in &entries {
        let library = libraries.iter().find(|s| Some(s.library.id.get()) == entry.entry.object.id);
        let library = library.expect("each entry names the library it created");
        let details = format!("created built-in library {} with {} assets", library.library.name, library.asset_count);
        assert_eq!(entry.entry.details, details);
    }
    assert_eq!(entries[0].entry.details, "created built-in library NATO (Base game) with 50 assets");
}

#[tokio::test]
async fn every_built_in_library_is_created_together_with_all_its_assets() {
    let t = tracker();
    t.install_builtin_libraries().await.unwrap();
    let libraries = stored(&t).await;
    for builtin in builtin_libraries().unwrap() {
        let summary = libraries.iter().find(|s| s.library.name == builtin.library.name).expect("installed");
        assert_eq!(summary.asset_count, builtin.assets.len() as u64, "{}", builtin.library.name);
        assert!(summary.asset_count > 0, "{} comes with assets", builtin.library.name);
    }
}

#[tokio::test]
async fn a_second_install_creates_nothing_and_writes_nothing() {
    let t = tracker();
    t.install_builtin_libraries().await.unwrap();
    let (libraries, audit) = (stored(&t).await, t.store().audit_entries());
    assert_eq!(t.install_builtin_libraries().await.unwrap(), 0);
    assert_eq!(stored(&t).await, libraries);
    assert_eq!(t.store().audit_entries(), audit);
}

#[tokio::test]
async fn an_existing_library_of_the_same_name_in_any_case_is_left_untouched() {
    let t = tracker();
    let (edited, ids) = seed_library(&t, "nato (base game)", &[("Hunter", AssetKind::Vehicle, 1, false)]).await;
    let before = t.store().assets(edited).await.unwrap();
    let audit_before = t.store().audit_entries().len();
    assert_eq!(t.install_builtin_libraries().await.unwrap(), 4);
    let after = t.store().assets(edited).await.unwrap();
    assert_eq!(after, before, "no asset added to or changed in the existing library");
    assert_eq!(after.iter().map(|a| a.id).collect::<Vec<_>>(), ids);
    let libraries = stored(&t).await;
    assert_eq!(libraries.len(), 5);
    assert!(!libraries.iter().find(|s| s.library.id == edited).unwrap().library.is_default);
    assert_eq!(t.store().audit_entries().len(), audit_before + 4, "one entry per created library");
}

#[tokio::test]
async fn after_an_admin_deletes_a_built_in_library_an_install_brings_back_only_that_one() {
    let f = fixture().await;
    f.t.install_builtin_libraries().await.unwrap();
    let ldf = stored(&f.t).await.into_iter().find(|s| s.library.name.as_str() == "LDF (Contact DLC)").unwrap();
    f.t.delete_library(&f.admin, ldf.library.id).await.unwrap();
    assert_eq!(f.t.install_builtin_libraries().await.unwrap(), 1);
    assert_eq!(stored(&f.t).await.len(), 5);
}
