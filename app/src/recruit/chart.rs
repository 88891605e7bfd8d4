//! The T-score chart: geometry as small pure functions, and the SVG built
//! from them.
//!
//! The horizontal axis is the T scale from 20 to 80 (mean 50, SD 10 in the
//! norm group). Three shaded norm bands mark the interpretation ranges
//! (T < 40 lower, 40 to 60 average, T > 60 higher, PSYCHOMETRICS.md
//! section 3). Each row holds one candidate: a bar for the 90% band and a
//! marker for the observed T. Values outside 20..80 are drawn at the edge;
//! the accessible description and the text beside the chart always give the
//! real numbers. Colours are neutral (no red/green) and carry no meaning
//! that the text does not also give.

use crate::i18n::{fill, StaffText};
use leptos::prelude::*;

use super::model::{BandKind, NormedView};

/// Lowest T on the axis.
pub const T_MIN: i32 = 20;
/// Highest T on the axis.
pub const T_MAX: i32 = 80;
/// T where the lower band ends and the average band begins.
pub const T_LOWER_END: i32 = assessments::norms::T_AVERAGE_FROM;
/// T where the average band ends and the higher band begins.
pub const T_HIGHER_START: i32 = assessments::norms::T_AVERAGE_TO;
/// Width of every chart's view box (SVG user units; the chart scales to its container).
pub const VIEW_WIDTH: f64 = 640.0;

/// A rectangle in SVG user units (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// right = x + width
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    /// bottom = y + height
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }
}

/// A point in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// One tick of the T axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tick {
    pub t: i32,
    pub x: f64,
}

/// One shaded norm band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NormBand {
    pub kind: BandKind,
    /// The short word printed above the band.
    pub label: &'static str,
    pub rect: Rect,
}

/// Where things go in one chart: a strip of band labels on top, then one
/// row per candidate, then the axis with its tick labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// x of T 20.
    pub left: f64,
    /// Distance from T 20 to T 80.
    pub width: f64,
    /// Height of the strip that names the bands.
    pub label_height: f64,
    /// Height of one candidate's row.
    pub row_height: f64,
    /// Number of candidate rows (at least 1).
    pub rows: usize,
    /// Height of the axis line, ticks and tick labels.
    pub axis_height: f64,
}

impl Layout {
    /// One candidate, no name column: the profile page.
    pub fn single() -> Layout {
        Layout { left: 16.0, width: VIEW_WIDTH - 32.0, label_height: 18.0, row_height: 28.0, rows: 1, axis_height: 24.0 }
    }

    /// One row per candidate, names on the left: the comparison page.
    pub fn compare(rows: usize) -> Layout {
        Layout { left: 176.0, width: VIEW_WIDTH - 176.0 - 16.0, label_height: 18.0, row_height: 26.0, rows: rows.max(1), axis_height: 24.0 }
    }

    /// x(t) = left + (clamp(t, 20, 80) - 20) / 60 * width
    pub fn x_of_t(&self, t: i32) -> f64 {
        let t = t.clamp(T_MIN, T_MAX);
        self.left + f64::from(t - T_MIN) / f64::from(T_MAX - T_MIN) * self.width
    }

    /// top(i) = label_height + i * row_height
    pub fn row_top(&self, row: usize) -> f64 {
        self.label_height + row as f64 * self.row_height
    }

    /// plot_bottom = label_height + rows * row_height
    pub fn plot_bottom(&self) -> f64 {
        self.row_top(self.rows)
    }

    /// height = plot_bottom + axis_height
    pub fn height(&self) -> f64 {
        self.plot_bottom() + self.axis_height
    }

    /// The area the bands shade: T 20..80 across, from the label strip to the axis.
    pub fn plot(&self) -> Rect {
        Rect { x: self.left, y: self.label_height, width: self.width, height: self.plot_bottom() - self.label_height }
    }

