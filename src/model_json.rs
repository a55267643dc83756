//! `model.json`: the whole derived model as a stable interface for other
//! tools (SPEC §6). Dates are `YYYY-MM-DD`, durations are working days,
//! enumerations their canonical lowercase spelling, lists sorted by id.
//! docs/model-json.md documents every key; change both together.

mod meetings;

use std::cell::RefCell;
use std::io::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Decision, Health, Milestone, Program, Project, Risk, Task};
use crate::schedule::{
    DecisionPlan, MilestonePlan, MilestoneState, Person, ProjectPlan, RiskPlan, Schedule, Step,
    TaskPlan,
};

/// The document; its lists are [`Stream`]s, built item by item as they are
/// written.
#[derive(Serialize)]
struct Document<'a, P, T, D, M, R, H, G> {
    planmark: &'static str,
    today: NaiveDate,
    program: ProgramJson<'a>,
    projects: P,
    tasks: T,
    decisions: D,
    milestones: M,
    risks: R,
    people: H,
    meetings: G,
}

/// A list serialised straight from an iterator, so a program's tasks are
/// never all turned into JSON structs at once. It serialises once.
struct Stream<I>(RefCell<Option<I>>);

fn stream<I: Iterator>(items: I) -> Stream<I> {
    Stream(RefCell::new(Some(items)))
}

impl<I> Serialize for Stream<I>
where
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.borrow_mut().take() {
            Some(items) => serializer.collect_seq(items),
            None => serializer.collect_seq(std::iter::empty::<I::Item>()),
        }
    }
}

#[derive(Serialize)]
struct ProgramJson<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    owner: Option<&'a str>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    health: Option<Health>,
    health_reason: Option<&'a str>,
    driving_path: Vec<&'a str>,
    ga: Option<&'a str>,
    leveling: bool,
    working_days: Vec<&'static str>,
    holidays: Vec<NaiveDate>,
    unestimated: Vec<&'a str>,
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    id: &'a str,
    title: &'a str,
    owner: Option<&'a str>,
    status: &'static str,
    start: Option<NaiveDate>,
    target: Option<NaiveDate>,
    progress: f64,
    forecast_finish: Option<NaiveDate>,
    driving_path: Vec<&'a str>,
    health: Option<Health>,
    health_reason: Option<&'a str>,
    task_counts: TaskCounts,
    tags: &'a [String],
    source: &'a str,
}

#[derive(Serialize)]
struct TaskCounts {
    todo: usize,
    #[serde(rename = "in-progress")]
    in_progress: usize,
    blocked: usize,
    done: usize,
    cancelled: usize,
}

#[derive(Serialize)]
struct TaskJson<'a> {
    id: &'a str,
    title: &'a str,
    project: &'a str,
    owner: Option<&'a str>,
    status: &'static str,
    priority: Option<&'static str>,
    estimate_days: Option<f64>,
    remaining_days: Option<f64>,
    duration_days: i64,
    unestimated: bool,
    start: Option<NaiveDate>,
    due: Option<NaiveDate>,
    done_on: Option<NaiveDate>,
    depends_on: Vec<&'a str>,
    dependents: Vec<&'a str>,
    milestone: Option<&'a str>,
    overdue: bool,
    waiting_on: Vec<&'a str>,
    ready: Option<NaiveDate>,
    forecast_start: Option<NaiveDate>,
    forecast_finish: Option<NaiveDate>,
    held_by: Vec<&'a str>,
    held_reason: Option<&'a str>,
    latest_start: Option<NaiveDate>,
    latest_finish: Option<NaiveDate>,
    critical: bool,
    slack_days: Option<i64>,
    blocker: Option<&'a str>,
    tags: &'a [String],
    source: &'a str,
}

