//! The recruiter's profile and comparison pages, rendered to HTML from a
//! fixture, read as a specification of what a report must and must not say.

use app::recruit::model::{
    BandKind, CandidateQuery, CandidateRow, CandidateStatus, Decision, DecisionLine, Headline, InstrumentProfile, NormInfo, NormedView, Profile, ScaleProfile,
    Validity, ValidityPanel,
};
use app::recruit::views::{CandidateTable, CompareView, PrintProfileView, ProfileNotices, ProfileView};
use leptos::prelude::*;

fn normed(t: i32, band: [i32; 2], kind: BandKind) -> NormedView {
    NormedView { t, t_band: band, percentile: 38.0, percentile_band: [24.0, 55.0], sten: 5, sten_band: [4, 6], band: kind, n: 240 }
}

fn scale(id: &str, name: &str, kind: &str, normed: Option<NormedView>, prompts: &[&str]) -> ScaleProfile {
    ScaleProfile {
        scale: id.into(),
        name: name.into(),
        kind: kind.into(),
        description: Some(format!("What {name} is about.")),
        items: 8,
        answered: 8,
        scorable: true,
        method: "CTT (raw score)".into(),
        irt: false,
        stop: None,
        not_scored: None,
        normed,
        interpretation: normed.map(|n| format!("Interpretation of {name} in the {}.", n.band.label().to_lowercase())),
        interview_prompts: prompts.iter().map(|p| p.to_string()).collect(),
    }
}

fn demo_norm() -> NormInfo {
    NormInfo {
        id: "svi-1.0.0-demo".into(),
        group: "Working adults, security roles (simulated)".into(),
        country: "DE".into(),
        role_family: "Security".into(),
        collected_from: "2026-01-01".into(),
        collected_to: "2026-03-31".into(),
        n: 240,
        quality: "adequate".into(),
        demonstration: true,
        theta_norms: false,
    }
}

/// A completed candidate: a caution validity status, demonstration norms, a
/// low trait with prompts, an average trait whose data (wrongly) carries
/// prompts too, a scale with too few answers, a response-style scale, and an
/// SJT instrument.
fn fixture(invitation_id: &str, name: &str, vigilance_t: i32) -> Profile {
    let mut unscored = scale("speak_up", "Speak-up", "trait", None, &[]);
    unscored.answered = 3;
    unscored.scorable = false;
    unscored.not_scored = Some("3 of 8 items answered; a classical score needs at least 80% of them.".into());
    unscored.interpretation = None;
    Profile {
        campaign_id: "c-1".into(),
        campaign_name: "SOC analysts 2026".into(),
        invitation_id: invitation_id.into(),
        name: name.into(),
        email: format!("{invitation_id}@example.test"),
        status: CandidateStatus::Completed,
        completed_at: Some("2026-11-23 14:05 UTC".into()),
        instruments: vec![
            InstrumentProfile {
                instrument: "svi".into(),
                title: "Security Values Inventory".into(),
                version: "1.0.0".into(),
                bank_hash: "0123456789ab".into(),
                engine_version: "0.1.0".into(),
                norm: Some(demo_norm()),
                validity: ValidityPanel {
                    status: Validity::Caution,
                    reasons: vec!["One of three attention-check items was answered unexpectedly.".into()],
                },
                adaptive: false,
                demonstration_parameters: false,
                scales: vec![
                    scale("vigilance", "Vigilance", "trait", Some(normed(vigilance_t, [vigilance_t - 5, vigilance_t + 5], BandKind::of_t(vigilance_t))), &["Tell me about a time you noticed something odd at work."]),
                    scale("rule_orientation", "Rule orientation", "trait", Some(normed(47, [42, 52], BandKind::Average)), &["PROMPT-FOR-AVERAGE-MUST-NOT-SHOW"]),
                    unscored,
                    scale("im", "Impression management", "impression_management", Some(normed(55, [50, 60], BandKind::Average)), &[]),
                ],
            },
            InstrumentProfile {
                instrument: "sjt".into(),
                title: "Security Judgement Scenarios".into(),
                version: "1.0.0".into(),
                bank_hash: "ba9876543210".into(),
                engine_version: "0.1.0".into(),
                norm: Some(NormInfo { id: "sjt-real".into(), demonstration: false, quality: "good".into(), n: 512, ..demo_norm() }),
                validity: ValidityPanel { status: Validity::Ok, reasons: vec![] },
                adaptive: false,
                demonstration_parameters: false,
                scales: vec![scale("judgement", "Security judgement", "judgement", Some(normed(63, [57, 69], BandKind::High)), &[])],
            },
        ],
        decisions: vec![DecisionLine { decision: Decision::Hold, reason: "Waiting for the second interview.".into(), by: "Robin Recruiter".into(), at: "2026-11-24 09:00 UTC".into() }],
        erased_on: None,
    }
}