    /// ticks = { (t, x(t)) : t = 20, 30, ..., 80 }
    pub fn ticks(&self) -> Vec<Tick> {
        (T_MIN..=T_MAX).step_by(10).map(|t| Tick { t, x: self.x_of_t(t) }).collect()
    }

    /// lower = [x(20), x(40)], average = [x(40), x(60)], higher = [x(60), x(80)], each the plot's full height.
    pub fn norm_bands(&self) -> [NormBand; 3] {
        let plot = self.plot();
        let band = |kind, label, from, to| {
            let x = self.x_of_t(from);
            NormBand { kind, label, rect: Rect { x, y: plot.y, width: self.x_of_t(to) - x, height: plot.height } }
        };
        [
            band(BandKind::Low, "Lower", T_MIN, T_LOWER_END),
            band(BandKind::Average, "Average", T_LOWER_END, T_HIGHER_START),
            band(BandKind::High, "Higher", T_HIGHER_START, T_MAX),
        ]
    }

    /// bar = [x(min(lo, hi)), x(max(lo, hi))] across, the middle half of row i down (at least 2 units wide, so a narrow band stays visible).
    pub fn candidate_band(&self, row: usize, band: [i32; 2]) -> Rect {
        let (lo, hi) = (band[0].min(band[1]), band[0].max(band[1]));
        let (x0, x1) = (self.x_of_t(lo), self.x_of_t(hi));
        let width = (x1 - x0).max(2.0);
        let x = (x0 - (width - (x1 - x0)) / 2.0).clamp(self.left, self.left + self.width - width);
        Rect { x, y: self.row_top(row) + self.row_height * 0.25, width, height: self.row_height * 0.5 }
    }

    /// marker = (x(t), top(i) + row_height / 2)
    pub fn marker(&self, row: usize, t: i32) -> Point {
        Point { x: self.x_of_t(t), y: self.row_top(row) + self.row_height / 2.0 }
    }
}

/// Percentile as reported: rounded and kept within 1..99 (PSYCHOMETRICS.md section 3).
pub fn percentile_text(p: f64) -> String {
    if p.is_finite() {
        format!("{}", p.round().clamp(1.0, 99.0) as i32)
    } else {
        "not available".to_string()
    }
}

/// "T 47 (90% band 42 to 52)"
pub fn t_text(t: &StaffText, n: &NormedView) -> String {
    fill(t.describe_t, &[("t", &n.t.to_string()), ("low", &n.t_band[0].to_string()), ("high", &n.t_band[1].to_string())])
}

/// "percentile 38 (24 to 55)"
pub fn percentile_phrase(t: &StaffText, n: &NormedView) -> String {
    fill(t.describe_percentile, &[("p", &percentile_text(n.percentile)), ("low", &percentile_text(n.percentile_band[0])), ("high", &percentile_text(n.percentile_band[1]))])
}

/// "sten 5 (4 to 6)"
pub fn sten_text(t: &StaffText, n: &NormedView) -> String {
    fill(t.describe_sten, &[("s", &n.sten.to_string()), ("low", &n.sten_band[0].to_string()), ("high", &n.sten_band[1].to_string())])
}

/// "T 47 (90% band 42 to 52), percentile 38 (24 to 55), sten 5 (4 to 6)"
pub fn describe(t: &StaffText, n: &NormedView) -> String {
    format!("{}, {}, {}", t_text(t, n), percentile_phrase(t, n), sten_text(t, n))
}

/// The short word above a range of the chart.
fn band_word(t: &StaffText, kind: BandKind) -> &'static str {
    match kind {
        BandKind::Low => t.chart_lower,
        BandKind::Average => t.chart_average,
        BandKind::High => t.chart_higher,
    }
}

