//! Candidates side by side: one chart per scale on the same T axis, and
//! the numbers in a table.

use leptos::prelude::*;

use crate::i18n::{fill, staff_text, StaffText};
use crate::recruit::chart::{self, CompareChart, ChartRow};
use crate::recruit::model::{InstrumentProfile, NormInfo, Profile, ScaleProfile, MAX_COMPARE};
use super::{query::{display_name, profile_href}, report::{DemoBanner, HowToRead, NormStatement}};

pub(super) fn same_norm(a: &Option<NormInfo>, b: &Option<NormInfo>) -> bool {
    a.as_ref().map(|n| &n.id) == b.as_ref().map(|n| &n.id)
}

/// Candidates side by side: one chart per scale on the same T axis, and the numbers in a table.
#[component]
pub fn CompareView(
    campaign_id: String,
    profiles: Vec<Profile>,
    /// The reader's language (default English).
    #[prop(optional, into)]
    lang: String,
) -> impl IntoView {
    let t = staff_text(&lang);
    let campaign_name = profiles.first().map(|p| p.campaign_name.clone()).unwrap_or_default();
    let names: Vec<String> = profiles.iter().map(|p| display_name(&p.name, &p.email)).collect();
    // Instruments and scales in the order they first appear.
    let mut instruments: Vec<(String, String, Vec<(String, String)>)> = Vec::new();
    for p in &profiles {
        for inst in &p.instruments {
            let pos = match instruments.iter().position(|(id, _, _)| *id == inst.instrument) {
                Some(pos) => pos,
                None => {
                    instruments.push((inst.instrument.clone(), format!("{} {}", inst.title, inst.version), Vec::new()));
                    instruments.len() - 1
                }
            };
            for s in &inst.scales {
                if !instruments[pos].2.iter().any(|(id, _)| *id == s.scale) {
                    instruments[pos].2.push((s.scale.clone(), s.name.clone()));
                }
            }
        }
    }
    let find = |p: &Profile, inst: &str| p.instruments.iter().find(|i| i.instrument == inst).cloned();
    let overview = view! { <CompareOverview profiles=profiles.clone() names=names.clone() instruments=instruments.clone() t /> }.into_any();

    let candidate_list = profiles
        .iter()
        .zip(&names)
        .map(|(p, name)| view! { <li><a href=profile_href(&p.campaign_id, &p.invitation_id)>{name.clone()}</a> " · " {p.status.label_in(t)}</li> })
        .collect_view();

    let sections = instruments
        .into_iter()
        .map(|(inst_id, title, scales)| {
            let per: Vec<Option<InstrumentProfile>> = profiles.iter().map(|p| find(p, &inst_id)).collect();
            let norms: Vec<Option<NormInfo>> = per.iter().flatten().map(|i| i.norm.clone()).collect();
            let first_norm = norms.first().cloned().flatten();
            let mixed = norms.iter().any(|n| !same_norm(n, &norms.first().cloned().flatten()));
            let any_demo = norms.iter().flatten().any(|n| n.demonstration);
            let validity_rows = per
                .iter()
                .zip(&names)
                .map(|(i, name)| {
                    let (status, reasons) = match i {
                        Some(i) => (i.validity.status.label_in(t).to_string(), i.validity.reasons.join("; ")),
                        None => (t.no_results.to_string(), String::new()),
                    };
                    view! { <tr><th scope="row">{name.clone()}</th><td>{status}</td><td>{reasons}</td></tr> }
                })
                .collect_view();
            let inst_dom = chart::dom_id(&["cmp", &inst_id]);
            let scale_sections = scales
                .into_iter()
                .map(|(scale_id, scale_name)| {
                    let entries: Vec<(String, Option<ScaleProfile>)> = per
                        .iter()
                        .zip(&names)
                        .map(|(i, name)| (name.clone(), i.as_ref().and_then(|i| i.scales.iter().find(|s| s.scale == scale_id).cloned())))
                        .collect();
                    let rows: Vec<ChartRow> = entries
                        .iter()
                        .map(|(name, s)| ChartRow { name: name.clone(), normed: s.as_ref().filter(|s| s.scorable).and_then(|s| s.normed) })
                        .collect();
                    let table_rows = entries
                        .into_iter()
                        .map(|(name, s)| {
                            let cells = match s {
                                None => view! { <td colspan="5">{t.no_results}</td> }.into_any(),
                                Some(s) => match (s.scorable, s.normed) {
                                    (false, _) => view! {
                                        <td>{s.method.clone()}</td>
                                        <td colspan="4">{fill(t.not_scored_colon, &[("why", &s.not_scored.clone().unwrap_or_else(|| fill(t.items_answered, &[("answered", &s.answered.to_string()), ("items", &s.items.to_string())])))])}</td>
                                    }
                                    .into_any(),
                                    (true, None) => view! { <td>{s.method.clone()}</td><td colspan="4">{t.no_normed_score_cap}</td> }.into_any(),
                                    (true, Some(v)) => view! {
                                        <td>{s.method.clone()}</td>
                                        <td>{chart::t_text(t, &v)}</td>
                                        <td>{fill(t.band_pair, &[("value", &chart::percentile_text(v.percentile)), ("low", &chart::percentile_text(v.percentile_band[0])), ("high", &chart::percentile_text(v.percentile_band[1]))])}</td>
                                        <td>{fill(t.band_pair, &[("value", &v.sten.to_string()), ("low", &v.sten_band[0].to_string()), ("high", &v.sten_band[1].to_string())])}</td>
                                        <td>{v.band.label_in(t)}</td>
                                    }
                                    .into_any(),
                                },
                            };
                            view! { <tr><th scope="row">{name}</th>{cells}</tr> }
                        })
                        .collect_view();
                    let id = chart::dom_id(&[&inst_dom, &scale_id]);
                    view! {
                        <section class="scale" aria-labelledby=format!("{id}-heading")>
                            <h3 id=format!("{id}-heading")>{scale_name.clone()}</h3>
                            <CompareChart id=format!("{id}-chart") scale_name=scale_name.clone() rows t />
                            <table class="data compare-table">
                                <caption>{fill(t.scores_with_bands, &[("scale", &scale_name)])}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t.candidate}</th>
                                        <th scope="col">{t.scored_by_col}</th>
                                        <th scope="col">{t.t_band_col}</th>
                                        <th scope="col">{t.percentile_band_col}</th>
                                        <th scope="col">{t.sten_band_col}</th>
                                        <th scope="col">{t.range}</th>
                                    </tr>
                                </thead>
                                <tbody>{table_rows}</tbody>
                            </table>
                        </section>
                    }
                })
                .collect_view();
            view! {
                <section class="instrument" aria-labelledby=inst_dom.clone()>
                    <h2 id=inst_dom.clone()>{title}</h2>
                    {(any_demo && !first_norm.as_ref().is_some_and(|n| n.demonstration)).then(|| view! { <DemoBanner t /> })}
                    <NormStatement norm=first_norm t />
                    {mixed.then(|| view! {
                        <p class="notice">{t.mixed_norms}</p>
                    })}
                    <table class="data">
                        <caption>{t.response_validity}</caption>
                        <thead><tr><th scope="col">{t.candidate}</th><th scope="col">{t.status}</th><th scope="col">{t.reasons}</th></tr></thead>
                        <tbody>{validity_rows}</tbody>
                    </table>
                    {scale_sections}
                </section>
            }
        })
        .collect_view();

    view! {
        <section class="staff compare">
            <p class="breadcrumb no-print"><a href=format!("/campaigns/{campaign_id}")>{campaign_name}</a></p>
            <h1>{t.compare_candidates}</h1>
            <ul class="compared">{candidate_list}</ul>
            {overview}
            <HowToRead t />
            <p class="notice">{t.same_axis}</p>
            {sections}
        </section>
    }
}

