//! Plan findings placed on the `.tf` sources: when the configuration that
//! produced a plan is at hand, each planned resource takes the spans of the
//! same address evaluated from the `.tf` files — the block, and each
//! attribute the configuration writes.

use std::collections::HashMap;

use super::TfResource;
use crate::graph::{Value, ValueKind};
use crate::parse::Span;

/// Moves the spans of `planned` onto the matching resources of `sources`
/// (same address, or same address without instance key when the sources
/// could not expand `count` / `for_each`). Returns how many resources moved.
pub fn place_on_sources(planned: &mut [TfResource], sources: &[TfResource]) -> usize {
    let by_address: HashMap<&str, &TfResource> = sources.iter().map(|r| (r.address.as_str(), r)).collect();
    let mut placed = 0;
    for resource in planned.iter_mut() {
        let found = by_address
            .get(resource.address.as_str())
            .or_else(|| by_address.get(strip_last_index(&resource.address)));
        let Some(source) = found else { continue };
        resource.span = source.span;
        place(&mut resource.values, Some(&source.values), source.span);
        placed += 1;
    }
    placed
}

/// `a.b["k"]` -> `a.b`.
fn strip_last_index(address: &str) -> &str {
    if address.ends_with(']')
        && let Some(open) = address.rfind('[')
    {
        return &address[..open];
    }
    address
}

/// Gives `value` (and its parts) the span of the same path in `source`, or
/// `fallback` (the nearest enclosing written value) where the configuration
/// does not write it.
fn place(value: &mut Value, source: Option<&Value>, fallback: Span) {
    let here = source.map_or(fallback, |s| s.span);
    value.span = here;
    match &mut value.kind {
        ValueKind::Map(props) => {
            for prop in props {
                let inner = source.and_then(|s| s.get(&prop.key));
                prop.key_span = inner.map_or(here, |v| v.span);
                place(&mut prop.value, inner, here);
            }
        }
        ValueKind::List(items) => {
            let source_items = match source.map(|s| &s.kind) {
                Some(ValueKind::List(s)) => s.as_slice(),
                _ => &[],
            };
            for (i, item) in items.iter_mut().enumerate() {
                place(item, source_items.get(i), here);
            }
        }
        _ => {}
    }
}

/// Adds `offset` to the file index of every span of `resources` (their files
/// come after others in the unit's file table).
pub fn shift_files(resources: &mut [TfResource], offset: u32) {
    fn shift(value: &mut Value, offset: u32) {
        value.span.file += offset;
        match &mut value.kind {
            ValueKind::Map(props) => props.iter_mut().for_each(|p| {
                p.key_span.file += offset;
                shift(&mut p.value, offset);
            }),
            ValueKind::List(items) => items.iter_mut().for_each(|v| shift(v, offset)),
            _ => {}
        }
    }
    for r in resources {
        r.span.file += offset;
        shift(&mut r.values, offset);
    }
}
