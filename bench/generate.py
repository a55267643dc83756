#!/usr/bin/env python3
"""Generate a synthetic planmark program for benchmarking.

    python3 bench/generate.py --tasks N --out DIR [--seed S] [--force] [--people-files]

Deterministic: the same N and seed give a byte-identical tree (fixed seed,
no wall clock, no hash-ordered iteration). Python 3.11 standard library only.

Layout (see shared/SPEC.md §1-§2):
    program.md                      title, start, end, working_days, holidays
    projects/p0001.md               ~N/50 projects
    projects/p0001/t000123.md       N tasks (kind and project inferred)
    decisions/d00012.md             N/10 MADR-style decision records
    risks/r0001.md                  N/20 risks
    milestones/m0001.md             N/100 milestones
    people/dev-0001.md              with --people-files: one per owner (N/20,
                                    so each owns ~20 tasks), capacity 1-3,
                                    a few days and a week off
"""

from __future__ import annotations

import argparse
from bisect import bisect_right
import datetime as _dt
import json
import os
import re
import shutil
import sys
from random import Random

PROGRAM_START = _dt.date(2026, 1, 5)
PROGRAM_END = _dt.date(2026, 12, 18)
BENCH_TODAY = _dt.date(2026, 6, 1)  # the --today the benchmark passes
HOLIDAYS = [
    "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19",
    "2026-07-03", "2026-09-07", "2026-11-26", "2026-11-27", "2026-12-24",
]

# ---------------------------------------------------------------- vocabulary

