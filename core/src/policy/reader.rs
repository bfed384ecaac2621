//! Reading a policy's TOML text into the types of [`super::file`]: a small
//! serde deserializer over `toml_edit`'s parsed document.
//!
//! Every policy goes through it: a file, a built-in policy, a policy with
//! what-if overrides (read from the edited document). It is ours rather than
//! the `toml` crate's for two reasons:
//! - every error carries the byte offset of the key or value it is about
//!   (an unknown key, a value of the wrong type, a table missing a field),
//!   so a policy error names the exact line;
//! - the policy types are compiled for this one deserializer, not for
//!   `toml`'s half-dozen plus serde's buffered form of tagged enums. Those
//!   copies were over a third of the `.wasm`.
//!
//! Two conventions, both part of the file format:
//! - a table's `kind` key is handed over first, wherever it is written, so
//!   the tagged rules and checks need no buffering (see
//!   `file::read_tagged!`);
//! - a TOML date reads as its text (`2011-07-01`), so [`super::values::PolicyDate`]
//!   takes a date or a string alike, and a date written where text is
//!   expected reads as that text.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use std::fmt;
use toml_edit::{ImDocument, Item, Value};

/// A policy text that does not read: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// What is wrong (`unknown field `x`, expected one of …`).
    pub message: String,
    /// Byte offset in the text of the key or value it is about, when known.
    pub at: Option<usize>,
}

impl ReadError {
    /// This error, placed at `at` unless something nearer placed it already.
    fn or_at(mut self, at: Option<usize>) -> Self {
        if self.at.is_none() {
            self.at = at;
        }
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ReadError {
            message: msg.to_string(),
            at: None,
        }
    }
}

/// Read a whole TOML text as a `T`.
///
/// # Errors
/// Text that is not TOML, or TOML that is not a `T`, with the offset of the
/// place it is about.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, ReadError> {
    let doc = ImDocument::parse(text).map_err(|e| ReadError {
        message: e.message().trim().to_string(),
        at: e.span().map(|s| s.start),
    })?;
    // What is missing from the whole file is placed on its first line.
    read(doc.as_table(), Some(0))
}

/// Read a parsed (or edited) TOML document as a `T`.
///
/// # Errors
/// TOML that is not a `T`, with the offset of the place it is about when the
/// document still has the positions of its text.
pub fn from_table<T: DeserializeOwned>(table: &toml_edit::Table) -> Result<T, ReadError> {
    read(table, start(table.span()))
}

fn read<T: DeserializeOwned>(table: &toml_edit::Table, at: Option<usize>) -> Result<T, ReadError> {
    T::deserialize(Node {
        tree: Tree::Table(table),
        at,
    })
}

