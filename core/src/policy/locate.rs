//! Finding the line of a key in a policy's TOML text, so that every policy
//! error names the file, the line and the key.

use toml_edit::{ImDocument, Item, Table, Value};

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A key in a table.
    Key(String),
    /// A position in an array (0-based).
    Index(usize),
}

/// A dotted key path such as `rules[2].split`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Seg>);

impl KeyPath {
    /// The empty path (the whole file).
    pub fn root() -> Self {
        KeyPath(Vec::new())
    }
    /// This path with a key appended.
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.0.clone();
        p.push(Seg::Key(k.to_string()));
        KeyPath(p)
    }
    /// This path with an index appended.
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.0.clone();
        p.push(Seg::Index(i));
        KeyPath(p)
    }
}

impl std::fmt::Display for KeyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// 1-based line number of byte offset `at` in `text`.
pub fn line_at(text: &str, at: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(at)
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The line where `path` is written in `text`, or the nearest enclosing key
/// that has a position.
pub fn line_of(text: &str, path: &KeyPath) -> Option<usize> {
    let doc = ImDocument::parse(text).ok()?;
    let mut best: Option<usize> = None;
    let mut node = Node::Table(doc.as_table());
    for seg in &path.0 {
        match node.step(seg) {
            Some((next, span)) => {
                if let Some(s) = span {
                    best = Some(s);
                }
                node = next;
            }
            None => break,
        }
    }
    best.map(|at| line_at(text, at))
}

/// A place in the parsed document.
#[derive(Clone, Copy)]
enum Node<'a> {
    Table(&'a Table),
    Item(&'a Item),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    /// The child at `seg` and the byte offset where it is written.
    fn step(self, seg: &Seg) -> Option<(Node<'a>, Option<usize>)> {
        match (self, seg) {
            (Node::Table(t), Seg::Key(k)) => {
                let item = t.get(k)?;
                let span = t.key(k).and_then(|key| key.span()).or_else(|| item.span());
                Some((Node::Item(item), span.map(|r| r.start)))
            }
            (Node::Item(Item::Table(t)), _) => Node::Table(t).step(seg),
            (Node::Item(Item::Value(v)), _) => Node::Value(v).step(seg),
            (Node::Item(Item::ArrayOfTables(a)), Seg::Index(i)) => {
                let t = a.get(*i)?;
                Some((Node::Table(t), t.span().map(|r| r.start)))
            }
            (Node::Value(Value::InlineTable(t)), Seg::Key(k)) => {
                let v = t.get(k)?;
                let span = t.key(k).and_then(|key| key.span()).or_else(|| v.span());
                Some((Node::Value(v), span.map(|r| r.start)))
            }
            (Node::Value(Value::Array(a)), Seg::Index(i)) => {
                let v = a.get(*i)?;
                Some((Node::Value(v), v.span().map(|r| r.start)))
            }
            _ => None,
        }
    }
}
