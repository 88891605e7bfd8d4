//! Simulated respondents taking a bank as a candidate would, in full or
//! adaptively (the engine choosing each next item): what the demo seed and
//! the finish benchmark store as a session's answers.

use assessments::{
    adaptive::answer_category,
    bank::Bank,
    cat::{next_step, CatStatus},
    responses::{Answer, Responses},
};

use crate::catalog::Adaptive;

/// A simulated person taking a bank adaptively, as a candidate would: the
/// engine chooses each next item of its pool from the answers so far and the
/// person gives their simulated answer to it; the items outside the pool
/// (check items) follow. The answers given, their order (bank indices) and
/// the run's final state.
pub fn take_adaptively(bank: &Bank, adaptive: &Adaptive, seed: u64, person: &Responses) -> Result<(Responses, Vec<usize>, CatStatus), String> {
    let mut given = Responses::new(bank, person.respondent.clone());
    let mut order = Vec::new();
    let mut cat_answers = Vec::new();
    loop {
        let status = next_step(&adaptive.pool, &adaptive.config, seed, &cat_answers).map_err(|e| e.to_string())?;
        let Some((item, index)) = status.next.zip(status.next_id.as_deref().and_then(|id| bank.item_index(id))) else {
            let rest = (0..bank.items().len()).filter(|&i| adaptive.pool.index_of(&bank.items()[i].id).is_none());
            for index in rest {
                if person.answer(index).is_some() {
                    given.set_index(index, person.answer(index));
                    given.set_latency_index(index, person.latency_ms(index));
                    order.push(index);
                }
            }
            return Ok((given, order, status));
        };
        let answer = person.answer(index);
        if answer.is_some() {
            given.set_index(index, answer);
            given.set_latency_index(index, person.latency_ms(index));
            order.push(index);
        }
        cat_answers.push(assessments::cat::Answer { item, category: answer.and_then(|a| answer_category(bank, index, a)) });
    }
}

/// (item id, stored value, latency) for every answered item, in the order
/// given (bank indices); SJT answers are stored by option id.
pub fn answer_rows(bank: &Bank, responses: &Responses, order: &[usize]) -> Vec<(String, String, Option<i64>)> {
    order
        .iter()
        .filter_map(|&index| Some((index, bank.items().get(index)?)))
        .filter_map(|(index, item)| {
            let value = match responses.answer(index)? {
                Answer::Value(v) => v.to_string(),
                Answer::Option(o) => item.options.get(usize::from(o))?.id.clone(),
            };
            Some((item.id.clone(), value, responses.latency_ms(index).map(i64::from)))
        })
        .collect()
}
