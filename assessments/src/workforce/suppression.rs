//! Which cells of a workforce result may be shown, so that no group of
//! fewer than [`MIN_GROUP`] respondents can be seen or worked out.
//!
//! The table: units of an organisation in a tree (departments, teams),
//! and optionally one breakdown (location, tenure band) in columns. A cell
//! is a set of respondents: a unit with everybody below it, or that set
//! within one category. Whoever reads the table knows every shown cell's
//! respondent count and can add and subtract them; the groups they can
//! single out are unions of the *atoms* of the shown cells (respondents
//! who lie in exactly the same shown cells). The rule: every atom holds no
//! respondent or at least [`MIN_GROUP`].
//!
//! - **Primary suppression**: a cell under [`MIN_GROUP`] is not shown.
//! - **Complementary suppression**: while some atom holds 1 to 4
//!   respondents (a parent minus its visible children, a unit minus its
//!   visible categories), the smallest shown cell around it is hidden too,
//!   which merges the atom into a larger one. The unit cells (the
//!   margins) are decided first and the same for every breakdown; a
//!   breakdown hides only its own category cells.
//!
//! The whole organisation's count is taken as known when it is at least
//! [`MIN_GROUP`] (its response rate is published then), so respondents
//! outside every shown unit form an atom too; with fewer, nothing at all
//! is shown, the total included.

use std::collections::HashMap;

/// The fewest respondents a shown group may have.
pub const MIN_GROUP: u32 = 5;

/// A unit tree: `parent[u]` (`None` for a top unit).
pub type Parents = [Option<usize>];

/// Whether a group of `n` may be singled out: nobody, or at least [`MIN_GROUP`].
pub fn safe_group(n: u32) -> bool {
    n == 0 || n >= MIN_GROUP
}

/// Each unit's ancestors and itself, nearest first.
pub fn lineage(parents: &Parents, u: usize) -> Vec<usize> {
    let mut out = vec![u];
    let mut at = u;
    while let Some(p) = parents[at] {
        if out.contains(&p) {
            break; // a cycle: refused when the structure is imported; never loop here
        }
        out.push(p);
        at = p;
    }
    out
}

/// Respondents of each unit with everybody below it: total(u) = direct(u) + Σ total(children).
pub fn subtree_totals(parents: &Parents, direct: &[u32]) -> Vec<u32> {
    let mut total = vec![0_u32; parents.len()];
    for (u, n) in direct.iter().enumerate() {
        for a in lineage(parents, u) {
            total[a] += n;
        }
    }
    total
}

/// A shown cell: a unit, in one category (`Some(k)`) or in all (`None`).
type Cell = (usize, Option<usize>);

/// The atoms of the shown cells: for each elementary group (the direct
/// members of unit `d` in category `k`), the shown cells holding it; groups
/// with the same cells are one atom. Returns each atom's cells and count.
pub fn atoms(parents: &Parents, direct: &[Vec<u32>], shown_units: &[bool], shown_cells: &[Vec<bool>]) -> Vec<(Vec<(usize, Option<usize>)>, u32)> {
    let mut by_signature: HashMap<Vec<Cell>, u32> = HashMap::new();
    for (d, row) in direct.iter().enumerate() {
        let line = lineage(parents, d);
        for (k, n) in row.iter().enumerate() {
            let mut signature: Vec<Cell> = Vec::new();
            for &u in &line {
                if shown_units[u] {
                    signature.push((u, None));
                }
                if shown_cells.get(u).and_then(|r| r.get(k)).copied().unwrap_or(false) {
                    signature.push((u, Some(k)));
                }
            }
            signature.sort_unstable();
            *by_signature.entry(signature).or_default() += n;
        }
    }
    by_signature.into_iter().collect()
}

/// Whether the shown cells leave an atom of 1 to 4 respondents.
fn leaves_small_atom(parents: &Parents, direct: &[Vec<u32>], shown_units: &[bool], shown_cells: &[Vec<bool>]) -> bool {
    atoms(parents, direct, shown_units, shown_cells).iter().any(|(_, n)| !safe_group(*n))
}

/// Each unit's nearest shown unit above it (not itself), or `None`.
fn nearest_shown_above(parents: &Parents, shown: &[bool]) -> Vec<Option<usize>> {
    (0..parents.len())
        .map(|u| {
            let mut at = parents[u];
            while let Some(a) = at {
                if shown[a] {
                    return Some(a);
                }
                at = parents[a];
            }
            None
        })
        .collect()
}

