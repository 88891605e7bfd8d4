//! The instrument workbench's HTML: the library, a draft's editor, the
//! item form, the preview and the comparison with the parent version.
//! Every form works without script; the editor's script only checks the
//! text as it is typed. Everything shown is escaped here.

use std::fmt::Write as _;

use assessments::bank::{
    changes::{ChangeLevel, ItemChangeKind},
    ItemDef, ItemType, Issue,
};

use app::i18n::{fill, WorkbenchText};

use super::staff::esc;
use crate::{
    time::minute_utc,
    workbench::{
        drafts::DraftView,
        library::Library,
        review::{Comparison, Preview},
        Problems,
    },
};

fn short_hash(hash: &str) -> String {
    let hex = hash.strip_prefix("sha256:").unwrap_or(hash);
    format!("sha256:{}…", &hex[..hex.len().min(12)])
}

fn post_button(action: &str, base: i64, label: &str, extra: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{}\" class=\"inline-form\"><input type=\"hidden\" name=\"base\" value=\"{base}\">{extra}<button type=\"submit\" class=\"button secondary\">{}</button></form>",
        esc(action),
        esc(label)
    )
}

/// `GET /instruments`.
pub fn library(t: &WorkbenchText, lib: &Library, notice: Option<&str>) -> String {
    let mut html = String::from("<div class=\"workbench\">");
    if let Some(n) = notice {
        let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"notice\">{}</p>", esc(n));
    }
    let _ = write!(html, "<p>{}</p>", t.library_intro);
    if !lib.drafts.is_empty() {
        let _ = write!(html, "<h2>{}</h2><ul id=\"drafts\">", t.open_drafts);
        for d in &lib.drafts {
            let from = d.parent.as_deref().map_or_else(|| t.uploaded.to_string(), |p| fill(t.from_version, &[("version", &p.replace('@', " "))]));
            let line = fill(t.draft_line, &[("from", &esc(&from)), ("revision", &d.revision.to_string()), ("at", &esc(&minute_utc(d.updated_at)))]);
            let _ = write!(html, "<li><a href=\"/drafts/{}\">{}</a>, {line}</li>", esc(&d.id), esc(&d.instrument));
        }
        html.push_str("</ul>");
    }
    let _ = write!(html, "<h2>{}</h2>", t.instruments);
    for i in &lib.instruments {
        let _ = write!(html, "<section class=\"instrument\" id=\"instrument-{}\"><h3>{} <small>({}, {})</small></h3>", esc(&i.id), esc(&i.title), esc(&i.id), if i.shipped { t.shipped } else { t.your_organisations });
        let _ = write!(
            html,
            "<div class=\"table-scroll\"><table class=\"data\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            t.version, t.published, t.content_hash, t.campaigns, t.completed_sessions, t.files, t.new_draft
        );
        for v in &i.versions {
            let when = v.published_at.map(minute_utc).unwrap_or_else(|| t.with_vigil.into());
            let campaigns = if v.campaigns.is_empty() { t.none.to_string() } else { v.campaigns.iter().map(|c| esc(c)).collect::<Vec<_>>().join(", ") };
            let base = format!("/instruments/{}/{}", esc(&i.id), esc(&v.version));
            let mut files = format!("<a href=\"{base}/report\">{}</a> · <a href=\"{base}/bank.toml\">bank.toml</a> · <a href=\"{base}/translations.csv\">translations.csv</a>", t.technical_report);
            if v.analysable {
                let _ = write!(files, " · <a href=\"{base}/analysis\">{}</a> · <a href=\"{base}/calibration\">{}</a>", t.item_analysis, t.calibration);
                for f in crate::analysis_export::FILES {
                    let _ = write!(files, " · <a href=\"{base}/{f}\">{f}</a>");
                }
            }
            let new_id = if i.shipped { format!("<label>{} <input name=\"new_id\" required pattern=\"[a-z0-9_-]+\" value=\"{}-own\"></label> ", t.your_instrument_id, esc(&i.id)) } else { String::new() };
            let start = format!(
                "<form method=\"post\" action=\"/drafts\" class=\"inline-form\"><input type=\"hidden\" name=\"instrument\" value=\"{}\"><input type=\"hidden\" name=\"version\" value=\"{}\">{new_id}<button type=\"submit\" class=\"button secondary\">{}</button></form>",
                esc(&i.id),
                esc(&v.version),
                t.start_draft
            );
            let note = if v.note.is_empty() { String::new() } else { format!("<br><small>{}</small>", esc(&v.note)) };
            let retirement = match &v.retired {
                Some((by, at)) => format!(
                    "<br><small class=\"retired\">{}</small> <form method=\"post\" action=\"{base}/retirement\" class=\"inline-form\"><input type=\"hidden\" name=\"retire\" value=\"0\"><button type=\"submit\" class=\"button secondary\">{}</button></form>",
                    fill(t.retired_by, &[("at", &esc(&minute_utc(*at))), ("by", &esc(by))]),
                    t.offer_again
                ),
                None => format!("<br><form method=\"post\" action=\"{base}/retirement\" class=\"inline-form\"><input type=\"hidden\" name=\"retire\" value=\"1\"><button type=\"submit\" class=\"button secondary\">{}</button></form>", t.retire),
            };
            let _ = write!(
                html,
                "<tr><td>{}{note}{retirement}</td><td>{}</td><td><code title=\"{}\">{}</code></td><td>{campaigns}</td><td>{}</td><td>{files}</td><td>{start}</td></tr>",
                esc(&v.version),
                fill(t.at_by, &[("at", &esc(&when)), ("by", &esc(&v.published_by))]),
                esc(&v.content_hash),
                esc(&short_hash(&v.content_hash)),
                v.completed_sessions
            );
        }
        html.push_str("</tbody></table></div></section>");
    }
    let footer = fill(
        t.library_footer,
        &[
            ("path", "<code>/instruments/&lt;instrument&gt;/&lt;version&gt;/sessions/&lt;respondent&gt;</code>"),
            ("file", "<code>sessions.csv</code>"),
            ("norms", &format!("<a href=\"/norms\">{}</a>", t.norm_builder)),
        ],
    );
    let _ = write!(
        html,
        "<h2>{}</h2><form method=\"post\" action=\"/drafts/upload\" enctype=\"multipart/form-data\" class=\"stacked\"><label for=\"bank-file\">{}</label>\
         <input type=\"file\" id=\"bank-file\" name=\"file\" accept=\".toml,text/plain\" required><button type=\"submit\" class=\"button\" id=\"upload\">{}</button></form>\
         <p>{footer}</p><p><a href=\"/staff\">{}</a></p></div>",
        t.upload_heading, t.bank_file, t.upload_as_draft, t.back_to_start
    );
    html
}

