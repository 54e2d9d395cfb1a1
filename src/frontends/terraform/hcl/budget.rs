//! What evaluating one `.tf` unit (a root module and every module it calls)
//! may cost. Charged where values are built, copied or searched, like the
//! YAML node budget: past it, evaluation stops and every value left is
//! unknown. Recursion is counted too — expressions, references and nested
//! blocks together — so no input can overflow the stack, and since each
//! level of a value is built one level of recursion deeper, no value can
//! nest deeper than the recursion may.

use std::cell::Cell;

use crate::graph::{Budget as Spent, Part, Unknowable, Value, ValueKind};

/// Most values (nodes) evaluation may build, copy or search per unit.
pub(super) const MAX_NODES: usize = 2_000_000;

/// Most bytes of text (strings, keys) evaluation may build or copy per unit.
pub(super) const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Deepest recursion of evaluation, and so of the values it builds.
pub(super) const MAX_LEVELS: usize = 256;

/// Most items (resource instances, declared inputs and outputs) one unit
/// may expand to: each is checked, so each costs far more than a value.
pub(super) const MAX_ITEMS: usize = 50_000;

/// Why a charge or a level was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Exceeded {
    Nodes,
    Bytes,
    Levels,
    Items,
}

impl Exceeded {
    /// The diagnostic's message.
    pub fn message(self) -> String {
        match self {
            Exceeded::Nodes => format!(
                "evaluation builds more than {MAX_NODES} values (an expansion bomb?); it stops here and what is left of the module is unknown"
            ),
            Exceeded::Bytes => format!(
                "evaluation builds more than {MAX_BYTES} bytes of text (an expansion bomb?); it stops here and what is left of the module is unknown"
            ),
            Exceeded::Levels => format!(
                "expressions, references and the values they build nest deeper than {MAX_LEVELS} levels; the value is unknown"
            ),
            Exceeded::Items => format!(
                "the module expands to more than {MAX_ITEMS} resource instances, inputs and outputs; those from here on are not checked"
            ),
        }
    }

    /// The reason of the unknown value it leaves.
    pub fn reason(self) -> Unknowable {
        Unknowable::BudgetExceeded {
            what: match self {
                Exceeded::Nodes | Exceeded::Bytes => Spent::Evaluation,
                Exceeded::Levels => Spent::Depth,
                Exceeded::Items => Spent::Instances,
            },
        }
    }
}

/// The budget of one unit; evaluation of a unit runs on one thread.
#[derive(Default)]
pub(super) struct Budget {
    nodes: Cell<usize>,
    bytes: Cell<usize>,
    /// The current recursion level.
    level: Cell<usize>,
    items: Cell<usize>,
    /// Set once the node or byte budget is spent: nothing more is evaluated.
    spent: Cell<Option<Exceeded>>,
    /// The kinds of limit already reported (one diagnostic each).
    reported: Cell<u8>,
}

impl Budget {
    /// Charges `nodes` values and `bytes` bytes of text.
    pub fn charge(&self, nodes: usize, bytes: usize) -> Result<(), Exceeded> {
        if let Some(spent) = self.spent.get() {
            return Err(spent);
        }
        self.nodes.set(self.nodes.get().saturating_add(nodes));
        self.bytes.set(self.bytes.get().saturating_add(bytes));
        let exceeded = if self.nodes.get() > MAX_NODES {
            Exceeded::Nodes
        } else if self.bytes.get() > MAX_BYTES {
            Exceeded::Bytes
        } else {
            return Ok(());
        };
        self.spent.set(Some(exceeded));
        Err(exceeded)
    }

    /// Charges building (or copying) `value`, which is then placed at the
    /// current level: refused if it would nest past [`MAX_LEVELS`].
    pub fn charge_value(&self, value: &Value) -> Result<(), Exceeded> {
        let size = measure(value);
        if self.level.get() + size.depth > MAX_LEVELS {
            return Err(Exceeded::Levels);
        }
        self.charge(size.nodes, size.bytes)
    }

    /// Counts one more item (a value built, too).
    pub fn add_item(&self) -> Result<(), Exceeded> {
        if self.items.get() >= MAX_ITEMS {
            return Err(Exceeded::Items);
        }
        self.items.set(self.items.get() + 1);
        self.charge(1, 0)
    }

