"""Benchmark: PagerDuty requests and fetch time per build, against the fake with 50 ms per request.

    .venv/bin/python -m benchmarks.oncall_fetch [--latency 0.05] [--users 300]

Prints, for accounts of growing size and for a layer-based-only (v2), a shift-based-only (v3)
and a mixed policy, the number of API requests one fetch makes and how long it takes; then
two builds' worth of snapshot loads within the TTL (the second must make zero requests). The fake serves over TLS with a throwaway CA, like the tests.
"""

from __future__ import annotations

import argparse
import os
import ssl
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import trustme
from tests.fakes.pagerduty import FakePagerDuty
from tests.fakes.pagerduty_account import bitcell_account, upgrade

from oncall_docs.oncall.source import SnapshotFetcher, load_snapshot
from oncall_docs.pagerduty_api.client import PagerDutySettings
from oncall_docs.sources import SourceOptions

TOKEN = "benchmark-token"  # noqa: S105  # the fake's, not a secret
KINDS = {"v2-only": (), "v3-only": ("PPRIMRY", "PSECOND"), "mixed": ("PPRIMRY",)}


def start_fake(tmp: Path, latency: float) -> FakePagerDuty:
    """The fake over TLS on 127.0.0.1:0; SSL_CERT_FILE points the client at its CA."""
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp / "ca.pem"))
    os.environ["SSL_CERT_FILE"] = str(tmp / "ca.pem")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    server = FakePagerDuty(bitcell_account(datetime.now(timezone.utc)), TOKEN, ctx)
    server.latency = latency
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def fetch_once(
    server: FakePagerDuty, users: int, upgraded: tuple[str, ...] = ()
) -> tuple[int, float]:
    """Requests and seconds for one fetch from an account with `users` extra users."""
    account = bitcell_account(datetime.now(timezone.utc), extra_users=users)
    server.reset(upgrade(account, *upgraded))
    fetcher = SnapshotFetcher(TOKEN, PagerDutySettings(server.url, "PBCPOL1"))
    start = time.perf_counter()
    fetcher()
    return fetcher.request_count, time.perf_counter() - start


def ttl_builds(server: FakePagerDuty, tmp: Path, users: int) -> list[tuple[str, int, float]]:
    """Two snapshot loads as two builds would do them, 15-minute TTL."""
    server.reset(bitcell_account(datetime.now(timezone.utc), extra_users=users))
    os.environ.update(
        {
            "PAGERDUTY_API_TOKEN": TOKEN,
            "PAGERDUTY_API_URL": server.url,
            "PAGERDUTY_ESCALATION_POLICY_ID": "PBCPOL1",
        }
    )
    options = SourceOptions(
        offline=Path("data/oncall-snapshot.json"), cache_dir=tmp / "cache", ttl_seconds=900
    )
    rows = []
    for name in ("first build", "rebuild within TTL"):
        before, start = len(server.seen), time.perf_counter()
        result = load_snapshot(options)
        rows.append(
            (
                f"{name} ({result.value.source})",
                len(server.seen) - before,
                time.perf_counter() - start,
            )
        )
    return rows


def main() -> None:
    """Run and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--latency", type=float, default=0.05, help="seconds the fake waits per request"
    )
    parser.add_argument(
        "--users", type=int, default=300, help="users in the account for the TTL run"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_fake(Path(tmp), args.latency)
        print(
            f"fake PagerDuty: {args.latency * 1000:.0f} ms per request, 3 levels (2 schedules + 2 leaders)"
        )
        print(f"{'policy':>8} {'users in account':>18} {'requests':>9} {'fetch s':>8}")
        for kind, upgraded in KINDS.items():
            for users in (10, 300, 3000):
                count, seconds = fetch_once(server, users, upgraded)
                print(f"{kind:>8} {users:>18} {count:>9} {seconds:>8.3f}")
        print(f"\nTTL (900 s), {args.users} users:")
        for name, count, seconds in ttl_builds(server, Path(tmp), args.users):
            print(f"  {name:<34} {count:>3} requests {seconds:>7.3f} s")
        server.shutdown()
    print("\nreproduce: .venv/bin/python -m benchmarks.oncall_fetch --latency 0.05 --users 300")


if __name__ == "__main__":
    main()
