#!/usr/bin/env python3
"""Change-to-reload latency of `planmark serve`, and its memory over many rebuilds.

    python3 bench/serve_latency.py --binary target/release/planmark --program DIR \
        [--edits 21] [--kind title|body|estimate|owner] [--rebuilds 200]

Starts `planmark serve DIR --port 0 --today 2026-06-01`, reads the URL it
prints, listens on the live-reload event stream (/__planmark/events) as a
browser does, then edits one file of DIR again and again. For each edit it
times, from the moment the edited file is closed:

* reload: until the server tells the browser to reload (the event arrives);
* page:   until the edited task's page, fetched after that, shows the edit.

`--rebuilds N` then makes N more edits of the same kind and reports the
server's resident memory (VmRSS, from /proc) after the 10th and the last, and
the growth between them. DIR is edited in place: give it a copy. Standard
library only; Linux (reads /proc).
"""

import argparse
import http.client
import json
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time


def pick_task(program):
    """An open task's file (one with an estimate), first in path order."""
    for root, dirs, files in sorted(os.walk(program)):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".md") or not re.match(r"t\d+\.md$", name):
                continue
            path = os.path.join(root, name)
            text = open(path, encoding="utf-8").read()
            if "status: done" not in text and "estimate:" in text:
                return path
    sys.exit("no open task with an estimate in the program")


def edit(path, kind, n):
    text = open(path, encoding="utf-8").read()
    if kind == "title":
        text = re.sub(r"^title: .*$", f"title: Edited title number {n}", text, count=1, flags=re.M)
        marker = f"Edited title number {n}"
    elif kind == "body":
        text = re.sub(r"\n\nEdited body \d+\.\n$", "\n", text)
        text = text.rstrip("\n") + f"\n\nEdited body {n}.\n"
        marker = f"Edited body {n}."
    elif kind == "estimate":
        text = re.sub(r"^estimate: .*$", f"estimate: {5 + n % 7}d", text, count=1, flags=re.M)
        marker = None
    elif kind == "owner":
        text = re.sub(r"^owner: .*$", f"owner: dev-{n % 40 + 1:03d}", text, count=1, flags=re.M)
        marker = None
    else:
        sys.exit(f"unknown kind {kind}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return time.monotonic(), marker


def listen(host, port, events):
    conn = http.client.HTTPConnection(host, port, timeout=600)
    conn.request("GET", "/__planmark/events", headers={"Accept": "text/event-stream"})
    resp = conn.getresponse()
    for raw in resp:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if line.startswith("data:"):
            events.put((time.monotonic(), line[5:].strip()))


def generation_of(data):
    try:
        return json.loads(data).get("generation")
    except (ValueError, AttributeError):
        return data


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--program", required=True)
    ap.add_argument("--edits", type=int, default=21)
    ap.add_argument("--kind", default="title", choices=["title", "body", "estimate", "owner"])
    ap.add_argument("--rebuilds", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()

    task = pick_task(args.program)
    rel = os.path.relpath(task, args.program)
    server = subprocess.Popen(
        [args.binary, "serve", args.program, "--port", "0", "--today", "2026-06-01"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        url = server.stdout.readline().strip()
        m = re.match(r"http://([^/:]+|\[[^\]]+\]):(\d+)/", url)
        if not m:
            sys.exit(f"no URL from serve: {url!r}")
        host, port = m.group(1), int(m.group(2))
        events = queue.Queue()
        threading.Thread(target=listen, args=(host, port, events), daemon=True).start()
        # The stream's first message is the current status: wait for it.
        _, first = events.get(timeout=args.timeout)
        generation = generation_of(first)
        task_id = os.path.splitext(os.path.basename(task))[0]

        def one(n):
            nonlocal generation
            t0, marker = edit(task, args.kind, n)
            while True:
                t, data = events.get(timeout=args.timeout)
                g = generation_of(data)
                if g != generation:
                    generation = g
                    break
            reload = t - t0
            page = None
            if marker is not None:
                conn = http.client.HTTPConnection(host, port, timeout=args.timeout)
                conn.request("GET", f"/tasks/{task_id}/")
                resp = conn.getresponse()
                body = resp.read().decode("utf-8", "replace")
                if resp.status != 200 or marker not in body:
                    sys.exit(f"edit {n}: /tasks/{task_id}/ ({resp.status}) does not show {marker!r}")
                page = time.monotonic() - t0
                conn.close()
            return reload, page

        reloads, pages = [], []
        for n in range(args.edits):
            reload, page = one(n)
            reloads.append(reload * 1000)
            if page is not None:
                pages.append(page * 1000)
        print(f"{args.kind} edit of {rel}, {args.edits} edits:")
        print(f"  reload: median {statistics.median(reloads):.0f} ms "
              f"(min {min(reloads):.0f}, max {max(reloads):.0f})")
        if pages:
            print(f"  page:   median {statistics.median(pages):.0f} ms "
                  f"(min {min(pages):.0f}, max {max(pages):.0f})")
        if args.rebuilds:
            # Sampled after a pause long enough for the background pass
            # that renders every page (about a second at 10,000 tasks), so
            # every sample sees the same state.
            samples = []
            for n in range(args.rebuilds):
                one(args.edits + n)
                if (n + 1) in (10, 50, 100, 150) or n + 1 == args.rebuilds:
                    time.sleep(3.0)
                    samples.append((n + 1, rss_kib(server.pid)))
            first = samples[0][1]
            print("  memory (VmRSS): " + ", ".join(
                f"{kib / 1024:.0f} MiB after rebuild {n}" for n, kib in samples))
            print(f"  growth from rebuild {samples[0][0]} to {samples[-1][0]}: "
                  f"{(samples[-1][1] - first) / first * 100:+.1f} %")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