/// One pass of complementary suppression down one column of the tree:
/// every shown cell (and the column's total, when it is known) minus the
/// shown cells directly inside it must leave 0 or at least [`MIN_GROUP`];
/// where it does not, the smallest of those inner cells is hidden.
/// Returns whether anything was hidden. Linear in the units: each shown
/// unit adds its total to its nearest shown unit above (or to the column).
fn complementary_pass(parents: &Parents, total: &[u32], shown: &mut [bool], column_total: Option<u32>) -> bool {
    let above = nearest_shown_above(parents, shown);
    // Index n stands for the column's total.
    let n = parents.len();
    let mut inner_sum = vec![0_u32; n + 1];
    let mut smallest: Vec<Option<usize>> = vec![None; n + 1];
    for u in (0..n).filter(|u| shown[*u]) {
        let h = above[u].unwrap_or(n);
        inner_sum[h] += total[u];
        if smallest[h].is_none_or(|s| (total[u], u) < (total[s], s)) {
            smallest[h] = Some(u);
        }
    }
    let holders = (0..n).filter(|u| shown[*u]).map(|u| (u, total[u])).chain(column_total.map(|t| (n, t)));
    for (h, size) in holders.collect::<Vec<_>>() {
        if !safe_group(size - inner_sum[h]) {
            if let Some(victim) = smallest[h] {
                shown[victim] = false;
                return true;
            }
        }
    }
    false
}

/// Which unit cells (everybody in the unit, no breakdown) may be shown.
pub fn suppress_units(parents: &Parents, direct: &[u32]) -> Vec<bool> {
    suppress_units_within(parents, direct, &vec![true; parents.len()])
}

/// [`suppress_units`] where only the `allowed` units may show at all: for
/// a figure some respondents leave out (a scale whose items a respondent
/// skipped), `direct` counts those who have it and `allowed` is the unit
/// suppression, so the figure shows nowhere the unit is hidden and its own
/// counts leave no group under 5 either.
pub fn suppress_units_within(parents: &Parents, direct: &[u32], allowed: &[bool]) -> Vec<bool> {
    let total = subtree_totals(parents, direct);
    let mut shown: Vec<bool> = total.iter().zip(allowed).map(|(n, a)| *a && *n >= MIN_GROUP).collect();
    let everyone = direct.iter().sum();
    while complementary_pass(parents, &total, &mut shown, Some(everyone)) {}
    shown
}

