//! `CardRef`: the `<CardType>:<id>` card reference used in REST paths.

use std::fmt;

/// A card reference as SwiftKanban paths take it: the card type key, a colon, and the card's
/// unique id or number (`KanbanDefect:540090`, `UserStory:US12`). Sent with a raw `:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardRef {
    /// Card type key, e.g. `UserStory`, `KanbanDefect`, or a custom code such as `DCMG`.
    pub card_type: String,
    /// Card unique id or card number.
    pub id: String,
}

impl CardRef {
    /// A reference to card `id` of type `card_type`.
    pub fn new(card_type: impl Into<String>, id: impl Into<String>) -> Self {
        CardRef {
            card_type: card_type.into(),
            id: id.into(),
        }
    }
}

impl fmt::Display for CardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.card_type, self.id)
    }
}

impl From<(&str, &str)> for CardRef {
    fn from((card_type, id): (&str, &str)) -> Self {
        CardRef::new(card_type, id)
    }
}

impl From<&str> for CardRef {
    /// Parses `Type:id`; a string without a colon is taken as an id of an empty type.
    fn from(s: &str) -> Self {
        match s.split_once(':') {
            Some((t, id)) => CardRef::new(t, id),
            None => CardRef::new("", s),
        }
    }
}
