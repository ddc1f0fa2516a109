"""``conclave bench --terminals N --candidates M``: the ballot of a provincial meeting over the LAN.

The meeting is :mod:`app.bench`'s (steps 1–6 through the services), with ``N`` voting experts.
Then two copies of it take the same ``N`` ballots of ``M`` candidates each:

- in process: ``app.voting.cast`` with each expert's session, one after another (``Y``);
- over the LAN: a real host — :class:`app.lan.host.Host` in a process of its own, so that its
  peak memory is its own (``W``) — and ``N`` :class:`app.lan.client.StationClient` on loopback,
  each paired with its own one-time pairing code and signed in with its expert's one-time code,
  all submitting their ballots at once over TLS, journaled first as on a real terminal (``X``:
  from the first submit to the last acknowledgement; each terminal on a thread of its own, up and
  waiting before the experts press submit — :func:`all_at_once`). The host's ballot count must be ``N``.

One line comes out, as issue 12 asks::

    terminals: 41 ballots of 1500 candidates received over TLS in X s (in-process casts: Y s, ratio Z); \
    host peak RSS W MiB

(one line: broken here only to fit the page).

Each side runs :data:`RUNS` times (``--runs``), taking turns — in process, over the LAN, in process
again… — each run on a fresh copy of the meeting, and ``X`` and ``Y`` are each the fastest of their
runs (``timeit``'s rule: the fastest run is the one the rest of the machine disturbed least; on a
laptop, or a virtual machine's two cores, one run of 0.2 s is easily a third slower than the next).
``W`` is the highest peak of the host's runs; every run's host must have counted ``N`` ballots.

The host process is this module run as ``python -m app.lan.bench serve DB``: it reads one JSON
command per line on stdin and answers one JSON line on stdout (see :func:`serve`).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from app.bench import Timer, ballots_for, build_to_ballot, check_options, peak_rss_mib, plan_votes
from app.rules.calendar import WorkCalendar
from app.services import Conclave

T = TypeVar("T")

STAFF_CODE = "bench-secretary"       # the bench meeting's secretary's own staff code
CHAIR = "M01"
ROUND_PASSPHRASE = "bench-round-passphrase"   # the supervisor's round passphrase of the bench meeting
#: Runs of each side (``--runs``); the line gives the fastest of each (see the module docstring).
RUNS = 5


# -- the host process ------------------------------------------------------------------
def serve(db: Path, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout) -> int:
    """Serve the meeting in ``db`` on loopback and obey the bench's commands, one JSON per line."""
    from app.lan.host import Host

    staff_code = json.loads(stdin.readline())["staff_code"]      # not on the command line
    app = Conclave(db, WorkCalendar())
    mid = app.views.only_meeting(None)
    clerk = app.staff.sign_in(mid, "secretary", staff_code).token
    host = Host(app, mid, "127.0.0.1")
    host.start()

    def say(obj: dict[str, Any]) -> None:
        stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        stdout.flush()

    say({"address": host.address, "fingerprint": host.fingerprint})
    for line in stdin:
        cmd = json.loads(line)
        what = cmd["cmd"]
        if what == "pairing":
            say({"code": app.stations.open_pairing(clerk).code})
        elif what == "codes":
            say({m: app.terminals.issue_code(clerk, mid, m) for m in cmd["members"]})
        elif what == "open":
            say({"round_id": app.voting.open_first_round(CHAIR, mid, cmd["present"], passphrase=ROUND_PASSPHRASE)})
        elif what == "close":
            results = app.voting.close_round(CHAIR, mid, cmd["round_id"], passphrase=ROUND_PASSPHRASE)
            first = next(iter(results.counts[1].values()))          # every ballot counts every candidate
            say({"ballots": first.yes + first.no + first.abstain})
        elif what == "quit":
            break
    host.stop()
    app.close()
    say({"rss_mib": peak_rss_mib()})
    return 0


