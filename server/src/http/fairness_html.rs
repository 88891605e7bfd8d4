//! The fairness pages' HTML: the candidate's optional questions, the
//! administrator's settings, and the psychologist's comparison of groups.
//! Everything shown is escaped here.

use std::fmt::Write as _;

use app::i18n::{admin_text, fill, AnalysisText, GroupQuestionsText};
use assessments::fairness::{AdverseImpact, EtsClass, FocalComparison, GroupComparison, ItemDif};

use super::{recruit::field, staff::esc};
use crate::fairness::{
    collect::{GroupQuestions, GroupSettings, MAX_NOTICE_CHARS},
    report::{FairnessPage, FairnessResult},
    variables::{Variable, VARIABLES},
};


/// The notice, each question with "prefer not to say" first, and the buttons.
pub(super) fn candidate_form(w: &GroupQuestionsText, asked: Option<&GroupQuestions>, done: Option<&str>) -> String {
    let mut html = String::new();
    match done {
        Some("saved") => { let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"groups-saved\">{}</p>", esc(w.saved)); }
        Some("removed") => { let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"groups-removed\">{}</p>", esc(w.removed)); }
        _ => {}
    }
    let Some(q) = asked else {
        let _ = write!(html, "<p><a href=\"/assessment\">{}</a></p>", esc(w.back));
        return html;
    };
    let _ = write!(html, "<p id=\"group-notice\">{}</p><form method=\"post\" action=\"/assessment/about-you\" id=\"group-form\">", esc(&q.notice));
    for (v, given) in &q.questions {
        let _ = write!(html, "<fieldset class=\"choices\"><legend>{}</legend>", esc(v.question(&q.lang)));
        let _ = write!(html, "<label><input type=\"radio\" name=\"{}\" value=\"\"{}> {}</label>", v.id, if given.is_none() { " checked" } else { "" }, esc(w.prefer_not));
        for c in v.choices {
            let checked = given.as_deref() == Some(c.id);
            let _ = write!(html, "<label><input type=\"radio\" name=\"{}\" value=\"{}\"{}> {}</label>", v.id, c.id, if checked { " checked" } else { "" }, esc(c.label(&q.lang)));
        }
        html.push_str("</fieldset>");
    }
    let _ = write!(html, "<div class=\"actions\"><button type=\"submit\" class=\"button\" name=\"action\" value=\"save\" id=\"groups-save\">{}</button>", esc(w.save));
    if q.answered() {
        let _ = write!(html, "<button type=\"submit\" class=\"button secondary\" name=\"action\" value=\"remove\" id=\"groups-remove\">{}</button>", esc(w.remove));
    }
    html.push_str("</div></form>");
    if !q.answered() && done.is_none() {
        let _ = write!(html, "<p class=\"small\">{}</p>", esc(w.none_given));
    }
    let _ = write!(html, "<p><a href=\"/assessment\">{}</a></p>", esc(w.back));
    html
}

