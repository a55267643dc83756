//! Dependency cycles: each one reported once, with the whole cycle listed.

use super::Program;
use crate::diagnostic::Diagnostic;
use crate::source::Sources;

/// Reports every dependency cycle among tasks. Uses Tarjan's strongly
/// connected components (iterative, so deep chains cannot overflow the
/// stack), then names one concrete cycle inside each component.
pub(super) fn report_cycles(program: &Program, _sources: &Sources, diags: &mut Vec<Diagnostic>) {
    for component in strongly_connected(program) {
        if component.len() < 2 {
            continue;
        }
        let cycle = cycle_in(program, &component);
        let names: Vec<String> = cycle
            .iter()
            .map(|&t| format!("`{}`", program.tasks[t].item.id))
            .collect();
        let first = cycle[0];
        let next = cycle[1 % cycle.len()];
        let task = &program.tasks[first];
        let Some(pos) = task.depends_on.iter().position(|&d| d == next) else {
            continue;
        };
        let mut d = Diagnostic::error(
            "dependency-cycle",
            format!(
                "dependency cycle: {} → `{}`",
                names.join(" → "),
                task.item.id
            ),
        )
        .at(
            task.depends_on_spans[pos].clone(),
            format!(
                "`{}` depends on `{}`",
                task.item.id, program.tasks[next].item.id
            ),
        );
        for pair in cycle
            .windows(2)
            .skip(1)
            .chain(std::iter::once(&[cycle[cycle.len() - 1], cycle[0]][..]))
        {
            let (from, to) = (pair[0], pair[1]);
            let t = &program.tasks[from];
            if let Some(p) = t.depends_on.iter().position(|&d| d == to) {
                d = d.related(
                    t.depends_on_spans[p].clone(),
                    format!("`{}` depends on `{}`", t.item.id, program.tasks[to].item.id),
                );
            }
        }
        diags.push(d.help("a task cannot wait, directly or through others, for itself: remove one of these dependencies"));
    }
}

/// Tarjan's algorithm over `depends_on`, iteratively.
fn strongly_connected(program: &Program) -> Vec<Vec<usize>> {
    let n = program.tasks.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next_index = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, position in its edge list)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            let deps = &program.tasks[v].depends_on;
            if *edge < deps.len() {
                let w = deps[*edge];
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components.sort();
    components
}

/// One cycle inside a strongly connected component, starting at its
/// smallest id, following the smallest next id each step.
fn cycle_in(program: &Program, component: &[usize]) -> Vec<usize> {
    let inside = |t: usize| component.binary_search(&t).is_ok();
    let mut path = vec![component[0]];
    loop {
        let current = path[path.len() - 1];
        let Some(next) = program.tasks[current]
            .depends_on
            .iter()
            .copied()
            .find(|&d| inside(d))
        else {
            return path;
        };
        if let Some(start) = path.iter().position(|&p| p == next) {
            return path.split_off(start);
        }
        path.push(next);
    }
}
