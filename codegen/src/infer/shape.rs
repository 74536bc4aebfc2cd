//! The observed shape of JSON example values: which kinds appeared, merged across examples.

use serde_json::Value;

/// What a set of JSON values looked like.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    /// `null` was seen.
    pub null: bool,
    /// `true`/`false` was seen.
    pub boolean: bool,
    /// An integral number was seen.
    pub integer: bool,
    /// A number with a fraction or exponent was seen.
    pub float: bool,
    /// A string was seen.
    pub string: bool,
    /// Arrays were seen; the merged shape of all their elements.
    pub array: Option<Box<Shape>>,
    /// Objects with identifier-like keys were seen; the name of their merged type.
    pub object: Option<String>,
    /// Objects used as maps (keys are data, e.g. labels with spaces); the merged value shape.
    pub map: Option<Box<Shape>>,
}

impl Shape {
    /// Merges `other` into `self`.
    pub fn merge(&mut self, other: Shape) {
        self.null |= other.null;
        self.boolean |= other.boolean;
        self.integer |= other.integer;
        self.float |= other.float;
        self.string |= other.string;
        merge_boxed(&mut self.array, other.array);
        merge_boxed(&mut self.map, other.map);
        if self.object.is_none() {
            self.object = other.object;
        }
    }

    /// The shape of one scalar value (objects and arrays are handled by the walker).
    pub fn of_scalar(v: &Value) -> Shape {
        let mut s = Shape::default();
        match v {
            Value::Null => s.null = true,
            Value::Bool(_) => s.boolean = true,
            Value::Number(n) if n.is_i64() || n.is_u64() => s.integer = true,
            Value::Number(_) => s.float = true,
            Value::String(_) => s.string = true,
            Value::Array(_) | Value::Object(_) => {}
        }
        s
    }
}

fn merge_boxed(slot: &mut Option<Box<Shape>>, other: Option<Box<Shape>>) {
    match (slot.as_mut(), other) {
        (Some(a), Some(b)) => a.merge(*b),
        (None, Some(b)) => *slot = Some(b),
        _ => {}
    }
}

/// True when an object's keys look like data rather than field names (spaces, leading digits).
pub fn is_map_like(obj: &serde_json::Map<String, Value>) -> bool {
    !obj.is_empty()
        && obj.keys().any(|k| {
            k.chars().any(char::is_whitespace) || k.starts_with(|c: char| c.is_ascii_digit())
        })
}
