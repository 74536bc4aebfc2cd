//! Type names for inferred shapes: from the key an object sits under, singular for list items.

use heck::ToUpperCamelCase;

/// `cardDetails` → `CardDetail`, `queues` → `Queue`, `activities` → `Activity`.
pub fn type_name_for_key(key: &str) -> String {
    let camel: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .to_upper_camel_case();
    let camel = if camel.is_empty() {
        "Item".to_string()
    } else {
        camel
    };
    let camel = if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{camel}")
    } else {
        camel
    };
    singular(&camel)
}

/// A simple English singular for the last word of a PascalCase name.
pub fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("ies") && name.len() > 4 {
        format!("{}y", &name[..name.len() - 3])
    } else if (lower.ends_with("sses") || lower.ends_with("xes") || lower.ends_with("ches"))
        && name.len() > 4
    {
        name[..name.len() - 2].to_string()
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && name.len() > 3
    {
        name[..name.len() - 1].to_string()
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_well() {
        assert_eq!(type_name_for_key("cardDetails"), "CardDetail");
        assert_eq!(type_name_for_key("activities"), "Activity");
        assert_eq!(type_name_for_key("messageView"), "MessageView");
        assert_eq!(type_name_for_key("status"), "Status");
        assert_eq!(type_name_for_key("end_date"), "EndDate");
        assert_eq!(type_name_for_key("3d"), "T3d");
        assert_eq!(type_name_for_key("$ref"), "Ref");
    }
}
