//! Which by-value references become `Box`: those that close a cycle, and those that would make
//! a type too large to live on the stack.

use std::collections::BTreeSet;

use crate::model::{Api, TypeId, TypeKind, TypeRef};

/// How many fields a type may hold inline, counting the fields of the types it holds by value
/// (a union counts as its largest variant), before its largest by-value members are boxed: a
/// few kilobytes at most. Without it a densely linked schema (Stripe's `CreditNote` held
/// 2.9 MB by value) overflows a 2 MB thread stack as soon as a value is decoded.
pub const INLINE_FIELDS: usize = 256;

/// A by-value reference: the type a field or variant names (the key that is boxed) and the
/// type it holds, through any aliases.
#[derive(Clone, Copy)]
struct Edge {
    named: TypeId,
    held: TypeId,
}

/// The (owner, named type) references to box, for every field or variant of `owner` (a
/// struct, or a union of several shapes) that holds `named` by value. A one-shape union is an
/// alias (`type U = T;`), which cannot box: references see through it to `T`.
pub fn boxed_edges(api: &Api) -> BTreeSet<(TypeId, TypeId)> {
    let graph: Vec<Vec<Edge>> = (0..api.types.len())
        .map(|id| by_value_edges(api, TypeId(id)))
        .collect();
    let (mut boxed, finish_order) = back_edges(&graph);
    // XML types box every reference on a cycle, not only the back edges: large schemas
    // (Salesforce's sObjects) link their types so densely that a single box per cycle still
    // leaves very deep by-value nesting.
    let component = strongly_connected(&graph);
    for (owner, edges) in graph.iter().enumerate() {
        if matches!(api.ty(TypeId(owner)).kind, TypeKind::XmlStruct { .. }) {
            for e in edges {
                if component[e.held.0] == component[owner] {
                    boxed.insert((TypeId(owner), e.named));
                }
            }
        }
    }
    cap_inline_size(api, &graph, &finish_order, &mut boxed);
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

/// The type that `id` is an alias of, through alias chains; `None` when `id` is no alias.
fn alias_of(api: &Api, id: TypeId) -> Option<TypeId> {
    match &api.ty(id).kind {
        TypeKind::Union { variants } if variants.len() == 1 => direct_target(&variants[0].1),
        _ => None,
    }
}

/// `id` with aliases followed to the type that holds the data (a cycle of aliases, which no
/// valid document has, stops where it closes).
fn resolve(api: &Api, id: TypeId) -> TypeId {
    let mut at = id;
    for _ in 0..api.types.len() {
        match alias_of(api, at) {
            Some(next) if next != id => at = next,
            _ => break,
        }
    }
    at
}

/// The references `id` holds by value, once per field or variant: not behind a `Vec` or map,
/// nor in an XML choice (whose struct payloads are boxed already). An alias holds none itself.
fn by_value_edges(api: &Api, id: TypeId) -> Vec<Edge> {
    let named: Vec<TypeId> = match &api.ty(id).kind {
        TypeKind::Struct { fields, .. } => {
            fields.iter().filter_map(|f| direct_target(&f.ty)).collect()
        }
        TypeKind::Union { variants } if variants.len() > 1 => variants
            .iter()
            .filter_map(|(_, t)| direct_target(t))
            .collect(),
        TypeKind::XmlStruct { fields, .. } => fields
            .iter()
            .filter(|f| !f.repeated)
            .filter_map(|f| direct_target(&f.ty))
            .collect(),
        TypeKind::Union { .. } | TypeKind::Enum { .. } | TypeKind::XmlChoice { .. } => Vec::new(),
    };
    named
        .into_iter()
        .map(|named| Edge {
            named,
            held: resolve(api, named),
        })
        .collect()
}

/// The back edges of a depth-first walk over the by-value references (types in id order), as
/// (owner, named type), and the order in which the walk finished the types: the type held by
/// a reference that is not a back edge finishes before the reference's owner.
fn back_edges(graph: &[Vec<Edge>]) -> (BTreeSet<(TypeId, TypeId)>, Vec<TypeId>) {
    let n = graph.len();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut boxed = BTreeSet::new();
    let mut finished = Vec::with_capacity(n);
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        // Iterative, so that a long chain of types cannot overflow the generator's own stack:
        // (node, next edge index).
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((node, i)) = stack.last_mut() {
            let node = *node;
            if let Some(e) = graph[node].get(*i) {
                *i += 1;
                match state[e.held.0] {
                    0 => {
                        state[e.held.0] = 1;
                        stack.push((e.held.0, 0));
                    }
                    1 => {
                        boxed.insert((TypeId(node), e.named));
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                finished.push(TypeId(node));
                stack.pop();
            }
        }
    }
    (boxed, finished)
}

/// The strongly connected component of every type (Tarjan's algorithm, iterative): two types
/// are in one component exactly when each holds the other by value, directly or not.
fn strongly_connected(graph: &[Vec<Edge>]) -> Vec<usize> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![usize::MAX; n];
    let mut members = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut calls = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        members.push(root);
        on_stack[root] = true;
        while let Some((node, i)) = calls.last_mut() {
            let node = *node;
            if let Some(e) = graph[node].get(*i) {
                *i += 1;
                let t = e.held.0;
                if index[t] == usize::MAX {
                    index[t] = next_index;
                    low[t] = next_index;
                    next_index += 1;
                    members.push(t);
                    on_stack[t] = true;
                    calls.push((t, 0));
                } else if on_stack[t] {
                    low[node] = low[node].min(index[t]);
                }
            } else {
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == index[node] {
                    while let Some(m) = members.pop() {
                        on_stack[m] = false;
                        component[m] = next_component;
                        if m == node {
                            break;
                        }
                    }
                    next_component += 1;
                }
            }
        }
    }
    component
}

/// Boxes, type by type in `order` (held types before their owners), the largest by-value
/// members of every type whose inline field count would exceed [`INLINE_FIELDS`].
fn cap_inline_size(
    api: &Api,
    graph: &[Vec<Edge>],
    order: &[TypeId],
    boxed: &mut BTreeSet<(TypeId, TypeId)>,
) {
    let mut inline = vec![1usize; api.types.len()];
    for &owner in order {
        let (own, alternatives) = match &api.ty(owner).kind {
            TypeKind::Struct { fields, .. } => (fields.len(), false),
            TypeKind::XmlStruct { fields, .. } => (fields.len(), false),
            TypeKind::Union { .. } => (1, true),
            TypeKind::Enum { .. } | TypeKind::XmlChoice { .. } => (1, false),
        };
        // (inline size, named type) of each member still held by value.
        let mut members: Vec<(usize, TypeId)> = graph[owner.0]
            .iter()
            .filter(|e| !boxed.contains(&(owner, e.named)))
            .map(|e| (inline[e.held.0], e.named))
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
