//! The calibration page: what to calibrate, where a run stands (progress
//! bar, EM cycle, log-likelihood, cancel), and the result: per scale the
//! new parameters with standard errors and item fit beside the current
//! ones, marginal reliability, and the test information of both (SVG),
//! with the form that saves them into a new draft. Escaped here.

use std::fmt::Write as _;

use assessments::irt::grm::{item_information, test_information, GrmItem};

use app::i18n::{fill, AnalysisText};

use super::staff::esc;
use crate::{calibration::CalibrationView, time::minute_utc};

fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |v| format!("{v:.3}"))
}

/// Test information over theta -4..4 of the current and the new parameters,
/// and each new item's information, as an SVG line chart.
fn information_svg(t: &AnalysisText, scale: &str, current: &[GrmItem], new: &[GrmItem]) -> String {
    let (w, h, pad) = (420.0, 160.0, 24.0);
    let thetas: Vec<f64> = (0..=80).map(|i| -4.0 + i as f64 * 0.1).collect();
    let info = |items: &[GrmItem]| thetas.iter().map(|&t| test_information(items, t)).collect::<Vec<f64>>();
    let (now, then) = (info(new), info(current));
    let top = now.iter().chain(then.iter()).copied().fold(0.0_f64, f64::max).max(1e-9);
    let point = |i: usize, v: f64| format!("{:.1},{:.1}", pad + (w - 2.0 * pad) * i as f64 / (thetas.len() - 1) as f64, h - pad - (h - 2.0 * pad) * v / top);
    let line = |values: &[f64]| values.iter().enumerate().map(|(i, v)| point(i, *v)).collect::<Vec<_>>().join(" ");
    let peak = |values: &[f64]| values.iter().enumerate().fold((0, 0.0_f64), |best, (i, v)| if *v > best.1 { (i, *v) } else { best });
    let (at, most) = peak(&now);
    let current_peak = if current.is_empty() {
        String::new()
    } else {
        fill(t.information_current_peak, &[("theta", &format!("{:.1}", thetas[peak(&then).0])), ("information", &format!("{:.1}", peak(&then).1))])
    };
    let label = fill(t.information_label, &[("scale", scale), ("theta", &format!("{:.1}", thetas[at])), ("information", &format!("{most:.1}")), ("current", &current_peak)]);
    let mut svg = format!("<svg class=\"information\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" aria-label=\"{}\">", esc(&label));
    for item in new {
        let values: Vec<f64> = thetas.iter().map(|&t| item_information(item.a, &item.b, t)).collect();
        let _ = write!(svg, "<polyline class=\"item-information\" fill=\"none\" points=\"{}\"/>", line(&values));
    }
    if !current.is_empty() {
        let _ = write!(svg, "<polyline class=\"current-information\" fill=\"none\" points=\"{}\"/>", line(&then));
    }
    let _ = write!(svg, "<polyline class=\"new-information\" fill=\"none\" points=\"{}\"/>", line(&now));
    let _ = write!(svg, "<text x=\"{pad}\" y=\"{}\" class=\"axis\">-4</text><text x=\"{}\" y=\"{}\" class=\"axis\">theta 0</text><text x=\"{}\" y=\"{}\" class=\"axis\">4</text></svg>", h - 6.0, w / 2.0 - 18.0, h - 6.0, w - pad - 8.0, h - 6.0);
    svg
}

fn status(t: &AnalysisText, v: &CalibrationView) -> String {
    let Some(job) = &v.job else {
        return format!("<p id=\"calibration-status\">{}</p>", t.no_calibration_yet);
    };
    match job.status.as_str() {
        "queued" | "running" => {
            let progress = job.progress.unwrap_or(0.0);
            format!(
                "<p id=\"calibration-status\" role=\"status\">{} <progress id=\"calibration-progress\" max=\"1\" value=\"{progress:.3}\">{:.0}%</progress> <span id=\"calibration-note\">{}</span></p>\
                 <form method=\"post\" action=\"/instruments/{}/{}/calibration/cancel\" class=\"inline-form\"><input type=\"hidden\" name=\"job\" value=\"{}\"><button type=\"submit\" class=\"button secondary\" id=\"cancel-calibration\">{}</button></form>",
                t.calibrating,
                progress * 100.0,
                esc(job.progress_note.as_deref().unwrap_or(if job.status == "queued" { t.waiting_for_turn } else { t.starting })),
                esc(&v.instrument),
                esc(&v.version),
                esc(&job.id),
                t.cancel
            )
        }
        "failed" if job.last_error.as_deref() == Some("cancelled") => format!("<p id=\"calibration-status\">{}</p>", t.calibration_cancelled),
        "failed" => format!("<p id=\"calibration-status\" class=\"notice error\" role=\"alert\">{}</p>", esc(&fill(t.calibration_failed, &[("reason", job.last_error.as_deref().unwrap_or(t.no_reason))]))),
        _ => format!("<p id=\"calibration-status\">{}</p>", esc(&fill(t.calibrated_at, &[("at", &job.finished_at.map(minute_utc).unwrap_or_default())]))),
    }
}