fn issue_list(id: &str, issues: &[Issue]) -> String {
    let mut html = format!("<ul id=\"{id}\">");
    for i in issues {
        let _ = write!(html, "<li>{}</li>", esc(&i.to_string()));
    }
    html.push_str("</ul>");
    html
}

fn problems_section(t: &WorkbenchText, p: &Problems) -> String {
    let mut html = String::new();
    if !p.errors.is_empty() {
        let heading = fill(t.problems_to_fix, &[("n", &p.errors.len().to_string())]);
        let _ = write!(html, "<section class=\"problems\"><h2>{heading}</h2><p>{}</p>{}</section>", t.problems_note, issue_list("problems", &p.errors));
    }
    if !p.translations.is_empty() {
        let heading = fill(t.missing_translations, &[("n", &p.translations.len().to_string())]);
        let _ = write!(html, "<section class=\"missing\"><h2>{heading}</h2>{}</section>", issue_list("missing-translations", &p.translations));
    }
    html
}

/// What a change level is called on the page.
fn level_name(t: &WorkbenchText, level: ChangeLevel) -> &'static str {
    match level {
        ChangeLevel::None => t.level_none,
        ChangeLevel::Patch => t.level_patch,
        ChangeLevel::Minor => t.level_minor,
        ChangeLevel::Major => t.level_major,
    }
}

