//! The parts every report shares (a profile, its print view, the
//! comparison): the demonstration banner, how to read a profile, the norm
//! group statement, the validity panel, a scale with its numbers and bands,
//! an instrument, the whole report.

use leptos::prelude::*;

use crate::recruit::chart::{self, ChartRow, OverviewChart, ScaleChart};
use crate::recruit::model::{BandKind, Decision, InstrumentProfile, NormInfo, NormedView, Profile, ScaleProfile, Validity, ValidityPanel};
use super::query::display_name;
use crate::i18n::{fill, StaffText};

/// The words of the demonstration-norm banner (PSYCHOMETRICS.md section 3), in English.
pub const DEMONSTRATION_BANNER: &str = "Demonstration norms - not for decisions";

/// A range's name inside a sentence ("the lower range").
fn range_in_sentence(t: &StaffText, b: BandKind) -> &'static str {
    match b {
        BandKind::Low => t.band_low_lower,
        BandKind::Average => t.band_average_lower,
        BandKind::High => t.band_high_lower,
    }
}

/// When the 90% band reaches into another range: a sentence saying so.
pub fn band_spans_note(t: &StaffText, v: &NormedView) -> Option<String> {
    let (lo, hi) = (v.t_band[0].min(v.t_band[1]), v.t_band[0].max(v.t_band[1]));
    let (from, to) = (BandKind::of_t(lo), BandKind::of_t(hi));
    (from != to).then(|| fill(t.band_spans, &[("from", range_in_sentence(t, from)), ("to", range_in_sentence(t, to))]))
}

pub(super) fn norm_quality_label(t: &StaffText, quality: &str) -> String {
    match quality {
        "inadequate" => t.norm_inadequate.to_string(),
        "adequate" => t.norm_adequate.to_string(),
        "good" => t.norm_good.to_string(),
        "excellent" => t.norm_excellent.to_string(),
        other => other.to_string(),
    }
}

/// "Working adults (simulated), DE, security roles; N = 400; collected 2026-01-01 to 2026-03-31; norm quality: good"
pub fn norm_sentence(t: &StaffText, norm: &NormInfo) -> String {
    let mut place = vec![norm.group.clone()];
    if !norm.country.is_empty() {
        place.push(norm.country.clone());
    }
    if !norm.role_family.is_empty() {
        place.push(norm.role_family.clone());
    }
    fill(
        t.norm_sentence,
        &[("place", &place.join(", ")), ("n", &norm.n.to_string()), ("from", &norm.collected_from), ("to", &norm.collected_to), ("quality", &norm_quality_label(t, &norm.quality))],
    )
}

pub(super) fn validity_text(t: &StaffText, v: Option<Validity>) -> &'static str {
    v.map_or(t.not_yet_available, |v| v.label_in(t))
}

pub(super) fn decision_text(t: &StaffText, d: Option<Decision>) -> &'static str {
    d.map_or(t.none_recorded, |d| d.label_in(t))
}

pub(super) fn yes_no(t: &StaffText, b: bool) -> &'static str {
    if b { t.yes } else { t.no }
}

/// A demonstration banner: its words in bold, then what they mean.
fn demo_banner(words: &'static str, meaning: &'static str) -> impl IntoView {
    view! {
        <p class="banner demo" role="note">
            <strong>{words}</strong>
            {meaning}
        </p>
    }
}

/// The banner for demonstration norms.
#[component]
pub fn DemoBanner(t: &'static StaffText) -> impl IntoView {
    demo_banner(t.demonstration_banner, t.demonstration_banner_text)
}

/// The words of the banner for IRT scores from demonstration parameters.
pub const DEMONSTRATION_PARAMETERS_BANNER: &str = "Demonstration IRT parameters - not for decisions";

/// The banner for IRT scores computed with demonstration item parameters.
#[component]
pub fn DemoParametersBanner(t: &'static StaffText) -> impl IntoView {
    demo_banner(t.demonstration_parameters_banner, t.demonstration_parameters_text)
}

/// "How to read this profile": what a score can and cannot tell.
#[component]
pub fn HowToRead(t: &'static StaffText) -> impl IntoView {
    view! {
        <aside class="how-to-read" aria-labelledby="how-to-read-heading">
            <h2 id="how-to-read-heading">{t.how_to_read}</h2>
            <ul>
                <li>{t.how_to_read_1}</li>
                <li>{t.how_to_read_2}</li>
                <li>{t.how_to_read_3}</li>
                <li>{t.how_to_read_4}</li>
            </ul>
        </aside>
    }
}

