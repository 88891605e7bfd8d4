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

use app::i18n::{fill, AnalysisText};

use super::staff::esc;
use crate::{
    item_analysis::{filter_fields, AnalysisView, VALIDITY_STATUSES},
    time::{date_utc, minute_utc},
};

/// The page below its title.
pub fn page_body(t: &AnalysisText, view: &AnalysisView, bank: Option<&Bank>, self_path: &str, report_path: &str) -> String {
    let mut html = format!("<p>{}</p>", t.analysis_intro);
    html.push_str(&selection_form(t, view, self_path));
    let adaptive = view.campaigns.iter().any(|c| c.adaptive && view.request.filter.campaign_id.as_ref().is_none_or(|id| *id == c.id));
    if adaptive {
        let _ = write!(html, "<p class=\"note\" id=\"adaptive-note\">{}</p>", t.adaptive_note);
    }
    html.push_str(&status(t, view));
    if let Some(result) = &view.result {
        let report = &result.report;
        if report.sessions < SMALL_N {
            let _ = write!(html, "<p class=\"warning\" role=\"note\" id=\"small-n\">{}</p>", fill(t.small_n, &[("n", &report.sessions.to_string()), ("small", &SMALL_N.to_string())]));
        }
        html.push_str(&flagged(t, &report.scales));
        for scale in &report.scales {
            html.push_str(&scale_section(t, scale, bank));
        }
        let query = report_path.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
        let base = report_path.split_once('?').map_or(report_path, |(b, _)| b);
        let _ = write!(html, "<p>{} <a href=\"{b}.json{q}\">JSON</a> · <a href=\"{b}.csv{q}\">CSV</a></p>", t.download_result, b = esc(base), q = esc(&query));
    }
    let _ = write!(html, "<p><a href=\"/instruments\">{}</a></p>", t.back_to_instruments);
    html
}

fn selection_form(t: &AnalysisText, view: &AnalysisView, self_path: &str) -> String {
    let filter = &view.request.filter;
    let selected = |on: bool| if on { " selected" } else { "" };
    let mut options = format!("<option value=\"\"{}>{}</option>", selected(filter.campaign_id.is_none()), t.all_campaigns);
    for c in &view.campaigns {
        let _ = write!(options, "<option value=\"{}\"{}>{}</option>", esc(&c.id), selected(filter.campaign_id.as_deref() == Some(c.id.as_str())), esc(&c.name));
    }
    let mut validity = format!("<option value=\"\"{}>{}</option>", selected(filter.validity.is_none()), t.any);
    for v in VALIDITY_STATUSES {
        let _ = write!(validity, "<option value=\"{v}\"{}>{v}</option>", selected(filter.validity.as_deref() == Some(v)));
    }
    let fields = filter_fields(filter);
    let value = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| esc(v)).unwrap_or_default();
    let action = esc(self_path.split_once('?').map_or(self_path, |(p, _)| p));
    format!(
        "<form method=\"get\" action=\"{action}\" class=\"filters\" aria-label=\"{which}\">\
         <label>{campaign} <select name=\"campaign\">{options}</select></label> \
         <label>{completed_from} <input type=\"date\" name=\"from\" value=\"{from}\"></label> \
         <label>{to_label} <input type=\"date\" name=\"to\" value=\"{to}\"></label> \
         <label>{validity_label} <select name=\"validity\">{validity}</select></label> \
         <button type=\"submit\">{show}</button></form>",
        from = value("from"),
        to = value("to"),
        which = t.which_sessions,
        campaign = t.campaign,
        completed_from = t.completed_from,
        to_label = t.to_lower,
        validity_label = t.validity,
        show = t.show,
    )
}

