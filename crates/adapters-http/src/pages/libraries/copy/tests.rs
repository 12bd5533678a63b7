//! Reading the copy form and wording its outcome.

use super::*;

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[test]
fn a_copy_request_reads_the_library_and_each_distinct_asset() {
    let request = CopyRequest::parse(&pairs(&[
        ("from_library", "3"),
        ("asset_ids", "5"),
        ("asset_ids", "7"),
        ("asset_ids", "5"),
        ("csrf_token", "t"),
    ]));
    assert_eq!(request.from, Some(LibraryId::new(3)));
    assert_eq!(request.asset_ids, [AssetId::new(5), AssetId::new(7)]);
    assert!(request.errors.is_empty());
}

#[test]
fn a_copy_request_without_a_library_or_with_bad_ids_says_so_on_the_fields() {
    let request = CopyRequest::parse(&pairs(&[("from_library", ""), ("asset_ids", "x")]));
    assert_eq!(request.from, None);
    assert_eq!(request.errors.fields["from_library"], "choose a library to copy from");
    assert_eq!(request.errors.fields["asset_ids"], "must be assets of the chosen library");
}

#[test]
fn the_copy_message_counts_what_was_copied_and_skipped() {
    assert_eq!(copied_message(CopyOutcome { copied: 1, skipped: 0 }), "1 asset copied.");
    assert_eq!(
        copied_message(CopyOutcome { copied: 3, skipped: 2 }),
        "3 assets copied (2 skipped: names already present)."
    );
}