/// The shape of a place in the document.
#[derive(Clone, Copy)]
enum Tree<'a> {
    /// A `[table]` (or the whole document).
    Table(&'a toml_edit::Table),
    /// An `{ inline = table }`.
    Inline(&'a toml_edit::InlineTable),
    /// A `[list, of, values]`.
    Array(&'a toml_edit::Array),
    /// A `[[list.of.tables]]`.
    Tables(&'a toml_edit::ArrayOfTables),
    /// A string, number, boolean or date.
    Scalar(&'a Value),
}

/// A place in the document and the offset its errors are placed at.
#[derive(Clone, Copy)]
struct Node<'a> {
    tree: Tree<'a>,
    at: Option<usize>,
}

fn start(span: Option<std::ops::Range<usize>>) -> Option<usize> {
    span.map(|s| s.start)
}

impl<'a> Node<'a> {
    /// A value; `fallback` places it when it has no span of its own.
    fn value(v: &'a Value, fallback: Option<usize>) -> Node<'a> {
        let tree = match v {
            Value::Array(a) => Tree::Array(a),
            Value::InlineTable(t) => Tree::Inline(t),
            scalar => Tree::Scalar(scalar),
        };
        Node {
            tree,
            at: start(v.span()).or(fallback),
        }
    }

    /// A `[table]`; `fallback` places it when it has no span of its own.
    fn table(t: &'a toml_edit::Table, fallback: Option<usize>) -> Node<'a> {
        Node {
            tree: Tree::Table(t),
            at: start(t.span()).or(fallback),
        }
    }

    /// A table entry (`None` for an empty slot).
    fn item(item: &'a Item, fallback: Option<usize>) -> Option<Node<'a>> {
        match item {
            Item::None => None,
            Item::Value(v) => Some(Node::value(v, fallback)),
            Item::Table(t) => Some(Node::table(t, fallback)),
            Item::ArrayOfTables(a) => Some(Node {
                tree: Tree::Tables(a),
                at: start(a.span()).or(fallback),
            }),
        }
    }

    /// The entries of a table, `kind` first; `None` if this is no table.
    fn entries(self) -> Option<Vec<Entry<'a>>> {
        let mut entries: Vec<Entry<'a>> = match self.tree {
            Tree::Table(t) => t
                .iter()
                .filter_map(|(key, item)| {
                    let key_at = start(t.key(key).and_then(|k| k.span())).or(self.at);
                    Node::item(item, key_at).map(|node| Entry { key, key_at, node })
                })
                .collect(),
            Tree::Inline(t) => t
                .iter()
                .map(|(key, v)| {
                    let key_at = start(t.key(key).and_then(|k| k.span())).or(self.at);
                    Entry {
                        key,
                        key_at,
                        node: Node::value(v, key_at),
                    }
                })
                .collect(),
            _ => return None,
        };
        if let Some(i) = entries.iter().position(|e| e.key == "kind") {
            let kind = entries.remove(i);
            entries.insert(0, kind);
        }
        Some(entries)
    }

    /// The elements of a list; `None` if this is no list.
    fn elements(self) -> Option<Vec<Node<'a>>> {
        match self.tree {
            Tree::Array(a) => Some(a.iter().map(|v| Node::value(v, self.at)).collect()),
            Tree::Tables(a) => Some(a.iter().map(|t| Node::table(t, self.at)).collect()),
            _ => None,
        }
    }

    /// The error for a value of the wrong kind: "invalid type: string
    /// "x", expected …".
    fn not(self, expected: &dyn de::Expected) -> ReadError {
        let unexpected = match self.tree {
            Tree::Table(_) | Tree::Inline(_) => de::Unexpected::Map,
            Tree::Array(_) | Tree::Tables(_) => de::Unexpected::Seq,
            Tree::Scalar(Value::String(s)) => de::Unexpected::Str(s.value()),
            Tree::Scalar(Value::Integer(i)) => de::Unexpected::Signed(*i.value()),
            Tree::Scalar(Value::Float(x)) => de::Unexpected::Float(*x.value()),
            Tree::Scalar(Value::Boolean(b)) => de::Unexpected::Bool(*b.value()),
            Tree::Scalar(_) => de::Unexpected::Other("a date"),
        };
        de::Error::invalid_type(unexpected, expected)
    }

    fn read_any<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if let Some(entries) = self.entries() {
            return visitor.visit_map(Entries::new(entries));
        }
        if let Some(elements) = self.elements() {
            return visitor.visit_seq(Elements(elements.into_iter()));
        }
        match self.tree {
            Tree::Scalar(Value::String(_) | Value::Datetime(_)) => {
                de::Deserializer::deserialize_str(self, visitor)
            }
            Tree::Scalar(Value::Integer(i)) => visitor.visit_i64(*i.value()),
            Tree::Scalar(Value::Float(x)) => visitor.visit_f64(*x.value()),
            Tree::Scalar(Value::Boolean(b)) => visitor.visit_bool(*b.value()),
            _ => Err(de::Error::custom("a value of no known kind")),
        }
    }

    fn read_enum<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        // A unit variant is written as its name.
        if let Tree::Scalar(Value::String(s)) = self.tree {
            return visitor.visit_enum(s.value().as_str().into_deserializer());
        }
        // A variant with fields as a table of one key: `{ fixed = { count = 5 } }`.
        match self.entries().map(<[Entry<'_>; 1]>::try_from) {
            Some(Ok([entry])) => visitor.visit_enum(entry),
            Some(Err(entries)) => Err(de::Error::custom(format!(
                "expected a table of one key naming the variant, found {} keys",
                entries.len()
            ))),
            None => self.read_any(visitor),
        }
    }
}

/// Methods of a `Deserializer` that read as another of its methods does.
macro_rules! forward_to {
    ($($($method:ident)* => $to:ident;)*) => {
        $($(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
                self.$to(visitor)
            }
        )*)*
    };
}

impl<'de> de::Deserializer<'de> for Node<'_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let at = self.at;
        self.read_any(visitor).map_err(|e| e.or_at(at))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        // An absent key is an absent option; a written one is always some.
        let at = self.at;
        visitor.visit_some(self).map_err(|e| e.or_at(at))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let at = self.at;
        visitor.visit_newtype_struct(self).map_err(|e| e.or_at(at))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let at = self.at;
        self.read_enum(visitor).map_err(|e| e.or_at(at))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let at = self.at;
        match self.entries() {
            Some(entries) => visitor.visit_map(Entries::new(entries)),
            None => Err(self.not(&visitor)),
        }
        .map_err(|e| e.or_at(at))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let at = self.at;
        match self.elements() {
            Some(elements) => visitor.visit_seq(Elements(elements.into_iter())),
            None => Err(self.not(&visitor)),
        }
        .map_err(|e| e.or_at(at))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.tree {
            Tree::Scalar(Value::String(s)) => visitor.visit_str(s.value()),
            Tree::Scalar(Value::Datetime(d)) => visitor.visit_str(&d.value().to_string()),
            _ => Err(self.not(&visitor)),
        }
        .map_err(|e| e.or_at(self.at))
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.tree {
            Tree::Scalar(Value::Integer(i)) => visitor.visit_i64(*i.value()),
            _ => Err(self.not(&visitor)),
        }
        .map_err(|e| e.or_at(self.at))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.tree {
            Tree::Scalar(Value::Boolean(b)) => visitor.visit_bool(*b.value()),
            _ => Err(self.not(&visitor)),
        }
        .map_err(|e| e.or_at(self.at))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_unit()
    }

    // Each kind of value has one way in, so a type is compiled only for the
    // ways it can be read (no struct read from a list, say).
    serde::forward_to_deserialize_any! {
        f32 f64 i128 u128 bytes byte_buf unit unit_struct
    }

    forward_to! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_u8 deserialize_u16
        deserialize_u32 deserialize_u64 => deserialize_i64;
        deserialize_char deserialize_string deserialize_identifier => deserialize_str;
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }
}

