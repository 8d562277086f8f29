"""Benchmark: the web service under 50 concurrent clients, loopback only, bounded in time.

Starts ``spreiding web serve`` on a free loopback port over a fresh database with the demo set
plus ``--cases`` registered cases, then runs ``--clients`` httpx clients (asyncio), each with
an API token of its own, each waiting ``--wait`` seconds between requests for ``--seconds``:
a mix of case list (the first page of 20), case show and events (suspend and resume on cases
of its own).
Prints requests/s, p50/p95/p99 latency per kind, errors, the server's CPU time per request
and the load average (the latencies depend on what else the machine runs; the CPU per request
much less), and afterwards verifies every trail and that every accepted event is in it (no
lost update).

Run: ``.venv/bin/python bench/bench_web.py [--seconds 60] [--clients 50] [--cases 1000]``;
set SPREIDING_TEST_POSTGRES_URL to run on PostgreSQL too (a throwaway schema).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from spreiding.accounts.store import add_account, create_token
from spreiding.core.principal import Principal
from spreiding.core.settings import AccountSettings, Settings, get_settings
from spreiding.models.db import make_engine, session_scope
from spreiding.models.loading import init_database
from spreiding.models.tables import CaseEvent
from spreiding.statemachine.service import Context, register_case, send_event, verify_all

CHEAP = AccountSettings(argon2_time_cost=1, argon2_memory_cost=8, argon2_parallelism=1)
BZK = Principal(role="bzk", name="Bench BZK", via="cli", os_user="bench")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fill(url: str, cases: int, clients: int) -> tuple[list[str], list[list[int]]]:
    """Demo set, ``cases`` screened cases, one bzk token per client and its own cases."""
    engine = make_engine(url)
    init_database(engine, with_demo=True)
    settings = Settings(database_url=url)
    ctx = Context(settings.randstad, settings.norms, settings.current_date())
    ids: list[int] = []
    with session_scope(engine) as session:
        for i in range(cases):
            case = register_case(
                session, ctx, BZK, organisation="BD", case_type="groei", fte=100 + i % 50,
                location="Den Haag", target="Groningen", title=f"Bench {i}",
            )  # fmt: skip
            ids.append(case.id)
        session.flush()
        for case_id in ids:
            send_event(session, ctx, BZK, case_id, "start_screening")
        tokens = []
        for n in range(clients):
            account = add_account(
                session, CHEAP, email=f"bench{n}@bench.example", name=f"Bench {n}", role="bzk",
                password="een lang en goed wachtwoord",
            )  # fmt: skip
            tokens.append(create_token(session, account, days=1).secret)
    engine.dispose()
    own = [ids[n::clients][:5] for n in range(clients)]  # each client's own cases for events
    return tokens, own


async def _client(
    api: str, token: str, own: list[int], all_ids: list[int], until: float, wait: float, out: dict
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    suspended: set[int] = set()
    rng = random.Random(token)
    async with httpx.AsyncClient(base_url=api, headers=headers, timeout=30) as client:
        while time.monotonic() < until:
            roll = rng.random()
            if roll < 0.4:
                kind, call = "list", client.get("/cases", params={"limit": 20})
            elif roll < 0.8:
                kind, call = "show", client.get(f"/cases/{rng.choice(all_ids)}")
            else:
                case_id = rng.choice(own)
                event = "resume" if case_id in suspended else "suspend"
                kind = "event"
                call = client.post(
                    f"/cases/{case_id}/events",
                    json={"event": event, "payload": {"reason": "bench"}},
                )
            start = time.perf_counter()
            try:
                answer = await call
                ok, what = answer.status_code < 400, str(answer.status_code)
            except httpx.HTTPError as exc:
                ok, what = False, type(exc).__name__
            out[kind].append(time.perf_counter() - start)
            if not ok:
                out["errors"].append(f"{kind} {what}")
            elif kind == "event":
                out["accepted_events"].append(case_id)
                suspended ^= {case_id}
            await asyncio.sleep(wait)


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0


async def _load(api: str, tokens: list[str], own: list[list[int]], args: argparse.Namespace):
    out: dict = defaultdict(list)
    all_ids = [i for ids in own for i in ids]
    until = time.monotonic() + args.seconds
    await asyncio.gather(
        *(
            _client(api, t, o, all_ids, until, args.wait, out)
            for t, o in zip(tokens, own, strict=True)
        )
    )
    return out


def run(backend: str, url: str, args: argparse.Namespace) -> None:
    """One run against one database."""
    tokens, own = _fill(url, args.cases, args.clients)
    events_before = _events(url)
    port = _port()
    # The same data folder as the filling above: the audit key lives there.
    env = {**os.environ, "SPREIDING_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "spreiding.cli.main", "web", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        api = f"http://127.0.0.1:{port}/api/v1"
        for _ in range(300):
            try:
                httpx.get(f"{api}/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        load_before, cpu_before = os.getloadavg()[0], _cpu_seconds(server.pid)
        started = time.monotonic()
        out = asyncio.run(_load(api, tokens, own, args))
        elapsed = time.monotonic() - started
        cpu = _cpu_seconds(server.pid) - cpu_before
        load_after = os.getloadavg()[0]
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    total = sum(len(out[k]) for k in ("list", "show", "event"))
    print(f"== {backend}: {args.clients} clients, {args.seconds} s, {args.cases} cases ==")
    errors = Counter(out["errors"])
    print(f"requests {total}, {total / elapsed:.1f}/s, errors {len(out['errors'])} {dict(errors)}")
    # The server's own CPU per request does not depend on what else the machine runs.
    print(
        f"server CPU {cpu:.1f} s, {cpu / max(total, 1) * 1000:.1f} ms per request; "
        f"load average {load_before:.1f} before, {load_after:.1f} after"
    )
    for kind in ("list", "show", "event"):
        values = out[kind]
        print(
            f"  {kind:5} n={len(values):5}  p50 {_pct(values, 50):6.1f} ms  "
            f"p95 {_pct(values, 95):6.1f} ms  p99 {_pct(values, 99):6.1f} ms"
        )
    engine = make_engine(url)
    with session_scope(engine) as session:
        bad = [v for v in verify_all(session, "bzk") if not v.ok]
    stored = _events(url) - events_before
    accepted = len(out["accepted_events"])
    print(
        f"verify --all: {len(bad)} mismatches; events acknowledged {accepted}, in the trails "
        f"{stored}: lost updates {max(accepted - stored, 0)}"
    )
    engine.dispose()


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process ``pid`` (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _events(url: str) -> int:
    engine = make_engine(url)
    with session_scope(engine) as session:
        count = session.scalar(select(func.count()).select_from(CaseEvent)) or 0
    engine.dispose()
    return count


def main() -> None:
    """Run on SQLite, and on PostgreSQL when SPREIDING_TEST_POSTGRES_URL is set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--wait", type=float, default=1.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="spreiding-bench-web-"))
    os.environ["SPREIDING_DATA_DIR"] = str(folder)  # for this process and the server alike
    get_settings.cache_clear()
    run("sqlite", f"sqlite:///{folder / 'bench.db'}", args)
    base = os.environ.get("SPREIDING_TEST_POSTGRES_URL")
    if base:
        schema = f"bw_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            run("postgresql", url.render_as_string(hide_password=False), args)
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
