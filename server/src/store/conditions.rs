//! A WHERE clause built condition by condition, for queries whose filters
//! are optional (the audit log, the analysis sheets): each `?` in a
//! condition becomes the next numbered parameter, after those the query
//! binds first.

/// A value a condition binds.
#[derive(Clone, Copy)]
pub(super) enum Param<'a> {
    Text(&'a str),
    Int(i64),
}

pub(super) struct Conditions<'a> {
    sql: String,
    params: Vec<Param<'a>>,
    fixed: usize,
}

impl<'a> Conditions<'a> {
    /// Starts from `base`, which uses the first `fixed` parameters itself.
    pub(super) fn new(base: &str, fixed: usize) -> Conditions<'a> {
        Conditions { sql: base.to_string(), params: Vec::new(), fixed }
    }

    /// Adds ` AND condition`, its `?`s numbered in turn and bound to `params` in order.
    pub(super) fn and(&mut self, condition: &str, params: impl IntoIterator<Item = Param<'a>>) {
        self.sql.push_str(" AND ");
        let mut params = params.into_iter();
        for c in condition.chars() {
            match (c, c == '?') {
                (_, true) => {
                    if let Some(p) = params.next() {
                        self.params.push(p);
                    }
                    self.sql.push_str(&format!("${}", self.fixed + self.params.len()));
                }
                (c, false) => self.sql.push(c),
            }
        }
    }

    /// Adds the condition when there is a value for it.
    pub(super) fn and_if(&mut self, condition: &str, param: Option<Param<'a>>) {
        if let Some(p) = param {
            self.and(condition, [p]);
        }
    }

    pub(super) fn sql(&self) -> &str {
        &self.sql
    }

    /// The number the next parameter after the conditions gets.
    pub(super) fn next_number(&self) -> usize {
        self.fixed + self.params.len() + 1
    }

    pub(super) fn into_params(self) -> Vec<Param<'a>> {
        self.params
    }

    /// The parameters, for binding to more than one query.
    pub(super) fn params(&self) -> Vec<Param<'a>> {
        self.params.clone()
    }
}

/// Binds the conditions' parameters to a query (`query`, `query_as` or
/// `query_scalar`), after what it bound already.
macro_rules! bind_params {
    ($query:expr, $params:expr) => {{
        let mut q = $query;
        for p in $params {
            q = match p {
                $crate::store::conditions::Param::Text(t) => q.bind(t),
                $crate::store::conditions::Param::Int(i) => q.bind(i),
            };
        }
        q
    }};
}
pub(super) use bind_params;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_question_mark_becomes_the_next_numbered_parameter() {
        let mut c = Conditions::new("org_id = $1", 1);
        c.and_if("action = ?", Some(Param::Text("login.failed")));
        c.and_if("at >= ?", None);
        c.and("(at < ? OR (at = ? AND id > ?))", [Param::Int(5), Param::Int(5), Param::Text("x")]);
        assert_eq!(c.sql(), "org_id = $1 AND action = $2 AND (at < $3 OR (at = $4 AND id > $5))");
        assert_eq!(c.next_number(), 6);
        assert_eq!(c.into_params().len(), 4);
    }
}