/// The norm group as every report must name it, with the demonstration banner when it applies.
#[component]
pub fn NormStatement(norm: Option<NormInfo>, t: &'static StaffText) -> impl IntoView {
    match norm {
        Some(norm) => {
            let demo = norm.demonstration;
            view! {
                {demo.then(|| view! { <DemoBanner t /> })}
                <p class="norm"><strong>{t.norm_group_label}</strong>{norm_sentence(t, &norm)}</p>
            }
            .into_any()
        }
        None => view! {
            <p class="norm"><strong>{t.norm_group_label}</strong>{t.no_norm_group_text}</p>
        }
        .into_any(),
    }
}

/// The validity panel of one instrument.
#[component]
pub fn ValidityBlock(panel: ValidityPanel, t: &'static StaffText) -> impl IntoView {
    let class = format!("validity validity-{}", panel.status.as_str());
    let explanation = match panel.status {
        Validity::Ok => t.validity_ok_text,
        Validity::Caution => t.validity_caution_text,
        Validity::Invalid => t.validity_invalid_text,
    };
    let reasons = panel.reasons;
    view! {
        <div class=class>
            <p><strong>{t.response_validity} ": " {panel.status.label_in(t)}</strong>". " {explanation}</p>
            {(!reasons.is_empty()).then(|| view! {
                <ul class="reasons">{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            })}
        </div>
    }
}

/// The numbers of one scale in text, each with its 90% band.
#[component]
pub fn ScoreFacts(normed: NormedView, t: &'static StaffText) -> impl IntoView {
    let band = |low: String, high: String| fill(t.band_90, &[("low", &low), ("high", &high)]);
    view! {
        <dl class="scores">
            <dt>{t.t_score}</dt>
            <dd>{normed.t} " " <span class="band-range">{band(normed.t_band[0].to_string(), normed.t_band[1].to_string())}</span></dd>
            <dt>{t.percentile}</dt>
            <dd>{chart::percentile_text(normed.percentile)} " " <span class="band-range">{band(chart::percentile_text(normed.percentile_band[0]), chart::percentile_text(normed.percentile_band[1]))}</span></dd>
            <dt>{t.sten}</dt>
            <dd>{normed.sten} " " <span class="band-range">{band(normed.sten_band[0].to_string(), normed.sten_band[1].to_string())}</span></dd>
        </dl>
    }
}

/// How a scale was scored, in one line: the method, the items behind it,
/// why an adaptive run stopped, and where the 90% band comes from.
pub fn method_line(t: &StaffText, scale: &ScaleProfile) -> String {
    let counts = [("answered", scale.answered.to_string()), ("items", scale.items.to_string())];
    let counts: Vec<(&str, &str)> = counts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let items = fill(if scale.stop.is_some() { t.items_asked } else { t.items_answered }, &counts);
    let stop = scale.stop.as_ref().map(|s| fill(t.stopped, &[("why", s)])).unwrap_or_default();
    let band = match (scale.scorable && scale.normed.is_some(), scale.irt) {
        (false, _) => "",
        (true, true) => t.band_from_se,
        (true, false) => t.band_from_sem,
    };
    fill(t.scored_by, &[("method", &scale.method), ("items", &items), ("stop", &stop), ("band", band)])
}

pub(super) fn kind_note(t: &StaffText, kind: &str) -> Option<&'static str> {
    match kind {
        "judgement" => Some(t.kind_judgement),
        "impression_management" => Some(t.kind_style),
        _ => None,
    }
}

