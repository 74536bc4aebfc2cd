//! The `keep_unknown_elements` option: every XML struct gets a field that keeps the child
//! elements its schema does not declare, so they survive a decode and are sent back.

use super::{Api, TypeKind, TypeRef, XmlField, XmlVariantKind};

impl Api {
    /// Adds a repeated raw-XML `any` field (as `xs:any` makes) to every XML struct that has
    /// child elements or none at all, and no wildcard yet: structs with simple content
    /// (`text`) and those with a choice that already takes any element or text (a wildcard, mixed
    /// content) are left as they are.
    /// Returns how many structs got one.
    pub fn keep_unknown_elements(&mut self) -> usize {
        let takes_anything: Vec<bool> = self
            .types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::XmlChoice { variants, .. } => variants
                    .iter()
                    .any(|v| v.kind == XmlVariantKind::Wildcard || v.kind == XmlVariantKind::Text),
                _ => false,
            })
            .collect();
        let mut added = 0;
        for def in &mut self.types {
            let TypeKind::XmlStruct { fields, .. } = &mut def.kind else {
                continue;
            };
            let has_wildcard = fields.iter().any(|f| {
                f.text
                    || f.is_wildcard()
                    || matches!(f.ty, TypeRef::Named(id) if takes_anything[id.0])
            });
            if has_wildcard {
                continue;
            }
            fields.push(XmlField::wildcard(
                "Child elements the schema does not declare, kept as raw XML and sent back after the declared ones (`keep_unknown_elements`).",
            ));
            added += 1;
        }
        added
    }
}
