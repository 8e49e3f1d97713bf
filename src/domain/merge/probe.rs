//! A register entity taken apart into its fields, each as RON text, and
//! put together again from them.
//!
//! Why text: a conflict records `base`, `ours` and `theirs` as strings
//! (REGISTER.md §5), and the workbench's "take theirs" must turn the string
//! back into the field's value. The RON text of the value is exactly what
//! the file would say, parses back into the field's own type, and compares
//! as a string. Going through serde (rather than code per struct) means a
//! field added to the model is merged without this module knowing about it.
//!
//! [`fields_of`] runs the entity through a small serializer that stops at
//! each struct field and writes that value alone with `ron::to_string`
//! (keeping its type: `Some(…)`, enum variants, dates as strings); list
//! values also give their items one by one, for the set and append-only
//! merges. [`from_fields`] writes `(name: text, …)` and lets the model's own
//! `Deserialize` read it, with every check the loader has.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde::ser::{self, Impossible, SerializeSeq, SerializeStruct};

/// One field of an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    /// The name the file gives it.
    pub name: &'static str,
    /// Its value as RON text.
    pub text: String,
    /// For a list, each item as RON text.
    pub items: Option<Vec<String>>,
}

/// The fields of `value` (a struct) in declaration order, or `None` when
/// it is not a struct or cannot be written as RON.
pub(crate) fn fields_of<T: Serialize>(value: &T) -> Option<Vec<Field>> {
    match value.serialize(Probe) {
        Ok(Probed::Struct(fields)) => Some(fields),
        _ => None,
    }
}

/// The items of a list as RON text, or `None` when `value` is no list.
fn items_of<T: Serialize + ?Sized>(value: &T) -> Option<Vec<String>> {
    match value.serialize(Probe) {
        Ok(Probed::Seq(items)) => Some(items),
        _ => None,
    }
}

/// A value as compact RON text (`Some("2027-01-31")`, `Modify`, `["8.7"]`);
/// empty if it cannot be written (no type of the model does that).
pub fn ron_text<T: Serialize + ?Sized>(value: &T) -> String {
    ron::to_string(value).unwrap_or_default()
}

/// Puts an entity together again from its fields' texts.
pub(crate) fn from_fields<T: DeserializeOwned>(fields: &[Field]) -> Result<T, String> {
    let mut text = String::from("(");
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(f.name);
        text.push(':');
        text.push_str(&f.text);
    }
    text.push(')');
    ron::from_str(&text).map_err(|e| e.to_string())
}

/// A list written back from its items' texts.
pub(crate) fn list_text(items: &[String]) -> String {
    format!("[{}]", items.join(","))
}

/// What the probe found.
enum Probed {
    Struct(Vec<Field>),
    Seq(Vec<String>),
}

/// The probe's only error: the value is neither a struct nor a list (the
/// caller then has no parts to merge, and treats the value as one).
#[derive(Debug)]
struct NotProbed(String);

impl std::fmt::Display for NotProbed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotProbed {}

impl ser::Error for NotProbed {
    fn custom<M: std::fmt::Display>(msg: M) -> Self {
        NotProbed(msg.to_string())
    }
}

struct Probe;

struct StructProbe(Vec<Field>);

struct SeqProbe(Vec<String>);

fn not() -> Result<Probed, NotProbed> {
    Err(NotProbed("not a struct or a list".into()))
}

macro_rules! scalars {
    ($($name:ident: $t:ty),* $(,)?) => {
        $(fn $name(self, _: $t) -> Result<Probed, NotProbed> { not() })*
    };
}

impl ser::Serializer for Probe {
    type Ok = Probed;
    type Error = NotProbed;
    type SerializeSeq = SeqProbe;
    type SerializeTuple = Impossible<Probed, NotProbed>;
    type SerializeTupleStruct = Impossible<Probed, NotProbed>;
    type SerializeTupleVariant = Impossible<Probed, NotProbed>;
    type SerializeMap = Impossible<Probed, NotProbed>;
    type SerializeStruct = StructProbe;
    type SerializeStructVariant = Impossible<Probed, NotProbed>;

    scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str, serialize_bytes: &[u8],
    );

    fn serialize_none(self) -> Result<Probed, NotProbed> {
        not()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Probed, NotProbed> {
        not()
    }
    fn serialize_unit(self) -> Result<Probed, NotProbed> {
        not()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Probed, NotProbed> {
        not()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Probed, NotProbed> {
        not()
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Probed, NotProbed> {
        value.serialize(Probe)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Probed, NotProbed> {
        not()
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqProbe, NotProbed> {
        Ok(SeqProbe(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotProbed> {
        Err(NotProbed("tuple".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotProbed> {
        Err(NotProbed("tuple struct".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotProbed> {
        Err(NotProbed("tuple variant".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotProbed> {
        Err(NotProbed("map".into()))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<StructProbe, NotProbed> {
        Ok(StructProbe(Vec::with_capacity(len)))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotProbed> {
        Err(NotProbed("struct variant".into()))
    }
}

impl SerializeStruct for StructProbe {
    type Ok = Probed;
    type Error = NotProbed;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), NotProbed> {
        let text = ron::to_string(value).map_err(|e| NotProbed(e.to_string()))?;
        self.0.push(Field {
            name,
            text,
            items: items_of(value),
        });
        Ok(())
    }

    fn end(self) -> Result<Probed, NotProbed> {
        Ok(Probed::Struct(self.0))
    }
}

impl SerializeSeq for SeqProbe {
    type Ok = Probed;
    type Error = NotProbed;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotProbed> {
        self.0
            .push(ron::to_string(value).map_err(|e| NotProbed(e.to_string()))?);
        Ok(())
    }

    fn end(self) -> Result<Probed, NotProbed> {
        Ok(Probed::Seq(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Risk;

    fn risk() -> Risk {
        ron::from_str(
            r#"(id: "R-1", title: "T", asset: "A", threat: "T", likelihood: 2, impact: 3,
            treatment: Modify, controls: ["8.7", "5.1"], reviewed: Some("2026-01-02"),
            residual: Some((likelihood: 1, impact: 1, note: "n")),
            notes: [(on: "2026-01-01", by: "x", text: "y")])"#,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_risk_comes_apart_into_typed_ron_fields_and_back() {
        let r = risk();
        let fields = fields_of(&r).unwrap_or_default();
        let get = |n: &str| fields.iter().find(|f| f.name == n).cloned();
        assert_eq!(get("treatment").map(|f| f.text), Some("Modify".into()));
        assert_eq!(
            get("reviewed").map(|f| f.text),
            Some("Some(\"2026-01-02\")".into())
        );
        assert_eq!(
            get("controls").and_then(|f| f.items),
            Some(vec!["\"8.7\"".to_string(), "\"5.1\"".to_string()])
        );
        assert_eq!(get("title").and_then(|f| f.items), None);
        let back: Risk = from_fields(&fields).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, r);
    }
}