/// One scale of a profile: chart, numbers, range, interpretation and (for the lower range) interview prompts.
#[component]
pub fn ScaleBlock(
    /// Unique in the page (the chart's ids derive from it).
    id: String,
    scale: ScaleProfile,
    t: &'static StaffText,
) -> impl IntoView {
    let heading_id = format!("{id}-heading");
    let note = kind_note(t, &scale.kind);
    let method = method_line(t, &scale);
    let body = match (scale.scorable, scale.normed) {
        (false, _) => view! {
            <p class="not-scored">
                <strong>{t.not_scored}</strong>
                {scale.not_scored.clone().unwrap_or_else(|| fill(t.answered_of, &[("answered", &scale.answered.to_string()), ("items", &scale.items.to_string())]))}
            </p>
        }
        .into_any(),
        (true, None) => view! {
            <p class="not-scored">{t.scored_no_norm}</p>
        }
        .into_any(),
        (true, Some(v)) => {
            let spans = band_spans_note(t, &v);
            let prompts = if v.band == BandKind::Low { scale.interview_prompts } else { Vec::new() };
            view! {
                <div class="scale-result">
                    <ScaleChart id=format!("{id}-chart") scale_name=scale.name.clone() normed=v t />
                    <ScoreFacts normed=v t />
                </div>
                <p class="band-text">
                    <strong>{v.band.label_in(t)}</strong>
                    {scale.interpretation.map(|text| view! { ": " {text} })}
                </p>
                {spans.map(|s| view! { <p class="small">{s}</p> })}
                {(!prompts.is_empty()).then(|| view! {
                    <div class="prompts">
                        <p><strong>{t.interview_questions}</strong></p>
                        <ul>{prompts.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </div>
                })}
            }
            .into_any()
        }
    };
    view! {
        <section class="scale" aria-labelledby=heading_id.clone()>
            <h4 id=heading_id.clone()>{scale.name.clone()}</h4>
            {scale.description.map(|d| view! { <p class="small description">{d}</p> })}
            {note.map(|n| view! { <p class="small kind-note">{n}</p> })}
            <p class="small method">{method}</p>
            {body}
        </section>
    }
}

/// One instrument of a profile: provenance, norm group, validity, and its scales grouped by kind.
#[component]
pub fn InstrumentReport(
    /// Distinguishes ids when the same instrument appears twice in one page.
    id_prefix: String,
    instrument: InstrumentProfile,
    t: &'static StaffText,
) -> impl IntoView {
    let InstrumentProfile { instrument: inst_id, title, version, bank_hash, engine_version, norm, validity, adaptive, demonstration_parameters, scales } = instrument;
    let heading_id = chart::dom_id(&[&id_prefix, &inst_id]);
    let (mut traits, mut judgement, mut style) = (Vec::new(), Vec::new(), Vec::new());
    for s in scales {
        match s.kind.as_str() {
            "judgement" => judgement.push(s),
            "impression_management" => style.push(s),
            _ => traits.push(s),
        }
    }
    let group = |heading: &'static str, scales: Vec<ScaleProfile>| {
        let prefix = heading_id.clone();
        (!scales.is_empty()).then(move || {
            view! {
                <h3>{heading}</h3>
                {scales
                    .into_iter()
                    .map(|s| {
                        let id = chart::dom_id(&[&prefix, &s.scale]);
                        view! { <ScaleBlock id scale=s t /> }
                    })
                    .collect_view()}
            }
        })
    };
    view! {
        <section class="instrument" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{title} " " <span class="version">{version.clone()}</span></h2>
            {adaptive.then(|| view! { <p class="small">{t.adaptive_note}</p> })}
            {demonstration_parameters.then(|| view! { <DemoParametersBanner t /> })}
            <NormStatement norm t />
            <ValidityBlock panel=validity t />
            {group(t.group_scales, traits)}
            {group(t.group_judgement, judgement)}
            {group(t.group_style, style)}
            <p class="provenance small">{fill(t.provenance, &[("instrument", &inst_id), ("version", &version), ("hash", &bank_hash), ("engine", &engine_version)])}</p>
        </section>
    }
}

/// The overview's chart rows: every scale of every instrument, in report
/// order, with its band when it has a normed score.
pub fn overview_rows(instruments: &[InstrumentProfile]) -> Vec<ChartRow> {
    instruments
        .iter()
        .flat_map(|i| i.scales.iter())
        .map(|s| ChartRow { name: s.name.clone(), normed: s.normed.filter(|_| s.scorable) })
        .collect()
}

/// The one-screen overview at the top of a profile: every scale's T with
/// its 90% band in one chart, and each instrument's response validity,
/// before the details.
#[component]
pub fn ProfileOverview(id_prefix: String, instruments: Vec<InstrumentProfile>, t: &'static StaffText) -> impl IntoView {
    let rows = overview_rows(&instruments);
    let demonstration = instruments.iter().any(|i| i.norm.as_ref().is_some_and(|n| n.demonstration) || i.demonstration_parameters);
    let heading = format!("{id_prefix}-overview-heading");
    let labelled_by = heading.clone();
    view! {
        <section class="overview" id=format!("{id_prefix}-overview") aria-labelledby=labelled_by>
            <h2 id=heading>{t.overview}</h2>
            {demonstration.then(|| view! { <p class="banner demo" role="note"><strong>{t.demonstration_banner}</strong>{t.overview_demo}</p> })}
            <OverviewChart id=format!("{id_prefix}-overview-chart") rows t />
            <ul class="validity-summary">
                {instruments.into_iter().map(|i| {
                    let class = format!("validity-{}", i.validity.status.as_str());
                    view! { <li class=class>{fill(t.validity_of, &[("title", &i.title), ("version", &i.version)])}<strong>{i.validity.status.label_in(t)}</strong></li> }
                }).collect_view()}
            </ul>
            <p class="small">{t.overview_note}</p>
        </section>
    }
}

