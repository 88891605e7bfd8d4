//! The demo organisation's group answers, so the fairness check has
//! something to compare: every question asked under Vigil's notice, and
//! each completed session given answers by its place in its campaign
//! (simulated people, unrelated to their answers, so no real bias).

use super::variables::{DEFAULT_NOTICE_DE, DEFAULT_NOTICE_EN, VARIABLES};
use crate::{
    store::{GroupSettingsRow, Store, StoreResult},
    time::now_ms,
};

/// The answers of the `i`-th simulated person: of every 20, 9 women, 9 men,
/// 1 "in another way" and 1 who prefers not to say; ages in turn; 4 in 5
/// answering in their first language.
fn simulated_answers(i: usize) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let gender = match i % 20 {
        18 => Some("another"),
        19 => None,
        k if k % 2 == 0 => Some("woman"),
        _ => Some("man"),
    };
    if let Some(g) = gender {
        out.push(("gender", g));
    }
    out.push(("age_band", ["under_30", "30_44", "45_plus"][i % 3]));
    out.push(("first_language", if i % 5 == 4 { "no" } else { "yes" }));
    out
}

/// Asks every question (unless the organisation chose already) and gives
/// answers to its completed sessions that have none; returns how many got them.
pub async fn seed(store: &Store, org_id: &str) -> StoreResult<usize> {
    if store.group_settings(org_id).await?.is_none() {
        let ids: Vec<&str> = VARIABLES.iter().map(|v| v.id).collect();
        let row = GroupSettingsRow { variables: ids.join(","), notice_en: DEFAULT_NOTICE_EN.into(), notice_de: DEFAULT_NOTICE_DE.into(), updated_at: now_ms() };
        store.save_group_settings(org_id, &row, None).await?;
    }
    let mut given = 0;
    for campaign in store.campaigns_of(org_id).await? {
        for (i, session) in store.completed_sessions(org_id, &campaign.id).await?.iter().enumerate() {
            if store.group_answers_of(org_id, session).await?.is_empty() {
                store.save_group_answers(org_id, session, &simulated_answers(i), now_ms()).await?;
                given += 1;
            }
        }
    }
    Ok(given)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::variables::variable;

    #[test]
    fn simulated_answers_are_answers_the_questions_offer() {
        let mut women = 0;
        for i in 0..200 {
            for (v, value) in simulated_answers(i) {
                assert!(variable(v).and_then(|v| v.choice(value)).is_some(), "{v}={value}");
                women += usize::from(value == "woman");
            }
        }
        assert_eq!(women, 90);
    }
}
