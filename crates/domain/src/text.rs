//! Bounded, trimmed text newtypes: names that must not be empty, and free text that may be.
//!
//! Invariant: the stored string is trimmed, within its length bound (counted in
//! characters), and single-line fields hold no control characters.

/// Why a string was refused as a text value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but white space was given where a value is required.
    #[error("must not be empty")]
    Empty,
    /// Longer than the field allows.
    #[error("must be at most {max} characters")]
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// A line break, tab or other control character in a single-line field.
    #[error("must be a single line without control characters")]
    ControlCharacter,
}

/// Trims `raw` and checks it against the bounds shared by every text newtype.
pub(crate) fn clean(raw: &str, required: bool, max: usize, multiline: bool) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if required && trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    if trimmed.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\r' || c == '\t'));
    if !trimmed.chars().all(allowed) {
        return Err(TextError::ControlCharacter);
    }
    Ok(trimmed.to_owned())
}

/// Declares a text newtype with `parse`, `as_str`, `Display` and `AsRef<str>`.
macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, required: $required:expr, max: $max:expr, multiline: $multi:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The most characters this value may hold.
            pub const MAX_CHARS: usize = $max;

            /// Trims and checks `raw`.
            pub fn parse(raw: &str) -> Result<Self, $crate::text::TextError> {
                $crate::text::clean(raw, $required, $max, $multi).map(Self)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}
pub(crate) use text_type;

text_type!(
    /// Free multi-line text such as a description; may be empty.
    Description, required: false, max: 10_000, multiline: true
);
text_type!(
    /// Free multi-line notes; may be empty.
    Notes, required: false, max: 10_000, multiline: true
);
text_type!(
    /// A free-text category such as "Modern" or "Main battle tank"; may be empty.
    Category, required: false, max: 100, multiline: false
);
text_type!(
    /// A place on the map such as "Altis, Kavala"; may be empty.
    Location, required: false, max: 200, multiline: false
);
text_type!(
    /// A short single-line remark, such as the note on an asset change; may be empty.
    ShortText, required: false, max: 500, multiline: false
);

/// The empty value of the optional text types.
macro_rules! empty_text {
    ($($name:ident),+) => {$(
        impl $name {
            /// The empty value (this field is optional).
            pub fn empty() -> Self {
                Self(String::new())
            }
        }
    )+};
}
empty_text!(Description, Notes, Category, Location, ShortText);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_is_trimmed() {
        assert_eq!(Location::parse("  Altis  ").unwrap().as_str(), "Altis");
    }

    #[test]
    fn optional_text_may_be_empty() {
        assert_eq!(Category::parse("   ").unwrap().as_str(), "");
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(Category::parse(&"é".repeat(100)).is_ok());
        assert_eq!(Category::parse(&"é".repeat(101)), Err(TextError::TooLong { max: 100 }));
    }

    #[test]
    fn single_line_fields_refuse_line_breaks_but_descriptions_keep_them() {
        assert_eq!(Location::parse("a\nb"), Err(TextError::ControlCharacter));
        assert_eq!(Description::parse("a\nb").unwrap().as_str(), "a\nb");
        assert_eq!(Description::parse("a\u{0}b"), Err(TextError::ControlCharacter));
    }

    proptest! {
        #[test]
        fn a_parsed_value_parses_again_to_itself(raw in "\\PC{0,120}") {
            if let Ok(v) = ShortText::parse(&raw) {
                prop_assert_eq!(ShortText::parse(v.as_str()), Ok(v.clone()));
            }
        }
    }
}
