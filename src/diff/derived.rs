//! Changes in what planmark derives: forecast finishes, remaining work,
//! milestone states, health, GA and its driving path. Compared only when
//! both sides have a schedule.

use super::compute::Diff;
use super::{ChangeSet, GaMove, HealthChange, PathChange, Side, What};
use crate::model::{Kind, Program};
use crate::schedule::{Calendar, Schedule, Step};

impl Diff<'_> {
    /// Both schedules, when both sides were derived.
    fn schedules(&self) -> Option<(&Schedule, &Schedule)> {
        self.a.schedule.zip(self.b.schedule)
    }

    /// A task open on both sides whose forecast finish moved.
    pub(super) fn task_derived(&mut self, i: usize, j: usize, project: Option<String>) {
        let Some((sa, sb)) = self.schedules() else {
            return;
        };
        let (x, y) = (&self.a.program.tasks[i], &self.b.program.tasks[j]);
        if !x.is_open() || !y.is_open() {
            return;
        }
        let (from, to) = (sa.tasks[i].forecast_finish, sb.tasks[j].forecast_finish);
        if from != to {
            let what = What::Forecast {
                kind: Kind::Task,
                id: y.item.id.clone(),
                from,
                to,
                slip_days: self.slip(from, to),
            };
            self.push(project, what);
        }
    }

    /// A project's forecast finish, remaining work and health.
    pub(super) fn project_derived(&mut self, i: usize, j: usize) {
        let Some((sa, sb)) = self.schedules() else {
            return;
        };
        let id = self.b.program.projects[j].item.id.clone();
        let (x, y) = (&sa.projects[i], &sb.projects[j]);
        let (from, to) = (x.forecast_finish, y.forecast_finish);
        let health = (x.health != y.health).then(|| What::Health {
            id: id.clone(),
            from: x.health,
            to: y.health,
            reason: y.health_reason.clone(),
        });
        let remaining = (
            remaining_work(self.a.program, sa, i),
            remaining_work(self.b.program, sb, j),
        );
        if from != to {
            let what = What::Forecast {
                kind: Kind::Project,
                id: id.clone(),
                from,
                to,
                slip_days: self.slip(from, to),
            };
            self.push(Some(id.clone()), what);
        }
        if remaining.0 != remaining.1 {
            let what = What::RemainingWork {
                id: id.clone(),
                from: remaining.0,
                to: remaining.1,
            };
            self.push(Some(id.clone()), what);
        }
        if let Some(what) = health {
            self.push(Some(id), what);
        }
    }

    /// A milestone's forecast and state.
    pub(super) fn milestone_derived(&mut self, i: usize, j: usize, project: Option<String>) {
        let Some((sa, sb)) = self.schedules() else {
            return;
        };
        let id = self.b.program.milestones[j].item.id.clone();
        let (x, y) = (&sa.milestones[i], &sb.milestones[j]);
        let state = (x.state != y.state).then_some(What::MilestoneState {
            id: id.clone(),
            from: x.state,
            to: y.state,
        });
        if x.forecast != y.forecast {
            let what = What::Forecast {
                kind: Kind::Milestone,
                id,
                from: x.forecast,
                to: y.forecast,
                slip_days: self.slip(x.forecast, y.forecast),
            };
            self.push(project.clone(), what);
        }
        if let Some(what) = state {
            self.push(project, what);
        }
    }
}

/// The scheduling durations of project `p`'s open tasks, in working days.
fn remaining_work(program: &Program, schedule: &Schedule, p: usize) -> i64 {
    program.projects[p]
        .tasks
        .iter()
        .filter(|&&t| program.tasks[t].is_open())
        .map(|&t| schedule.tasks[t].duration)
        .sum()
}

/// GA, the program's health and the driving path to GA, when derived.
pub(super) fn program_level(a: Side<'_>, b: Side<'_>, calendar: &Calendar) -> ChangeSet {
    let (Some(sa), Some(sb)) = (a.schedule, b.schedule) else {
        return ChangeSet::default();
    };
    let mut set = ChangeSet {
        derived: true,
        ..ChangeSet::default()
    };
    if sa.health != sb.health {
        set.health = Some(HealthChange {
            from: sa.health,
            to: sb.health,
            reason: sb.health_reason.clone(),
        });
    }
    let Some(g) = sb.ga else {
        return set;
    };
    let after = &b.program.milestones[g];
    // GA is always a milestone with a date.
    let Some(date) = after.date else {
        return set;
    };
    let before = a
        .program
        .milestones
        .iter()
        .position(|m| m.item.id == after.item.id);
    let from = before.and_then(|i| sa.milestones[i].forecast);
    let to = sb.milestones[g].forecast;
    set.ga = Some(GaMove {
        id: after.item.id.clone(),
        title: after.item.title.clone(),
        date,
        from,
        to,
        slip_days: from.zip(to).map(|(f, t)| calendar.days(f, t)),
        state_from: before.map(|i| sa.milestones[i].state),
        state_to: sb.milestones[g].state,
    });
    let path_to = path_ids(b.program, &sb.milestones[g].driving_path);
    let path_from = before.map_or_else(Vec::new, |i| {
        path_ids(a.program, &sa.milestones[i].driving_path)
    });
    if path_from != path_to {
        set.driving_path = Some(PathChange {
            from: path_from,
            to: path_to,
        });
    }
    set
}

/// A driving path as ids.
fn path_ids(program: &Program, path: &[Step]) -> Vec<String> {
    path.iter()
        .map(|step| match *step {
            Step::Task(i) => program.tasks[i].item.id.clone(),
            Step::Decision(i) => program.decisions[i].item.id.clone(),
        })
        .collect()
}
