//! The integration API driven from its own OpenAPI document, on SQLite and
//! PostgreSQL: random operations with random path ids (our own, another
//! organisation's, made up), keys (valid, none, forged), query strings and
//! bodies (well-formed orders, mutated ones, arbitrary JSON, bytes). No
//! answer may be a 5xx, every status must be one the document lists for
//! the operation, and every body must match the schema documented for it.

use crate::common;

use common::{web, TestApp};
use proptest::{prelude::*, test_runner::{Config, TestRunner}};
use serde_json::{json, Value};

/// Checks `value` against `schema` (the subset of JSON Schema the
/// document uses: $ref, oneOf, type lists, properties, required, items).
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        return validate(doc, &doc["components"]["schemas"][name], value, at);
    }
    if let Some(options) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
        return if options.iter().any(|o| validate(doc, o, value, at).is_ok()) { Ok(()) } else { Err(format!("{at}: {value} matches none of {schema}")) };
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let fits = |t: &str| match t {
        "null" => value.is_null(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    };
    if !types.is_empty() && !types.iter().any(|t| fits(t)) {
        return Err(format!("{at}: {value} is not {types:?}"));
    }
    if let (Some(props), Some(object)) = (schema.get("properties").and_then(Value::as_object), value.as_object()) {
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(required) {
                return Err(format!("{at}: missing {required}"));
            }
        }
        for (name, sub) in props {
            if let Some(v) = object.get(name) {
                validate(doc, sub, v, &format!("{at}.{name}"))?;
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (n, v) in array.iter().enumerate() {
            validate(doc, items, v, &format!("{at}[{n}]"))?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
struct Operation {
    method: String,
    path: String,
    has_body: bool,
    responses: Value,
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            out.push(Operation { method: method.to_uppercase(), path: path.clone(), has_body: op.get("requestBody").is_some(), responses: op["responses"].clone() });
        }
    }
    out
}

/// One generated request.
#[derive(Debug, Clone)]
struct Request {
    op: usize,
    id: usize,
    random_id: String,
    key: usize,
    query: String,
    body: Body,
}

#[derive(Debug, Clone)]
enum Body {
    Order { name: String, email: String, language: Option<String>, external_id: Option<String>, extra: Option<(String, Value)> },
    Json(Value),
    Bytes(Vec<u8>),
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn request(ops: usize) -> impl Strategy<Value = Request> {
    let body = prop_oneof![
        (".{0,30}", prop_oneof![Just("cand@example.org".to_string()), "[a-z@. ]{0,20}"], proptest::option::of(prop_oneof![Just("en".to_string()), Just("de".to_string()), "[a-z]{0,4}"]), proptest::option::of(".{0,40}"), proptest::option::of(("[a-z_]{1,10}", arbitrary_json())))
            .prop_map(|(name, email, language, external_id, extra)| Body::Order { name, email, language, external_id, extra }),
        arbitrary_json().prop_map(Body::Json),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(Body::Bytes),
    ];
    // "." and ".." are not ids a client can send: the URL parser takes them
    // out of the path as dot segments, and the request goes to another route.
    let random_id = "[A-Za-z0-9._~-]{0,40}".prop_filter("a dot segment is no id", |id| id != "." && id != "..");
    (0..ops, 0..5_usize, random_id, 0..4_usize, prop_oneof![Just(String::new()), "limit=[-0-9]{1,4}", "cursor=[A-Za-z0-9_-]{0,24}", "[a-z]{1,5}=[a-z0-9%]{0,8}"], body)
        .prop_map(|(op, id, random_id, key, query, body)| Request { op, id, random_id, key, query, body })
}

struct World<'a> {
    app: &'a TestApp,
    /// How often each status was answered.
    seen: std::sync::Mutex<std::collections::BTreeMap<u16, usize>>,
    doc: Value,
    ops: Vec<Operation>,
    key: String,
    /// Our campaign, our invitation, another organisation's campaign and invitation.
    ids: [String; 4],
}

impl World<'_> {
    async fn send(&self, r: &Request) -> Result<(), String> {
        let op = &self.ops[r.op];
        let id = if r.id < 4 { self.ids[r.id].clone() } else { r.random_id.clone() };
        let mut url = format!("{}{}", self.app.base, op.path.replace("{id}", &id));
        if !r.query.is_empty() {
            url = format!("{url}?{}", r.query);
        }
        let mut req = if op.method == "GET" { self.app.client.get(&url) } else { self.app.client.post(&url) };
        req = match r.key {
            0 | 1 => req.header("authorization", format!("Bearer {}", self.key)),
            2 => req.header("authorization", "Bearer vgl_00000000_forged"),
            _ => req,
        };
        if op.has_body {
            let bytes = match &r.body {
                Body::Order { name, email, language, external_id, extra } => {
                    let mut order = json!({ "name": name, "email": email });
                    if let Some(l) = language {
                        order["language"] = l.clone().into();
                    }
                    if let Some(e) = external_id {
                        order["external_id"] = e.clone().into();
                    }
                    if let Some((k, v)) = extra {
                        order[k] = v.clone();
                    }
                    let body = if op.path.ends_with("/bulk") { json!({ "invitations": [order] }) } else { order };
                    body.to_string().into_bytes()
                }
                Body::Json(v) => v.to_string().into_bytes(),
                Body::Bytes(b) => b.clone(),
            };
            req = req.header("content-type", "application/json").body(bytes);
        }
        let res = req.send().await.map_err(|e| format!("{} {url}: {e}", op.method))?;
        let status = res.status().as_u16();
        *self.seen.lock().expect("lock").entry(status).or_default() += 1;
        let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let text = res.text().await.unwrap_or_default();
        let what = format!("{} {url} ({r:?}) -> {status}: {text:.300}", op.method);
        if status >= 500 {
            return Err(format!("a server error: {what}"));
        }
        let documented = &op.responses[status.to_string()];
        if !documented.is_object() {
            return Err(format!("an undocumented status: {what}"));
        }
        let (media, schema) = documented["content"].as_object().and_then(|c| c.iter().next()).map(|(m, c)| (m.clone(), c["schema"].clone())).unwrap_or_default();
        if !content_type.starts_with(&media) {
            return Err(format!("content type {content_type}, documented {media}: {what}"));
        }
        let body: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON ({e}): {what}"))?;
        validate(&self.doc, &schema, &body, "body").map_err(|e| format!("{e}: {what}"))
    }
}

on_both_databases! {
    async fn random_requests_from_the_openapi_document_never_fail_the_server_or_the_schema(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let people = web::people(&app).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        let battery = json!({ "instruments": [{ "instrument": "svi", "version": "1.0.0" }] }).to_string();
        let campaign = |org: String| {
            let (app, battery) = (&app, battery.clone());
            async move {
                app.db.store
                    .create_campaign(&vigil::store::NewCampaign { org_id: &org, name: "Fuzzed", role_family: "it", battery: &battery, time_limit_minutes: None, adaptive: false, candidate_feedback: false, invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None })
                    .await
                    .expect("campaign")
                    .id
            }
        };
        let (campaign_a, campaign_b) = (campaign(people.org_a.clone()).await, campaign(people.org_b.clone()).await);
        let invitation = |org: String, campaign: String, token: &'static str| {
            let app = &app;
            async move {
                app.db.store
                    .create_invitation(&vigil::store::NewInvitation { org_id: &org, campaign_id: &campaign, candidate_name: Some("F"), candidate_email: Some("f@example.org"), language: "en", token_hash: token, expires_at: i64::MAX / 2, created_by: None })
                    .await
                    .expect("invitation")
                    .invitation_id
            }
        };
        let invitation_a = invitation(people.org_a.clone(), campaign_a.clone(), "fuzz-a").await;
        let invitation_b = invitation(people.org_b.clone(), campaign_b.clone(), "fuzz-b").await;
        let mut form = vec![("name", "Fuzzer"), ("per_minute", "120000")];
        for s in ["campaigns:read", "invitations:read", "invitations:write", "results:read"] {
            form.push(("scope", s));
        }
        let (status, _, html) = web::post(&app, Some(&admin), "/admin/api-keys", &form).await;
        assert_eq!(status, 200);
        let key = html.split("<code id=\"secret\">").nth(1).and_then(|r| r.split('<').next()).expect("key").to_string();
        let served: Value = app.client.get(format!("{}/api/v1/openapi.json", app.base)).send().await.expect("doc").json().await.expect("JSON");
        assert_eq!(served, serde_json::from_str::<Value>(vigil::http::api_v1::openapi_json()).expect("doc"), "the served document is the router's");
        let ops = operations(&served);
        let world = World { app: &app, seen: Default::default(), doc: served, ops, key, ids: [campaign_a, invitation_a, campaign_b, invitation_b] };

        let cases = std::env::var("VIGIL_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(300);
        let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
        let handle = tokio::runtime::Handle::current();
        let outcome = tokio::task::block_in_place(|| {
            runner.run(&request(world.ops.len()), |r| {
                handle.block_on(world.send(&r)).map_err(TestCaseError::fail)
            })
        });
        if let Err(e) = outcome {
            panic!("{e}");
        }
        let seen = world.seen.lock().expect("lock").clone();
        eprintln!("{db:?}: statuses answered: {seen:?}");
        let answered: usize = seen.values().sum();
        assert!(answered >= cases as usize, "every case sent a request: {seen:?}");
        for wanted in [200, 401, 404, 422] {
            assert!(seen.get(&wanted).is_some_and(|n| *n >= 5), "the generator reaches {wanted} answers too: {seen:?}");
        }
    }
}