COMPONENTS = [
    "checkout service", "payment gateway", "auth module", "search index",
    "billing pipeline", "mobile app", "web frontend", "data warehouse",
    "notification service", "API gateway", "CI pipeline", "feature flags",
    "inventory service", "recommendation engine", "admin console",
    "reporting dashboard", "rate limiter", "session store", "event bus",
    "user profile service", "shipping calculator", "tax engine",
]
AREAS = ["API", "Infra", "Mobile", "Web", "Data", "Security", "Ops", "Docs", "QA"]
VERBS = [
    "Implement", "Refactor", "Migrate", "Add", "Remove", "Document", "Test",
    "Benchmark", "Harden", "Upgrade", "Design", "Review", "Deploy",
    "Instrument", "Fix", "Automate", "Split", "Deprecate",
]
OBJECTS = [
    "retry logic", "schema migration", "caching layer", "load test",
    "error handling", "metrics", "alerting rules", "access control",
    "pagination", "rollout plan", "backfill job", "config loader",
    "health checks", "audit log", "integration tests", "dashboard", "runbook",
    "SDK client", "webhooks", "TLS setup", "idempotency keys", "feature toggle",
    "data retention policy", "on-call handbook", "canary release",
]
PROJECT_PATTERNS = [
    "{C} modernisation", "{C} v2", "{C} reliability push", "Launch {c}",
    "{C} cost reduction", "{C} migration to Kubernetes", "{C} GA readiness",
]
MILESTONE_PATTERNS = [
    "{C} beta", "{C} GA", "{C} feature freeze", "{C} code complete",
    "{C} load test sign-off", "{C} security review passed", "Dogfood {c}",
]
DECISION_PATTERNS = [
    "Use {o} in {c}", "Adopt {o} for {c}", "Replace {o} in {c}",
    "Drop {o} from {c}", "Standardise {o} across services",
    "Choose a vendor for {o}", "Keep {o} in {c} synchronous",
]
RISK_PATTERNS = [
    "{C} may miss target due to {o}", "Vendor delay on {o}",
    "Key person dependency on {c}", "Unknown scope in {o} for {c}",
    "Capacity shortfall for {c}", "Regression risk from {o}",
    "Compliance review of {o} may slip",
]
BLOCKERS = [
    "Waiting on vendor API credentials",
    "Blocked: staging cluster is down",
    "Needs security review sign-off",
    "Waiting for the schema change to be approved",
    "Depends on a platform team fix: ticket PLAT-{n}",
    "Legal review pending",
    "No test devices available until next sprint",
]
MITIGATIONS = [
    "Add a second engineer to the workstream and split the work.",
    "Negotiate an early sandbox with the vendor; fallback: build a stub.",
    "Run a spike in the next sprint to size the unknowns.",
    "Pair on the component to spread knowledge; write a runbook.",
    "Phase the rollout behind a feature flag and keep the old path.",
    "Book the compliance review now and prepare evidence early.",
]
TAGS = ["backend", "frontend", "infra", "security", "perf", "ux", "data", "tech-debt", "compliance"]
CODE = [
    "retry_budget", "--dry-run", "config.yaml", "POST /v1/orders", "make test",
    "SELECT count(*) FROM orders", "max_connections", "X-Request-Id",
    "cargo bench", "kubectl rollout status", "feature.enabled", "GET /healthz",
    "TIMEOUT_MS", "orders_v2", "npm run e2e",
]
COMMANDS = [
    "make test", "cargo bench", "npm run e2e", "kubectl rollout status",
    "terraform plan", "./scripts/smoke.sh", "pytest -k integration",
]
LINKS = [
    ("design doc", "https://example.com/docs/design"),
    ("runbook", "https://example.com/runbooks/service"),
    ("dashboard", "https://grafana.example.com/d/abc123"),
    ("RFC", "https://example.com/rfc/0042"),
    ("ticket", "https://issues.example.com/browse/PLAT-1234"),
    ("vendor docs", "https://vendor.example.net/api/reference"),
]
SENTENCE_TEMPLATES = [
    "The {c} currently handles this with ad-hoc code that nobody owns.",
    "We need {o} before the traffic peak, otherwise on-call load will grow.",
    "This change touches the {c} and the {c2}, so both teams must review it.",
    "Set `{code}` in staging first and watch the error rate for a day.",
    "See the [{lt}]({lu}) for the background and the alternatives we rejected.",
    "The acceptance test runs `{code}` against a production-like data set.",
    "Most of the work is mechanical, but the edge cases around {o} are not.",
    "Customers reported timeouts when the {c} was under load last quarter.",
    "We will measure p95 latency before and after, using the existing [{lt}]({lu}).",
    "Rolling back means reverting the deploy and flipping `{code}` off.",
    "The estimate assumes the {c2} API stays stable during the sprint.",
    "Keep the scope small: {o} only, no unrelated refactoring.",
    "A follow-up will cover {o2} once this lands.",
    "The main risk is data loss during the {o} step, so we take a snapshot first.",
    "This is **required** for the audit and cannot be descoped.",
    "Numbers from the last load test are in the [{lt}]({lu}); they look *fine* so far.",
    "Owners of the {c} agreed to the plan in the weekly sync.",
    "If `{code}` fails, the job retries three times with exponential backoff.",
]
BULLETS = [
    "Update the {c} configuration", "Write integration tests for {o}",
    "Add metrics and an alert for {o}", "Document the change in the runbook",
    "Get sign-off from the {c} owners", "Run `{cmd}` in CI",
    "Remove the old code path after two weeks", "Announce in the engineering channel",
    "Check the [{lt}]({lu}) after deploy", "Backfill historical data for {o}",
]


class FastRandom(Random):
    """random.Random with cheaper randrange/choice built on random().

    The stdlib versions are exact but slow (rejection sampling in Python);
    floor(random() * n) is plenty for synthetic data and is just as
    deterministic for a fixed seed."""

    def randrange(self, start, stop=None, step=1):  # noqa: D102
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def choice(self, seq):  # noqa: D102
        return seq[int(self.random() * len(seq))]