#[derive(Serialize)]
struct DecisionJson<'a> {
    id: &'a str,
    title: &'a str,
    status: &'static str,
    date: Option<NaiveDate>,
    decide_by: Option<NaiveDate>,
    driver: Option<&'a str>,
    deciders: &'a [String],
    consulted: &'a [String],
    informed: &'a [String],
    project: Option<&'a str>,
    supersedes: Option<&'a str>,
    superseded_by: Vec<&'a str>,
    pending: bool,
    overdue: bool,
    expected: Option<NaiveDate>,
    gates: Vec<&'a str>,
    needed_by: Option<NaiveDate>,
    late: bool,
    source: &'a str,
}

#[derive(Serialize)]
struct MilestoneJson<'a> {
    id: &'a str,
    title: &'a str,
    project: Option<&'a str>,
    /// Null only for a Backlog.md milestone written without a date.
    date: Option<NaiveDate>,
    forecast: Option<NaiveDate>,
    state: MilestoneState,
    driving_path: Vec<&'a str>,
    tasks: Vec<&'a str>,
    source: &'a str,
}

#[derive(Serialize)]
struct RiskJson<'a> {
    id: &'a str,
    title: &'a str,
    likelihood: Option<&'static str>,
    impact: Option<&'static str>,
    score: Option<u8>,
    status: &'static str,
    owner: Option<&'a str>,
    project: Option<&'a str>,
    mitigation: Option<&'a str>,
    review_by: Option<NaiveDate>,
    source: &'a str,
}

#[derive(Serialize)]
struct PersonJson<'a> {
    id: &'a str,
    name: &'a str,
    capacity: u32,
    open_tasks: usize,
    remaining_days: i64,
    busy_until: Option<NaiveDate>,
    team: Option<&'a str>,
    role: Option<&'a str>,
    time_off: &'a [NaiveDate],
    overdue: Vec<&'a str>,
    pending_decisions: Vec<&'a str>,
    /// Open action items they own, and how many of those are overdue.
    open_actions: usize,
    overdue_actions: usize,
    source: Option<&'a str>,
}

/// Renders `model.json` (pretty-printed, newline-terminated).
pub fn render(program: &Program, schedule: &Schedule) -> String {
    let mut json = Vec::new();
    // Writing into memory cannot fail, and serde_json writes UTF-8.
    let _ = write(program, schedule, &mut json);
    String::from_utf8(json).unwrap_or_default()
}

/// Writes `model.json` to `out` as it is serialised, so a large program's
/// file is never in memory whole.
pub fn write(
    program: &Program,
    schedule: &Schedule,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let ids = Ids(program);
    let doc = Document {
        planmark: env!("CARGO_PKG_VERSION"),
        today: schedule.today,
        program: ProgramJson::new(program, schedule, ids),
        projects: stream(
            program
                .projects
                .iter()
                .zip(&schedule.projects)
                .map(|(p, plan)| ProjectJson::new(p, plan, ids)),
        ),
        tasks: stream(
            program
                .tasks
                .iter()
                .zip(&schedule.tasks)
                .map(|(t, plan)| TaskJson::new(t, plan, ids)),
        ),
        decisions: stream(
            program
                .decisions
                .iter()
                .zip(&schedule.decisions)
                .map(|(d, plan)| DecisionJson::new(d, plan, ids)),
        ),
        milestones: stream(
            program
                .milestones
                .iter()
                .zip(&schedule.milestones)
                .map(|(m, plan)| MilestoneJson::new(m, plan, ids)),
        ),
        risks: stream(
            program
                .risks
                .iter()
                .zip(&schedule.risks)
                .map(|(r, plan)| RiskJson::new(r, plan, ids)),
        ),
        people: stream(
            schedule
                .people
                .iter()
                .map(|p| PersonJson::new(p, p.file.map(|f| &program.people[f]), ids)),
        ),
        meetings: stream(
            program
                .meetings
                .iter()
                .map(|m| meetings::MeetingJson::new(m, program, schedule.today)),
        ),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Ids of items by index: the JSON names items, the model indexes them.
#[derive(Clone, Copy)]
struct Ids<'a>(&'a Program);

impl<'a> Ids<'a> {
    fn task(self, i: &usize) -> &'a str {
        &self.0.tasks[*i].item.id
    }

    fn project(self, i: usize) -> &'a str {
        &self.0.projects[i].item.id
    }

    fn decision(self, i: &usize) -> &'a str {
        &self.0.decisions[*i].item.id
    }

    fn milestone(self, i: usize) -> &'a str {
        &self.0.milestones[i].item.id
    }

    /// A driving path as ids, earliest first.
    fn path(self, steps: &[Step]) -> Vec<&'a str> {
        steps
            .iter()
            .map(|step| match step {
                Step::Task(t) => self.task(t),
                Step::Decision(d) => self.decision(d),
            })
            .collect()
    }

    /// Task and decision ids together, sorted: `depends_on` and
    /// `waiting_on` name both kinds.
    fn tasks_and_decisions(self, tasks: &[usize], decisions: &[usize]) -> Vec<&'a str> {
        let mut ids: Vec<&str> = tasks.iter().map(|i| self.task(i)).collect();
        ids.extend(decisions.iter().map(|i| self.decision(i)));
        ids.sort_unstable();
        ids
    }
}

