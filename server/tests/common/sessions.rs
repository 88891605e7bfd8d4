//! Completed sessions made the fast way: simulated respondents of a shipped
//! bank's population model, stored as the analysis sheets finishing writes
//! (for the psychologist's tools, which read only those).

use assessments::{
    responses::Responses,
    simulate::{SimulationOptions, Simulator},
};
use vigil::{
    catalog::Catalog,
    store::{NewCampaign, NewInvitation, NewSession, NewSheet, Store},
};


/// `valid` sessions with valid answers and `invalid` with invalid ones of
/// `svi@version` in a new campaign of `org`, each changed by `adjust`
/// first; gives the campaign and the valid sessions' answers.
pub async fn simulated(s: &Store, org: &str, version: &str, (valid, invalid): (usize, usize), seed: u64, adjust: impl Fn(&mut Responses)) -> (String, Vec<Responses>) {
    let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
    let svi = catalog.get("svi", version).expect("svi");
    let battery = serde_json::json!({ "instruments": [{ "instrument": "svi", "version": version }] }).to_string();
    let campaign = s
        .create_campaign(&NewCampaign { org_id: org, name: "Study", role_family: "security", battery: &battery, time_limit_minutes: None, adaptive: false, candidate_feedback: false, invitation_ttl_days: 14, created_by: None, reminder_days: None, link_base: None })
        .await
        .expect("campaign")
        .id;
    let people = Simulator::new(&svi.bank, svi.model.as_ref().expect("model")).expect("simulator").simulate(&SimulationOptions { n: valid + invalid, seed, ..SimulationOptions::default() });
    let mut sheets = Vec::new();
    let mut kept = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let invitation = s
            .create_invitation(&NewInvitation { org_id: org, campaign_id: &campaign, candidate_name: Some("Nora Norm"), candidate_email: None, language: "en", token_hash: &format!("{campaign}-{i}"), expires_at: i64::MAX / 2, created_by: None })
            .await
            .expect("invitation")
            .invitation_id;
        let session = s.start_session(&NewSession { org_id: org, campaign_id: &campaign, invitation_id: &invitation, notice_version: "n", language: "en", seed: i as i64, deadline_at: None }).await.expect("session");
        let mut responses = person.responses.clone();
        adjust(&mut responses);
        let status = if i < valid { "ok" } else { "invalid" };
        let record = vigil::sheets::record_of(&svi.bank, &responses);
        if i < valid {
            kept.push(responses);
        }
        sheets.push((session, vigil::time::now_ms(), NewSheet { instrument: "svi".into(), bank_version: version.into(), campaign_id: campaign.clone(), language: "en".into(), adaptive: false, validity_status: status.into(), record }));
    }
    s.insert_sheets(org, &sheets).await.expect("sheets");
    (campaign, kept)
}
