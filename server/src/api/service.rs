//! The integration API's operations: each checks the key's scope, scopes
//! every read to the key's organisation (another organisation's campaign
//! or invitation is "not found"), applies the same rules as the web app
//! (`crate::recruit`) and records an audit entry naming the key.

use app::recruit::model::{CandidateStatus, Profile};

use super::{
    error::ApiError,
    keys::{ApiCaller, Scope},
    model,
};
use crate::{
    battery::BatteryFile,
    catalog::Catalog,
    recruit::{
        candidate_status, csv_import,
        invitations::{email_key, invite_items, resend_row, revoke_row, Invitation},
        profile::{build, english},
    },
    store::{Actor, AuditEntry, Campaign, CandidateStateRow, Invited, Inviter, Store},
    time::{now_ms, rfc3339_utc},
};

/// Most invitations one bulk order may hold.
pub const MAX_BULK: usize = 1000;
/// Longest external id.
pub const MAX_EXTERNAL_ID_CHARS: usize = 200;
/// Results per page of the feed, at most.
pub const MAX_PAGE: i64 = 500;
/// Results enter the feed this long after they complete, so a page never
/// passes over a completion still being committed (the feed is stable
/// under concurrent writes).
pub const SETTLE_MS: i64 = 2_000;

/// How long the answer to a request with an `Idempotency-Key` is kept (a
/// retry within it gets the same answer; the clean-up deletes it after).
pub const IDEMPOTENCY_KEEP_MS: i64 = 24 * 3_600_000;

pub type ApiResult<T> = Result<T, ApiError>;

/// Records that the key did `action` (every call, reads too).
pub async fn audit(store: &Store, caller: &ApiCaller, action: &str, object_type: &str, object_id: Option<&str>, detail: serde_json::Value) -> ApiResult<()> {
    let mut detail = detail;
    detail["api_key"] = serde_json::Value::String(caller.name.clone());
    store
        .audit(&AuditEntry { org_id: Some(&caller.org_id), actor: Actor::ApiKey(&caller.key_id), action, object_type, object_id, detail: Some(detail.to_string()) })
        .await?;
    Ok(())
}