/// The administrator's form: which questions, and the notice in both languages.
pub(super) fn settings_form(lang: &str, s: &GroupSettings, saved: bool) -> String {
    let t = admin_text(lang);
    let mut html = String::new();
    if saved {
        let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"fairness-saved\">{}</p>", t.group_questions_saved);
    }
    let _ = write!(
        html,
        "<p>{}</p><form method=\"post\" action=\"/admin/fairness\" id=\"fairness-settings\"><fieldset><legend>{}</legend>",
        t.group_questions_explained, t.questions_offered
    );
    for v in &VARIABLES {
        let on = s.variables.iter().any(|x| x.id == v.id);
        let answers: Vec<&str> = v.choices.iter().map(|c| c.label(lang)).collect();
        let _ = write!(
            html,
            "<label><input type=\"checkbox\" name=\"variable\" value=\"{}\"{}> {}</label>",
            v.id,
            if on { " checked" } else { "" },
            esc(&fill(t.question_offered, &[("name", v.name_in(lang)), ("question", v.question(lang)), ("answers", &answers.join(", "))]))
        );
    }
    html.push_str("</fieldset>");
    for (notice_lang, text) in [("en", &s.notice_en), ("de", &s.notice_de)] {
        let label = if notice_lang == "de" { t.notice_in_german } else { t.notice_in_english };
        let _ = write!(
            html,
            "<p><label for=\"notice_{notice_lang}\">{label}</label><textarea id=\"notice_{notice_lang}\" name=\"notice_{notice_lang}\" rows=\"7\" maxlength=\"{MAX_NOTICE_CHARS}\" lang=\"{notice_lang}\">{}</textarea></p>",
            esc(text)
        );
    }
    let _ = write!(html, "<p><button type=\"submit\" class=\"button\" id=\"fairness-save\">{}</button></p></form>", t.save);
    match &s.saved_at {
        Some(at) => {
            let _ = write!(html, "<p class=\"small\">{}</p>", fill(t.last_saved, &[("at", &esc(at))]));
        }
        None => {
            let _ = write!(html, "<p class=\"small\">{}</p>", t.nothing_asked_yet);
        }
    }
    html
}

fn options(list: &[(String, String)], chosen: &str, empty: Option<&str>) -> String {
    let mut html = empty.map(|e| format!("<option value=\"\">{}</option>", esc(e))).unwrap_or_default();
    for (value, label) in list {
        let _ = write!(html, "<option value=\"{}\"{}>{}</option>", esc(value), if value == chosen { " selected" } else { "" }, esc(label));
    }
    html
}

fn choice_label(lang: &str, v: &Variable, id: &str) -> String {
    v.choice(id).map_or_else(|| id.to_string(), |c| c.label(lang).to_string())
}

fn number(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "—".to_string(), |x| format!("{x:.digits$}"))
}

fn count(t: &AnalysisText, n: Option<usize>) -> String {
    n.map_or_else(|| t.fewer_than_5.to_string(), |n| n.to_string())
}

/// The selection form; scale and cut once a result names the scales.
fn selection_form(t: &AnalysisText, lang: &str, p: &FairnessPage, q: &[(String, String)]) -> String {
    let variables: Vec<(String, String)> = p.variables.iter().map(|v| (v.id.to_string(), v.name_in(lang).to_string())).collect();
    let mut html = format!(
        "<form method=\"get\" action=\"/fairness\" id=\"fairness-form\" class=\"filters\">\
         <p><label for=\"bank\">{}</label><select id=\"bank\" name=\"bank\" required>{}</select></p>\
         <p><label for=\"campaign\">{}</label><select id=\"campaign\" name=\"campaign\">{}</select></p>\
         <p><label for=\"variable\">{}</label><select id=\"variable\" name=\"variable\">{}</select></p>",
        t.bank_version,
        options(&p.banks, field(q, "bank"), Some(t.choose)),
        t.campaign,
        options(&p.campaigns, field(q, "campaign"), Some(t.all_campaigns)),
        t.group_question,
        options(&variables, field(q, "variable"), None)
    );
    if let Some(r) = &p.result {
        let groups: Vec<(String, String)> = r.query.variable.choices.iter().map(|c| (c.id.to_string(), c.label(lang).to_string())).collect();
        let _ = write!(
            html,
            "<p><label for=\"reference\">{}</label><select id=\"reference\" name=\"reference\">{}</select></p>\
             <p><label for=\"cut_scale\">{}</label><select id=\"cut_scale\" name=\"cut_scale\">{}</select></p>\
             <p><label for=\"cut\">{}</label><input id=\"cut\" name=\"cut\" type=\"number\" min=\"20\" max=\"80\" step=\"1\" value=\"{}\"></p>",
            t.reference_group,
            options(&groups, field(q, "reference"), Some(t.largest_group)),
            t.cut_score_on,
            options(&r.scales, field(q, "cut_scale"), Some(t.no_cut)),
            t.at_t,
            esc(field(q, "cut"))
        );
    }
    let _ = write!(html, "<p><button type=\"submit\" class=\"button\" id=\"fairness-run\">{}</button></p></form>", t.compare_groups);
    html
}