fn item_row(t: &WorkbenchText, id: &str, base: i64, item: &ItemDef, first_lang: &str) -> String {
    let path = format!("/drafts/{id}/items/{}", item.id);
    let kind = match item.kind {
        ItemType::Likert => t.kind_statement,
        ItemType::Sjt => t.kind_scenario,
        ItemType::Check => t.kind_check,
    };
    format!(
        "<tr><td><a href=\"{p}\">{}</a></td><td>{}</td><td>{kind}{}</td><td>{}</td><td>{}{}{}<a class=\"button secondary\" href=\"/drafts/{}/preview?item={}\">{}</a></td></tr>",
        esc(&item.id),
        esc(item.scale.as_deref().unwrap_or("—")),
        if item.reverse == Some(true) { t.reversed } else { "" },
        esc(item.text.get(first_lang).map_or("", String::as_str)),
        post_button(&format!("{path}/move"), base, t.up, "<input type=\"hidden\" name=\"direction\" value=\"up\">"),
        post_button(&format!("{path}/move"), base, t.down, "<input type=\"hidden\" name=\"direction\" value=\"down\">"),
        post_button(&format!("{path}/retire"), base, t.retire, ""),
        esc(id),
        esc(&item.id),
        t.preview,
        p = esc(&path),
    )
}

