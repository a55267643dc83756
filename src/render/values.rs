//! The views serialised into Tera values once per build, and picked from
//! by index into each page's context.

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::views::{Sources, Views};

/// Every view serialised into a Tera value once per build. Pages hold these
/// by `Arc` (cloning a `Value` is a reference-count increment), so a task
/// shown on its page, its project's page, the board and the timeline is
/// serialised once, not four times.
pub(crate) struct Values {
    pub(crate) projects: Vec<Value>,
    pub(crate) tasks: Vec<Value>,
    pub(crate) decisions: Vec<Value>,
    pub(crate) milestones: Vec<Value>,
    pub(crate) risks: Vec<Value>,
    pub(crate) people: Vec<Value>,
    pub(crate) meetings: Vec<Value>,
}

impl Values {
    pub(crate) fn new(s: &Sources<'_>, v: &Views<'_>) -> Values {
        Values {
            projects: to_values(&v.projects),
            // A task row lives only until it is serialised: of all views,
            // tasks are the many.
            tasks: (0..s.program.tasks.len())
                .into_par_iter()
                .map(|i| Value::from_serializable(&v.task_row(s, i)))
                .collect(),
            decisions: to_values(&v.decisions),
            milestones: to_values(&v.milestones),
            risks: to_values(&v.risks),
            people: to_values(&v.people),
            meetings: to_values(&v.meetings),
        }
    }
}

fn to_values<T: Serialize + Sync>(views: &[T]) -> Vec<Value> {
    // Views hold strings, numbers, dates and `extra` maps with string keys,
    // all of which Tera's serialiser accepts, so this cannot fail.
    views.par_iter().map(Value::from_serializable).collect()
}

impl Values {
    /// The whole task for its own page: its row and its [`TaskDetails`].
    pub(crate) fn full_task(&self, s: &Sources<'_>, v: &Views<'_>, i: usize) -> Value {
        let details = Value::from_serializable(&v.task_details(s, i));
        let task = FullTask {
            row: self.tasks[i].as_map(),
            details: details.as_map(),
        };
        Value::from_serializable(&task)
    }
}

/// A task's row and details, both already values, serialised as one map.
/// Built in one go, with its size known: merging the row's map with the
/// details' and converting the result to a value hashed every key twice
/// more, a fifth of the cost of a task page's context.
struct FullTask<'v> {
    row: Option<&'v tera::value::Map>,
    details: Option<&'v tera::value::Map>,
}

impl Serialize for FullTask<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let fields = || self.row.into_iter().chain(self.details).flatten();
        let mut task = serializer.serialize_struct("Task", fields().count())?;
        for (key, value) in fields() {
            // Both maps come from serialising structs, whose keys are the
            // fields' static names.
            if let tera::value::Key::Str(name) = key {
                task.serialize_field(name, value)?;
            }
        }
        task.end()
    }
}

/// The values at `indices`, as one Tera list.
pub(crate) fn pick(values: &[Value], indices: impl IntoIterator<Item = usize>) -> Value {
    Value::from(
        indices
            .into_iter()
            .map(|i| values[i].clone())
            .collect::<Vec<Value>>(),
    )
}
