//! The recruiter pages' presentation: components that take data and render
//! plain HTML (no server calls, no JavaScript), so tests can render them
//! with a fixture. The route components in `pages.rs` load the data and put
//! these inside the staff frame.
//!
//! Rules every view here keeps (the and PSYCHOMETRICS.md sections 3
//! and 8): no score without its 90% band; the norm group named with its N,
//! dates and quality; demonstration norms flagged wherever they appear;
//! neutral colours, with every number also given as text; no words that
//! turn a score into a verdict; Vigil informs, the recruiter decides.

use leptos::prelude::*;

use super::chart::{self, CompareChart, CompareRow, ScaleChart};
use super::model::{
    BandKind, BankOption, CampaignDetail, CampaignSummary, CandidateQuery, CandidateRow, CandidateStatus, Decision, DecisionLine, InstrumentProfile,
    NormInfo, NormedView, OutboxMessage, Profile, ScaleProfile, SortKey, Validity, ValidityPanel, MAX_COMPARE,
};

/// The words of the demonstration-norm banner (PSYCHOMETRICS.md section 3).
pub const DEMONSTRATION_BANNER: &str = "Demonstration norms - not for decisions";

// ---------------------------------------------------------------- helpers

/// Percent-encodes a query-string value (RFC 3986 unreserved characters stay as they are).
pub fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The candidate list's query string for `query` (empty fields left out).
pub fn list_query_string(query: &CandidateQuery) -> String {
    let mut parts = Vec::new();
    if let Some(s) = query.status {
        parts.push(format!("status={}", s.as_str()));
    }
    if let Some(v) = query.validity {
        parts.push(format!("validity={}", v.as_str()));
    }
    if let Some(q) = query.search.as_deref().filter(|q| !q.is_empty()) {
        parts.push(format!("q={}", query_escape(q)));
    }
    parts.push(format!("sort={}", query.sort.as_str()));
    if query.descending {
        parts.push("desc=1".to_string());
    }
    parts.join("&")
}

/// The query of a column header's link: the same filters, sorted by `key`;
/// a second click on the current column reverses the order.
pub fn sort_link_query(query: &CandidateQuery, key: SortKey) -> CandidateQuery {
    let descending = if query.sort == key { !query.descending } else { false };
    CandidateQuery { sort: key, descending, ..query.clone() }
}

/// Reads the list's filter and order from query-string values (unknown values are ignored).
pub fn parse_candidate_query(status: Option<&str>, validity: Option<&str>, q: Option<&str>, sort: Option<&str>, desc: Option<&str>) -> CandidateQuery {
    CandidateQuery {
        status: status.and_then(CandidateStatus::parse),
        validity: validity.and_then(Validity::parse),
        search: q.map(str::trim).filter(|q| !q.is_empty()).map(|q| q.chars().take(200).collect()),
        sort: sort.and_then(SortKey::parse).unwrap_or_default(),
        descending: desc == Some("1"),
    }
}

/// The ids to compare, in order, without repeats or empty values.
pub fn compare_ids(values: Vec<String>) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for v in values {
        let v = v.trim().to_string();
        if !v.is_empty() && !ids.contains(&v) {
            ids.push(v);
        }
    }
    ids
}

/// Why a comparison cannot be shown, or `None` when 2 to `MAX_COMPARE` candidates were chosen.
pub fn compare_count_problem(count: usize) -> Option<String> {
    if count < 2 {
        Some(format!("Choose at least 2 candidates to compare (you chose {count})."))
    } else if count > MAX_COMPARE {
        Some(format!("Choose at most {MAX_COMPARE} candidates to compare (you chose {count})."))
    } else {
        None
    }
}

/// The interpretation range of a T score: T < 40 lower, 40 to 60 average, T > 60 higher.
pub fn band_of_t(t: i32) -> BandKind {
    if t < chart::T_LOWER_END {
        BandKind::Low
    } else if t > chart::T_HIGHER_START {
        BandKind::High
    } else {
        BandKind::Average
    }
}

/// When the 90% band reaches into another range: a sentence saying so.
pub fn band_spans_note(v: &NormedView) -> Option<String> {
    let (lo, hi) = (v.t_band[0].min(v.t_band[1]), v.t_band[0].max(v.t_band[1]));
    let (from, to) = (band_of_t(lo), band_of_t(hi));
    (from != to).then(|| {
        format!(
            "The 90% band reaches from the {} to the {}, so the range this score falls in is not certain.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        )
    })
}

/// A name to show: the name, else the e-mail address, else a neutral placeholder.
pub fn display_name(name: &str, email: &str) -> String {
    if !name.trim().is_empty() {
        name.to_string()
    } else if !email.trim().is_empty() {
        email.to_string()
    } else {
        "Unnamed candidate".to_string()
    }
}

fn norm_quality_label(quality: &str) -> String {
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

fn profile_href(campaign_id: &str, invitation_id: &str) -> String {
    format!("/campaigns/{campaign_id}/candidates/{invitation_id}")
}

fn validity_text(v: Option<Validity>) -> &'static str {
    v.map(Validity::label).unwrap_or("Not yet available")
}

fn decision_text(d: Option<Decision>) -> &'static str {
    d.map(Decision::label).unwrap_or("None recorded")
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "Yes"
    } else {
        "No"
    }
}