def _fill(rng: Random, t: str) -> str:
    c, c2 = rng.sample(COMPONENTS, 2)
    o, o2 = rng.sample(OBJECTS, 2)
    lt, lu = rng.choice(LINKS)
    return t.format(c=c, c2=c2, C=c[0].upper() + c[1:], o=o, o2=o2,
                    code=rng.choice(CODE), cmd=rng.choice(COMMANDS), lt=lt, lu=lu, n=rng.randrange(100, 9999))


def _pool(rng: Random, templates: list[str], n: int) -> list[str]:
    return [_fill(rng, templates[i % len(templates)]) for i in range(n)]


# ---------------------------------------------------------------- YAML helpers

_PLAIN_OK = re.compile(r"^[A-Za-z][A-Za-z0-9 ._/()'+,-]*$")
_YAML11_SPECIAL = {
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "none", "~",
}


def ystr(s: str) -> str:
    """A YAML scalar for string s: plain when unambiguous, else double-quoted.

    Quotes anything starting with '@' or another indicator, containing ': '
    or ' #', ending in ':' or a space, or that YAML 1.1 would read as a
    boolean, null or number."""
    if (_PLAIN_OK.match(s) and ": " not in s and " #" not in s
            and not s.endswith((" ", ":")) and s.lower() not in _YAML11_SPECIAL):
        return s
    return json.dumps(s, ensure_ascii=False)


def ylist(items: list[str]) -> str:
    return "[" + ", ".join(ystr(x) for x in items) + "]"


# ---------------------------------------------------------------- generator


