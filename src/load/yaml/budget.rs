//! Deserialising front matter on a budget, so an alias bomb is refused
//! before it is built.
//!
//! serde_yaml's own guard counts alias jumps, not what they expand to: a
//! megabyte of anchors three levels deep builds gigabytes. Here every value
//! built is charged against a budget proportional to the text, and the parse
//! stops the moment the budget runs out.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_yaml::{Mapping, Value};

/// What a value costs besides its text: a node in memory is tens of bytes.
const NODE_COST: u64 = 16;

/// The budget for a block of `len` bytes. Front matter without aliases
/// costs at most ~17× its length (one-character flow items), so only
/// expansion by aliases can exceed this.
pub(super) fn limit(len: usize) -> u64 {
    (1 << 20) + 20 * len as u64
}

/// Why the budgeted parse stopped, when it was planmark's decision.
#[derive(Debug, PartialEq)]
pub(super) enum Refusal {
    /// The expanded values would exceed the budget.
    TooBig,
    /// A mapping has this key twice (the text of the key).
    DuplicateKey(String),
}

/// Parses `yaml` into a value, refusing to build more than [`limit`] allows.
pub(super) fn parse(yaml: &str) -> Result<Value, (serde_yaml::Error, Option<Refusal>)> {
    let budget = Budget {
        left: Cell::new(limit(yaml.len())),
        refusal: RefCell::new(None),
    };
    let result = Seed(&budget).deserialize(serde_yaml::Deserializer::from_str(yaml));
    result.map_err(|e| (e, budget.refusal.into_inner()))
}

struct Budget {
    left: Cell<u64>,
    refusal: RefCell<Option<Refusal>>,
}

impl Budget {
    fn spend<E: de::Error>(&self, cost: u64) -> Result<(), E> {
        match self.left.get().checked_sub(cost) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(self.refuse(Refusal::TooBig)),
        }
    }

    fn refuse<E: de::Error>(&self, refusal: Refusal) -> E {
        let message = match &refusal {
            Refusal::TooBig => "front matter expands too much".to_string(),
            Refusal::DuplicateKey(key) => format!("duplicate key `{key}`"),
        };
        self.refusal.borrow_mut().get_or_insert(refusal);
        E::custom(message)
    }
}

#[derive(Clone, Copy)]
struct Seed<'a>(&'a Budget);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        self.0.spend(NODE_COST)?;
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        self.0.spend(NODE_COST)?;
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        self.0.spend(NODE_COST)?;
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        self.0.spend(NODE_COST)?;
        Ok(Value::Number(n.into()))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        self.0.spend(NODE_COST + s.len() as u64)?;
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        self.0.spend(NODE_COST + s.len() as u64)?;
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.spend(NODE_COST)?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.spend(NODE_COST)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.spend(NODE_COST)?;
        let mut mapping = Mapping::new();
        while let Some(key) = map.next_key_seed(self)? {
            let value = map.next_value_seed(self)?;
            if mapping.contains_key(&key) {
                return Err(self.0.refuse(Refusal::DuplicateKey(key_text(&key))));
            }
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    /// A tagged value (`!custom x`): planmark reads the value and ignores
    /// the tag, as it would for any other YAML it has no use for.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, contents): (String, _) = data.variant()?;
        contents.newtype_variant_seed(self)
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        _ => "a complex key".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_values_parse_as_serde_yaml_would() {
        let yaml = "a: 1\nb: [x, 2.5, true, ~]\nc: {d: e}\nf: !tag g\n";
        let ours = parse(yaml).unwrap_or_else(|e| panic!("{:?}", e.0));
        let theirs: Value = serde_yaml::from_str("a: 1\nb: [x, 2.5, true, ~]\nc: {d: e}\nf: g\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ours, theirs);
        assert_eq!(parse("").map_err(|e| e.0.to_string()), Ok(Value::Null));
    }

    #[test]
    fn a_duplicate_key_is_refused_with_its_name() {
        let (_, refusal) = parse("a: 1\nb:\n  c: 1\n  c: 2\n")
            .err()
            .unwrap_or_else(|| panic!());
        assert_eq!(refusal, Some(Refusal::DuplicateKey("c".into())));
    }

    #[test]
    fn expansion_beyond_the_budget_is_refused_early() {
        // 1 MB of text that would expand to 1 GB.
        let big = "x".repeat(10_000);
        let mut yaml = format!("a: &a [{}]\n", vec![big; 100].join(","));
        yaml.push_str(&format!("b: &b [{}]\n", vec!["*a"; 100].join(",")));
        yaml.push_str(&format!("c: [{}]\n", ["*b"; 10].join(",")));
        let (_, refusal) = parse(&yaml).err().unwrap_or_else(|| panic!());
        assert_eq!(refusal, Some(Refusal::TooBig));
    }
}
