//! The norm builder's page: the selection, the group's numbers per scale
//! with histograms of raw and theta scores, why it may or may not be
//! published, the description form, and the organisation's norm tables.
//! Everything shown is escaped here.

use std::fmt::Write as _;

use assessments::norms::describe::Bin;

use app::i18n::{fill, AnalysisText};

use super::staff::esc;
use crate::{
    item_analysis::filter_fields,
    time::minute_utc,
    workbench::norms::{Distribution, NormPage, NormPreview},
};

/// A histogram as an SVG bar chart with its numbers in words for screen readers.
fn histogram_svg(t: &AnalysisText, label: &str, bins: &[Bin]) -> String {
    let (w, h) = (300.0, 70.0);
    let most = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let bar = w / bins.len().max(1) as f64;
    let (lo, hi) = (bins.first().map_or(0.0, |b| b.low), bins.last().map_or(0.0, |b| b.high));
    let mut svg = format!(
        "<svg class=\"answer-bars histogram\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" aria-label=\"{}\">",
        esc(&fill(
            t.histogram_label,
            &[
                ("label", label),
                ("n", &bins.iter().map(|b| b.count).sum::<usize>().to_string()),
                ("low", &format!("{lo:.2}")),
                ("high", &format!("{hi:.2}")),
                ("bins", &bins.len().to_string()),
                ("most", &(most as usize).to_string()),
            ]
        ))
    );
    for (i, b) in bins.iter().enumerate() {
        let height = (b.count as f64 / most) * (h - 2.0);
        let _ = write!(svg, "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\"><title>{}</title></rect>", i as f64 * bar + 0.5, h - height, (bar - 1.0).max(0.5), fill(t.bin_title, &[("low", &format!("{:.2}", b.low)), ("high", &format!("{:.2}", b.high)), ("n", &b.count.to_string())]));
    }
    svg.push_str("</svg>");
    svg
}

fn distribution_row(t: &AnalysisText, what: &str, d: &Distribution, scale: &str) -> String {
    format!(
        "<tr><th scope=\"row\">{what}</th><td>{}</td><td>{:.2}</td><td>{:.2}</td><td>{}</td><td>{:.2}</td><td>{}</td></tr>",
        d.n,
        d.mean,
        d.sd,
        d.skew.map_or_else(|| "—".to_string(), |s| format!("{s:.2}")),
        d.reliability,
        histogram_svg(t, &fill(t.score_of_scale, &[("score", what), ("scale", scale)]), &d.histogram)
    )
}

fn preview_section(t: &AnalysisText, p: &NormPreview) -> String {
    let which = match p.selection.filter.validity.as_deref() {
        Some("ok") => t.completed_valid,
        Some("caution") => t.completed_caution,
        _ => t.completed_either,
    };
    let mut html = format!(
        "<section id=\"norm-preview\"><h2>{}</h2><p>{}</p>",
        fill(t.group_sessions, &[("title", &esc(&p.title)), ("version", &esc(&p.selection.version)), ("n", &p.sessions.to_string())]),
        fill(which, &[("first", &esc(p.first_day.as_deref().unwrap_or("—"))), ("last", &esc(p.last_day.as_deref().unwrap_or("—")))])
    );
    if !p.findings.refusals.is_empty() {
        let _ = write!(html, "<div class=\"notice error\" role=\"alert\" id=\"norm-refusals\"><p>{}</p><ul>", t.not_yet_norm_table);
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
            "<section class=\"scale-analysis\"><h3>{} <small>({})</small></h3><div class=\"table-scroll\"><table class=\"data\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">N</th><th scope=\"col\">{}</th><th scope=\"col\">SD</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>{}{}</tbody></table></div></section>",
            esc(&s.name),
            fill(t.quality, &[("quality", &format!("{:?}", s.quality))]),
            t.score,
            t.mean,
            t.skew,
            t.reliability,
            t.distribution,
            distribution_row(t, t.raw_score, &s.raw, &s.name),
            s.theta.as_ref().map(|theta| distribution_row(t, t.theta_irt, theta, &s.name)).unwrap_or_default()
        );
    }
    let _ = write!(html, "<p class=\"small\">{}</p></section>", t.reliability_note);
    html
}