/// One cell of the comparison overview: "T 55 (50 to 60)", or why there is none.
pub fn overview_cell(t: &StaffText, scale: Option<&ScaleProfile>) -> String {
    match scale {
        None => t.no_results_lower.to_string(),
        Some(s) if !s.scorable => t.not_scored_lower.to_string(),
        Some(s) => match s.normed {
            Some(v) => format!("T {}", fill(t.band_pair, &[("value", &v.t.to_string()), ("low", &v.t_band[0].to_string()), ("high", &v.t_band[1].to_string())])),
            None => t.no_normed_score.to_string(),
        },
    }
}

/// The one-screen overview at the top of the comparison: every scale's T
/// with its 90% band for each candidate, and each instrument's response
/// validity, before the details.
#[component]
fn CompareOverview(profiles: Vec<Profile>, names: Vec<String>, instruments: Vec<(String, String, Vec<(String, String)>)>, t: &'static StaffText) -> impl IntoView {
    let instrument_of = |p: &Profile, inst: &str| p.instruments.iter().find(|i| i.instrument == inst).cloned();
    let body = instruments
        .into_iter()
        .map(|(inst_id, title, scales)| {
            let per: Vec<Option<InstrumentProfile>> = profiles.iter().map(|p| instrument_of(p, &inst_id)).collect();
            let scale_rows = scales
                .into_iter()
                .map(|(scale_id, scale_name)| {
                    let cells = per
                        .iter()
                        .map(|i| {
                            let scale = i.as_ref().and_then(|i| i.scales.iter().find(|s| s.scale == scale_id));
                            view! { <td>{overview_cell(t, scale)}</td> }
                        })
                        .collect_view();
                    view! { <tr><th scope="row">{scale_name}</th>{cells}</tr> }
                })
                .collect_view();
            let validity = per
                .iter()
                .map(|i| view! { <td>{i.as_ref().map(|i| i.validity.status.label_in(t)).unwrap_or(t.no_results_lower)}</td> })
                .collect_view();
            view! {
                <tr class="group"><th scope="colgroup" colspan=(profiles.len() + 1).to_string()>{title}</th></tr>
                {scale_rows}
                <tr class="validity-row"><th scope="row">{t.response_validity}</th>{validity}</tr>
            }
        })
        .collect_view();
    view! {
        <section class="overview" id="overview" aria-labelledby="overview-heading">
            <h2 id="overview-heading">{t.overview}</h2>
            <table class="data overview-table">
                <caption>{t.overview_table}</caption>
                <thead><tr><th scope="col">{t.scale}</th>{names.into_iter().map(|n| view! { <th scope="col">{n}</th> }).collect_view()}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </section>
    }
}

