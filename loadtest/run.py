"""`make loadtest`: a bounded load test against `mestring serve` on loopback.

Builds a fresh SQLite database with demo data in a temporary directory, starts the
production server on a free loopback port, runs locust headless, and prints requests,
failures, p50 and p95 per name and overall. Exit status 1 on any failure, on a refusal
that was not tested, or on a server that would not start; never on timing (the figures
are reported, not asserted).

    python loadtest/run.py [--users 20] [--seconds 60] [--workers N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"mestring serve stoppet (status {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  # nosec B310 - our loopback URL
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} svarte ikke innen {seconds:.0f} s.")


def read_stats(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def report(rows: list[dict[str, str]]) -> str:
    lines = [f"{'Navn':<44} {'Forespørsler':>12} {'Feil':>6} {'p50 ms':>8} {'p95 ms':>8}"]
    for row in rows:
        name = "I ALT" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"{name[:44]:<44} {row['Request Count']:>12} {row['Failure Count']:>6} "
            f"{row['50%']:>8} {row['95%']:>8}"
        )
    return "\n".join(lines)


def run(users: int, seconds: int, workers: int | None, workdir: Path) -> int:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'loadtest.sqlite3'}",
        "MESTRING_ENV": "development",
        "DEBUG": "0",
        "MESTRING_DEMO_2FA_BYPASS": "1",
        "MESTRING_ACCESS_LOG_LEVEL": "WARNING",
        "MESTRING_DATA_DIR": str(workdir),
        "LOADTEST_FIXTURE": str(workdir / "fixture.json"),
    }
    (workdir / "static").mkdir(exist_ok=True)  # STATIC_ROOT, empty outside production
    print("== Lager database med demodata (migrate + demo) …", flush=True)
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(HERE / "prepare.py"), env["LOADTEST_FIXTURE"]],
        env={**env, "MESTRING_LOG_LEVEL": "ERROR"},  # its probes' expected 403s are noise
        check=True,
    )
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    command = [str(BIN / "mestring"), "serve", "--bind", f"127.0.0.1:{port}"]
    if workers:
        command += ["--workers", str(workers)]
    server_log = (workdir / "serve.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=server_log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        try:
            wait_healthy(f"{host}/helse/", server, 120)
        except RuntimeError as exc:
            server_log.flush()
            print((workdir / "serve.log").read_text(encoding="utf-8")[-3000:])
            print(f"FEIL: {exc}")
            return 1
        print(f"== {users} brukere i {seconds} s mot {host} …", flush=True)
        prefix = workdir / "locust"
        locust = subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            timeout=seconds + 120,
            capture_output=True,
            text=True,
        )
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        print(locust.stdout, locust.stderr, sep="\n")
        print("FEIL: locust skrev ingen statistikk.")
        return 1
    rows = read_stats(stats_file)
    print(report(rows))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    refused = [r for r in rows if r["Name"].startswith("REFUSED")]
    failures = int(total["Failure Count"])
    problems = []
    if failures:
        problems.append(f"{failures} feil")
        failures_file = Path(f"{prefix}_failures.csv")
        if failures_file.exists():
            print(failures_file.read_text(encoding="utf-8"))
    if int(total["Request Count"]) == 0:
        problems.append("ingen forespørsler")
    if len(refused) < 3 or any(int(r["Request Count"]) == 0 for r in refused):
        problems.append("avvisningene ble ikke prøvd")
    if problems:
        print("FEIL: " + ", ".join(problems))
        return 1
    print(
        f"OK: {total['Request Count']} forespørsler, 0 feil, p50 {total['50%']} ms, "
        f"p95 {total['95%']} ms; avviste forespørsler ble avvist."
    )
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", help="Mappe for database, logg og CSV (beholdes)")
    args = parser.parse_args()
    if args.keep:
        workdir = Path(args.keep)
        workdir.mkdir(parents=True, exist_ok=True)
        sys.exit(run(args.users, args.seconds, args.workers, workdir))
    workdir = Path(tempfile.mkdtemp(prefix="mestring-loadtest-"))
    try:
        sys.exit(run(args.users, args.seconds, args.workers, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