fn describe_form(t: &AnalysisText, p: &NormPreview, languages: &[String]) -> String {
    let mut hidden = format!("<input type=\"hidden\" name=\"bank\" value=\"{}@{}\">", esc(&p.selection.instrument), esc(&p.selection.version));
    for (k, v) in filter_fields(&p.selection.filter) {
        let _ = write!(hidden, "<input type=\"hidden\" name=\"{k}\" value=\"{}\">", esc(&v));
    }
    let mut names = String::new();
    for lang in languages {
        let _ = write!(names, "<label for=\"group-{l}\">{}</label><input id=\"group-{l}\" name=\"group.{l}\" required maxlength=\"200\">", fill(t.group_name, &[("lang", &esc(lang))]), l = esc(lang));
    }
    format!(
        "<h2>{}</h2><p>{}</p>\
         <form method=\"post\" action=\"/norms\" class=\"stacked\" id=\"norm-form\">{hidden}\
         <label for=\"norm-id\">{}</label><input id=\"norm-id\" name=\"id\" required pattern=\"[a-z0-9-]+\" maxlength=\"80\" value=\"{}-{}-own\">{names}\
         <label for=\"population\">{}</label><input id=\"population\" name=\"population\" required maxlength=\"500\">\
         <label for=\"country\">{}</label><input id=\"country\" name=\"country\" required maxlength=\"100\">\
         <label for=\"role-family\">{}</label><input id=\"role-family\" name=\"role_family\" required maxlength=\"200\">\
         <label for=\"sampling\">{}</label><input id=\"sampling\" name=\"sampling\" required maxlength=\"500\">\
         <button type=\"submit\" class=\"button\" id=\"freeze\">{}</button></form>",
        t.freeze_heading,
        t.freeze_note,
        t.short_name,
        esc(&p.selection.instrument),
        esc(&p.selection.version.replace('.', "-")),
        t.population,
        t.country,
        t.role_family,
        t.sampling,
        t.publish_norm_table
    )
}

/// `GET /norms`.
pub fn page_body(t: &AnalysisText, page: &NormPage, languages: &[String], notice: Option<&str>) -> String {
    let mut html = String::from("<div class=\"workbench\">");
    if let Some(n) = notice {
        let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"notice\">{}</p>", esc(n));
    }
    let _ = write!(html, "<p>{}</p>", t.norms_intro);
    let selection = page.preview.as_ref().map(|p| &p.selection);
    let chosen = |v: &str| if selection.is_some_and(|s| format!("{}@{}", s.instrument, s.version) == v) { " selected" } else { "" };
    let mut banks = String::new();
    for (key, title) in &page.banks {
        let _ = write!(banks, "<option value=\"{}\"{}>{}</option>", esc(key), chosen(key), esc(title));
    }
    let campaign_chosen = |id: &str| if selection.and_then(|s| s.filter.campaign_id.as_deref()) == Some(id) { " selected" } else { "" };
    let mut campaigns = format!("<option value=\"\">{}</option>", t.all_campaigns);
    for (id, name) in &page.campaigns {
        let _ = write!(campaigns, "<option value=\"{}\"{}>{}</option>", esc(id), campaign_chosen(id), esc(name));
    }
    let validity = selection.and_then(|s| s.filter.validity.clone()).unwrap_or_default();
    let v = |x: &str| if validity == x { " selected" } else { "" };
    let date = |d: Option<i64>, minus: i64| d.map(|t| crate::time::date_utc(t - minus)).unwrap_or_default();
    let _ = write!(
        html,
        "<form method=\"get\" action=\"/norms\" class=\"filters\" id=\"norm-selection\"><label for=\"bank\">{}</label><select id=\"bank\" name=\"bank\">{banks}</select>\
         <label for=\"campaign\">{}</label><select id=\"campaign\" name=\"campaign\">{campaigns}</select>\
         <label for=\"from\">{}</label><input type=\"date\" id=\"from\" name=\"from\" value=\"{}\"><label for=\"to\">{}</label><input type=\"date\" id=\"to\" name=\"to\" value=\"{}\">\
         <label for=\"validity\">{}</label><select id=\"validity\" name=\"validity\"><option value=\"\"{}>{}</option><option value=\"ok\"{}>{}</option><option value=\"caution\"{}>{}</option></select>\
         <button type=\"submit\" class=\"button\" id=\"look\">{}</button></form>",
        t.bank_version,
        t.campaign,
        t.from,
        esc(&date(selection.and_then(|s| s.filter.from), 0)),
        t.to,
        esc(&date(selection.and_then(|s| s.filter.to), 86_400_000)),
        t.answers,
        v(""),
        t.valid_or_caution,
        v("ok"),
        t.valid_only,
        v("caution"),
        t.caution_only,
        t.look_at_group
    );
    if let Some(p) = &page.preview {
        html.push_str(&preview_section(t, p));
        if p.findings.refusals.is_empty() {
            html.push_str(&describe_form(t, p, languages));
        }
    }
    let _ = write!(html, "<h2>{}</h2>", t.your_norm_tables);
    if page.tables.is_empty() {
        let _ = write!(html, "<p id=\"no-tables\">{}</p>", t.none_yet);
    } else {
        let _ = write!(
            html,
            "<div class=\"table-scroll\"><table class=\"data\" id=\"norm-tables\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t.norm_table, t.bank_version, t.sessions, t.published, t.content_hash
        );
        for table in &page.tables {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                esc(&table.id),
                esc(&table.instrument),
                esc(&table.version),
                table.sessions,
                fill(t.at_by, &[("at", &esc(&minute_utc(table.created_at))), ("by", &esc(&table.created_by))]),
                esc(&table.content_hash.chars().take(19).collect::<String>())
            );
        }
        html.push_str("</tbody></table></div>");
    }
    let _ = write!(html, "<p><a href=\"/instruments\">{}</a> · <a href=\"/staff\">{}</a></p></div>", t.the_instruments, t.back_to_start);
    html
}
