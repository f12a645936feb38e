//! CSL-JSON in and out.
//!
//! Writing is serde over [`Work`] (its fields are CSL-JSON's). Reading accepts what CSL-JSON
//! producers actually write: an array of items, a map from key to item, or a document with a
//! `works` (ibid's extract and gold files) or `items` member; numbers where strings are expected
//! (`"volume": 45`, `"id": 3`), date parts given as strings, and `raw` or EDTF string dates.

use serde_json::{Map, Value};

use crate::model::{Date, Library, Work};

/// CSL-JSON variables whose value is a string but may be written as a number.
const STRINGISH: &[&str] = &[
    "id",
    "volume",
    "issue",
    "page",
    "edition",
    "number",
    "chapter-number",
    "collection-number",
    "number-of-pages",
    "number-of-volumes",
    "page-first",
    "part",
    "printing",
    "supplement",
    "version",
    "citation-number",
    "locator",
];

/// CSL-JSON date variables.
const DATES: &[&str] = &[
    "issued",
    "accessed",
    "original-date",
    "event-date",
    "submitted",
    "available-date",
    "container",
];

/// Serialises works as a pretty-printed CSL-JSON array (a work of no known type is `document`,
/// CSL's generic type, because CSL-JSON requires one).
pub fn write(library: &Library) -> Result<String, String> {
    let mut text = serde_json::to_string_pretty(&library.works).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// Reads CSL-JSON (see the module documentation for the shapes accepted). Errors give the line
/// and column, or the item concerned.
pub fn read(text: &str) -> Result<Library, String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("{}:{}: not JSON: {e}", e.line(), e.column()))?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => {
            if let Some(works) = map.remove("works").or_else(|| map.remove("items")) {
                match works {
                    Value::Array(items) => items,
                    Value::Object(by_key) => keyed(by_key),
                    _ => return Err("`works` is neither a list nor a map of items".into()),
                }
            } else {
                keyed(map)
            }
        }
        _ => return Err("expected a JSON array of CSL-JSON items".into()),
    };
    let mut works = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let Value::Object(item) = item else {
            return Err(format!("item {}: not a JSON object", index + 1));
        };
        let item = normalise(item);
        let work: Work = serde_json::from_value(Value::Object(item))
            .map_err(|e| format!("item {}: {e}", index + 1))?;
        works.push(work);
    }
    Ok(Library { works })
}

/// Items of a map keyed by id; the key fills a missing `id`.
fn keyed(map: Map<String, Value>) -> Vec<Value> {
    map.into_iter()
        .map(|(key, mut item)| {
            if let Value::Object(fields) = &mut item {
                let missing = fields
                    .get("id")
                    .is_none_or(|v| v.as_str().is_some_and(str::is_empty));
                if missing {
                    fields.insert("id".into(), Value::String(key));
                }
            }
            item
        })
        .collect()
}

/// Brings one item to the shapes [`Work`] deserialises: numbers to strings, string date parts
/// to numbers, string dates to parts.
fn normalise(mut item: Map<String, Value>) -> Map<String, Value> {
    for key in STRINGISH {
        if let Some(v) = item.get_mut(*key) {
            if let Value::Number(n) = v {
                *v = Value::String(n.to_string());
            }
        }
    }
    for key in DATES {
        if let Some(v) = item.get_mut(*key) {
            *v = normalise_date(v.take());
        }
    }
    item
}

