//! Which by-value references become `Box`: those that close a cycle, and those that would make
//! a type too large to live on the stack.

use std::collections::BTreeSet;

use crate::model::{Api, TypeId, TypeKind, TypeRef};

/// How many fields a type may hold inline, counting the fields of the types it holds by value,
/// before its largest by-value members are boxed: a few kilobytes at most. Without it a
/// densely linked schema (Stripe's `CreditNote` held 2.9 MB by value) overflows a 2 MB
/// thread stack as soon as a value is decoded.
pub const INLINE_FIELDS: usize = 256;

/// The (owner, target) references to box, for every field or union variant of `owner` whose
/// type is `target` held by value.
pub fn boxed_edges(api: &Api) -> BTreeSet<(TypeId, TypeId)> {
    let (mut boxed, finish_order) = back_edges(api);
    // XML types box every reference on a cycle, not only the back edges: large schemas
    // (Salesforce's sObjects) link their types so densely that a single box per cycle still
    // leaves very deep by-value nesting.
    for owner in (0..api.types.len()).map(TypeId) {
        if matches!(api.ty(owner).kind, TypeKind::XmlStruct { .. }) {
            for target in by_value_targets(api, owner) {
                if reaches(api, target, owner, &mut Vec::new()) {
                    boxed.insert((owner, target));
                }
            }
        }
    }
    cap_inline_size(api, &finish_order, &mut boxed);
    boxed
}

/// The type a field of type `ty` holds by value, if any (`Vec`s and maps are indirection).
pub fn direct_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::OneOrMany(inner) => direct_target(inner),
        _ => None,
    }
}

/// The types `id` holds by value, once per field or variant: not behind a `Vec` or map, nor in
/// an XML choice (whose struct payloads are boxed already).
fn by_value_targets(api: &Api, id: TypeId) -> Vec<TypeId> {
    match &api.ty(id).kind {
        TypeKind::Struct { fields, .. } => {
            fields.iter().filter_map(|f| direct_target(&f.ty)).collect()
        }
        TypeKind::Union { variants } => variants
            .iter()
            .filter_map(|(_, t)| direct_target(t))
            .collect(),
        TypeKind::XmlStruct { fields, .. } => fields
            .iter()
            .filter(|f| !f.repeated)
            .filter_map(|f| direct_target(&f.ty))
            .collect(),
        TypeKind::Enum { .. } | TypeKind::XmlChoice { .. } => Vec::new(),
    }
}

/// The back edges of a depth-first walk over the by-value references (types in id order), and
/// the order in which the walk finished the types: every target of a reference that is not a
/// back edge finishes before its owner.
fn back_edges(api: &Api) -> (BTreeSet<(TypeId, TypeId)>, Vec<TypeId>) {
    let n = api.types.len();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut boxed = BTreeSet::new();
    let mut finished = Vec::with_capacity(n);
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        // Iterative, so that a long chain of types cannot overflow the generator's own stack:
        // (node, its targets, next index).
        let mut stack = vec![(TypeId(root), by_value_targets(api, TypeId(root)), 0)];
        state[root] = 1;
        while let Some((node, targets, i)) = stack.last_mut() {
            let node = *node;
            if let Some(&t) = targets.get(*i) {
                *i += 1;
                match state[t.0] {
                    0 => {
                        state[t.0] = 1;
                        stack.push((t, by_value_targets(api, t), 0));
                    }
                    1 => {
                        boxed.insert((node, t));
                    }
                    _ => {}
                }
            } else {
                state[node.0] = 2;
                finished.push(node);
                stack.pop();
            }
        }
    }
    (boxed, finished)
}

/// Whether `from` holds `to` by value, directly or through other types.
fn reaches(api: &Api, from: TypeId, to: TypeId, seen: &mut Vec<TypeId>) -> bool {
    if from == to {
        return true;
    }
    if seen.contains(&from) {
        return false;
    }
    seen.push(from);
    by_value_targets(api, from)
        .into_iter()
        .any(|t| reaches(api, t, to, seen))
}

/// Boxes, type by type in `order` (members before their owners), the largest by-value members
/// of every type whose inline field count would exceed [`INLINE_FIELDS`].
fn cap_inline_size(api: &Api, order: &[TypeId], boxed: &mut BTreeSet<(TypeId, TypeId)>) {
    let mut inline = vec![1usize; api.types.len()];
    for &owner in order {
        let (own, alternatives) = match &api.ty(owner).kind {
            TypeKind::Struct { fields, .. } => (fields.len(), false),
            TypeKind::XmlStruct { fields, .. } => (fields.len(), false),
            TypeKind::Union { .. } => (1, true),
            TypeKind::Enum { .. } | TypeKind::XmlChoice { .. } => (1, false),
        };
        // (inline size, target) of each member still held by value.
        let mut members: Vec<(usize, TypeId)> = by_value_targets(api, owner)
            .into_iter()
            .filter(|&t| !boxed.contains(&(owner, t)))
            .map(|t| (inline[t.0], t))
            .collect();
        let total = |members: &[(usize, TypeId)]| {
            let sizes = members.iter().map(|m| m.0);
            // A union holds one of its variants at a time.
            own + if alternatives {
                sizes.max().unwrap_or(0)
            } else {
                sizes.sum()
            }
        };
        while total(&members) > INLINE_FIELDS {
            // The largest member; among equals, the first.
            let Some(&(_, largest)) = members.iter().rev().max_by_key(|m| m.0) else {
                break;
            };
            boxed.insert((owner, largest));
            members.retain(|m| m.1 != largest);
        }
        inline[owner.0] = total(&members);
    }
}
