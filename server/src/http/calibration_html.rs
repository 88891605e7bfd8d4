//! The calibration page: what to calibrate, where a run stands (progress
//! bar, EM cycle, log-likelihood, cancel), and the result: per scale the
//! new parameters with standard errors and item fit beside the current
//! ones, marginal reliability, and the test information of both (SVG),
//! with the form that saves them into a new draft. Escaped here.

use std::fmt::Write as _;

use assessments::irt::grm::{item_information, test_information, GrmItem};

use super::staff::esc;
use crate::{calibration::CalibrationView, time::minute_utc};

fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |v| format!("{v:.3}"))
}

/// Test information over theta -4..4 of the current and the new parameters,
/// and each new item's information, as an SVG line chart.
fn information_svg(scale: &str, current: &[GrmItem], new: &[GrmItem]) -> String {
    let (w, h, pad) = (420.0, 160.0, 24.0);
    let thetas: Vec<f64> = (0..=80).map(|i| -4.0 + i as f64 * 0.1).collect();
    let info = |items: &[GrmItem]| thetas.iter().map(|&t| test_information(items, t)).collect::<Vec<f64>>();
    let (now, then) = (info(new), info(current));
    let top = now.iter().chain(then.iter()).copied().fold(0.0_f64, f64::max).max(1e-9);
    let point = |i: usize, v: f64| format!("{:.1},{:.1}", pad + (w - 2.0 * pad) * i as f64 / (thetas.len() - 1) as f64, h - pad - (h - 2.0 * pad) * v / top);
    let line = |values: &[f64]| values.iter().enumerate().map(|(i, v)| point(i, *v)).collect::<Vec<_>>().join(" ");
    let peak = |values: &[f64]| values.iter().enumerate().fold((0, 0.0_f64), |best, (i, v)| if *v > best.1 { (i, *v) } else { best });
    let (at, most) = peak(&now);
    let mut svg = format!(
        "<svg class=\"information\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" aria-label=\"Test information of {}: with the new parameters highest at theta {:.1} ({most:.1}){}\">",
        esc(scale),
        thetas[at],
        if current.is_empty() { String::new() } else { format!("; with the current parameters highest at theta {:.1} ({:.1})", thetas[peak(&then).0], peak(&then).1) }
    );
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

fn status(v: &CalibrationView) -> String {
    let Some(job) = &v.job else {
        return "<p id=\"calibration-status\">No calibration of this version yet.</p>".into();
    };
    match job.status.as_str() {
        "queued" | "running" => {
            let progress = job.progress.unwrap_or(0.0);
            format!(
                "<p id=\"calibration-status\" role=\"status\">Calibrating: <progress id=\"calibration-progress\" max=\"1\" value=\"{progress:.3}\">{:.0}%</progress> <span id=\"calibration-note\">{}</span></p>\
                 <form method=\"post\" action=\"/instruments/{}/{}/calibration/cancel\" class=\"inline-form\"><input type=\"hidden\" name=\"job\" value=\"{}\"><button type=\"submit\" class=\"button secondary\" id=\"cancel-calibration\">Cancel</button></form>",
                progress * 100.0,
                esc(job.progress_note.as_deref().unwrap_or(if job.status == "queued" { "waiting for its turn" } else { "starting" })),
                esc(&v.instrument),
                esc(&v.version),
                esc(&job.id)
            )
        }
        "failed" if job.last_error.as_deref() == Some("cancelled") => "<p id=\"calibration-status\">The last calibration was cancelled.</p>".into(),
        "failed" => format!("<p id=\"calibration-status\" class=\"notice error\" role=\"alert\">The last calibration could not be done: {}</p>", esc(job.last_error.as_deref().unwrap_or("unknown reason"))),
        _ => format!("<p id=\"calibration-status\">Calibrated {}.</p>", esc(&job.finished_at.map(minute_utc).unwrap_or_default())),
    }
}

fn result_section(v: &CalibrationView) -> String {
    let (Some(result), Some(job)) = (&v.result, &v.job) else { return String::new() };
    let mut html = format!("<section id=\"calibration-result\"><h2>Result: {} sessions</h2>", result.sessions);
    if result.kind == assessments::commands::CalibrationKind::Demonstration {
        html.push_str("<p class=\"warning\">These sessions come from a demonstration organisation (simulated people): the parameters are demonstration values, not for decisions.</p>");
    }
    for s in &result.scales {
        let _ = write!(
            html,
            "<section class=\"scale-analysis\"><h3>{}</h3><p>{} respondents; EM {} after {} cycles; log-likelihood {:.1}; marginal reliability {:.3}.</p>",
            esc(&s.scale),
            s.respondents,
            if s.converged { "converged" } else { "did not converge" },
            s.iterations,
            s.log_likelihood,
            s.marginal_reliability
        );
        for w in &s.warnings {
            let _ = write!(html, "<p class=\"note\">{}</p>", esc(w));
        }
        html.push_str("<div class=\"table-scroll\"><table class=\"data\"><thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Current a; b</th><th scope=\"col\">New a (SE)</th><th scope=\"col\">New b (SE)</th><th scope=\"col\">Fit chi-square (df), p</th></tr></thead><tbody>");
        for i in &s.items {
            let current = v.current.get(&i.id).map_or_else(|| "none".to_string(), |g| format!("{:.3}; {}", g.a, g.b.iter().map(|b| format!("{b:.2}")).collect::<Vec<_>>().join(", ")));
            let bs = i.b.iter().enumerate().map(|(k, b)| format!("{b:.2} ({})", opt(i.se_b.get(k).copied().flatten()))).collect::<Vec<_>>().join(", ");
            let misfit = if s.misfitting_items.contains(&i.id) { " <strong>misfit</strong>" } else { "" };
            let _ = write!(html, "<tr><td>{}</td><td>{}</td><td>{:.3} ({})</td><td>{bs}</td><td>{:.1} ({}), {:.3}{misfit}</td></tr>", esc(&i.id), esc(&current), i.a, opt(i.se_a), i.fit_chi_square, i.fit_df, i.fit_p);
        }
        html.push_str("</tbody></table></div>");
        let new: Vec<GrmItem> = s.items.iter().map(|i| GrmItem { a: i.a, b: i.b.clone() }).collect();
        let current: Vec<GrmItem> = if s.items.iter().all(|i| v.current.contains_key(&i.id)) { s.items.iter().filter_map(|i| v.current.get(&i.id).cloned()).collect() } else { Vec::new() };
        html.push_str(&information_svg(&s.scale, &current, &new));
        html.push_str("<p class=\"small\">Test information: the new parameters (thick line), the current ones (dashed), each item (thin lines). SE = 1 / sqrt(information).</p></section>");
    }
    let new_id = if v.shipped { format!("<label for=\"new-id\">Your instrument's id</label><input id=\"new-id\" name=\"new_id\" required pattern=\"[a-z0-9_-]+\" value=\"{}-own\">", esc(&v.instrument)) } else { String::new() };
    let _ = write!(
        html,
        "<h2>Use these parameters</h2><p>Saving makes a new draft of this version with these parameters (a major version: scores change). Check it, then publish it in the editor.</p>\
         <form method=\"post\" action=\"/instruments/{}/{}/calibration/draft\" class=\"stacked\"><input type=\"hidden\" name=\"job\" value=\"{}\">{new_id}<button type=\"submit\" class=\"button\" id=\"save-draft\">Save into a new draft</button></form></section>",
        esc(&v.instrument),
        esc(&v.version),
        esc(&job.id)
    );
    html
}

/// The page below its title.
pub fn page_body(v: &CalibrationView, notice: Option<&str>) -> String {
    let mut html = String::from("<div class=\"workbench\">");
    if let Some(n) = notice {
        let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"notice\">{}</p>", esc(n));
    }
    html.push_str(
        "<p>Estimates the graded response model's parameters of this version's items from your organisation's completed sessions (marginal maximum likelihood, the engine of <code>vigil calibrate</code>), as a background job: you may leave this page. \
         At least 200 sessions; a constant item or one nobody answered is refused with the reason. No names or addresses are read.</p>",
    );
    html.push_str(&status(v));
    if !v.in_progress() {
        let mut scales = String::from("<option value=\"\">Every scale</option>");
        for (id, name) in &v.scales {
            let _ = write!(scales, "<option value=\"{}\">{}</option>", esc(id), esc(name));
        }
        let mut campaigns = String::from("<option value=\"\">All campaigns</option>");
        for (id, name) in &v.campaigns {
            let _ = write!(campaigns, "<option value=\"{}\">{}</option>", esc(id), esc(name));
        }
        let _ = write!(
            html,
            "<form method=\"post\" action=\"/instruments/{}/{}/calibration\" class=\"filters\"><label for=\"scale\">Scale</label><select id=\"scale\" name=\"scale\">{scales}</select>\
             <label for=\"validity\">Answers</label><select id=\"validity\" name=\"validity\"><option value=\"\">all completed sessions</option><option value=\"ok\">valid only</option></select><label for=\"campaign\">Campaign</label><select id=\"campaign\" name=\"campaign\">{campaigns}</select>\
             <button type=\"submit\" class=\"button\" id=\"run-calibration\">Calibrate</button></form>",
            esc(&v.instrument),
            esc(&v.version)
        );
    }
    html.push_str(&result_section(v));
    html.push_str("<p><a href=\"/instruments\">Back to the instruments</a></p></div>");
    html
}
