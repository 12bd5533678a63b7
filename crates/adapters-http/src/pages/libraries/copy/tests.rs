//! Reading the copy form and wording its outcome.

use super::*;

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[test]
fn the_copy_form_becomes_the_command_with_every_tick() {
    let cmd = command(&pairs(&[
        ("from_library", "3"),
        ("asset_ids", "5"),
        ("asset_ids", "7"),
        ("asset_ids", "5"),
        ("csrf_token", "t"),
    ]));
    assert_eq!(cmd.from_library, "3");
    assert_eq!(cmd.asset_ids, Some(vec!["5".into(), "7".into(), "5".into()]));
    assert_eq!(shown_again(&cmd), (Some(LibraryId::new(3)), vec![AssetId::new(5), AssetId::new(7), AssetId::new(5)]));
}

#[test]
fn a_copy_form_with_nothing_ticked_copies_every_asset() {
    let cmd = command(&pairs(&[("from_library", "")]));
    assert_eq!((cmd.from_library.as_str(), cmd.asset_ids), ("", None));
}

#[test]
fn the_copy_message_counts_what_was_copied_and_skipped() {
    assert_eq!(added_message("copied", 1, 0), "1 asset copied.");
    assert_eq!(added_message("copied", 3, 2), "3 assets copied (2 skipped: names already present).");
    assert_eq!(added_message("imported", 2, 0), "2 assets imported.");
}

#[test]
fn under_a_filter_nothing_ticked_copies_the_assets_shown_and_never_the_whole_library() {
    let shown = pairs(&[("from_library", "3"), ("q", "tank"), ("kind", ""), ("shown_ids", "5"), ("shown_ids", "8")]);
    assert_eq!(command(&shown).asset_ids, Some(vec!["5".into(), "8".into()]));
    let ticked = pairs(&[("from_library", "3"), ("q", "tank"), ("shown_ids", "5"), ("asset_ids", "8")]);
    assert_eq!(command(&ticked).asset_ids, Some(vec!["8".into()]), "the ticks win");
    let none_shown = pairs(&[("from_library", "3"), ("kind", "Aircraft")]);
    assert_eq!(command(&none_shown).asset_ids, Some(Vec::new()), "not every asset");
}
