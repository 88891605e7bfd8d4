//! The organisation's structure for workforce surveys: units in a tree and
//! the employees in them. An import is one transaction (all of the file or
//! nothing) with its audit entry. Every statement is scoped to an
//! organisation.

use std::collections::HashMap;

use super::{audit::audit_in, new_id, Actor, AuditEntry, Store, StoreResult};

/// A unit as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrgUnitRow {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
}

/// An employee as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EmployeeRecord {
    pub id: String,
    pub email: String,
    pub name: String,
    pub unit_id: String,
    pub location: Option<String>,
    pub tenure_band: Option<String>,
    pub left_at: Option<i64>,
}

/// One employee of the current list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentEmployee<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub location: Option<&'a str>,
    pub tenure_band: Option<&'a str>,
}

/// What an employee import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmployeeChanges {
    pub added: usize,
    pub moved: usize,
    pub updated: usize,
    pub left: usize,
    pub returned: usize,
}

impl Store {
    /// The organisation's units, by name.
    pub async fn org_units(&self, org_id: &str) -> StoreResult<Vec<OrgUnitRow>> {
        Ok(sqlx::query_as("SELECT id, name, parent_id FROM org_units WHERE org_id = $1 ORDER BY name").bind(org_id).fetch_all(&self.read).await?)
    }