    /// Whether `exceeded` is reported for the first time.
    pub fn first_report(&self, exceeded: Exceeded) -> bool {
        let bit = 1 << exceeded as u8;
        let first = self.reported.get() & bit == 0;
        self.reported.set(self.reported.get() | bit);
        first
    }

    /// Whether the node or byte budget is spent.
    pub fn is_spent(&self) -> bool {
        self.spent.get().is_some()
    }

    /// Enters `levels` levels of recursion; they are left when the guard drops.
    pub fn enter(&self, levels: usize) -> Result<Level<'_>, Exceeded> {
        if let Some(spent) = self.spent.get() {
            return Err(spent);
        }
        let level = self.level.get() + levels;
        if level > MAX_LEVELS {
            return Err(Exceeded::Levels);
        }
        self.level.set(level);
        Ok(Level { budget: self, levels })
    }
}

/// Levels of recursion entered, left on drop.
pub(super) struct Level<'b> {
    budget: &'b Budget,
    levels: usize,
}

impl Drop for Level<'_> {
    fn drop(&mut self) {
        self.budget.level.set(self.budget.level.get() - self.levels);
    }
}

/// The cost of a value: its nodes, the bytes of its text, and its depth
/// (a scalar is 0). Values come from evaluation, so the recursion is bounded
/// by [`MAX_LEVELS`].
struct Size {
    nodes: usize,
    bytes: usize,
    depth: usize,
}

fn measure(value: &Value) -> Size {
    let mut size = Size {
        nodes: 1,
        bytes: 0,
        depth: 0,
    };
    let mut add = |inner: Size, key: usize| {
        size.nodes += inner.nodes;
        size.bytes += inner.bytes + key;
        size.depth = size.depth.max(inner.depth + 1);
    };
    match &value.kind {
        ValueKind::List(items) => items.iter().for_each(|v| add(measure(v), 0)),
        ValueKind::Map(props) => props.iter().for_each(|p| add(measure(&p.value), p.key.len())),
        ValueKind::Cond(c) => {
            add(measure(&c.then), 0);
            add(measure(&c.otherwise), 0);
        }
        ValueKind::String(s) | ValueKind::Number(s) => size.bytes = s.len(),
        // A reason's texts are bounded (descriptions are cut at 80 characters).
        ValueKind::Unknown(_) => size.bytes = std::mem::size_of::<Unknowable>(),
        ValueKind::Interp(parts) => {
            size.bytes = parts
                .iter()
                .map(|p| match p {
                    Part::Lit(s) => s.len(),
                    Part::Unknown(_) => std::mem::size_of::<Unknowable>(),
                    Part::Ref(r) => r.target.len(),
                })
                .sum()
        }
        ValueKind::Ref(r) => size.bytes = r.target.len(),
        ValueKind::Null | ValueKind::Bool(_) | ValueKind::Absent => {}
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Span;

    fn list(items: Vec<Value>) -> Value {
        Value::new(Span::default(), ValueKind::List(items))
    }

    #[test]
    fn values_are_charged_by_nodes_bytes_and_depth() {
        let budget = Budget::default();
        let leaf = Value::new(Span::default(), ValueKind::String("abc".into()));
        let value = list(vec![leaf.clone(), list(vec![leaf])]);
        budget.charge_value(&value).unwrap();
        assert_eq!((budget.nodes.get(), budget.bytes.get()), (4, 6));
        let _inside = budget.enter(MAX_LEVELS - 1).unwrap();
        assert_eq!(budget.charge_value(&value), Err(Exceeded::Levels));
        assert!(!budget.is_spent());
    }

    #[test]
    fn levels_are_left_on_drop_and_a_spent_budget_stays_spent() {
        let budget = Budget::default();
        {
            let _a = budget.enter(MAX_LEVELS).unwrap();
            assert!(budget.enter(1).is_err());
        }
        assert!(budget.enter(MAX_LEVELS).is_ok());
        assert_eq!(budget.charge(MAX_NODES + 1, 0), Err(Exceeded::Nodes));
        assert_eq!(budget.charge(0, 0), Err(Exceeded::Nodes));
        assert!(budget.enter(1).is_err());
    }
}
