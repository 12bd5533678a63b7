//! Asset libraries and their assets: the reusable catalogues a campaign's pool is
//! imported from.
//!
//! Invariant: a unique asset's default quantity is at most 1 (`AssetSpec`).

use crate::UnknownVariant;
use crate::ids::{AssetId, LibraryId};
use crate::pool::Quantity;
use crate::text::{Category, Description, text_type};

text_type!(
    /// A library's name: 1 to 200 characters, unique among libraries.
    LibraryName, required: true, max: 200, multiline: false
);
text_type!(
    /// An asset's name: 1 to 200 characters, unique within its library.
    AssetName, required: true, max: 200, multiline: false
);

/// A reusable catalogue of assets, such as "NATO (Base game)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetLibrary {
    /// The library's id.
    pub id: LibraryId,
    /// Unique name.
    pub name: LibraryName,
    /// What the library holds.
    pub description: Description,
    /// A free-text era or theme such as "Modern" or "WWII".
    pub category: Category,
    /// Default libraries are pre-selected when a campaign is created.
    pub is_default: bool,
}

/// What sort of thing an asset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AssetKind {
    /// Ground vehicles.
    Vehicle,
    /// Helicopters and planes.
    Aircraft,
    /// Boats and submersibles.
    Watercraft,
    /// Weapons and static weapons.
    Weapon,
    /// Ammunition, magazines, rockets and missiles.
    Ammunition,
    /// Gear such as optics, drones, tools.
    Equipment,
    /// Radios and other signals gear.
    Communication,
    /// Medical supplies and equipment.
    Medical,
    /// Other consumables such as fuel, rations, building materials.
    Supply,
    /// Anything else.
    Other,
}

impl AssetKind {
    /// Every kind, in display order.
    pub const ALL: [AssetKind; 10] = [
        AssetKind::Vehicle,
        AssetKind::Aircraft,
        AssetKind::Watercraft,
        AssetKind::Weapon,
        AssetKind::Ammunition,
        AssetKind::Equipment,
        AssetKind::Communication,
        AssetKind::Medical,
        AssetKind::Supply,
        AssetKind::Other,
    ];

    /// The stored and displayed name.
    pub const fn as_str(self) -> &'static str {
        match self {
            AssetKind::Vehicle => "Vehicle",
            AssetKind::Aircraft => "Aircraft",
            AssetKind::Watercraft => "Watercraft",
            AssetKind::Weapon => "Weapon",
            AssetKind::Ammunition => "Ammunition",
            AssetKind::Equipment => "Equipment",
            AssetKind::Communication => "Communication",
            AssetKind::Medical => "Medical",
            AssetKind::Supply => "Supply",
            AssetKind::Other => "Other",
        }
    }

    /// Parses a kind name in any case.
    pub fn parse(raw: &str) -> Result<Self, UnknownVariant> {
        let raw = raw.trim();
        Self::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(raw)).ok_or(UnknownVariant {
            expected: "Vehicle, Aircraft, Watercraft, Weapon, Ammunition, Equipment, Communication, Medical, Supply, Other",
        })
    }

    /// Parses a kind as the tracker we replace (and spreadsheets made for it) named it:
    /// one of ours in any case, or its plural "Supplies" (our Supply). Its other kinds
    /// (Ammunition, Medical, Communication) are ours too, so nothing is lost.
    pub fn parse_legacy(raw: &str) -> Result<Self, UnknownVariant> {
        if raw.trim().eq_ignore_ascii_case("supplies") { Ok(AssetKind::Supply) } else { Self::parse(raw) }
    }
}

/// Why an asset's fields do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssetSpecError {
    /// A unique asset with a default quantity above 1.
    #[error("a unique asset's default quantity can be at most 1")]
    UniqueAboveOne,
}

/// The editable description of an asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetSpec {
    name: AssetName,
    kind: AssetKind,
    category: Category,
    description: Description,
    default_quantity: Quantity,
    unique: bool,
    public: bool,
}

impl AssetSpec {
    /// Checks that the fields fit together: a unique asset's default quantity is at most 1.
    pub fn new(
        name: AssetName,
        kind: AssetKind,
        category: Category,
        description: Description,
        default_quantity: Quantity,
        unique: bool,
        public: bool,
    ) -> Result<Self, AssetSpecError> {
        if unique && default_quantity.get() > 1 {
            return Err(AssetSpecError::UniqueAboveOne);
        }
        Ok(Self { name, kind, category, description, default_quantity, unique, public })
    }

    /// The asset's name.
    pub fn name(&self) -> &AssetName {
        &self.name
    }
    /// The asset's kind.
    pub fn kind(&self) -> AssetKind {
        self.kind
    }
    /// The free-text category, such as "Main battle tank".
    pub fn category(&self) -> &Category {
        &self.category
    }
    /// The description.
    pub fn description(&self) -> &Description {
        &self.description
    }
    /// The quantity a campaign starts with when the library is imported.
    pub fn default_quantity(&self) -> Quantity {
        self.default_quantity
    }
    /// Whether at most one of this asset can exist in a pool.
    pub fn is_unique(&self) -> bool {
        self.unique
    }
    /// Whether the public sees this asset by default.
    pub fn is_public(&self) -> bool {
        self.public
    }
}

/// An asset of a library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The asset's id.
    pub id: AssetId,
    /// The library it belongs to.
    pub library_id: LibraryId,
    /// Its fields.
    pub spec: AssetSpec,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(qty: u32, unique: bool) -> Result<AssetSpec, AssetSpecError> {
        AssetSpec::new(
            AssetName::parse("M2A1 Slammer").unwrap(),
            AssetKind::Vehicle,
            Category::parse("Main battle tank").unwrap(),
            Description::empty(),
            Quantity::new(qty).unwrap(),
            unique,
            true,
        )
    }

    #[test]
    fn a_unique_asset_defaults_to_at_most_one() {
        assert!(spec(1, true).is_ok());
        assert!(spec(0, true).is_ok());
        assert_eq!(spec(2, true), Err(AssetSpecError::UniqueAboveOne));
        assert!(spec(2, false).is_ok());
    }

    #[test]
    fn asset_names_are_required() {
        assert!(AssetName::parse("   ").is_err());
        assert!(LibraryName::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in AssetKind::ALL {
            assert_eq!(AssetKind::parse(&kind.as_str().to_uppercase()), Ok(kind));
        }
        assert!(AssetKind::parse("Spaceship").is_err());
    }
}
