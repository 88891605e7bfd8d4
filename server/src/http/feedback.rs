//! `/assessment/feedback`: the feedback report for the person who took the
//! assessment, on screen and as a printable page, in their language. A
//! short adapter over `crate::candidate::feedback`.

use std::fmt::Write as _;

use axum::{extract::State, http::HeaderMap, http::StatusCode, response::Response};

use app::cookies::candidate_cookie;
use assessments::norms::derived::{BandLabel, T_AVERAGE_FROM, T_AVERAGE_TO};

use super::{
    candidate::{candidate_page, error_response},
    staff::esc,
    AppState,
};
use crate::candidate::feedback::{report, FeedbackReport, ScaleFeedback};
use app::i18n::{feedback_text, FeedbackText as Words};






fn words(lang: &str) -> &'static Words {
    feedback_text(lang)
}

fn range_word(w: &Words, label: BandLabel) -> &'static str {
    match label {
        BandLabel::Low => w.range_lower,
        BandLabel::Average => w.range_middle,
        BandLabel::High => w.range_higher,
    }
}

/// Where the answers place the person, in words.
fn placement(w: &Words, scale: &ScaleFeedback) -> String {
    if scale.between() {
        w.between.replace("{low}", range_word(w, scale.band[0])).replace("{high}", range_word(w, scale.band[1]))
    } else {
        w.placed.replace("{range}", range_word(w, scale.range))
    }
}

/// T 20 to 80 across 300 units.
fn x_of(t: i32) -> i32 {
    (t.clamp(20, 80) - 20) * 5
}

/// The three ranges side by side with the person's band over them: a
/// picture of the sentence beside it (hidden from screen readers, which
/// read the sentence).
fn picture(w: &Words, scale: &ScaleFeedback) -> String {
    let (from, to) = (x_of(T_AVERAGE_FROM), x_of(T_AVERAGE_TO));
    let (lo, hi) = (x_of(scale.t_band[0]), x_of(scale.t_band[1]).max(x_of(scale.t_band[0]) + 4));
    format!(
        "<svg class=\"feedback-range\" viewBox=\"0 0 300 34\" width=\"300\" height=\"34\" aria-hidden=\"true\" focusable=\"false\">\
         <rect x=\"0\" y=\"8\" width=\"{from}\" height=\"12\" class=\"zone zone-low\"/><rect x=\"{from}\" y=\"8\" width=\"{}\" height=\"12\" class=\"zone zone-middle\"/>\
         <rect x=\"{to}\" y=\"8\" width=\"{}\" height=\"12\" class=\"zone zone-high\"/><rect x=\"{lo}\" y=\"4\" width=\"{}\" height=\"20\" rx=\"4\" class=\"you\"/>\
         <text x=\"150\" y=\"33\" text-anchor=\"middle\" class=\"legend\">{}</text></svg>",
        to - from,
        300 - to,
        hi - lo,
        esc(w.picture)
    )
}

fn report_html(r: &FeedbackReport, w: &Words) -> String {
    let mut html = String::new();
    let _ = write!(html, "<p>{}</p><p class=\"small no-print\">{}</p>", esc(w.intro), esc(w.print));
    for i in &r.instruments {
        let _ = write!(html, "<section class=\"feedback-instrument\"><h2>{}</h2>", esc(&i.title));
        if i.demonstration {
            let _ = write!(html, "<p class=\"notice\">{}</p>", esc(w.demonstration));
        }
        if i.not_readable {
            let _ = write!(html, "<p class=\"notice\" id=\"not-readable\">{}</p>", esc(w.not_readable));
        } else if i.scales.is_empty() {
            let _ = write!(html, "<p>{}</p>", esc(w.nothing));
        }
        for s in &i.scales {
            let _ = write!(
                html,
                "<article class=\"feedback-scale\"><h3>{}</h3><p class=\"small\">{}</p><p class=\"placement\"><strong>{}</strong></p>{}<p>{}</p></article>",
                esc(&s.name),
                esc(&s.about),
                esc(&placement(w, s)),
                picture(w, s),
                esc(&s.meaning)
            );
        }
        let _ = write!(html, "<h3>{}</h3><p>{}</p><h3>{}</h3><p>{}</p></section>", esc(w.how), esc(&i.method), esc(w.cannot), esc(&i.cannot));
    }
    let _ = write!(html, "<p class=\"no-print\"><a href=\"/assessment\">{}</a></p>", esc(w.back));
    html
}

/// `GET /assessment/feedback`.
pub async fn feedback(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        let ctx = crate::candidate::context(&state.store, &state.catalog, candidate_cookie(&headers).as_deref()).await?;
        report(&state.store, &state.catalog, &ctx).await
    }
    .await;
    match result {
        Ok(r) => {
            let w = words(&r.lang);
            candidate_page(StatusCode::OK, &r.lang, w.title, &report_html(&r, w))
        }
        Err(e) => error_response(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale(t_band: [i32; 2], range: BandLabel) -> ScaleFeedback {
        use assessments::norms::derived::band_label;
        ScaleFeedback { name: "Vigilance".into(), about: "".into(), range, band: [band_label(t_band[0]), band_label(t_band[1])], t_band, meaning: "".into() }
    }

    #[test]
    fn the_placement_says_between_when_the_band_crosses_a_range_boundary() {
        assert_eq!(placement(words("en"), &scale([44, 56], BandLabel::Average)), "Your answers place you in the middle range of the reference group.");
        assert_eq!(placement(words("en"), &scale([55, 66], BandLabel::Average)), "Your result lies between the middle and the higher range: the measurement is not precise enough to say which.");
        assert_eq!(placement(words("de"), &scale([30, 38], BandLabel::Low)), "Ihre Antworten liegen im unteren Bereich der Bezugsgruppe.");
    }

    #[test]
    fn the_picture_places_the_band_on_the_ranges_and_stays_inside_them() {
        let svg = picture(words("en"), &scale([55, 66], BandLabel::Average));
        assert!(svg.contains("<rect x=\"175\" y=\"4\" width=\"55\""), "{svg}");
        let far = picture(words("en"), &scale([5, 12], BandLabel::Low));
        assert!(far.contains("<rect x=\"0\" y=\"4\" width=\"4\""), "a band beyond the picture is drawn at its edge: {far}");
        assert!(svg.contains("aria-hidden=\"true\""));
    }
}
