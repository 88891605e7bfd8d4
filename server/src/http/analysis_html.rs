//! The item analysis page's HTML: the selection form, where the run
//! stands, and the result (per scale its reliability, per item its numbers
//! with the N behind them, a bar chart of the answers and why it is
//! flagged). Everything shown is escaped here.

use std::fmt::Write as _;

use assessments::{
    bank::Bank,
    item_review::SMALL_N,
    reliability::{ItemStats, ScaleAnalysis},
};

use super::staff::esc;
use crate::{
    item_analysis::{filter_fields, AnalysisView, VALIDITY_STATUSES},
    time::{date_utc, minute_utc},
};

/// The page below its title.
pub fn page_body(view: &AnalysisView, bank: Option<&Bank>, self_path: &str, report_path: &str) -> String {
    let mut html = String::from(
        "<p>How the items of this instrument worked in your organisation's completed sessions: reliability per scale, and per item how it was answered and how well it agrees with the rest of its scale. \
         The numbers describe items, not people: they say nothing about any one respondent. Respondents are pseudonyms. The same computation as <code>vigil analyze</code>.</p>",
    );
    html.push_str(&selection_form(view, self_path));
    let adaptive = view.campaigns.iter().any(|c| c.adaptive && view.request.filter.campaign_id.as_ref().is_none_or(|id| *id == c.id));
    if adaptive {
        html.push_str(
            "<p class=\"note\" id=\"adaptive-note\">Some of these sessions were adaptive: each answered only the items the engine chose, so items not asked count as missing, \
             and reliability rests on the few sessions that answered every item of a scale. Choose a fixed-form campaign for classical item analysis.</p>",
        );
    }
    html.push_str(&status(view));
    if let Some(result) = &view.result {
        let report = &result.report;
        if report.sessions < SMALL_N {
            let _ = write!(html, "<p class=\"warning\" role=\"note\" id=\"small-n\">Only {} sessions: with fewer than {SMALL_N}, every number below is provisional and may change a lot with more data.</p>", report.sessions);
        }
        html.push_str(&flagged(&report.scales));
        for scale in &report.scales {
            html.push_str(&scale_section(scale, bank));
        }
        let query = report_path.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
        let base = report_path.split_once('?').map_or(report_path, |(b, _)| b);
        let _ = write!(html, "<p>Download this result: <a href=\"{b}.json{q}\">JSON</a> · <a href=\"{b}.csv{q}\">CSV</a></p>", b = esc(base), q = esc(&query));
    }
    html.push_str("<p><a href=\"/instruments\">Back to the instruments</a></p>");
    html
}

fn selection_form(view: &AnalysisView, self_path: &str) -> String {
    let filter = &view.request.filter;
    let selected = |on: bool| if on { " selected" } else { "" };
    let mut options = format!("<option value=\"\"{}>All campaigns</option>", selected(filter.campaign_id.is_none()));
    for c in &view.campaigns {
        let _ = write!(options, "<option value=\"{}\"{}>{}</option>", esc(&c.id), selected(filter.campaign_id.as_deref() == Some(c.id.as_str())), esc(&c.name));
    }
    let mut validity = format!("<option value=\"\"{}>Any</option>", selected(filter.validity.is_none()));
    for v in VALIDITY_STATUSES {
        let _ = write!(validity, "<option value=\"{v}\"{}>{v}</option>", selected(filter.validity.as_deref() == Some(v)));
    }
    let fields = filter_fields(filter);
    let value = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| esc(v)).unwrap_or_default();
    let action = esc(self_path.split_once('?').map_or(self_path, |(p, _)| p));
    format!(
        "<form method=\"get\" action=\"{action}\" class=\"filters\" aria-label=\"Which sessions\">\
         <label>Campaign <select name=\"campaign\">{options}</select></label> \
         <label>Completed from <input type=\"date\" name=\"from\" value=\"{from}\"></label> \
         <label>to <input type=\"date\" name=\"to\" value=\"{to}\"></label> \
         <label>Validity <select name=\"validity\">{validity}</select></label> \
         <button type=\"submit\">Show</button></form>",
        from = value("from"),
        to = value("to"),
    )
}