fn impact_table(t: &AnalysisText, impact: &AdverseImpact, cut_scale: &str, at: f64) -> String {
    let heading = fill(t.impact_at, &[("t", &format!("{at:.0}")), ("scale", &esc(cut_scale))]);
    if impact.suppressed {
        return format!("<p id=\"impact-suppressed\">{}</p>", fill(t.impact_suppressed, &[("heading", &heading)]));
    }
    let rate = |s: Option<usize>, n: Option<usize>| match (s, n) {
        (Some(s), Some(n)) if n > 0 => fill(t.selected_of, &[("s", &s.to_string()), ("n", &n.to_string()), ("percent", &format!("{:.0}", 100.0 * s as f64 / n as f64))]),
        _ => "—".into(),
    };
    let rule = match impact.four_fifths_met {
        Some(true) => t.rule_met.to_string(),
        Some(false) => format!("<strong>{}</strong>", t.rule_not_met),
        None => "—".to_string(),
    };
    format!(
        "<table class=\"data impact\"><caption>{heading}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\
         <tbody><tr><td>{}</td><td>{}</td><td>{}</td><td>{rule}</td><td>{}</td></tr></tbody></table>",
        t.reference_selected,
        t.focal_selected,
        t.ratio,
        t.four_fifths,
        t.fisher_p,
        rate(impact.reference_selected, impact.reference_n),
        rate(impact.focal_selected, impact.focal_n),
        number(impact.ratio, 2),
        impact.fisher_p.map_or_else(|| "—".into(), |p| if p < 0.001 { "&lt; .001".into() } else { format!("{p:.3}") })
    )
}

fn dif_table(t: &AnalysisText, items: &[ItemDif]) -> String {
    let with: Vec<&ItemDif> = items.iter().filter(|d| d.result.is_some()).collect();
    let mut html = String::new();
    if with.is_empty() {
        let _ = write!(html, "<p class=\"small\">{}</p>", t.no_dif_result);
        return html;
    }
    let _ = write!(
        html,
        "<table class=\"data dif\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">MH D-DIF</th><th scope=\"col\">SE</th><th scope=\"col\">p</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t.dif_caption, t.item, t.scale, t.ets_class
    );
    for d in &with {
        let Some(m) = &d.result else { continue };
        let class = match m.class {
            EtsClass::A => "A",
            EtsClass::B => "<strong>B</strong>",
            EtsClass::C => "<strong class=\"flag\">C</strong>",
        };
        let _ = write!(html, "<tr><th scope=\"row\">{}</th><td>{}</td><td>{:.2}</td><td>{:.2}</td><td>{}</td><td>{class}</td></tr>", esc(&d.item), esc(&d.scale), m.d_dif, m.se_d, if m.p < 0.001 { "&lt; .001".into() } else { format!("{:.3}", m.p) });
    }
    html.push_str("</tbody></table>");
    let without = items.len() - with.len();
    if without > 0 {
        let _ = write!(html, "<p class=\"small\">{}</p>", fill(t.items_without_result, &[("n", &without.to_string())]));
    }
    html
}

fn comparison_section(t: &AnalysisText, lang: &str, r: &FairnessResult, reference: &str, c: &FocalComparison, items: &[ItemDif]) -> String {
    let v = r.query.variable;
    let heading = fill(t.compared_with, &[("focal", &esc(&choice_label(lang, v, &c.focal))), ("reference", &esc(&choice_label(lang, v, reference)))]);
    let mut html = format!("<section class=\"fairness-focal\" id=\"focal-{}\"><h3>{heading}</h3>", esc(&c.focal));
    if let (Some(impact), Some(cut)) = (&c.impact, &r.query.cut) {
        let name = r.scales.iter().find(|(id, _)| *id == cut.scale).map_or(cut.scale.as_str(), |(_, n)| n.as_str());
        html.push_str(&impact_table(t, impact, name, cut.at));
    }
    let _ = write!(
        html,
        "<table class=\"data smd\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">d</th></tr></thead><tbody>",
        t.smd_caption, t.scale, t.reference_mean_t, t.focal_mean_t
    );
    for d in &c.differences {
        let name = r.scales.iter().find(|(id, _)| *id == d.scale).map_or(d.scale.as_str(), |(_, n)| n.as_str());
        let _ = write!(html, "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>", esc(name), number(d.reference_mean, 1), number(d.focal_mean, 1), number(d.d, 2));
    }
    html.push_str("</tbody></table>");
    html.push_str(&dif_table(t, items));
    html.push_str("</section>");
    html
}

