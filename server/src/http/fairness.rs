//! Fairness: the candidate's optional group questions
//! (`/assessment/about-you`), the administrator's choice of questions and
//! notice (`/admin/fairness`), and the psychologist's comparison of groups
//! (`/fairness`). Short adapters over `crate::fairness`; the pages'
//! HTML is in `fairness_html`.

use axum::{
    extract::{Query, RawForm, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use app::cookies::candidate_cookie;

use super::{
    candidate::{candidate_page, error_response, forbidden},
    fairness_html,
    from_this_site,
    recruit::{field, fields, poster},
    staff::{caller, page_in, staff_error},
    AppState,
};
use crate::{
    fairness::{collect, report},
    staff::Caller,
};

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// `GET /assessment/about-you`: the questions, with the answers given so far.
pub async fn questions(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<Done>) -> Response {
    let result = async {
        let ctx = crate::candidate::context(&state.store, &state.catalog, candidate_cookie(&headers).as_deref()).await?;
        let lang = ctx.session.as_ref().map_or_else(|| "en".to_string(), |s| s.language.clone());
        Ok::<_, crate::candidate::CandidateError>((lang, collect::questions(&state.store, &ctx).await?))
    }
    .await;
    match result {
        Ok((lang, asked)) => {
            let w = app::i18n::group_questions_text(&lang);
            candidate_page(StatusCode::OK, &lang, w.title, &fairness_html::candidate_form(w, asked.as_ref(), q.done.as_deref()))
        }
        Err(e) => error_response(e),
    }
}

/// `POST /assessment/about-you` (`action` = save or remove).
pub async fn answer(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    if !from_this_site(&headers) {
        return forbidden();
    }
    let form = fields(&body);
    let remove = field(&form, "action") == "remove";
    let result = async {
        let ctx = crate::candidate::context(&state.store, &state.catalog, candidate_cookie(&headers).as_deref()).await?;
        if remove {
            collect::remove(&state.store, &ctx).await
        } else {
            collect::answer(&state.store, &ctx, &form).await
        }
    };
    match result.await {
        Ok(()) => Redirect::to(if remove { "/assessment/about-you?done=removed" } else { "/assessment/about-you?done=saved" }).into_response(),
        Err(e) => error_response(e),
    }
}

const ADMIN_BACK: &str = "/admin/fairness";

/// `GET /admin/fairness`: which questions candidates are offered, and the notice.
pub async fn settings(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<Done>) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    match collect::settings(&state.store, &who).await {
        Ok(s) => page_in(&who.language, StatusCode::OK, app::i18n::admin_text(&who.language).group_questions_title, &fairness_html::settings_form(&who.language, &s, q.done.is_some())),
        Err(e) => staff_error(&who.language, e, "/staff"),
    }
}

/// `POST /admin/fairness`: saves the choice (`variable` repeated) and the notices.
pub async fn save_settings(State(state): State<AppState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let who = match poster(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = fields(&body);
    let chosen: Vec<String> = f.iter().filter(|(k, _)| k == "variable").map(|(_, v)| v.clone()).collect();
    match collect::save_settings(&state.store, &who, &chosen, field(&f, "notice_en"), field(&f, "notice_de")).await {
        Ok(()) => Redirect::to("/admin/fairness?done=1").into_response(),
        Err(e) => staff_error(&who.language, e, ADMIN_BACK),
    }
}

/// `GET /fairness` (query: bank, campaign, variable, reference, cut_scale, cut).
pub async fn check(State(state): State<AppState>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let who = match caller(&state, &headers).await {
        Ok(i) => Caller::from(&i),
        Err(r) => return r,
    };
    let q = fields(query.unwrap_or_default().as_bytes());
    let asked = match report::FairnessQuery::from_fields(&q) {
        Ok(a) => a,
        Err(e) => return staff_error(&who.language, e, "/fairness"),
    };
    match report::page(&state.store, &state.catalog, &who, asked).await {
        Ok(p) => {
            let t = app::i18n::analysis_text(&who.language);
            page_in(&who.language, StatusCode::OK, t.fairness_title, &fairness_html::check_page(t, &who.language, &p, &q))
        }
        Err(e) => staff_error(&who.language, e, "/fairness"),
    }
}