/// An id usable in HTML: letters and digits kept, everything else '-'.
pub fn dom_id(parts: &[&str]) -> String {
    parts.join("-").chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// Shortens a name for the chart's name column (the table beside it has it in full).
fn short_name(name: &str) -> String {
    const MAX: usize = 24;
    if name.chars().count() <= MAX {
        name.to_string()
    } else {
        let cut: String = name.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Number formatting for SVG attributes (two decimals are plenty).
fn n(v: f64) -> String {
    format!("{v:.2}")
}

/// The parts every chart shares: band shading with labels, and the axis.
fn frame(layout: Layout, t: &'static StaffText) -> impl IntoView {
    let plot = layout.plot();
    let bands = layout
        .norm_bands()
        .into_iter()
        .map(|b| {
            let class = match b.kind {
                BandKind::Low => "band band-lower",
                BandKind::Average => "band band-average",
                BandKind::High => "band band-higher",
            };
            let fill = match b.kind {
                BandKind::Average => "#dde6ee",
                _ => "#eceff2",
            };
            view! {
                <rect class=class x=n(b.rect.x) y=n(b.rect.y) width=n(b.rect.width) height=n(b.rect.height) fill=fill />
                <text class="band-label" x=n(b.rect.x + b.rect.width / 2.0) y="13" text-anchor="middle" font-size="12" fill="#3d4752">{band_word(t, b.kind)}</text>
            }
        })
        .collect_view();
    let axis_y = plot.bottom();
    let ticks = layout
        .ticks()
        .into_iter()
        .map(|tick| {
            view! {
                <line class="tick" x1=n(tick.x) x2=n(tick.x) y1=n(axis_y) y2=n(axis_y + 4.0) stroke="#4a5561" />
                <line class="grid" x1=n(tick.x) x2=n(tick.x) y1=n(plot.y) y2=n(axis_y) stroke="#ffffff" stroke-width="1" />
                <text class="tick-label" x=n(tick.x) y=n(axis_y + 17.0) text-anchor="middle" font-size="12" fill="#3d4752">{tick.t}</text>
            }
        })
        .collect_view();
    view! {
        {bands}
        {ticks}
        <line class="axis" x1=n(plot.x) x2=n(plot.right()) y1=n(axis_y) y2=n(axis_y) stroke="#4a5561" />
    }
}

/// One candidate's band and marker in row `row`.
fn candidate_mark(layout: Layout, row: usize, normed: &NormedView) -> impl IntoView {
    let bar = layout.candidate_band(row, normed.t_band);
    let dot = layout.marker(row, normed.t);
    view! {
        <rect class="candidate-band" x=n(bar.x) y=n(bar.y) width=n(bar.width) height=n(bar.height) rx="3" fill="#5b7fa0" />
        <circle class="candidate-point" cx=n(dot.x) cy=n(dot.y) r="6" fill="#1b1f24" stroke="#ffffff" stroke-width="2" />
    }
}

/// The chart of one scale on the profile: norm bands, the candidate's 90% band and T.
#[component]
pub fn ScaleChart(
    /// Unique in the page; the title and description ids derive from it.
    id: String,
    scale_name: String,
    normed: NormedView,
    t: &'static StaffText,
) -> impl IntoView {
    let layout = Layout::single();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let view_box = format!("0 0 {} {}", n(VIEW_WIDTH), n(layout.height()));
    view! {
        <svg class="tchart" id=id viewBox=view_box role="img" aria-labelledby=labelled_by xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">
            <title id=title_id>{fill(t.chart_scale_title, &[("scale", &scale_name)])}</title>
            <desc id=desc_id>{describe(t, &normed)}</desc>
            {frame(layout, t)}
            {candidate_mark(layout, 0, &normed)}
        </svg>
    }
}

/// One row of a chart with several rows: a name (a candidate's, or a
/// scale's) and, when scored, the band.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRow {
    pub name: String,
    pub normed: Option<NormedView>,
}

/// The chart of one scale for several candidates on the same T axis.
#[component]
pub fn CompareChart(id: String, scale_name: String, rows: Vec<ChartRow>, t: &'static StaffText) -> impl IntoView {
    rows_chart(id, fill(t.chart_compare_title, &[("scale", &scale_name)]), rows, t)
}

/// Every scale of one profile on one T axis, a row each: the overview at the top of a profile.
#[component]
pub fn OverviewChart(id: String, rows: Vec<ChartRow>, t: &'static StaffText) -> impl IntoView {
    rows_chart(id, t.chart_overview_title.to_string(), rows, t)
}

/// Rows on one T axis, each named on the left, with its band or "no normed score".
fn rows_chart(id: String, title: String, rows: Vec<ChartRow>, t: &'static StaffText) -> impl IntoView {
    let layout = Layout::compare(rows.len());
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let view_box = format!("0 0 {} {}", n(VIEW_WIDTH), n(layout.height()));
    let description = rows
        .iter()
        .map(|r| match &r.normed {
            Some(v) => format!("{}: {}", r.name, describe(t, v)),
            None => format!("{}: {}", r.name, t.no_normed_score),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let marks = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let label_y = layout.marker(i, T_MIN).y + 4.0;
            let mark = match &r.normed {
                Some(v) => candidate_mark(layout, i, v).into_any(),
                None => view! {
                    <text class="no-score" x=n(layout.left + 6.0) y=n(label_y) font-size="12" fill="#3d4752">{t.no_normed_score}</text>
                }
                .into_any(),
            };
            view! {
                <text class="row-label" x="4" y=n(label_y) font-size="13" fill="#1b1f24">{short_name(&r.name)}</text>
                {mark}
            }
        })
        .collect_view();
    view! {
        <svg class="tchart compare" id=id viewBox=view_box role="img" aria-labelledby=labelled_by xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">
            <title id=title_id>{title}</title>
            <desc id=desc_id>{description}</desc>
            {frame(layout, t)}
            {marks}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn normed(t: i32, band: [i32; 2]) -> NormedView {
        NormedView {
            t,
            t_band: band,
            percentile: 38.2,
            percentile_band: [24.0, 55.4],
            sten: 5,
            sten_band: [4, 6],
            band: BandKind::Average,
            n: 400,
        }
    }

    #[test]
    fn t_20_is_the_left_edge_and_t_80_the_right_edge() {
        for layout in [Layout::single(), Layout::compare(3)] {
            assert!(close(layout.x_of_t(20), layout.left));
            assert!(close(layout.x_of_t(80), layout.left + layout.width));
            assert!(close(layout.x_of_t(50), layout.left + layout.width / 2.0));
        }
    }

    #[test]
    fn values_outside_the_axis_are_drawn_at_its_edge() {
        let layout = Layout::single();
        assert!(close(layout.x_of_t(5), layout.x_of_t(20)));
        assert!(close(layout.x_of_t(-300), layout.x_of_t(20)));
        assert!(close(layout.x_of_t(95), layout.x_of_t(80)));
        assert!(close(layout.x_of_t(i32::MAX), layout.x_of_t(80)));
    }

    #[test]
    fn ticks_every_ten_from_20_to_80() {
        let ts: Vec<i32> = Layout::single().ticks().iter().map(|t| t.t).collect();
        assert_eq!(ts, vec![20, 30, 40, 50, 60, 70, 80]);
    }

    #[test]
    fn the_three_norm_bands_are_ordered_contiguous_and_fill_the_plot() {
        for layout in [Layout::single(), Layout::compare(1), Layout::compare(5)] {
            let plot = layout.plot();
            let bands = layout.norm_bands();
            assert_eq!(bands.map(|b| b.kind), [BandKind::Low, BandKind::Average, BandKind::High]);
            assert!(close(bands[0].rect.x, plot.x));
            assert!(close(bands[0].rect.right(), bands[1].rect.x));
            assert!(close(bands[1].rect.right(), bands[2].rect.x));
            assert!(close(bands[2].rect.right(), plot.right()));
            for b in bands {
                assert!(b.rect.width > 0.0);
                assert!(close(b.rect.y, plot.y) && close(b.rect.bottom(), plot.bottom()));
            }
            // Average spans T 40..60, a third of the axis.
            assert!(close(bands[1].rect.width, layout.width / 3.0));
        }
    }

    #[test]
    fn a_reversed_band_is_drawn_the_right_way_round() {
        let layout = Layout::single();
        assert_eq!(layout.candidate_band(0, [52, 42]), layout.candidate_band(0, [42, 52]));
    }

    #[test]
    fn the_description_gives_every_number_with_its_band() {
        assert_eq!(describe(crate::i18n::staff_text("en"), &normed(47, [42, 52])), "T 47 (90% band 42 to 52), percentile 38 (24 to 55), sten 5 (4 to 6)");
        assert_eq!(describe(crate::i18n::staff_text("de"), &normed(47, [42, 52])), "T 47 (90%-Band 42 bis 52), Prozentrang 38 (24 bis 55), Sten 5 (4 bis 6)");
    }

    #[test]
    fn percentiles_are_reported_between_1_and_99() {
        assert_eq!(percentile_text(0.2), "1");
        assert_eq!(percentile_text(99.7), "99");
        assert_eq!(percentile_text(49.5), "50");
        assert_eq!(percentile_text(f64::NAN), "not available");
    }

    #[test]
    fn ids_keep_only_letters_digits_and_dashes() {
        assert_eq!(dom_id(&["svi", "Rule orientation", "1.0"]), "svi-rule-orientation-1-0");
    }

    #[test]
    fn long_names_are_shortened_for_the_chart_only() {
        assert_eq!(short_name("Ada Lovelace"), "Ada Lovelace");
        let long = short_name("Maximiliane Theodora von Hohenzollern-Sigmaringen");
        assert_eq!(long.chars().count(), 24);
        assert!(long.ends_with('…'));
    }

    proptest! {
        #[test]
        fn x_is_monotone_and_stays_on_the_axis(a in -200i32..200, b in -200i32..200) {
            let layout = Layout::single();
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(layout.x_of_t(lo) <= layout.x_of_t(hi));
            for t in [a, b] {
                let x = layout.x_of_t(t);
                prop_assert!(x >= layout.left && x <= layout.left + layout.width);
            }
        }

        #[test]
        fn a_candidate_band_lies_within_its_row_and_the_plot(t in -50i32..150, lo in -50i32..150, hi in -50i32..150, rows in 1usize..=5) {
            let layout = Layout::compare(rows);
            let plot = layout.plot();
            for row in 0..rows {
                let bar = layout.candidate_band(row, [lo, hi]);
                prop_assert!(bar.x >= plot.x - 1e-9 && bar.right() <= plot.right() + 1e-9);
                prop_assert!(bar.y >= layout.row_top(row) && bar.bottom() <= layout.row_top(row + 1));
                prop_assert!(bar.width >= 2.0 - 1e-9);
                let dot = layout.marker(row, t);
                prop_assert!(dot.y > bar.y && dot.y < bar.bottom());
                prop_assert!(dot.x >= plot.x && dot.x <= plot.right());
            }
        }

        #[test]
        fn compare_rows_do_not_overlap(rows in 1usize..=5, a in 20i32..=80, b in 20i32..=80) {
            let layout = Layout::compare(rows);
            for row in 1..rows {
                let above = layout.candidate_band(row - 1, [a, b]);
                let below = layout.candidate_band(row, [a, b]);
                prop_assert!(above.bottom() < below.y);
                prop_assert!(layout.marker(row - 1, a).y < layout.marker(row, a).y);
            }
            prop_assert!(layout.row_top(rows) <= layout.plot_bottom());
            prop_assert!(layout.plot_bottom() < layout.height());
        }
    }
}