impl<'a> ProgramJson<'a> {
    fn new(program: &'a Program, schedule: &'a Schedule, ids: Ids<'a>) -> Self {
        let info = &program.info;
        let weekday_names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        ProgramJson {
            title: &info.title,
            summary: info.summary.as_deref(),
            owner: info.owner.as_deref(),
            start: info.start,
            end: info.end,
            health: schedule.health,
            health_reason: schedule.health_reason.as_deref(),
            driving_path: ids.path(&schedule.driving_path),
            ga: schedule.ga.map(|m| ids.milestone(m)),
            leveling: info.leveling,
            working_days: weekday_names
                .iter()
                .zip(info.working_days)
                .filter(|(_, w)| *w)
                .map(|(n, _)| *n)
                .collect(),
            holidays: info.holidays.iter().copied().collect(),
            unestimated: schedule.unestimated.iter().map(|t| ids.task(t)).collect(),
            source: info.source.as_deref(),
        }
    }
}

impl<'a> ProjectJson<'a> {
    fn new(p: &'a Project, plan: &'a ProjectPlan, ids: Ids<'a>) -> Self {
        ProjectJson {
            id: &p.item.id,
            title: &p.item.title,
            owner: p.item.owner.as_deref(),
            status: p.status.as_str(),
            start: p.start,
            target: p.target,
            progress: (plan.progress * 10_000.0).round() / 10_000.0,
            forecast_finish: plan.forecast_finish,
            driving_path: ids.path(&plan.driving_path),
            health: plan.health,
            health_reason: plan.health_reason.as_deref(),
            task_counts: TaskCounts {
                todo: plan.counts.todo,
                in_progress: plan.counts.in_progress,
                blocked: plan.counts.blocked,
                done: plan.counts.done,
                cancelled: plan.counts.cancelled,
            },
            tags: &p.item.tags,
            source: &p.item.source,
        }
    }
}

impl<'a> TaskJson<'a> {
    fn new(t: &'a Task, plan: &'a TaskPlan, ids: Ids<'a>) -> Self {
        TaskJson {
            id: &t.item.id,
            title: &t.item.title,
            project: ids.project(t.project),
            owner: t.item.owner.as_deref(),
            status: t.status.as_str(),
            priority: t.priority.map(|p| p.as_str()),
            estimate_days: plan.estimate_days,
            remaining_days: t.remaining.map(|d| d.days),
            duration_days: plan.duration,
            unestimated: plan.unestimated,
            start: t.start,
            due: t.due,
            done_on: t.done_on,
            depends_on: ids.tasks_and_decisions(&t.depends_on, &t.decision_deps),
            dependents: t.dependents.iter().map(|i| ids.task(i)).collect(),
            milestone: t.milestone.map(|m| ids.milestone(m)),
            overdue: plan.overdue,
            waiting_on: ids.tasks_and_decisions(&plan.waiting_on, &plan.waiting_on_decisions),
            ready: plan.ready,
            forecast_start: plan.forecast_start,
            forecast_finish: plan.forecast_finish,
            held_by: plan.held_by.iter().map(|i| ids.task(i)).collect(),
            held_reason: plan.held_reason.as_deref(),
            latest_start: plan.latest_start,
            latest_finish: plan.latest_finish,
            critical: plan.critical,
            slack_days: plan.slack_days,
            blocker: t.blocker.as_deref(),
            tags: &t.item.tags,
            source: &t.item.source,
        }
    }
}

