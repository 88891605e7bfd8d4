// Longer than 600 lines: one table of every route and every role, kept whole so that a new route cannot be left out of it.
//! The role x route matrix, over real HTTP on SQLite and PostgreSQL: every
//! route and server function, called by each role of organisation A, by
//! organisation B's admin and recruiter, by an anonymous caller and by a
//! candidate of A, against objects of A, of B, and A's campaign with B's
//! candidate. Only the allowed combinations succeed; another organisation's
//! object answers 404 (never 403, never data); state-changing posts from
//! another site are refused and change nothing. `every_route_has_a_row`
//! fails when a route or server function exists that the matrix does not
//! list, so a new route cannot be added without deciding who may call it.

use crate::common;

use std::collections::BTreeSet;

use app::staff::model::StaffRole;
use common::{web::*, TestApp};
use vigil::catalog::Catalog;

// ---------------------------------------------------------------------------
// Callers, targets, expectations
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Org {
    A,
    B,
}

impl Org {
    /// A word in every name and e-mail address of this organisation's
    /// campaigns, candidates and invited colleagues: no response for
    /// another organisation's caller may contain it.
    fn marker(self) -> &'static str {
        match self {
            Org::A => "Quillon",
            Org::B => "Brevard",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    AdminA,
    RecruiterA,
    PsychologistA,
    SecurityA,
    AdminB,
    RecruiterB,
    /// Holds only the candidate cookie of one of A's invitations.
    CandidateA,
}

impl Who {
    const ALL: [Who; 8] = [Who::Anonymous, Who::AdminA, Who::RecruiterA, Who::PsychologistA, Who::SecurityA, Who::AdminB, Who::RecruiterB, Who::CandidateA];

    /// The staff role and organisation, for signed-in staff.
    fn staff(self) -> Option<(StaffRole, Org)> {
        match self {
            Who::AdminA => Some((StaffRole::Admin, Org::A)),
            Who::RecruiterA => Some((StaffRole::Recruiter, Org::A)),
            Who::PsychologistA => Some((StaffRole::Psychologist, Org::A)),
            Who::SecurityA => Some((StaffRole::Security, Org::A)),
            Who::AdminB => Some((StaffRole::Admin, Org::B)),
            Who::RecruiterB => Some((StaffRole::Recruiter, Org::B)),
            Who::Anonymous | Who::CandidateA => None,
        }
    }

    /// The organisation whose data this caller may see.
    fn org(self) -> Option<Org> {
        match self {
            Who::CandidateA => Some(Org::A),
            other => other.staff().map(|(_, org)| org),
        }
    }

    /// Short name, used in the addresses a caller's posts create.
    fn slug(self) -> &'static str {
        match self {
            Who::Anonymous => "anonymous",
            Who::AdminA => "admin-a",
            Who::RecruiterA => "recruiter-a",
            Who::PsychologistA => "psychologist-a",
            Who::SecurityA => "security-a",
            Who::AdminB => "admin-b",
            Who::RecruiterB => "recruiter-b",
            Who::CandidateA => "candidate-a",
        }
    }
}

/// Whose object a request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// The route names no object (a list, a form): the caller's own organisation.
    Own,
    Of(Org),
    /// A's campaign with B's candidates in the same path.
    Mixed,
}

/// How a route is reached, which decides what an anonymous caller gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An HTML page (GET, Leptos or axum): anonymous -> 303 to /login.
    Page,
    /// A plain HTML form post: anonymous -> 303 to /login.
    Form,
    /// A multipart form post (the CSV upload).
    Upload,
    /// A file download (GET): anonymous -> 303 to /login.
    Download,
    /// A server function, url-encoded arguments: anonymous -> 401.
    Api,
    /// A server function with JSON input.
    Json,
    /// Any other GET (health check, static files).
    Plain,
    /// The integration API (`/api/v1`): a bearer key, never a cookie; JSON bodies.
    Key,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Status(u16),
    /// 303 to a location matching this pattern (placeholders filled; one `*` matches anything).
    See(&'static str),
}

/// Who may call a route.
#[derive(Clone, Copy)]
enum Rule {
    /// Everyone gets the same answer: public pages, and links that are
    /// capabilities in themselves (a staff cookie adds nothing).
    Same(Expect),
    /// Candidate routes: `with` for the holder of a candidate cookie,
    /// `without` for everybody else, staff included.
    Candidate { with: Expect, without: Expect },
    /// Any signed-in staff member, of any role.
    Staff(Expect),
    /// Staff whose role `may` call it; `object`: the route names an object of
    /// one organisation, which is 404 for every other organisation.
    Role { may: fn(StaffRole) -> bool, object: bool, ok: Expect },
}

/// The product's intended rules (not the code's methods, so a change there shows here).
fn admins(role: StaffRole) -> bool {
    role == StaffRole::Admin
}
fn recruiters(role: StaffRole) -> bool {
    matches!(role, StaffRole::Admin | StaffRole::Recruiter)
}
/// `may_analyse`: psychologists and administrators, never recruiters.
fn analysts(role: StaffRole) -> bool {
    matches!(role, StaffRole::Admin | StaffRole::Psychologist)
}
/// `may_read_workforce`: the security role and administrators, never recruiters or psychologists.
fn workforce_readers(role: StaffRole) -> bool {
    matches!(role, StaffRole::Admin | StaffRole::Security)
}
/// `may_read_outbox`: the same people as `may_recruit`.
fn outbox_readers(role: StaffRole) -> bool {
    matches!(role, StaffRole::Admin | StaffRole::Recruiter)
}

const fn recruit(object: bool, ok: Expect) -> Rule {
    Rule::Role { may: recruiters, object, ok }
}
const fn admin(object: bool, ok: Expect) -> Rule {
    Rule::Role { may: admins, object, ok }
}
const fn workforce(object: bool, ok: Expect) -> Rule {
    Rule::Role { may: workforce_readers, object, ok }
}

/// One route (or server function) of the application.
struct Row {
    method: &'static str,
    /// As written in the source: axum's `{id}`, Leptos' `:id`, `/api/<endpoint>`.
    route: &'static str,
    kind: Kind,
    rule: Rule,
    /// The request. Placeholders: {campaign} {completed} {pending} {resend}
    /// {revocable} {message} {token} {user} {draft} of the target organisation, {marker} its
    /// word, {me} the caller's slug.
    path: &'static str,
    body: &'static str,
    /// A post that changes something: refused from another site.
    changes_state: bool,
}

const fn row(method: &'static str, route: &'static str, kind: Kind, rule: Rule, path: &'static str, body: &'static str) -> Row {
    let changes_state = matches!(kind, Kind::Form | Kind::Upload);
    Row { method, route, kind, rule, path, body, changes_state }
}

const fn changing(mut r: Row) -> Row {
    r.changes_state = true;
    r
}

use Expect::{See, Status};
use Kind::*;

const OK: Expect = Status(200);
const CAMPAIGN_FORM: &str = "name={marker}+campaign+by+{me}&role_family=security+operations&instrument=svi%401.0.0&instrument=sjs%401.0.0&invitation_days=14";