    /// Adds the units that are new and sets every listed unit's parent (by
    /// name), all or nothing; returns (added, moved).
    pub async fn import_units(&self, org_id: &str, units: &[(&str, Option<&str>)], by: &str, now: i64) -> StoreResult<(usize, usize)> {
        let mut tx = self.write.begin().await?;
        let existing: Vec<OrgUnitRow> = sqlx::query_as("SELECT id, name, parent_id FROM org_units WHERE org_id = $1").bind(org_id).fetch_all(&mut *tx).await?;
        let mut id_of: HashMap<String, String> = existing.iter().map(|u| (u.name.clone(), u.id.clone())).collect();
        let parent_before: HashMap<String, Option<String>> = existing.iter().map(|u| (u.id.clone(), u.parent_id.clone())).collect();
        let mut added = 0;
        for (name, _) in units {
            if !id_of.contains_key(*name) {
                let id = new_id();
                sqlx::query("INSERT INTO org_units (id, org_id, name, parent_id, created_at) VALUES ($1, $2, $3, NULL, $4)").bind(&id).bind(org_id).bind(*name).bind(now).execute(&mut *tx).await?;
                id_of.insert(name.to_string(), id);
                added += 1;
            }
        }
        let mut moved = 0;
        for (name, parent) in units {
            let id = &id_of[*name];
            let parent_id = parent.and_then(|p| id_of.get(p).cloned());
            let before = parent_before.get(id).cloned();
            if before.as_ref() != Some(&parent_id) {
                sqlx::query("UPDATE org_units SET parent_id = $1 WHERE org_id = $2 AND id = $3").bind(parent_id.as_deref()).bind(org_id).bind(id).execute(&mut *tx).await?;
                if before.is_some() {
                    moved += 1;
                }
            }
        }
        let detail = serde_json::json!({ "units": units.len(), "added": added, "moved": moved }).to_string();
        audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(by), action: "structure.units_imported", object_type: "organisation", object_id: Some(org_id), detail: Some(detail) }, now).await?;
        tx.commit().await?;
        Ok((added, moved))
    }

    /// The organisation's employees, those who left too.
    pub async fn employees(&self, org_id: &str) -> StoreResult<Vec<EmployeeRecord>> {
        Ok(sqlx::query_as("SELECT id, email, name, unit_id, location, tenure_band, left_at FROM employees WHERE org_id = $1 ORDER BY email").bind(org_id).fetch_all(&self.read).await?)
    }

    /// Makes the stored list the given one, all or nothing: new addresses
    /// are added, changed units, names, locations and tenure bands written,
    /// people missing from the list marked as having left (and people
    /// back on it as returned). Units are named; every name must exist.
    pub async fn sync_employees(&self, org_id: &str, list: &[CurrentEmployee<'_>], by: &str, now: i64) -> StoreResult<EmployeeChanges> {
        let mut tx = self.write.begin().await?;
        let units: Vec<OrgUnitRow> = sqlx::query_as("SELECT id, name, parent_id FROM org_units WHERE org_id = $1").bind(org_id).fetch_all(&mut *tx).await?;
        let unit_id: HashMap<&str, &str> = units.iter().map(|u| (u.name.as_str(), u.id.as_str())).collect();
        let stored: Vec<EmployeeRecord> = sqlx::query_as("SELECT id, email, name, unit_id, location, tenure_band, left_at FROM employees WHERE org_id = $1").bind(org_id).fetch_all(&mut *tx).await?;
        let by_email: HashMap<&str, &EmployeeRecord> = stored.iter().map(|e| (e.email.as_str(), e)).collect();
        let mut changes = EmployeeChanges::default();
        let mut listed = std::collections::HashSet::new();
        for p in list {
            listed.insert(p.email);
            let unit = *unit_id.get(p.unit).ok_or_else(|| super::StoreError::Conflict(format!("the unit {:?} was removed meanwhile", p.unit)))?;
            match by_email.get(p.email) {
                None => {
                    sqlx::query("INSERT INTO employees (id, org_id, email, name, unit_id, location, tenure_band, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
                        .bind(new_id())
                        .bind(org_id)
                        .bind(p.email)
                        .bind(p.name)
                        .bind(unit)
                        .bind(p.location)
                        .bind(p.tenure_band)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    changes.added += 1;
                }
                Some(e) => {
                    let same = e.name == p.name && e.unit_id == unit && e.location.as_deref() == p.location && e.tenure_band.as_deref() == p.tenure_band && e.left_at.is_none();
                    if same {
                        continue;
                    }
                    sqlx::query("UPDATE employees SET name = $1, unit_id = $2, location = $3, tenure_band = $4, left_at = NULL, updated_at = $5 WHERE org_id = $6 AND id = $7")
                        .bind(p.name)
                        .bind(unit)
                        .bind(p.location)
                        .bind(p.tenure_band)
                        .bind(now)
                        .bind(org_id)
                        .bind(&e.id)
                        .execute(&mut *tx)
                        .await?;
                    if e.left_at.is_some() {
                        changes.returned += 1;
                    } else if e.unit_id != unit {
                        changes.moved += 1;
                    } else {
                        changes.updated += 1;
                    }
                }
            }
        }
        for e in stored.iter().filter(|e| e.left_at.is_none() && !listed.contains(e.email.as_str())) {
            sqlx::query("UPDATE employees SET left_at = $1, updated_at = $1 WHERE org_id = $2 AND id = $3").bind(now).bind(org_id).bind(&e.id).execute(&mut *tx).await?;
            changes.left += 1;
        }
        let detail = serde_json::json!({ "listed": list.len(), "added": changes.added, "moved": changes.moved, "updated": changes.updated, "left": changes.left, "returned": changes.returned }).to_string();
        audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(by), action: "structure.employees_imported", object_type: "organisation", object_id: Some(org_id), detail: Some(detail) }, now).await?;
        tx.commit().await?;
        Ok(changes)
    }

    /// Moves one employee (by e-mail) to the unit named, or marks them as
    /// having left (`None`), audited; `false` when nobody has that address.
    pub async fn update_employee(&self, org_id: &str, email: &str, unit: Option<&str>, by: &str, now: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        let changed = match unit {
            Some(name) => {
                let unit_id: Option<String> = sqlx::query_scalar("SELECT id FROM org_units WHERE org_id = $1 AND name = $2").bind(org_id).bind(name).fetch_optional(&mut *tx).await?;
                let unit_id = unit_id.ok_or_else(|| super::StoreError::Conflict(format!("There is no unit \"{name}\" in your structure.")))?;
                sqlx::query("UPDATE employees SET unit_id = $1, left_at = NULL, updated_at = $2 WHERE org_id = $3 AND email = $4").bind(&unit_id).bind(now).bind(org_id).bind(email).execute(&mut *tx).await?.rows_affected()
            }
            None => sqlx::query("UPDATE employees SET left_at = $1, updated_at = $1 WHERE org_id = $2 AND email = $3 AND left_at IS NULL").bind(now).bind(org_id).bind(email).execute(&mut *tx).await?.rows_affected(),
        };
        if changed == 1 {
            let detail = serde_json::json!({ "email": email, "unit": unit, "left": unit.is_none() }).to_string();
            audit_in(&mut tx, &AuditEntry { org_id: Some(org_id), actor: Actor::User(by), action: "structure.employee_changed", object_type: "organisation", object_id: Some(org_id), detail: Some(detail) }, now).await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }
}
