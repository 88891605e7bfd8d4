//! `/workforce/structure`: the organisation's units and employees, and the
//! two imports (units, then the current employee list). Short adapters
//! over `crate::workforce`; the forms work without script.

use std::fmt::Write as _;

use app::i18n::{fill, workforce_text, WorkforceText};
use axum::{
    extract::{Multipart, RawForm, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    recruit::{field, fields, poster},
    staff::{caller, esc, page_in, staff_error},
    AppState,
};
use crate::{
    recruit::csv_import::RowError,
    service_error::ServiceError,
    staff::Caller,
    workforce::{self, structure::MAX_BYTES, Imported, StructureView},
};

const BACK: &str = "/workforce/structure";

fn overview(t: &WorkforceText, v: &StructureView) -> String {
    let mut html = format!("<p>{}</p>", fill(t.structure_intro, &[("employees", &v.employees.to_string()), ("left", &v.left.to_string())]));
    if v.units.is_empty() {
        let _ = write!(html, "<p>{}</p>", t.no_units);
    } else {
        let _ = write!(html, "<div class=\"table-scroll\"><table class=\"data\" id=\"units\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>", t.unit, t.employees_in_it, t.with_units_below);
        for u in &v.units {
            let _ = write!(html, "<tr><td class=\"depth-{}\">{}{}</td><td>{}</td><td>{}</td></tr>", u.depth.min(6), "— ".repeat(u.depth), esc(&u.name), u.direct, u.total);
        }
        html.push_str("</tbody></table></div>");
    }
    if !v.units.is_empty() {
        let options: String = v.units.iter().map(|u| format!("<option value=\"{n}\">{pad}{n}</option>", n = esc(&u.name), pad = "— ".repeat(u.depth))).collect();
        let _ = write!(
            html,
            "<h2>{edit}</h2><form method=\"post\" action=\"/workforce/structure/unit\" class=\"stacked\"><h3>{add_or_move}</h3>\
             <label for=\"unit-name\">{unit}</label><input id=\"unit-name\" name=\"name\" required maxlength=\"200\">\
             <label for=\"unit-parent\">{inside}</label><select id=\"unit-parent\" name=\"parent\"><option value=\"\">{top_unit}</option>{options}</select>\
             <div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"save-unit\">{save_unit}</button></div></form>\
             <form method=\"post\" action=\"/workforce/structure/employee\" class=\"stacked\"><h3>{move_employee}</h3>\
             <label for=\"employee-email\">{email}</label><input id=\"employee-email\" name=\"email\" type=\"email\" required maxlength=\"254\">\
             <label for=\"employee-unit\">{now_in}</label><select id=\"employee-unit\" name=\"unit\"><option value=\"\">{has_left}</option>{options}</select>\
             <div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"save-employee\">{save}</button></div></form>",
            edit = t.edit,
            add_or_move = t.add_or_move_unit,
            unit = t.unit,
            inside = t.inside,
            top_unit = t.top_unit,
            save_unit = t.save_unit,
            move_employee = t.move_employee,
            email = t.email_address,
            now_in = t.now_in,
            has_left = t.has_left,
            save = t.save
        );
    }
    let mb = MAX_BYTES / (1024 * 1024);
    let _ = write!(
        html,
        "<h2>{import}</h2><form method=\"post\" action=\"/workforce/structure/units\" enctype=\"multipart/form-data\" class=\"stacked-form\"><h3>{units_heading}</h3>\
         <p>{units_note}</p>\
         <label>{units_file} <input type=\"file\" name=\"file\" accept=\".csv,text/csv\" required></label><button type=\"submit\" class=\"button\">{import_units}</button></form>\
         <form method=\"post\" action=\"/workforce/structure/employees\" enctype=\"multipart/form-data\" class=\"stacked-form\"><h3>{employees_heading}</h3>\
         <p>{employees_note}</p>\
         <label>{employees_file} <input type=\"file\" name=\"file\" accept=\".csv,text/csv\" required></label><button type=\"submit\" class=\"button\">{import_employees}</button></form>",
        import = t.import,
        units_heading = t.units_heading,
        units_note = t.units_note,
        units_file = fill(t.units_file, &[("mb", &mb.to_string())]),
        import_units = t.import_units,
        employees_heading = t.employees_heading,
        employees_note = t.employees_note,
        employees_file = fill(t.employees_file, &[("mb", &mb.to_string())]),
        import_employees = t.import_employees
    );
    html
}

/// `GET /workforce/structure`.
pub async fn structure(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    match workforce::view(&state.store, &who).await {
        Ok(v) => {
            let t = workforce_text(&who.language);
            page_in(&who.language, StatusCode::OK, t.structure_title, &overview(t, &v))
        }
        Err(e) => staff_error(&who.language, e, "/staff"),
    }
}

/// The uploaded file of a form, or the response to give instead.
async fn uploaded(who: &Caller, mut multipart: Multipart) -> Result<Vec<u8>, Response> {
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => match f.bytes().await {
                Ok(bytes) => file = Some(bytes.to_vec()),
                Err(_) => return Err(staff_error(&who.language, ServiceError::Invalid(fill(workforce_text(&who.language).file_too_large, &[("mb", &(MAX_BYTES / (1024 * 1024)).to_string())])), BACK)),
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(e) => return Err(staff_error(&who.language, ServiceError::Invalid(fill(app::i18n::admin_text(&who.language).upload_unreadable, &[("cause", &e.body_text())])), BACK)),
        }
    }
    file.ok_or_else(|| staff_error(&who.language, ServiceError::Invalid(app::i18n::admin_text(&who.language).choose_csv.into()), BACK))
}

