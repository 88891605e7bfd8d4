//! The technical report's page (printable through the browser's print):
//! every table says where its numbers come from. Escaped here.

use std::fmt::Write as _;

use super::staff::esc;
use crate::technical_report::{DataSource, TechnicalReport};

fn num(x: Option<f64>, places: usize) -> String {
    x.map_or_else(|| "—".to_string(), |v| format!("{v:.places$}"))
}

/// What scores of any Vigil instrument can and cannot tell.
const LIMITS: &str = "<ul><li>Scores describe how a person described their own values, habits and judgement on the day, compared with a norm group. They measure; they do not predict misconduct, and no score says that anyone is a risk.</li>\
<li>Every score has an error: reports show it as a 90% band, and two scores whose bands overlap should not be told apart.</li>\
<li>Self-descriptions can be coloured by wanting to make a good impression; the validity indices flag some of it, not all.</li>\
<li>A score is one piece of information for a conversation and a decision made by people, never the decision itself.</li></ul>";

pub fn page_body(r: &TechnicalReport) -> String {
    let label = match &r.source {
        DataSource::Collected { .. } => "collected",
        DataSource::Simulated { .. } => "simulated",
        DataSource::Nothing { .. } => "none",
    };
    let caption = |what: &str| format!("<caption>{what} <span class=\"data-source\">({label})</span></caption>");
    let mut html = format!(
        "<div class=\"workbench report\"><p class=\"small no-print\">Print this page or save it as PDF with the browser's print.</p>\
         <h2>Purpose and intended use</h2><p>{} version {} (content hash <code>{}</code>), {} items in {}; meant for: {}.{}</p>\
         <h2>What the scores can and cannot tell</h2>{LIMITS}<h2>Where the numbers come from</h2>",
        esc(&r.title),
        esc(&r.version),
        esc(&r.content_hash),
        r.items,
        esc(&r.languages.join(", ")),
        esc(&r.intended_use.join(", ")),
        r.calibration.as_deref().map(|c| format!(" IRT parameters: {}.", esc(c))).unwrap_or_default()
    );
    match &r.source {
        DataSource::Collected { sessions, first_day, last_day } => {
            let _ = write!(html, "<p id=\"data-source\">Collected: {sessions} completed sessions of your organisation, {} to {}.</p>", esc(first_day), esc(last_day));
        }
        DataSource::Simulated { respondents, seed } => {
            let _ = write!(html, "<p id=\"data-source\" class=\"warning\">Simulated: {respondents} respondents drawn from the bank's population model (seed {seed}), because your organisation has fewer than 100 completed sessions of this version. Every number below is labelled \"simulated\": it shows how the instrument behaves under its own model, not how it works with real people.</p>");
        }
        DataSource::Nothing { sessions } => {
            let _ = write!(html, "<p id=\"data-source\">No data yet: {sessions} completed sessions (at least 100 are needed) and no population model to simulate from.</p>");
        }
    }
    let Some(n) = &r.numbers else {
        html.push_str("</div>");
        return html;
    };
    let name = |id: &str| r.scales.iter().find(|(s, _, _)| s == id).map_or(id.to_string(), |(_, n, _)| n.clone());
    let _ = write!(html, "<h2>Scales and reliability</h2><div class=\"table-scroll\"><table class=\"data\" id=\"report-scales\">{}<thead><tr><th scope=\"col\">Scale</th><th scope=\"col\">N</th><th scope=\"col\">Mean</th><th scope=\"col\">SD</th><th scope=\"col\">Alpha [95%]</th><th scope=\"col\">Omega</th><th scope=\"col\">Loadings (one factor)</th><th scope=\"col\">SEM</th><th scope=\"col\">Marginal IRT reliability</th></tr></thead><tbody>", caption("Per scale, raw scores"));
    for s in &n.scales {
        let _ = write!(
            html,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&name(&s.scale)),
            s.n,
            num(s.mean, 2),
            num(s.sd, 2),
            num(s.alpha, 2),
            s.alpha_ci95.map(|c| format!("[{:.2}, {:.2}]", c[0], c[1])).unwrap_or_default(),
            num(s.omega, 2),
            s.loadings.map(|l| format!("{:.2} to {:.2}", l[0], l[1])).unwrap_or_else(|| "—".into()),
            num(s.sem, 2),
            num(s.marginal_reliability, 2)
        );
    }
    html.push_str("</tbody></table></div><p class=\"small\">SEM = SD x sqrt(1 - alpha). The loadings are those of one factor fitted to each scale's items (omega's model): all clearly positive means one factor carries the scale.</p>");
    let _ = write!(html, "<h2>Structure: how the scales correlate</h2><div class=\"table-scroll\"><table class=\"data\" id=\"report-correlations\">{}<thead><tr><th scope=\"col\">Scale</th>", caption("Pearson r of raw scores"));
    for s in &n.scales {
        let _ = write!(html, "<th scope=\"col\">{}</th>", esc(&name(&s.scale)));
    }
    html.push_str("</tr></thead><tbody>");
    for (a, row) in n.correlations.iter().enumerate() {
        let _ = write!(html, "<tr><th scope=\"row\">{}</th>", esc(&name(&n.scales[a].scale)));
        for r in row {
            let _ = write!(html, "<td>{}</td>", num(*r, 2));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></div><h2>Items</h2>");
    for scale in &n.analysis.scales {
        let _ = write!(html, "<div class=\"table-scroll\"><table class=\"data report-items\">{}<thead><tr><th scope=\"col\">Item</th><th scope=\"col\">N</th><th scope=\"col\">Mean</th><th scope=\"col\">SD</th><th scope=\"col\">Corrected item-total r</th><th scope=\"col\">Alpha if deleted</th></tr></thead><tbody>", caption(&esc(&name(&scale.scale))));
        for i in &scale.item_stats {
            let _ = write!(html, "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(&i.item), i.n, num(i.mean, 2), num(i.sd, 2), num(i.corrected_item_total, 2), num(i.alpha_if_deleted, 2));
        }
        html.push_str("</tbody></table></div>");
    }
    if let Some(cat) = &n.cat {
        let _ = write!(
            html,
            "<h2>Adaptive testing</h2><p id=\"cat-efficiency\">In a simulation of {} candidates (always simulated: the true values must be known), the adaptive test asked {:.0}% of the full form's items.</p><div class=\"table-scroll\"><table class=\"data\">{}<thead><tr><th scope=\"col\">Scale</th><th scope=\"col\">Full form items</th><th scope=\"col\">Adaptive: mean items</th><th scope=\"col\">Mean SE</th><th scope=\"col\">r with the true value (adaptive / full)</th></tr></thead><tbody>",
            cat.n,
            cat.item_ratio * 100.0,
            "<caption>Adaptive test against the full form <span class=\"data-source\">(simulated)</span></caption>"
        );
        for s in &cat.scales {
            let _ = write!(html, "<tr><th scope=\"row\">{}</th><td>{}</td><td>{:.1}</td><td>{:.2}</td><td>{:.2} / {:.2}</td></tr>", esc(&name(&s.scale)), s.pool_items, s.cat.mean_items, s.cat.mean_se, s.cat.correlation, s.full.correlation);
        }
        html.push_str("</tbody></table></div>");
    }
    html.push_str("<h2>Norm groups</h2>");
    if r.norms.is_empty() {
        html.push_str("<p>No norm table yet: scores of this version are reported as raw scores only.</p>");
    } else {
        html.push_str("<ul id=\"report-norms\">");
        for g in &r.norms {
            let _ = write!(
                html,
                "<li><strong>{}</strong> ({}): {}{}, {}, {}; N = {}; collected {}{}</li>",
                esc(&g.group),
                esc(&g.id),
                g.population.as_deref().map(|p| format!("{}, ", esc(p))).unwrap_or_default(),
                esc(&g.country),
                esc(&g.role_family),
                if g.demonstration { "simulated respondents" } else { "collected" },
                g.n,
                esc(&g.collected),
                if g.demonstration { " — demonstration norms, not for decisions" } else { "" }
            );
        }
        html.push_str("</ul>");
    }
    let _ = write!(
        html,
        "<h2>Fairness</h2><p id=\"report-fairness\">Fairness is checked on collected answers of people who chose to answer your organisation's optional group questions: \
         adverse impact at a cut score (four-fifths rule, Fisher's exact test), standardised mean differences per scale, and Mantel-Haenszel DIF per item (ETS A/B/C), \
         never for groups under 5 people. Simulated respondents have no groups, so this report holds no fairness figures. \
         <a href=\"/fairness?bank={}%40{}&amp;variable=gender\">Run the fairness check for this version</a> before relying on a cut score.</p>",
        esc(&r.instrument),
        esc(&r.version)
    );
    html.push_str("<p class=\"no-print\"><a href=\"/instruments\">Back to the instruments</a></p></div>");
    html
}