fn render_profile(profile: Profile) -> String {
    let owner = Owner::new();
    owner.with(|| view! { <ProfileView profile notices=ProfileNotices::default() /> }.to_html())
}

fn render_print(profile: Profile) -> String {
    let owner = Owner::new();
    owner.with(|| view! { <PrintProfileView profile /> }.to_html())
}

fn render_compare(profiles: Vec<Profile>) -> String {
    let owner = Owner::new();
    owner.with(|| view! { <CompareView campaign_id="c-1".to_string() profiles /> }.to_html())
}

/// The text a reader sees: Leptos's `<!>` markers dropped, other tags read
/// as a space, runs of white space as one, entities for quotes undone.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.replace("<!>", "").chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(html: &str) -> Vec<String> {
    html.to_lowercase().split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Words that would turn a score into a verdict.
const VERDICT_WORDS: [&str; 9] = ["pass", "passed", "fail", "failed", "reject", "rejected", "unsuitable", "unfit", "suitable"];

fn assert_no_verdicts(html: &str) {
    let words = words(html);
    for w in VERDICT_WORDS {
        assert!(!words.iter().any(|x| x == w), "the page uses the word {w:?}");
    }
}

fn assert_no_scripts(html: &str) {
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "a script element in the page");
    assert!(!lower.contains("javascript:"), "a javascript: URL in the page");
    assert!(!lower.contains(" style="), "an inline style (the CSP forbids it)");
    for handler in ["onclick", "onload", "onerror", "onsubmit", "onchange", "onmouseover", "onfocus"] {
        assert!(!lower.contains(&format!("{handler}=")), "an inline {handler} handler");
    }
}

#[test]
fn demonstration_norms_carry_the_banner() {
    let html = render_profile(fixture("inv-1", "Ada Example", 35));
    let text = visible_text(&html);
    assert!(text.contains("Demonstration norms - not for decisions"), "{text}");
    // The norm group is named with its N, dates and quality.
    assert!(text.contains("Working adults, security roles (simulated)"));
    assert!(text.contains("N = 240"));
    assert!(text.contains("collected 2026-01-01 to 2026-03-31"));
    assert!(text.contains("norm quality: adequate"));
    // Only the demonstration norm is flagged (beside its instrument, and once in
    // the overview above): the SJT's norm is real.
    assert_eq!(text.matches("Demonstration norms - not for decisions").count(), 2);
    let sjt = text.split("Security Judgement Scenarios").last().unwrap_or_default();
    assert!(!sjt.contains("Demonstration norms"), "{sjt}");
}