/// `GET /drafts/{id}`; `text` is the text to show in the editor (the
/// user's own after a refused save), `error` why it was refused.
pub fn draft(t: &WorkbenchText, v: &DraftView, notice: Option<&str>, text: Option<&str>, error: Option<&str>) -> String {
    let d = &v.draft;
    let id = esc(&d.id);
    let base = d.revision;
    let mut html = String::from("<div class=\"workbench\">");
    if let Some(n) = notice {
        let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"notice\">{}</p>", esc(n));
    }
    if let Some(e) = error {
        let _ = write!(html, "<p class=\"notice error\" role=\"alert\" id=\"form-error\">{}</p>", esc(e));
    }
    let from = d.parent.as_deref().map_or_else(|| t.uploaded.to_string(), |p| fill(t.made_from, &[("version", &p.replace('@', " "))]));
    let _ = write!(
        html,
        "<p>{}</p>",
        fill(t.draft_of, &[("instrument", &format!("<strong>{}</strong>", esc(&d.instrument))), ("from", &esc(&from)), ("revision", &base.to_string()), ("at", &esc(&minute_utc(d.updated_at)))])
    );
    if d.status != "open" {
        let closed = match &d.published_version {
            Some(version) => fill(t.closed_published, &[("version", &esc(version))]),
            None => t.closed_discarded.to_string(),
        };
        let _ = write!(html, "<p class=\"note\" id=\"closed\">{closed}</p>");
    }
    let next = |version: &str| format!("<strong id=\"next-version\">{}</strong>", esc(version));
    match (&v.publishes_as, v.problems.is_empty()) {
        (Some(version), true) => {
            let level = v.level.map(|l| format!(": {}", level_name(t, l))).unwrap_or_default();
            let _ = write!(html, "<p class=\"ready\" id=\"status\">{}</p>", fill(t.ready_as, &[("version", &next(version)), ("level", &level)]));
        }
        (Some(version), false) => {
            let _ = write!(html, "<p id=\"status\">{}</p>", fill(t.once_empty, &[("version", &next(version))]));
        }
        (None, _) => {
            let _ = write!(html, "<p id=\"status\">{}</p>", if v.level == Some(ChangeLevel::None) { t.not_ready_unchanged } else { t.not_ready });
        }
    }
    let _ = write!(html, "<p class=\"small\" id=\"version-rule\">{}</p>", fill(t.version_rule, &[("rule", t.version_rule_text)]));
    html.push_str(&problems_section(t, &v.problems));
    let _ = write!(html, "<h2>{}</h2><ul class=\"links\">", t.look_before);
    let langs: Vec<String> = v.file.as_ref().map(|f| f.instrument.languages.clone()).unwrap_or_default();
    for lang in &langs {
        let _ = write!(
            html,
            "<li><a href=\"/drafts/{id}/preview?lang={l}\">{}</a> · <a href=\"/drafts/{id}/preview?lang={l}&amp;phone=1\">{}</a></li>",
            fill(t.preview_in, &[("lang", &esc(lang))]),
            t.at_phone_width,
            l = esc(lang)
        );
    }
    if v.parent.is_some() {
        let _ = write!(html, "<li><a href=\"/drafts/{id}/diff\" id=\"diff-link\">{}</a></li>", t.side_by_side);
    }
    html.push_str("</ul>");
    if let Some(file) = &v.file {
        let first = langs.first().map_or("en", String::as_str);
        let _ = write!(
            html,
            "<h2>{}</h2><p class=\"small\">{}</p><div class=\"table-scroll\"><table class=\"data\" id=\"items\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            fill(t.items_heading, &[("n", &file.items.len().to_string())]),
            t.items_note,
            t.item,
            t.scale,
            t.type_,
            fill(t.text_in, &[("lang", &esc(first))]),
            t.change
        );
        for item in &file.items {
            html.push_str(&item_row(t, &d.id, base, item, first));
        }
        html.push_str("</tbody></table></div>");
        let _ = write!(html, "<h2>{}</h2><ul id=\"scales\">", t.scales_and_settings);
        for scale in &file.scales {
            let _ = write!(html, "<li><a href=\"/drafts/{id}/scales/{}\">{}</a> ({})</li>", esc(&scale.id), esc(scale.name.get(first).map_or(scale.id.as_str(), String::as_str)), esc(&scale.id));
        }
        let _ = write!(html, "<li><a href=\"/drafts/{id}/cat\" id=\"cat-link\">{}</a></li><li><a href=\"/drafts/{id}/validity\" id=\"validity-link\">{}</a></li></ul>", t.cat_settings, t.validity_rules);
    }
    let mut sources = String::new();
    for (key, label) in &v.copy_sources {
        let _ = write!(sources, "<option value=\"{}\">{}</option>", esc(key), esc(label));
    }
    let _ = write!(
        html,
        "<h2>{}</h2><form method=\"post\" action=\"/drafts/{id}/copy\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{base}\">\
         <label for=\"copy-from\">{}</label><select id=\"copy-from\" name=\"from\">{sources}</select><label for=\"copy-item\">{}</label><input id=\"copy-item\" name=\"item\" required>\
         <button type=\"submit\" class=\"button secondary\">{}</button></form>",
        t.copy_heading, t.copy_from, t.item_id, t.copy_item
    );
    let shown = text.unwrap_or(&d.source);
    let _ = write!(
        html,
        "<h2>{}</h2><p class=\"small\">{}</p>\
         <form method=\"post\" action=\"/drafts/{id}/source\" class=\"stacked\" id=\"source-form\" data-check=\"/drafts/{id}/check\"><input type=\"hidden\" name=\"base\" value=\"{base}\">\
         <label for=\"source\">{}</label><textarea id=\"source\" name=\"source\" class=\"source\" spellcheck=\"false\">{}</textarea>\
         <div id=\"live-problems\" aria-live=\"polite\"></div><button type=\"submit\" class=\"button\" id=\"save-source\">{}</button></form>",
        t.whole_text,
        t.whole_text_note,
        t.bank_text,
        esc(shown),
        t.save
    );
    let _ = write!(
        html,
        "<h2>{}</h2><p><a href=\"/drafts/{id}/translations.csv\" id=\"translations-download\">{}</a>: {}</p>\
         <form method=\"post\" action=\"/drafts/{id}/translations\" enctype=\"multipart/form-data\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{base}\">\
         <label for=\"translations-file\">{}</label><input type=\"file\" id=\"translations-file\" name=\"file\" accept=\".csv,text/csv\" required><button type=\"submit\" class=\"button secondary\">{}</button></form>",
        t.translations, t.download_table, t.translations_note, t.translation_table, t.import
    );
    let _ = write!(
        html,
        "<h2>{}</h2><p>{}</p>\
         <form method=\"post\" action=\"/drafts/{id}/publish\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{base}\"><label for=\"note\">{}</label>\
         <textarea id=\"note\" name=\"note\" class=\"text\" required maxlength=\"2000\"></textarea><button type=\"submit\" class=\"button\" id=\"publish\">{}</button></form>",
        t.publish, t.publish_note, t.change_note, t.publish
    );
    let _ = write!(
        html,
        "<h2>{}</h2><div class=\"table-scroll\"><table class=\"data\" id=\"revisions\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>",
        t.revisions, t.revision, t.saved, t.by, t.what
    );
    for r in &v.revisions {
        let restore = if r.revision == base { t.current.to_string() } else { post_button(&format!("/drafts/{}/restore", d.id), base, t.restore, &format!("<input type=\"hidden\" name=\"revision\" value=\"{}\">", r.revision)) };
        let _ = write!(
            html,
            "<tr><td><a href=\"/drafts/{id}/revisions/{n}\">{n}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{restore}</td></tr>",
            esc(&minute_utc(r.saved_at)),
            esc(&r.saved_by),
            esc(&r.note),
            n = r.revision
        );
    }
    html.push_str("</tbody></table></div>");
    html.push_str(&post_button(&format!("/drafts/{}/discard", d.id), base, t.discard, ""));
    let _ = write!(html, "<p><a href=\"/instruments\">{}</a></p></div><script src=\"/workbench/editor.js\" defer></script>", t.back_to_instruments);
    html
}

