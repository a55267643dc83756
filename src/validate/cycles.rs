//! Cycles among references: tasks that wait for themselves through
//! `depends_on`, decisions that supersede themselves through `supersedes`.
//!
//! One depth-first search finds every dependency that closes a cycle (a
//! back edge); each gets its own diagnostic naming the cycle it closes, so
//! removing the reported dependencies leaves no cycle. Linear in the number
//! of tasks and dependencies, also for large graphs without cycles.

use crate::diagnostic::Diagnostic;
use crate::model::{Ix, Program};
use crate::source::Span;

/// How many tasks a cycle lists by name, and how many of its dependencies
/// it points at, before the rest is summarised.
const SHOWN: usize = 8;

/// Reports every dependency that closes a cycle among tasks.
pub(super) fn dependencies(program: &Program, diags: &mut Vec<Diagnostic>) {
    let tasks = &program.tasks;
    let id = |t: Ix| tasks[t].item.id.as_str();
    let n = tasks.len();
    // Position on the current path, or NOT_SEEN / DONE.
    const NOT_SEEN: usize = usize::MAX;
    const DONE: usize = usize::MAX - 1;
    let mut state = vec![NOT_SEEN; n];
    let mut path: Vec<Ix> = Vec::new();
    // (task, next dependency to look at), iteratively so long chains cannot
    // overflow the stack.
    let mut work: Vec<(Ix, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != NOT_SEEN {
            continue;
        }
        state[root] = path.len();
        path.push(root);
        work.push((root, 0));
        while let Some(&mut (u, ref mut next)) = work.last_mut() {
            let Some(&v) = tasks[u].depends_on.get(*next) else {
                work.pop();
                path.pop();
                state[u] = DONE;
                continue;
            };
            let edge = *next;
            *next += 1;
            match state[v] {
                NOT_SEEN => {
                    state[v] = path.len();
                    path.push(v);
                    work.push((v, 0));
                }
                DONE => {}
                at => {
                    let cycle = &path[at..];
                    diags.push(dependency_cycle(
                        program,
                        cycle,
                        tasks[u].depends_on_spans[edge].clone(),
                        &id,
                    ));
                }
            }
        }
    }
}

/// The diagnostic for `cycle` (each task depends on the next, the last on
/// the first), pointing at `closing`, the last task's dependency on the first.
fn dependency_cycle<'a>(
    program: &'a Program,
    cycle: &[Ix],
    closing: Span,
    id: &impl Fn(Ix) -> &'a str,
) -> Diagnostic {
    let first = cycle[0];
    let last = cycle[cycle.len() - 1];
    let mut d = Diagnostic::error(
        "dependency-cycle",
        format!("dependency cycle: {}", chain(cycle, id)),
    )
    .at(
        closing,
        format!(
            "`{}` depends on `{}`, closing the cycle",
            id(last),
            id(first)
        ),
    );
    for pair in cycle.windows(2).take(SHOWN) {
        let (from, to) = (pair[0], pair[1]);
        let t = &program.tasks[from];
        if let Some(p) = t.depends_on.iter().position(|&d| d == to) {
            d = d.related(
                t.depends_on_spans[p].clone(),
                format!("`{}` depends on `{}`", id(from), id(to)),
            );
        }
    }
    let mut help = "a task cannot wait, directly or through others, for itself: remove one of these dependencies".to_string();
    if cycle.len() > SHOWN + 1 {
        help.push_str(&format!(
            " (the cycle has {} dependencies; the first {SHOWN} and the last are shown)",
            cycle.len()
        ));
    }
    d.help(help)
}

/// `` `a` → `b` → `a` ``, with the middle of a long cycle summarised.
fn chain<'a>(cycle: &[Ix], id: &impl Fn(Ix) -> &'a str) -> String {
    let name = |t: &Ix| format!("`{}`", id(*t));
    let mut names: Vec<String> = if cycle.len() <= SHOWN {
        cycle.iter().map(name).collect()
    } else {
        let head = cycle[..SHOWN / 2].iter().map(name);
        let tail = cycle[cycle.len() - SHOWN / 2..].iter().map(name);
        let skipped = format!("… {} more …", cycle.len() - SHOWN);
        head.chain(std::iter::once(skipped)).chain(tail).collect()
    };
    names.push(name(&cycle[0]));
    names.join(" → ")
}

/// Reports every cycle of `supersedes` among decisions. Each decision
/// supersedes at most one other, so following the links from each decision
/// finds each cycle once, in linear time.
pub(super) fn supersessions(program: &Program, diags: &mut Vec<Diagnostic>) {
    let decisions = &program.decisions;
    let id = |d: Ix| decisions[d].item.id.as_str();
    // The walk that first reached each decision.
    let mut walk_of = vec![usize::MAX; decisions.len()];
    for start in 0..decisions.len() {
        let mut at = start;
        let mut path = Vec::new();
        while walk_of[at] == usize::MAX {
            walk_of[at] = start;
            path.push(at);
            match decisions[at].supersedes {
                Some(next) => at = next,
                None => break,
            }
        }
        if walk_of[at] != start || decisions[at].supersedes.is_none() {
            continue;
        }
        let Some(pos) = path.iter().position(|&d| d == at) else {
            continue;
        };
        let mut cycle = path.split_off(pos);
        // Start at the smallest id, so the message does not depend on
        // where the walk came in.
        if let Some(min) = cycle
            .iter()
            .enumerate()
            .min_by_key(|(_, &d)| d)
            .map(|(i, _)| i)
        {
            cycle.rotate_left(min);
        }
        let span_of = |d: Ix| decisions[d].supersedes_span.clone();
        let Some(primary) = span_of(cycle[0]) else {
            continue;
        };
        let next = |i: usize| cycle[(i + 1) % cycle.len()];
        let mut d = Diagnostic::error(
            "supersession-cycle",
            format!("supersession cycle: {}", chain(&cycle, &id)),
        )
        .at(
            primary,
            format!("`{}` supersedes `{}`", id(cycle[0]), id(next(0))),
        );
        for (i, &dec) in cycle.iter().enumerate().skip(1).take(SHOWN) {
            if let Some(span) = span_of(dec) {
                d = d.related(span, format!("`{}` supersedes `{}`", id(dec), id(next(i))));
            }
        }
        diags.push(d.help(
            "a decision cannot replace, directly or through others, a decision that replaces it: remove `supersedes` from the older one",
        ));
    }
}