#[test]
fn every_score_is_shown_with_its_band() {
    let profile = fixture("inv-1", "Ada Example", 35);
    let html = render_profile(profile.clone());
    let text = visible_text(&html);
    let mut checked = 0;
    for inst in &profile.instruments {
        for s in &inst.scales {
            if let Some(v) = s.normed {
                assert!(text.contains(&format!("{} (90% band {} to {})", v.t, v.t_band[0], v.t_band[1])), "T of {} without its band", s.name);
                assert!(text.contains("38 (90% band 24 to 55)"), "percentile of {} without its band", s.name);
                assert!(text.contains("5 (90% band 4 to 6)"), "sten of {} without its band", s.name);
                assert!(text.contains(v.band.label()), "no range text for {}", s.name);
                // The chart's accessible description gives the numbers too.
                assert!(html.contains(&app::recruit::chart::describe(app::i18n::staff_text("en"), &v)));
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4);
    // One chart per normed scale, and the overview's chart of every scale.
    assert_eq!(html.matches("<svg").count(), 5, "one chart per normed scale and the overview");
    assert_eq!(html.matches("role=\"img\"").count(), 5);
    let scales: usize = profile.instruments.iter().map(|i| i.scales.len()).sum();
    let overview = html.split("id=\"p-overview-chart\"").nth(1).and_then(|s| s.split("</svg>").next()).expect("the overview chart");
    assert_eq!(overview.matches("class=\"row-label\"").count(), scales, "a row for every scale");
    assert!(html.find("p-overview").expect("overview") < html.find("class=\"instrument\"").expect("details"), "the overview comes first");
}

#[test]
fn validity_caution_is_stated_with_its_reason() {
    let text = visible_text(&render_profile(fixture("inv-1", "Ada Example", 35)));
    assert!(text.contains("Response validity: Interpret with caution"));
    assert!(text.contains("One of three attention-check items was answered unexpectedly."));
    assert!(text.contains("Response validity: No concerns"));
}

#[test]
fn a_scale_with_too_few_answers_says_it_was_not_scored() {
    let text = visible_text(&render_profile(fixture("inv-1", "Ada Example", 35)));
    assert!(text.contains("Speak-up"));
    assert!(text.contains("Not scored."));
    assert!(text.contains("3 of 8 items answered; a classical score needs at least 80% of them."));
}

#[test]
fn interview_prompts_appear_only_for_the_lower_range() {
    let text = visible_text(&render_profile(fixture("inv-1", "Ada Example", 35)));
    assert!(text.contains("Questions for the interview"));
    assert!(text.contains("Tell me about a time you noticed something odd at work."));
    assert!(!text.contains("PROMPT-FOR-AVERAGE-MUST-NOT-SHOW"));
    assert_eq!(text.matches("Questions for the interview").count(), 1);
}

#[test]
fn judgement_results_have_their_own_section() {
    let text = visible_text(&render_profile(fixture("inv-1", "Ada Example", 35)));
    assert!(text.contains("Judgement scenarios (SJT)"));
    assert!(text.contains("Security judgement"));
    assert!(text.contains("Higher range"));
    assert!(text.contains("Response style"));
}

#[test]
fn the_profile_explains_itself_and_leaves_the_decision_to_people() {
    let html = render_profile(fixture("inv-1", "Ada Example", 35));
    let text = visible_text(&html);
    assert!(text.contains("How to read this profile"));
    assert!(text.contains("true score lies with 90% confidence"));
    assert!(text.contains("A score alone never decides"));
    assert!(text.contains("Vigil does not make hiring decisions"));
    // The decision form: three choices and a required reason.
    for d in ["advance", "hold", "decline"] {
        assert!(html.contains(&format!("value=\"{d}\"")), "no {d} choice");
    }
    assert!(html.contains("action=\"/campaigns/c-1/candidates/inv-1/decision\""));
    assert!(html.contains("name=\"reason\""));
    assert!(text.contains("Waiting for the second interview."));
    // A completed candidate's invitation cannot be resent or withdrawn.
    assert!(!html.contains("/revoke"));
    assert!(!html.contains("/resend"));
}

#[test]
fn an_open_invitation_can_be_resent_or_withdrawn() {
    let mut p = fixture("inv-2", "Ben Example", 50);
    p.status = CandidateStatus::Invited;
    p.instruments.clear();
    let html = render_profile(p);
    assert!(html.contains("action=\"/campaigns/c-1/candidates/inv-2/resend\""));
    assert!(html.contains("action=\"/campaigns/c-1/candidates/inv-2/revoke\""));
    assert!(visible_text(&html).contains("No results yet"));
}

#[test]
fn no_verdict_words_and_no_inline_scripts() {
    for html in [render_profile(fixture("inv-1", "Ada Example", 35)), render_print(fixture("inv-1", "Ada Example", 35))] {
        assert_no_verdicts(&html);
        assert_no_scripts(&html);
    }
}

#[test]
fn the_print_view_has_the_report_but_no_forms() {
    let html = render_print(fixture("inv-1", "Ada Example", 35));
    let text = visible_text(&html);
    assert!(!html.contains("<form"));
    assert!(!html.contains("<button"));
    assert!(text.contains("Demonstration norms - not for decisions"));
    assert!(text.contains("How to read this profile"));
    assert_eq!(html.matches("<svg").count(), 5, "the scales' charts and the overview's");
}

#[test]
fn the_comparison_shares_one_axis_per_scale_and_gives_the_numbers() {
    let profiles = vec![fixture("inv-1", "Ada Example", 35), fixture("inv-2", "Ben Example", 58)];
    let html = render_compare(profiles);
    let text = visible_text(&html);
    // One chart per scale (speak-up included: its rows say there is no score).
    assert_eq!(html.matches("<svg").count(), 5);
    assert!(text.contains("T 35 (90% band 30 to 40)"));
    assert!(text.contains("T 58 (90% band 53 to 63)"));
    assert!(text.contains("Not scored: 3 of 8 items answered"));
    assert!(text.contains("Scored by"), "the comparison names each score's method");
    assert!(text.contains("Demonstration norms - not for decisions"));
    assert!(text.contains("Interpret with caution"));
    assert!(text.contains("Ada Example") && text.contains("Ben Example"));
    assert!(html.contains("href=\"/campaigns/c-1/candidates/inv-2\""));
    assert_no_verdicts(&html);
    assert_no_scripts(&html);
}

#[test]
fn the_candidate_list_sorts_and_offers_completed_candidates_for_comparison() {
    let row = |id: &str, status| CandidateRow {
        invitation_id: id.into(),
        name: format!("Name {id}"),
        email: format!("{id}@example.test"),
        language: "en".into(),
        status,
        invited_at: "2026-11-20 10:00 UTC".into(),
        completed_at: None,
        headline: vec![Headline { scale: "vigilance".into(), scale_name: "Vigilance".into(), t: 47, t_band: [42, 52], band: BandKind::Average }],
        validity: Some(Validity::Ok),
        decision: None,
    };
    let rows = vec![row("a", CandidateStatus::Completed), row("b", CandidateStatus::Invited)];
    let query = CandidateQuery { search: Some("a b".into()), ..CandidateQuery::default() };
    let owner = Owner::new();
    let html = owner.with(|| view! { <CandidateTable campaign_id="c-1".to_string() rows query /> }.to_html());
    assert!(html.contains("action=\"/campaigns/c-1/compare\""));
    assert_eq!(html.matches("name=\"c\"").count(), 1, "only completed candidates can be compared");
    assert!(html.contains("value=\"a\""));
    assert!(html.contains("Vigilance: Average range, T 47 (42 to 52)"));
    // The header of the current order reverses it; others sort ascending; the filter stays.
    assert!(html.contains("href=\"/campaigns/c-1?q=a%20b&amp;sort=invited&amp;desc=1\""), "{html}");
    assert!(html.contains("href=\"/campaigns/c-1?q=a%20b&amp;sort=name\""));
    assert!(html.contains("aria-sort=\"ascending\""));
    assert_no_scripts(&html);
}


#[test]
fn only_an_administrator_is_offered_erasure_and_an_erased_profile_says_what_went() {
    let render = |profile: Profile, may_erase: bool| {
        let owner = Owner::new();
        owner.with(|| view! { <ProfileView profile notices=ProfileNotices::default() may_erase /> }.to_html())
    };
    let admin = render(fixture("inv-1", "Ada Lovelace", 55), true);
    assert!(admin.contains("id=\"erase\"") && admin.contains("id=\"erase-confirm\"") && admin.contains("required"), "{admin}");
    let recruiter = render(fixture("inv-1", "Ada Lovelace", 55), false);
    assert!(!recruiter.contains("id=\"erase\""));
    assert!(visible_text(&recruiter).contains("an administrator of your organisation can erase them sooner"));
    let mut erased = fixture("inv-1", "Personal data erased", 55);
    erased.erased_on = Some("2026-11-24".into());
    let page = render(erased, true);
    assert!(!page.contains("id=\"erase\""), "nothing left to erase");
    assert!(visible_text(&page).contains("were erased on 2026-11-24. The answers and scores remain, without a name."), "{page}");
}

/// The candidate of an adaptive campaign on demonstration IRT parameters:
/// every scale scored by IRT from the items asked.
fn adaptive_fixture() -> Profile {
    let mut profile = fixture("inv-3", "Cleo Example", 52);
    let svi = &mut profile.instruments[0];
    svi.adaptive = true;
    svi.demonstration_parameters = true;
    for s in &mut svi.scales {
        s.method = "IRT (adaptive)".into();
        s.irt = true;
        s.items = 20;
        s.answered = 7;
        s.stop = Some("precision reached".into());
        s.scorable = true;
        s.not_scored = None;
        s.normed = Some(normed(52, [47, 57], BandKind::Average));
    }
    profile
}

#[test]
fn an_adaptive_profile_says_how_each_score_was_made_and_labels_demonstration_parameters() {
    for html in [render_profile(adaptive_fixture()), render_print(adaptive_fixture())] {
        let text = visible_text(&html);
        assert!(text.contains("Demonstration IRT parameters - not for decisions"), "{text}");
        assert!(text.contains("Adaptive: the computer chose each next item"));
        assert_eq!(text.matches("Scored by IRT (adaptive): 7 of 20 items asked; stopped: precision reached; 90% band from the estimate's own standard error.").count(), 4);
        assert!(text.contains("Scored by CTT (raw score): 8 of 8 items answered; 90% band from the scale's standard error of measurement."), "the SJT stays classical");
        assert_no_verdicts(&html);
    }
    let fixed = visible_text(&render_profile(fixture("inv-1", "Ada Example", 35)));
    assert!(!fixed.contains("Demonstration IRT parameters"), "no parameters banner for classical scores");
}
