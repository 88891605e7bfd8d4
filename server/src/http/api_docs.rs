//! `GET /api/docs`: the integration API's reference, read from the same
//! OpenAPI document that `/api/v1/openapi.json` serves (so the page and
//! the API cannot disagree), with the problem types each error's `type`
//! points to. Plain HTML, no script.

use std::fmt::Write as _;

use axum::{http::StatusCode, response::Response};
use serde_json::Value;

use super::staff::{esc, page};
use crate::api::error::{problem_type, PROBLEMS};

fn schema_name(v: &Value) -> String {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    if let Some(items) = v.get("items") {
        return format!("array of {}", schema_name(items));
    }
    if let Some(options) = v.get("oneOf").or_else(|| v.get("anyOf")).and_then(Value::as_array) {
        return options.iter().map(schema_name).collect::<Vec<_>>().join(" or ");
    }
    match v.get("type") {
        Some(Value::String(t)) => esc(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(esc).collect::<Vec<_>>().join(" or "),
        _ => "object".into(),
    }
}

fn operation(html: &mut String, method: &str, path: &str, op: &Value) {
    let id = op["operationId"].as_str().unwrap_or_default();
    let _ = write!(html, "<section class=\"api-operation\" id=\"{}\"><h3><code>{} {}</code></h3>", esc(id), esc(&method.to_uppercase()), esc(path));
    if let Some(summary) = op["summary"].as_str() {
        let _ = write!(html, "<p>{}</p>", esc(summary));
    }
    let scopes: Vec<&str> = op["security"][0]["api_key"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let _ = write!(html, "<p>Scope: <code>{}</code></p>", esc(&scopes.join(", ")));
    if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        html.push_str("<table class=\"data\"><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>");
        for p in params {
            let _ = write!(
                html,
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(p["name"].as_str().unwrap_or_default()),
                if p["required"] == true { " (required)" } else { "" },
                esc(p["in"].as_str().unwrap_or_default()),
                schema_name(&p["schema"]),
                esc(p["description"].as_str().unwrap_or_default())
            );
        }
        html.push_str("</tbody></table>");
    }
    if let Some(body) = op["requestBody"]["content"]["application/json"]["schema"].as_object() {
        let _ = write!(html, "<p>Request body (JSON): {}</p>", schema_name(&Value::Object(body.clone())));
    }
    html.push_str("<ul>");
    for (status, r) in op["responses"].as_object().into_iter().flatten() {
        let schema = r["content"].as_object().and_then(|c| c.values().next()).map(|c| schema_name(&c["schema"])).unwrap_or_default();
        let _ = write!(html, "<li><strong>{}</strong> {} {}</li>", esc(status), esc(r["description"].as_str().unwrap_or_default()), schema);
    }
    html.push_str("</ul></section>");
}

fn schema(html: &mut String, name: &str, s: &Value) {
    let _ = write!(html, "<section class=\"api-schema\" id=\"schema-{0}\"><h3>{0}</h3>", esc(name));
    if let Some(d) = s["description"].as_str() {
        let _ = write!(html, "<p>{}</p>", esc(d));
    }
    let required: Vec<&str> = s["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    if let Some(props) = s["properties"].as_object() {
        html.push_str("<table class=\"data\"><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>");
        for (field, p) in props {
            let _ = write!(
                html,
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                esc(field),
                if required.contains(&field.as_str()) { " (required)" } else { "" },
                schema_name(p),
                esc(p["description"].as_str().unwrap_or_default())
            );
        }
        html.push_str("</tbody></table>");
    }
    html.push_str("</section>");
}

/// The reference as HTML (escaped here).
pub fn body(doc: &Value) -> String {
    let mut html = String::new();
    let _ = write!(html, "<p>{}</p>", esc(doc["info"]["description"].as_str().unwrap_or_default()));
    html.push_str("<p>The machine-readable document: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3.1). Keys are created by an administrator under <a href=\"/admin/integrations\">Integrations</a>.</p><h2>Operations</h2>");
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            operation(&mut html, method, path, op);
        }
    }
    html.push_str("<h2 id=\"problems\">Problems</h2><p>Every error is a problem document (<code>application/problem+json</code>, RFC 9457) whose <code>type</code> is one of these:</p><table class=\"data\"><thead><tr><th>type</th><th>Status</th><th>Title</th></tr></thead><tbody>");
    for (slug, status, title) in PROBLEMS {
        let _ = write!(html, "<tr id=\"problem-{}\"><td><code>{}</code></td><td>{status}</td><td>{}</td></tr>", esc(slug), esc(&problem_type(slug)), esc(title));
    }
    html.push_str("</tbody></table><h2>Documents</h2>");
    for (name, s) in doc["components"]["schemas"].as_object().into_iter().flatten() {
        schema(&mut html, name, s);
    }
    html
}

/// `GET /api/docs`.
pub async fn reference() -> Response {
    let doc: Value = serde_json::from_str(super::api_v1::openapi_json()).unwrap_or_default();
    page(StatusCode::OK, "Vigil integration API", &body(&doc))
}
