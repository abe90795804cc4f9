"""Load on `spor serve`'s POST /api/v1/decide, beside a bare Starlette floor, in the same command.

The floor is a Starlette app on uvicorn that reads the same JSON body
(``json.loads``) and answers a result-sized JSON record (``json.dumps`` of a
real result of the shipped rulebase): what any JSON endpoint on this stack
costs, with no spor in it. Both are driven the same way, on loopback:

* with Debian's ``wrk`` when it is installed (``apt-get install wrk``): a
  Lua script cycles through the mixed bodies;
* else with a small asyncio client over raw HTTP/1.1 keep-alive connections.

Every run is bounded: at most 60 s and 64 concurrent connections, and it
stops by itself. The bodies are mixed: every example case in both
languages, and generated cases (about 40% undecided, 1% with an unknown
value, refused with 422). Memory: the resident size of every server process
is read before and after; ``--memory-requests N`` goes on with more bounded
runs until N requests were answered and prints the resident size after
each. ``--page`` measures the page in Chromium (Playwright's navigation
timing) and its bytes.

    python bench/serve_load.py [--duration 20] [--connections 32] [--workers 1 2] [--rounds 3] [--distinct N]
                               [--memory-requests 1000000]
                               [--page] [--client wrk|python]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "engine"))

from common import ROOT, SPOR, header  # noqa: E402

MAX_SECONDS, MAX_CONNECTIONS = 60, 64
PATH = "/api/v1/decide"


# -- the floor: a bare Starlette app ------------------------------------------------------------------------------


def floor_app(record: bytes):
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    template = json.loads(record)

    async def decide(request: Request) -> Response:
        data = json.loads(await request.body())
        answer = dict(template, case=str(data.get("id", "")))
        return Response(json.dumps(answer, ensure_ascii=False), media_type="application/json")

    return Starlette(routes=[Route(PATH, decide, methods=["POST"])])


def serve_floor(port_file: str, record_file: str) -> None:
    """The floor's own process: one uvicorn worker on a free loopback port, written to ``port_file``."""
    import socket

    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    Path(port_file).write_text(str(sock.getsockname()[1]))
    app = floor_app(Path(record_file).read_bytes())
    uvicorn.Server(uvicorn.Config(app, access_log=False, log_level="warning")).run(sockets=[sock])


# -- servers --------------------------------------------------------------------------------------------------------


def start_floor(tmp: Path, record: bytes) -> tuple:
    port_file, record_file = tmp / "floor.port", tmp / "record.json"
    port_file.unlink(missing_ok=True)
    record_file.write_bytes(record)
    proc = subprocess.Popen([sys.executable, __file__, "--floor-server", str(port_file), str(record_file)], cwd=ROOT)
    while not port_file.exists() or not port_file.read_text():
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port_file.read_text()}"