fn groups_table(t: &AnalysisText, lang: &str, v: &Variable, c: &GroupComparison) -> String {
    let mut html = format!(
        "<table class=\"data\" id=\"fairness-groups\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t.who_answered, t.group, t.people
    );
    for g in &c.groups {
        let mark = if c.reference.as_deref() == Some(g.group.as_str()) { t.reference_mark } else { "" };
        let _ = write!(html, "<tr><th scope=\"row\">{}{mark}</th><td>{}</td></tr>", esc(&choice_label(lang, v, &g.group)), count(t, g.n));
    }
    html.push_str("</tbody></table>");
    html
}

fn result_section(t: &AnalysisText, lang: &str, r: &FairnessResult) -> String {
    let v = r.query.variable;
    let mut html = format!("<section id=\"fairness-result\"><h2>{}: {}</h2><p class=\"small\">{}</p>", esc(&r.title), esc(v.name_in(lang)), t.fairness_can_tell);
    html.push_str(&groups_table(t, lang, v, &r.comparison));
    match &r.comparison.reference {
        None => {
            let _ = write!(html, "<p id=\"fairness-nothing\">{}</p>", t.no_group_of_5);
        }
        Some(reference) if r.comparison.comparisons.is_empty() => {
            let _ = write!(html, "<p id=\"fairness-nothing\">{}</p>", fill(t.only_one_group, &[("group", &esc(&choice_label(lang, v, reference)))]));
        }
        Some(reference) => {
            for (c, items) in r.comparison.comparisons.iter().zip(&r.items) {
                html.push_str(&comparison_section(t, lang, r, reference, c, items));
            }
        }
    }
    html.push_str("</section>");
    html
}

/// The psychologist's page.
pub(super) fn check_page(t: &AnalysisText, lang: &str, p: &FairnessPage, q: &[(String, String)]) -> String {
    let mut html = format!("<p>{}</p>", t.fairness_intro);
    html.push_str(&selection_form(t, lang, p, q));
    if let Some(r) = &p.result {
        html.push_str(&result_section(t, lang, r));
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use assessments::fairness::{adverse_impact, GroupSize};

    #[test]
    fn a_suppressed_table_shows_no_number() {
        let reference: Vec<f64> = (0..40).map(|i| if i < 20 { 70.0 } else { 40.0 }).collect();
        let focal: Vec<f64> = (0..30).map(|i| if i < 3 { 70.0 } else { 40.0 }).collect();
        let html = impact_table(app::i18n::analysis_text("en"), &adverse_impact(&reference, &focal, 60.0), "Vigilance", 60.0);
        assert!(html.contains("fewer than 5") && !html.contains(" 3 ") && !html.contains("30"), "{html}");
    }

    #[test]
    fn a_small_group_is_named_but_not_counted() {
        let v = &VARIABLES[0];
        let c = GroupComparison { reference: Some("man".into()), groups: vec![GroupSize { group: "man".into(), n: Some(12) }, GroupSize { group: "another".into(), n: None }], comparisons: vec![] };
        let html = groups_table(app::i18n::analysis_text("en"), "en", v, &c);
        assert!(html.contains("Man (reference)</th><td>12</td>"), "{html}");
        assert!(html.contains("In another way</th><td>fewer than 5</td>"), "{html}");
    }
}