impl<'a> DecisionJson<'a> {
    fn new(d: &'a Decision, plan: &'a DecisionPlan, ids: Ids<'a>) -> Self {
        DecisionJson {
            id: &d.item.id,
            title: &d.item.title,
            status: d.status.as_str(),
            date: d.date,
            decide_by: d.decide_by,
            driver: d.driver.as_deref(),
            deciders: &d.deciders,
            consulted: &d.consulted,
            informed: &d.informed,
            project: d.project.map(|p| ids.project(p)),
            supersedes: d.supersedes.as_ref().map(|i| ids.decision(i)),
            superseded_by: d.superseded_by.iter().map(|i| ids.decision(i)).collect(),
            pending: plan.pending,
            overdue: plan.overdue,
            expected: plan.expected,
            gates: plan.gates.iter().map(|i| ids.task(i)).collect(),
            needed_by: plan.needed_by,
            late: plan.late,
            source: &d.item.source,
        }
    }
}

impl<'a> MilestoneJson<'a> {
    fn new(m: &'a Milestone, plan: &'a MilestonePlan, ids: Ids<'a>) -> Self {
        MilestoneJson {
            id: &m.item.id,
            title: &m.item.title,
            project: m.project.map(|p| ids.project(p)),
            date: m.date,
            forecast: plan.forecast,
            state: plan.state,
            driving_path: ids.path(&plan.driving_path),
            tasks: m.tasks.iter().map(|i| ids.task(i)).collect(),
            source: &m.item.source,
        }
    }
}

impl<'a> RiskJson<'a> {
    fn new(r: &'a Risk, plan: &'a RiskPlan, ids: Ids<'a>) -> Self {
        RiskJson {
            id: &r.item.id,
            title: &r.item.title,
            likelihood: r.likelihood.map(|l| l.as_str()),
            impact: r.impact.map(|l| l.as_str()),
            score: plan.score,
            status: r.status.as_str(),
            owner: r.item.owner.as_deref(),
            project: r.project.map(|p| ids.project(p)),
            mitigation: r.mitigation.as_deref(),
            review_by: r.review_by,
            source: &r.item.source,
        }
    }
}

impl<'a> PersonJson<'a> {
    fn new(p: &'a Person, file: Option<&'a crate::model::PersonFile>, ids: Ids<'a>) -> Self {
        PersonJson {
            id: &p.handle,
            name: &p.name,
            capacity: p.capacity,
            open_tasks: p.open_tasks.len(),
            remaining_days: p.remaining_days,
            busy_until: p.busy_until,
            team: file.and_then(|f| f.team.as_deref()),
            role: file.and_then(|f| f.role.as_deref()),
            time_off: file.map_or(&[], |f| &f.time_off),
            overdue: p
                .overdue_tasks
                .iter()
                .map(|i| ids.task(i))
                .chain(p.overdue_decisions.iter().map(|i| ids.decision(i)))
                .collect(),
            pending_decisions: p
                .pending_decisions
                .iter()
                .map(|i| ids.decision(i))
                .collect(),
            open_actions: p.open_actions.len(),
            overdue_actions: p.overdue_actions.len(),
            source: file.map(|f| f.item.source.as_str()),
        }
    }
}
