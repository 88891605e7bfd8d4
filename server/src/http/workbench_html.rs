//! The instrument workbench's HTML: the library, a draft's editor, the
//! item form, the preview and the comparison with the parent version.
//! Every form works without script; the editor's script only checks the
//! text as it is typed. Everything shown is escaped here.

use std::fmt::Write as _;

use assessments::bank::{changes::VERSION_RULE, changes::ItemChangeKind, ItemDef, ItemType, Issue};

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
pub fn library(lib: &Library, notice: Option<&str>) -> String {
    let mut html = String::from("<div class=\"workbench\">");
    if let Some(n) = notice {
        let _ = write!(html, "<p class=\"notice\" role=\"status\" id=\"notice\">{}</p>", esc(n));
    }
    html.push_str(
        "<p>Every instrument your organisation can use: the banks that ship with Vigil and your own, each version with who published it, its content hash (published versions never change), \
         the campaigns using it and its completed sessions. A retired version is no longer offered for new campaigns; campaigns made with it keep it. Start a draft from any version, or upload a bank file (the format of <code>docs/bank-format.md</code>, at most 2 MB).</p>",
    );
    if !lib.drafts.is_empty() {
        html.push_str("<h2>Open drafts</h2><ul id=\"drafts\">");
        for d in &lib.drafts {
            let from = d.parent.as_deref().map_or_else(|| "uploaded".to_string(), |p| format!("from {}", p.replace('@', " ")));
            let _ = write!(html, "<li><a href=\"/drafts/{}\">{}</a>, {}, revision {}, saved {}</li>", esc(&d.id), esc(&d.instrument), esc(&from), d.revision, esc(&minute_utc(d.updated_at)));
        }
        html.push_str("</ul>");
    }
    html.push_str("<h2>Instruments</h2>");
    for i in &lib.instruments {
        let _ = write!(html, "<section class=\"instrument\" id=\"instrument-{}\"><h3>{} <small>({}, {})</small></h3>", esc(&i.id), esc(&i.title), esc(&i.id), if i.shipped { "shipped with Vigil" } else { "your organisation's" });
        html.push_str("<div class=\"table-scroll\"><table class=\"data\"><thead><tr><th>Version</th><th>Published</th><th>Content hash</th><th>Campaigns</th><th>Completed sessions</th><th>Files</th><th>New draft</th></tr></thead><tbody>");
        for v in &i.versions {
            let when = v.published_at.map(minute_utc).unwrap_or_else(|| "with Vigil".into());
            let campaigns = if v.campaigns.is_empty() { "none".to_string() } else { v.campaigns.iter().map(|c| esc(c)).collect::<Vec<_>>().join(", ") };
            let base = format!("/instruments/{}/{}", esc(&i.id), esc(&v.version));
            let mut files = format!("<a href=\"{base}/report\">technical report</a> · <a href=\"{base}/bank.toml\">bank.toml</a> · <a href=\"{base}/translations.csv\">translations.csv</a>");
            if v.analysable {
                let _ = write!(files, " · <a href=\"{base}/analysis\">item analysis</a> · <a href=\"{base}/calibration\">calibration</a>");
                for f in crate::analysis_export::FILES {
                    let _ = write!(files, " · <a href=\"{base}/{f}\">{f}</a>");
                }
            }
            let new_id = if i.shipped { format!("<label>Your instrument's id <input name=\"new_id\" required pattern=\"[a-z0-9_-]+\" value=\"{}-own\"></label> ", esc(&i.id)) } else { String::new() };
            let start = format!(
                "<form method=\"post\" action=\"/drafts\" class=\"inline-form\"><input type=\"hidden\" name=\"instrument\" value=\"{}\"><input type=\"hidden\" name=\"version\" value=\"{}\">{new_id}<button type=\"submit\" class=\"button secondary\">Start a draft</button></form>",
                esc(&i.id),
                esc(&v.version)
            );
            let note = if v.note.is_empty() { String::new() } else { format!("<br><small>{}</small>", esc(&v.note)) };
            let retirement = match &v.retired {
                Some((by, at)) => format!(
                    "<br><small class=\"retired\">retired {} by {}: not offered for new campaigns</small> <form method=\"post\" action=\"{base}/retirement\" class=\"inline-form\"><input type=\"hidden\" name=\"retire\" value=\"0\"><button type=\"submit\" class=\"button secondary\">Offer again</button></form>",
                    esc(&minute_utc(*at)),
                    esc(by)
                ),
                None => format!("<br><form method=\"post\" action=\"{base}/retirement\" class=\"inline-form\"><input type=\"hidden\" name=\"retire\" value=\"1\"><button type=\"submit\" class=\"button secondary\">Retire</button></form>"),
            };
            let _ = write!(
                html,
                "<tr><td>{}{note}{retirement}</td><td>{} by {}</td><td><code title=\"{}\">{}</code></td><td>{campaigns}</td><td>{}</td><td>{files}</td><td>{start}</td></tr>",
                esc(&v.version),
                esc(&when),
                esc(&v.published_by),
                esc(&v.content_hash),
                esc(&short_hash(&v.content_hash)),
                v.completed_sessions
            );
        }
        html.push_str("</tbody></table></div></section>");
    }
    html.push_str(
        "<h2>Upload a bank file</h2><form method=\"post\" action=\"/drafts/upload\" enctype=\"multipart/form-data\" class=\"stacked\"><label for=\"bank-file\">Bank file (TOML, at most 2 MB)</label>\
         <input type=\"file\" id=\"bank-file\" name=\"file\" accept=\".toml,text/plain\" required><button type=\"submit\" class=\"button\" id=\"upload\">Upload as a draft</button></form>\
         <p>One completed session in detail (its answers in order with latencies, validity indices, scores and, when adaptive, the engine's trace): <code>/instruments/&lt;instrument&gt;/&lt;version&gt;/sessions/&lt;respondent&gt;</code> with a respondent from <code>sessions.csv</code>. \
         Norm tables from your sessions: <a href=\"/norms\">the norm builder</a>.</p><p><a href=\"/staff\">Back to the start</a></p></div>",
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

fn problems_section(p: &Problems) -> String {
    let mut html = String::new();
    if !p.errors.is_empty() {
        let _ = write!(html, "<section class=\"problems\"><h2>Problems to fix ({})</h2><p>The same checks and messages as <code>vigil bank validate</code>; lines are those of the text below.</p>{}</section>", p.errors.len(), issue_list("problems", &p.errors));
    }
    if !p.translations.is_empty() {
        let _ = write!(html, "<section class=\"missing\"><h2>Missing translations ({})</h2>{}</section>", p.translations.len(), issue_list("missing-translations", &p.translations));
    }
    html
}

fn item_row(id: &str, base: i64, item: &ItemDef, first_lang: &str) -> String {
    let path = format!("/drafts/{id}/items/{}", item.id);
    let kind = match item.kind {
        ItemType::Likert => "statement",
        ItemType::Sjt => "scenario",
        ItemType::Check => "check",
    };
    format!(
        "<tr><td><a href=\"{p}\">{}</a></td><td>{}</td><td>{kind}{}</td><td>{}</td><td>{}{}{}<a class=\"button secondary\" href=\"/drafts/{}/preview?item={}\">Preview</a></td></tr>",
        esc(&item.id),
        esc(item.scale.as_deref().unwrap_or("—")),
        if item.reverse == Some(true) { ", reversed" } else { "" },
        esc(item.text.get(first_lang).map_or("", String::as_str)),
        post_button(&format!("{path}/move"), base, "Up", "<input type=\"hidden\" name=\"direction\" value=\"up\">"),
        post_button(&format!("{path}/move"), base, "Down", "<input type=\"hidden\" name=\"direction\" value=\"down\">"),
        post_button(&format!("{path}/retire"), base, "Retire", ""),
        esc(id),
        esc(&item.id),
        p = esc(&path),
    )
}

/// `GET /drafts/{id}`; `text` is the text to show in the editor (the
/// user's own after a refused save), `error` why it was refused.
pub fn draft(v: &DraftView, notice: Option<&str>, text: Option<&str>, error: Option<&str>) -> String {
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
    let from = d.parent.as_deref().map_or_else(|| "uploaded".to_string(), |p| format!("made from {}", p.replace('@', " ")));
    let _ = write!(html, "<p>Draft of <strong>{}</strong>, {}, revision {} (saved {}).</p>", esc(&d.instrument), esc(&from), base, esc(&minute_utc(d.updated_at)));
    if d.status != "open" {
        let _ = write!(html, "<p class=\"note\" id=\"closed\">This draft is {}{}; it can no longer be changed.</p>", esc(&d.status), d.published_version.as_deref().map(|v| format!(" as version {}", esc(v))).unwrap_or_default());
    }
    match (&v.publishes_as, v.problems.is_empty()) {
        (Some(version), true) => {
            let _ = write!(html, "<p class=\"ready\" id=\"status\">Ready to publish as version <strong id=\"next-version\">{}</strong>{}.</p>", esc(version), v.level.map(|l| format!(": {}", l.label())).unwrap_or_default());
        }
        (Some(version), false) => {
            let _ = write!(html, "<p id=\"status\">Once the lists below are empty it will be published as version <strong id=\"next-version\">{}</strong>.</p>", esc(version));
        }
        (None, _) => {
            let _ = write!(html, "<p id=\"status\">Not ready to publish yet{}.</p>", if v.level == Some(assessments::bank::changes::ChangeLevel::None) { ": nothing has changed since the version it was made from" } else { "" });
        }
    }
    let _ = write!(html, "<p class=\"small\" id=\"version-rule\">How the version number is chosen: {}</p>", esc(VERSION_RULE));
    html.push_str(&problems_section(&v.problems));
    html.push_str("<h2>Look before publishing</h2><ul class=\"links\">");
    let langs: Vec<String> = v.file.as_ref().map(|f| f.instrument.languages.clone()).unwrap_or_default();
    for lang in &langs {
        let _ = write!(html, "<li><a href=\"/drafts/{id}/preview?lang={l}\">Preview in {l}</a> · <a href=\"/drafts/{id}/preview?lang={l}&amp;phone=1\">at phone width</a></li>", l = esc(lang));
    }
    if v.parent.is_some() {
        let _ = write!(html, "<li><a href=\"/drafts/{id}/diff\" id=\"diff-link\">Side by side with the version it came from</a></li>");
    }
    html.push_str("</ul>");
    if let Some(file) = &v.file {
        let first = langs.first().map_or("en", String::as_str);
        let _ = write!(html, "<h2>Items ({})</h2><p class=\"small\">In the order of the file (each session shuffles). Open an item to edit its texts, scale and keys.</p><div class=\"table-scroll\"><table class=\"data\" id=\"items\"><thead><tr><th>Item</th><th>Scale</th><th>Type</th><th>Text ({})</th><th>Change</th></tr></thead><tbody>", file.items.len(), esc(first));
        for item in &file.items {
            html.push_str(&item_row(&d.id, base, item, first));
        }
        html.push_str("</tbody></table></div>");
    }
    if let Some(file) = &v.file {
        let first = langs.first().map_or("en", String::as_str);
        html.push_str("<h2>Scales and settings</h2><ul id=\"scales\">");
        for scale in &file.scales {
            let _ = write!(html, "<li><a href=\"/drafts/{id}/scales/{}\">{}</a> ({})</li>", esc(&scale.id), esc(scale.name.get(first).map_or(scale.id.as_str(), String::as_str)), esc(&scale.id));
        }
        let _ = write!(html, "<li><a href=\"/drafts/{id}/cat\" id=\"cat-link\">Adaptive-testing settings</a></li><li><a href=\"/drafts/{id}/validity\" id=\"validity-link\">Response-validity rules</a></li></ul>");
    }
    let mut sources = String::new();
    for (key, label) in &v.copy_sources {
        let _ = write!(sources, "<option value=\"{}\">{}</option>", esc(key), esc(label));
    }
    let _ = write!(
        html,
        "<h2>Copy an item from another instrument</h2><form method=\"post\" action=\"/drafts/{id}/copy\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{base}\">\
         <label for=\"copy-from\">From</label><select id=\"copy-from\" name=\"from\">{sources}</select><label for=\"copy-item\">Item id</label><input id=\"copy-item\" name=\"item\" required>\
         <button type=\"submit\" class=\"button secondary\">Copy the item</button></form>"
    );
    let shown = text.unwrap_or(&d.source);
    let _ = write!(
        html,
        "<h2>The whole text</h2><p class=\"small\">Scales, interpretation texts, validity and adaptive settings are edited here (format: <code>docs/bank-format.md</code>). Problems are checked as you type; saving keeps every revision.</p>\
         <form method=\"post\" action=\"/drafts/{id}/source\" class=\"stacked\" id=\"source-form\" data-check=\"/drafts/{id}/check\"><input type=\"hidden\" name=\"base\" value=\"{base}\">\
         <label for=\"source\">Bank text (TOML)</label><textarea id=\"source\" name=\"source\" class=\"source\" spellcheck=\"false\">{}</textarea>\
         <div id=\"live-problems\" aria-live=\"polite\"></div><button type=\"submit\" class=\"button\" id=\"save-source\">Save</button></form>",
        esc(shown)
    );
    let _ = write!(
        html,
        "<h2>Translations</h2><p><a href=\"/drafts/{id}/translations.csv\" id=\"translations-download\">Download the texts as a translation table (CSV)</a>: one row per text, one column per language. \
         Add a column to add a language. Importing it back changes only the texts that differ.</p>\
         <form method=\"post\" action=\"/drafts/{id}/translations\" enctype=\"multipart/form-data\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{base}\">\
         <label for=\"translations-file\">Translation table (CSV)</label><input type=\"file\" id=\"translations-file\" name=\"file\" accept=\".csv,text/csv\" required><button type=\"submit\" class=\"button secondary\">Import</button></form>"
    );
    let _ = write!(
        html,
        "<h2>Publish</h2><p>Publishing makes this draft a new version that never changes (its content hash is recorded). Campaigns keep the version they were made with; new campaigns are offered the new one.</p>\
         <form method=\"post\" action=\"/drafts/{id}/publish\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{base}\"><label for=\"note\">Change note (what changed and why)</label>\
         <textarea id=\"note\" name=\"note\" class=\"text\" required maxlength=\"2000\"></textarea><button type=\"submit\" class=\"button\" id=\"publish\">Publish</button></form>"
    );
    html.push_str("<h2>Revisions</h2><div class=\"table-scroll\"><table class=\"data\" id=\"revisions\"><thead><tr><th>Revision</th><th>Saved</th><th>By</th><th>What</th><th></th></tr></thead><tbody>");
    for r in &v.revisions {
        let restore = if r.revision == base { "current".to_string() } else { post_button(&format!("/drafts/{}/restore", d.id), base, "Restore", &format!("<input type=\"hidden\" name=\"revision\" value=\"{}\">", r.revision)) };
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
    html.push_str(&post_button(&format!("/drafts/{}/discard", d.id), base, "Discard this draft", ""));
    html.push_str("<p><a href=\"/instruments\">Back to the instruments</a></p></div><script src=\"/workbench/editor.js\" defer></script>");
    html
}

/// The start of the form of one part (`Item`, `items`) of a draft: what it
/// is, the revision it is made from.
fn part_form_start(d: &crate::store::DraftRow, label: &str, path: &str, id: &str, intro: &str) -> String {
    format!(
        "<div class=\"workbench\"><p>{label} <code>{}</code> of the draft of {} (revision {}). {}</p><form method=\"post\" action=\"/drafts/{}/{path}/{}\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{}\">",
        esc(id),
        esc(&d.instrument),
        d.revision,
        esc(intro),
        esc(&d.id),
        esc(id),
        d.revision
    )
}

/// `GET /drafts/{id}/items/{item}`.
pub fn item_form(v: &DraftView, item: &ItemDef) -> String {
    let d = &v.draft;
    let langs: Vec<String> = v.file.as_ref().map(|f| f.instrument.languages.clone()).unwrap_or_default();
    let scales: Vec<String> = v.file.as_ref().map(|f| f.scales.iter().map(|s| s.id.clone()).collect()).unwrap_or_default();
    let responses: Vec<String> = v.file.as_ref().map(|f| f.response_scales.iter().map(|s| s.id.clone()).collect()).unwrap_or_default();
    let select = |name: &str, options: &[String], current: Option<&str>| {
        let mut s = format!("<select id=\"{name}\" name=\"{name}\"><option value=\"\">none</option>");
        for o in options {
            let _ = write!(s, "<option value=\"{}\"{}>{}</option>", esc(o), if current == Some(o.as_str()) { " selected" } else { "" }, esc(o));
        }
        s.push_str("</select>");
        s
    };
    let mut html = part_form_start(d, "Item", "items", &item.id, "Saving makes a new revision; a change that would break the instrument is refused with the reason, and nothing is saved.");
    let kinds = [("likert", "Statement (agreement scale)"), ("sjt", "Scenario (options with keys)"), ("check", "Check item (attention, no scale)")];
    let _ = write!(html, "<label for=\"type\">Type</label><select id=\"type\" name=\"type\">");
    for (value, label) in kinds {
        let current = matches!((value, item.kind), ("likert", ItemType::Likert) | ("sjt", ItemType::Sjt) | ("check", ItemType::Check));
        let _ = write!(html, "<option value=\"{value}\"{}>{label}</option>", if current { " selected" } else { "" });
    }
    html.push_str("</select><p class=\"small\">Changing the type changes what the other fields mean: set them together, in one save.</p>");
    for lang in &langs {
        let _ = write!(html, "<label for=\"text-{l}\">Text ({l})</label><textarea id=\"text-{l}\" name=\"text.{l}\" class=\"text\">{}</textarea>", esc(item.text.get(lang).map_or("", String::as_str)), l = esc(lang));
    }
    let _ = write!(html, "<label for=\"scale\">Scale</label>{}", select("scale", &scales, item.scale.as_deref()));
    if item.kind != ItemType::Sjt {
        let _ = write!(html, "<label for=\"response_scale\">Response scale</label>{}", select("response_scale", &responses, item.response_scale.as_deref()));
    }
    if item.kind == ItemType::Likert {
        let _ = write!(html, "<label class=\"choice\"><input type=\"checkbox\" name=\"reverse\" value=\"on\"{}> Reverse keyed (agreeing means less of the trait)</label>", if item.reverse == Some(true) { " checked" } else { "" });
    }
    let _ = write!(html, "<label for=\"facet\">Facet (optional)</label><input id=\"facet\" name=\"facet\" value=\"{}\">", esc(item.facet.as_deref().unwrap_or("")));
    if item.kind == ItemType::Check {
        let attentive = item.attentive.as_ref().map(|a| a.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")).unwrap_or_default();
        let _ = write!(html, "<label for=\"attentive\">Answers that show attention (comma-separated values)</label><input id=\"attentive\" name=\"attentive\" value=\"{}\">", esc(&attentive));
    }
    for o in &item.options {
        let _ = write!(html, "<fieldset><legend>Option {}</legend><label for=\"key-{o}\">Key (expert effectiveness, 0 = worst)</label><input type=\"number\" id=\"key-{o}\" name=\"key.{o}\" value=\"{}\">", esc(&o.id), o.key.map(|k| k.to_string()).unwrap_or_default(), o = esc(&o.id));
        for lang in &langs {
            let _ = write!(html, "<label for=\"option-{o}-{l}\">Text ({l})</label><textarea id=\"option-{o}-{l}\" name=\"option.{o}.{l}\" class=\"text\">{}</textarea>", esc(o.text.get(lang).map_or("", String::as_str)), o = esc(&o.id), l = esc(lang));
        }
        html.push_str("</fieldset>");
    }
    let _ = write!(html, "<button type=\"submit\" class=\"button\">Save the item</button></form><p><a href=\"/drafts/{}\">Back to the draft</a></p></div>", esc(&d.id));
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
pub fn scale_form(v: &DraftView, scale: &assessments::bank::ScaleDef) -> String {
    let d = &v.draft;
    let langs: Vec<String> = v.file.as_ref().map(|f| f.instrument.languages.clone()).unwrap_or_default();
    let mut html = part_form_start(d, "Scale", "scales", &scale.id, "Its name, description and the interpretation texts recruiters read; keys and items are changed on the items.");
    text_fields(&mut html, "name", "Name", &langs, Some(&scale.name));
    text_fields(&mut html, "description", "Description", &langs, scale.description.as_ref());
    let interpretation = scale.interpretation.as_ref();
    text_fields(&mut html, "low", "Interpretation of a low score", &langs, interpretation.map(|i| &i.low));
    text_fields(&mut html, "average", "Interpretation of an average score", &langs, interpretation.map(|i| &i.average));
    text_fields(&mut html, "high", "Interpretation of a high score", &langs, interpretation.map(|i| &i.high));
    for lang in &langs {
        let current = interpretation.and_then(|i| i.interview_prompts.get(lang)).map(|l| l.join("\n")).unwrap_or_default();
        let _ = write!(
            html,
            "<label for=\"prompts-{l}\">Interview prompts for a low score ({l}), one per line</label><textarea id=\"prompts-{l}\" name=\"prompts.{l}\" class=\"text\" rows=\"4\">{}</textarea>",
            esc(&current),
            l = esc(lang)
        );
    }
    let _ = write!(html, "<button type=\"submit\" class=\"button\" id=\"save-scale\">Save the scale</button></form><p><a href=\"/drafts/{}\">Back to the draft</a></p></div>", esc(&d.id));
    html
}

/// `GET /drafts/{id}/cat`.
pub fn cat_form(v: &DraftView) -> String {
    let d = &v.draft;
    let cat = v.file.as_ref().and_then(|f| f.cat.clone()).unwrap_or_default();
    let show = |x: Option<String>| esc(&x.unwrap_or_default());
    format!(
        "<div class=\"workbench\"><p>How an adaptive session of this instrument stops and chooses (empty: the default of <code>docs/psychometrics.md</code> section 6). A change here makes a minor version.</p>\
         <form method=\"post\" action=\"/drafts/{id}/cat\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{}\">\
         <label for=\"se-target\">Stop a scale at this standard error or below (0 to 1; default 0.30)</label><input id=\"se-target\" name=\"se_target\" inputmode=\"decimal\" value=\"{}\">\
         <label for=\"min-items\">Never stop before this many items (default 3)</label><input id=\"min-items\" name=\"min_items\" inputmode=\"numeric\" value=\"{}\">\
         <label for=\"max-items\">Always stop at this many items (default 20)</label><input id=\"max-items\" name=\"max_items\" inputmode=\"numeric\" value=\"{}\">\
         <label for=\"randomesque\">Choose among the k most informative items (1 to 10; default 1)</label><input id=\"randomesque\" name=\"randomesque\" inputmode=\"numeric\" value=\"{}\">\
         <button type=\"submit\" class=\"button\" id=\"save-cat\">Save the settings</button></form><p><a href=\"/drafts/{id}\">Back to the draft</a></p></div>",
        d.revision,
        show(cat.se_target.map(|x| x.to_string())),
        show(cat.min_items.map(|x| x.to_string())),
        show(cat.max_items.map(|x| x.to_string())),
        show(cat.randomesque.map(|x| x.to_string())),
        id = esc(&d.id)
    )
}

/// `GET /drafts/{id}/validity`: each rule with its default (an empty field keeps it).
pub fn validity_form(v: &DraftView) -> String {
    use assessments::validity as d;
    let dr = &v.draft;
    let rules = v.file.as_ref().map(|f| f.validity.clone()).unwrap_or_default();
    let show = |x: Option<String>| esc(&x.unwrap_or_default());
    let pairs: Vec<String> = rules.inconsistency_pairs.iter().map(|[a, b]| format!("{a} {b}")).collect();
    let field = |id: &str, name: &str, label: String, value: String| {
        format!("<label for=\"{id}\">{}</label><input id=\"{id}\" name=\"{name}\" inputmode=\"decimal\" value=\"{value}\">", esc(&label))
    };
    let fields = [
        field("min-median", "min_median_seconds", format!("Invalid when the median answer takes less than this many seconds (default {})", d::DEFAULT_MIN_MEDIAN_SECONDS), show(rules.min_median_seconds.map(|x| x.to_string()))),
        field("longstring-caution", "longstring_caution_share", format!("Caution when one answer runs unchanged through this share of a page's questions, 0 to 1 (default {})", d::DEFAULT_LONGSTRING_CAUTION_SHARE), show(rules.longstring_caution_share.map(|x| x.to_string()))),
        field("longstring-invalid", "longstring_invalid_share", format!("Invalid from this share (default {})", d::DEFAULT_LONGSTRING_INVALID_SHARE), show(rules.longstring_invalid_share.map(|x| x.to_string()))),
        field("infrequency-caution", "infrequency_caution_fails", format!("Caution when this many attention checks are missed (default {})", d::DEFAULT_INFREQUENCY_CAUTION_FAILS), show(rules.infrequency_caution_fails.map(|x| x.to_string()))),
        field("infrequency-invalid", "infrequency_invalid_fails", format!("Invalid from this many (default {})", d::DEFAULT_INFREQUENCY_INVALID_FAILS), show(rules.infrequency_invalid_fails.map(|x| x.to_string()))),
        field("inconsistency-caution", "inconsistency_caution", format!("Caution when the pairs below differ by this much on average, in scale points (default {})", d::DEFAULT_INCONSISTENCY_CAUTION), show(rules.inconsistency_caution.map(|x| x.to_string()))),
        field("im-caution", "impression_management_caution_t", format!("Caution when the impression-management scale reaches this T score (default {})", d::DEFAULT_IMPRESSION_MANAGEMENT_CAUTION_T), show(rules.impression_management_caution_t.map(|x| x.to_string()))),
        field("irv-caution", "irv_caution_below", "Caution when the spread of a person's answers (SD) is below this (no default: empty reports it only)".to_string(), show(rules.irv_caution_below.map(|x| x.to_string()))),
    ];
    format!(
        "<div class=\"workbench\"><p>When a session's answers are flagged as needing caution or as not interpretable (<code>docs/psychometrics.md</code> section 7). Empty fields keep the default. A flag never changes a score; recruiters see it beside the profile. A change here makes a minor version.</p>\
         <form method=\"post\" action=\"/drafts/{id}/validity\" class=\"stacked\"><input type=\"hidden\" name=\"base\" value=\"{}\">{}\
         <label for=\"inconsistency-pairs\">Pairs of near-synonymous items of one scale, keyed the same way: one pair a line, such as <code>svi-mot-01 svi-mot-02</code></label><textarea id=\"inconsistency-pairs\" name=\"inconsistency_pairs\" rows=\"5\">{}</textarea>\
         <button type=\"submit\" class=\"button\" id=\"save-validity\">Save the rules</button></form><p><a href=\"/drafts/{id}\">Back to the draft</a></p></div>",
        dr.revision,
        fields.concat(),
        esc(&pairs.join("\n")),
        id = esc(&dr.id)
    )
}

/// `GET /drafts/{id}/preview`.
pub fn preview(id: &str, p: &Preview, phone: bool, item: Option<&str>) -> String {
    let mut html = String::from("<div class=\"workbench\"><nav class=\"language-switch\" aria-label=\"Preview language\">");
    for lang in &p.languages {
        let here = if *lang == p.lang { " aria-current=\"true\"" } else { "" };
        let _ = write!(html, "<a href=\"/drafts/{}/preview?lang={l}{}{}\"{here}>{l}</a> ", esc(id), if phone { "&amp;phone=1" } else { "" }, item.map(|i| format!("&amp;item={}", esc(i))).unwrap_or_default(), l = esc(lang));
    }
    let _ = write!(
        html,
        "</nav><p class=\"small\">Exactly as a candidate sees it (without saving answers). {} · <a href=\"/drafts/{}/preview?lang={}{}\">{}</a></p>",
        if p.missing > 0 { format!("{} text(s) in {} are still missing and are marked.", p.missing, esc(&p.lang)) } else { format!("Every text is there in {}.", esc(&p.lang)) },
        esc(id),
        esc(&p.lang),
        if phone { "" } else { "&amp;phone=1" },
        if phone { "Full width" } else { "Phone width" }
    );
    if p.pages > 1 && item.is_none() {
        html.push_str("<p class=\"pages\">Pages: ");
        let _ = write!(html, "<a href=\"/drafts/{}/preview?lang={}&amp;page=0{}\">all</a> ", esc(id), esc(&p.lang), if phone { "&amp;phone=1" } else { "" });
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
    let _ = write!(html, "</section></div><p><a href=\"/drafts/{}\">Back to the draft</a></p></div>", esc(id));
    html
}

/// `GET /drafts/{id}/diff`.
pub fn comparison(id: &str, c: &Comparison) -> String {
    let mut html = format!(
        "<div class=\"workbench\"><p>The draft of {} next to {}{}.</p>",
        esc(&c.instrument),
        esc(&c.parent),
        match (&c.level, &c.publishes_as) {
            (Some(l), Some(v)) => format!(": a {} change, published as {}", esc(l.label()), esc(v)),
            _ => String::new(),
        }
    );
    let counted = |k: ItemChangeKind| c.changes.iter().filter(|x| x.change == k).count();
    let _ = write!(html, "<p id=\"diff-summary\">{} changed, {} added, {} retired, {} the same.</p>", counted(ItemChangeKind::Changed), counted(ItemChangeKind::Added), counted(ItemChangeKind::Retired), counted(ItemChangeKind::Same));
    html.push_str("<div class=\"table-scroll\"><table class=\"data diff\" id=\"diff\"><thead><tr><th>Item</th><th>What changed</th><th>In the version</th><th>In the draft</th></tr></thead><tbody>");
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
    let _ = write!(html, "</tbody></table></div><p><a href=\"/drafts/{}\">Back to the draft</a></p></div>", esc(id));
    html
}
