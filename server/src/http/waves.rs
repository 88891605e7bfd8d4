//! `/workforce/waves`, `/workforce/security`, `/workforce/champions`: what
//! HR (administrators) and the security role see of the workforce side.
//! Short adapters over `crate::workforce`; every figure comes from the
//! suppressed results, so a hidden cell is hidden in the page, the CSV and
//! the trend alike.

use std::{collections::BTreeMap, fmt::Write as _};

use app::i18n::{fill, workforce_text, WorkforceText};
use assessments::workforce::groups::Interval;
use axum::{
    extract::{Path, Query, RawForm, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    recruit::{field, fields, links_base, poster},
    staff::{caller, esc, internal_page_in, page_in, staff_error},
    AppState,
};
use crate::{
    staff::Caller,
    workforce::{
        breakdown::{Breakdown, Dimension},
        champions,
        insight::{self, WaveReport},
        results::{self, WaveResults},
        waves::{self, WaveForm},
    },
};

const BACK: &str = "/workforce/waves";

async fn who(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    caller(state, headers).await.map(|i| Caller::from(&i))
}

fn day(ms: i64) -> String {
    crate::time::date_utc(ms)
}

fn nav(t: &WorkforceText) -> String {
    format!(
        "<nav aria-label=\"{}\"><ul class=\"inline-links\"><li><a href=\"/workforce/waves\">{}</a></li><li><a href=\"/workforce/security\">{}</a></li><li><a href=\"/workforce/champions\">{}</a></li><li><a href=\"/staff\">{}</a></li></ul></nav>",
        t.workforce, t.survey_waves, t.security_view, t.security_champions, t.start
    )
}

/// What a breakdown's dimension is called.
fn dimension_name(t: &WorkforceText, d: Dimension) -> &'static str {
    match d {
        Dimension::Location => t.location,
        Dimension::TenureBand => t.tenure_band,
    }
}