/// The report itself: who, the reading note, and every instrument. Shared by the profile page and its print view.
#[component]
pub fn ProfileReport(profile: Profile, id_prefix: String, t: &'static StaffText) -> impl IntoView {
    let Profile { campaign_name, name, email, status, completed_at, instruments, decisions, .. } = profile;
    let current = decisions.first().map(|d| d.decision);
    let overview = (!instruments.is_empty()).then(|| view! { <ProfileOverview id_prefix=id_prefix.clone() instruments=instruments.clone() t /> }.into_any());
    let results = if instruments.is_empty() {
        view! {
            <p class="notice">{fill(t.no_results_yet, &[("status", status.label_in(t))])}</p>
        }
        .into_any()
    } else {
        instruments
            .into_iter()
            .map(|instrument| view! { <InstrumentReport id_prefix=id_prefix.clone() instrument t /> })
            .collect_view()
            .into_any()
    };
    view! {
        <h1>{display_name(&name, &email)}</h1>
        <dl class="facts">
            <dt>{t.campaign}</dt><dd>{campaign_name}</dd>
            <dt>{t.email}</dt><dd>{email.clone()}</dd>
            <dt>{t.status}</dt><dd>{status.label_in(t)}</dd>
            <dt>{t.completed}</dt><dd>{completed_at.unwrap_or_else(|| t.not_yet.to_string())}</dd>
            <dt>{t.current_decision}</dt><dd>{decision_text(t, current)}</dd>
        </dl>
        {overview}
        <HowToRead t />
        {results}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_the_t_boundaries() {
        assert_eq!(BandKind::of_t(39), BandKind::Low);
        assert_eq!(BandKind::of_t(40), BandKind::Average);
        assert_eq!(BandKind::of_t(60), BandKind::Average);
        assert_eq!(BandKind::of_t(61), BandKind::High);
    }

    fn scale(method: &str, irt: bool, stop: Option<&str>, normed: bool) -> ScaleProfile {
        let v = NormedView { t: 55, t_band: [50, 60], percentile: 69.0, percentile_band: [50.0, 84.0], sten: 7, sten_band: [6, 8], band: BandKind::Average, n: 2500 };
        ScaleProfile {
            scale: "s".into(), name: "S".into(), kind: "trait".into(), description: None, items: 20, answered: 8, scorable: true,
            method: method.into(), irt, stop: stop.map(str::to_string), not_scored: None, normed: normed.then_some(v), interpretation: None, interview_prompts: Vec::new(),
        }
    }

    #[test]
    fn the_method_line_says_how_a_score_was_made_and_where_its_band_comes_from() {
        let en = crate::i18n::staff_text("en");
        let adaptive = method_line(en, &scale("IRT (adaptive)", true, Some("precision reached"), true));
        assert_eq!(adaptive, "Scored by IRT (adaptive): 8 of 20 items asked; stopped: precision reached; 90% band from the estimate's own standard error.");
        let ctt = method_line(en, &scale("CTT (raw score)", false, None, true));
        assert!(ctt.contains("8 of 20 items answered") && ctt.ends_with("standard error of measurement."), "{ctt}");
        assert!(!method_line(en, &scale("CTT (raw score)", false, None, false)).contains("band"), "no band without norms");
        let german = method_line(crate::i18n::staff_text("de"), &scale("IRT (adaptiv)", true, Some("Genauigkeit erreicht"), true));
        assert_eq!(german, "Ausgewertet mit IRT (adaptiv): 8 von 20 Items gestellt; beendet: Genauigkeit erreicht; 90%-Band aus dem Standardfehler der Schätzung.");
    }

    #[test]
    fn the_overview_has_a_row_for_every_scale_and_a_band_only_where_there_is_a_normed_score() {
        let mut unscored = scale("CTT (raw score)", false, None, true);
        unscored.scorable = false;
        let instrument = |scales: Vec<ScaleProfile>| InstrumentProfile {
            instrument: "svi".into(), title: "SVI".into(), version: "1.0.0".into(), bank_hash: String::new(), engine_version: String::new(),
            norm: None, validity: ValidityPanel { status: Validity::Ok, reasons: Vec::new() }, adaptive: false, demonstration_parameters: false, scales,
        };
        let rows = overview_rows(&[
            instrument(vec![scale("CTT (raw score)", false, None, true), unscored]),
            instrument(vec![scale("CTT (raw score)", false, None, false)]),
        ]);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.iter().map(|r| r.normed.map(|v| v.t)).collect::<Vec<_>>(), vec![Some(55), None, None]);
    }

    #[test]
    fn a_band_across_a_boundary_is_called_uncertain() {
        let v = |lo, hi| NormedView { t: 42, t_band: [lo, hi], percentile: 21.0, percentile_band: [10.0, 35.0], sten: 4, sten_band: [3, 5], band: BandKind::Average, n: 300 };
        let en = crate::i18n::staff_text("en");
        assert!(band_spans_note(en, &v(37, 47)).is_some_and(|s| s.contains("lower range") && s.contains("average range")));
        assert_eq!(band_spans_note(en, &v(41, 52)), None);
    }
}