/// The matrix. Rows run in this order; within a row the refused
/// combinations run before the allowed ones. The last two end the sessions.
const ROWS: &[Row] = &[
    // Public: the same for everybody.
    row("GET", "/healthz", Plain, Rule::Same(OK), "/healthz", ""),
    row("GET", "/favicon.svg", Plain, Rule::Same(Status(404)), "/favicon.svg", ""), // the test site folder is empty
    row("GET", "/pkg", Plain, Rule::Same(Status(404)), "/pkg/vigil.css", ""),
    row("GET", "", Page, Rule::Same(OK), "/", ""),
    row("GET", "/check", Page, Rule::Same(OK), "/check", ""),
    row("POST", "/api/device_check", Api, Rule::Same(OK), "/api/device_check", ""),
    row("GET", "/login", Page, Rule::Same(OK), "/login", ""),
    row("GET", "/set-password/:token", Page, Rule::Same(OK), "/set-password/not-a-real-token", ""),
    row("POST", "/set-password", Form, Rule::Same(Status(404)), "/set-password", "token=not-a-real-token&password=a-long-enough-password&repeat=a-long-enough-password"),
    // Candidates: the link is the capability; everything after it needs the candidate cookie.
    row("GET", "/take/:token", Page, Rule::Same(See("/assessment")), "/take/{token}", ""),
    row("POST", "/api/open_invitation", Api, Rule::Same(See("/assessment")), "/api/open_invitation", "token={token}"),
    row("GET", "/assessment", Page, Rule::Candidate { with: OK, without: Status(404) }, "/assessment", ""),
    row("POST", "/api/candidate_view", Api, Rule::Candidate { with: OK, without: Status(404) }, "/api/candidate_view", ""),
    row("GET", "/assessment/declined", Page, Rule::Same(OK), "/assessment/declined", ""),
    row("POST", "/assessment/start", Form, Rule::Candidate { with: See("/assessment"), without: Status(404) }, "/assessment/start", ""),
    row("POST", "/assessment/answers", Form, Rule::Candidate { with: See("/assessment?page=2"), without: Status(404) }, "/assessment/answers", "page=1&seq=1&nav=next&a%3Asvi%2Fsvi-mot-01=3"),
    changing(row(
        "POST",
        "/api/save_answers",
        Json,
        Rule::Candidate { with: OK, without: Status(404) },
        "/api/save_answers",
        r#"{"answers":[{"key":"svi/svi-mot-02","value":"4","seq":50}]}"#,
    )),
    // A candidate's rights: their copy, and their requests (asking twice while open changes nothing).
    // The fixture's candidate has not finished: no report yet (tests/feedback.rs reads one).
    row("GET", "/assessment/feedback", Page, Rule::Candidate { with: Status(404), without: Status(404) }, "/assessment/feedback", ""),
    // The optional group questions come after finishing (tests/fairness.rs answers them).
    row("GET", "/assessment/about-you", Page, Rule::Candidate { with: Status(404), without: Status(404) }, "/assessment/about-you", ""),
    row("POST", "/assessment/about-you", Form, Rule::Candidate { with: Status(404), without: Status(404) }, "/assessment/about-you", "gender=woman"),
    row("GET", "/assessment/your-data", Page, Rule::Candidate { with: OK, without: Status(404) }, "/assessment/your-data", ""),
    row("GET", "/assessment/your-data.json", Download, Rule::Candidate { with: OK, without: Status(404) }, "/assessment/your-data.json", ""),
    row("POST", "/assessment/your-data/requests", Form, Rule::Candidate { with: See("/assessment/your-data?asked=1"), without: Status(404) }, "/assessment/your-data/requests", "kind=review&note=please"),
    row("POST", "/assessment/language", Form, Rule::Candidate { with: See("/assessment?page=1"), without: Status(404) }, "/assessment/language", "lang=de&page=1"),
    row("POST", "/assessment/decline", Form, Rule::Candidate { with: See("/assessment/declined?lang=de"), without: Status(404) }, "/assessment/decline", ""),
    // A started session without answers is not finished: 422 says what is missing (the candidate may, the others may not).
    row("POST", "/assessment/finish", Form, Rule::Candidate { with: Status(422), without: Status(404) }, "/assessment/finish", ""),
    // The second step of signing in: only a session waiting for its code (none here) gets the form.
    row("GET", "/login/code", Page, Rule::Same(See("/login")), "/login/code", ""),
    row("POST", "/login/code", Form, Rule::Same(See("/login")), "/login/code", "code=123456"),
    // Every signed-in staff member.
    row("GET", "/staff", Page, Rule::Staff(OK), "/staff", ""),
    row("POST", "/api/staff_me", Api, Rule::Staff(OK), "/api/staff_me", ""),
    // Their own second factor: start a set-up, a wrong code (not six digits, so never right by chance), off when it is not on.
    row("GET", "/account/security", Page, Rule::Staff(OK), "/account/security", ""),
    row("POST", "/account/language", Form, Rule::Staff(See("/account/security?language=saved")), "/account/language", "language=en"),
    row("POST", "/account/second-factor/start", Form, Rule::Staff(See("/account/security")), "/account/second-factor/start", ""),
    row("POST", "/account/second-factor/confirm", Form, Rule::Staff(Status(422)), "/account/second-factor/confirm", "code=abcdef"),
    row("POST", "/account/second-factor/disable", Form, Rule::Staff(Status(409)), "/account/second-factor/disable", "code=abcdef"),
    // Administrators.
    row("GET", "/admin/users", Page, admin(false, OK), "/admin/users", ""),
    row("GET", "/admin/audit", Page, admin(false, OK), "/admin/audit", ""),
    row("GET", "/admin/audit.csv", Download, admin(false, OK), "/admin/audit.csv?action=login.succeeded", ""),
    row("POST", "/api/staff_users", Api, admin(false, OK), "/api/staff_users", ""),
    row("POST", "/api/staff_audit", Api, admin(false, OK), "/api/staff_audit", ""),
    row("POST", "/admin/users", Form, admin(false, OK), "/admin/users", "name={marker}+Colleague+of+{me}&email={me}.colleague%40{marker}.example&role=recruiter"),
    row("POST", "/admin/users/{id}/deactivate", Form, admin(true, See("/admin/users?deactivated=1")), "/admin/users/{user}/deactivate", ""),
    // The colleague has no second factor to reset: 422 for their admin, 404 for another organisation's.
    row("POST", "/admin/users/{id}/reset-second-factor", Form, admin(true, Status(422)), "/admin/users/{user}/reset-second-factor", ""),
    // Psychologists and administrators: item-level data without identities (each organisation its own).
    row("GET", "/instruments", Download, Rule::Role { may: analysts, object: false, ok: OK }, "/instruments", ""),
    // The instrument workbench: versions as files, drafts and their editor.
    row("GET", "/instruments/{instrument}/{version}/bank.toml", Download, Rule::Role { may: analysts, object: false, ok: OK }, "/instruments/svi/1.1.0/bank.toml", ""),
    row("GET", "/instruments/{instrument}/{version}/translations.csv", Download, Rule::Role { may: analysts, object: false, ok: OK }, "/instruments/svi/1.1.0/translations.csv", ""),
    row("POST", "/drafts", Form, Rule::Role { may: analysts, object: false, ok: See("/drafts/*") }, "/drafts", "instrument=svi&version=1.0.0&new_id={me}-svi"),
    // Not a bank file: refused, nothing stored.
    row("POST", "/drafts/upload", Upload, Rule::Role { may: analysts, object: false, ok: Status(422) }, "/drafts/upload", "this is not TOML ["),
    row("GET", "/drafts/{id}", Page, Rule::Role { may: analysts, object: true, ok: OK }, "/drafts/{draft}", ""),
    row("GET", "/drafts/{id}/items/{item}", Page, Rule::Role { may: analysts, object: true, ok: OK }, "/drafts/{draft}/items/svi-mot-01", ""),
    row("GET", "/drafts/{id}/translations.csv", Download, Rule::Role { may: analysts, object: true, ok: OK }, "/drafts/{draft}/translations.csv", ""),
    row("GET", "/drafts/{id}/revisions/{n}", Download, Rule::Role { may: analysts, object: true, ok: OK }, "/drafts/{draft}/revisions/1", ""),
    row("GET", "/drafts/{id}/preview", Page, Rule::Role { may: analysts, object: true, ok: OK }, "/drafts/{draft}/preview?lang=de&phone=1", ""),
    row("GET", "/drafts/{id}/diff", Page, Rule::Role { may: analysts, object: true, ok: OK }, "/drafts/{draft}/diff", ""),
    row("GET", "/drafts/{id}/scales/{scale}", Page, Rule::Role { may: analysts, object: true, ok: OK }, "/drafts/{draft}/scales/vigilance", ""),
    row("GET", "/drafts/{id}/cat", Page, Rule::Role { may: analysts, object: true, ok: OK }, "/drafts/{draft}/cat", ""),
    row("GET", "/drafts/{id}/validity", Page, Rule::Role { may: analysts, object: true, ok: OK }, "/drafts/{draft}/validity", ""),
    row("POST", "/drafts/{id}/scales/{scale}", Form, Rule::Role { may: analysts, object: true, ok: Status(409) }, "/drafts/{draft}/scales/vigilance", "base=0&name.de=Wachsamkeit"),
    row("POST", "/drafts/{id}/cat", Form, Rule::Role { may: analysts, object: true, ok: Status(409) }, "/drafts/{draft}/cat", "base=0&se_target=0.3"),
    row("POST", "/drafts/{id}/validity", Form, Rule::Role { may: analysts, object: true, ok: Status(409) }, "/drafts/{draft}/validity", "base=0&min_median_seconds=2"),
    changing(row("POST", "/drafts/{id}/check", Form, Rule::Role { may: analysts, object: true, ok: OK }, "/drafts/{draft}/check", "source=%5Binstrument%5D")),
    // A text without a version is refused (the editor shows it again with the reason); changes made from
    // revision 0 (never current) are a conflict for those who may, so the draft stays as it is.
    row("POST", "/drafts/{id}/source", Form, Rule::Role { may: analysts, object: true, ok: Status(422) }, "/drafts/{draft}/source", "base=0&source=%5Binstrument%5D%0Aid+%3D+%22x%22"),
    row("POST", "/drafts/{id}/items/{item}", Form, Rule::Role { may: analysts, object: true, ok: Status(409) }, "/drafts/{draft}/items/svi-mot-01", "base=0&text.en=Changed&scale=security_motivation&response_scale=agree5"),
    row("POST", "/drafts/{id}/items/{item}/move", Form, Rule::Role { may: analysts, object: true, ok: Status(409) }, "/drafts/{draft}/items/svi-mot-02/move", "base=0&direction=up"),
    row("POST", "/drafts/{id}/items/{item}/retire", Form, Rule::Role { may: analysts, object: true, ok: Status(409) }, "/drafts/{draft}/items/svi-mot-03/retire", "base=0"),
    row("POST", "/drafts/{id}/restore", Form, Rule::Role { may: analysts, object: true, ok: Status(409) }, "/drafts/{draft}/restore", "base=0&revision=1"),
    // The item is there already: refused with the reason.
    row("POST", "/drafts/{id}/copy", Form, Rule::Role { may: analysts, object: true, ok: Status(422) }, "/drafts/{draft}/copy", "base=0&from=svi%401.1.0&item=svi-mot-01"),
    // Without the revision it was made from: refused.
    row("POST", "/drafts/{id}/translations", Upload, Rule::Role { may: analysts, object: true, ok: Status(422) }, "/drafts/{draft}/translations", "key,en,de\n"),
    row("POST", "/drafts/{id}/publish", Form, Rule::Role { may: analysts, object: true, ok: Status(422) }, "/drafts/{draft}/publish", "base=0&note=Reworded"),
    row("POST", "/drafts/{id}/discard", Form, Rule::Role { may: analysts, object: false, ok: Status(404) }, "/drafts/no-such-draft/discard", ""),
    row("GET", "/workbench/editor.js", Plain, Rule::Same(OK), "/workbench/editor.js", ""),
    row("GET", "/staff/copy.js", Plain, Rule::Same(OK), "/staff/copy.js", ""),
    // Calibration: the page, a run refused (too few sessions), cancelling or saving a job that is not there.
    row("GET", "/instruments/{instrument}/{version}/calibration", Page, Rule::Role { may: analysts, object: false, ok: OK }, "/instruments/svi/1.1.0/calibration", ""),
    row("POST", "/instruments/{instrument}/{version}/calibration", Form, Rule::Role { may: analysts, object: false, ok: Status(422) }, "/instruments/svi/1.1.0/calibration", "scale="),
    row("POST", "/instruments/{instrument}/{version}/calibration/cancel", Form, Rule::Role { may: analysts, object: false, ok: Status(404) }, "/instruments/svi/1.1.0/calibration/cancel", "job=no-such-job"),
    row("POST", "/instruments/{instrument}/{version}/calibration/draft", Form, Rule::Role { may: analysts, object: false, ok: Status(404) }, "/instruments/svi/1.1.0/calibration/draft", "job=no-such-job&new_id={me}-svi"),
    // Retiring a shipped version for one's organisation and offering it again (no campaign loses it).
    row("POST", "/instruments/{instrument}/{version}/retirement", Form, Rule::Role { may: analysts, object: false, ok: See("/instruments#instrument-pulse") }, "/instruments/pulse/1.0.0/retirement", "retire=0"),
    row("GET", "/instruments/{instrument}/{version}/report", Page, Rule::Role { may: analysts, object: false, ok: OK }, "/instruments/sjs/1.0.0/report", ""),
    // The norm builder: the page with a selection, and a group too small (and undescribed) to publish.
    row("GET", "/fairness", Page, Rule::Role { may: analysts, object: false, ok: OK }, "/fairness?bank=svi%401.0.0&variable=gender", ""),
    row("GET", "/norms", Page, Rule::Role { may: analysts, object: false, ok: OK }, "/norms?bank=svi%401.0.0&validity=ok", ""),
    row("POST", "/norms", Form, Rule::Role { may: analysts, object: false, ok: Status(422) }, "/norms", "bank=svi%401.0.0&id={me}-norms&population=p&country=c&role_family=r&sampling=s&group.en=G&group.de=G"),
    row("GET", "/instruments/{instrument}/{version}/{file}", Download, Rule::Role { may: analysts, object: false, ok: OK }, "/instruments/svi/1.0.0/responses.csv", ""),
    // No session has this pseudonym: 404 for those who may look, 403 for the others.
    row("GET", "/instruments/{instrument}/{version}/sessions/{respondent}", Download, Rule::Role { may: analysts, object: false, ok: Status(404) }, "/instruments/svi/1.0.0/sessions/p-0000000000000000", ""),
    // Item analysis: the page, asking for a run (back to the page), and its result (none yet: 404).
    row("GET", "/instruments/{instrument}/{version}/analysis", Page, Rule::Role { may: analysts, object: false, ok: OK }, "/instruments/svi/1.0.0/analysis", ""),
    row("POST", "/instruments/{instrument}/{version}/analysis", Form, Rule::Role { may: analysts, object: false, ok: See("/instruments/svi/1.0.0/analysis") }, "/instruments/svi/1.0.0/analysis", "validity="),
    row("GET", "/instruments/{instrument}/{version}/analysis/{file}", Download, Rule::Role { may: analysts, object: false, ok: Status(404) }, "/instruments/svi/1.0.0/analysis/report.json?validity=caution", ""),
    // The integration API takes a key, never a session cookie: 401 for everybody here (tests/api.rs covers keys, scopes and organisations).
    row("GET", "/api/v1/campaigns", Key, Rule::Same(Status(401)), "/api/v1/campaigns", ""),
    row("GET", "/api/v1/campaigns/{id}", Key, Rule::Same(Status(401)), "/api/v1/campaigns/{campaign}", ""),
    row("POST", "/api/v1/campaigns/{id}/invitations", Key, Rule::Same(Status(401)), "/api/v1/campaigns/{campaign}/invitations", r#"{"name":"{marker} Api","email":"{me}.api@{marker}.example"}"#),
    row("POST", "/api/v1/campaigns/{id}/invitations/bulk", Key, Rule::Same(Status(401)), "/api/v1/campaigns/{campaign}/invitations/bulk", r#"{"invitations":[{"name":"{marker} Api","email":"{me}.bulk@{marker}.example"}]}"#),
    row("GET", "/api/v1/invitations/{id}", Key, Rule::Same(Status(401)), "/api/v1/invitations/{completed}", ""),
    row("POST", "/api/v1/invitations/{id}/revoke", Key, Rule::Same(Status(401)), "/api/v1/invitations/{pending}/revoke", ""),
    row("POST", "/api/v1/invitations/{id}/resend", Key, Rule::Same(Status(401)), "/api/v1/invitations/{pending}/resend", ""),
    row("GET", "/api/v1/invitations/{id}/result", Key, Rule::Same(Status(401)), "/api/v1/invitations/{completed}/result", ""),
    row("GET", "/api/v1/results", Key, Rule::Same(Status(401)), "/api/v1/results", ""),
    row("GET", "/api/v1/openapi.json", Plain, Rule::Same(OK), "/api/v1/openapi.json", ""),
    row("GET", "/api/v1/{*rest}", Plain, Rule::Same(Status(404)), "/api/v1/nothing-here", ""),
    row("GET", "/api/docs", Plain, Rule::Same(OK), "/api/docs", ""),
    // The organisation's structure for workforce surveys: administrators (a unit, then an employee in it).
    row("GET", "/workforce/structure", Page, admin(false, OK), "/workforce/structure", ""),
    row("POST", "/workforce/structure/units", Upload, admin(false, OK), "/workforce/structure/units", "unit,parent\n{marker} Security of {me},\n"),
    row("POST", "/workforce/structure/employees", Upload, admin(false, OK), "/workforce/structure/employees", "email,name,unit\n{me}.employee@{marker}.example,{marker} Employee,{marker} Security of {me}\n"),
    // Workforce: security and administrators read group results (at least 5) and champions; administrators run waves.
    row("GET", "/workforce/waves", Page, workforce(false, OK), "/workforce/waves", ""),
    row("POST", "/workforce/waves", Form, admin(false, Status(422)), "/workforce/waves", "name=&bank=pulse%401.0.0&unit=x&closes_on=2999-01-31"),
    row("POST", "/workforce/settings", Form, admin(false, See("/workforce/waves?saved=1#settings")), "/workforce/settings", "retention_days=365&flag_change=0.3"),
    row("GET", "/workforce/waves/{id}", Page, workforce(true, OK), "/workforce/waves/{wave}", ""),
    // The wave is open: no results yet, said with 422 to those who may read them.
    row("GET", "/workforce/waves/{id}/results.csv", Download, workforce(true, Status(422)), "/workforce/waves/{wave}/results.csv", ""),
    row("GET", "/workforce/waves/{id}/units/{unit}", Page, workforce(true, OK), "/workforce/waves/{wave}/units/{unit}", ""),
    row("GET", "/workforce/security", Page, workforce(false, OK), "/workforce/security", ""),
    row("GET", "/workforce/champions", Page, workforce(false, OK), "/workforce/champions", ""),
    row("POST", "/workforce/waves/{id}/remind", Form, admin(true, OK), "/workforce/waves/{wave}/remind", ""),
    row("POST", "/workforce/waves/{id}/close", Form, admin(true, See("/workforce/waves/{wave}")), "/workforce/waves/{wave}/close", ""),
    // Employees: their links are the capability (a staff cookie adds nothing); a link that is not one is not known.
    row("GET", "/survey/autosave.js", Plain, Rule::Same(OK), "/survey/autosave.js", ""),
    row("GET", "/survey/{token}", Page, Rule::Same(Status(404)), "/survey/0123456789abcdef", ""),
    row("POST", "/survey/{token}", Form, Rule::Same(Status(404)), "/survey/0123456789abcdef", "action=send"),
    row("POST", "/survey/{token}/autosave", Form, Rule::Same(Status(404)), "/survey/0123456789abcdef/autosave", "a%3Apls-itl-01=3"),
    row("GET", "/me", Page, Rule::Same(OK), "/me", ""),
    row("POST", "/me", Form, Rule::Same(OK), "/me", "email=nobody%40nowhere.example"),
    row("GET", "/me/{token}", Page, Rule::Same(Status(404)), "/me/0123456789abcdef", ""),
    row("GET", "/me/{token}/data.json", Download, Rule::Same(Status(404)), "/me/0123456789abcdef/data.json", ""),
    row("POST", "/me/{token}/answers", Form, Rule::Same(Status(404)), "/me/0123456789abcdef/answers", "page=1&action=next"),
    row("POST", "/me/{token}/autosave", Form, Rule::Same(Status(404)), "/me/0123456789abcdef/autosave", "a%3Asvi-mot-01=3"),
    row("POST", "/me/{token}/champion", Form, Rule::Same(Status(404)), "/me/0123456789abcdef/champion", "share=vigilance"),
    row("POST", "/me/{token}/withdraw", Form, Rule::Same(Status(404)), "/me/0123456789abcdef/withdraw", ""),
    row("POST", "/me/{token}/delete", Form, Rule::Same(Status(404)), "/me/0123456789abcdef/delete", ""),
    // Editing the structure in the app: a unit added, and an employee who is not there (422).
    row("POST", "/workforce/structure/unit", Form, admin(false, See("/workforce/structure?saved=unit")), "/workforce/structure/unit", "name={marker}+Lab+of+{me}&parent="),
    row("POST", "/workforce/structure/employee", Form, admin(false, Status(422)), "/workforce/structure/employee", "email=nobody%40nowhere.example&unit="),
    // Integrations: administrators make keys and webhook endpoints. A private address is refused.
    row("GET", "/admin/integrations", Page, admin(false, OK), "/admin/integrations", ""),
    row("POST", "/admin/api-keys", Form, admin(false, OK), "/admin/api-keys", "name={marker}+ATS+of+{me}&scope=results%3Aread&per_minute=60"),
    row("POST", "/admin/webhooks", Form, admin(false, Status(422)), "/admin/webhooks", "url=https%3A%2F%2F10.1.2.3%2Fhook&event=assessment.completed"),
    row("GET", "/admin/webhooks/{id}", Page, admin(true, OK), "/admin/webhooks/{endpoint}", ""),
    row("POST", "/admin/webhooks/{id}/rotate", Form, admin(true, OK), "/admin/webhooks/{endpoint}/rotate", ""),
    row("POST", "/admin/webhooks/deliveries/{id}/redeliver", Form, admin(true, See("/admin/integrations")), "/admin/webhooks/deliveries/{delivery}/redeliver", ""),
    row("POST", "/admin/webhooks/{id}/disable", Form, admin(true, See("/admin/webhooks/{endpoint}")), "/admin/webhooks/{endpoint}/disable", ""),
    row("POST", "/admin/api-keys/{id}/revoke", Form, admin(true, See("/admin/integrations")), "/admin/api-keys/{apikey}/revoke", ""),
    // Candidates' requests: administrators of the organisation only.
    row("GET", "/admin/requests", Page, admin(false, OK), "/admin/requests", ""),
    row("GET", "/admin/templates", Page, admin(false, OK), "/admin/templates", ""),
    row("GET", "/admin/fairness", Page, admin(false, OK), "/admin/fairness", ""),
    row("POST", "/admin/fairness", Form, admin(false, See("/admin/fairness?done=1")), "/admin/fairness", "variable=gender&notice_en=Optional+{me}&notice_de=Freiwillig"),
    row("GET", "/admin/templates/{occasion}/{language}", Page, admin(false, OK), "/admin/templates/invitation/de", ""),
    row("POST", "/admin/templates/{occasion}/{language}", Form, admin(false, See("/admin/templates?saved=1")), "/admin/templates/start_reminder/en", "action=save&subject=From+{marker}&body={greeting}+{link}+by+{me}"),
    row("POST", "/admin/requests/{id}/handled", Form, admin(true, See("/admin/requests")), "/admin/requests/{request}/handled", "outcome=Reviewed+by+{me}"),
    // Recruiters and administrators.
    row("GET", "/campaigns", Page, recruit(false, OK), "/campaigns", ""),
    row("GET", "/campaigns/new", Page, recruit(false, OK), "/campaigns/new", ""),
    row("GET", "/campaigns/:id", Page, recruit(true, OK), "/campaigns/{campaign}", ""),
    row("GET", "/campaigns/:id/compare", Page, recruit(true, OK), "/campaigns/{campaign}/compare?c={completed}&c={pending}", ""),
    row("GET", "/campaigns/:id/candidates/:inv", Page, recruit(true, OK), "/campaigns/{campaign}/candidates/{completed}", ""),
    row("GET", "/campaigns/:id/candidates/:inv/print", Page, recruit(true, OK), "/campaigns/{campaign}/candidates/{completed}/print", ""),
    row("GET", "/outbox", Page, Rule::Role { may: outbox_readers, object: false, ok: OK }, "/outbox", ""),
    row("GET", "/outbox/waiting.csv", Download, Rule::Role { may: outbox_readers, object: false, ok: OK }, "/outbox/waiting.csv", ""),
    row("POST", "/outbox/{id}/sent", Form, Rule::Role { may: outbox_readers, object: true, ok: See("/outbox?marked=1") }, "/outbox/{message}/sent", ""),
    row("GET", "/campaigns/{id}/export.csv", Download, recruit(true, OK), "/campaigns/{campaign}/export.csv", ""),
    row("GET", "/campaigns/{id}/candidates/{inv}/export.json", Download, recruit(true, OK), "/campaigns/{campaign}/candidates/{completed}/export.json", ""),
    row("POST", "/api/recruit_campaigns", Api, recruit(false, OK), "/api/recruit_campaigns", ""),
    row("POST", "/api/recruit_bank_options", Api, recruit(false, OK), "/api/recruit_bank_options", ""),
    row("POST", "/api/recruit_campaign", Api, recruit(true, OK), "/api/recruit_campaign", "campaign_id={campaign}&query[sort]=invited&query[descending]=false"),
    row("POST", "/api/recruit_profile", Api, recruit(true, OK), "/api/recruit_profile", "campaign_id={campaign}&invitation_id={completed}"),
    row("POST", "/api/recruit_compare", Api, recruit(true, OK), "/api/recruit_compare", "campaign_id={campaign}&invitation_ids[0]={completed}&invitation_ids[1]={pending}"),
    row("POST", "/api/recruit_outbox", Api, Rule::Role { may: outbox_readers, object: false, ok: OK }, "/api/recruit_outbox", "query[status]=queued"),
    row("POST", "/campaigns", Form, recruit(false, See("/campaigns/*?created=1")), "/campaigns", CAMPAIGN_FORM),
    row("POST", "/campaigns/{id}/invitations", Form, recruit(true, OK), "/campaigns/{campaign}/invitations", "name={marker}+Invitee+of+{me}&email={me}.invitee%40{marker}.example&language=en"),
    row("POST", "/campaigns/{id}/invitations/upload", Upload, recruit(true, OK), "/campaigns/{campaign}/invitations/upload", "name,email,language\n{marker} Upload of {me},{me}.upload@{marker}.example,en\n"),
    row("POST", "/campaigns/{id}/candidates/{inv}/decision", Form, recruit(true, See("/campaigns/{campaign}/candidates/{pending}?decided=1")), "/campaigns/{campaign}/candidates/{pending}/decision", "decision=hold&reason=Second+interview+first"),
    row("POST", "/campaigns/{id}/candidates/{inv}/resend", Form, recruit(true, See("/campaigns/{campaign}/candidates/{resend}?resent=1")), "/campaigns/{campaign}/candidates/{resend}/resend", ""),
    row("POST", "/campaigns/{id}/candidates/{inv}/revoke", Form, recruit(true, See("/campaigns/{campaign}/candidates/{revocable}?revoked=1")), "/campaigns/{campaign}/candidates/{revocable}/revoke", ""),
    // Reminders give every unfinished candidate a new link: after the rows that use the links.
    row("GET", "/campaigns/{id}/reminders", Page, recruit(true, OK), "/campaigns/{campaign}/reminders", ""),
    row("POST", "/campaigns/{id}/reminders", Form, recruit(true, See("/campaigns/{campaign}?reminded=*")), "/campaigns/{campaign}/reminders", ""),
    row("POST", "/campaigns/{id}/automatic-reminder", Form, recruit(true, See("/campaigns/{campaign}?reminder_changed=1")), "/campaigns/{campaign}/automatic-reminder", "reminder_days=2"),
    // Erasure: administrators only, last of the rows that use the candidates.
    row("POST", "/campaigns/{id}/candidates/{inv}/erase", Form, admin(true, See("/campaigns/{campaign}/candidates/{pending}?erased=1")), "/campaigns/{campaign}/candidates/{pending}/erase", "confirm=yes"),
    // Last: these end the callers' sessions.
    row("POST", "/logout", Form, Rule::Same(See("/login?signed_out=1")), "/logout", ""),
    row("POST", "/login", Form, Rule::Same(See("/login?failed=1")), "/login", "email=nobody%40nowhere.example&password=not-the-password"),
];

impl Row {
    fn names_object(&self) -> bool {
        ["{campaign}", "{user}", "{token}", "{draft}", "{endpoint}", "{delivery}", "{apikey}", "{wave}", "{unit}", "{request}", "{message}"].iter().any(|p| self.path.contains(p) || self.body.contains(p))
    }

    fn names_candidate(&self) -> bool {
        ["{completed}", "{pending}", "{resend}", "{revocable}"].iter().any(|p| self.path.contains(p) || self.body.contains(p))
    }

    fn targets(&self) -> Vec<Target> {
        let mut targets = Vec::new();
        if self.names_object() {
            targets.extend([Target::Of(Org::A), Target::Of(Org::B)]);
            if self.path.contains("{campaign}") || self.body.contains("{campaign}") {
                if self.names_candidate() {
                    targets.push(Target::Mixed);
                }
            }
        } else {
            targets.push(Target::Own);
        }
        targets
    }

    /// What `who` gets for `target`, and whether that is a refusal.
    fn expect(&self, who: Who, target: Target) -> (Expect, bool) {
        let anonymous = match self.kind {
            Api | Json | Key => Status(401),
            _ => See("/login"),
        };
        match self.rule {
            Rule::Same(e) => (e, false),
            Rule::Candidate { with, without } => {
                if who == Who::CandidateA {
                    (with, false)
                } else {
                    (without, true)
                }
            }
            Rule::Staff(ok) => match who.staff() {
                Some(_) => (ok, false),
                None => (anonymous, true),
            },
            Rule::Role { may, object, ok } => match who.staff() {
                None => (anonymous, true),
                Some((role, _)) if !may(role) => (Status(403), true),
                Some((_, org)) => {
                    let theirs = match target {
                        Target::Own => true,
                        Target::Of(o) => o == org,
                        Target::Mixed => false,
                    };
                    if object && !theirs {
                        (Status(404), true)
                    } else {
                        (ok, false)
                    }
                }
            },
        }
    }
}

// ---------------------------------------------------------------------------
// The objects each organisation has
// ---------------------------------------------------------------------------

struct Objects {
    org_id: String,
    campaign: String,
    /// Took the whole battery over HTTP: scored, with a profile.
    completed: String,
    /// Invited, never opened: decisions.
    pending: String,
    /// Invited: new links.
    resend: String,
    /// Invited: withdrawn, one for the admin and one for the recruiter.
    revocable: [String; 2],
    /// Their invitation e-mails: marked sent by hand, the same way round.
    messages: [String; 2],
    /// The link token of another invitation (`/take/`), never resent or revoked.
    token: String,
    /// An invited colleague: deactivated.
    user: String,
    /// A draft of an instrument of the organisation's own.
    draft: String,
    /// A webhook endpoint, its delivery of the completed session, and an API key.
    endpoint: String,
    delivery: String,
    apikey: String,
    /// An open survey wave of the organisation, and the unit it covers.
    wave: String,
    unit: String,
    /// An open request of the completed candidate (a human review).
    request: String,
}

struct Callers {
    admin_a: String,
    recruiter_a: String,
    psychologist_a: String,
    security_a: String,
    admin_b: String,
    recruiter_b: String,
    candidate_a: String,
}

impl Callers {
    fn cookie(&self, who: Who) -> Option<&String> {
        match who {
            Who::Anonymous => None,
            Who::AdminA => Some(&self.admin_a),
            Who::RecruiterA => Some(&self.recruiter_a),
            Who::PsychologistA => Some(&self.psychologist_a),
            Who::SecurityA => Some(&self.security_a),
            Who::AdminB => Some(&self.admin_b),
            Who::RecruiterB => Some(&self.recruiter_b),
            Who::CandidateA => Some(&self.candidate_a),
        }
    }
}

const INVITEES: [&str; 6] = ["completed", "pending", "resend", "revoke-1", "revoke-2", "link"];

/// Everything of one organisation, made the way staff make it (over HTTP).
async fn objects(app: &TestApp, org: Org, org_id: &str, admin: &String, recruiter: &String) -> Objects {
    let marker = org.marker();
    let lower = marker.to_lowercase();
    let catalog = Catalog::load(&Catalog::shipped_dir()).expect("banks");
    let norm = catalog.get("svi", "1.0.0").and_then(|e| e.norms.first().map(|n| n.id.clone())).expect("svi norms");
    let name = format!("{marker} campaign");
    let (status, location, body) = post(
        app,
        Some(recruiter),
        "/campaigns",
        &[("name", &name), ("role_family", "security operations"), ("instrument", "svi@1.0.0"), ("instrument", "sjs@1.0.0"), ("norm:svi@1.0.0", &norm), ("invitation_days", "14")],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let campaign = location.and_then(|l| l.strip_prefix("/campaigns/").and_then(|r| r.strip_suffix("?created=1")).map(str::to_string)).expect("campaign id");
    for who in INVITEES {
        let (status, _, body) = post(
            app,
            Some(recruiter),
            &format!("/campaigns/{campaign}/invitations"),
            &[("name", &format!("{marker} {who}")), ("email", &format!("{who}@{lower}.example")), ("language", "en")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let rows = app.db.store.campaign_candidates(org_id, &campaign).await.expect("candidates");
    let invitation = |who: &str| {
        let email = format!("{who}@{lower}.example");
        rows.iter().find(|r| r.email.as_deref() == Some(email.as_str())).map(|r| r.invitation_id.clone()).expect("invitation")
    };
    let outbox = app.db.store.outbox_of(org_id, 1000).await.expect("outbox");
    let token = |who: &str| {
        let email = format!("{who}@{lower}.example");
        let message = outbox.iter().find(|m| m.to_address == email).expect("invitation e-mail");
        message.body.split_whitespace().find_map(|w| w.split_once("/take/").map(|(_, t)| t.to_string())).expect("link in the e-mail")
    };
    let message = |who: &str| {
        let email = format!("{who}@{lower}.example");
        outbox.iter().find(|m| m.to_address == email).map(|m| m.id.clone()).expect("invitation e-mail")
    };
    complete(app, &token("completed")).await;
    let (status, _, body) = post(app, Some(admin), "/admin/users", &[("name", &format!("{marker} Colleague")), ("email", &format!("colleague@{lower}.example")), ("role", "psychologist")]).await;
    assert_eq!(status, 200, "{body}");
    let user = app.db.store.user_by_email(&format!("colleague@{lower}.example")).await.expect("q").expect("colleague").id;
    let (status, location, body) = post(app, Some(admin), "/drafts", &[("instrument", "svi"), ("version", "1.1.0"), ("new_id", &format!("{lower}-svi"))]).await;
    assert_eq!(status, 303, "{body}");
    let draft = location.and_then(|l| l.strip_prefix("/drafts/").map(str::to_string)).expect("draft id");
    let (endpoint, delivery, apikey) = integrations(app, org_id).await;
    let (wave, unit) = survey_wave(app, &catalog, org, org_id).await;
    let now = vigil::time::now_ms();
    let completed = invitation("completed");
    let request = vigil::store::NewSubjectRequest { org_id, invitation_id: &completed, kind: "review", note: "", now, due_at: vigil::rights::due_at(now) };
    let (request, _) = app.db.store.ask_subject_request(&request).await.expect("request");
    Objects {
        org_id: org_id.to_string(),
        campaign,
        completed,
        pending: invitation("pending"),
        resend: invitation("resend"),
        revocable: [invitation("revoke-1"), invitation("revoke-2")],
        messages: [message("revoke-1"), message("revoke-2")],
        token: token("link"),
        user,
        draft,
        endpoint,
        delivery,
        apikey,
        wave,
        unit,
        request,
    }
}

/// A unit of five employees and an open pulse wave for it, made through the service.
async fn survey_wave(app: &TestApp, catalog: &Catalog, org: Org, org_id: &str) -> (String, String) {
    let s = &app.db.store;
    let admin = s.users_of(org_id).await.expect("users").into_iter().find(|u| u.role == vigil::store::Role::Admin).expect("admin").id;
    let unit = format!("{} Workforce", org.marker());
    s.import_units(org_id, &[(unit.as_str(), None)], &admin, 1).await.expect("unit");
    let emails: Vec<String> = (0..5).map(|i| format!("staff{i}@{}.example", org.marker().to_lowercase())).collect();
    let list: Vec<vigil::store::CurrentEmployee<'_>> = emails.iter().map(|e| vigil::store::CurrentEmployee { email: e, name: "Staff", unit: &unit, location: None, tenure_band: None }).collect();
    s.sync_employees(org_id, &list, &admin, 1).await.expect("employees");
    let caller = vigil::staff::Caller { user_id: admin, org_id: org_id.to_string(), role: StaffRole::Admin, language: "en".into() };
    let form = vigil::workforce::waves::WaveForm { name: format!("{} pulse", org.marker()), bank: "pulse@1.0.0".into(), units: vec![unit.clone()], closes_on: "2999-01-31".into(), remind_on: String::new(), languages: Vec::new() };
    let (wave, _) = vigil::workforce::waves::create(s, catalog, &caller, &form, &app.base).await.expect("wave");
    let unit_id = s.org_units(org_id).await.expect("units").into_iter().find(|u| u.name == unit).expect("unit").id;
    (wave, unit_id)
}

/// A webhook endpoint of the organisation with one delivery (no worker runs
/// here, so it stays queued), and an API key: made directly in the store.
async fn integrations(app: &TestApp, org_id: &str) -> (String, String, String) {
    let s = &app.db.store;
    let admin: String = s.users_of(org_id).await.expect("users").into_iter().find(|u| u.role == vigil::store::Role::Admin).expect("admin").id;
    let now = vigil::time::now_ms();
    let endpoint = s.create_webhook_endpoint(org_id, "https://hooks.example.com/vigil", " decision.recorded ", &vigil::webhooks::signature::new_secret(), &admin, now).await.expect("endpoint");
    let campaign = s.campaigns_of(org_id).await.expect("campaigns").into_iter().next().expect("a campaign");
    let pending = s.campaign_candidates(org_id, &campaign.id).await.expect("candidates").into_iter().next().expect("a candidate");
    s.record_decision(org_id, &campaign.id, &pending.invitation_id, "hold", "matrix", &admin, now).await.expect("decision");
    let delivery = s.deliveries_of(org_id, &endpoint, 1).await.expect("deliveries").into_iter().next().expect("a delivery").id;
    let key = vigil::store::NewApiKey { id: &vigil::store::new_id(), org_id, name: "Matrix", prefix: "00000000", secret_hash: &vigil::store::new_id(), scopes: "results:read", per_minute: 60, created_by: &admin, expires_at: None };
    s.create_api_key(&key, now).await.expect("key");
    (endpoint, delivery, key.id.to_string())
}

/// Opens a link; the candidate cookie the browser keeps.
async fn open(app: &TestApp, token: &str) -> String {
    let res = app.client.get(format!("{}/take/{token}", app.base)).send().await.expect("open link");
    assert_eq!(res.status(), 303);
    res.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("pair").to_string()
}

/// Takes the whole battery as a browser without JavaScript does.
async fn complete(app: &TestApp, token: &str) {
    let cookie = open(app, token).await;
    let send = |path: &str, form: Vec<(String, String)>| {
        app.client.post(format!("{}{path}", app.base)).header("cookie", &cookie).header("origin", &app.base).form(&form).send()
    };
    assert_eq!(send("/assessment/start", vec![]).await.expect("start").status(), 303);
    for _ in 0..40 {
        let html = app.client.get(format!("{}/assessment", app.base)).header("cookie", &cookie).send().await.expect("page").text().await.expect("html");
        if html.contains("Check and finish") {
            assert_eq!(send("/assessment/finish", vec![]).await.expect("finish").status(), 303);
            return;
        }
        let hidden = |name: &str| html.split(&format!("name=\"{name}\" value=\"")).nth(1).and_then(|r| r.split('"').next()).unwrap_or("1").to_string();
        let mut form = vec![("page".to_string(), hidden("page")), ("seq".to_string(), hidden("seq")), ("nav".to_string(), "next".to_string())];
        for part in html.split("<input type=\"radio\"").skip(1) {
            let attr = |name: &str| part.split(&format!("{name}=\"")).nth(1).and_then(|r| r.split('"').next()).map(str::to_string);
            if let (Some(name), Some(value)) = (attr("name"), attr("value")) {
                if !form.iter().any(|(n, _)| *n == name) {
                    form.push((name, value));
                }
            }
        }
        assert_eq!(send("/assessment/answers", form).await.expect("answers").status(), 303);
    }
    panic!("the battery did not end within 40 pages");
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

struct World<'a> {
    app: &'a TestApp,
    a: Objects,
    b: Objects,
    callers: Callers,
    counter: sqlx::AnyPool,
}

struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
}

impl World<'_> {
    fn objects(&self, org: Org) -> &Objects {
        match org {
            Org::A => &self.a,
            Org::B => &self.b,
        }
    }

    /// Fills the placeholders of `text` for this caller and target.
    fn fill(&self, text: &str, who: Who, target: Target) -> String {
        let (campaign_org, candidate_org) = match target {
            Target::Own => (who.org().unwrap_or(Org::A), who.org().unwrap_or(Org::A)),
            Target::Of(o) => (o, o),
            Target::Mixed => (Org::A, Org::B),
        };
        let (c, o) = (self.objects(campaign_org), self.objects(candidate_org));
        let recruiter = matches!(who, Who::RecruiterA | Who::RecruiterB);
        let revocable = if recruiter { &o.revocable[1] } else { &o.revocable[0] };
        let message = if recruiter { &c.messages[1] } else { &c.messages[0] };
        text.replace("{campaign}", &c.campaign)
            .replace("{completed}", &o.completed)
            .replace("{pending}", &o.pending)
            .replace("{resend}", &o.resend)
            .replace("{revocable}", revocable)
            .replace("{token}", &o.token)
            .replace("{user}", &o.user)
            .replace("{draft}", &c.draft)
            .replace("{endpoint}", &c.endpoint)
            .replace("{delivery}", &c.delivery)
            .replace("{apikey}", &c.apikey)
            .replace("{wave}", &c.wave)
            .replace("{unit}", &c.unit)
            .replace("{request}", &c.request)
            .replace("{message}", message)
            .replace("{marker}", candidate_org.marker())
            .replace("{me}", who.slug())
    }

    /// Sends a row's request; `extra` headers replace the site's own Origin.
    async fn send(&self, r: &Row, who: Who, target: Target, extra: &[(&str, &str)]) -> Answer {
        let app = self.app;
        let url = format!("{}{}", app.base, self.fill(r.path, who, target));
        let body = self.fill(r.body, who, target);
        let mut req = if r.method == "GET" { app.client.get(url) } else { app.client.post(url) };
        if r.method == "POST" {
            req = match r.kind {
                Json | Key => req.header("content-type", "application/json").header("accept", "application/json").body(body),
                Upload => {
                    let part = reqwest::multipart::Part::bytes(body.into_bytes()).file_name("candidates.csv").mime_str("text/csv").expect("mime");
                    req.multipart(reqwest::multipart::Form::new().part("file", part))
                }
                _ => req.header("content-type", "application/x-www-form-urlencoded").body(body),
            };
            if extra.is_empty() {
                req = req.header("origin", &app.base);
            }
        }
        for (name, value) in extra {
            req = req.header(*name, *value);
        }
        if let Some(cookie) = self.callers.cookie(who) {
            req = req.header("cookie", cookie);
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("{} {}: {e}", r.method, r.path));
        let status = res.status().as_u16();
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
        Answer { status, location, body: res.text().await.unwrap_or_default() }
    }

    /// Every row count, every invitation's link and status, every user's state, every session's status.
    async fn fingerprint(&self) -> Vec<String> {
        let tables = [
            "organisations", "users", "staff_sessions", "password_setups", "login_failures", "campaigns", "candidates", "invitations",
            "candidate_access", "assessment_sessions", "answers", "scores", "decisions", "outbox", "audit_log", "api_keys", "webhook_endpoints",
            "org_units", "employees", "survey_waves", "wave_links", "wave_drafts", "wave_inbox", "wave_responses", "workforce_settings", "employee_links",
            "self_assessments", "champions",
        ];
        let counts = tables.iter().map(|t| format!("SELECT '{t}:' || CAST(COUNT(*) AS TEXT) FROM {t}")).collect::<Vec<_>>().join(" UNION ALL ");
        let mut out = Vec::new();
        for query in [
            counts.as_str(),
            "SELECT id || ':' || token_hash || ':' || status FROM invitations",
            "SELECT id || ':' || CAST(active AS TEXT) FROM users",
            "SELECT id || ':' || status FROM assessment_sessions",
            "SELECT id || ':' || language FROM invitations",
            "SELECT id || ':' || status || ':' || body FROM outbox",
        ] {
            let rows: Vec<String> = sqlx::query_scalar(query).fetch_all(&self.counter).await.unwrap_or_else(|e| panic!("{query}: {e}"));
            out.extend(rows);
        }
        out.sort();
        out
    }
}

fn matches(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        Some((head, tail)) => text.len() >= head.len() + tail.len() && text.starts_with(head) && text.ends_with(tail),
        None => pattern == text,
    }
}

fn contains_marker(text: &str, org: Org) -> bool {
    text.to_lowercase().contains(&org.marker().to_lowercase())
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

on_both_databases! {
    async fn every_role_gets_exactly_what_the_matrix_allows(db: Db) {
        let started = std::time::Instant::now();
        let Some(app) = common::spawn_app(db).await else { return };
        let p = people(&app).await;
        let (admin_a, recruiter_a, psychologist_a, admin_b, recruiter_b) =
            (login(&app, ADMIN_A).await, login(&app, RECRUITER_A).await, login(&app, PSYCHOLOGIST_A).await, login(&app, ADMIN_B).await, login(&app, RECRUITER_B).await);
        let security_a = login(&app, SECURITY_A).await;
        let a = objects(&app, Org::A, &p.org_a, &admin_a, &recruiter_a).await;
        let b = objects(&app, Org::B, &p.org_b, &admin_b, &recruiter_b).await;
        let candidate_a = open(&app, &a.token).await;
        sqlx::any::install_default_drivers();
        let counter = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(app.db.url.expose()).await.expect("second connection");
        let world = World { app: &app, a, b, callers: Callers { admin_a, recruiter_a, psychologist_a, security_a, admin_b, recruiter_b, candidate_a }, counter };
        eprintln!("{db:?}: set-up took {:?}", started.elapsed());

        // From another site: every state-changing post is refused and changes nothing,
        // even when the caller may do it and the object is theirs.
        let foreign: [&[(&str, &str)]; 4] = [
            &[("origin", "https://evil.example")],
            &[("origin", "null"), ("sec-fetch-site", "cross-site")],
            &[("sec-fetch-site", "same-site")],
            // Neither Origin nor Sec-Fetch-Site: a program that does not say where it comes from.
            &[("user-agent", "a script")],
        ];
        let mut failures = Vec::new();
        let mut refused_posts = 0;
        // Server functions too: the same rule for every post.
        for r in ROWS.iter().filter(|r| r.changes_state || matches!(r.kind, Api | Json)) {
            let (who, target) = Who::ALL
                .iter()
                .flat_map(|w| r.targets().into_iter().map(move |t| (*w, t)))
                .find(|(w, t)| !r.expect(*w, *t).1 && *w != Who::Anonymous)
                .unwrap_or((Who::Anonymous, Target::Own));
            for headers in foreign {
                let before = world.fingerprint().await;
                let answer = world.send(r, who, target, headers).await;
                if answer.status != 403 {
                    failures.push(format!("{} {} as {who:?} from another site ({headers:?}): expected 403, got {}: {:.200}", r.method, r.route, answer.status, answer.body));
                }
                if world.fingerprint().await != before {
                    failures.push(format!("{} {} as {who:?} from another site ({headers:?}) changed something in the database", r.method, r.route));
                }
                refused_posts += 1;
            }
        }
        eprintln!("{db:?}: {refused_posts} cross-site posts refused after {:?}", started.elapsed());

        // The matrix.
        let mut cases = 0;
        for r in ROWS {
            let mut plan: Vec<(Who, Target, Expect, bool)> =
                Who::ALL.iter().flat_map(|w| r.targets().into_iter().map(move |t| (*w, t))).map(|(w, t)| {
                    let (e, refused) = r.expect(w, t);
                    (w, t, e, refused)
                }).collect();
            // Refusals first, so that an allowed post (a revocation, a deactivation) cannot hide one.
            plan.sort_by_key(|(_, _, _, refused)| !refused);
            for (who, target, expect, refused) in plan {
                cases += 1;
                let before = if refused && r.method == "POST" { Some(world.fingerprint().await) } else { None };
                let answer = world.send(r, who, target, &[]).await;
                let what = format!("{} {} as {who:?} on {target:?}", r.method, world.fill(r.path, who, target));
                let (want_status, want_location) = match expect {
                    Status(s) => (s, None),
                    See(pattern) => (303, Some(world.fill(pattern, who, target))),
                };
                if answer.status != want_status {
                    failures.push(format!("{what}: expected {want_status}, got {} (location {:?})", answer.status, answer.location));
                    continue;
                }
                if let Some(pattern) = want_location {
                    if !answer.location.as_deref().is_some_and(|l| matches(&pattern, l)) {
                        failures.push(format!("{what}: expected a redirect to {pattern}, got {:?}", answer.location));
                    }
                }
                // Nothing of an organisation reaches anybody outside it, and a refusal shows nothing at all.
                let shown = format!("{}\n{}", answer.location.clone().unwrap_or_default(), answer.body);
                for org in [Org::A, Org::B] {
                    let outsider = refused || who.org() != Some(org);
                    if outsider && contains_marker(&shown, org) {
                        failures.push(format!("{what}: the answer shows {org:?}'s data ({})", org.marker()));
                    }
                }
                if let Some(before) = before {
                    if world.fingerprint().await != before {
                        failures.push(format!("{what}: refused, yet something changed in the database"));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{} of {cases} combinations are wrong:\n{}", failures.len(), failures.join("\n"));

        // The allowed posts did what they say, in their own organisation only.
        let s = &app.db.store;
        for (org, objects) in [(Org::A, &world.a), (Org::B, &world.b)] {
            let rows = s.campaign_candidates(&objects.org_id, &objects.campaign).await.expect("candidates");
            let revoked = rows.iter().filter(|r| r.invitation_status == "revoked").map(|r| r.invitation_id.clone()).collect::<BTreeSet<_>>();
            let withdrawn: BTreeSet<String> = objects.revocable.iter().chain([&objects.pending]).cloned().collect();
            assert_eq!(revoked, withdrawn, "{org:?}: exactly the two revocable invitations were withdrawn, and the erased one");
            let outbox = s.outbox_of(&objects.org_id, 100_000).await.expect("outbox");
            let marked: Vec<&str> = outbox.iter().filter(|m| objects.messages.contains(&m.id)).map(|m| m.status.as_str()).collect();
            assert_eq!(marked, ["sent", "sent"], "{org:?}: both messages were marked sent by hand");
            let erased = rows.iter().filter(|r| r.erased_at.is_some()).map(|r| r.invitation_id.clone()).collect::<Vec<_>>();
            assert_eq!(erased, std::slice::from_ref(&objects.pending), "{org:?}: its admin erased exactly the one candidate");
            let invited = rows.iter().filter_map(|r| r.email.clone()).filter(|e| e.contains(".invitee@") || e.contains(".upload@")).collect::<BTreeSet<_>>();
            let lower = org.marker().to_lowercase();
            let expected: BTreeSet<String> = ["admin", "recruiter"]
                .iter()
                .flat_map(|role| {
                    let me = format!("{role}-{}", if org == Org::A { "a" } else { "b" });
                    [format!("{me}.invitee@{lower}.example"), format!("{me}.upload@{lower}.example")]
                })
                .collect();
            assert_eq!(invited, expected, "{org:?}: only its own admin and recruiter invited candidates into its campaign");
            let decisions = s.candidate_decisions(&objects.org_id, &objects.pending).await.expect("decisions");
            assert_eq!(decisions.len(), 2, "{org:?}: one decision by the admin, one by the recruiter");
            let colleague = s.user_by_email(&format!("colleague@{lower}.example")).await.expect("q").expect("colleague");
            assert!(!colleague.active, "{org:?}: its admin deactivated the colleague");
            let campaigns = s.campaigns_of(&objects.org_id).await.expect("campaigns");
            assert_eq!(campaigns.len(), 3, "{org:?}: the set-up campaign, one by the admin, one by the recruiter");
        }
        // Logging out ended every session: the cookies open nothing any more.
        for who in [Who::AdminA, Who::RecruiterA, Who::PsychologistA, Who::AdminB, Who::RecruiterB] {
            let (status, location, _) = get(&app, world.callers.cookie(who), "/staff").await;
            assert_eq!((status, location.as_deref()), (303, Some("/login")), "{who:?} signed out");
        }
        eprintln!("{db:?}: {cases} combinations in {:?}", started.elapsed());
    }
}

// ---------------------------------------------------------------------------
// Every route has a row
// ---------------------------------------------------------------------------

/// The string literals that follow each `marker` in `text`.
fn literals_after<'t>(text: &'t str, marker: &str) -> Vec<(&'t str, &'t str)> {
    text.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            let start = rest.find('"')? + 1;
            let end = start + rest[start..].find('"')?;
            Some((&rest[start..end], &rest[end..]))
        })
        .collect()
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_route_has_a_row() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();

    // axum routes: `.route("/path", ...post(...)|get(...))`, static files.
    let http = std::fs::read_to_string(root.join("src/http/mod.rs")).expect("http/mod.rs");
    for (path, rest) in literals_after(&http, ".route(") {
        let handler = &rest[..rest.find(".route").unwrap_or(rest.len())];
        let method = match (handler.find("post("), handler.find("get(")) {
            (Some(p), Some(g)) if g < p => "GET",
            (Some(_), _) => "POST",
            (None, Some(_)) => "GET",
            (None, None) if handler.contains("any(") => "GET",
            (None, None) => panic!("no method found for {path}"),
        };
        found.insert((method.to_string(), path.to_string()));
    }
    for marker in [".route_service(", ".nest_service("] {
        for (path, _) in literals_after(&http, marker) {
            found.insert(("GET".to_string(), path.to_string()));
        }
    }
    // The server functions are dispatched by one route; each endpoint is a row of its own.
    assert!(found.remove(&("POST".to_string(), "/api/{*fn_name}".to_string())), "server functions are served under /api/");

    // The integration API is served only by the router that also writes its OpenAPI document: an
    // operation added beside it would be served undocumented.
    let beside: Vec<&(String, String)> = found.iter().filter(|(_, path)| path.starts_with("/api/v1/") && path != "/api/v1/openapi.json" && path != "/api/v1/{*rest}").collect();
    assert!(beside.is_empty(), "/api/v1 routes outside the documented router (add them to http::api_v1::router with a utoipa::path): {beside:?}");
    // The integration API: every operation of its OpenAPI document (made by the router that serves them).
    let doc: serde_json::Value = serde_json::from_str(vigil::http::api_v1::openapi_json()).expect("OpenAPI document");
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            found.insert((method.to_uppercase(), path.clone()));
        }
    }

    // Leptos page routes.
    let lib = std::fs::read_to_string(root.join("../app/src/lib.rs")).expect("app/src/lib.rs");
    for (path, _) in literals_after(&lib, "path!(") {
        found.insert(("GET".to_string(), path.to_string()));
    }

    // Server functions: `#[server(prefix = "/api", endpoint = "...")]` anywhere in app/src.
    let mut files = Vec::new();
    rust_files(&root.join("../app/src"), &mut files);
    let mut endpoints = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source file");
        assert!(!text.contains("#[server]") && !text.contains("#[server(\n"), "{}: give every server function prefix and endpoint", file.display());
        for (name, _) in literals_after(&text, "endpoint = ") {
            found.insert(("POST".to_string(), format!("/api/{name}")));
            endpoints += 1;
        }
        assert_eq!(text.matches("#[server(").count(), text.matches("endpoint = ").count(), "{}: a server function without an explicit endpoint", file.display());
    }

    assert!(found.len() > 40 && endpoints >= 13, "the source was read: {found:?}");
    let listed: BTreeSet<(String, String)> = ROWS.iter().map(|r| (r.method.to_string(), r.route.to_string())).collect();
    assert_eq!(listed.len(), ROWS.len(), "a route is listed twice");
    let missing: Vec<_> = found.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(missing.is_empty(), "routes without a row in the matrix (decide who may call them): {missing:?}");
    assert!(stale.is_empty(), "rows for routes that no longer exist: {stale:?}");
}