class HostProcess:
    """The host in a child process, driven through its stdin/stdout (see :func:`serve`)."""

    def __init__(self, db: Path, staff_code: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "app.lan.bench", "serve", str(db)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"staff_code": staff_code}) + "\n")
        self.proc.stdin.flush()
        self.hello = self._read()

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the bench host stopped (exit {self.proc.wait()})")
        return dict(json.loads(line))

    def ask(self, **cmd: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(cmd, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def quit(self) -> float | None:
        answer = self.ask(cmd="quit")
        self.proc.wait(timeout=30)
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()
        rss = answer.get("rss_mib")
        return None if rss is None else float(rss)


# -- the bench -------------------------------------------------------------------------
def prepare(folder: Path, terminals: int, n_cands: int) -> tuple[Path, Path, list[str], list[dict[str, str]]]:
    """The bench meeting through step 6 in ``folder`` and its twin for the in-process casts; the
    voting experts and their ballots (each ballot names every candidate)."""
    rng = random.Random(7)
    db, twin = folder / "bench-lan.sqlite3", folder / "bench-in-process.sqlite3"
    with Conclave(db, WorkCalendar()) as app:
        prepared = build_to_ballot(app, n_cands, terminals, rng, Timer())
        app.staff.set_code(prepared.meeting_id, "secretary", STAFF_CODE)
        app.snapshot(twin)
    return db, twin, prepared.experts, ballots_for(plan_votes(n_cands, n_cands // 5, terminals), terminals, rng)


def run_lan_bench(folder: Path, terminals: int, n_cands: int, out: Callable[[str], object] = print,
                  runs: int = RUNS) -> dict[str, float]:
    return measure(folder, *prepare(folder, terminals, n_cands), n_cands, out, runs=runs)


def measure(folder: Path, db: Path, twin: Path, experts: list[str], ballots: list[dict[str, str]], n_cands: int,
            out: Callable[[str], object] = print, staff_code: str = STAFF_CODE, runs: int = 1) -> dict[str, float]:
    """Cast ``ballots`` in process on a copy of ``twin`` and over TLS on a copy of ``db`` (meeting 1,
    step 7 next, the secretary's staff code ``staff_code``), ``runs`` times each, taking turns; print
    the bench line with the fastest run of each (``X`` and ``Y`` are each the best of ``runs``)."""
    lan: list[_LanRun] = []
    in_process: list[float] = []
    for n in range(runs):
        here = folder / f"run{n + 1}"
        here.mkdir(parents=True, exist_ok=True)
        in_process.append(_in_process(_copy(twin, here / "in-process.sqlite3"), experts, ballots, staff_code))
        lan.append(_over_lan(here, _copy(db, here / "lan.sqlite3"), experts, ballots, staff_code))
    over_lan, fastest = min(r.seconds for r in lan), min(in_process)
    accepted = min(r.accepted for r in lan)
    ratio = over_lan / fastest if fastest else float("inf")
    peaks = [r.rss for r in lan if r.rss is not None]
    rss = max(peaks) if peaks else None
    rss_text = f"{rss:.0f}" if rss is not None else "n/a"
    for r in lan:
        if r.counted != r.accepted:
            out(f"conclave bench: {r.accepted} ballots acknowledged but {r.counted} counted by the host")
            accepted = min(accepted, r.counted)
    out(f"terminals: {accepted} ballots of {n_cands} candidates received over TLS in {over_lan:.2f} s "
        f"(in-process casts: {fastest:.2f} s, ratio {ratio:.2f}); host peak RSS {rss_text} MiB")
    return {"received": float(accepted), "over_lan": over_lan, "in_process": fastest, "ratio": ratio,
            "rss_mib": rss if rss is not None else float("nan")}


@dataclass(frozen=True)
class _LanRun:
    seconds: float           # from the first submit to the last acknowledgement
    accepted: int            # ballots the terminals saw acknowledged
    counted: int             # ballots the host counted when the round closed
    rss: float | None        # the host process's peak RSS, MiB


def _copy(meeting: Path, to: Path) -> Path:
    """A run's own copy of a closed meeting file (one file: the store leaves no journal behind)."""
    shutil.copyfile(meeting, to)
    return to


def _in_process(twin: Path, experts: list[str], ballots: list[dict[str, str]], staff_code: str) -> float:
    """``Y``: the ballots cast one after another through ``app.voting.cast``, each with its expert's session."""
    mid = 1
    with Conclave(twin, WorkCalendar()) as app:
        clerk = app.staff.sign_in(mid, "secretary", staff_code).token
        sessions = [app.terminals.unlock(mid, e, app.terminals.issue_code(clerk, mid, e)).token for e in experts]
        rid = app.voting.open_first_round(CHAIR, mid, experts, passphrase=ROUND_PASSPHRASE)
        t0 = time.perf_counter()
        for token, ballot in zip(sessions, ballots, strict=True):
            app.voting.cast(token, rid, ballot)
        return time.perf_counter() - t0


def _over_lan(folder: Path, db: Path, experts: list[str], ballots: list[dict[str, str]], staff_code: str) -> _LanRun:
    """``X``: a host process and one terminal client per expert, all submitting at once over TLS."""
    from app.lan.client import StationClient

    terminals = len(experts)
    host = HostProcess(db, staff_code)
    address, fingerprint = host.hello["address"], host.hello["fingerprint"]
    clients = [StationClient(address, fingerprint, folder / "terminals" / f"t{i:02d}") for i in range(terminals)]
    try:
        for i, client in enumerate(clients):
            client.pair(host.ask(cmd="pairing")["code"], f"终端{i + 1:02d}")
        codes = host.ask(cmd="codes", members=experts)
        tokens = [client.unlock(e, codes[e]) for client, e in zip(clients, experts, strict=True)]
        rid = int(host.ask(cmd="open", present=experts)["round_id"])
        acks, seconds = all_at_once([functools.partial(client.submit, token, "ballot", {"round_id": rid, "choices": b})
                                     for client, token, b in zip(clients, tokens, ballots, strict=True)])
        accepted = sum(1 for a in acks if a.status == "accepted")
        counted = int(host.ask(cmd="close", round_id=rid)["ballots"])
    finally:
        for client in clients:
            client.close()
        rss = host.quit()
    return _LanRun(seconds, accepted, counted, rss)


def all_at_once(jobs: list[Callable[[], T]]) -> tuple[list[T], float]:
    """Run each job on a thread of its own, all released together once every thread is up and
    waiting: the results in order, and the seconds from the release to the last job's end.

    The terminals are up before the experts press submit: a pool that started its threads as the
    jobs came (``ThreadPoolExecutor``) spread 41 submits over ~0.1 s, each new thread waiting for the
    interpreter lock behind the terminals already submitting — the bench measured its own start."""
    results: list[Any] = [None] * len(jobs)
    failures: list[BaseException] = []
    ready, go = threading.Barrier(len(jobs) + 1), threading.Event()

    def one(i: int, job: Callable[[], T]) -> None:
        ready.wait()
        go.wait()
        try:
            results[i] = job()
        except BaseException as exc:            # raised below, in the bench's own thread
            failures.append(exc)

    threads = [threading.Thread(target=one, args=(i, job), name=f"terminal-{i + 1:02d}", daemon=True)
               for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    ready.wait()
    t0 = time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - t0
    if failures:
        raise failures[0]
    return results, seconds


def run(ns: argparse.Namespace) -> int:
    runs = RUNS if ns.runs is None else ns.runs
    if not check_options(ns.candidates, ns.terminals, "--terminals", runs=runs):
        return 2
    with tempfile.TemporaryDirectory() as d:
        figures = run_lan_bench(Path(d), ns.terminals, ns.candidates, runs=runs)
    return 0 if figures["received"] == ns.terminals else 1


if __name__ == "__main__":      # the host process of the bench (HostProcess)
    if sys.argv[1:2] == ["serve"]:
        sys.exit(serve(Path(sys.argv[2])))
    sys.exit(2)
