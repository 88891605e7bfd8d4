//! `/workforce/structure`: the organisation's units and employees, and the
//! two imports (units, then the current employee list). Short adapters
//! over `crate::workforce`; the forms work without script.

use std::fmt::Write as _;

use axum::{
    extract::{Multipart, RawForm, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    recruit::{field, fields, poster},
    staff::{caller, staff_error, esc, page},
    AppState,
};
use crate::{
    recruit::csv_import::RowError,
    service_error::ServiceError,
    staff::Caller,
    workforce::{self, structure::MAX_BYTES, Imported, StructureView},
};

const BACK: &str = "/workforce/structure";

fn overview(v: &StructureView) -> String {
    let mut html = format!(
        "<p>Your organisation's departments and teams, and who is in them, as your HR system lists them. Workforce surveys invite people by this structure and report results only for groups of at least 5. \
         {} current employees; {} have left.</p>",
        v.employees, v.left
    );
    if v.units.is_empty() {
        html.push_str("<p>No units yet: import them first.</p>");
    } else {
        html.push_str("<div class=\"table-scroll\"><table class=\"data\" id=\"units\"><thead><tr><th>Unit</th><th>Employees in it</th><th>With the units below</th></tr></thead><tbody>");
        for u in &v.units {
            let _ = write!(html, "<tr><td class=\"depth-{}\">{}{}</td><td>{}</td><td>{}</td></tr>", u.depth.min(6), "— ".repeat(u.depth), esc(&u.name), u.direct, u.total);
        }
        html.push_str("</tbody></table></div>");
    }
    if !v.units.is_empty() {
        let options: String = v.units.iter().map(|u| format!("<option value=\"{n}\">{pad}{n}</option>", n = esc(&u.name), pad = "— ".repeat(u.depth))).collect();
        let _ = write!(
            html,
            "<h2>Edit</h2><form method=\"post\" action=\"/workforce/structure/unit\" class=\"stacked\"><h3>Add or move a unit</h3>\
             <label for=\"unit-name\">Unit</label><input id=\"unit-name\" name=\"name\" required maxlength=\"200\">\
             <label for=\"unit-parent\">Inside</label><select id=\"unit-parent\" name=\"parent\"><option value=\"\">(a top unit)</option>{options}</select>\
             <div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"save-unit\">Save the unit</button></div></form>\
             <form method=\"post\" action=\"/workforce/structure/employee\" class=\"stacked\"><h3>Move an employee, or mark them as having left</h3>\
             <label for=\"employee-email\">E-mail address</label><input id=\"employee-email\" name=\"email\" type=\"email\" required maxlength=\"254\">\
             <label for=\"employee-unit\">Now in</label><select id=\"employee-unit\" name=\"unit\"><option value=\"\">(has left)</option>{options}</select>\
             <div class=\"actions\"><button type=\"submit\" class=\"button\" id=\"save-employee\">Save</button></div></form>"
        );
    }
    let mb = MAX_BYTES / (1024 * 1024);
    let _ = write!(
        html,
        "<h2>Import</h2><form method=\"post\" action=\"/workforce/structure/units\" enctype=\"multipart/form-data\" class=\"stacked-form\"><h3>1. Units</h3>\
         <p>A CSV file with the columns <code>unit,parent</code> (leave the parent empty for a top unit). New units are added and moved units move; a unit left out stays.</p>\
         <label>Units file (CSV, at most {mb} MB) <input type=\"file\" name=\"file\" accept=\".csv,text/csv\" required></label><button type=\"submit\" class=\"button\">Import units</button></form>\
         <form method=\"post\" action=\"/workforce/structure/employees\" enctype=\"multipart/form-data\" class=\"stacked-form\"><h3>2. Employees</h3>\
         <p>The whole current list, with the columns <code>email,name,unit</code> and optionally <code>location,tenure_band</code>. New people are added, people in another unit are moved, and people missing from the list are marked as having left.</p>\
         <label>Employees file (CSV, at most {mb} MB) <input type=\"file\" name=\"file\" accept=\".csv,text/csv\" required></label><button type=\"submit\" class=\"button\">Import employees</button></form>"
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
        Ok(v) => page(StatusCode::OK, "Organisation structure", &overview(&v)),
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
                Err(_) => return Err(staff_error(&who.language, ServiceError::Invalid(format!("The file is larger than {} MB.", MAX_BYTES / (1024 * 1024))), BACK)),
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(e) => return Err(staff_error(&who.language, ServiceError::Invalid(format!("The upload could not be read ({}). Please choose the file again.", e.body_text())), BACK)),
        }
    }
    file.ok_or_else(|| staff_error(&who.language, ServiceError::Invalid("Please choose a CSV file to upload.".into()), BACK))
}

/// The caller of a form post and the file it carries, or the response to give instead.
async fn posted_file(state: &AppState, headers: &HeaderMap, multipart: Multipart) -> Result<(Caller, Vec<u8>), Response> {
    let who = poster(state, headers).await?;
    let file = uploaded(&who, multipart).await?;
    Ok((who, file))
}

fn refused(errors: &[RowError]) -> Response {
    let mut body = format!("<p role=\"alert\" id=\"form-error\">Nothing was imported: {} row{} of the file need{} changing.</p><ul id=\"row-errors\">", errors.len(), if errors.len() == 1 { "" } else { "s" }, if errors.len() == 1 { "s" } else { "" });
    for e in errors.iter().take(500) {
        let _ = write!(body, "<li>Row {}: {}</li>", e.row, esc(&e.message));
    }
    if errors.len() > 500 {
        let _ = write!(body, "<li>… and {} more.</li>", errors.len() - 500);
    }
    let _ = write!(body, "</ul><p><a href=\"{BACK}\">Back to the structure</a></p>");
    page(StatusCode::UNPROCESSABLE_ENTITY, "Please correct the file", &body)
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
        Ok(Imported::Refused(errors)) => refused(&errors),
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
        Ok(Imported::Done((added, moved))) => page(StatusCode::OK, "Units imported", &format!("<p role=\"status\" id=\"imported\">{added} units added, {moved} moved.</p><p><a href=\"{BACK}\">Back to the structure</a></p>")),
        Ok(Imported::Refused(errors)) => refused(&errors),
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
        Ok(Imported::Done(c)) => page(
            StatusCode::OK,
            "Employees imported",
            &format!("<p role=\"status\" id=\"imported\">{} added, {} moved, {} updated, {} marked as having left, {} back.</p><p><a href=\"{BACK}\">Back to the structure</a></p>", c.added, c.moved, c.updated, c.left, c.returned),
        ),
        Ok(Imported::Refused(errors)) => refused(&errors),
        Err(e) => staff_error(&who.language, e, BACK),
    }
}