/// One key of a table, where it is written, and its value.
struct Entry<'a> {
    key: &'a str,
    key_at: Option<usize>,
    node: Node<'a>,
}

/// A table's entries handed to a visitor one by one.
struct Entries<'a> {
    rest: std::vec::IntoIter<Entry<'a>>,
    value: Option<Node<'a>>,
}

impl<'a> Entries<'a> {
    fn new(entries: Vec<Entry<'a>>) -> Self {
        Entries {
            rest: entries.into_iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        let Some(entry) = self.rest.next() else {
            return Ok(None);
        };
        self.value = Some(entry.node);
        seed.deserialize(entry.key.into_deserializer())
            .map(Some)
            .map_err(|e: ReadError| e.or_at(entry.key_at))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        match self.value.take() {
            Some(node) => seed.deserialize(node),
            None => Err(de::Error::custom("a value asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.rest.len())
    }
}

/// A list's elements handed to a visitor one by one.
struct Elements<'a>(std::vec::IntoIter<Node<'a>>);

impl<'de> SeqAccess<'de> for Elements<'_> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        self.0.next().map(|node| seed.deserialize(node)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// A one-key table read as an enum: the key names the variant.
impl<'de, 'a> EnumAccess<'de> for Entry<'a> {
    type Error = ReadError;
    type Variant = Node<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Node<'a>), ReadError> {
        let key_at = self.key_at;
        let variant = seed
            .deserialize(self.key.into_deserializer())
            .map_err(|e: ReadError| e.or_at(key_at))?;
        Ok((variant, self.node))
    }
}

impl<'de> VariantAccess<'de> for Node<'_> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        Err(ReadError {
            message: "this variant takes no value; write its name alone".to_string(),
            at: self.at,
        })
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ReadError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Row {
        name: String,
        count: u32,
        #[serde(default)]
        flag: Option<bool>,
        #[serde(default)]
        shape: Option<Shape>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case", deny_unknown_fields)]
    enum Shape {
        Round,
        Box { sides: u32 },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Doc {
        rows: Vec<Row>,
        #[serde(default)]
        map: BTreeMap<String, i64>,
    }

    fn line(text: &str, e: &ReadError) -> Option<usize> {
        e.at.map(|at| super::super::locate::line_at(text, at))
    }

    #[test]
    fn reads_tables_lists_scalars_and_both_enum_forms() {
        let text = "map.a = 1\nmap.b = -2\n[[rows]]\nname = \"x\"\ncount = 3\nshape = \"round\"\n\n[[rows]]\nname = 2011-07-01\ncount = 0\nflag = true\nshape = { box = { sides = 4 } }\n";
        let doc: Doc = from_str(text).unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(
            doc,
            Doc {
                rows: vec![
                    Row {
                        name: "x".into(),
                        count: 3,
                        flag: None,
                        shape: Some(Shape::Round)
                    },
                    Row {
                        name: "2011-07-01".into(),
                        count: 0,
                        flag: Some(true),
                        shape: Some(Shape::Box { sides: 4 })
                    },
                ],
                map: BTreeMap::from([("a".into(), 1), ("b".into(), -2)]),
            }
        );
    }

    #[test]
    fn every_error_names_the_line_it_is_about() {
        let ok = "[[rows]]\nname = \"x\"\ncount = 3\n\n[[rows]]\nname = \"y\"\ncount = 4\n";
        let cases = [
            // (from, to, line of the error, words of the message)
            (
                "count = 4",
                "count = 4\ncuont = 5",
                8,
                "unknown field `cuont`",
            ),
            ("count = 4", "count = -4", 7, "invalid value"),
            ("count = 4", "count = \"4\"", 7, "invalid type: string"),
            ("name = \"y\"\n", "", 5, "missing field `name`"),
            (
                "count = 3",
                "count = 3\nshape = \"square\"",
                4,
                "unknown variant `square`",
            ),
            (
                "count = 3",
                "count = 3\nshape = { box = { sides = 4, lids = 1 } }",
                4,
                "unknown field `lids`",
            ),
            (
                "count = 3",
                "count = 3\nshape = { box = {}, round = 1 }",
                4,
                "one key",
            ),
            ("count = 3", "count = = 3", 3, "invalid"),
            (ok, "# nothing\n", 1, "missing field `rows`"),
        ];
        for (from, to, want_line, words) in cases {
            let bad = ok.replacen(from, to, 1);
            assert_ne!(bad, ok);
            let e = from_str::<Doc>(&bad)
                .err()
                .unwrap_or_else(|| unreachable!("{bad} read"));
            assert!(e.message.contains(words), "{bad}: {e:?}");
            assert_eq!(line(&bad, &e), Some(want_line), "{bad}: {e:?}");
        }
    }

    #[test]
    fn kind_is_handed_over_first_wherever_it_is_written() {
        #[derive(Deserialize)]
        struct Keys(#[serde(with = "keys")] Vec<String>);
        mod keys {
            use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = Vec<String>;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a table")
                    }
                    fn visit_map<A: MapAccess<'de>>(
                        self,
                        mut m: A,
                    ) -> Result<Vec<String>, A::Error> {
                        let mut keys = Vec::new();
                        while let Some(k) = m.next_key::<String>()? {
                            m.next_value::<IgnoredAny>()?;
                            keys.push(k);
                        }
                        Ok(keys)
                    }
                }
                d.deserialize_map(V)
            }
        }
        let keys = from_str::<Keys>("id = 1\nzh = 2\nkind = 3\nen = 4\n").map(|k| k.0);
        assert_eq!(
            keys,
            Ok(vec!["kind".into(), "id".into(), "zh".into(), "en".into()])
        );
    }
}