/// One CSL-JSON date value, normalised.
fn normalise_date(value: Value) -> Value {
    match value {
        Value::String(text) => date_value(&parse_date_text(&text)),
        Value::Object(mut map) => {
            if let Some(Value::Array(parts)) = map.get_mut("date-parts") {
                for part in parts.iter_mut() {
                    if let Value::Array(numbers) = part {
                        let ints: Vec<Value> = numbers
                            .iter()
                            .filter_map(|n| match n {
                                Value::Number(n) => n.as_i64().map(Value::from),
                                Value::String(s) => s.trim().parse::<i64>().ok().map(Value::from),
                                _ => None,
                            })
                            .collect();
                        *numbers = ints;
                    }
                }
                parts.retain(|p| p.as_array().is_some_and(|a| !a.is_empty()));
            }
            if let Some(Value::Number(n)) = map.get("season") {
                let n = n.as_i64().unwrap_or(0);
                map.insert("season".into(), Value::from(n));
            } else if let Some(Value::String(s)) = map.get("season") {
                match s.trim().parse::<i64>() {
                    Ok(n) => {
                        map.insert("season".into(), Value::from(n));
                    }
                    Err(_) => {
                        map.remove("season");
                    }
                }
            }
            let has_parts = map
                .get("date-parts")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty());
            if !has_parts {
                map.remove("date-parts");
                let raw = map
                    .remove("raw")
                    .or_else(|| map.remove("edtf"))
                    .and_then(|v| v.as_str().map(str::to_owned));
                if let Some(raw) = raw {
                    let parsed = parse_date_text(&raw);
                    return date_value(&parsed);
                }
            } else {
                map.remove("raw");
                map.remove("edtf");
            }
            map.remove("circa");
            Value::Object(map)
        }
        other => other,
    }
}

fn date_value(date: &Date) -> Value {
    serde_json::to_value(date).unwrap_or(Value::Null)
}

/// Parses `2017`, `2017-06`, `2017-06-01`, `2017/06/01`, `2016/2017` (a range), or keeps the text
/// as a literal.
pub fn parse_date_text(text: &str) -> Date {
    let text = text.trim();
    let parse_one = |s: &str| -> Option<Vec<i32>> {
        let parts: Vec<&str> = s.split(['-', '/']).filter(|p| !p.is_empty()).collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let nums: Option<Vec<i32>> = parts.iter().map(|p| p.trim().parse::<i32>().ok()).collect();
        let nums = nums?;
        let ok = nums[0] > 0
            && nums.get(1).is_none_or(|m| (1..=12).contains(m))
            && nums.get(2).is_none_or(|d| (1..=31).contains(d));
        ok.then_some(nums)
    };
    if let Some(parts) = parse_one(&text.replace('/', "-")) {
        return Date {
            date_parts: vec![parts],
            ..Date::default()
        };
    }
    if let Some((a, b)) = text.split_once('/') {
        if let (Some(a), Some(b)) = (parse_one(a), parse_one(b)) {
            return Date {
                date_parts: vec![a, b],
                ..Date::default()
            };
        }
    }
    Date {
        literal: Some(text.to_owned()).filter(|t| !t.is_empty()),
        ..Date::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_shapes_producers_write() {
        let text = r#"{"nye": {"type": "report", "volume": 3, "issued": {"date-parts": [["2014", "6"]]},
            "accessed": "2018-08-20", "author": [{"family": "Nye", "given": "Joseph S."}]},
            "x": {"id": 7, "type": "book", "issued": {"raw": "2016/2017"}}}"#;
        let lib = read(text).unwrap();
        assert_eq!(lib.works.len(), 2);
        let nye = &lib.works[lib.by_key("nye").unwrap()];
        assert_eq!(nye.volume.as_deref(), Some("3"));
        assert_eq!(nye.issued.as_ref().unwrap().date_parts, vec![vec![2014, 6]]);
        assert_eq!(
            nye.accessed.as_ref().unwrap().date_parts,
            vec![vec![2018, 8, 20]]
        );
        let x = &lib.works[lib.by_key("7").unwrap()];
        assert_eq!(
            x.issued.as_ref().unwrap().date_parts,
            vec![vec![2016], vec![2017]]
        );
    }

    #[test]
    fn errors_name_the_place() {
        let err = read("[{\"id\": \"a\",\n \"type\": }]").unwrap_err();
        assert!(err.starts_with("2:"), "{err}");
        let err = read("[{\"id\": \"a\", \"author\": 3}]").unwrap_err();
        assert!(err.starts_with("item 1:"), "{err}");
    }

    #[test]
    fn dates_from_text() {
        assert_eq!(
            parse_date_text("2017/06/01").date_parts,
            vec![vec![2017, 6, 1]]
        );
        assert_eq!(parse_date_text("2016-09").date_parts, vec![vec![2016, 9]]);
        assert_eq!(
            parse_date_text("forthcoming").literal.as_deref(),
            Some("forthcoming")
        );
        assert_eq!(
            parse_date_text("2017-13").literal.as_deref(),
            Some("2017-13")
        );
    }
}
