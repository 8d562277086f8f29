"""Benchmark: the "Zaken" page (HTML) with 1,000 cases on SQLite, p50/p95 per variant.

Starts the web service (uvicorn on a free loopback port, in this process) over a fresh SQLite
database with the demo set plus ``--cases`` registered cases, signs in through the form as a
BZK account, then requests ``--requests`` times each: the first page, a later page sorted by
fte, a search, a filter on state with "due soon", and "Mijn werkvoorraad". One client, one
request at a time: the page's own cost, not the server under load (that is ``bench_web.py``).
Goal: p95 under 200 ms.

Run: ``.venv/bin/python bench/bench_pages.py [--cases 1000] [--requests 100]``.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from spreiding.accounts.store import add_account
from spreiding.core.principal import Principal
from spreiding.core.settings import AccountSettings, Settings
from spreiding.models.db import make_engine, session_scope
from spreiding.models.loading import init_database
from spreiding.statemachine.service import Context, register_case
from spreiding.web.app import create_app

CHEAP = AccountSettings(argon2_time_cost=1, argon2_memory_cost=8, argon2_parallelism=1)
BZK = Principal(role="bzk", name="Bench BZK", via="cli", os_user="bench")
PASSWORD = "een lang en goed wachtwoord"
VARIANTS = {
    "eerste pagina": "/zaken",
    "pagina 20, op fte": "/zaken?sorteer=fte&pagina=20",
    "zoeken": "/zaken?zoek=Bench+99",
    "filter": "/zaken?toestand=registered&binnenkort=ja",
    "mijn werkvoorraad": "/",
}


def _fill(settings: Settings, cases: int) -> None:
    engine = make_engine(settings.sqlalchemy_url)
    init_database(engine, with_demo=True)
    ctx = Context(settings.randstad, settings.norms, settings.current_date())
    with session_scope(engine) as session:
        for i in range(cases):
            register_case(
                session, ctx, BZK, organisation="BD", case_type="groei", fte=100 + i % 50,
                location="Den Haag", target="Groningen", title=f"Bench {i}",
            )  # fmt: skip
        add_account(
            session, CHEAP, email="bench@bench.example", name="Bench", role="bzk",
            password=PASSWORD,
        )  # fmt: skip
    engine.dispose()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    """Fill, serve, sign in, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="spreiding-bench-pages-"))
    settings = Settings(
        database_url=f"sqlite:///{folder / 'bench.db'}",
        data_dir=folder / "var",
        accounts=CHEAP.model_copy(),
    )
    started = time.perf_counter()
    _fill(settings, args.cases)
    print(f"{args.cases} cases registered in {time.perf_counter() - started:.1f} s")
    port = _port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            form = client.get("/").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            answer = client.post(
                "/inloggen",
                data={"email": "bench@bench.example", "password": PASSWORD, "csrf_token": token},
            )
            assert answer.status_code == 303, answer.text
            print(f"{'variant':<20} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
            for name, path in VARIANTS.items():
                client.get(path)  # warm
                times = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    page = client.get(path)
                    times.append((time.perf_counter() - start) * 1000)
                    assert page.status_code == 200, page.status_code
                q = statistics.quantiles(times, n=100)
                print(f"{name:<20} {q[49]:8.1f} {q[94]:8.1f} {max(times):8.1f}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    main()
