//! The norm builder's page: the selection, the group's numbers per scale
//! with histograms of raw and theta scores, why it may or may not be
//! published, the description form, and the organisation's norm tables.
//! Everything shown is escaped here.

use std::fmt::Write as _;

use assessments::norms::describe::Bin;

use super::staff::esc;
use crate::{
    item_analysis::filter_fields,
    time::minute_utc,
    workbench::norms::{Distribution, NormPage, NormPreview},
};

/// A histogram as an SVG bar chart with its numbers in words for screen readers.
fn histogram_svg(label: &str, bins: &[Bin]) -> String {
    let (w, h) = (300.0, 70.0);
    let most = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let bar = w / bins.len().max(1) as f64;
    let (lo, hi) = (bins.first().map_or(0.0, |b| b.low), bins.last().map_or(0.0, |b| b.high));
    let mut svg = format!(
        "<svg class=\"answer-bars histogram\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" aria-label=\"{}: {} scores from {lo:.2} to {hi:.2}, in {} bins; the fullest has {}\">",
        esc(label),
        bins.iter().map(|b| b.count).sum::<usize>(),
        bins.len(),
        most as usize
    );
    for (i, b) in bins.iter().enumerate() {
        let height = (b.count as f64 / most) * (h - 2.0);
        let _ = write!(svg, "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\"><title>{:.2} to {:.2}: {}</title></rect>", i as f64 * bar + 0.5, h - height, (bar - 1.0).max(0.5), b.low, b.high, b.count);
    }
    svg.push_str("</svg>");
    svg
}

fn distribution_row(what: &str, d: &Distribution, scale: &str) -> String {
    format!(
        "<tr><th scope=\"row\">{what}</th><td>{}</td><td>{:.2}</td><td>{:.2}</td><td>{}</td><td>{:.2}</td><td>{}</td></tr>",
        d.n,
        d.mean,
        d.sd,
        d.skew.map_or_else(|| "—".to_string(), |s| format!("{s:.2}")),
        d.reliability,
        histogram_svg(&format!("{what} of {scale}"), &d.histogram)
    )
}

fn preview_section(p: &NormPreview) -> String {
    let mut html = format!(
        "<section id=\"norm-preview\"><h2>{} {}: {} session(s)</h2><p>Completed{} between {} and {}; sessions with invalid answers are never part of a norm group.</p>",
        esc(&p.title),
        esc(&p.selection.version),
        p.sessions,
        match p.selection.filter.validity.as_deref() {
            Some("ok") => ", with valid answers",
            Some("caution") => ", with answers marked for caution",
            _ => ", valid or marked for caution",
        },
        esc(p.first_day.as_deref().unwrap_or("—")),
        esc(p.last_day.as_deref().unwrap_or("—"))
    );
    if !p.findings.refusals.is_empty() {
        html.push_str("<div class=\"notice error\" role=\"alert\" id=\"norm-refusals\"><p>Not yet a norm table:</p><ul>");
        for r in &p.findings.refusals {
            let _ = write!(html, "<li>{}</li>", esc(r));
        }
        html.push_str("</ul></div>");
    }
    if !p.findings.warnings.is_empty() {
        html.push_str("<div class=\"warning\" id=\"norm-warnings\"><ul>");
        for w in &p.findings.warnings {
            let _ = write!(html, "<li>{}</li>", esc(w));
        }
        html.push_str("</ul></div>");
    }
    for s in &p.scales {
        let _ = write!(
            html,
            "<section class=\"scale-analysis\"><h3>{} <small>(quality: {:?})</small></h3><div class=\"table-scroll\"><table class=\"data\"><thead><tr><th scope=\"col\">Score</th><th scope=\"col\">N</th><th scope=\"col\">Mean</th><th scope=\"col\">SD</th><th scope=\"col\">Skew</th><th scope=\"col\">Reliability</th><th scope=\"col\">Distribution</th></tr></thead><tbody>{}{}</tbody></table></div></section>",
            esc(&s.name),
            s.quality,
            distribution_row("Raw score", &s.raw, &s.name),
            s.theta.as_ref().map(|t| distribution_row("Theta (IRT)", t, &s.name)).unwrap_or_default()
        );
    }
    html.push_str("<p class=\"small\">Reliability: Cronbach's alpha on these sessions (complete cases) for raw scores, the empirical reliability of the EAP estimates for theta. Skew: adjusted sample skewness.</p></section>");
    html
}

