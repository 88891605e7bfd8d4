//! Feedback texts for the people who took an instrument: a sidecar file,
//! `<instrument>/feedback/texts.toml` beside the bank versions, so the words can
//! be improved without changing any bank's content hash. Per scale (by id):
//! what it is about and what the low, average and high ranges tend to mean,
//! addressed to the person; per instrument: how it was measured and what
//! the results cannot tell. Format: docs/bank-format.md (Feedback).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::bank::{Bank, ScaleKind, Text};
use crate::norms::derived::BandLabel;

/// The languages every feedback text must have.
pub const FEEDBACK_LANGUAGES: [&str; 2] = ["en", "de"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    pub feedback: InstrumentFeedback,
    #[serde(default)]
    pub scales: BTreeMap<String, ScaleFeedback>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentFeedback {
    /// The instrument's id.
    pub instrument: String,
    /// How the results were measured.
    pub method: Text,
    /// What the results cannot tell.
    pub cannot: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleFeedback {
    pub about: Text,
    pub low: Text,
    pub average: Text,
    pub high: Text,
}

impl ScaleFeedback {
    /// The text for a range.
    pub fn range(&self, label: BandLabel) -> &Text {
        match label {
            BandLabel::Low => &self.low,
            BandLabel::Average => &self.average,
            BandLabel::High => &self.high,
        }
    }
}

impl Feedback {
    /// Parses a feedback file; `name` names it in the error.
    pub fn parse(source: &str, name: &str) -> Result<Feedback, String> {
        toml::from_str(source).map_err(|e| format!("{name}: {e}"))
    }

    /// What is wrong with these texts for a version of the instrument: a
    /// scale the bank does not have, a validity scale (never fed back as a
    /// result), or a text missing a language. Empty when they fit.
    pub fn problems_with(&self, bank: &Bank) -> Vec<String> {
        let mut problems = Vec::new();
        let mut missing = |what: String, text: &Text| {
            for lang in FEEDBACK_LANGUAGES {
                if text.get(lang).is_none_or(|t| t.trim().is_empty()) {
                    problems.push(format!("{what} has no {lang} text"));
                }
            }
        };
        missing("feedback.method".into(), &self.feedback.method);
        missing("feedback.cannot".into(), &self.feedback.cannot);
        for (id, scale) in &self.scales {
            for (part, text) in [("about", &scale.about), ("low", &scale.low), ("average", &scale.average), ("high", &scale.high)] {
                missing(format!("scales.{id}.{part}"), text);
            }
        }
        if self.feedback.instrument != bank.id() {
            problems.push(format!("feedback.instrument: {} is not {}", self.feedback.instrument, bank.id()));
        }
        for id in self.scales.keys() {
            match bank.scale(id) {
                None => problems.push(format!("scales.{id}: {} {} has no such scale", bank.id(), bank.version())),
                Some(def) if !matches!(def.kind, ScaleKind::Trait | ScaleKind::Judgement) => {
                    problems.push(format!("scales.{id}: a response-style scale is a check on the answers, not a result to feed back"))
                }
                Some(_) => {}
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped(instrument: &str) -> (Feedback, Bank) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("banks").join(instrument);
        let feedback = Feedback::parse(&std::fs::read_to_string(dir.join("feedback/texts.toml")).expect("feedback file"), "texts.toml").expect("parses");
        let bank = Bank::parse(&std::fs::read_to_string(dir.join("1.0.0.toml")).expect("bank"), "1.0.0.toml").expect("bank parses");
        (feedback, bank)
    }

    #[test]
    fn the_shipped_feedback_covers_every_result_scale_in_both_languages() {
        for instrument in ["svi", "sjs"] {
            let (feedback, bank) = shipped(instrument);
            assert_eq!(feedback.problems_with(&bank), Vec::<String>::new(), "{instrument}");
            let results: Vec<&str> = bank.file().scales.iter().filter(|s| matches!(s.kind, ScaleKind::Trait | ScaleKind::Judgement)).map(|s| s.id.as_str()).collect();
            assert_eq!(feedback.scales.len(), results.len(), "{instrument}: a text for every result scale");
        }
    }

    #[test]
    fn feedback_for_a_missing_scale_a_validity_scale_or_a_missing_language_is_refused() {
        let (mut feedback, bank) = shipped("svi");
        let some = feedback.scales["vigilance"].clone();
        feedback.scales.insert("no_such_scale".into(), some.clone());
        feedback.scales.insert("impression_management".into(), some);
        feedback.scales.get_mut("integrity").expect("integrity").high.remove("de");
        let problems = feedback.problems_with(&bank);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("no_such_scale") && p.contains("no such scale")));
        assert!(problems.iter().any(|p| p.contains("impression_management") && p.contains("response-style")));
        assert!(problems.iter().any(|p| p == "scales.integrity.high has no de text"));
        assert!(Feedback::parse("[feedback]\ninstrument = \"svi\"\nmethod = { en = \"x\" }\n", "f.toml").is_err(), "what the results cannot tell is required");
    }
}