/// Which category cells of a breakdown may be shown, given the unit cells
/// shown (from [`suppress_units`], never changed here). `direct[u][k]`:
/// direct members of unit `u` in category `k`. Each category's column is
/// suppressed down the tree, each unit's row across its categories, until
/// neither hides more; should a group under 5 still be left (rows and
/// columns can cross), the breakdown shows no category at all.
pub fn suppress_breakdown(parents: &Parents, direct: &[Vec<u32>], shown_units: &[bool]) -> Vec<Vec<bool>> {
    let categories = direct.first().map_or(0, Vec::len);
    let direct_units: Vec<u32> = direct.iter().map(|r| r.iter().sum()).collect();
    let unit_total = subtree_totals(parents, &direct_units);
    let column_total: Vec<Vec<u32>> = (0..categories).map(|k| subtree_totals(parents, &direct.iter().map(|r| r[k]).collect::<Vec<_>>())).collect();
    // shown[k][u], by column while suppressing.
    let mut shown: Vec<Vec<bool>> = column_total.iter().map(|col| col.iter().enumerate().map(|(u, n)| shown_units[u] && *n >= MIN_GROUP).collect()).collect();
    loop {
        let mut changed = false;
        for k in 0..categories {
            while complementary_pass(parents, &column_total[k], &mut shown[k], None) {
                changed = true;
            }
        }
        for u in (0..parents.len()).filter(|u| shown_units[*u]) {
            let visible: Vec<usize> = (0..categories).filter(|k| shown[*k][u]).collect();
            let residual = unit_total[u] - visible.iter().map(|k| column_total[*k][u]).sum::<u32>();
            if !safe_group(residual) {
                if let Some(k) = visible.into_iter().min_by_key(|k| (column_total[*k][u], *k)) {
                    shown[k][u] = false;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let by_unit: Vec<Vec<bool>> = (0..parents.len()).map(|u| (0..categories).map(|k| shown[k][u]).collect()).collect();
    if leaves_small_atom(parents, direct, shown_units, &by_unit) {
        return vec![vec![false; categories]; parents.len()];
    }
    by_unit
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Org (0) > Security (1) > {SOC (2), Red team (3)}; Org > HR (4).
    fn tree() -> Vec<Option<usize>> {
        vec![None, Some(0), Some(1), Some(1), Some(0)]
    }

    #[test]
    fn a_small_unit_is_hidden_and_so_is_a_sibling_that_would_give_it_away() {
        // Red team has 3 respondents: hidden. Security (20) minus SOC (17)
        // would tell the Red team's 3, so SOC is hidden as well.
        let shown = suppress_units(&tree(), &[0, 0, 17, 3, 9]);
        assert_eq!(shown, [true, true, false, false, true]);
        // With a SOC of 17 and a Red team of 6 every unit may show.
        assert_eq!(suppress_units(&tree(), &[0, 0, 17, 6, 9]), [true; 5]);
    }

    #[test]
    fn the_organisation_minus_its_visible_units_is_a_group_too() {
        // Org has 2 direct respondents (no team): Org minus Security minus HR = 2.
        let shown = suppress_units(&tree(), &[2, 0, 10, 10, 9]);
        let total = subtree_totals(&tree(), &[2, 0, 10, 10, 9]);
        assert_eq!(total[0], 31);
        let atoms = atoms(&tree(), &[vec![2], vec![0], vec![10], vec![10], vec![9]], &shown, &vec![Vec::new(); 5]);
        assert!(atoms.iter().all(|(_, n)| safe_group(*n)), "{atoms:?}");
        assert!(!shown[4], "HR, the smallest top unit, joins the remainder: {shown:?}");
    }

    #[test]
    fn a_breakdown_hides_a_category_that_the_unit_total_would_give_away() {
        // SOC 17: 14 in Berlin, 3 in Lisbon. Lisbon is hidden, and Berlin
        // too, since SOC minus Berlin would tell Lisbon's 3.
        let direct = vec![vec![0, 0], vec![0, 0], vec![14, 3], vec![5, 5], vec![9, 0]];
        let units = suppress_units(&tree(), &direct.iter().map(|r| r.iter().sum()).collect::<Vec<_>>());
        let cells = suppress_breakdown(&tree(), &direct, &units);
        assert!(!cells[2][1] && !cells[2][0], "{cells:?}");
        assert!(atoms(&tree(), &direct, &units, &cells).iter().all(|(_, n)| safe_group(*n)));
    }

    fn random_table() -> impl Strategy<Value = (Vec<Option<usize>>, Vec<Vec<u32>>)> {
        (2_usize..30, 1_usize..4).prop_flat_map(|(units, categories)| {
            let parents = (1..units).map(|u| (0..u).prop_map(Some).boxed()).collect::<Vec<_>>();
            let counts = prop::collection::vec(prop::collection::vec(prop_oneof![3 => 0_u32..5, 2 => 0_u32..15], categories), units);
            (Just(None).prop_map(|p: Option<usize>| vec![p]), parents, counts).prop_map(|(mut root, rest, counts)| {
                root.extend(rest);
                (root, counts)
            })
        })
    }

    proptest! {
        /// The privacy rule, checked on the respondents themselves: each
        /// respondent's shown cells; respondents with the same cells form a
        /// group, and every such group is empty or at least 5. Every nested
        /// pair of shown cells differs by 0 or at least 5.
        #[test]
        fn no_group_under_five_can_be_worked_out((parents, direct) in random_table()) {
            let direct_units: Vec<u32> = direct.iter().map(|r| r.iter().sum()).collect();
            let units = suppress_units(&parents, &direct_units);
            let cells = suppress_breakdown(&parents, &direct, &units);
            let total = subtree_totals(&parents, &direct_units);
            // One entry per respondent: their unit and category.
            let people: Vec<(usize, usize)> = direct.iter().enumerate().flat_map(|(u, row)| row.iter().enumerate().flat_map(move |(k, n)| std::iter::repeat_n((u, k), *n as usize))).collect();
            let within = |person: &(usize, usize), cell: &(usize, Option<usize>)| lineage(&parents, person.0).contains(&cell.0) && cell.1.is_none_or(|k| k == person.1);
            let shown: Vec<(usize, Option<usize>)> = (0..parents.len()).filter(|u| units[*u]).map(|u| (u, None))
                .chain((0..parents.len()).flat_map(|u| (0..direct[0].len()).map(move |k| (u, k))).filter(|(u, k)| cells[*u][*k]).map(|(u, k)| (u, Some(k))))
                .collect();
            let mut groups: HashMap<Vec<bool>, u32> = HashMap::new();
            for p in &people {
                *groups.entry(shown.iter().map(|c| within(p, c)).collect()).or_default() += 1;
            }
            let everyone = people.len() as u32;
            for (signature, n) in &groups {
                // Respondents outside every shown cell are a group only through the
                // organisation's total, which is published when it is at least 5.
                if signature.iter().all(|inside| !inside) && everyone < MIN_GROUP {
                    continue;
                }
                prop_assert!(safe_group(*n), "a group of {n} in cells {:?}", shown.iter().zip(signature).filter(|(_, s)| **s).map(|(c, _)| c).collect::<Vec<_>>());
            }
            for a in &shown {
                prop_assert!(count(&people, a, &within) >= MIN_GROUP, "a shown cell under 5: {a:?}");
                for b in &shown {
                    let b_in_a = people.iter().all(|p| !within(p, b) || within(p, a));
                    if a != b && b_in_a {
                        let gap = count(&people, a, &within) - count(&people, b, &within);
                        prop_assert!(safe_group(gap), "{a:?} minus {b:?} leaves {gap}");
                    }
                }
            }
            // Nothing big is hidden for nothing: a unit of 5 or more with no small neighbourhood shows.
            prop_assert!(units.iter().zip(&total).all(|(s, n)| !*s || *n >= MIN_GROUP));
        }
    }

    proptest! {
        /// A figure with its own counts shows only inside the allowed units,
        /// and every shown cell minus the shown cells inside it leaves 0 or at least 5.
        #[test]
        fn a_figure_within_the_unit_suppression_leaves_no_small_remainder((parents, direct) in random_table(), keep in prop::collection::vec(0_u32..=100, 30)) {
            let everyone: Vec<u32> = direct.iter().map(|r| r.iter().sum()).collect();
            let allowed = suppress_units(&parents, &everyone);
            // Some respondents skip the figure: each unit keeps a share of its own.
            let with_figure: Vec<u32> = everyone.iter().zip(&keep).map(|(n, k)| n * k / 100).collect();
            let shown = suppress_units_within(&parents, &with_figure, &allowed);
            let total = subtree_totals(&parents, &with_figure);
            prop_assert!(shown.iter().zip(&allowed).all(|(s, a)| !*s || *a));
            let holders = (0..parents.len()).filter(|u| shown[*u]).map(|u| (Some(u), total[u])).chain(std::iter::once((None, with_figure.iter().sum::<u32>())));
            for (holder, size) in holders {
                prop_assert!(holder.is_none() || size >= MIN_GROUP);
                let inner: u32 = maximal_shown_below(&parents, &shown, holder).iter().map(|u| total[*u]).sum();
                prop_assert!(safe_group(size - inner) || (holder.is_none() && size < MIN_GROUP), "{holder:?}: {size} minus {inner}");
            }
        }
    }

    /// The shown units directly under `holder` (no shown unit between), or
    /// under none (`None`: the top-most shown units), by the definition:
    /// the test's own reference for the linear pass.
    fn maximal_shown_below(parents: &Parents, shown: &[bool], holder: Option<usize>) -> Vec<usize> {
        (0..parents.len())
            .filter(|&u| shown[u] && Some(u) != holder)
            .filter(|&u| {
                let nearest = lineage(parents, u).into_iter().skip(1).find(|a| shown[*a]);
                match holder {
                    Some(h) => nearest == Some(h),
                    None => nearest.is_none(),
                }
            })
            .collect()
    }

    fn count(people: &[(usize, usize)], cell: &(usize, Option<usize>), within: &impl Fn(&(usize, usize), &(usize, Option<usize>)) -> bool) -> u32 {
        people.iter().filter(|p| within(p, cell)).count() as u32
    }
}