// ------------------------------------------------------------ shared parts

/// The banner for demonstration norms.
#[component]
pub fn DemoBanner() -> impl IntoView {
    view! {
        <p class="banner demo" role="note">
            <strong>{DEMONSTRATION_BANNER}</strong>
            ". These norms come from simulated respondents. Use them to learn how Vigil works, not to judge a real person."
        </p>
    }
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

fn kind_note(kind: &str) -> Option<&'static str> {
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
    let body = match (scale.scorable, scale.normed) {
        (false, _) => view! {
            <p class="not-scored">
                <strong>"Not scored. "</strong>
                {format!("The candidate answered {} of {} items; a score needs at least 80% of them.", scale.answered, scale.items)}
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
            {scale.description.map(|d| view! { <p class="small">{d}</p> })}
            {note.map(|n| view! { <p class="small">{n}</p> })}
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
    let InstrumentProfile { instrument: inst_id, title, version, bank_hash, engine_version, norm, validity, scales } = instrument;
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
            <NormStatement norm />
            <ValidityBlock panel=validity />
            {group("Scales", traits)}
            {group("Judgement scenarios (SJT)", judgement)}
            {group("Response style", style)}
            <p class="provenance small">{format!("Scored with {inst_id} {version} (bank {bank_hash}), scoring engine {engine_version}.")}</p>
        </section>
    }
}

/// The report itself: who, the reading note, and every instrument. Shared by the profile page and its print view.
#[component]
pub fn ProfileReport(profile: Profile, id_prefix: String) -> impl IntoView {
    let Profile { campaign_name, name, email, status, completed_at, instruments, decisions, .. } = profile;
    let current = decisions.first().map(|d| d.decision);
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
            <dt>"Current decision"</dt><dd>{decision_text(current)}</dd>
        </dl>
        <HowToRead />
        {results}
    }
}

// ------------------------------------------------------------------ profile

