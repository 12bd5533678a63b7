//! Every domain `parse` meets arbitrary input (any Unicode, control characters, huge
//! lengths) without panicking, and what it accepts parses again to the same value.

use domain::{
    AssetKind, AssetName, AuditAction, CampaignName, CampaignStatus, Category, Delta, Description, EventKind,
    EventTitle, IdempotencyKey, LibraryName, Location, MapUrl, MissionName, MissionStatus, Notes, ObjectKind, Password,
    Quantity, Role, ShortText, Username,
};
use proptest::prelude::*;

/// Arbitrary text: mostly short, sometimes with control characters and line breaks,
/// sometimes long enough to pass every length limit.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~\t\r\n\u{0}\u{7f}\u{202e}é]{0,80}",
        (any::<char>(), 0usize..12_000).prop_map(|(c, n)| std::iter::repeat_n(c, n).collect()),
        proptest::collection::vec(any::<u8>(), 0..200).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

macro_rules! round_trips {
    ($raw:expr, $($t:ty),+ $(,)?) => {$(
        if let Ok(value) = <$t>::parse($raw) {
            prop_assert_eq!(<$t>::parse(value.as_str()).ok(), Some(value.clone()), "{}", stringify!($t));
        }
    )+};
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_parser_panics_and_accepted_text_parses_to_itself(raw in text()) {
        round_trips!(
            &raw, AssetName, CampaignName, EventTitle, LibraryName, MissionName, Category, Description,
            Location, Notes, ShortText, Username, IdempotencyKey, MapUrl,
        );
        let _ = AssetKind::parse(&raw);
        let _ = AuditAction::parse(&raw);
        let _ = CampaignStatus::parse(&raw);
        let _ = EventKind::parse(&raw);
        let _ = MissionStatus::parse(&raw);
        let _ = ObjectKind::parse(&raw);
        let _ = Role::parse(&raw);
        let _ = Password::parse(&raw);
        let _ = MapUrl::parse_optional(&raw);
        if let Ok(delta) = Delta::parse(&raw) {
            prop_assert!(delta.get() != 0);
        }
        if let Ok(quantity) = Quantity::parse(&raw) {
            prop_assert!(quantity.get() <= Quantity::MAX);
        }
    }
}