def start_spor(workers: int, extra: tuple = ()) -> tuple:
    proc = subprocess.Popen(
        [*SPOR, "serve", "--port", "0", "--no-access-log", "--workers", str(workers), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    line = proc.stdout.readline()
    url = re.search(r"http://\S+?(?=/ )", line).group(0)
    return proc, url


def wait_ready(url: str, path: str, body: bytes) -> None:
    import httpx

    for _ in range(600):
        try:
            if httpx.post(url + path, content=body, headers={"content-type": "application/json"}).status_code < 500:
                time.sleep(0.5)  # every worker up
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def tree_rss_mib(pid: int) -> float:
    """Resident size of a process and all its descendants (uvicorn's workers), in MiB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, AttributeError):
            continue
        todo += [int(child) for child in children]
    return total / 1024


# -- bodies ---------------------------------------------------------------------------------------------------------


def bodies(count: int = 192, seed: int = 7) -> list:
    """Every example in nb and en, and ``count`` generated cases: JSON request bodies, shuffled."""
    from gen_cases import generate
    from spor.common.reader import read_document

    out = []
    for path in sorted((ROOT / "examples").iterdir()):
        if path.suffix in (".yaml", ".json"):
            data = dict(read_document(path).data)
            data.pop("expect", None)
            for lang in ("nb", "en"):
                out.append(json.dumps({**data, "lang": lang}, ensure_ascii=False))
    with tempfile.TemporaryDirectory() as tmp:
        generated = generate(Path(tmp) / "cases.jsonl", count, seed=seed)
        for i, line in enumerate(generated.read_text().splitlines()):
            out.append(json.dumps({**json.loads(line), "lang": ("nb", "en")[i % 2]}))
    random.Random(seed).shuffle(out)
    return out


# -- load generators ------------------------------------------------------------------------------------------------

LUA = """
local bodies = {%s}
local i = 0
local headers = {["Content-Type"] = "application/json"}
request = function()
  i = i + 1
  return wrk.format("POST", "%s", headers, bodies[(i %% #bodies) + 1])
end
"""


def lua_string(text: str) -> str:
    return '"' + "".join(f"\\{b}" if not (32 <= b < 127) or chr(b) in '"\\' else chr(b) for b in text.encode()) + '"'


def run_wrk(url: str, texts: list, seconds: int, connections: int, threads: int, tmp: Path) -> dict:
    script = tmp / "bodies.lua"
    script.write_text(LUA % (", ".join(map(lua_string, texts)), PATH))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / seconds
    out = proc.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    scale50 = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = re.search(r"Socket errors: (.*)", out)
    return {
        "rate": rate,
        "requests": total,
        "p50": float(p50.group(1)) * scale50,
        "p99": float(p99.group(1)) * scale,
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": failed.group(1) if failed else "",
        "client_cpu": cpu,
    }


async def _python_load(url: str, texts: list, seconds: int, connections: int) -> dict:
    host, port = re.match(r"http://([^:/]+):(\d+)", url).groups()
    requests = [
        (
            f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(t.encode())}\r\n\r\n"
        ).encode()
        + t.encode()
        for t in texts
    ]
    latencies: list = []
    statuses: dict = {}
    end = time.perf_counter() + seconds

    async def client(index: int) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        i = index
        while time.perf_counter() < end:
            i += 1
            start = time.perf_counter()
            writer.write(requests[i % len(requests)])
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head, re.IGNORECASE).group(1))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            status = int(head[9:12])
            statuses[status] = statuses.get(status, 0) + 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(i * 7) for i in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rate": len(latencies) / elapsed,
        "requests": len(latencies),
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000,
        "non2xx": sum(v for k, v in statuses.items() if not 200 <= k < 300),
        "socket_errors": "",
    }


def load(url: str, texts: list, seconds: int, connections: int, client: str, tmp: Path, threads: int) -> dict:
    seconds, connections = min(seconds, MAX_SECONDS), min(connections, MAX_CONNECTIONS)
    if client == "wrk":
        return run_wrk(url, texts, seconds, connections, threads, tmp)
    return asyncio.run(_python_load(url, texts, seconds, connections))


def show(name: str, figures: dict, rss: tuple | None = None, load_average: bool = False) -> None:
    memory = f"; RSS {rss[0]:.1f} -> {rss[1]:.1f} MiB" if rss else ""
    busy = f"; load average {os.getloadavg()[0]:.1f}" if load_average else ""
    if figures.get("client_cpu") is not None:
        busy += f"; the client used {figures['client_cpu']:.2f} cores"
    print(
        f"{name:28} {figures['rate']:9,.0f} req/s  p50 {figures['p50']:6.2f} ms  p99 {figures['p99']:6.2f} ms  "
        f"({figures['requests']:,} requests, {figures['non2xx']:,} non-2xx{memory}{busy})",
        flush=True,
    )


# -- the page in Chromium -------------------------------------------------------------------------------------------


def page_timing(url: str, loads: int = 15) -> None:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
    pages = {
        "first question": "/?lang=en",
        "result (with why-not)": "/?lang=en&concern=not_received&module=lonn&log_status=levert",
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for name, path in pages.items():
            interactive, loaded, sizes = [], [], []
            for _ in range(loads):
                context = browser.new_context()  # a cold cache each time: the page and every asset fetched
                tab = context.new_page()
                tab.goto(url + path, wait_until="load")
                timing = tab.evaluate(
                    """() => { const n = performance.getEntriesByType('navigation')[0];
                      const r = performance.getEntriesByType('resource');
                      return {interactive: n.domInteractive, loaded: n.loadEventEnd,
                              bytes: n.encodedBodySize + r.reduce((s, e) => s + e.encodedBodySize, 0),
                              count: 1 + r.length}; }"""
                )
                interactive.append(timing["interactive"])
                loaded.append(timing["loaded"])
                sizes.append((timing["bytes"], timing["count"]))
                context.close()
            print(
                f"page, {name:22} time to interactive (domInteractive) median {statistics.median(interactive):.1f} ms "
                f"(min {min(interactive):.1f}, max {max(interactive):.1f}); load event {statistics.median(loaded):.1f}"
                f" ms; {sizes[0][0]:,} bytes in {sizes[0][1]} requests",
                flush=True,
            )
        browser.close()


# -- main -----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help=f"seconds per run (at most {MAX_SECONDS})")
    parser.add_argument("--connections", type=int, default=32, help=f"at most {MAX_CONNECTIONS}")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3, help="floor and spor taken in turn, this many times")
    parser.add_argument("--distinct", type=int, default=0, help="N generated cases instead of the mixed 256")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--memory-requests", type=int, default=0, help="then one worker until this many requests")
    parser.add_argument("--page", action="store_true", help="time the page in Chromium")
    parser.add_argument(
        "--log", action="store_true", help="also run each spor with --log (a fresh decision log), in turn, for its cost"
    )
    parser.add_argument("--floor-server", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_server:
        serve_floor(*args.floor_server)
        return
    header(f"spor serve: POST {PATH}, {args.client}, {min(args.connections, MAX_CONNECTIONS)} connections")
    texts = bodies(args.distinct, seed=11) if args.distinct else bodies()
    print(f"bodies: {len(texts):,} cases; runs of {min(args.duration, MAX_SECONDS)} s", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        run = (tmp, args.threads)
        proc, url = start_spor(1)
        wait_ready(url, PATH, texts[0].encode())
        import httpx

        complete = next(t for t in bodies() if '"concern"' in t and '"module"' in t and '"log_status"' in t)
        record = httpx.post(url + PATH, content=complete.encode(), headers={"content-type": "application/json"})
        stop(proc)
        print(f"result-sized record of the floor: {len(record.content):,} bytes", flush=True)
        figures: dict = {}
        for round_ in range(1, args.rounds + 1):
            floor, floor_url = start_floor(tmp, record.content)
            try:
                wait_ready(floor_url, PATH, texts[0].encode())
                found = load(floor_url, texts, args.duration, args.connections, args.client, *run)
                figures.setdefault("floor", []).append(found)
                show(f"{round_}. floor (bare Starlette)", found, load_average=True)
            finally:
                stop(floor)
            for workers, logged in [
                (w, log) for w in args.workers for log in ((False, True) if args.log else (False,))
            ]:
                extra = ("--log", str(tmp / f"log-{round_}-{workers}.sqlite")) if logged else ()
                proc, url = start_spor(workers, extra)
                name = f"{workers} --log" if logged else workers
                try:
                    wait_ready(url, PATH, texts[0].encode())
                    before = tree_rss_mib(proc.pid)
                    found = load(url, texts, args.duration, args.connections, args.client, *run)
                    figures.setdefault(name, []).append(found)
                    show(f"{round_}. spor --workers {name}", found, (before, tree_rss_mib(proc.pid)), True)
                finally:
                    stop(proc)
        print("medians:")
        for name, runs in figures.items():
            label = "floor (bare Starlette)" if name == "floor" else f"spor serve --workers {name}"
            median = {key: statistics.median(r[key] for r in runs) for key in ("rate", "p50", "p99", "requests")}
            show(label, {**median, "requests": int(median["requests"]), "non2xx": runs[0]["non2xx"]})
        rate = {name: statistics.median(r["rate"] for r in runs) for name, runs in figures.items()}
        if 1 in rate:
            print(f"one worker / floor: {rate[1] / rate['floor']:.2f}", flush=True)
        if 1 in rate and 2 in rate:
            print(f"two workers / one: {rate[2] / rate[1]:.2f}x", flush=True)
        for workers in args.workers if args.log else ():
            logged = rate[f"{workers} --log"] / rate[workers]
            print(
                f"--workers {workers}: with --log / without: {logged:.3f} (logging costs {1 - logged:.1%})", flush=True
            )
        if args.memory_requests or args.page:
            proc, url = start_spor(1)
            try:
                wait_ready(url, PATH, texts[0].encode())
                if args.memory_requests:
                    memory(proc, url, texts, args, run)
                if args.page:
                    page_timing(url)
            finally:
                stop(proc)
    print(f"cores: {os.cpu_count()}")


def memory(proc, url: str, texts: list, args, run: tuple) -> None:
    """Bounded runs, one after another, until ``--memory-requests`` were answered: the RSS after each."""
    done, start = 0, tree_rss_mib(proc.pid)
    print(f"memory, one worker: RSS {start:.1f} MiB at the start", flush=True)
    while done < args.memory_requests:
        more = load(url, texts, MAX_SECONDS, args.connections, args.client, *run)
        done += more["requests"]
        print(
            f"  {done:>10,} requests: RSS {tree_rss_mib(proc.pid):.1f} MiB "
            f"({more['rate']:,.0f} req/s, p99 {more['p99']:.2f} ms)",
            flush=True,
        )


if __name__ == "__main__":
    main()
