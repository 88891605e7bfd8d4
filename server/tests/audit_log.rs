//! The audit log for administrators, on SQLite and PostgreSQL: filtered by
//! who, what and when; paged by a cursor that stays put while new entries
//! arrive; downloaded as CSV (itself audited); never another
//! organisation's entries; a bad date is a clear 422.

use crate::common;

use common::web;
use vigil::store::{Actor, AuditEntry};

/// The number in "N entries match".
fn total(page: &str) -> usize {
    let at = page.find("id=\"audit-total\">").expect("the total is shown") + "id=\"audit-total\">".len();
    page[at..].split_whitespace().next().and_then(|n| n.parse().ok()).expect("a number")
}

/// The table's rows.
fn rows(page: &str) -> usize {
    let table = &page[page.find("id=\"audit\"").expect("the table")..];
    let body = &table[table.find("<tbody>").expect("its body")..table.find("</tbody>").expect("its end")];
    body.matches("<tr>").count()
}

/// The "Older entries" link, unescaped.
fn older(page: &str) -> Option<String> {
    let at = page.find("id=\"audit-older\"")?;
    let tag_start = page[..at].rfind("<a ")?;
    let href = &page[tag_start..];
    let start = href.find("href=\"")? + 6;
    Some(href[start..start + href[start..].find('"')?].replace("&amp;", "&"))
}

on_both_databases! {
    async fn an_administrator_filters_pages_and_downloads_the_log(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        let p = web::people(&app).await;
        let s = &app.db.store;
        // 250 automatic entries and one by the recruiter, in org A; one in org B.
        for n in 0..250 {
            let id = format!("campaign-{n:03}");
            s.audit(&AuditEntry { org_id: Some(&p.org_a), actor: Actor::System, action: "campaign.created", object_type: "campaign", object_id: Some(&id), detail: None }).await.expect("audit");
        }
        s.audit(&AuditEntry { org_id: Some(&p.org_a), actor: Actor::User(&p.recruiter_a), action: "decision.recorded", object_type: "invitation", object_id: Some("i1"), detail: None }).await.expect("audit");
        s.audit(&AuditEntry { org_id: Some(&p.org_b), actor: Actor::System, action: "campaign.created", object_type: "campaign", object_id: Some("b-only"), detail: None }).await.expect("audit");
        let admin = web::login(&app, web::ADMIN_A).await;

        // By action: 250, a page of 200, then the rest by the cursor.
        let (status, _, first) = web::get(&app, Some(&admin), "/admin/audit?action=campaign.created").await;
        assert_eq!(status, 200, "{first}");
        assert_eq!((total(&first), rows(&first)), (250, 200));
        let next = older(&first).expect("a link to older entries");
        // New entries meanwhile do not move the next page.
        s.audit(&AuditEntry { org_id: Some(&p.org_a), actor: Actor::System, action: "campaign.created", object_type: "campaign", object_id: Some("late"), detail: None }).await.expect("audit");
        let (_, _, second) = web::get(&app, Some(&admin), &next).await;
        assert_eq!(rows(&second), 50, "the 50 oldest, none twice: {next}");
        assert!(older(&second).is_none() && second.contains("id=\"audit-newest\""), "the last page");
        assert!(!second.contains("b-only"), "never another organisation's entries");

        // By who: the recruiter's one entry; by a day with none.
        let (_, _, theirs) = web::get(&app, Some(&admin), &format!("/admin/audit?who={}", p.recruiter_a)).await;
        assert_eq!((total(&theirs), rows(&theirs)), (1, 1));
        assert!(theirs.contains("Decision recorded") && theirs.contains("Rae Recruiter"), "{theirs}");
        let (_, _, none) = web::get(&app, Some(&admin), "/admin/audit?from=2001-01-01&to=2001-01-31").await;
        assert_eq!(total(&none), 0);

        // The CSV: everything the filter selects, and the download is itself recorded.
        let (status, _, csv) = web::get(&app, Some(&admin), "/admin/audit.csv?action=campaign.created").await;
        assert_eq!(status, 200);
        assert_eq!(csv.lines().count(), 1 + 251, "header and every entry");
        assert!(csv.starts_with("time_utc,who,action,action_code,object") && !csv.contains("b-only"));
        let (_, _, after) = web::get(&app, Some(&admin), "/admin/audit?action=audit.exported").await;
        assert_eq!(total(&after), 1, "the export is in the log");

        // Bad input and the wrong role.
        let (status, _, body) = web::get(&app, Some(&admin), "/admin/audit.csv?from=yesterday").await;
        assert_eq!(status, 422);
        assert!(body.contains("YYYY-MM-DD"), "{body}");
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        assert_eq!(web::get(&app, Some(&recruiter), "/admin/audit.csv").await.0, 403);
    }
}
