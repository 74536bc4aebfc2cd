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
    crate::emit::ident::singular(&camel)
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
