//! The technical report's page (printable through the browser's print):
//! every table says where its numbers come from. Escaped here.

use std::fmt::Write as _;

use app::i18n::{fill, AnalysisText};

use super::staff::esc;
use crate::technical_report::{DataSource, TechnicalReport};

fn num(x: Option<f64>, places: usize) -> String {
    x.map_or_else(|| "—".to_string(), |v| format!("{v:.places$}"))
}

pub fn page_body(t: &AnalysisText, r: &TechnicalReport) -> String {
    let label = match &r.source {
        DataSource::Collected { .. } => t.source_collected,
        DataSource::Simulated { .. } => t.source_simulated,
        DataSource::Nothing { .. } => t.source_none,
    };
    let caption = |what: &str| format!("<caption>{what} <span class=\"data-source\">({label})</span></caption>");
    let calibration = r.calibration.as_deref().map(|c| fill(t.irt_parameters, &[("calibration", &esc(c))])).unwrap_or_default();
    let purpose = fill(
        t.purpose_text,
        &[
            ("title", &esc(&r.title)),
            ("version", &esc(&r.version)),
            ("hash", &format!("<code>{}</code>", esc(&r.content_hash))),
            ("items", &r.items.to_string()),
            ("languages", &esc(&r.languages.join(", "))),
            ("uses", &esc(&r.intended_use.join(", "))),
            ("calibration", &calibration),
        ],
    );
    let limits: String = [t.limit_describe, t.limit_error, t.limit_impression, t.limit_decision].iter().map(|l| format!("<li>{l}</li>")).collect();
    let mut html = format!(
        "<div class=\"workbench report\"><p class=\"small no-print\">{}</p><h2>{}</h2><p>{purpose}</p><h2>{}</h2><ul>{limits}</ul><h2>{}</h2>",
        t.print_this, t.purpose, t.can_and_cannot, t.where_numbers_from
    );
    match &r.source {
        DataSource::Collected { sessions, first_day, last_day } => {
            let _ = write!(html, "<p id=\"data-source\">{}</p>", fill(t.collected_text, &[("n", &sessions.to_string()), ("first", &esc(first_day)), ("last", &esc(last_day))]));
        }
        DataSource::Simulated { respondents, seed } => {
            let _ = write!(html, "<p id=\"data-source\" class=\"warning\">{}</p>", fill(t.simulated_text, &[("n", &respondents.to_string()), ("seed", &seed.to_string())]));
        }
        DataSource::Nothing { sessions } => {
            let _ = write!(html, "<p id=\"data-source\">{}</p>", fill(t.nothing_text, &[("n", &sessions.to_string())]));
        }
    }
    let Some(n) = &r.numbers else {
        html.push_str("</div>");
        return html;
    };
    let name = |id: &str| r.scales.iter().find(|(s, _, _)| s == id).map_or(id.to_string(), |(_, n, _)| n.clone());
    let _ = write!(
        html,
        "<h2>{}</h2><div class=\"table-scroll\"><table class=\"data\" id=\"report-scales\">{}<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">N</th><th scope=\"col\">{}</th><th scope=\"col\">SD</th><th scope=\"col\">Alpha [95%]</th><th scope=\"col\">Omega</th><th scope=\"col\">{}</th><th scope=\"col\">SEM</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t.scales_and_reliability,
        caption(t.per_scale_raw),
        t.scale,
        t.mean,
        t.loadings,
        t.marginal_irt_reliability
    );
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
            s.loadings.map(|l| fill(t.range, &[("low", &format!("{:.2}", l[0])), ("high", &format!("{:.2}", l[1]))])).unwrap_or_else(|| "—".into()),
            num(s.sem, 2),
            num(s.marginal_reliability, 2)
        );
    }
    let _ = write!(html, "</tbody></table></div><p class=\"small\">{}</p>", t.sem_note);
    let _ = write!(html, "<h2>{}</h2><div class=\"table-scroll\"><table class=\"data\" id=\"report-correlations\">{}<thead><tr><th scope=\"col\">{}</th>", t.structure, caption(t.pearson_raw), t.scale);
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
    let _ = write!(html, "</tbody></table></div><h2>{}</h2>", t.items);
    for scale in &n.analysis.scales {
        let _ = write!(
            html,
            "<div class=\"table-scroll\"><table class=\"data report-items\">{}<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">N</th><th scope=\"col\">{}</th><th scope=\"col\">SD</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            caption(&esc(&name(&scale.scale))),
            t.item,
            t.mean,
            t.item_total,
            t.alpha_if_left_out
        );
        for i in &scale.item_stats {
            let _ = write!(html, "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(&i.item), i.n, num(i.mean, 2), num(i.sd, 2), num(i.corrected_item_total, 2), num(i.alpha_if_deleted, 2));
        }
        html.push_str("</tbody></table></div>");
    }
    if let Some(cat) = &n.cat {
        let _ = write!(
            html,
            "<h2>{}</h2><p id=\"cat-efficiency\">{}</p><div class=\"table-scroll\"><table class=\"data\"><caption>{} <span class=\"data-source\">({})</span></caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t.adaptive_testing,
            fill(t.cat_efficiency, &[("n", &cat.n.to_string()), ("percent", &format!("{:.0}", cat.item_ratio * 100.0))]),
            t.cat_against_full,
            t.source_simulated,
            t.scale,
            t.full_form_items,
            t.adaptive_mean_items,
            t.mean_se,
            t.r_with_true
        );
        for s in &cat.scales {
            let _ = write!(html, "<tr><th scope=\"row\">{}</th><td>{}</td><td>{:.1}</td><td>{:.2}</td><td>{:.2} / {:.2}</td></tr>", esc(&name(&s.scale)), s.pool_items, s.cat.mean_items, s.cat.mean_se, s.cat.correlation, s.full.correlation);
        }
        html.push_str("</tbody></table></div>");
    }
    let _ = write!(html, "<h2>{}</h2>", t.norm_groups);
    if r.norms.is_empty() {
        let _ = write!(html, "<p>{}</p>", t.no_norm_table);
    } else {
        html.push_str("<ul id=\"report-norms\">");
        for g in &r.norms {
            let _ = write!(
                html,
                "<li><strong>{}</strong> ({}): {}{}, {}, {}; N = {}; {}{}</li>",
                esc(&g.group),
                esc(&g.id),
                g.population.as_deref().map(|p| format!("{}, ", esc(p))).unwrap_or_default(),
                esc(&g.country),
                esc(&g.role_family),
                if g.demonstration { t.simulated_respondents } else { t.source_collected },
                g.n,
                fill(t.collected_on, &[("when", &esc(&g.collected))]),
                if g.demonstration { t.demonstration_norms } else { "" }
            );
        }
        html.push_str("</ul>");
    }
    let link = format!("<a href=\"/fairness?bank={}%40{}&amp;variable=gender\">{}</a>", esc(&r.instrument), esc(&r.version), t.run_fairness_check);
    let _ = write!(html, "<h2>{}</h2><p id=\"report-fairness\">{}</p>", t.fairness, fill(t.fairness_text, &[("link", &link)]));
    let _ = write!(html, "<p class=\"no-print\"><a href=\"/instruments\">{}</a></p></div>", t.back_to_instruments);
    html
}
