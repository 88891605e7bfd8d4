//! The workforce side: the organisation's structure (units and the
//! employees in them, imported from the HR system's files: [`structure`]),
//! on which pulse survey waves and their group results build. Results are
//! only ever shown for groups, suppressed by
//! `assessments::workforce::suppression`.
//!
//! Who may do what: administrators import the structure (HR runs surveys
//! as administrators until a people role exists); nothing here is shown to
//! recruiters, and no employee record is ever joined to an answer.

pub mod breakdown;
pub mod cell;
pub mod champions;
pub mod demo;
pub mod insight;
pub mod results;
pub mod structure;
pub mod survey;
pub mod upkeep;
pub mod waves;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::{
    recruit::csv_import::RowError,
    service_error::ServiceError,
    staff::{require_admin, Caller},
    store::{CurrentEmployee, EmployeeChanges, Store},
    time::now_ms,
};
use structure::{parse_employees, parse_units, StructureFileError};

/// What an import did, or why it did nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported<T> {
    Done(T),
    /// Problems by row: nothing was imported.
    Refused(Vec<RowError>),
}

impl From<StructureFileError> for ServiceError {
    fn from(e: StructureFileError) -> ServiceError {
        ServiceError::Invalid(e.to_string())
    }
}

/// The units as a tree of positions: `ids[i]`'s parent is `parents[i]`.
pub struct UnitTree<'a> {
    index: HashMap<&'a str, usize>,
    pub parents: Vec<Option<usize>>,
}

impl<'a> UnitTree<'a> {
    pub fn of(units: &'a [crate::store::OrgUnitRow]) -> UnitTree<'a> {
        let index: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.id.as_str(), i)).collect();
        let parents = units.iter().map(|u| u.parent_id.as_deref().and_then(|p| index.get(p).copied())).collect();
        UnitTree { index, parents }
    }

    /// The position of a unit id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Every unit with its depth, parents before their children (siblings in the order given).
    pub fn in_order(&self) -> Vec<(usize, usize)> {
        let mut children: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
        for (i, p) in self.parents.iter().enumerate() {
            children.entry(*p).or_default().push(i);
        }
        let mut out = Vec::with_capacity(self.parents.len());
        let mut stack: Vec<(usize, usize)> = children.get(&None).into_iter().flatten().rev().map(|i| (*i, 0)).collect();
        while let Some((i, depth)) = stack.pop() {
            out.push((i, depth));
            stack.extend(children.get(&Some(i)).into_iter().flatten().rev().map(|c| (*c, depth + 1)));
        }
        out
    }
}

/// One unit of the structure as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitLine {
    pub name: String,
    pub depth: usize,
    /// Current employees directly in the unit, and with everybody below it.
    pub direct: usize,
    pub total: usize,
}

/// The structure: units in tree order (parents before their children, by name), current and past employees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureView {
    pub units: Vec<UnitLine>,
    pub employees: usize,
    pub left: usize,
}

/// The organisation's structure (administrators).
pub async fn view(store: &Store, caller: &Caller) -> Result<StructureView, ServiceError> {
    require_admin(caller)?;
    let units = store.org_units(&caller.org_id).await?;
    let employees = store.employees(&caller.org_id).await?;
    let tree = UnitTree::of(&units);
    let mut direct = vec![0_u32; units.len()];
    for e in employees.iter().filter(|e| e.left_at.is_none()) {
        if let Some(i) = tree.position(&e.unit_id) {
            direct[i] += 1;
        }
    }
    let total = assessments::workforce::suppression::subtree_totals(&tree.parents, &direct);
    let lines = tree.in_order().into_iter().map(|(i, depth)| UnitLine { name: units[i].name.clone(), depth, direct: direct[i] as usize, total: total[i] as usize }).collect();
    let left = employees.iter().filter(|e| e.left_at.is_some()).count();
    Ok(StructureView { units: lines, employees: employees.len() - left, left })
}

/// Imports a units file (administrators): all of it, or nothing with every
/// problem by row. Returns (added, moved).
pub async fn import_units(store: &Store, caller: &Caller, file: &[u8]) -> Result<Imported<(usize, usize)>, ServiceError> {
    require_admin(caller)?;
    let stored = store.org_units(&caller.org_id).await?;
    let name_of: HashMap<&str, &str> = stored.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
    let existing: BTreeMap<String, Option<String>> = stored.iter().map(|u| (u.name.clone(), u.parent_id.as_deref().and_then(|p| name_of.get(p)).map(|n| n.to_string()))).collect();
    let (units, errors) = parse_units(file, &existing)?;
    if !errors.is_empty() {
        return Ok(Imported::Refused(errors));
    }
    let rows: Vec<(&str, Option<&str>)> = units.iter().map(|u| (u.name.as_str(), u.parent.as_deref())).collect();
    Ok(Imported::Done(store.import_units(&caller.org_id, &rows, &caller.user_id, now_ms()).await?))
}

/// Imports the current employee list (administrators): all of it, or
/// nothing with every problem by row.
pub async fn import_employees(store: &Store, caller: &Caller, file: &[u8]) -> Result<Imported<EmployeeChanges>, ServiceError> {
    require_admin(caller)?;
    let units: HashSet<String> = store.org_units(&caller.org_id).await?.into_iter().map(|u| u.name).collect();
    let (people, errors) = parse_employees(file, &units)?;
    if !errors.is_empty() {
        return Ok(Imported::Refused(errors));
    }
    let list: Vec<CurrentEmployee<'_>> = people
        .iter()
        .map(|p| CurrentEmployee { email: &p.email, name: &p.name, unit: &p.unit, location: p.location.as_deref(), tenure_band: p.tenure_band.as_deref() })
        .collect();
    Ok(Imported::Done(store.sync_employees(&caller.org_id, &list, &caller.user_id, now_ms()).await?))
}

/// Adds one unit, or moves one under another parent (administrators): the
/// same rules as a units file of one row (no circle, a known parent).
pub async fn save_unit(store: &Store, caller: &Caller, name: &str, parent: &str) -> Result<Imported<(usize, usize)>, ServiceError> {
    let mut file = csv::Writer::from_writer(Vec::new());
    let written = file.write_record(["unit", "parent"]).and_then(|()| file.write_record([name.trim(), parent.trim()]));
    let bytes = written.map_err(|e| ServiceError::Invalid(e.to_string())).and_then(|()| file.into_inner().map_err(|e| ServiceError::Invalid(e.to_string())))?;
    import_units(store, caller, &bytes).await
}

/// Moves one employee to another unit, or marks them as having left
/// (`unit` empty), administrators; the next employee list from the HR
/// system sets them again as it says.
pub async fn update_employee(store: &Store, caller: &Caller, email: &str, unit: &str) -> Result<(), ServiceError> {
    require_admin(caller)?;
    let email = email.trim().to_lowercase();
    let unit = unit.trim();
    if !unit.is_empty() && !store.org_units(&caller.org_id).await?.iter().any(|u| u.name == unit) {
        return Err(ServiceError::Invalid(format!("There is no unit \"{unit}\" in your structure.")));
    }
    if store.update_employee(&caller.org_id, &email, (!unit.is_empty()).then_some(unit), &caller.user_id, now_ms()).await? {
        Ok(())
    } else {
        Err(ServiceError::Invalid(format!("No current employee has the address {email}.")))
    }
}
