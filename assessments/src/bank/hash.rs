//! The canonical content hash: a bank's content written in one canonical
//! text form (keys sorted, no whitespace) and hashed, so that a published
//! version cannot change unnoticed.

use sha2::{Digest, Sha256};

use super::error::{BankError, syntax_error};

/// Writes a TOML value in a canonical text form: tables with keys sorted,
/// no whitespace, strings JSON-escaped, integers and floats distinguished
/// (`1` vs `1.0`). Two files with the same content in a different key order
/// give the same text.
pub fn canonical_text(value: &toml::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

pub(super) fn write_canonical(value: &toml::Value, out: &mut String) {
    use toml::Value as V;
    match value {
        V::String(s) => write_json_string(s, out),
        V::Integer(i) => out.push_str(&i.to_string()),
        V::Float(f) => {
            if f.is_nan() {
                out.push_str("nan");
            } else if f.is_infinite() {
                out.push_str(if *f > 0.0 { "inf" } else { "-inf" });
            } else {
                // Debug keeps the decimal point ("1.0") and is the shortest
                // representation that reads back to the same f64.
                out.push_str(&format!("{f:?}"));
            }
        }
        V::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Datetime(d) => {
            out.push_str("datetime:");
            write_json_string(&d.to_string(), out);
        }
        V::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        V::Table(t) => {
            let mut keys: Vec<&String> = t.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, out);
                out.push(':');
                if let Some(v) = t.get(k.as_str()) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
    }
}

pub(super) fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `"sha256:" + hex(SHA-256(canonical_text))` of `value` after removing the
/// keys `table.key` listed in `drop` (e.g. `instrument.content_hash`).
pub fn content_hash_of_value(value: &toml::Value, drop: &[(&str, &str)]) -> String {
    let mut v = value.clone();
    if let toml::Value::Table(root) = &mut v {
        for (table, key) in drop {
            if let Some(toml::Value::Table(t)) = root.get_mut(*table) {
                t.remove(*key);
            }
        }
    }
    let digest = Sha256::digest(canonical_text(&v).as_bytes());
    format!("sha256:{}", hex::encode(digest))
}

/// What a bank's content hash leaves out: the hash itself, and the two
/// publication decisions about the content (its status and its intended use).
pub const NOT_HASHED: &[(&str, &str)] = &[("instrument", "content_hash"), ("instrument", "status"), ("instrument", "intended_use")];

/// The canonical content hash of a bank file: parse, drop [`NOT_HASHED`],
/// serialise canonically, hash. Publishing a draft, or declaring what it is
/// meant for, therefore does not change its hash.
pub fn bank_content_hash(src: &str, file: &str) -> Result<String, BankError> {
    let value: toml::Value = toml::from_str(src).map_err(|e| syntax_error(file, src, &e))?;
    Ok(content_hash_of_value(&value, NOT_HASHED))
}

pub(super) fn is_valid_hash_format(h: &str) -> bool {
    h.strip_prefix("sha256:")
        .is_some_and(|x| x.len() == 64 && x.bytes().all(|b| b.is_ascii_hexdigit()))
}