/// `GET /workforce/waves`: the waves; for administrators, the form for a new one and the settings.
pub async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match who(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let waves = match insight::waves(&state.store, &who).await {
        Ok(w) => w,
        Err(e) => return staff_error(&who.language, e, "/staff"),
    };
    let t = workforce_text(&who.language);
    let mut body = nav(t);
    let _ = write!(body, "<p>{}</p>", t.waves_intro);
    if waves.is_empty() {
        let _ = write!(body, "<p id=\"no-waves\">{}</p>", t.no_waves);
    } else {
        let _ = write!(body, "<div class=\"table-scroll\"><table class=\"data\" id=\"waves\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>", t.wave, t.instrument, t.status, t.last_day);
        for w in &waves {
            let status = if w.status == "open" { t.open.to_string() } else { fill(t.closed_on, &[("day", &day(w.closed_at.unwrap_or(w.closes_at)))]) };
            let _ = write!(
                body,
                "<tr><td><a href=\"/workforce/waves/{id}\">{name}</a></td><td>{i} {v}</td><td>{status}</td><td>{last}</td></tr>",
                id = esc(&w.id),
                name = esc(&w.name),
                i = esc(&w.instrument),
                v = esc(&w.version),
                last = day(w.closes_at - 86_400_000)
            );
        }
        body.push_str("</tbody></table></div>");
    }
    if who.role.may_administer() {
        let instruments: Vec<String> = state
            .catalog
            .entries_for(&who.org_id)
            .into_iter()
            .filter(|e| e.bank.file().instrument.intended_use.contains(&assessments::bank::format::IntendedUse::Workforce))
            .map(|e| format!("{}@{}", e.bank.file().instrument.id, e.bank.file().instrument.version))
            .collect();
        let units = state.store.org_units(&who.org_id).await.unwrap_or_default();
        let tree = crate::workforce::UnitTree::of(&units);
        let mut unit_options = String::new();
        for (i, depth) in tree.in_order() {
            let _ = write!(unit_options, "<option value=\"{n}\">{pad}{n}</option>", n = esc(&units[i].name), pad = "— ".repeat(depth));
        }
        let _ = write!(
            body,
            "<h2 id=\"new-wave\">{start_wave}</h2><p>{start_wave_note}</p>\
             <form method=\"post\" action=\"/workforce/waves\" class=\"stacked\" aria-labelledby=\"new-wave\">\
             <label for=\"wave-name\">{name}</label><input id=\"wave-name\" name=\"name\" required maxlength=\"120\" placeholder=\"{placeholder}\">\
             <label for=\"wave-bank\">{instrument}</label><select id=\"wave-bank\" name=\"bank\">{banks}</select>\
             <label for=\"wave-units\">{units}</label><select id=\"wave-units\" name=\"unit\" multiple size=\"6\" required>{unit_options}</select>\
             <label for=\"wave-closes\">{last_day}</label><input id=\"wave-closes\" name=\"closes_on\" type=\"date\" required>\
             <label for=\"wave-remind\">{reminder_day}</label><input id=\"wave-remind\" name=\"remind_on\" type=\"date\">\
             <label for=\"wave-email-language\">{emails_in}</label><select id=\"wave-email-language\" name=\"email_language\"><option value=\"en\">English</option><option value=\"de\">Deutsch</option></select>\
             <fieldset><legend>{offered_in}</legend><label><input type=\"checkbox\" name=\"language\" value=\"en\" checked> English</label> <label><input type=\"checkbox\" name=\"language\" value=\"de\" checked> Deutsch</label></fieldset>\
             <div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"start-wave\">{start_the_wave}</button></div></form>",
            banks = instruments.iter().map(|b| format!("<option value=\"{b}\">{b}</option>", b = esc(b))).collect::<String>(),
            start_wave = t.start_wave,
            start_wave_note = t.start_wave_note,
            name = t.name,
            placeholder = t.name_placeholder,
            instrument = t.instrument,
            units = t.units_choose,
            last_day = t.last_day_format,
            reminder_day = t.reminder_day,
            emails_in = t.emails_in,
            offered_in = t.offered_in,
            start_the_wave = t.start_the_wave
        );
        let settings = state.store.workforce_settings(&who.org_id).await.unwrap_or_default();
        let _ = write!(
            body,
            "<h2 id=\"settings\">{heading}</h2><form method=\"post\" action=\"/workforce/settings\" class=\"stacked\" aria-labelledby=\"settings\">\
             <label for=\"retention\">{retention}</label><input id=\"retention\" name=\"retention_days\" type=\"number\" min=\"30\" max=\"3650\" value=\"{r}\" required>\
             <label for=\"threshold\">{threshold}</label><input id=\"threshold\" name=\"flag_change\" type=\"number\" min=\"0.1\" max=\"2\" step=\"0.1\" value=\"{f}\" required>\
             <div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"save-settings\">{save}</button></div></form>",
            r = settings.retention_days,
            f = settings.flag_change,
            heading = t.settings,
            retention = t.retention,
            threshold = t.threshold,
            save = t.save_settings
        );
    }
    page_in(&who.language, StatusCode::OK, t.survey_waves, &body)
}