/// The decisions so far, newest first.
#[component]
pub fn DecisionHistory(decisions: Vec<DecisionLine>) -> impl IntoView {
    if decisions.is_empty() {
        return view! { <p>"No decision recorded yet."</p> }.into_any();
    }
    view! {
        <table class="data" id="decision-history">
            <caption>"Decision history (newest first)"</caption>
            <thead>
                <tr><th scope="col">"When"</th><th scope="col">"Decision"</th><th scope="col">"Reason"</th><th scope="col">"By"</th></tr>
            </thead>
            <tbody>
                {decisions.into_iter().map(|d| view! {
                    <tr><td>{d.at}</td><td>{d.decision.label()}</td><td class="reason">{d.reason}</td><td>{d.by}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The decision form: the recruiter decides and gives the reason.
#[component]
pub fn DecisionForm(campaign_id: String, invitation_id: String) -> impl IntoView {
    let action = format!("{}/decision", profile_href(&campaign_id, &invitation_id));
    view! {
        <p class="notice">
            "Vigil does not make hiring decisions and never recommends one. You decide, weighing this profile with the interview and your other evidence. "
            "Record the decision and the reason for it; both are kept in the history below and in the audit log."
        </p>
        <form method="post" action=action class="stacked decision-form">
            <fieldset class="choices">
                <legend>"Your decision"</legend>
                {Decision::ALL.into_iter().enumerate().map(|(i, d)| {
                    let id = format!("decision-{}", d.as_str());
                    view! {
                        <label class="choice" for=id.clone()>
                            <input type="radio" id=id.clone() name="decision" value=d.as_str() required={i == 0} />
                            " " {d.label()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label for="decision-reason">"Reason (required)"</label>
            <textarea id="decision-reason" name="reason" required maxlength="2000" rows="4"></textarea>
            <div class="actions">
                <button type="submit" class="button" id="record-decision">"Record decision"</button>
            </div>
        </form>
    }
}

/// Notices shown after a form on the profile page redirected back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProfileNotices {
    pub decided: bool,
    pub revoked: bool,
    pub resent: bool,
    pub erased: bool,
}

/// The profile page's content: the report, links, the decision, invitation actions.
#[component]
pub fn ProfileView(profile: Profile, notices: ProfileNotices, #[prop(optional)] may_erase: bool) -> impl IntoView {
    let base = profile_href(&profile.campaign_id, &profile.invitation_id);
    let campaign_href = format!("/campaigns/{}", profile.campaign_id);
    let campaign_name = profile.campaign_name.clone();
    let decisions = profile.decisions.clone();
    let status = profile.status;
    let (campaign_id, invitation_id) = (profile.campaign_id.clone(), profile.invitation_id.clone());
    let open = !matches!(status, CandidateStatus::Completed | CandidateStatus::Revoked);
    let erased_on = profile.erased_on.clone();
    let mut messages = Vec::new();
    if notices.decided {
        messages.push("Your decision was recorded.");
    }
    if notices.revoked {
        messages.push("The invitation was withdrawn. The link no longer works.");
    }
    if notices.resent {
        messages.push("The invitation was sent again (or placed in the outbox).");
    }
    if notices.erased {
        messages.push("The candidate's personal data was erased.");
    }
    view! {
        <section class="staff profile">
            <p class="breadcrumb no-print"><a href=campaign_href>{campaign_name}</a></p>
            {messages.into_iter().map(|m| view! { <p class="notice" role="status">{m}</p> }).collect_view()}
            <ProfileReport profile id_prefix="p".to_string() />
            <ul class="links no-print">
                <li><a href=format!("{base}/print")>"Print view (for PDF)"</a></li>
                <li><a href=format!("{base}/export.json")>"Export as JSON"</a></li>
            </ul>
            <section class="decision no-print" aria-labelledby="decision-heading">
                <h2 id="decision-heading">"Decision"</h2>
                <DecisionForm campaign_id=campaign_id.clone() invitation_id=invitation_id.clone() />
                <h3>"History"</h3>
                <DecisionHistory decisions />
            </section>
            {open.then(|| view! {
                <section class="invitation-actions no-print" aria-labelledby="invitation-heading">
                    <h2 id="invitation-heading">"Invitation"</h2>
                    <p>"Send the invitation again if the candidate cannot find it; withdraw it if the candidate should no longer take the assessment. Withdrawing cannot be undone."</p>
                    <div class="actions">
                        <form method="post" action=format!("{base}/resend")>
                            <button type="submit" class="button secondary" id="resend">"Send invitation again"</button>
                        </form>
                        <form method="post" action=format!("{base}/revoke")>
                            <button type="submit" class="button secondary" id="revoke">"Withdraw invitation"</button>
                        </form>
                    </div>
                </section>
            })}
            <section class="personal-data no-print" aria-labelledby="personal-data-heading">
                <h2 id="personal-data-heading">"Personal data"</h2>
                {match erased_on {
                    Some(day) => view! {
                        <p id="erased-note">{format!("The candidate's name, e-mail address and the reasons given with decisions were erased on {day}. The answers and scores remain, without a name.")}</p>
                    }.into_any(),
                    None if may_erase => view! {
                        <p>"On the candidate's request (or when your organisation no longer needs it), erase their name, e-mail address, the e-mails sent to them and the reasons given with decisions. The invitation stops working. The answers and scores remain, without a name. This cannot be undone. Vigil erases it by itself at the end of the retention period."</p>
                        <form method="post" action=format!("{base}/erase") class="stacked">
                            <label class="choice" for="erase-confirm">
                                <input type="checkbox" id="erase-confirm" name="confirm" value="yes" required />
                                " I understand that this cannot be undone."
                            </label>
                            <div class="actions">
                                <button type="submit" class="button secondary" id="erase">"Erase personal data"</button>
                            </div>
                        </form>
                    }.into_any(),
                    None => view! {
                        <p>"Vigil erases the candidate's name and e-mail address at the end of the retention period. On the candidate's request, an administrator of your organisation can erase them sooner."</p>
                    }.into_any(),
                }}
            </section>
        </section>
    }
}

/// The print-ready profile: the report without navigation or forms.
#[component]
pub fn PrintProfileView(profile: Profile) -> impl IntoView {
    let back = profile_href(&profile.campaign_id, &profile.invitation_id);
    let decisions = profile.decisions.clone();
    view! {
        <article class="staff print-profile">
            <p class="no-print small">
                "This page is laid out for printing: use your browser's Print command (Ctrl+P or Cmd+P) and choose \"Save as PDF\". "
                <a href=back>"Back to the profile"</a>
            </p>
            <p class="print-header small">"Vigil candidate profile · confidential: contains personal data"</p>
            <ProfileReport profile id_prefix="print".to_string() />
            <section class="instrument decision-print">
                <h2>"Decisions"</h2>
                <p>"Vigil does not make hiring decisions. Decisions recorded by the organisation:"</p>
                <DecisionHistory decisions />
            </section>
        </article>
    }
}

// ----------------------------------------------------------------- compare

fn same_norm(a: &Option<NormInfo>, b: &Option<NormInfo>) -> bool {
    a.as_ref().map(|n| &n.id) == b.as_ref().map(|n| &n.id)
}

/// Candidates side by side: one chart per scale on the same T axis, and the numbers in a table.
#[component]
pub fn CompareView(campaign_id: String, profiles: Vec<Profile>) -> impl IntoView {
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

    let candidate_list = profiles
        .iter()
        .zip(&names)
        .map(|(p, name)| view! { <li><a href=profile_href(&p.campaign_id, &p.invitation_id)>{name.clone()}</a> " · " {p.status.label()}</li> })
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
                        Some(i) => (i.validity.status.label().to_string(), i.validity.reasons.join("; ")),
                        None => ("No results".to_string(), String::new()),
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
                    let rows: Vec<CompareRow> = entries
                        .iter()
                        .map(|(name, s)| CompareRow { name: name.clone(), normed: s.as_ref().filter(|s| s.scorable).and_then(|s| s.normed) })
                        .collect();
                    let table_rows = entries
                        .into_iter()
                        .map(|(name, s)| {
                            let cells = match s {
                                None => view! { <td colspan="4">"No results"</td> }.into_any(),
                                Some(s) => match (s.scorable, s.normed) {
                                    (false, _) => view! {
                                        <td colspan="4">{format!("Not scored ({} of {} items answered)", s.answered, s.items)}</td>
                                    }
                                    .into_any(),
                                    (true, None) => view! { <td colspan="4">"No normed score"</td> }.into_any(),
                                    (true, Some(v)) => view! {
                                        <td>{chart::t_text(&v)}</td>
                                        <td>{format!("{} ({} to {})", chart::percentile_text(v.percentile), chart::percentile_text(v.percentile_band[0]), chart::percentile_text(v.percentile_band[1]))}</td>
                                        <td>{format!("{} ({} to {})", v.sten, v.sten_band[0], v.sten_band[1])}</td>
                                        <td>{v.band.label()}</td>
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
                            <CompareChart id=format!("{id}-chart") scale_name=scale_name.clone() rows />
                            <table class="data compare-table">
                                <caption>{format!("{scale_name}: scores with their 90% bands")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Candidate"</th>
                                        <th scope="col">"T score (90% band)"</th>
                                        <th scope="col">"Percentile (90% band)"</th>
                                        <th scope="col">"Sten (90% band)"</th>
                                        <th scope="col">"Range"</th>
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
                    {(any_demo && !first_norm.as_ref().is_some_and(|n| n.demonstration)).then(|| view! { <DemoBanner /> })}
                    <NormStatement norm=first_norm />
                    {mixed.then(|| view! {
                        <p class="notice">"These candidates were scored against different norm groups. Their scores are not directly comparable; see each profile for its norm group."</p>
                    })}
                    <table class="data">
                        <caption>"Response validity"</caption>
                        <thead><tr><th scope="col">"Candidate"</th><th scope="col">"Status"</th><th scope="col">"Reasons"</th></tr></thead>
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
            <h1>"Compare candidates"</h1>
            <ul class="compared">{candidate_list}</ul>
            <HowToRead />
            <p class="notice">"Candidates are shown on the same axis. Where their 90% bands overlap, do not treat them as different on that scale."</p>
            {sections}
        </section>
    }
}

/// The page shown when fewer than 2 or more than `MAX_COMPARE` candidates were chosen.
#[component]
pub fn CompareChoiceView(campaign_id: String, message: String) -> impl IntoView {
    view! {
        <section class="staff">
            <h1>"Compare candidates"</h1>
            <p class="notice" role="alert">{message}</p>
            <p>{format!("On the campaign's candidate list, tick between 2 and {MAX_COMPARE} completed candidates, then choose \"Compare selected\".")}</p>
            <p><a href=format!("/campaigns/{campaign_id}")>"Back to the candidate list"</a></p>
        </section>
    }
}

// --------------------------------------------------------------- campaigns

fn counts_text(c: &super::model::StatusCounts) -> String {
    format!("{} invited, {} started, {} completed, {} expired, {} withdrawn", c.invited, c.started, c.completed, c.expired, c.revoked)
}

/// The organisation's campaigns.
#[component]
pub fn CampaignListView(campaigns: Vec<CampaignSummary>) -> impl IntoView {
    let table = if campaigns.is_empty() {
        view! { <p>"No campaigns yet. Create one to invite candidates."</p> }.into_any()
    } else {
        view! {
            <table class="data" id="campaigns">
                <caption>"Campaigns (newest first)"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Campaign"</th>
                        <th scope="col">"Role family"</th>
                        <th scope="col">"Instruments"</th>
                        <th scope="col">"Candidates"</th>
                        <th scope="col">"Created"</th>
                    </tr>
                </thead>
                <tbody>
                    {campaigns.into_iter().map(|c| view! {
                        <tr>
                            <td><a href=format!("/campaigns/{}", c.id)>{c.name.clone()}</a></td>
                            <td>{c.role_family.clone()}</td>
                            <td><ul class="plain">{c.instruments.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}</ul></td>
                            <td>{counts_text(&c.counts)}</td>
                            <td>{c.created_on.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="staff">
            <h1>"Campaigns"</h1>
            <p><a class="button" href="/campaigns/new" id="new-campaign">"New campaign"</a></p>
            {table}
        </section>
    }
}

fn norm_option_label(n: &NormInfo) -> String {
    let demo = if n.demonstration { " · demonstration norms, not for decisions" } else { "" };
    format!("{} · N = {} · {}{}", n.group, n.n, norm_quality_label(&n.quality), demo)
}

/// The form that creates a campaign (posts to `/campaigns`).
#[component]
pub fn NewCampaignView(options: Vec<BankOption>) -> impl IntoView {
    let banks = if options.is_empty() {
        view! { <p class="notice">"No published item bank is available yet, so a campaign cannot be created."</p> }.into_any()
    } else {
        options
            .into_iter()
            .map(|o| {
                let key = format!("{}@{}", o.instrument, o.version);
                let id = chart::dom_id(&["bank", &key]);
                let norm_id = format!("{id}-norm");
                let norm_select = if o.norms.is_empty() {
                    view! { <p class="small">"No norm table is published for this version: its scales will not be compared with a norm group."</p> }.into_any()
                } else {
                    view! {
                        <label for=norm_id.clone()>{format!("Norm group for {}", o.title)}</label>
                        <select id=norm_id name=format!("norm:{key}")>
                            {o.norms.iter().map(|n| view! { <option value=n.id.clone()>{norm_option_label(n)}</option> }).collect_view()}
                        </select>
                    }
                    .into_any()
                };
                view! {
                    <div class="bank-option">
                        <label class="choice" for=id.clone()>
                            <input type="checkbox" id=id.clone() name="instrument" value=key.clone() />
                            " " {format!("{} {}", o.title, o.version)}
                            {o.adaptive_capable.then(|| view! { <span class="small">" (can run adaptively)"</span> })}
                        </label>
                        {norm_select}
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="staff">
            <p class="breadcrumb"><a href="/campaigns">"Campaigns"</a></p>
            <h1>"New campaign"</h1>
            <form method="post" action="/campaigns" class="stacked campaign-form">
                <label for="campaign-name">"Name"</label>
                <input id="campaign-name" name="name" required maxlength="200" autocomplete="off" />
                <label for="role-family">"Role family"</label>
                <input id="role-family" name="role_family" required maxlength="200" autocomplete="off" />
                <p class="small">"For example \"Security operations\". It helps you choose a norm group of comparable people."</p>
                <fieldset>
                    <legend>"Instruments and norm groups"</legend>
                    <p class="small">"Tick each instrument the candidates should take, and choose the group their scores are compared with. Norm groups marked as demonstration norms come from simulated respondents and are not for decisions."</p>
                    {banks}
                </fieldset>
                <label for="time-limit">"Time limit in minutes (leave empty for none)"</label>
                <input id="time-limit" name="time_limit_minutes" type="number" min="1" max="600" inputmode="numeric" />
                <label class="choice" for="adaptive">
                    <input type="checkbox" id="adaptive" name="adaptive" value="on" />
                    " Adaptive testing"
                </label>
                <p class="small">"Applies only to banks with IRT parameters (marked \"can run adaptively\"): each candidate gets the items that tell most about them, so the assessment is shorter. Other banks run in full."</p>
                <label class="choice" for="candidate-feedback">
                    <input type="checkbox" id="candidate-feedback" name="candidate_feedback" value="on" />
                    " Show candidates a short summary of their own results when they finish"
                </label>
                <label for="invitation-days">"Invitation links work for (days)"</label>
                <input id="invitation-days" name="invitation_days" type="number" min="1" max="90" value="14" required inputmode="numeric" />
                <label for="reminder-days">"Remind candidates who have not finished, this many days before their link runs out (leave empty for no automatic reminder)"</label>
                <input id="reminder-days" name="reminder_days" type="number" min="1" max="30" value="3" inputmode="numeric" aria-describedby="reminder-days-help" />
                <p class="small" id="reminder-days-help">"Each candidate gets at most one automatic reminder, with a new link that works until the same day, and none within a day of another e-mail from Vigil."</p>
                <div class="actions">
                    <button type="submit" class="button" id="create-campaign">"Create campaign"</button>
                </div>
            </form>
        </section>
    }
}

/// The filter and order form of the candidate list (GET).
#[component]
pub fn CandidateFilter(campaign_id: String, query: CandidateQuery) -> impl IntoView {
    let action = format!("/campaigns/{campaign_id}");
    view! {
        <form method="get" action=action class="filters" role="search" aria-label="Filter candidates">
            <div>
                <label for="filter-status">"Status"</label>
                <select id="filter-status" name="status">
                    <option value="" selected=query.status.is_none()>"Any"</option>
                    {CandidateStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected={query.status == Some(s)}>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-validity">"Validity"</label>
                <select id="filter-validity" name="validity">
                    <option value="" selected=query.validity.is_none()>"Any"</option>
                    {[Validity::Ok, Validity::Caution, Validity::Invalid].into_iter().map(|v| view! {
                        <option value=v.as_str() selected={query.validity == Some(v)}>{v.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="filter-q">"Name or e-mail"</label>
                <input id="filter-q" name="q" type="search" maxlength="200" value=query.search.clone().unwrap_or_default() />
            </div>
            <div>
                <label for="filter-sort">"Sort by"</label>
                <select id="filter-sort" name="sort">
                    {SortKey::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected={query.sort == k}>{sort_label(k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label class="choice" for="filter-desc">
                    <input type="checkbox" id="filter-desc" name="desc" value="1" checked=query.descending />
                    " Descending"
                </label>
            </div>
            <div><button type="submit" class="button secondary">"Apply"</button></div>
        </form>
    }
}

fn sort_label(k: SortKey) -> &'static str {
    match k {
        SortKey::Name => "Name",
        SortKey::Status => "Status",
        SortKey::Invited => "Invited",
        SortKey::Completed => "Completed",
        SortKey::Validity => "Validity",
        SortKey::Decision => "Decision",
    }
}

/// The candidate list: a table whose headers sort, inside the compare form.
#[component]
pub fn CandidateTable(campaign_id: String, rows: Vec<CandidateRow>, query: CandidateQuery) -> impl IntoView {
    let base = format!("/campaigns/{campaign_id}");
    let header = |key: SortKey| {
        let sorted = (query.sort == key).then_some(if query.descending { "descending" } else { "ascending" });
        let href = format!("{base}?{}", list_query_string(&sort_link_query(&query, key)));
        let hint = match sorted {
            Some("ascending") => " (sorted ascending)",
            Some(_) => " (sorted descending)",
            None => "",
        };
        view! {
            <th scope="col" aria-sort=sorted><a href=href>{sort_label(key)}</a><span class="visually-hidden">{hint}</span></th>
        }
    };
    if rows.is_empty() {
        let filtered = query.status.is_some() || query.validity.is_some() || query.search.is_some();
        return view! {
            <p id="no-candidates">{if filtered { "No candidate matches this filter." } else { "No candidates yet. Invite the first one below." }}</p>
        }
        .into_any();
    }
    let count = rows.len();
    let body = rows
        .into_iter()
        .map(|r| {
            let name = display_name(&r.name, &r.email);
            let href = profile_href(&campaign_id, &r.invitation_id);
            let comparable = r.status == CandidateStatus::Completed;
            let select_label = format!("Select {name} for comparison");
            view! {
                <tr>
                    <td>
                        {comparable.then(|| view! { <input type="checkbox" name="c" value=r.invitation_id.clone() aria-label=select_label /> })}
                    </td>
                    <td><a href=href>{name}</a>{(!r.name.trim().is_empty()).then(|| view! { <br /><span class="small">{r.email.clone()}</span> })}</td>
                    <td>{r.status.label()}</td>
                    <td>{r.invited_at.clone()}</td>
                    <td>{r.completed_at.clone().unwrap_or_default()}</td>
                    <td>
                        {(!r.headline.is_empty()).then(|| view! {
                            <ul class="headline">
                                {r.headline.iter().map(|h| view! {
                                    <li>{format!("{}: {}, T {} ({} to {})", h.scale_name, h.band.label(), h.t, h.t_band[0], h.t_band[1])}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    </td>
                    <td>{validity_text(r.validity)}</td>
                    <td>{decision_text(r.decision)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <form method="get" action=format!("{base}/compare") class="compare-form">
            <table class="data candidates" id="candidates">
                <caption>{format!("Candidates ({count})")}</caption>
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">"Select for comparison"</span></th>
                        {header(SortKey::Name)}
                        {header(SortKey::Status)}
                        {header(SortKey::Invited)}
                        {header(SortKey::Completed)}
                        <th scope="col">"Headline (T, 90% band)"</th>
                        {header(SortKey::Validity)}
                        {header(SortKey::Decision)}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
            <div class="actions">
                <button type="submit" class="button secondary" id="compare">{format!("Compare selected (up to {MAX_COMPARE})")}</button>
            </div>
        </form>
    }
    .into_any()
}

/// Notices after a form on the campaign page redirected back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CampaignNotices {
    pub created: bool,
    /// How many invitations were just created (0: none).
    pub invited: u32,
    /// How many reminders were just sent (`None`: no reminders were asked for).
    pub reminded: Option<u32>,
    /// The automatic reminder was just changed.
    pub reminder_changed: bool,
}

/// A campaign: battery, settings, candidates, invitations and exports.
#[component]
pub fn CampaignView(detail: CampaignDetail, rows: Vec<CandidateRow>, query: CandidateQuery, notices: CampaignNotices) -> impl IntoView {
    let CampaignDetail { summary, battery } = detail;
    let id = summary.id.clone();
    let invited_message = match notices.invited {
        0 => None,
        1 => Some("The invitation was created. The e-mail was sent, or placed in the outbox if no mail server is configured.".to_string()),
        n => Some(format!("{n} invitations were created. The e-mails were sent, or placed in the outbox if no mail server is configured.")),
    };
    let reminded_message = notices.reminded.map(|n| match n {
        0 => "No reminder was sent: nobody was due one.".to_string(),
        1 => "1 reminder with a new link was sent, or placed in the outbox if no mail server is configured.".to_string(),
        n => format!("{n} reminders with new links were sent, or placed in the outbox if no mail server is configured."),
    });
    let unfinished = summary.counts.invited + summary.counts.started;
    let battery_rows = battery
        .into_iter()
        .map(|b| {
            let norm = match &b.norm {
                Some(n) => view! {
                    {n.demonstration.then(|| view! { <strong class="demo-tag">{DEMONSTRATION_BANNER}</strong><br /> })}
                    {norm_sentence(n)}
                }
                .into_any(),
                None => view! { "No norm group" }.into_any(),
            };
            view! {
                <tr>
                    <td>{b.title.clone()}</td>
                    <td>{b.version.clone()}</td>
                    <td>{norm}</td>
                    <td>{if b.adaptive { "Adaptive" } else { "Full length" }}</td>
                </tr>
            }
        })
        .collect_view();
    let time_limit = summary.time_limit_minutes.map(|m| format!("{m} minutes")).unwrap_or_else(|| "None".to_string());
    view! {
        <section class="staff campaign">
            <p class="breadcrumb"><a href="/campaigns">"Campaigns"</a></p>
            <h1>{summary.name.clone()}</h1>
            {notices.created.then(|| view! { <p class="notice" role="status">"The campaign was created. Invite candidates below."</p> })}
            {invited_message.map(|m| view! { <p class="notice" role="status">{m}</p> })}
            {reminded_message.map(|m| view! { <p class="notice" role="status" id="reminded">{m}</p> })}
            {notices.reminder_changed.then(|| view! { <p class="notice" role="status">"The automatic reminder was changed."</p> })}
            <dl class="facts">
                <dt>"Role family"</dt><dd>{summary.role_family.clone()}</dd>
                <dt>"Created"</dt><dd>{summary.created_on.clone()}</dd>
                <dt>"Time limit"</dt><dd>{time_limit}</dd>
                <dt>"Adaptive testing"</dt><dd>{yes_no(summary.adaptive)}</dd>
                <dt>"Feedback to candidates"</dt><dd>{yes_no(summary.candidate_feedback)}</dd>
                <dt>"Invitation links work for"</dt><dd>{format!("{} days", summary.invitation_days)}</dd>
                <dt>"Automatic reminder"</dt><dd id="automatic-reminder">{summary.reminder_days.map_or_else(|| "None".to_string(), |d| format!("{d} day(s) before the link runs out"))}</dd>
                <dt>"Candidates"</dt><dd>{counts_text(&summary.counts)}</dd>
            </dl>
            <form method="post" action=format!("/campaigns/{id}/automatic-reminder") class="stacked" aria-label="Automatic reminder">
                <label for="change-reminder-days">"Automatic reminder: days before the link runs out (empty: none)"</label>
                <input id="change-reminder-days" name="reminder_days" type="number" min="1" max="30" inputmode="numeric" value=summary.reminder_days.map(|d| d.to_string()).unwrap_or_default() />
                <div class="actions">
                    <button type="submit" class="button secondary" id="change-reminder">"Change the automatic reminder"</button>
                </div>
            </form>
            <table class="data" id="battery">
                <caption>"Battery"</caption>
                <thead>
                    <tr><th scope="col">"Instrument"</th><th scope="col">"Version"</th><th scope="col">"Norm group"</th><th scope="col">"Mode"</th></tr>
                </thead>
                <tbody>{battery_rows}</tbody>
            </table>

            <h2>"Candidates"</h2>
            <CandidateFilter campaign_id=id.clone() query=query.clone() />
            <CandidateTable campaign_id=id.clone() rows query />
            <p><a href=format!("/campaigns/{id}/export.csv") id="export-csv">"Export the candidate list (CSV)"</a></p>
            {(unfinished > 0).then(|| view! {
                <p><a href=format!("/campaigns/{id}/reminders") id="remind-unfinished">{format!("Remind candidates who have not finished ({unfinished})")}</a>" (you see who gets one before anything is sent)"</p>
            })}

            <h2 id="invite-heading">"Invite a candidate"</h2>
            <form method="post" action=format!("/campaigns/{id}/invitations") class="stacked" aria-labelledby="invite-heading">
                <label for="invite-name">"Name"</label>
                <input id="invite-name" name="name" maxlength="200" autocomplete="off" />
                <label for="invite-email">"E-mail address"</label>
                <input id="invite-email" name="email" type="email" required maxlength="254" autocomplete="off" />
                <label for="invite-language">"Language of the assessment"</label>
                <select id="invite-language" name="language">
                    <option value="en">"English"</option>
                    <option value="de">"German (Deutsch)"</option>
                </select>
                <div class="actions">
                    <button type="submit" class="button" id="invite">"Send invitation"</button>
                </div>
            </form>

            <h2 id="upload-heading">"Invite several candidates from a file"</h2>
            <p>"A CSV file in UTF-8 with the header line " <code>"name,email,language"</code> ", then one candidate per line. Fields may be separated by commas or semicolons; the language is " <code>"en"</code> " or " <code>"de"</code> "."</p>
            <form method="post" action=format!("/campaigns/{id}/invitations/upload") enctype="multipart/form-data" class="stacked" aria-labelledby="upload-heading">
                <label for="upload-file">"CSV file"</label>
                <input id="upload-file" name="file" type="file" accept=".csv,text/csv" required />
                <div class="actions">
                    <button type="submit" class="button secondary" id="upload">"Upload and invite"</button>
                </div>
            </form>
        </section>
    }
}

// ------------------------------------------------------------------ outbox

/// The organisation's outbox: messages queued for candidates.
#[component]
pub fn OutboxView(messages: Vec<OutboxMessage>) -> impl IntoView {
    let table = if messages.is_empty() {
        view! { <p>"The outbox is empty."</p> }.into_any()
    } else {
        view! {
            <table class="data" id="outbox">
                <caption>"Messages (newest first)"</caption>
                <thead>
                    <tr><th scope="col">"To"</th><th scope="col">"Subject"</th><th scope="col">"Kind"</th><th scope="col">"Status"</th><th scope="col">"Created"</th><th scope="col">"Message"</th></tr>
                </thead>
                <tbody>
                    {messages.into_iter().map(|m| {
                        let status = match m.sent_at.as_deref() {
                            Some(at) => format!("{} ({at})", m.status),
                            None => m.status.clone(),
                        };
                        let body = if m.body.is_empty() {
                            view! { <span class="small">"Removed (sent, or the link no longer works)"</span> }.into_any()
                        } else {
                            view! { <details><summary>"Show message"</summary><pre class="mail">{m.body}</pre></details> }.into_any()
                        };
                        view! {
                            <tr><td>{m.to}</td><td>{m.subject}</td><td>{m.kind}</td><td>{status}</td><td>{m.created_at}</td><td>{body}</td></tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="staff">
            <h1>"Outbox"</h1>
            <p>"When no mail server is configured, the invitations and reminders for candidates wait here. Copy a message and send it to the candidate yourself. The links in them are personal: send each only to its addressee."</p>
            {table}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_query_reads_known_values_and_ignores_the_rest() {
        let q = parse_candidate_query(Some("completed"), Some("caution"), Some("  ada  "), Some("name"), Some("1"));
        assert_eq!(q.status, Some(CandidateStatus::Completed));
        assert_eq!(q.validity, Some(Validity::Caution));
        assert_eq!(q.search.as_deref(), Some("ada"));
        assert_eq!(q.sort, SortKey::Name);
        assert!(q.descending);
        let q = parse_candidate_query(Some(""), Some("bogus"), Some("   "), Some("salary"), Some("yes"));
        assert_eq!(q, CandidateQuery::default());
    }

    #[test]
    fn the_list_query_round_trips_through_its_query_string() {
        let q = CandidateQuery { status: Some(CandidateStatus::Invited), validity: None, search: Some("Zoë & co".into()), sort: SortKey::Decision, descending: true };
        assert_eq!(list_query_string(&q), "status=invited&q=Zo%C3%AB%20%26%20co&sort=decision&desc=1");
    }

    #[test]
    fn a_header_link_reverses_its_own_column_and_starts_others_ascending() {
        let q = CandidateQuery { sort: SortKey::Name, descending: false, ..CandidateQuery::default() };
        assert!(sort_link_query(&q, SortKey::Name).descending);
        let q = CandidateQuery { sort: SortKey::Name, descending: true, ..CandidateQuery::default() };
        assert!(!sort_link_query(&q, SortKey::Name).descending);
        assert_eq!(sort_link_query(&q, SortKey::Status), CandidateQuery { sort: SortKey::Status, descending: false, ..q.clone() });
    }

    #[test]
    fn between_two_and_five_distinct_candidates_can_be_compared() {
        let ids = compare_ids(vec!["a".into(), " b ".into(), "a".into(), "".into()]);
        assert_eq!(ids, vec!["a".to_string(), "b".to_string()]);
        assert!(compare_count_problem(0).is_some());
        assert!(compare_count_problem(1).is_some());
        assert!(compare_count_problem(2).is_none());
        assert!(compare_count_problem(MAX_COMPARE).is_none());
        assert!(compare_count_problem(MAX_COMPARE + 1).is_some());
    }

    #[test]
    fn ranges_follow_the_t_boundaries() {
        assert_eq!(band_of_t(39), BandKind::Low);
        assert_eq!(band_of_t(40), BandKind::Average);
        assert_eq!(band_of_t(60), BandKind::Average);
        assert_eq!(band_of_t(61), BandKind::High);
    }

    #[test]
    fn a_band_across_a_boundary_is_called_uncertain() {
        let v = |lo, hi| NormedView { t: 42, t_band: [lo, hi], percentile: 21.0, percentile_band: [10.0, 35.0], sten: 4, sten_band: [3, 5], band: BandKind::Average, n: 300 };
        assert!(band_spans_note(&v(37, 47)).is_some_and(|s| s.contains("lower range") && s.contains("average range")));
        assert_eq!(band_spans_note(&v(41, 52)), None);
    }

    #[test]
    fn a_person_without_a_name_is_shown_by_address_or_neutrally() {
        assert_eq!(display_name("Ada", "ada@example.test"), "Ada");
        assert_eq!(display_name(" ", "ada@example.test"), "ada@example.test");
        assert_eq!(display_name("", ""), "Unnamed candidate");
    }
}