fn campaign_doc(catalog: &Catalog, c: &Campaign) -> model::Campaign {
    let instruments = BatteryFile::of(c)
        .map(|b| {
            b.instruments
                .iter()
                .map(|e| model::InstrumentRef {
                    id: e.instrument.clone(),
                    version: e.version.clone(),
                    title: catalog.get(&e.instrument, &e.version).map(|entry| english(&entry.bank.file().instrument.title)).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    model::Campaign {
        id: c.id.clone(),
        name: c.name.clone(),
        role_family: c.role_family.clone(),
        status: c.status.clone(),
        adaptive: c.adaptive != 0,
        time_limit_minutes: c.time_limit_minutes,
        invitation_days: c.invitation_ttl_days,
        instruments,
        created_at: rfc3339_utc(c.created_at),
    }
}

/// `GET /campaigns`.
pub async fn campaigns(store: &Store, catalog: &Catalog, caller: &ApiCaller) -> ApiResult<model::CampaignList> {
    caller.require(Scope::CampaignsRead)?;
    let campaigns = store.campaigns_of(&caller.org_id).await?.iter().map(|c| campaign_doc(catalog, c)).collect();
    audit(store, caller, "api.campaigns.listed", "organisation", Some(&caller.org_id), serde_json::json!({})).await?;
    Ok(model::CampaignList { campaigns })
}

async fn own_campaign(store: &Store, caller: &ApiCaller, id: &str) -> ApiResult<Campaign> {
    store.campaign(&caller.org_id, id).await?.ok_or(ApiError::NotFound)
}

/// `GET /campaigns/{id}`.
pub async fn campaign(store: &Store, catalog: &Catalog, caller: &ApiCaller, id: &str) -> ApiResult<model::Campaign> {
    caller.require(Scope::CampaignsRead)?;
    let c = own_campaign(store, caller, id).await?;
    audit(store, caller, "api.campaign.read", "campaign", Some(&c.id), serde_json::json!({})).await?;
    Ok(campaign_doc(catalog, &c))
}

/// An invitation of the organisation with its campaign, or `NotFound`.
async fn own_invitation(store: &Store, caller: &ApiCaller, id: &str) -> ApiResult<(Campaign, CandidateStateRow)> {
    let row = store.candidate_state(&caller.org_id, id).await?.ok_or(ApiError::NotFound)?;
    let campaign = own_campaign(store, caller, &row.campaign_id).await?;
    Ok((campaign, row))
}

fn result_url(invitation_id: &str) -> String {
    format!("/api/v1/invitations/{invitation_id}/result")
}

fn invitation_doc(row: &CandidateStateRow, now: i64) -> model::Invitation {
    let status = candidate_status(row, now);
    let erased = row.erased_at.is_some();
    model::Invitation {
        id: row.invitation_id.clone(),
        campaign_id: row.campaign_id.clone(),
        external_id: row.external_id.clone(),
        name: if erased { String::new() } else { row.name.clone().unwrap_or_default() },
        email: if erased { String::new() } else { row.email.clone().unwrap_or_default() },
        language: row.language.clone(),
        status: status.as_str().to_string(),
        invited_at: rfc3339_utc(row.invited_at),
        expires_at: rfc3339_utc(row.expires_at),
        completed_at: row.completed_at.filter(|_| status == CandidateStatus::Completed).map(rfc3339_utc),
        result_url: (status == CandidateStatus::Completed).then(|| result_url(&row.invitation_id)),
    }
}

/// One order, checked; `index` names it in errors of a bulk order.
#[derive(Debug)]
struct Checked {
    name: String,
    email: String,
    language: String,
    external_id: Option<String>,
    send_email: bool,
}

fn check(i: &model::NewInvitation, at: &str) -> ApiResult<Checked> {
    let invalid = |field: &str, detail: String| ApiError::Invalid { field: format!("{at}{field}"), detail };
    let name = csv_import::valid_name(&i.name).map_err(|e| invalid("name", e))?;
    let email = csv_import::valid_email(&i.email).map_err(|e| invalid("email", e))?;
    let language = i.language.clone().unwrap_or_else(|| "en".into());
    if !csv_import::LANGUAGES.contains(&language.as_str()) {
        return Err(invalid("language", format!("{language:?} is not a language Vigil offers; use one of {}.", csv_import::LANGUAGES.join(", "))));
    }
    let external_id = i.external_id.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_string);
    if let Some(e) = &external_id {
        if e.chars().count() > MAX_EXTERNAL_ID_CHARS || e.chars().any(char::is_control) {
            return Err(invalid("external_id", format!("at most {MAX_EXTERNAL_ID_CHARS} characters, without control characters")));
        }
    }
    Ok(Checked { name, email, language, external_id, send_email: i.send_email.unwrap_or(true) })
}

/// `POST /campaigns/{id}/invitations` and `/invitations/bulk`: every order
/// is checked before anything is created (one bad field: nothing is);
/// an address already invited to the campaign creates nothing new.
pub async fn invite(store: &Store, caller: &ApiCaller, campaign_id: &str, orders: &[model::NewInvitation], bulk: bool, base_url: &str) -> ApiResult<model::BulkCreated> {
    caller.require(Scope::InvitationsWrite)?;
    let campaign = own_campaign(store, caller, campaign_id).await?;
    if campaign.status != "open" {
        return Err(ApiError::Conflict("This campaign is closed; new invitations are not accepted.".into()));
    }
    if bulk && (orders.is_empty() || orders.len() > MAX_BULK) {
        return Err(ApiError::Invalid { field: "invitations".into(), detail: format!("from 1 to {MAX_BULK} invitations per request") });
    }
    let checked = orders
        .iter()
        .enumerate()
        .map(|(n, o)| check(o, &if bulk { format!("invitations[{n}].") } else { String::new() }))
        .collect::<ApiResult<Vec<_>>>()?;
    let mut seen = std::collections::HashSet::new();
    for (n, c) in checked.iter().enumerate() {
        if !seen.insert(c.email.as_str()) {
            return Err(ApiError::Invalid { field: format!("invitations[{n}].email"), detail: format!("{} appears more than once in this request", c.email) });
        }
    }
    let now = now_ms();
    let people: Vec<Invitation<'_>> = checked
        .iter()
        .map(|c| Invitation { name: &c.name, email: &c.email, language: &c.language, external_id: c.external_id.as_deref(), send_email: c.send_email })
        .collect();
    let (items, links) = invite_items(store, &campaign, base_url, &people, now).await?;
    let outcomes = store.invite_batch(&caller.org_id, &campaign.id, Inviter::ApiKey(&caller.key_id), &items, now).await?;
    let mut done = model::BulkCreated { created: Vec::new(), already_invited: Vec::new() };
    for (index, ((c, link), outcome)) in checked.iter().zip(links).zip(outcomes).enumerate() {
        match outcome {
            Invited::Created { invitation_id } => {
                let row = CandidateStateRow {
                    invitation_id,
                    campaign_id: campaign.id.clone(),
                    invitation_status: "active".into(),
                    expires_at: items[index].expires_at,
                    language: c.language.clone(),
                    invited_at: now,
                    name: Some(c.name.clone()),
                    email: Some(c.email.clone()),
                    session_id: None,
                    session_status: None,
                    deadline_at: None,
                    completed_at: None,
                    erased_at: None,
                    auto_reminded_at: None,
                    external_id: c.external_id.clone(),
                };
                done.created.push(model::CreatedInvitation { invitation: invitation_doc(&row, now), link });
            }
            Invited::AlreadyInvited => {
                let invitation_id = store.invitation_by_email_key(&caller.org_id, &campaign.id, &email_key(&c.email)).await?.unwrap_or_default();
                done.already_invited.push(model::AlreadyInvited { index, email: c.email.clone(), invitation_id });
            }
        }
    }
    let detail = serde_json::json!({ "campaign": campaign.id, "created": done.created.len(), "already_invited": done.already_invited.len() });
    match (bulk, done.created.first()) {
        (false, Some(one)) => audit(store, caller, "invitation.created", "invitation", Some(&one.invitation.id), detail).await?,
        _ => audit(store, caller, "invitations.created", "campaign", Some(&campaign.id), detail).await?,
    }
    Ok(done)
}

/// `GET /invitations/{id}`.
pub async fn invitation(store: &Store, caller: &ApiCaller, id: &str) -> ApiResult<model::Invitation> {
    caller.require(Scope::InvitationsRead)?;
    let (_, row) = own_invitation(store, caller, id).await?;
    audit(store, caller, "api.invitation.read", "invitation", Some(&row.invitation_id), serde_json::json!({})).await?;
    Ok(invitation_doc(&row, now_ms()))
}

/// `POST /invitations/{id}/revoke`.
pub async fn revoke(store: &Store, caller: &ApiCaller, id: &str) -> ApiResult<model::Invitation> {
    caller.require(Scope::InvitationsWrite)?;
    let (campaign, row) = own_invitation(store, caller, id).await?;
    revoke_row(store, &caller.org_id, &row, Actor::ApiKey(&caller.key_id)).await?;
    let row = store.campaign_candidate(&caller.org_id, &campaign.id, id).await?.ok_or(ApiError::NotFound)?;
    Ok(invitation_doc(&row, now_ms()))
}

/// `POST /invitations/{id}/resend`: a new link by e-mail; the old one stops working.
pub async fn resend(store: &Store, caller: &ApiCaller, id: &str, base_url: &str) -> ApiResult<model::Invitation> {
    caller.require(Scope::InvitationsWrite)?;
    let (campaign, row) = own_invitation(store, caller, id).await?;
    resend_row(store, &campaign, &row, Actor::ApiKey(&caller.key_id), base_url).await?;
    let row = store.campaign_candidate(&caller.org_id, &campaign.id, id).await?.ok_or(ApiError::NotFound)?;
    Ok(invitation_doc(&row, now_ms()))
}

/// What every result says about what scores can and cannot tell.
pub const RESULT_NOTE: &str = "Scores compare a candidate's self-description with a norm group; each comes with its 90% band, and differences inside a band are not meaningful. \
They describe, they do not predict one person's behaviour; they inform a human decision and never make it.";

fn band_name(band: app::recruit::model::BandKind) -> &'static str {
    use app::recruit::model::BandKind;
    match band {
        BandKind::Low => "low",
        BandKind::Average => "average",
        BandKind::High => "high",
    }
}

fn result_doc(profile: &Profile, row: &CandidateStateRow) -> model::AssessmentResult {
    let instruments = profile
        .instruments
        .iter()
        .map(|i| model::InstrumentResult {
            instrument: i.instrument.clone(),
            title: i.title.clone(),
            version: i.version.clone(),
            bank_hash: i.bank_hash.clone(),
            engine_version: i.engine_version.clone(),
            adaptive: i.adaptive,
            demonstration_parameters: i.demonstration_parameters,
            norm: i.norm.as_ref().map(|n| model::Norm {
                id: n.id.clone(),
                group: n.group.clone(),
                country: n.country.clone(),
                role_family: n.role_family.clone(),
                n: n.n,
                quality: n.quality.clone(),
                demonstration: n.demonstration,
                collected_from: n.collected_from.clone(),
                collected_to: n.collected_to.clone(),
            }),
            validity: model::Validity { status: i.validity.status.as_str().to_string(), reasons: i.validity.reasons.clone() },
            scales: i
                .scales
                .iter()
                .map(|s| model::Scale {
                    scale: s.scale.clone(),
                    name: s.name.clone(),
                    kind: s.kind.clone(),
                    method: s.method.clone(),
                    scorable: s.scorable,
                    items: s.items,
                    answered: s.answered,
                    normed: s.normed.map(|n| model::Normed {
                        t: n.t,
                        t_band: n.t_band,
                        percentile: n.percentile,
                        percentile_band: n.percentile_band,
                        sten: n.sten,
                        sten_band: n.sten_band,
                        band: band_name(n.band).to_string(),
                    }),
                    interpretation: s.interpretation.clone(),
                })
                .collect(),
        })
        .collect();
    model::AssessmentResult {
        invitation_id: row.invitation_id.clone(),
        campaign_id: row.campaign_id.clone(),
        external_id: row.external_id.clone(),
        status: profile.status.as_str().to_string(),
        completed_at: row.completed_at.filter(|_| profile.status == CandidateStatus::Completed).map(rfc3339_utc),
        instruments,
        report_url: format!("/campaigns/{}/candidates/{}/print", row.campaign_id, row.invitation_id),
        note: RESULT_NOTE.to_string(),
    }
}

/// `GET /invitations/{id}/result`: the profile's scores, never answers.
pub async fn result(store: &Store, catalog: &Catalog, caller: &ApiCaller, id: &str) -> ApiResult<model::AssessmentResult> {
    caller.require(Scope::ResultsRead)?;
    let (campaign, row) = own_invitation(store, caller, id).await?;
    let profile = build(store, catalog, &caller.org_id, &campaign, &row, "en").await?;
    audit(store, caller, "api.result.read", "invitation", Some(&row.invitation_id), serde_json::json!({ "campaign": campaign.id })).await?;
    Ok(result_doc(&profile, &row))
}

/// The opaque cursor of the results feed: where the last page ended.
fn encode_cursor(at: i64, id: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{at}:{id}"))
}

fn decode_cursor(cursor: &str) -> ApiResult<(i64, String)> {
    use base64::Engine;
    let bad = || ApiError::Invalid { field: "cursor".into(), detail: "not a cursor this feed gave out; start without one".into() };
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad)?;
    let (at, id) = text.split_once(':').ok_or_else(bad)?;
    Ok((at.parse().map_err(|_| bad())?, id.to_string()))
}

/// `GET /results?cursor=&limit=`: results completed after the cursor, oldest first.
pub async fn results_since(store: &Store, caller: &ApiCaller, cursor: Option<&str>, limit: Option<i64>) -> ApiResult<model::ResultsPage> {
    caller.require(Scope::ResultsRead)?;
    let limit = limit.unwrap_or(100);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::Invalid { field: "limit".into(), detail: format!("from 1 to {MAX_PAGE}") });
    }
    let after = cursor.filter(|c| !c.is_empty()).map(decode_cursor).transpose()?;
    let mut rows = store.results_changed(&caller.org_id, after.as_ref().map(|(at, id)| (*at, id.as_str())), now_ms() - SETTLE_MS, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = match (rows.last(), &after) {
        (Some(last), _) => encode_cursor(last.completed_at, &last.invitation_id),
        (None, Some((at, id))) => encode_cursor(*at, id),
        (None, None) => String::new(),
    };
    audit(store, caller, "api.results.listed", "organisation", Some(&caller.org_id), serde_json::json!({ "count": rows.len() })).await?;
    Ok(model::ResultsPage {
        results: rows
            .into_iter()
            .map(|r| model::ResultChange { result_url: result_url(&r.invitation_id), invitation_id: r.invitation_id, campaign_id: r.campaign_id, external_id: r.external_id, completed_at: rfc3339_utc(r.completed_at) })
            .collect(),
        next_cursor,
        has_more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_a_forged_one_is_refused() {
        let c = encode_cursor(1_795_437_909_000, "abc-123");
        assert_eq!(decode_cursor(&c).expect("own cursor"), (1_795_437_909_000, "abc-123".to_string()));
        for forged in ["!!", "bm90LWEtY3Vyc29y", ""] {
            assert!(matches!(decode_cursor(forged), Err(ApiError::Invalid { .. })), "{forged}");
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        let good = model::NewInvitation { name: "Ada".into(), email: "ada@example.org".into(), language: None, external_id: Some("app-1".into()), send_email: None };
        assert!(check(&good, "").is_ok());
        let cases = [
            (model::NewInvitation { email: "not-an-address".into(), ..good.clone() }, "invitations[2].email"),
            (model::NewInvitation { language: Some("xx".into()), ..good.clone() }, "invitations[2].language"),
            (model::NewInvitation { name: " ".into(), ..good.clone() }, "invitations[2].name"),
            (model::NewInvitation { external_id: Some("x".repeat(201)), ..good.clone() }, "invitations[2].external_id"),
        ];
        for (bad, field) in cases {
            match check(&bad, "invitations[2].") {
                Err(ApiError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