fn status(view: &AnalysisView) -> String {
    let mut html = format!("<p id=\"data-now\">This selection holds {} completed sessions now.</p>", view.data_version.sessions);
    if let Some(job) = &view.job {
        match job.status.as_str() {
            "queued" => html.push_str("<p role=\"status\" id=\"analysis-status\">The analysis is waiting to start. This page reloads by itself.</p>"),
            "running" => {
                let _ = write!(html, "<p role=\"status\" id=\"analysis-status\">The analysis is running ({:.0}% done). This page reloads by itself.</p>", job.progress.unwrap_or(0.0) * 100.0);
            }
            "failed" => {
                let _ = write!(html, "<p role=\"alert\" id=\"analysis-status\">The last run failed: {}</p>", esc(job.last_error.as_deref().unwrap_or("no reason was recorded")));
            }
            _ => {}
        }
    }
    if let Some(result) = &view.result {
        let when = view.job.as_ref().and_then(|j| j.finished_at).map(minute_utc).unwrap_or_default();
        let last = result.data_version.last_completed_at.map(|t| format!(", the newest completed {}", date_utc(t))).unwrap_or_default();
        let _ = write!(html, "<p id=\"computed-on\">Computed {when} on {} sessions{last}.</p>", result.data_version.sessions);
        if !view.up_to_date() {
            html.push_str("<p id=\"out-of-date\">The data have changed since: run the analysis again for the current sessions.</p>");
        }
    } else if view.job.is_none() {
        html.push_str("<p id=\"no-result\">No analysis of this selection yet.</p>");
    }
    if !view.in_progress() && !view.up_to_date() {
        let hidden: String = filter_fields(&view.request.filter).iter().map(|(k, v)| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", esc(v))).collect();
        let _ = write!(
            html,
            "<form method=\"post\" action=\"/instruments/{}/{}/analysis\">{hidden}<button type=\"submit\" id=\"run-analysis\">Run the analysis</button></form>",
            esc(&view.request.instrument),
            esc(&view.request.version)
        );
    }
    html
}

fn flagged(scales: &[ScaleAnalysis]) -> String {
    let lines: Vec<String> = scales
        .iter()
        .flat_map(|s| s.item_stats.iter().map(move |i| (s, i)))
        .filter(|(_, i)| !i.flags.is_empty())
        .map(|(s, i)| format!("<li><strong>{}</strong> ({}): {}</li>", esc(&i.item), esc(&s.scale), esc(&i.flags.iter().map(|f| f.describe()).collect::<Vec<_>>().join("; "))))
        .collect();
    if lines.is_empty() {
        return "<p id=\"flagged\">No item is flagged.</p>".into();
    }
    format!("<h2>Items to look at again</h2><ul id=\"flagged\">{}</ul>", lines.concat())
}

fn num(x: Option<f64>, places: usize) -> String {
    x.map_or_else(|| "–".to_string(), |v| format!("{v:.places$}"))
}

fn scale_section(scale: &ScaleAnalysis, bank: Option<&Bank>) -> String {
    let ci = scale.alpha_ci95.map(|[lo, hi]| format!(" [{lo:.2}, {hi:.2}]")).unwrap_or_default();
    let mut html = format!(
        "<section class=\"scale-analysis\" id=\"scale-{id}\"><h2>Scale {id}</h2>\
         <p>{items} items. Alpha {alpha}{ci} (95% interval, Feldt), omega {omega}, on the {n} sessions that answered every item.</p>",
        id = esc(&scale.scale),
        items = scale.items,
        alpha = num(scale.alpha, 2),
        omega = num(scale.omega, 2),
        n = scale.n_complete,
    );
    if scale.n_complete < SMALL_N {
        let _ = write!(html, "<p class=\"warning\">Reliability rests on {} complete sessions (under {SMALL_N}).</p>", scale.n_complete);
    }
    html.push_str(
        "<div class=\"table-scroll\" role=\"region\" aria-label=\"Items of the scale\" tabindex=\"0\"><table><caption>Items</caption><thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Question</th><th scope=\"col\">N</th><th scope=\"col\">Missing</th><th scope=\"col\">Mean</th><th scope=\"col\">SD</th>\
         <th scope=\"col\">Item-total r (corrected)</th><th scope=\"col\">Alpha if left out</th><th scope=\"col\">Mean time</th><th scope=\"col\">Answers</th><th scope=\"col\">Flags</th></tr></thead><tbody>",
    );
    for item in &scale.item_stats {
        html.push_str(&item_row(item, bank));
    }
    html.push_str("</tbody></table></div></section>");
    html
}

fn item_row(item: &ItemStats, bank: Option<&Bank>) -> String {
    let text = bank.and_then(|b| b.item(&item.item)).and_then(|i| i.text.get("en").cloned()).unwrap_or_default();
    let short: String = if text.chars().count() > 90 { format!("{}…", text.chars().take(89).collect::<String>()) } else { text };
    let reverse = if item.reverse { " (reversed)" } else { "" };
    let flags = item.flags.iter().map(|f| f.describe()).collect::<Vec<_>>().join("; ");
    let mut row = format!(
        "<tr id=\"item-{id}\"><th scope=\"row\">{id}{reverse}</th><td>{text}</td><td>{n}</td><td>{missing}</td><td>{mean}</td><td>{sd}</td><td>{r}</td><td>{aid}</td><td>{time}</td><td>{chart}</td><td>{flags}</td></tr>",
        id = esc(&item.item),
        text = esc(&short),
        n = item.n,
        missing = item.missing_share.map_or_else(|| "–".into(), |m| format!("{:.1}%", m * 100.0)),
        mean = num(item.mean, 2),
        sd = num(item.sd, 2),
        r = num(item.corrected_item_total, 2),
        aid = num(item.alpha_if_deleted, 2),
        time = item.mean_latency_ms.map_or_else(|| "–".into(), |ms| format!("{:.1} s", ms / 1000.0)),
        chart = bars(item),
        flags = esc(&flags),
    );
    if let Some(groups) = &item.option_shares {
        let shares: Vec<String> = groups
            .shares
            .iter()
            .map(|(option, [lo, mid, hi])| format!("{}: {:.0}% / {:.0}% / {:.0}%", esc(option), lo * 100.0, mid * 100.0, hi * 100.0))
            .collect();
        let _ = write!(
            row,
            "<tr class=\"option-shares\"><td></td><td colspan=\"10\">Options chosen in the low / middle / high third of the scale score (N {} / {} / {}): {}</td></tr>",
            groups.n[0],
            groups.n[1],
            groups.n[2],
            shares.join("; ")
        );
    }
    row
}

/// The answers to an item as a small bar chart (SVG, no script), each
/// category's share in its label for screen readers.
fn bars(item: &ItemStats) -> String {
    let total: usize = item.distribution.values().sum();
    if total == 0 {
        return "–".into();
    }
    let mut categories: Vec<(&String, &usize)> = item.distribution.iter().collect();
    // Likert values in numeric order (the map orders "10" before "2").
    categories.sort_by_key(|(c, _)| c.parse::<i64>().map_or((1, 0, (*c).clone()), |v| (0, v, String::new())));
    let label: Vec<String> = categories.iter().map(|(c, n)| format!("{}: {:.0}%", c, **n as f64 * 100.0 / total as f64)).collect();
    let (bar, gap, height) = (10, 3, 24.0);
    let width = categories.len() * (bar + gap);
    let mut svg = format!("<svg class=\"answer-bars\" role=\"img\" width=\"{width}\" height=\"{h}\" viewBox=\"0 0 {width} {h}\"><title>Answers {}</title>", esc(&label.join(", ")), h = height as usize);
    for (k, (_, n)) in categories.iter().enumerate() {
        let h = (**n as f64 / total as f64 * height).max(if **n > 0 { 1.0 } else { 0.0 });
        let _ = write!(svg, "<rect x=\"{}\" y=\"{:.1}\" width=\"{bar}\" height=\"{h:.1}\"></rect>", k * (bar + gap), height - h);
    }
    svg.push_str("</svg>");
    svg
}