/// The page shown when fewer than 2 or more than `MAX_COMPARE` candidates were chosen.
#[component]
pub fn CompareChoiceView(campaign_id: String, message: String) -> impl IntoView {
    // Before the reader is known (the caller's choice failed): English.
    let t = staff_text("en");
    view! {
        <section class="staff">
            <h1>{t.compare_candidates}</h1>
            <p class="notice" role="alert">{message}</p>
            <p>{fill(t.compare_how, &[("n", &MAX_COMPARE.to_string())])}</p>
            <p><a href=format!("/campaigns/{campaign_id}")>{t.back_to_list}</a></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recruit::model::{BandKind, NormedView};

    fn scale(scorable: bool, normed: bool) -> ScaleProfile {
        let v = NormedView { t: 63, t_band: [58, 68], percentile: 90.0, percentile_band: [79.0, 96.0], sten: 8, sten_band: [7, 9], band: BandKind::High, n: 400 };
        ScaleProfile {
            scale: "s".into(), name: "S".into(), kind: "trait".into(), description: None, items: 10, answered: 10, scorable,
            method: "CTT (raw score)".into(), irt: false, stop: None, not_scored: None, normed: normed.then_some(v), interpretation: None, interview_prompts: Vec::new(),
        }
    }

    #[test]
    fn an_overview_cell_gives_t_with_its_band_or_says_why_there_is_none() {
        let en = staff_text("en");
        assert_eq!(overview_cell(en, Some(&scale(true, true))), "T 63 (58 to 68)");
        assert_eq!(overview_cell(en, Some(&scale(true, false))), "no normed score");
        assert_eq!(overview_cell(en, Some(&scale(false, true))), "not scored");
        assert_eq!(overview_cell(en, None), "no results");
        assert_eq!(overview_cell(staff_text("de"), Some(&scale(true, true))), "T 63 (58 bis 68)");
    }
}