/// The caller of a form post and the file it carries, or the response to give instead.
async fn posted_file(state: &AppState, headers: &HeaderMap, multipart: Multipart) -> Result<(Caller, Vec<u8>), Response> {
    let who = poster(state, headers).await?;
    let file = uploaded(&who, multipart).await?;
    Ok((who, file))
}

fn refused(lang: &str, errors: &[RowError]) -> Response {
    let t = workforce_text(lang);
    let mut body = format!("<p role=\"alert\" id=\"form-error\">{}</p><ul id=\"row-errors\">", fill(t.nothing_imported, &[("n", &errors.len().to_string())]));
    for e in errors.iter().take(500) {
        let _ = write!(body, "<li>{}</li>", fill(t.row_problem, &[("row", &e.row.to_string()), ("problem", &esc(&e.message))]));
    }
    if errors.len() > 500 {
        let _ = write!(body, "<li>{}</li>", fill(t.and_more, &[("n", &(errors.len() - 500).to_string())]));
    }
    let _ = write!(body, "</ul><p><a href=\"{BACK}\">{}</a></p>", t.back_to_structure);
    page_in(lang, StatusCode::UNPROCESSABLE_ENTITY, t.correct_the_file, &body)
}

/// `POST /workforce/structure/unit`: one unit added or moved.
pub async fn save_unit(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let one = |name: &str| field(&f, name);
    match workforce::save_unit(&state.store, &who, one("name"), one("parent")).await {
        Ok(Imported::Done(_)) => Redirect::to("/workforce/structure?saved=unit").into_response(),
        Ok(Imported::Refused(errors)) => refused(&who.language, &errors),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /workforce/structure/employee`: one employee moved, or marked as having left.
pub async fn update_employee(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let one = |name: &str| field(&f, name);
    match workforce::update_employee(&state.store, &who, one("email"), one("unit")).await {
        Ok(()) => Redirect::to("/workforce/structure?saved=employee").into_response(),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /workforce/structure/units`.
pub async fn import_units(State(state): State<AppState>, headers: HeaderMap, multipart: Multipart) -> Response {
    let (who, file) = match posted_file(&state, &headers, multipart).await {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    match workforce::import_units(&state.store, &who, &file).await {
        Ok(Imported::Done((added, moved))) => {
            let t = workforce_text(&who.language);
            let body = format!("<p role=\"status\" id=\"imported\">{}</p><p><a href=\"{BACK}\">{}</a></p>", fill(t.units_imported_text, &[("added", &added.to_string()), ("moved", &moved.to_string())]), t.back_to_structure);
            page_in(&who.language, StatusCode::OK, t.units_imported, &body)
        }
        Ok(Imported::Refused(errors)) => refused(&who.language, &errors),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}

/// `POST /workforce/structure/employees`.
pub async fn import_employees(State(state): State<AppState>, headers: HeaderMap, multipart: Multipart) -> Response {
    let (who, file) = match posted_file(&state, &headers, multipart).await {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    match workforce::import_employees(&state.store, &who, &file).await {
        Ok(Imported::Done(c)) => {
            let t = workforce_text(&who.language);
            let counts = [("added", c.added), ("moved", c.moved), ("updated", c.updated), ("left", c.left), ("back", c.returned)].map(|(k, n)| (k, n.to_string()));
            let counts: Vec<(&str, &str)> = counts.iter().map(|(k, n)| (*k, n.as_str())).collect();
            let body = format!("<p role=\"status\" id=\"imported\">{}</p><p><a href=\"{BACK}\">{}</a></p>", fill(t.employees_imported_text, &counts), t.back_to_structure);
            page_in(&who.language, StatusCode::OK, t.employees_imported, &body)
        }
        Ok(Imported::Refused(errors)) => refused(&who.language, &errors),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}