/// `POST /workforce/waves`.
pub async fn create(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let one = |name: &str| field(&f, name).to_string();
    // The e-mails' language first, then the others offered.
    let first = one("email_language");
    let mut languages: Vec<String> = (!first.is_empty()).then_some(first.clone()).into_iter().collect();
    languages.extend(f.iter().filter(|(k, v)| k == "language" && *v != first).map(|(_, v)| v.clone()));
    let form = WaveForm { name: one("name"), bank: one("bank"), units: f.iter().filter(|(k, _)| k == "unit").map(|(_, v)| v.clone()).collect(), closes_on: one("closes_on"), remind_on: one("remind_on"), languages };
    match waves::create(&state.store, &state.catalog, &who, &form, &links_base(&state, &headers)).await {
        Ok((id, invited)) => Redirect::to(&format!("/workforce/waves/{id}?invited={invited}")).into_response(),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /workforce/settings`.
pub async fn settings(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let one = |name: &str| field(&f, name).trim();
    let (Ok(days), Ok(change)) = (one("retention_days").parse::<i64>(), one("flag_change").parse::<f64>()) else {
        return staff_error(&who.language, crate::service_error::ServiceError::Invalid(workforce_text(&who.language).settings_numbers.into()), BACK);
    };
    match insight::set_settings(&state.store, &who, days, change).await {
        Ok(()) => Redirect::to("/workforce/waves?saved=1#settings").into_response(),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

fn interval(i: &Interval, percent: bool) -> String {
    if percent {
        format!("{:.0}% ({:.0}–{:.0})", i.estimate * 100.0, i.low * 100.0, i.high * 100.0)
    } else {
        format!("{:.2} ({:.2}–{:.2})", i.estimate, i.low, i.high)
    }
}

fn change_text(t: &WorkforceText, d: &Interval) -> String {
    let arrow = if d.estimate > 0.0 { "▲" } else if d.estimate < 0.0 { "▼" } else { "=" };
    fill(t.change, &[("arrow", arrow), ("estimate", &format!("{:+.2}", d.estimate)), ("low", &format!("{:+.2}", d.low)), ("high", &format!("{:+.2}", d.high))])
}

/// The heat map: units x scales, every hidden cell marked.
pub(super) fn heat_map(t: &WorkforceText, wave_id: &str, r: &WaveResults, changes: &BTreeMap<(String, usize), Interval>) -> String {
    let mut html = format!(
        "<div class=\"table-scroll\"><table class=\"data heat\" id=\"heat-map\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
        t.heat_caption, t.unit, t.respondents_rate
    );
    for (_, name) in &r.scales {
        let _ = write!(html, "<th scope=\"col\">{}</th>", esc(name));
    }
    html.push_str("</tr></thead><tbody>");
    for u in &r.units {
        let _ = write!(html, "<tr><th scope=\"row\" class=\"depth-{}\">{}<a href=\"/workforce/waves/{}/units/{}\">{}</a></th>", u.depth.min(6), "— ".repeat(u.depth), esc(wave_id), esc(&u.unit_id), esc(&u.name));
        match (u.respondents, u.response_rate) {
            (Some(n), Some(rate)) => {
                let _ = write!(html, "<td>{n} ({:.0}%)</td>", rate * 100.0);
            }
            _ => {
                let _ = write!(html, "<td class=\"suppressed\">{}</td>", t.hidden);
            }
        }
        for (s, cell) in u.cells.iter().enumerate() {
            match cell {
                Some(c) => {
                    let level = c.mean.estimate.round().clamp(1.0, 5.0) as u8;
                    let change = changes.get(&(u.unit_id.clone(), s)).map(|d| format!("<br><span class=\"change\">{}</span>", change_text(t, d))).unwrap_or_default();
                    let _ = write!(html, "<td class=\"heat-{level}\">{}<br>{}{change}</td>", interval(&c.mean, false), fill(t.agree, &[("share", &interval(&c.high, true))]));
                }
                None => {
                    let _ = write!(html, "<td class=\"suppressed\">{}</td>", t.hidden);
                }
            }
        }
        html.push_str("</tr>");
    }
    let _ = write!(html, "</tbody></table></div><p class=\"note\" id=\"hidden-note\">{}</p>", t.hidden_note);
    html
}

/// `?by=location&scale=…` on a wave's page and its CSV.
#[derive(serde::Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    scale: Option<String>,
}

/// One scale of a breakdown: units x categories, every hidden cell marked.
fn breakdown_table(t: &WorkforceText, r: &WaveResults, b: &Breakdown, s: usize) -> String {
    let mut html = format!(
        "<div class=\"table-scroll\"><table class=\"data heat\" id=\"breakdown\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
        fill(t.breakdown_caption, &[("scale", &esc(&r.scales[s].1)), ("dimension", dimension_name(t, b.dimension))]),
        t.unit
    );
    for c in &b.categories {
        let _ = write!(html, "<th scope=\"col\">{}</th>", esc(c));
    }
    html.push_str("</tr></thead><tbody>");
    for u in &r.units {
        let _ = write!(html, "<tr><th scope=\"row\" class=\"depth-{}\">{}{}</th>", u.depth.min(6), "— ".repeat(u.depth), esc(&u.name));
        for k in 0..b.categories.len() {
            match b.cells.get(&u.unit_id).and_then(|row| row[k][s].as_ref()) {
                Some(c) => {
                    let level = c.mean.estimate.round().clamp(1.0, 5.0) as u8;
                    let _ = write!(html, "<td class=\"heat-{level}\">{}<br>n = {}</td>", interval(&c.mean, false), c.summary.n);
                }
                None => {
                    let _ = write!(html, "<td class=\"suppressed\">{}</td>", t.hidden);
                }
            }
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></div>");
    html
}

/// The form choosing a breakdown, and the chosen one.
fn breakdown_section(t: &WorkforceText, wave_id: &str, r: &WaveResults, q: &ReportQuery) -> String {
    if r.breakdowns.is_empty() {
        return String::new();
    }
    let by = q.by.as_deref().and_then(Dimension::parse);
    let scale = q.scale.as_deref().and_then(|id| r.scale(id)).unwrap_or(0);
    let mut html = format!(
        "<h2 id=\"breakdown-heading\">{}</h2><form method=\"get\" action=\"/workforce/waves/{}#breakdown-heading\" class=\"stacked\"><label for=\"by\">{}</label><select id=\"by\" name=\"by\">",
        t.breakdown,
        esc(wave_id),
        t.by
    );
    for b in &r.breakdowns {
        let selected = if Some(b.dimension) == by { " selected" } else { "" };
        let _ = write!(html, "<option value=\"{}\"{selected}>{}</option>", b.dimension.key(), dimension_name(t, b.dimension));
    }
    let _ = write!(html, "</select><label for=\"scale\">{}</label><select id=\"scale\" name=\"scale\">", t.scale);
    for (i, (id, name)) in r.scales.iter().enumerate() {
        let selected = if i == scale { " selected" } else { "" };
        let _ = write!(html, "<option value=\"{}\"{selected}>{}</option>", esc(id), esc(name));
    }
    let _ = write!(html, "</select><div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"show-breakdown\">{}</button></div></form>", t.show);
    if let Some(b) = by.and_then(|d| r.breakdowns.iter().find(|b| b.dimension == d)) {
        html.push_str(&breakdown_table(t, r, b, scale));
        let _ = write!(html, "<p><a href=\"/workforce/waves/{}/results.csv?by={}\" id=\"breakdown-csv\">{}</a></p><p class=\"note\">{}</p>", esc(wave_id), b.dimension.key(), t.download_breakdown, t.breakdown_note);
    }
    html
}

fn report_body(t: &WorkforceText, who: &Caller, r: &WaveReport, q: &ReportQuery) -> String {
    let w = &r.wave;
    let mut body = nav(t);
    let _ = write!(
        body,
        "<p>{}</p>",
        fill(t.wave_summary, &[("instrument", &esc(&w.instrument)), ("version", &esc(&w.version)), ("status", if w.status == "open" { t.open } else { t.closed }), ("day", &day(w.closes_at - 86_400_000))])
    );
    if let Some((invited, answered)) = r.participation {
        let _ = write!(
            body,
            "<p id=\"participation\">{}</p><p>{}</p>",
            fill(t.participation, &[("answered", &answered.to_string()), ("invited", &invited.to_string())]),
            t.shown_when_closed
        );
        if who.role.may_administer() {
            let reminded = w.reminded_at.map(|at| fill(t.reminder_went_out, &[("day", &day(at))])).unwrap_or_default();
            let planned = match (w.remind_at, w.reminded_at) {
                (Some(at), None) => fill(t.reminder_planned, &[("day", &day(at))]),
                _ => String::new(),
            };
            let _ = write!(
                body,
                "<p>{reminded}{planned}</p><form method=\"post\" action=\"/workforce/waves/{id}/remind\"><button type=\"submit\" class=\"button\" id=\"remind\">{remind}</button></form>\
                 <form method=\"post\" action=\"/workforce/waves/{id}/close\"><button type=\"submit\" class=\"link-button\" id=\"close-wave\">{close}</button></form>",
                id = esc(&w.id),
                remind = t.remind_not_answered,
                close = t.close_now
            );
        }
        return body;
    }
    match &r.results {
        Some(results) => {
            match results.released {
                Some(n) => {
                    let _ = write!(body, "<p id=\"released\">{}</p>", fill(t.responses, &[("n", &n.to_string())]));
                }
                None => {
                    let _ = write!(body, "<p id=\"released\">{}</p>", t.fewer_than_5_responses);
                }
            }
            if let Some(p) = &r.previous {
                let _ = write!(body, "<p>{}</p>", fill(t.changes_from, &[("wave", &esc(&p.name))]));
            }
            body.push_str(&heat_map(t, &w.id, results, &r.changes));
            let _ = write!(body, "<p><a href=\"/workforce/waves/{}/results.csv\" id=\"csv\">{}</a></p>", esc(&w.id), t.download_table);
            body.push_str(&breakdown_section(t, &w.id, results, q));
        }
        None => {
            let _ = write!(body, "<p>{}</p>", t.being_prepared);
        }
    }
    body
}

/// `GET /workforce/waves/{id}`.
pub async fn report(State(state): State<AppState>, Path(id): Path<String>, Query(q): Query<ReportQuery>, headers: HeaderMap) -> Response {
    let who = match who(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match insight::report(&state.store, &who, &id).await {
        Ok(r) => page_in(&who.language, StatusCode::OK, &esc(&r.wave.name), &report_body(workforce_text(&who.language), &who, &r, &q)),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `GET /workforce/waves/{id}/results.csv`: the same suppressed table.
pub async fn results_csv(State(state): State<AppState>, Path(id): Path<String>, Query(q): Query<ReportQuery>, headers: HeaderMap) -> Response {
    let who = match who(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let r = match insight::report(&state.store, &who, &id).await {
        Ok(r) => r,
        Err(e) => return staff_error(&who.language, e, BACK),
    };
    let Some(results) = &r.results else {
        return staff_error(&who.language, crate::service_error::ServiceError::Invalid(workforce_text(&who.language).results_after_close.into()), BACK);
    };
    let by = q.by.as_deref().and_then(Dimension::parse);
    let csv = match by.and_then(|d| results.breakdowns.iter().find(|b| b.dimension == d)) {
        Some(b) => results::breakdown_csv(results, b),
        None if by.is_some() => return staff_error(&who.language, crate::service_error::ServiceError::NotFound, BACK),
        None => results::csv(results, &r.changes),
    };
    match csv {
        Ok(bytes) => (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"wave-results.csv\""), (header::CACHE_CONTROL, "no-store")],
            bytes,
        )
            .into_response(),
        Err(e) => internal_page_in(&who.language, e),
    }
}

/// `POST /workforce/waves/{id}/close`.
pub async fn close(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match waves::close(&state.store, &state.catalog, &who, &id).await {
        Ok(()) => Redirect::to(&format!("/workforce/waves/{id}")).into_response(),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /workforce/waves/{id}/remind`.
pub async fn remind(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match waves::remind_now(&state.store, &who, &id, &links_base(&state, &headers)).await {
        Ok(n) => {
            let t = workforce_text(&who.language);
            let body = format!("<p role=\"status\" id=\"reminded\">{}</p><p><a href=\"/workforce/waves/{}\">{}</a></p>", fill(t.reminded, &[("n", &n.to_string())]), esc(&id), t.back_to_wave);
            page_in(&who.language, StatusCode::OK, t.reminder_sent, &body)
        }
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// A small chart of one scale across waves: the mean and its 90% interval.
fn trend_chart(t: &WorkforceText, title: &str, points: &[(String, Option<Interval>)]) -> String {
    let (w, h, left, top) = (320.0, 160.0, 30.0, 10.0);
    let plot_h = h - 40.0;
    let step = if points.len() > 1 { (w - left - 20.0) / (points.len() - 1) as f64 } else { 0.0 };
    let y = |v: f64| top + plot_h * (5.0 - v) / 4.0;
    let mut svg = format!("<figure class=\"trend\"><svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"t-{id}\"><title id=\"t-{id}\">{t}</title>", id = esc(title).replace(' ', "-"), t = esc(title));
    for v in 1..=5 {
        let _ = write!(svg, "<line x1=\"{left}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#c9d1d9\"/><text x=\"4\" y=\"{}\" font-size=\"10\">{v}</text>", w - 10.0, y(f64::from(v)) + 3.0, y = y(f64::from(v)));
    }
    let mut line = Vec::new();
    for (i, (_, p)) in points.iter().enumerate() {
        let x = left + 10.0 + step * i as f64;
        if let Some(p) = p {
            let _ = write!(svg, "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#1f5f8b\"/><circle cx=\"{x}\" cy=\"{}\" r=\"3\" fill=\"#1f5f8b\"/>", y(p.low), y(p.high), y(p.estimate));
            line.push(format!("{x},{}", y(p.estimate)));
        }
    }
    if line.len() > 1 {
        let _ = write!(svg, "<polyline points=\"{}\" fill=\"none\" stroke=\"#1d3b53\"/>", line.join(" "));
    }
    svg.push_str("</svg><figcaption><ul>");
    for (name, p) in points {
        let _ = write!(svg, "<li>{}: {}</li>", esc(name), p.as_ref().map(|p| interval(p, false)).unwrap_or_else(|| t.hidden_or_not_surveyed.into()));
    }
    svg.push_str("</ul></figcaption></figure>");
    svg
}

/// `GET /workforce/waves/{id}/units/{unit}`: the unit across the closed waves of the wave's instrument.
pub async fn unit_trend(State(state): State<AppState>, Path((id, unit)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let who = match who(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let trend = match insight::wave_unit_trend(&state.store, &who, &id, &unit).await {
        Ok(trend) => trend,
        Err(e) => return staff_error(&who.language, e, BACK),
    };
    let t = workforce_text(&who.language);
    let mut body = nav(t);
    let _ = write!(body, "<p>{}</p>", t.trend_intro);
    for (s, (_, name)) in trend.scales.iter().enumerate() {
        let points: Vec<(String, Option<Interval>)> = trend.points.iter().map(|(w, row)| (w.name.clone(), row.as_ref().and_then(|r| r.cells.get(s).cloned().flatten()).map(|c| c.mean))).collect();
        let _ = write!(body, "<h2>{}</h2>{}", esc(name), trend_chart(t, name, &points));
    }
    page_in(&who.language, StatusCode::OK, &fill(t.trend_title, &[("unit", &esc(&trend.unit))]), &body)
}

/// `GET /workforce/security`: flagged units and the playbook.
pub async fn security(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match who(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let view = match insight::security_view(&state.store, &who, "pulse").await {
        Ok(v) => v,
        Err(e) => return staff_error(&who.language, e, "/staff"),
    };
    let t = workforce_text(&who.language);
    let mut body = nav(t);
    let _ = write!(body, "<p>{}</p>", fill(t.security_intro, &[("points", &format!("{:.1}", view.settings.flag_change))]));
    if view.waves < 2 {
        let _ = write!(body, "<p id=\"no-flags\">{}</p>", t.two_waves_needed);
    } else if view.flags.is_empty() {
        let _ = write!(body, "<p id=\"no-flags\">{}</p>", t.no_unit_moved);
    } else {
        body.push_str("<ul id=\"flags\">");
        for f in &view.flags {
            let _ = write!(
                body,
                "<li class=\"flag\"><h2>{unit}: {scale} {change}</h2><p>{from_to} {certainty}</p><ul>{steps}</ul></li>",
                unit = esc(&f.unit),
                scale = esc(&f.scale),
                change = change_text(t, &f.change),
                from_to = fill(t.from_to, &[("from", &esc(&f.from_wave)), ("to", &esc(&f.to_wave))]),
                certainty = if f.clear { t.unlikely_chance } else { t.may_be_chance },
                steps = f.suggestions.iter().map(|s| format!("<li>{}</li>", esc(s))).collect::<String>()
            );
        }
        body.push_str("</ul>");
    }
    page_in(&who.language, StatusCode::OK, t.security_view, &body)
}

/// `GET /workforce/champions`: who chose to step forward, and what they shared.
pub async fn champions_list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match who(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let list = match champions::champions(&state.store, &who).await {
        Ok(l) => l,
        Err(e) => return staff_error(&who.language, e, "/staff"),
    };
    let t = workforce_text(&who.language);
    let mut body = nav(t);
    let _ = write!(body, "<p>{}</p>", t.champions_intro);
    if list.is_empty() {
        let _ = write!(body, "<p id=\"no-champions\">{}</p>", t.nobody_yet);
    } else {
        let _ = write!(
            body,
            "<div class=\"table-scroll\"><table class=\"data\" id=\"champions\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            t.name, t.team, t.strengths_shared, t.their_note, t.since
        );
        for c in &list {
            let shared: BTreeMap<String, String> = serde_json::from_str(&c.shared).unwrap_or_default();
            let names: Vec<String> = shared.iter().map(|(id, band)| format!("{}: {}", id.replace('_', " "), band)).collect();
            let _ = write!(
                body,
                "<tr><td>{} &lt;{}&gt;</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.name),
                esc(&c.email),
                esc(&c.unit),
                esc(&names.join("; ")),
                esc(c.note.as_deref().unwrap_or("")),
                day(c.listed_at)
            );
        }
        body.push_str("</tbody></table></div>");
    }
    page_in(&who.language, StatusCode::OK, t.security_champions, &body)
}