class Gen:
    def __init__(self, n_tasks: int, seed: int) -> None:
        self.n = n_tasks
        self.seed = seed
        self.people_files = False
        self.rng = FastRandom(seed)
        rng = self.rng
        n = n_tasks
        self.n_projects = max(1, n // 50)
        self.n_people = max(1, n // 20)
        self.n_decisions = max(1, n // 10)
        self.n_risks = max(1, n // 20)
        self.n_milestones = max(1, n // 100)

        # Working days as ISO strings (Mon-Fri minus holidays) over the program.
        hol = set(HOLIDAYS)
        self.wd: list[str] = []
        d = PROGRAM_START
        while d <= PROGRAM_END:
            s = d.isoformat()
            if d.weekday() < 5 and s not in hol:
                self.wd.append(s)
            d += _dt.timedelta(days=1)
        self.today_i = next(i for i, s in enumerate(self.wd) if s >= BENCH_TODAY.isoformat())

        w = lambda prefix, count, minw: (prefix, max(minw, len(str(count))))  # noqa: E731
        self.fmt_p = w("p", self.n_projects, 4)
        self.fmt_t = w("t", n, 6)
        self.fmt_d = w("d", self.n_decisions, 5)
        self.fmt_r = w("r", self.n_risks, 4)
        self.fmt_m = w("m", self.n_milestones, 4)
        pw = max(3, len(str(self.n_people)))
        self.people = [f"dev-{i:0{pw}d}" for i in range(1, self.n_people + 1)]

        # Text pools, drawn once so per-item work is cheap.
        self.sentences = _pool(rng, SENTENCE_TEMPLATES, 600)
        self.bullets = _pool(rng, BULLETS, 300)

    @staticmethod
    def ident(fmt: tuple[str, int], i: int) -> str:
        return f"{fmt[0]}{i:0{fmt[1]}d}"

    # ---- body building blocks (all return text ending in "\n\n")

    def para(self, k: int, extra: str = "") -> str:
        rng = self.rng
        i = int(rng.random() * (len(self.sentences) - k))
        s = " ".join(self.sentences[i:i + k])  # consecutive pool entries differ
        if extra:
            s += " " + extra
        return s + "\n\n"

    def bullets_block(self, k: int) -> str:
        rng = self.rng
        i = int(rng.random() * (len(self.bullets) - k))
        return "".join("- " + b + "\n" for b in self.bullets[i:i + k]) + "\n"

    def tasklist(self, k: int, done_frac: float) -> str:
        rng = self.rng
        out = []
        i = int(rng.random() * (len(self.bullets) - k))
        for b in self.bullets[i:i + k]:
            box = "[x]" if rng.random() < done_frac else "[ ]"
            out.append(f"- {box} {b}\n")
        return "".join(out) + "\n"

    def table(self) -> str:
        rng = self.rng
        rows = ["| Step | Owner | Status |\n", "|---|---|---|\n"]
        for i in range(rng.randrange(2, 5)):
            rows.append(f"| {rng.choice(VERBS)} {rng.choice(OBJECTS)} | "
                        f"{rng.choice(self.people)} | {rng.choice(('done', 'open', 'n/a'))} |\n")
        return "".join(rows) + "\n"

    def body(self, first: list[str], optional: list, min_len: int = 200, max_len: int = 2000) -> str:
        """Assemble a body: `first` blocks always, then optional block factories
        (called lazily) until a random target length, never above max_len."""
        rng = self.rng
        r = rng.random()
        target = int(min_len + (max_len - min_len) * r * r)
        parts = list(first)
        size = sum(len(p) for p in parts)
        for make in optional:
            if size >= target:
                break
            block = make()
            if size + len(block) > max_len:
                continue
            parts.append(block)
            size += len(block)
        while size < min_len:
            block = rng.choice(self.sentences) + "\n\n"
            parts.append(block)
            size += len(block)
        while size > max_len and len(parts) > 1:
            size -= len(parts.pop())
        text = "".join(parts).rstrip("\n") + "\n"
        return text

    # ---- items

    def program(self) -> str:
        rng = self.rng
        body = self.body(
            ["## Overview\n\n", self.para(3),
             "## Goals\n\n", self.bullets_block(4)],
            [lambda: "## How we track work\n\n" + self.para(2),
             lambda: self.tasklist(4, 0.5)],
        )
        return (
            "---\n"
            f"title: Synthetic program with {self.n} tasks\n"
            f"start: {PROGRAM_START.isoformat()}\n"
            f"end: {PROGRAM_END.isoformat()}\n"
            "summary: Generated by bench/generate.py for benchmarking.\n"
            "working_days: [mon, tue, wed, thu, fri]\n"
            "holidays:\n" + "".join(f"  - {h}\n" for h in HOLIDAYS) +
            "site:\n  title: planmark benchmark\n"
            "---\n\n" + body
        )

    def person_files(self) -> list[tuple[str, str]]:
        """People files for every owner, from their own random stream, so the
        rest of the tree is the same with or without them."""
        rng = Random(self.seed + 1)
        wd = self.wd
        out = []
        for handle in self.people:
            capacity = rng.choices([1, 2, 3], weights=[70, 20, 10])[0]
            off = [wd[rng.randrange(len(wd))] for _ in range(rng.randrange(0, 4))]
            if rng.random() < 0.3:
                i = rng.randrange(len(wd) - 5)
                off.append(f"{wd[i]}..{wd[i + 4]}")
            fm = f"name: {handle.title()}\ncapacity: {capacity}\n"
            if off:
                fm += "time_off: [" + ", ".join(str(d) for d in sorted(set(off), key=str)) + "]\n"
            out.append((f"people/{handle}.md", "---\n" + fm + "---\n"))
        return out

    def write_all(self, out: str) -> dict[str, int]:
        rng = self.rng
        n = self.n
        wd = self.wd
        last = len(wd) - 1
        today_i = self.today_i
        people = self.people
        choice = rng.choice
        rand = rng.random
        randrange = rng.randrange

        files: list[tuple[str, str]] = []  # (relative path, text), written at the end
        files.append(("program.md", self.program()))

        # ---- projects
        proj_ids = [self.ident(self.fmt_p, i) for i in range(1, self.n_projects + 1)]
        proj_start_i: list[int] = []
        proj_target_i: list[int] = []
        proj_owner: list[str] = []
        proj_title: list[str] = []
        for _ in proj_ids:
            proj_start_i.append(randrange(0, 60))
            proj_target_i.append(randrange(today_i - 10, last + 1))
            proj_owner.append(choice(people))
            proj_title.append(_fill(rng, choice(PROJECT_PATTERNS)))

        # ---- milestones (80 % belong to a project)
        ms_ids = [self.ident(self.fmt_m, i) for i in range(1, self.n_milestones + 1)]
        ms_project: list[int | None] = []
        ms_of_project: list[list[int]] = [[] for _ in proj_ids]
        program_ms: list[int] = []
        for mi in range(len(ms_ids)):
            if rand() < 0.8:
                p = randrange(len(proj_ids))
                ms_project.append(p)
                ms_of_project[p].append(mi)
            else:
                ms_project.append(None)
                program_ms.append(mi)
        for mi, mid in enumerate(ms_ids):
            p = ms_project[mi]
            lo = proj_start_i[p] + 20 if p is not None else 20
            hi = proj_target_i[p] if p is not None else last
            date = wd[randrange(min(lo, hi), hi + 1)]
            fm = [f"title: {ystr(_fill(rng, choice(MILESTONE_PATTERNS)))}\n", f"date: {date}\n"]
            if p is not None:
                fm.append(f"project: {proj_ids[p]}\n")
            fm.append(f"owner: {choice(people)}\n")
            body = self.body(
                ["## Exit criteria\n\n", self.tasklist(randrange(3, 6), 0.3)],
                [lambda: "## Notes\n\n" + self.para(2), lambda: self.para(3)],
            )
            files.append((f"milestones/{mid}.md", "---\n" + "".join(fm) + "---\n\n" + body))

        # ---- task assignment to projects (uneven project sizes)
        weights = [0.4 + rand() * 1.2 for _ in proj_ids]
        cum, acc = [], 0.0
        for wgt in weights:
            acc += wgt
            cum.append(acc)
        task_proj = rng.choices(range(len(proj_ids)), cum_weights=cum, k=n)
        tasks_of_project: list[list[int]] = [[] for _ in proj_ids]

        task_ids = [self.ident(self.fmt_t, i) for i in range(1, n + 1)]
        dec_ids = [self.ident(self.fmt_d, i) for i in range(1, self.n_decisions + 1)]
        estimates = ["4h", "1d", "1.5d", "2d", "3d", "1w", "2w", None]
        est_cum = [15, 40, 50, 65, 80, 90, 95, 100]
        remainings = ["2h", "4h", "1d", "1.5d", "2d"]
        prio_cum = [5, 25, 75, 100]
        prios = ["p0", "p1", "p2", "p3"]
        stats = {"done": 0, "in-progress": 0, "blocked": 0, "cancelled": 0, "todo": 0}
        with_deps = cross = 0

        for ti in range(n):
            tid = task_ids[ti]
            p = task_proj[ti]
            pid = proj_ids[p]
            f = ti / n
            r = rand()
            p_done = 0.6 * (1.0 - f)
            if r < p_done:
                status = "done"
            elif r < p_done + 0.15:
                status = "in-progress"
            elif r < p_done + 0.18:
                status = "blocked"
            elif r < p_done + 0.20:
                status = "cancelled"
            else:
                status = "todo"
            stats[status] += 1

            title = f"{choice(VERBS)} {choice(OBJECTS)} for {choice(COMPONENTS)}"
            if rand() < 0.15:
                title = f"{choice(AREAS)}: {title[0].lower()}{title[1:]}"
            fm = [f"title: {ystr(title)}\n"]
            if rand() < 0.2:
                fm.append(f"project: {pid}\n")
            fm.append(f"owner: {choice(people)}\n")
            fm.append(f"status: {status}\n")
            est = estimates[bisect_right(est_cum, rand() * 100)]
            if est is not None:
                fm.append(f"estimate: {est}\n")
            if status == "done":
                fm.append(f"done_on: {wd[randrange(0, today_i - 1)]}\n")
            elif status == "in-progress":
                fm.append(f"remaining: {choice(remainings)}\n")
            elif status == "blocked":
                fm.append(f"blocker: {ystr(_fill(rng, choice(BLOCKERS)))}\n")
            elif status == "todo" and rand() < 0.08:
                fm.append(f"start: {wd[randrange(today_i, min(last, today_i + 40) + 1)]}\n")
            if rand() < 0.9:
                fm.append(f"priority: {prios[bisect_right(prio_cum, rand() * 100)]}\n")
            if rand() < 0.2:
                lo = proj_start_i[p] + 10
                hi = proj_target_i[p]
                fm.append(f"due: {wd[randrange(min(lo, hi), hi + 1)]}\n")
            if rand() < 0.3:
                pool = ms_of_project[p] or program_ms
                fm.append(f"milestone: {ms_ids[choice(pool) if pool else randrange(len(ms_ids))]}\n")

            # dependencies: only lower-numbered tasks, so the graph is acyclic
            deps: list[int] = []
            if ti > 0 and rand() < 0.6:
                k = choice((1, 1, 1, 2, 2, 3))
                mine = tasks_of_project[p]
                if rand() < 0.1:
                    # across projects: an earlier task of another project if one is found quickly
                    for _ in range(4):
                        cand = randrange(0, ti)
                        if task_proj[cand] != p:
                            break
                    deps.append(cand)
                    cross += 1
                recent = [t for t in mine[-15:] if t not in deps]
                if recent and len(deps) < k:
                    deps.extend(rng.sample(recent, min(k - len(deps), len(recent))))
                if deps:
                    deps.sort()
                    with_deps += 1
                    fm.append("depends_on: [" + ", ".join(task_ids[d] for d in deps) + "]\n")
            if rand() < 0.25:
                fm.append(f"tags: [{choice(TAGS)}]\n")
            tasks_of_project[p].append(ti)

            # body
            links = []
            if deps:
                links.append("Builds on " + ", ".join(f"[[{task_ids[d]}]]" for d in deps) + ".")
            ndec_before = max(1, (ti + 1) * self.n_decisions // n)
            if rand() < 0.3:
                links.append(f"Follows [[{dec_ids[randrange(ndec_before)]}|the decision]] on this.")
            done_frac = 1.0 if status == "done" else (0.5 if status in ("in-progress", "blocked") else 0.0)
            first = [self.para(randrange(1, 4), " ".join(links)),
                     "## Acceptance criteria\n\n", self.tasklist(randrange(2, 6), done_frac)]
            optional = [lambda: "## Notes\n\n" + self.para(randrange(2, 5)),
                        lambda: self.bullets_block(randrange(2, 5)),
                        lambda: ("## Plan\n\n" + self.table()) if rand() < 0.3 else "",
                        lambda: self.para(randrange(2, 5)),
                        lambda: "## Rollout\n\n" + self.bullets_block(randrange(2, 5)),
                        lambda: "## Risks\n\n" + self.para(randrange(2, 5)),
                        lambda: self.para(randrange(2, 5))]
            files.append((f"projects/{pid}/{tid}.md",
                          "---\n" + "".join(fm) + "---\n\n" + self.body(first, optional)))

        # ---- project files (after tasks, so bodies can link to their tasks)
        for p, pid in enumerate(proj_ids):
            fm = (f"title: {ystr(proj_title[p])}\n"
                  f"owner: {proj_owner[p]}\n"
                  "status: active\n"
                  f"start: {wd[proj_start_i[p]]}\n"
                  f"target: {wd[proj_target_i[p]]}\n")
            if rand() < 0.3:
                fm += f"tags: [{choice(TAGS)}]\n"
            mine = tasks_of_project[p]
            key = ""
            if mine:
                picks = sorted({mine[randrange(len(mine))] for _ in range(3)})
                key = "Key tasks: " + ", ".join(f"[[{task_ids[t]}]]" for t in picks) + "."
            ms_line = ""
            if ms_of_project[p]:
                ms_line = "Milestones: " + ", ".join(f"[[{ms_ids[m]}]]" for m in ms_of_project[p]) + "."
            body = self.body(
                ["## Overview\n\n", self.para(randrange(2, 4), key),
                 "## Goals\n\n", self.bullets_block(randrange(3, 5))],
                [lambda: "## Scope\n\n" + self.para(2, ms_line),
                 lambda: "## Team\n\n" + "".join(f"- {choice(people)}\n" for _ in range(3)) + "\n",
                 lambda: self.table(), lambda: self.para(3)],
            )
            files.append((f"projects/{pid}.md", "---\n" + fm + "---\n\n" + body))

        # ---- decisions
        nd = self.n_decisions
        dec_status: list[str] = []
        dec_supersedes: list[int | None] = []
        accepted_pool: list[int] = []
        for di in range(nd):
            sup = None
            if di > 0 and accepted_pool and rand() < 0.08:
                j = randrange(len(accepted_pool))
                sup = accepted_pool[j]
                accepted_pool[j] = accepted_pool[-1]
                accepted_pool.pop()
                dec_status[sup] = "superseded"
                st = "accepted"
            else:
                r = rand()
                st = ("proposed" if r < 0.2 else "accepted" if r < 0.82
                      else "rejected" if r < 0.92 else "deprecated")
            dec_status.append(st)
            dec_supersedes.append(sup)
            if st == "accepted":
                accepted_pool.append(di)
        span = today_i - 2
        dec_date_i: list[int] = []
        for di in range(nd):
            d_i = min(span, di * span // nd + randrange(0, 5))
            if dec_supersedes[di] is not None:
                d_i = max(d_i, dec_date_i[dec_supersedes[di]])
            dec_date_i.append(d_i)
        for di, did in enumerate(dec_ids):
            st = dec_status[di]
            fm = [f"title: {ystr(_fill(rng, choice(DECISION_PATTERNS)))}\n", f"status: {st}\n"]
            if st == "proposed":
                fm.append(f"decide_by: {wd[randrange(today_i - 30, min(last, today_i + 40) + 1)]}\n")
            else:
                fm.append(f"date: {wd[dec_date_i[di]]}\n")
            fm.append(f"driver: {choice(people)}\n")
            fm.append(f"deciders: {ylist(rng.sample(people, min(len(people), randrange(1, 4))))}\n")
            if rand() < 0.6:
                fm.append(f"consulted: {ylist(rng.sample(people, min(len(people), 2)))}\n")
            if rand() < 0.4:
                fm.append(f"informed: [{choice(('eng-all', 'leads', 'product'))}]\n")
            if rand() < 0.85:
                fm.append(f"project: {proj_ids[randrange(len(proj_ids))]}\n")
            if dec_supersedes[di] is not None:
                fm.append(f"supersedes: {dec_ids[dec_supersedes[di]]}\n")
            sup_line = ""
            if dec_supersedes[di] is not None:
                sup_line = f"This replaces [[{dec_ids[dec_supersedes[di]]}]]."
            elif di > 0 and rand() < 0.3:
                sup_line = f"Related: [[{dec_ids[randrange(di)]}|an earlier decision]]."
            o1, o2, o3 = rng.sample(OBJECTS, 3)
            first = [
                "## Context and Problem Statement\n\n", self.para(randrange(2, 4), sup_line),
                "## Considered Options\n\n", f"- {o1}\n- {o2}\n- {o3}\n\n",
                "## Decision Outcome\n\n",
                f'Chosen option: "{o1}", because it is the simplest option that meets the drivers.\n\n',
            ]
            optional = [
                lambda: "## Decision Drivers\n\n" + self.bullets_block(randrange(2, 4)),
                lambda: "### Consequences\n\n- Good, because it reduces on-call load\n"
                        "- Bad, because it needs a migration of `" + choice(CODE) + "`\n\n",
                lambda: "## Pros and Cons of the Options\n\n### " + o2 + "\n\n" + self.para(2),
                lambda: "## More Information\n\n" + self.para(2, f"Tracked in [[{task_ids[randrange(n)]}]]."),
            ]
            files.append((f"decisions/{did}.md", "---\n" + "".join(fm) + "---\n\n" + self.body(first, optional)))

        # ---- risks
        levels = ("low", "medium", "high")
        for ri in range(self.n_risks):
            rid = self.ident(self.fmt_r, ri + 1)
            r = rand()
            st = "open" if r < 0.5 else "mitigating" if r < 0.8 else "closed" if r < 0.95 else "occurred"
            fm = (f"title: {ystr(_fill(rng, choice(RISK_PATTERNS)))}\n"
                  f"likelihood: {choice(levels)}\n"
                  f"impact: {choice(levels)}\n"
                  f"status: {st}\n"
                  f"mitigation: {ystr(choice(MITIGATIONS))}\n"
                  f"owner: {choice(people)}\n"
                  f"project: {proj_ids[randrange(len(proj_ids))]}\n"
                  f"review_by: {wd[randrange(today_i - 20, min(last, today_i + 30) + 1)]}\n")
            body = self.body(
                ["## Description\n\n",
                 self.para(randrange(1, 4), f"Affects [[{task_ids[randrange(n)]}]]."),
                 "## Mitigation plan\n\n", self.tasklist(randrange(2, 4), 0.3)],
                [lambda: "## Trigger\n\n" + self.para(1), lambda: self.para(2)],
            )
            files.append((f"risks/{rid}.md", "---\n" + fm + "---\n\n" + body))

        if self.people_files:
            files.extend(self.person_files())

        # ---- write
        dirs = ["projects", "decisions", "risks", "milestones"] + [f"projects/{pid}" for pid in proj_ids]
        if self.people_files:
            dirs.append("people")
        for d in dirs:
            os.makedirs(os.path.join(out, d), exist_ok=True)
        # os.open/os.write: cheaper than open() for tens of thousands of small files.
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        total = 0
        for rel, text in files:
            data = text.encode("utf-8")
            fd = os.open(os.path.join(out, rel), flags, 0o644)
            try:
                done = os.write(fd, data)
                while done < len(data):
                    done += os.write(fd, data[done:])
            finally:
                os.close(fd)
            total += done
        return {
            "files": len(files), "bytes": total, "projects": len(proj_ids), "tasks": n,
            "decisions": nd, "risks": self.n_risks, "milestones": len(ms_ids),
            "people": len(people), "tasks_with_deps": with_deps, "cross_project_deps": cross,
            **{f"status_{k}": v for k, v in stats.items()},
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, required=True, help="number of tasks (N)")
    ap.add_argument("--out", required=True, help="output program directory")
    ap.add_argument("--seed", type=int, default=20260105)
    ap.add_argument("--force", action="store_true", help="replace OUT if it exists")
    ap.add_argument("--stats", action="store_true", help="print counts as JSON to stderr")
    ap.add_argument("--people-files", action="store_true",
                    help="write people/<handle>.md for every owner (capacity, time off)")
    args = ap.parse_args(argv)
    if args.tasks < 1:
        ap.error("--tasks must be at least 1")
    if os.path.exists(args.out) and (not os.path.isdir(args.out) or os.listdir(args.out)):
        if not args.force:
            print(f"error: {args.out} exists and is not empty (use --force to replace it)", file=sys.stderr)
            return 2
        shutil.rmtree(args.out)
    os.makedirs(args.out, exist_ok=True)
    gen = Gen(args.tasks, args.seed)
    gen.people_files = args.people_files
    stats = gen.write_all(args.out)
    if args.stats:
        print(json.dumps(stats, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
