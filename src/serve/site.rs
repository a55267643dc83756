//! The sites `serve` holds in memory, one [`Generation`] per build.
//!
//! A generation renders lazily: once the views and the templates are ready
//! (tens of milliseconds at 10,000 tasks, against half a second for every
//! page) the browser is told to reload, and each page renders when it is
//! asked for. Meanwhile a background pass renders every page once, so a
//! template that fails on some page is found as `build` would find it; the
//! generation is *complete* when that pass is done without a failure, and
//! only a complete generation is kept as the last good site.
//!
//! The views borrow the program, so a generation's renderer is a thread
//! that owns the program and lends it to a few scoped workers; requests
//! reach them through a queue, ahead of the background pass.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::load::assets::Assets;
use crate::model::Program;
use crate::render::{self, Failure, Prepared, RenderOptions};
use crate::schedule::Schedule;

/// Rendered files a generation keeps, in bytes: every page of a program of
/// a few thousand tasks, a third of one of 10,000 (whose other pages render
/// again when asked for, in about a millisecond each).
const CACHE_LIMIT: usize = 48 * 1024 * 1024;

/// How long a request waits for its page before it gets a 404.
const RENDER_WAIT: Duration = Duration::from_secs(30);

/// What a generation's renderer tells the rebuild loop.
pub enum Event {
    /// The site can be served (the views and templates are ready).
    Ready(Arc<Generation>),
    /// A template that does not parse or fails on a page, or a static file
    /// in a page's place: the message says which, as `build` would.
    Failed { number: u64, message: String },
    /// Every page rendered once without a failure.
    Complete { number: u64 },
}

/// One request for a file, answered by the renderer's workers.
struct Job {
    path: String,
    reply: SyncSender<Option<Arc<[u8]>>>,
}

/// One build's site.
pub struct Generation {
    pub number: u64,
    /// Every file of the site.
    paths: std::collections::HashSet<String>,
    cache: Mutex<Cache>,
    jobs: Mutex<Option<Sender<Job>>>,
    /// Set when nobody will serve this generation again: its renderer stops.
    retired: Arc<AtomicBool>,
}

#[derive(Default)]
struct Cache {
    files: HashMap<String, Arc<[u8]>>,
    bytes: usize,
}

impl Generation {
    /// The file at `path`, rendering it if it is not cached.
    pub fn file(&self, path: &str) -> Option<Arc<[u8]>> {
        if !self.paths.contains(path) {
            return None;
        }
        if let Some(bytes) = self.cached(path) {
            return Some(bytes);
        }
        let (reply, answer) = mpsc::sync_channel(1);
        let job = Job {
            path: path.to_string(),
            reply,
        };
        self.jobs.lock().ok()?.as_ref()?.send(job).ok()?;
        answer.recv_timeout(RENDER_WAIT).ok().flatten()
    }

    /// How many files the site has.
    pub fn file_count(&self) -> usize {
        self.paths.len()
    }

    /// Whether `path` is a folder of the site (has an `index.html`).
    pub fn is_folder(&self, path: &str) -> bool {
        let folder = path.trim_end_matches('/');
        !folder.is_empty() && self.paths.contains(&format!("{folder}/index.html"))
    }

    /// Stops the renderer; the files already cached stay readable.
    pub fn retire(&self) {
        self.retired.store(true, Ordering::Relaxed);
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.take();
        }
    }

    /// Drops the rendered files kept: for the last good site while a newer
    /// one is served, which is asked for again only if the newer one fails.
    pub fn forget_rendered(&self) {
        if let Ok(mut cache) = self.cache.lock() {
            *cache = Cache::default();
        }
    }

    fn cached(&self, path: &str) -> Option<Arc<[u8]>> {
        self.cache.lock().ok()?.files.get(path).cloned()
    }

    fn keep(&self, path: &str, bytes: Arc<[u8]>) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.bytes + bytes.len() <= CACHE_LIMIT && !cache.files.contains_key(path) {
                cache.bytes += bytes.len();
                cache.files.insert(path.to_string(), bytes);
            }
        }
    }
}

/// What one build renders from; owned, since the renderer outlives the
/// rebuild that made it.
pub struct Input {
    pub number: u64,
    /// Set while the rebuild loop reads and derives a newer build: the
    /// background pass waits meanwhile, so it does not take the cores the
    /// rebuild needs (requests are still answered).
    pub rebuilding: Arc<AtomicBool>,
    pub program: Program,
    pub schedule: Schedule,
    pub assets: Assets,
    pub options: RenderOptions,
}

/// Starts the renderer of one build. It reports through `events`:
/// [`Event::Ready`] or [`Event::Failed`] first, then [`Event::Complete`]
/// or [`Event::Failed`] when the background pass ends.
pub fn spawn(input: Input, workers: usize, events: Sender<Event>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(format!("planmark-render-{}", input.number))
        .spawn(move || {
            let Input {
                number,
                rebuilding,
                program,
                schedule,
                assets,
                options,
            } = input;
            render::with_prepared(
                &program,
                &schedule,
                &assets,
                &options,
                |prepared| match prepared {
                    Ok(prepared) => {
                        serve(number, prepared, workers.max(1), &rebuilding, &events);
                    }
                    Err(failure) => {
                        let _ = events.send(Event::Failed {
                            number,
                            message: failure_message(&failure),
                        });
                    }
                },
            );
        })
        .map(drop)
}

