//! The parts every report shares (a profile, its print view, the
//! comparison): the demonstration banner, how to read a profile, the norm
//! group statement, the validity panel, a scale with its numbers and bands,
//! an instrument, the whole report.

use leptos::prelude::*;

use crate::recruit::chart::{self, ChartRow, OverviewChart, ScaleChart};
use crate::recruit::model::{BandKind, Decision, InstrumentProfile, NormInfo, NormedView, Profile, ScaleProfile, Validity, ValidityPanel};
use super::query::display_name;
use crate::i18n::{staff::STAFF_EN, StaffText};

/// The words of the demonstration-norm banner (PSYCHOMETRICS.md section 3).
pub const DEMONSTRATION_BANNER: &str = "Demonstration norms - not for decisions";

/// When the 90% band reaches into another range: a sentence saying so.
pub fn band_spans_note(v: &NormedView) -> Option<String> {
    let (lo, hi) = (v.t_band[0].min(v.t_band[1]), v.t_band[0].max(v.t_band[1]));
    let (from, to) = (BandKind::of_t(lo), BandKind::of_t(hi));
    (from != to).then(|| {
        format!(
            "The 90% band reaches from the {} to the {}, so the range this score falls in is not certain.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        )
    })
}

pub(super) fn norm_quality_label(quality: &str) -> String {
    match quality {
        "inadequate" => "inadequate (provisional only)".to_string(),
        other => other.to_string(),
    }
}

/// "Working adults (simulated), DE, security roles; N = 400; collected 2026-01-01 to 2026-03-31; norm quality: good"
pub fn norm_sentence(norm: &NormInfo) -> String {
    let mut place = vec![norm.group.clone()];
    if !norm.country.is_empty() {
        place.push(norm.country.clone());
    }
    if !norm.role_family.is_empty() {
        place.push(norm.role_family.clone());
    }
    format!(
        "{}; N = {}; collected {} to {}; norm quality: {}",
        place.join(", "),
        norm.n,
        norm.collected_from,
        norm.collected_to,
        norm_quality_label(&norm.quality)
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
pub fn DemoBanner() -> impl IntoView {
    demo_banner(DEMONSTRATION_BANNER, ". These norms come from simulated respondents. Use them to learn how Vigil works, not to judge a real person.")
}

/// The words of the banner for IRT scores from demonstration parameters.
pub const DEMONSTRATION_PARAMETERS_BANNER: &str = "Demonstration IRT parameters - not for decisions";

/// The banner for IRT scores computed with demonstration item parameters.
#[component]
pub fn DemoParametersBanner() -> impl IntoView {
    demo_banner(DEMONSTRATION_PARAMETERS_BANNER, ". The item parameters behind these IRT scores were estimated from simulated respondents, not calibrated on real people.")
}

/// "How to read this profile": what a score can and cannot tell.
#[component]
pub fn HowToRead() -> impl IntoView {
    view! {
        <aside class="how-to-read" aria-labelledby="how-to-read-heading">
            <h2 id="how-to-read-heading">"How to read this profile"</h2>
            <ul>
                <li>"The scores describe how the candidate described themselves (or, for scenarios, which options they chose) on one day. They are not a measurement of behaviour at work."</li>
                <li>"Each score compares the candidate with a norm group: a T score of 50 is the group's average, and 40 to 60 is the range in which most people fall (about two in three)."</li>
                <li>"No score is exact. The 90% band shows the range in which the candidate's true score lies with 90% confidence. Where two bands overlap, treat the difference as uncertain."</li>
                <li>"A score alone never decides. Use it to plan the interview and weigh it with the other evidence you have."</li>
            </ul>
        </aside>
    }
}

/// The norm group as every report must name it, with the demonstration banner when it applies.
#[component]
pub fn NormStatement(norm: Option<NormInfo>) -> impl IntoView {
    match norm {
        Some(norm) => {
            let demo = norm.demonstration;
            view! {
                {demo.then(|| view! { <DemoBanner /> })}
                <p class="norm"><strong>"Norm group: "</strong>{norm_sentence(&norm)}</p>
            }
            .into_any()
        }
        None => view! {
            <p class="norm"><strong>"Norm group: "</strong>"none. Without a norm group the scales are not compared with anyone, so no T scores, percentiles or stens are shown."</p>
        }
        .into_any(),
    }
}

/// The validity panel of one instrument.
#[component]
pub fn ValidityBlock(panel: ValidityPanel) -> impl IntoView {
    let class = format!("validity validity-{}", panel.status.as_str());
    let explanation = match panel.status {
        Validity::Ok => "The response checks found nothing unusual.",
        Validity::Caution => "Some responses were unusual. Read the scores with care and ask about them in the interview.",
        Validity::Invalid => "The responses do not allow an interpretation. Do not use the scores of this instrument; consider inviting the candidate again.",
    };
    let reasons = panel.reasons;
    view! {
        <div class=class>
            <p><strong>"Response validity: " {panel.status.label()}</strong>". " {explanation}</p>
            {(!reasons.is_empty()).then(|| view! {
                <ul class="reasons">{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            })}
        </div>
    }
}

/// The numbers of one scale in text, each with its 90% band.
#[component]
pub fn ScoreFacts(normed: NormedView) -> impl IntoView {
    view! {
        <dl class="scores">
            <dt>"T score"</dt>
            <dd>{normed.t} " " <span class="band-range">{format!("(90% band {} to {})", normed.t_band[0], normed.t_band[1])}</span></dd>
            <dt>"Percentile"</dt>
            <dd>{chart::percentile_text(normed.percentile)} " " <span class="band-range">{format!("(90% band {} to {})", chart::percentile_text(normed.percentile_band[0]), chart::percentile_text(normed.percentile_band[1]))}</span></dd>
            <dt>"Sten"</dt>
            <dd>{normed.sten} " " <span class="band-range">{format!("(90% band {} to {})", normed.sten_band[0], normed.sten_band[1])}</span></dd>
        </dl>
    }
}

/// How a scale was scored, in one line: the method, the items behind it,
/// why an adaptive run stopped, and where the 90% band comes from.
pub fn method_line(scale: &ScaleProfile) -> String {
    let items = if scale.stop.is_some() {
        format!("{} of {} items asked", scale.answered, scale.items)
    } else {
        format!("{} of {} items answered", scale.answered, scale.items)
    };
    let stop = scale.stop.as_ref().map(|s| format!("; stopped: {s}")).unwrap_or_default();
    let band = match (scale.scorable && scale.normed.is_some(), scale.irt) {
        (false, _) => "",
        (true, true) => "; 90% band from the estimate's own standard error",
        (true, false) => "; 90% band from the scale's standard error of measurement",
    };
    format!("Scored by {}: {items}{stop}{band}.", scale.method)
}

pub(super) fn kind_note(kind: &str) -> Option<&'static str> {
    match kind {
        "judgement" => Some("Situational judgement: how closely the options the candidate chose in workplace scenarios match the options experts rated most effective, compared with the norm group."),
        "impression_management" => Some("A response-style scale: a high score means the answers describe the candidate in an unusually favourable light. It is a signal about the answers, not a quality to select on."),
        _ => None,
    }
}

/// One scale of a profile: chart, numbers, range, interpretation and (for the lower range) interview prompts.
#[component]
pub fn ScaleBlock(
    /// Unique in the page (the chart's ids derive from it).
    id: String,
    scale: ScaleProfile,
) -> impl IntoView {
    let heading_id = format!("{id}-heading");
    let note = kind_note(&scale.kind);
    let method = method_line(&scale);
    let body = match (scale.scorable, scale.normed) {
        (false, _) => view! {
            <p class="not-scored">
                <strong>"Not scored. "</strong>
                {scale.not_scored.clone().unwrap_or_else(|| format!("The candidate answered {} of {} items.", scale.answered, scale.items))}
            </p>
        }
        .into_any(),
        (true, None) => view! {
            <p class="not-scored">"Scored, but there is no norm group for this scale, so no T score, percentile or sten is shown."</p>
        }
        .into_any(),
        (true, Some(v)) => {
            let spans = band_spans_note(&v);
            let prompts = if v.band == BandKind::Low { scale.interview_prompts } else { Vec::new() };
            view! {
                <div class="scale-result">
                    <ScaleChart id=format!("{id}-chart") scale_name=scale.name.clone() normed=v />
                    <ScoreFacts normed=v />
                </div>
                <p class="band-text">
                    <strong>{v.band.label()}</strong>
                    {scale.interpretation.map(|text| view! { ": " {text} })}
                </p>
                {spans.map(|s| view! { <p class="small">{s}</p> })}
                {(!prompts.is_empty()).then(|| view! {
                    <div class="prompts">
                        <p><strong>"Questions for the interview"</strong></p>
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
                        view! { <ScaleBlock id scale=s /> }
                    })
                    .collect_view()}
            }
        })
    };
    view! {
        <section class="instrument" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{title} " " <span class="version">{version.clone()}</span></h2>
            {adaptive.then(|| view! { <p class="small">"Adaptive: the computer chose each next item from the candidate's answers so far, so candidates answer different items and fewer of them. Scores are on the same scale for everyone (IRT)."</p> })}
            {demonstration_parameters.then(|| view! { <DemoParametersBanner /> })}
            <NormStatement norm />
            <ValidityBlock panel=validity />
            {group("Scales", traits)}
            {group("Judgement scenarios (SJT)", judgement)}
            {group("Response style", style)}
            <p class="provenance small">{format!("Scored with {inst_id} {version} (bank {bank_hash}), scoring engine {engine_version}.")}</p>
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
pub fn ProfileOverview(id_prefix: String, instruments: Vec<InstrumentProfile>) -> impl IntoView {
    let rows = overview_rows(&instruments);
    let demonstration = instruments.iter().any(|i| i.norm.as_ref().is_some_and(|n| n.demonstration) || i.demonstration_parameters);
    let heading = format!("{id_prefix}-overview-heading");
    let labelled_by = heading.clone();
    view! {
        <section class="overview" id=format!("{id_prefix}-overview") aria-labelledby=labelled_by>
            <h2 id=heading>"Overview"</h2>
            {demonstration.then(|| view! { <p class="banner demo" role="note"><strong>{DEMONSTRATION_BANNER}</strong>". The details below say which scores this concerns."</p> })}
            <OverviewChart id=format!("{id_prefix}-overview-chart") rows />
            <ul class="validity-summary">
                {instruments.into_iter().map(|i| {
                    let class = format!("validity-{}", i.validity.status.as_str());
                    view! { <li class=class>{format!("{} {}: response validity ", i.title, i.version)}<strong>{i.validity.status.label()}</strong></li> }
                }).collect_view()}
            </ul>
            <p class="small">"Each bar is the 90% band of a scale's T score and the dot the score itself; the shaded middle is the average range (T 40 to 60). The details below give every number, what it means and how it was measured."</p>
        </section>
    }
}

/// The report itself: who, the reading note, and every instrument. Shared by the profile page and its print view.
#[component]
pub fn ProfileReport(profile: Profile, id_prefix: String) -> impl IntoView {
    let Profile { campaign_name, name, email, status, completed_at, instruments, decisions, .. } = profile;
    let current = decisions.first().map(|d| d.decision);
    let overview = (!instruments.is_empty()).then(|| view! { <ProfileOverview id_prefix=id_prefix.clone() instruments=instruments.clone() /> }.into_any());
    let results = if instruments.is_empty() {
        view! {
            <p class="notice">{format!("No results yet: the candidate's status is \"{}\". Results appear here once the assessment is completed.", status.label())}</p>
        }
        .into_any()
    } else {
        instruments
            .into_iter()
            .map(|instrument| view! { <InstrumentReport id_prefix=id_prefix.clone() instrument /> })
            .collect_view()
            .into_any()
    };
    view! {
        <h1>{display_name(&name, &email)}</h1>
        <dl class="facts">
            <dt>"Campaign"</dt><dd>{campaign_name}</dd>
            <dt>"E-mail"</dt><dd>{email.clone()}</dd>
            <dt>"Status"</dt><dd>{status.label()}</dd>
            <dt>"Completed"</dt><dd>{completed_at.unwrap_or_else(|| "Not yet".to_string())}</dd>
            <dt>"Current decision"</dt><dd>{decision_text(&STAFF_EN, current)}</dd>
        </dl>
        {overview}
        <HowToRead />
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
        let adaptive = method_line(&scale("IRT (adaptive)", true, Some("precision reached"), true));
        assert_eq!(adaptive, "Scored by IRT (adaptive): 8 of 20 items asked; stopped: precision reached; 90% band from the estimate's own standard error.");
        let ctt = method_line(&scale("CTT (raw score)", false, None, true));
        assert!(ctt.contains("8 of 20 items answered") && ctt.ends_with("standard error of measurement."), "{ctt}");
        assert!(!method_line(&scale("CTT (raw score)", false, None, false)).contains("band"), "no band without norms");
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
        assert!(band_spans_note(&v(37, 47)).is_some_and(|s| s.contains("lower range") && s.contains("average range")));
        assert_eq!(band_spans_note(&v(41, 52)), None);
    }
}
