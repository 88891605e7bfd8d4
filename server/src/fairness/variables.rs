//! The group variables an organisation may ask its candidates about, each
//! optional, self-reported, and always with "prefer not to say" (which
//! stores nothing). Worded for the person answering, in English and German.

/// One answer a variable offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub id: &'static str,
    pub en: &'static str,
    pub de: &'static str,
}

/// One variable: its question and its answers (in the order shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variable {
    pub id: &'static str,
    /// What staff read: "Gender" (`name_de`: in German).
    pub name: &'static str,
    pub name_de: &'static str,
    pub question_en: &'static str,
    pub question_de: &'static str,
    pub choices: &'static [Choice],
}

impl Variable {
    /// What staff read, in `lang`.
    pub fn name_in(&self, lang: &str) -> &'static str {
        if lang == "de" { self.name_de } else { self.name }
    }

    pub fn question(&self, lang: &str) -> &'static str {
        if lang == "de" { self.question_de } else { self.question_en }
    }

    pub fn choice(&self, id: &str) -> Option<&'static Choice> {
        self.choices.iter().find(|c| c.id == id)
    }

    /// The answers' ids, in order.
    pub fn values(&self) -> Vec<String> {
        self.choices.iter().map(|c| c.id.to_string()).collect()
    }
}

impl Choice {
    pub fn label(&self, lang: &str) -> &'static str {
        if lang == "de" { self.de } else { self.en }
    }
}

pub const VARIABLES: [Variable; 3] = [
    Variable {
        id: "gender",
        name: "Gender",
        name_de: "Geschlecht",
        question_en: "How do you describe your gender?",
        question_de: "Wie beschreiben Sie Ihr Geschlecht?",
        choices: &[
            Choice { id: "woman", en: "Woman", de: "Frau" },
            Choice { id: "man", en: "Man", de: "Mann" },
            Choice { id: "another", en: "In another way", de: "Auf andere Weise" },
        ],
    },
    Variable {
        id: "age_band",
        name: "Age band",
        name_de: "Altersgruppe",
        question_en: "How old are you?",
        question_de: "Wie alt sind Sie?",
        choices: &[
            Choice { id: "under_30", en: "Under 30", de: "Unter 30" },
            Choice { id: "30_44", en: "30 to 44", de: "30 bis 44" },
            Choice { id: "45_plus", en: "45 or older", de: "45 oder älter" },
        ],
    },
    Variable {
        id: "first_language",
        name: "Answered in their first language",
        name_de: "In der Erstsprache geantwortet",
        question_en: "Is the language you answered in your first language?",
        question_de: "Ist die Sprache, in der Sie geantwortet haben, Ihre Erstsprache?",
        choices: &[Choice { id: "yes", en: "Yes", de: "Ja" }, Choice { id: "no", en: "No", de: "Nein" }],
    },
];

/// The variable with this id.
pub fn variable(id: &str) -> Option<&'static Variable> {
    VARIABLES.iter().find(|v| v.id == id)
}

/// The notice an organisation starts from, in each language.
pub const DEFAULT_NOTICE_EN: &str = "These questions are optional. Your answers help us check that our questionnaires treat every group of people fairly: for example, that a question does not work differently for women and men. They are stored without your name; no one can see them next to your name or your results, and they are only ever analysed for groups of at least 5 people. Whether and how you answer has no effect on your application. You can remove your answers on this page at any time, and they are deleted if you ask for your personal data to be erased.";
pub const DEFAULT_NOTICE_DE: &str = "Diese Fragen sind freiwillig. Ihre Antworten helfen uns zu prüfen, dass unsere Fragebögen alle Gruppen von Menschen fair behandeln, etwa dass eine Frage bei Frauen und Männern nicht unterschiedlich wirkt. Sie werden ohne Ihren Namen gespeichert; niemand kann sie neben Ihrem Namen oder Ihren Ergebnissen sehen, und sie werden nur für Gruppen von mindestens 5 Personen ausgewertet. Ob und wie Sie antworten, hat keinen Einfluss auf Ihre Bewerbung. Sie können Ihre Antworten auf dieser Seite jederzeit entfernen; sie werden gelöscht, wenn Sie die Löschung Ihrer personenbezogenen Daten verlangen.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_variable_offers_two_answers_or_more() {
        for (i, v) in VARIABLES.iter().enumerate() {
            assert!(VARIABLES[..i].iter().all(|w| w.id != v.id), "{}", v.id);
            assert!(v.choices.len() >= 2, "{}", v.id);
            for (j, c) in v.choices.iter().enumerate() {
                assert!(v.choices[..j].iter().all(|d| d.id != c.id), "{}: {}", v.id, c.id);
                assert!(!c.en.is_empty() && !c.de.is_empty());
            }
            assert!(!v.id.contains(','), "ids are stored comma-separated");
        }
        assert_eq!(variable("gender").and_then(|v| v.choice("woman")).map(|c| c.label("de")), Some("Frau"));
        assert_eq!(variable("nationality"), None);
    }
}