fn describe_form(p: &NormPreview, languages: &[String]) -> String {
    let mut hidden = format!("<input type=\"hidden\" name=\"bank\" value=\"{}@{}\">", esc(&p.selection.instrument), esc(&p.selection.version));
    for (k, v) in filter_fields(&p.selection.filter) {
        let _ = write!(hidden, "<input type=\"hidden\" name=\"{k}\" value=\"{}\">", esc(&v));
    }
    let mut names = String::new();
    for lang in languages {
        let _ = write!(names, "<label for=\"group-{l}\">The group's name ({l})</label><input id=\"group-{l}\" name=\"group.{l}\" required maxlength=\"200\">", l = esc(lang));
    }
    format!(
        "<h2>Freeze as a norm table</h2><p>Describe who these people are: recruiters read it beside every score normed on it. The collection dates are those of the sessions.</p>\
         <form method=\"post\" action=\"/norms\" class=\"stacked\" id=\"norm-form\">{hidden}\
         <label for=\"norm-id\">Short name (lowercase, digits and dashes)</label><input id=\"norm-id\" name=\"id\" required pattern=\"[a-z0-9-]+\" maxlength=\"80\" value=\"{}-{}-own\">{names}\
         <label for=\"population\">Population</label><input id=\"population\" name=\"population\" required maxlength=\"500\">\
         <label for=\"country\">Country</label><input id=\"country\" name=\"country\" required maxlength=\"100\">\
         <label for=\"role-family\">Role family</label><input id=\"role-family\" name=\"role_family\" required maxlength=\"200\">\
         <label for=\"sampling\">How the sessions were sampled</label><input id=\"sampling\" name=\"sampling\" required maxlength=\"500\">\
         <button type=\"submit\" class=\"button\" id=\"freeze\">Publish the norm table</button></form>",
        esc(&p.selection.instrument),
        esc(&p.selection.version.replace('.', "-"))
    )
}

/// `GET /norms`.
pub fn page_body(page: &NormPage, languages: &[String], notice: Option<&str>) -> String {
    let mut html = String::from("<div class=\"workbench\">");
    if let Some(n) = notice {
        let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"notice\">{}</p>", esc(n));
    }
    html.push_str("<p>Build a norm table from your organisation's completed sessions: choose them, look at the numbers, describe the group, publish. A table needs at least 200 sessions and a reliability of .70 on every scale. No names or addresses are read.</p>");
    let selection = page.preview.as_ref().map(|p| &p.selection);
    let chosen = |v: &str| if selection.is_some_and(|s| format!("{}@{}", s.instrument, s.version) == v) { " selected" } else { "" };
    let mut banks = String::new();
    for (key, title) in &page.banks {
        let _ = write!(banks, "<option value=\"{}\"{}>{}</option>", esc(key), chosen(key), esc(title));
    }
    let campaign_chosen = |id: &str| if selection.and_then(|s| s.filter.campaign_id.as_deref()) == Some(id) { " selected" } else { "" };
    let mut campaigns = String::from("<option value=\"\">All campaigns</option>");
    for (id, name) in &page.campaigns {
        let _ = write!(campaigns, "<option value=\"{}\"{}>{}</option>", esc(id), campaign_chosen(id), esc(name));
    }
    let validity = selection.and_then(|s| s.filter.validity.clone()).unwrap_or_default();
    let v = |x: &str| if validity == x { " selected" } else { "" };
    let date = |d: Option<i64>, minus: i64| d.map(|t| crate::time::date_utc(t - minus)).unwrap_or_default();
    let _ = write!(
        html,
        "<form method=\"get\" action=\"/norms\" class=\"filters\" id=\"norm-selection\"><label for=\"bank\">Bank version</label><select id=\"bank\" name=\"bank\">{banks}</select>\
         <label for=\"campaign\">Campaign</label><select id=\"campaign\" name=\"campaign\">{campaigns}</select>\
         <label for=\"from\">From</label><input type=\"date\" id=\"from\" name=\"from\" value=\"{}\"><label for=\"to\">To</label><input type=\"date\" id=\"to\" name=\"to\" value=\"{}\">\
         <label for=\"validity\">Answers</label><select id=\"validity\" name=\"validity\"><option value=\"\"{}>valid or marked for caution</option><option value=\"ok\"{}>valid only</option><option value=\"caution\"{}>marked for caution only</option></select>\
         <button type=\"submit\" class=\"button\" id=\"look\">Look at this group</button></form>",
        esc(&date(selection.and_then(|s| s.filter.from), 0)),
        esc(&date(selection.and_then(|s| s.filter.to), 86_400_000)),
        v(""),
        v("ok"),
        v("caution")
    );
    if let Some(p) = &page.preview {
        html.push_str(&preview_section(p));
        if p.findings.refusals.is_empty() {
            html.push_str(&describe_form(p, languages));
        }
    }
    html.push_str("<h2>Your organisation's norm tables</h2>");
    if page.tables.is_empty() {
        html.push_str("<p id=\"no-tables\">None yet.</p>");
    } else {
        html.push_str("<div class=\"table-scroll\"><table class=\"data\" id=\"norm-tables\"><thead><tr><th scope=\"col\">Norm table</th><th scope=\"col\">Bank version</th><th scope=\"col\">Sessions</th><th scope=\"col\">Published</th><th scope=\"col\">Content hash</th></tr></thead><tbody>");
        for t in &page.tables {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{} by {}</td><td><code>{}</code></td></tr>",
                esc(&t.id),
                esc(&t.instrument),
                esc(&t.version),
                t.sessions,
                esc(&minute_utc(t.created_at)),
                esc(&t.created_by),
                esc(&t.content_hash.chars().take(19).collect::<String>())
            );
        }
        html.push_str("</tbody></table></div>");
    }
    html.push_str("<p><a href=\"/instruments\">The instruments</a> · <a href=\"/staff\">Back to the start</a></p></div>");
    html
}
