//! Table rows read straight from the request's JSON text: each object
//! becomes a short list of (field, cell) pairs whose text is borrowed from
//! the request where it has no escapes, with no `serde_json::Value` in
//! between. The cells then go through [`crate::rows`] like every other
//! front-end's.

use crate::rows::{Cell, Row};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// One row of a request table: a JSON object, or anything else (refused by
/// the reader with the row's position).
#[derive(Debug, Clone, PartialEq)]
pub enum Record<'de> {
    /// A JSON object's fields, in the order written.
    Object(Vec<(Cow<'de, str>, Scalar<'de>)>),
    /// Not an object.
    NotObject,
}

/// A field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'de> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number that fits in `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// Text.
    Str(Cow<'de, str>),
    /// A nested list or object (a person's `posts`), kept as a value.
    Nested(Value),
}

impl<'de> Record<'de> {
    /// The value of `field` (the last one, if the object repeats it, as a
    /// JSON parser keeps).
    pub fn get(&self, field: &str) -> Option<&Scalar<'de>> {
        match self {
            Record::Object(fields) => fields
                .iter()
                .rev()
                .find(|(name, _)| name == field)
                .map(|(_, v)| v),
            Record::NotObject => None,
        }
    }

    /// The field names, in the order written.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        let fields = match self {
            Record::Object(fields) => fields.as_slice(),
            Record::NotObject => &[],
        };
        fields.iter().map(|(name, _)| name.as_ref())
    }

    /// Whether the row is a JSON object.
    pub fn is_object(&self) -> bool {
        matches!(self, Record::Object(_))
    }
}

impl Row for Record<'_> {
    fn cell(&self, field: &str) -> Cell<'_> {
        match self.get(field) {
            None => Cell::Missing,
            Some(Scalar::Null) => Cell::Null,
            Some(Scalar::Bool(b)) => Cell::Bool(*b),
            Some(Scalar::Int(i)) => Cell::Int(*i),
            Some(Scalar::Float(f)) => Cell::Float(*f),
            Some(Scalar::Str(s)) => Cell::Str(Cow::Borrowed(s)),
            Some(Scalar::Nested(v)) => Cell::Str(Cow::Owned(v.to_string())),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Record<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RecordVisitor(std::marker::PhantomData))
    }
}

struct RecordVisitor<'a>(std::marker::PhantomData<&'a ()>);

/// Anything that is not an object reads as [`Record::NotObject`] (its
/// content is skipped), so the reader can name the row.
macro_rules! not_object {
    ($($name:ident($ty:ty)),*) => {
        $(fn $name<E: de::Error>(self, _: $ty) -> Result<Record<'a>, E> {
            Ok(Record::NotObject)
        })*
    };
}

impl<'de: 'a, 'a> Visitor<'de> for RecordVisitor<'a> {
    type Value = Record<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record<'a>, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(Text(name)) = map.next_key::<Text<'a>>()? {
            fields.push((name, map.next_value::<Scalar<'a>>()?));
        }
        Ok(Record::Object(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Record<'a>, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Record::NotObject)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Record<'a>, E> {
        Ok(Record::NotObject)
    }

    not_object!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64),
        visit_str(&str)
    );
}

/// A key or string, borrowed from the request text when it can be.
struct Text<'de>(Cow<'de, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(s.to_string())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor(std::marker::PhantomData))
    }
}

struct ScalarVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for ScalarVisitor<'a> {
    type Value = Scalar<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Null)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Int(i))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Scalar<'a>, E> {
        // As serde_json's own numbers: a whole number past i64 is a float.
        Ok(i64::try_from(u).map_or(Scalar::Float(u as f64), Scalar::Int))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Float(f))
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Str(Cow::Owned(s.to_string())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Str(Cow::Owned(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar<'a>, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Scalar::Nested)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar<'a>, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Scalar::Nested)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Record<'_>> {
        serde_json::from_str(text).unwrap_or_default()
    }

    #[test]
    fn cells_read_as_a_json_value_would() {
        let text = r#"[{"id": "C1", "households": 2750, "score": 91.5, "big": 18446744073709551615,
                        "serving": true, "end": null, "name": "社区\"A\"", "posts": [{"post": "x"}]}]"#;
        let r = rows(text);
        let v: Vec<Value> = serde_json::from_str(text).unwrap_or_default();
        let json = v.first().and_then(Value::as_object);
        for field in [
            "id",
            "households",
            "score",
            "big",
            "serving",
            "end",
            "name",
            "posts",
            "absent",
        ] {
            let want = super::super::json_cell(json.and_then(|o| o.get(field)));
            assert_eq!(r[0].cell(field), want, "{field}");
        }
        // Text without escapes is borrowed from the request.
        assert!(matches!(
            r[0].get("id"),
            Some(Scalar::Str(Cow::Borrowed("C1")))
        ));
    }

    #[test]
    fn a_repeated_field_keeps_the_last_value_and_non_objects_are_marked() {
        let r = rows(r#"[{"id": "a", "id": "b"}, 3, "x", [1, {"a": 2}], null, {}]"#);
        assert_eq!(r[0].cell("id"), Cell::Str("b".into()));
        assert_eq!(
            r.iter().map(Record::is_object).collect::<Vec<_>>(),
            [true, false, false, false, false, true]
        );
    }
}