fn status(t: &AnalysisText, view: &AnalysisView) -> String {
    let mut html = format!("<p id=\"data-now\">{}</p>", fill(t.selection_holds, &[("n", &view.data_version.sessions.to_string())]));
    if let Some(job) = &view.job {
        match job.status.as_str() {
            "queued" => {
                let _ = write!(html, "<p role=\"status\" id=\"analysis-status\">{}</p>", t.analysis_waiting);
            }
            "running" => {
                let _ = write!(html, "<p role=\"status\" id=\"analysis-status\">{}</p>", fill(t.analysis_running, &[("percent", &format!("{:.0}", job.progress.unwrap_or(0.0) * 100.0))]));
            }
            "failed" => {
                let _ = write!(html, "<p role=\"alert\" id=\"analysis-status\">{}</p>", esc(&fill(t.analysis_failed, &[("reason", job.last_error.as_deref().unwrap_or(t.no_reason))])));
            }
            _ => {}
        }
    }
    if let Some(result) = &view.result {
        let when = view.job.as_ref().and_then(|j| j.finished_at).map(minute_utc).unwrap_or_default();
        let last = result.data_version.last_completed_at.map(|at| fill(t.newest_completed, &[("day", &date_utc(at))])).unwrap_or_default();
        let _ = write!(html, "<p id=\"computed-on\">{}</p>", fill(t.computed_on, &[("when", &when), ("n", &result.data_version.sessions.to_string()), ("last", &last)]));
        if !view.up_to_date() {
            let _ = write!(html, "<p id=\"out-of-date\">{}</p>", t.data_changed);
        }
    } else if view.job.is_none() {
        let _ = write!(html, "<p id=\"no-result\">{}</p>", t.no_analysis_yet);
    }
    if !view.in_progress() && !view.up_to_date() {
        let hidden: String = filter_fields(&view.request.filter).iter().map(|(k, v)| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", esc(v))).collect();
        let _ = write!(
            html,
            "<form method=\"post\" action=\"/instruments/{}/{}/analysis\">{hidden}<button type=\"submit\" id=\"run-analysis\">{}</button></form>",
            esc(&view.request.instrument),
            esc(&view.request.version),
            t.run_analysis
        );
    }
    html
}

fn flagged(t: &AnalysisText, scales: &[ScaleAnalysis]) -> String {
    let lines: Vec<String> = scales
        .iter()
        .flat_map(|s| s.item_stats.iter().map(move |i| (s, i)))
        .filter(|(_, i)| !i.flags.is_empty())
        .map(|(s, i)| format!("<li><strong>{}</strong> ({}): {}</li>", esc(&i.item), esc(&s.scale), esc(&i.flags.iter().map(|f| f.describe()).collect::<Vec<_>>().join("; "))))
        .collect();
    if lines.is_empty() {
        return format!("<p id=\"flagged\">{}</p>", t.no_item_flagged);
    }
    format!("<h2>{}</h2><ul id=\"flagged\">{}</ul>", t.items_to_look_at, lines.concat())
}

fn num(x: Option<f64>, places: usize) -> String {
    x.map_or_else(|| "–".to_string(), |v| format!("{v:.places$}"))
}

fn scale_section(t: &AnalysisText, scale: &ScaleAnalysis, bank: Option<&Bank>) -> String {
    let ci = scale.alpha_ci95.map(|[lo, hi]| format!(" [{lo:.2}, {hi:.2}]")).unwrap_or_default();
    let mut html = format!(
        "<section class=\"scale-analysis\" id=\"scale-{id}\"><h2>{}</h2><p>{}</p>",
        fill(t.scale_heading, &[("id", &esc(&scale.scale))]),
        fill(
            t.scale_reliability,
            &[("items", &scale.items.to_string()), ("alpha", &num(scale.alpha, 2)), ("ci", &ci), ("omega", &num(scale.omega, 2)), ("n", &scale.n_complete.to_string())]
        ),
        id = esc(&scale.scale),
    );
    if scale.n_complete < SMALL_N {
        let _ = write!(html, "<p class=\"warning\">{}</p>", fill(t.reliability_rests_on, &[("n", &scale.n_complete.to_string()), ("small", &SMALL_N.to_string())]));
    }
    let _ = write!(
        html,
        "<div class=\"table-scroll\" role=\"region\" aria-label=\"{}\" tabindex=\"0\"><table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">N</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">SD</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t.items_of_scale, t.items, t.item, t.question, t.missing, t.mean, t.item_total, t.alpha_if_left_out, t.mean_time, t.answers, t.flags
    );
    for item in &scale.item_stats {
        html.push_str(&item_row(t, item, bank));
    }
    html.push_str("</tbody></table></div></section>");
    html
}

fn item_row(t: &AnalysisText, item: &ItemStats, bank: Option<&Bank>) -> String {
    let text = bank.and_then(|b| b.item(&item.item)).and_then(|i| i.text.get("en").cloned()).unwrap_or_default();
    let short: String = if text.chars().count() > 90 { format!("{}…", text.chars().take(89).collect::<String>()) } else { text };
    let reverse = if item.reverse { t.reversed } else { "" };
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
        chart = bars(t, item),
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
            "<tr class=\"option-shares\"><td></td><td colspan=\"10\">{}</td></tr>",
            fill(t.option_shares, &[("low", &groups.n[0].to_string()), ("middle", &groups.n[1].to_string()), ("high", &groups.n[2].to_string()), ("shares", &shares.join("; "))])
        );
    }
    row
}

/// The answers to an item as a small bar chart (SVG, no script), each
/// category's share in its label for screen readers.
fn bars(t: &AnalysisText, item: &ItemStats) -> String {
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
    let mut svg = format!("<svg class=\"answer-bars\" role=\"img\" width=\"{width}\" height=\"{h}\" viewBox=\"0 0 {width} {h}\"><title>{} {}</title>", t.answers, esc(&label.join(", ")), h = height as usize);
    for (k, (_, n)) in categories.iter().enumerate() {
        let h = (**n as f64 / total as f64 * height).max(if **n > 0 { 1.0 } else { 0.0 });
        let _ = write!(svg, "<rect x=\"{}\" y=\"{:.1}\" width=\"{bar}\" height=\"{h:.1}\"></rect>", k * (bar + gap), height - h);
    }
    svg.push_str("</svg>");
    svg
}
