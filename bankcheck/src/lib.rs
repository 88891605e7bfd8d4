//! The instrument editor's live check, in the browser: the problems of a
//! bank text as the editor's script shows them, computed here by the same
//! function the server uses when it saves (`assessments::bank::Problems`),
//! so the list typed against is the list saving gives. Loaded only on a
//! draft's page (`/pkg/bankcheck.js`); without it, or without WebAssembly,
//! the script asks the server (`POST /drafts/{id}/check`) instead.

use assessments::bank::Problems;
use wasm_bindgen::prelude::wasm_bindgen;

/// The problems of `source` as JSON: `{"errors": [..], "translations": [..]}`,
/// each `{"line", "item", "message"}` (the server's `/check` answer).
#[wasm_bindgen]
pub fn check(source: &str) -> String {
    serde_json::to_string(&Problems::of(source)).unwrap_or_else(|_| r#"{"errors":[],"translations":[]}"#.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANK: &str = include_str!("../../assessments/banks/sjs/1.0.0.toml");

    #[test]
    fn a_shipped_bank_has_no_problem() {
        let answer: serde_json::Value = serde_json::from_str(&check(BANK)).expect("json");
        assert_eq!(answer, serde_json::json!({ "errors": [], "translations": [] }));
    }

    #[test]
    fn a_duplicate_item_is_named_with_its_line_as_the_editor_reads_it() {
        let first = BANK.find("id = \"sjs-02\"").expect("a second item");
        let broken = format!("{}id = \"sjs-01\"{}", &BANK[..first], &BANK[first + "id = \"sjs-02\"".len()..]);
        let answer: serde_json::Value = serde_json::from_str(&check(&broken)).expect("json");
        let errors = answer["errors"].as_array().expect("errors");
        let duplicate = errors.iter().find(|e| e["message"].as_str().is_some_and(|m| m.contains("duplicate item id"))).expect("the duplicate is named");
        let line = BANK[..first].lines().count() + 1;
        assert_eq!(duplicate["line"], serde_json::json!(line), "{duplicate}");
        assert_eq!(duplicate["item"], "sjs-01");
        assert_eq!(answer, serde_json::to_value(Problems::of(&broken)).expect("value"), "the server's answer, word for word");
    }

    #[test]
    fn text_that_is_not_toml_is_one_problem_not_a_panic() {
        let answer: serde_json::Value = serde_json::from_str(&check("[instrument\nid = ")).expect("json");
        assert_eq!(answer["errors"].as_array().map(Vec::len), Some(1), "{answer}");
    }
}
