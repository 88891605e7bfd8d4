//! The demo organisation: staff accounts for each role and a demo campaign,
//! so a newcomer can use Vigil right after `make run`.

use std::path::{Path, PathBuf};

use crate::{
    passwords::{generate_password, hash_password},
    store::{Actor, AuditEntry, NewCampaign, NewUser, Role, Store},
    Error,
};

pub const DEMO_ORG_SLUG: &str = "demo";

/// The demo accounts: (role, e-mail, display name).
pub const DEMO_ACCOUNTS: [(Role, &str, &str); 3] = [
    (Role::Admin, "admin@demo.vigil.test", "Dana Admin"),
    (Role::Recruiter, "recruiter@demo.vigil.test", "Robin Recruiter"),
    (Role::Psychologist, "psychologist@demo.vigil.test", "Pat Psychologist"),
];

/// What seeding did.
#[derive(Debug)]
pub enum Seeded {
    /// Created now; the credentials were written to this file.
    Created { credentials: String, file: PathBuf },
    /// Already there; the credentials file (if still present) holds the passwords.
    AlreadyThere { file: PathBuf },
}

/// Creates the demo organisation unless it exists.
pub async fn seed(store: &Store, credentials_file: &Path) -> Result<Seeded, Error> {
    if store.organisation_by_slug(DEMO_ORG_SLUG).await?.is_some() {
        return Ok(Seeded::AlreadyThere { file: credentials_file.to_path_buf() });
    }
    let org = store.create_organisation("Demo Organisation", DEMO_ORG_SLUG, true).await?;
    let mut credentials = String::from("Vigil demo accounts (demo data only; change or delete for real use)\n");
    let mut admin_id = None;
    for (role, email, name) in DEMO_ACCOUNTS {
        let password = generate_password(16);
        let hash = hash_password(&password).map_err(|e| Error::Usage(e.to_string()))?;
        let user = store
            .create_user(&NewUser { org_id: &org.id, email, display_name: name, role, password_hash: Some(&hash) })
            .await?;
        if role == Role::Admin {
            admin_id = Some(user.id.clone());
        }
        credentials.push_str(&format!("  {:<13} {:<30} password: {}\n", role.as_str(), email, password));
    }
    let battery = serde_json::json!({
        "instruments": [
            { "instrument": "svi", "version": "1.0.0" },
            { "instrument": "sjs", "version": "1.0.0" }
        ]
    })
    .to_string();
    let campaign = store
        .create_campaign(&NewCampaign {
            org_id: &org.id,
            name: "Demo: Security Analyst hiring",
            role_family: "security operations",
            battery: &battery,
            time_limit_minutes: None,
            adaptive: false,
            candidate_feedback: true,
            invitation_ttl_days: 14,
            created_by: admin_id.as_deref(),
        })
        .await?;
    store
        .audit(&AuditEntry {
            org_id: Some(&org.id),
            actor: Actor::System,
            action: "demo.seeded",
            object_type: "campaign",
            object_id: Some(&campaign.id),
            detail: None,
        })
        .await?;
    write_private(credentials_file, &credentials)?;
    Ok(Seeded::Created { credentials, file: credentials_file.to_path_buf() })
}

/// Writes a file readable only by its owner, atomically (temp file + rename).
fn write_private(path: &Path, content: &str) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io { path: path.display().to_string(), reason: e.to_string() };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, content).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(io)
}