fn result_section(t: &AnalysisText, v: &CalibrationView) -> String {
    let (Some(result), Some(job)) = (&v.result, &v.job) else { return String::new() };
    let mut html = format!("<section id=\"calibration-result\"><h2>{}</h2>", fill(t.result_sessions, &[("n", &result.sessions.to_string())]));
    if result.kind == assessments::commands::CalibrationKind::Demonstration {
        let _ = write!(html, "<p class=\"warning\">{}</p>", t.demonstration_sessions);
    }
    for s in &result.scales {
        let em = fill(
            if s.converged { t.em_converged } else { t.em_not_converged },
            &[("respondents", &s.respondents.to_string()), ("cycles", &s.iterations.to_string()), ("ll", &format!("{:.1}", s.log_likelihood)), ("reliability", &format!("{:.3}", s.marginal_reliability))],
        );
        let _ = write!(html, "<section class=\"scale-analysis\"><h3>{}</h3><p>{em}</p>", esc(&s.scale));
        for w in &s.warnings {
            let _ = write!(html, "<p class=\"note\">{}</p>", esc(w));
        }
        let _ = write!(
            html,
            "<div class=\"table-scroll\"><table class=\"data\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t.item, t.current_ab, t.new_a, t.new_b, t.fit
        );
        for i in &s.items {
            let current = v.current.get(&i.id).map_or_else(|| t.none.to_string(), |g| format!("{:.3}; {}", g.a, g.b.iter().map(|b| format!("{b:.2}")).collect::<Vec<_>>().join(", ")));
            let bs = i.b.iter().enumerate().map(|(k, b)| format!("{b:.2} ({})", opt(i.se_b.get(k).copied().flatten()))).collect::<Vec<_>>().join(", ");
            let misfit = if s.misfitting_items.contains(&i.id) { format!(" <strong>{}</strong>", t.misfit) } else { String::new() };
            let _ = write!(html, "<tr><td>{}</td><td>{}</td><td>{:.3} ({})</td><td>{bs}</td><td>{:.1} ({}), {:.3}{misfit}</td></tr>", esc(&i.id), esc(&current), i.a, opt(i.se_a), i.fit_chi_square, i.fit_df, i.fit_p);
        }
        html.push_str("</tbody></table></div>");
        let new: Vec<GrmItem> = s.items.iter().map(|i| GrmItem { a: i.a, b: i.b.clone() }).collect();
        let current: Vec<GrmItem> = if s.items.iter().all(|i| v.current.contains_key(&i.id)) { s.items.iter().filter_map(|i| v.current.get(&i.id).cloned()).collect() } else { Vec::new() };
        html.push_str(&information_svg(t, &s.scale, &current, &new));
        let _ = write!(html, "<p class=\"small\">{}</p></section>", t.information_note);
    }
    let new_id = if v.shipped { format!("<label for=\"new-id\">{}</label><input id=\"new-id\" name=\"new_id\" required pattern=\"[a-z0-9_-]+\" value=\"{}-own\">", t.your_instrument_id, esc(&v.instrument)) } else { String::new() };
    let _ = write!(
        html,
        "<h2>{}</h2><p>{}</p>\
         <form method=\"post\" action=\"/instruments/{}/{}/calibration/draft\" class=\"stacked\"><input type=\"hidden\" name=\"job\" value=\"{}\">{new_id}<button type=\"submit\" class=\"button\" id=\"save-draft\">{}</button></form></section>",
        t.use_parameters,
        t.use_parameters_note,
        esc(&v.instrument),
        esc(&v.version),
        esc(&job.id),
        t.save_into_draft
    );
    html
}

/// The page below its title.
pub fn page_body(t: &AnalysisText, v: &CalibrationView, notice: Option<&str>) -> String {
    let mut html = String::from("<div class=\"workbench\">");
    if let Some(n) = notice {
        let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"notice\">{}</p>", esc(n));
    }
    let _ = write!(html, "<p>{}</p>", t.calibration_intro);
    html.push_str(&status(t, v));
    if !v.in_progress() {
        let mut scales = format!("<option value=\"\">{}</option>", t.every_scale);
        for (id, name) in &v.scales {
            let _ = write!(scales, "<option value=\"{}\">{}</option>", esc(id), esc(name));
        }
        let mut campaigns = format!("<option value=\"\">{}</option>", t.all_campaigns);
        for (id, name) in &v.campaigns {
            let _ = write!(campaigns, "<option value=\"{}\">{}</option>", esc(id), esc(name));
        }
        let _ = write!(
            html,
            "<form method=\"post\" action=\"/instruments/{}/{}/calibration\" class=\"filters\"><label for=\"scale\">{}</label><select id=\"scale\" name=\"scale\">{scales}</select>\
             <label for=\"validity\">{}</label><select id=\"validity\" name=\"validity\"><option value=\"\">{}</option><option value=\"ok\">{}</option></select><label for=\"campaign\">{}</label><select id=\"campaign\" name=\"campaign\">{campaigns}</select>\
             <button type=\"submit\" class=\"button\" id=\"run-calibration\">{}</button></form>",
            esc(&v.instrument),
            esc(&v.version),
            t.scale,
            t.answers,
            t.all_completed_sessions,
            t.valid_only,
            t.campaign,
            t.calibrate
        );
    }
    html.push_str(&result_section(t, v));
    let _ = write!(html, "<p><a href=\"/instruments\">{}</a></p></div>", t.back_to_instruments);
    html
}