/// The start of the form of one part (`Item`, `items`) of a draft: what it
/// is, the revision it is made from.
fn part_form_start(t: &WorkbenchText, d: &crate::store::DraftRow, label: &str, path: &str, id: &str, intro: &str) -> String {
    let what = fill(t.part_of_draft, &[("part", label), ("id", &format!("<code>{}</code>", esc(id))), ("instrument", &esc(&d.instrument)), ("revision", &d.revision.to_string())]);
    format!(
        "<div class=\"workbench\"><p>{what} {intro}</p><form method=\"post\" action=\"/drafts/{}/{path}/{}\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{}\">",
        esc(&d.id),
        esc(id),
        d.revision
    )
}

/// `GET /drafts/{id}/items/{item}`.
pub fn item_form(t: &WorkbenchText, v: &DraftView, item: &ItemDef) -> String {
    let d = &v.draft;
    let langs: Vec<String> = v.file.as_ref().map(|f| f.instrument.languages.clone()).unwrap_or_default();
    let scales: Vec<String> = v.file.as_ref().map(|f| f.scales.iter().map(|s| s.id.clone()).collect()).unwrap_or_default();
    let responses: Vec<String> = v.file.as_ref().map(|f| f.response_scales.iter().map(|s| s.id.clone()).collect()).unwrap_or_default();
    let select = |name: &str, options: &[String], current: Option<&str>| {
        let mut s = format!("<select id=\"{name}\" name=\"{name}\"><option value=\"\">{}</option>", t.none);
        for o in options {
            let _ = write!(s, "<option value=\"{}\"{}>{}</option>", esc(o), if current == Some(o.as_str()) { " selected" } else { "" }, esc(o));
        }
        s.push_str("</select>");
        s
    };
    let mut html = part_form_start(t, d, t.item, "items", &item.id, t.item_intro);
    let kinds = [("likert", t.kind_likert_long), ("sjt", t.kind_sjt_long), ("check", t.kind_check_long)];
    let _ = write!(html, "<label for=\"type\">{}</label><select id=\"type\" name=\"type\">", t.type_);
    for (value, label) in kinds {
        let current = matches!((value, item.kind), ("likert", ItemType::Likert) | ("sjt", ItemType::Sjt) | ("check", ItemType::Check));
        let _ = write!(html, "<option value=\"{value}\"{}>{label}</option>", if current { " selected" } else { "" });
    }
    let _ = write!(html, "</select><p class=\"small\">{}</p>", t.type_change_note);
    for lang in &langs {
        let _ = write!(html, "<label for=\"text-{l}\">{}</label><textarea id=\"text-{l}\" name=\"text.{l}\" class=\"text\">{}</textarea>", fill(t.text_in, &[("lang", &esc(lang))]), esc(item.text.get(lang).map_or("", String::as_str)), l = esc(lang));
    }
    let _ = write!(html, "<label for=\"scale\">{}</label>{}", t.scale, select("scale", &scales, item.scale.as_deref()));
    if item.kind != ItemType::Sjt {
        let _ = write!(html, "<label for=\"response_scale\">{}</label>{}", t.response_scale, select("response_scale", &responses, item.response_scale.as_deref()));
    }
    if item.kind == ItemType::Likert {
        let _ = write!(html, "<label class=\"choice\"><input type=\"checkbox\" name=\"reverse\" value=\"on\"{}> {}</label>", if item.reverse == Some(true) { " checked" } else { "" }, t.reverse_keyed);
    }
    let _ = write!(html, "<label for=\"facet\">{}</label><input id=\"facet\" name=\"facet\" value=\"{}\">", t.facet, esc(item.facet.as_deref().unwrap_or("")));
    if item.kind == ItemType::Check {
        let attentive = item.attentive.as_ref().map(|a| a.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")).unwrap_or_default();
        let _ = write!(html, "<label for=\"attentive\">{}</label><input id=\"attentive\" name=\"attentive\" value=\"{}\">", t.attentive, esc(&attentive));
    }
    for o in &item.options {
        let _ = write!(
            html,
            "<fieldset><legend>{}</legend><label for=\"key-{o}\">{}</label><input type=\"number\" id=\"key-{o}\" name=\"key.{o}\" value=\"{}\">",
            fill(t.option, &[("id", &esc(&o.id))]),
            t.option_key,
            o.key.map(|k| k.to_string()).unwrap_or_default(),
            o = esc(&o.id)
        );
        for lang in &langs {
            let _ = write!(html, "<label for=\"option-{o}-{l}\">{}</label><textarea id=\"option-{o}-{l}\" name=\"option.{o}.{l}\" class=\"text\">{}</textarea>", fill(t.text_in, &[("lang", &esc(lang))]), esc(o.text.get(lang).map_or("", String::as_str)), o = esc(&o.id), l = esc(lang));
        }
        html.push_str("</fieldset>");
    }
    let _ = write!(html, "<button type=\"submit\" class=\"button\">{}</button></form><p><a href=\"/drafts/{}\">{}</a></p></div>", t.save_item, esc(&d.id), t.back_to_draft);
    html
}

fn text_fields(html: &mut String, prefix: &str, label: &str, langs: &[String], current: Option<&assessments::bank::Text>) {
    for lang in langs {
        let _ = write!(
            html,
            "<label for=\"{prefix}-{l}\">{label} ({l})</label><textarea id=\"{prefix}-{l}\" name=\"{prefix}.{l}\" class=\"text\">{}</textarea>",
            esc(current.and_then(|t| t.get(lang)).map_or("", String::as_str)),
            l = esc(lang)
        );
    }
}

/// `GET /drafts/{id}/scales/{scale}`.
pub fn scale_form(t: &WorkbenchText, v: &DraftView, scale: &assessments::bank::ScaleDef) -> String {
    let d = &v.draft;
    let langs: Vec<String> = v.file.as_ref().map(|f| f.instrument.languages.clone()).unwrap_or_default();
    let mut html = part_form_start(t, d, t.scale, "scales", &scale.id, t.scale_intro);
    text_fields(&mut html, "name", t.name, &langs, Some(&scale.name));
    text_fields(&mut html, "description", t.description, &langs, scale.description.as_ref());
    let interpretation = scale.interpretation.as_ref();
    text_fields(&mut html, "low", t.interpretation_low, &langs, interpretation.map(|i| &i.low));
    text_fields(&mut html, "average", t.interpretation_average, &langs, interpretation.map(|i| &i.average));
    text_fields(&mut html, "high", t.interpretation_high, &langs, interpretation.map(|i| &i.high));
    for lang in &langs {
        let current = interpretation.and_then(|i| i.interview_prompts.get(lang)).map(|l| l.join("\n")).unwrap_or_default();
        let _ = write!(
            html,
            "<label for=\"prompts-{l}\">{}</label><textarea id=\"prompts-{l}\" name=\"prompts.{l}\" class=\"text\" rows=\"4\">{}</textarea>",
            fill(t.prompts, &[("lang", &esc(lang))]),
            esc(&current),
            l = esc(lang)
        );
    }
    let _ = write!(html, "<button type=\"submit\" class=\"button\" id=\"save-scale\">{}</button></form><p><a href=\"/drafts/{}\">{}</a></p></div>", t.save_scale, esc(&d.id), t.back_to_draft);
    html
}

/// `GET /drafts/{id}/cat`.
pub fn cat_form(t: &WorkbenchText, v: &DraftView) -> String {
    let d = &v.draft;
    let cat = v.file.as_ref().and_then(|f| f.cat.clone()).unwrap_or_default();
    let show = |x: Option<String>| esc(&x.unwrap_or_default());
    format!(
        "<div class=\"workbench\"><p>{intro}</p>\
         <form method=\"post\" action=\"/drafts/{id}/cat\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{}\">\
         <label for=\"se-target\">{se}</label><input id=\"se-target\" name=\"se_target\" inputmode=\"decimal\" value=\"{}\">\
         <label for=\"min-items\">{min}</label><input id=\"min-items\" name=\"min_items\" inputmode=\"numeric\" value=\"{}\">\
         <label for=\"max-items\">{max}</label><input id=\"max-items\" name=\"max_items\" inputmode=\"numeric\" value=\"{}\">\
         <label for=\"randomesque\">{k}</label><input id=\"randomesque\" name=\"randomesque\" inputmode=\"numeric\" value=\"{}\">\
         <button type=\"submit\" class=\"button\" id=\"save-cat\">{save}</button></form><p><a href=\"/drafts/{id}\">{back}</a></p></div>",
        d.revision,
        show(cat.se_target.map(|x| x.to_string())),
        show(cat.min_items.map(|x| x.to_string())),
        show(cat.max_items.map(|x| x.to_string())),
        show(cat.randomesque.map(|x| x.to_string())),
        id = esc(&d.id),
        intro = t.cat_intro,
        se = t.se_target,
        min = t.min_items,
        max = t.max_items,
        k = t.randomesque,
        save = t.save_settings,
        back = t.back_to_draft
    )
}

/// `GET /drafts/{id}/validity`: each rule with its default (an empty field keeps it).
pub fn validity_form(t: &WorkbenchText, v: &DraftView) -> String {
    use assessments::validity as d;
    let dr = &v.draft;
    let rules = v.file.as_ref().map(|f| f.validity.clone()).unwrap_or_default();
    let show = |x: Option<String>| esc(&x.unwrap_or_default());
    let pairs: Vec<String> = rules.inconsistency_pairs.iter().map(|[a, b]| format!("{a} {b}")).collect();
    let field = |id: &str, name: &str, label: String, value: String| {
        format!("<label for=\"{id}\">{}</label><input id=\"{id}\" name=\"{name}\" inputmode=\"decimal\" value=\"{value}\">", esc(&label))
    };
    let fields = [
        field("min-median", "min_median_seconds", fill(t.min_median, &[("default", &d::DEFAULT_MIN_MEDIAN_SECONDS.to_string())]), show(rules.min_median_seconds.map(|x| x.to_string()))),
        field("longstring-caution", "longstring_caution_share", fill(t.longstring_caution, &[("default", &d::DEFAULT_LONGSTRING_CAUTION_SHARE.to_string())]), show(rules.longstring_caution_share.map(|x| x.to_string()))),
        field("longstring-invalid", "longstring_invalid_share", fill(t.longstring_invalid, &[("default", &d::DEFAULT_LONGSTRING_INVALID_SHARE.to_string())]), show(rules.longstring_invalid_share.map(|x| x.to_string()))),
        field("infrequency-caution", "infrequency_caution_fails", fill(t.infrequency_caution, &[("default", &d::DEFAULT_INFREQUENCY_CAUTION_FAILS.to_string())]), show(rules.infrequency_caution_fails.map(|x| x.to_string()))),
        field("infrequency-invalid", "infrequency_invalid_fails", fill(t.infrequency_invalid, &[("default", &d::DEFAULT_INFREQUENCY_INVALID_FAILS.to_string())]), show(rules.infrequency_invalid_fails.map(|x| x.to_string()))),
        field("inconsistency-caution", "inconsistency_caution", fill(t.inconsistency_caution, &[("default", &d::DEFAULT_INCONSISTENCY_CAUTION.to_string())]), show(rules.inconsistency_caution.map(|x| x.to_string()))),
        field("im-caution", "impression_management_caution_t", fill(t.im_caution, &[("default", &d::DEFAULT_IMPRESSION_MANAGEMENT_CAUTION_T.to_string())]), show(rules.impression_management_caution_t.map(|x| x.to_string()))),
        field("irv-caution", "irv_caution_below", t.irv_caution.to_string(), show(rules.irv_caution_below.map(|x| x.to_string()))),
    ];
    format!(
        "<div class=\"workbench\"><p>{intro}</p>\
         <form method=\"post\" action=\"/drafts/{id}/validity\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{}\">{}\
         <label for=\"inconsistency-pairs\">{pairs_label}</label><textarea id=\"inconsistency-pairs\" name=\"inconsistency_pairs\" rows=\"5\">{}</textarea>\
         <button type=\"submit\" class=\"button\" id=\"save-validity\">{save}</button></form><p><a href=\"/drafts/{id}\">{back}</a></p></div>",
        dr.revision,
        fields.concat(),
        esc(&pairs.join("\n")),
        id = esc(&dr.id),
        intro = t.validity_intro,
        pairs_label = t.pairs,
        save = t.save_rules,
        back = t.back_to_draft
    )
}

/// `GET /drafts/{id}/preview`.
pub fn preview(t: &WorkbenchText, id: &str, p: &Preview, phone: bool, item: Option<&str>) -> String {
    let mut html = format!("<div class=\"workbench\"><nav class=\"language-switch\" aria-label=\"{}\">", t.preview_language);
    for lang in &p.languages {
        let here = if *lang == p.lang { " aria-current=\"true\"" } else { "" };
        let _ = write!(html, "<a href=\"/drafts/{}/preview?lang={l}{}{}\"{here}>{l}</a> ", esc(id), if phone { "&amp;phone=1" } else { "" }, item.map(|i| format!("&amp;item={}", esc(i))).unwrap_or_default(), l = esc(lang));
    }
    let _ = write!(
        html,
        "</nav><p class=\"small\">{} {} · <a href=\"/drafts/{}/preview?lang={}{}\">{}</a></p>",
        t.as_candidate,
        if p.missing > 0 { fill(t.texts_missing, &[("n", &p.missing.to_string()), ("lang", &esc(&p.lang))]) } else { fill(t.texts_all_there, &[("lang", &esc(&p.lang))]) },
        esc(id),
        esc(&p.lang),
        if phone { "" } else { "&amp;phone=1" },
        if phone { t.full_width } else { t.phone_width }
    );
    if p.pages > 1 && item.is_none() {
        let _ = write!(html, "<p class=\"pages\">{} ", t.pages);
        let _ = write!(html, "<a href=\"/drafts/{}/preview?lang={}&amp;page=0{}\">{}</a> ", esc(id), esc(&p.lang), if phone { "&amp;phone=1" } else { "" }, t.all);
        for n in 1..=p.pages {
            let _ = write!(html, "<a href=\"/drafts/{}/preview?lang={}&amp;page={n}{}\"{}>{n}</a> ", esc(id), esc(&p.lang), if phone { "&amp;phone=1" } else { "" }, if n == p.page { " aria-current=\"page\"" } else { "" });
        }
        html.push_str("</p>");
    }
    let _ = write!(html, "<div class=\"{}\" id=\"preview\"><section class=\"assessment\" lang=\"{}\"><p class=\"eyebrow\">{}</p>", if phone { "phone-frame" } else { "full-frame" }, esc(&p.lang), esc(&p.title));
    if let Some(i) = &p.instructions {
        let _ = write!(html, "<p class=\"instructions\">{}</p>", esc(i));
    }
    html.push_str(&p.items_html);
    let _ = write!(html, "</section></div><p><a href=\"/drafts/{}\">{}</a></p></div>", esc(id), t.back_to_draft);
    html
}

/// `GET /drafts/{id}/diff`.
pub fn comparison(t: &WorkbenchText, id: &str, c: &Comparison) -> String {
    let change = match (&c.level, &c.publishes_as) {
        (Some(l), Some(v)) => fill(t.change_published_as, &[("level", level_name(t, *l)), ("version", &esc(v))]),
        _ => String::new(),
    };
    let mut html = format!("<div class=\"workbench\"><p>{}</p>", fill(t.draft_next_to, &[("instrument", &esc(&c.instrument)), ("parent", &esc(&c.parent)), ("change", &change)]));
    let counted = |k: ItemChangeKind| c.changes.iter().filter(|x| x.change == k).count().to_string();
    let summary = fill(
        t.diff_summary,
        &[("changed", &counted(ItemChangeKind::Changed)), ("added", &counted(ItemChangeKind::Added)), ("retired", &counted(ItemChangeKind::Retired)), ("same", &counted(ItemChangeKind::Same))],
    );
    let _ = write!(
        html,
        "<p id=\"diff-summary\">{summary}</p><div class=\"table-scroll\"><table class=\"data diff\" id=\"diff\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t.item, t.what_changed, t.in_version, t.in_draft
    );
    let texts = |t: &assessments::bank::Text| t.iter().map(|(l, s)| format!("<span lang=\"{}\"><b>{}</b> {}</span>", esc(l), esc(l), esc(s))).collect::<Vec<_>>().join("<br>");
    for ch in c.changes.iter().filter(|x| x.change != ItemChangeKind::Same) {
        let class = match ch.change {
            ItemChangeKind::Changed => "changed",
            ItemChangeKind::Added => "added",
            ItemChangeKind::Retired => "retired",
            ItemChangeKind::Same => "same",
        };
        let _ = write!(html, "<tr class=\"{class}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(&ch.id), esc(&ch.what.join(", ")), texts(&ch.parent_text), texts(&ch.draft_text));
    }
    let _ = write!(html, "</tbody></table></div><p><a href=\"/drafts/{}\">{}</a></p></div>", esc(id), t.back_to_draft);
    html
}