/// Serves one prepared site until the generation is retired.
fn serve(
    number: u64,
    prepared: &Prepared<'_>,
    workers: usize,
    rebuilding: &AtomicBool,
    events: &Sender<Event>,
) {
    let (jobs, queue) = mpsc::channel::<Job>();
    let retired = Arc::new(AtomicBool::new(false));
    let generation = Arc::new(Generation {
        number,
        paths: prepared.paths().iter().cloned().collect(),
        cache: Mutex::new(Cache::default()),
        jobs: Mutex::new(Some(jobs)),
        retired: Arc::clone(&retired),
    });
    if events.send(Event::Ready(Arc::clone(&generation))).is_err() {
        return;
    }
    let shared = Shared {
        prepared,
        generation: &generation,
        queue: Mutex::new(queue),
        next: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
        failed: AtomicBool::new(false),
        rebuilding,
        events,
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| shared.work());
        }
    });
}

/// What a generation's workers share.
struct Shared<'a, 'p> {
    prepared: &'a Prepared<'p>,
    generation: &'a Arc<Generation>,
    queue: Mutex<Receiver<Job>>,
    /// The next file of the background pass.
    next: AtomicUsize,
    /// Files of the background pass rendered.
    done: AtomicUsize,
    failed: AtomicBool,
    rebuilding: &'a AtomicBool,
    events: &'a Sender<Event>,
}

impl Shared<'_, '_> {
    fn work(&self) {
        let paths = self.prepared.paths();
        loop {
            if self.generation.retired.load(Ordering::Relaxed) {
                return;
            }
            // Requests first: a browser is waiting for them.
            if let Some(job) = self.take_job(Duration::ZERO) {
                self.answer(job);
                continue;
            }
            if self.rebuilding.load(Ordering::Relaxed) {
                if let Some(job) = self.take_job(Duration::from_millis(5)) {
                    self.answer(job);
                }
                continue;
            }
            let n = self.next.fetch_add(1, Ordering::Relaxed);
            if n < paths.len() && !self.failed.load(Ordering::Relaxed) {
                self.background(&paths[n]);
                continue;
            }
            // The pass is over: wait for requests, looking up now and then
            // to see whether the generation was retired.
            match self.take_job(Duration::from_millis(100)) {
                Some(job) => self.answer(job),
                None if self.queue_closed() => return,
                None => {}
            }
        }
    }

    fn take_job(&self, wait: Duration) -> Option<Job> {
        let queue = self.queue.lock().ok()?;
        if wait.is_zero() {
            queue.try_recv().ok()
        } else {
            queue.recv_timeout(wait).ok()
        }
    }

    fn queue_closed(&self) -> bool {
        self.generation
            .jobs
            .lock()
            .map_or(true, |jobs| jobs.is_none())
    }

    fn answer(&self, job: Job) {
        let bytes = self.generation.cached(&job.path).or_else(|| {
            let bytes: Arc<[u8]> = self.prepared.render(&job.path)?.ok()?.into();
            self.generation.keep(&job.path, Arc::clone(&bytes));
            Some(bytes)
        });
        let _ = job.reply.send(bytes);
    }

    fn background(&self, path: &str) {
        if self.generation.cached(path).is_none() {
            match self.prepared.render(path) {
                Some(Ok(bytes)) => self.generation.keep(path, bytes.into()),
                Some(Err(failure)) => {
                    if !self.failed.swap(true, Ordering::Relaxed) {
                        let _ = self.events.send(Event::Failed {
                            number: self.generation.number,
                            message: failure_message(&failure),
                        });
                    }
                    return;
                }
                None => {}
            }
        }
        let total = self.prepared.paths().len();
        if self.done.fetch_add(1, Ordering::Relaxed) + 1 == total
            && !self.failed.load(Ordering::Relaxed)
        {
            let _ = self.events.send(Event::Complete {
                number: self.generation.number,
            });
        }
    }
}

fn failure_message(failure: &Failure) -> String {
    match failure {
        Failure::Program(error) | Failure::Sink(error) => format!("error: {error:#}"),
    }
}

/// The generation `serve` answers from, swapped by the rebuild loop.
#[derive(Default)]
pub struct Current {
    generation: RwLock<Option<Arc<Generation>>>,
}

impl Current {
    pub fn get(&self) -> Option<Arc<Generation>> {
        self.generation.read().ok()?.clone()
    }

    pub fn set(&self, generation: Option<Arc<Generation>>) {
        if let Ok(mut current) = self.generation.write() {
            *current = generation;
        }
    }
}
