//! A JSONPath subset for overlay targets: `$`, `.name`, `['name']`, `[n]`, `.*`, `[*]`,
//! and filters `[?(@.key == 'value')]`.

use serde_json::Value;

/// One step of a parsed path.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A member by name.
    Key(String),
    /// An array element by index.
    Index(usize),
    /// Every member or element.
    Wildcard,
    /// Array elements (or object members) whose `key` equals `value`.
    Filter {
        /// The member compared.
        key: String,
        /// The value it must equal.
        value: Value,
    },
}

/// Parses a JSONPath expression; the error says what was not understood.
pub fn parse(expr: &str) -> Result<Vec<Step>, String> {
    let rest = expr
        .strip_prefix('$')
        .ok_or_else(|| format!("'{expr}' must start with '$'"))?;
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    let mut steps = Vec::new();
    while i < chars.len() {
        match chars[i] {
            '.' => {
                i += 1;
                let start = i;
                while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                if name.is_empty() {
                    return Err(format!("empty name at offset {start} in '{expr}'"));
                }
                steps.push(if name == "*" {
                    Step::Wildcard
                } else {
                    Step::Key(name)
                });
            }
            '[' => {
                let close =
                    find_close(&chars, i).ok_or_else(|| format!("unclosed '[' in '{expr}'"))?;
                let inner: String = chars[i + 1..close].iter().collect();
                steps.push(parse_bracket(inner.trim()).map_err(|e| format!("{e} in '{expr}'"))?);
                i = close + 1;
            }
            c => return Err(format!("unexpected '{c}' at offset {i} in '{expr}'")),
        }
    }
    Ok(steps)
}

fn find_close(chars: &[char], open: usize) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut i = open + 1;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(_) if c == '\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == ']' => return Some(i),
            None => {}
        }
        i += 1;
    }
    None
}

fn unquote(s: &str) -> Option<String> {
    let s = s.trim();
    let q = s.chars().next()?;
    if (q == '\'' || q == '"') && s.len() >= 2 && s.ends_with(q) {
        let body = &s[1..s.len() - 1];
        let mut out = String::new();
        let mut it = body.chars();
        while let Some(c) = it.next() {
            if c == '\\' {
                if let Some(n) = it.next() {
                    out.push(n);
                }
            } else {
                out.push(c);
            }
        }
        Some(out)
    } else {
        None
    }
}

fn parse_bracket(inner: &str) -> Result<Step, String> {
    if inner == "*" {
        return Ok(Step::Wildcard);
    }
    if let Some(name) = unquote(inner) {
        return Ok(Step::Key(name));
    }
    if let Ok(n) = inner.parse::<usize>() {
        return Ok(Step::Index(n));
    }
    if let Some(filter) = inner.strip_prefix("?(").and_then(|f| f.strip_suffix(')')) {
        let (lhs, rhs) = filter
            .split_once("==")
            .ok_or("only '==' filters are supported")?;
        let key = lhs
            .trim()
            .strip_prefix("@.")
            .ok_or("a filter must compare '@.key'")?
            .to_string();
        let rhs = rhs.trim();
        let value = match unquote(rhs) {
            Some(s) => Value::String(s),
            None => serde_json::from_str(rhs)
                .map_err(|_| format!("cannot read filter value '{rhs}'"))?,
        };
        return Ok(Step::Filter { key, value });
    }
    Err(format!("unsupported selector '[{inner}]'"))
}

/// A location in a document, as a list of member names and indexes.
pub type Location = Vec<PathToken>;

/// One token of a concrete location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathToken {
    /// A member name.
    Key(String),
    /// An array index.
    Index(usize),
}

/// Every concrete location that `steps` selects in `root`, in document order.
pub fn select<'a>(root: &'a Value, steps: &[Step]) -> Vec<Location> {
    let mut current: Vec<(Location, &'a Value)> = vec![(Vec::new(), root)];
    for step in steps {
        let mut next = Vec::new();
        for (loc, v) in current {
            let push = |t: PathToken, child: &'a Value| {
                let mut l = loc.clone();
                l.push(t);
                (l, child)
            };
            match (step, v) {
                (Step::Key(k), Value::Object(m)) => {
                    if let Some(c) = m.get(k) {
                        next.push(push(PathToken::Key(k.clone()), c));
                    }
                }
                (Step::Index(i), Value::Array(a)) => {
                    if let Some(c) = a.get(*i) {
                        next.push(push(PathToken::Index(*i), c));
                    }
                }
                (Step::Wildcard, Value::Object(m)) => {
                    for (k, c) in m {
                        next.push(push(PathToken::Key(k.clone()), c));
                    }
                }
                (Step::Wildcard, Value::Array(a)) => {
                    for (i, c) in a.iter().enumerate() {
                        next.push(push(PathToken::Index(i), c));
                    }
                }
                (Step::Filter { key, value }, Value::Array(a)) => {
                    for (i, c) in a.iter().enumerate() {
                        if c.get(key) == Some(value) {
                            next.push(push(PathToken::Index(i), c));
                        }
                    }
                }
                (Step::Filter { key, value }, Value::Object(m)) => {
                    for (k, c) in m {
                        if c.get(key) == Some(value) {
                            next.push(push(PathToken::Key(k.clone()), c));
                        }
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    current.into_iter().map(|(l, _)| l).collect()
}

/// The value at a concrete location, mutably.
pub fn get_mut<'a>(root: &'a mut Value, loc: &[PathToken]) -> Option<&'a mut Value> {
    let mut v = root;
    for t in loc {
        v = match (t, v) {
            (PathToken::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (PathToken::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Renders a location as a JSON pointer.
pub fn to_pointer(loc: &[PathToken]) -> String {
    let tokens: Vec<String> = loc
        .iter()
        .map(|t| match t {
            PathToken::Key(k) => k.clone(),
            PathToken::Index(i) => i.to_string(),
        })
        .collect();
    let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    crate::diagnostics::pointer(&refs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selects_keys_wildcards_and_filters() {
        let doc = json!({"paths": {"/a": {"get": {"parameters": [{"name": "x"}, {"name": "AuthorizationToken"}]}}}});
        let steps = parse("$.paths['/a'].*.parameters[?(@.name == 'AuthorizationToken')]").unwrap();
        let found = select(&doc, &steps);
        assert_eq!(to_pointer(&found[0]), "/paths/~1a/get/parameters/1");
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn rejects_what_it_does_not_understand() {
        assert!(parse("paths").is_err());
        assert!(parse("$..x").is_err());
        assert!(parse("$[?(@.a > 1)]").is_err());
    }
}
