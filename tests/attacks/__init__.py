"""The attacks issue 10 reported, repeated against the current code: ``python -m tests.attacks``.

Each attack is tried several times, with real meeting files, real processes (``python -m
app.cli …``), real workbooks and real key files, and each try either *held* (refused, or the
meeting left as the rules say) or *broke*. The script prints one line per attack::

    <attack>: tries N, held H, broke B  (figures: times, sizes)

and a total; it exits 1 when anything broke. It is not collected by pytest (no ``test_*.py``
here): it takes minutes, and its figures are what the issue's note quotes, not a pass/fail gate
of the everyday run (the same behaviours have their own quick tests under tests/).

The attacks live in the ``attack_*.py`` modules of this folder, each registered with
:func:`attack` under the name it prints; :data:`REBUILDING` holds the places kept for attacks
whose defence another helper is rebuilding this round — register them the same way (a module
``attack_<name>.py`` here, imported by :mod:`tests.attacks.__main__`) once their code is on
main, and drop their line from :data:`REBUILDING`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Outcome:
    """What one attack came to: each try held or broke (``notes`` say how a try broke), and the
    figures measured on the way (printed after the counts)."""

    held: int = 0
    broke: int = 0
    notes: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)

    @property
    def tries(self) -> int:
        return self.held + self.broke

    def check(self, ok: bool, what: str) -> bool:
        """One try: ``ok`` means it held; otherwise ``what`` says what broke."""
        if ok:
            self.held += 1
        else:
            self.broke += 1
            self.notes.append(what)
        return ok

    def refused(self, call: Callable[[], object], rule: str | tuple[str, ...], what: str,
                chinese: str = "") -> bool:
        """One try that must be refused with ``rule`` (one of them), in Chinese too (containing
        ``chinese`` when given): anything else — done, another rule, an exception — broke."""
        from app.errors import RuleViolation
        from app.text import in_chinese

        rules = (rule,) if isinstance(rule, str) else rule
        try:
            call()
        except RuleViolation as refusal:
            zh = in_chinese(refusal.violations[0].message)
            ok = refusal.rule in rules and bool(zh.strip()) and chinese in zh
            return self.check(ok, f"{what}: refused as {refusal.rule} ({zh[:60]})")
        except Exception as exc:       # an attack that raises something else found a hole
            return self.check(False, f"{what}: {type(exc).__name__}: {str(exc)[:80]}")
        return self.check(False, f"{what}: was not refused")


Attack = Callable[["Lab"], Outcome]

#: The attacks, in the order they are run and printed: name → function (see :func:`attack`).
ATTACKS: dict[str, Attack] = {}

#: Places kept for the attacks being rebuilt by other helpers this round; each is printed as
#: "not run" until its module registers it (see the module docstring).
REBUILDING: dict[str, str] = {}


def attack(name: str) -> Callable[[Attack], Attack]:
    """Register an attack under the name it is printed with."""
    def register(run: Attack) -> Attack:
        ATTACKS[name] = run
        return run
    return register


class Lab:
    """The attacks' bench: a temporary folder, the demo meeting built once (up to the plenary
    review, step 6: what the voting attacks start from), fresh copies of it, and child processes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._demo: Path | None = None
        self._count = 0

    def path(self, name: str) -> Path:
        """A fresh path in the lab's folder (a number keeps repeated names apart)."""
        self._count += 1
        folder = self.folder / f"{self._count:03d}"
        folder.mkdir()
        return folder / name

    def demo(self) -> Path:
        """A private copy of the demo meeting after step 6 (its key beside it), as a database file."""
        if self._demo is None:
            from app.demo import build_demo
            from app.domain import Step
            from app.services import Conclave

            folder = self.folder / "demo"
            folder.mkdir()
            template = folder / "template.sqlite3"
            with Conclave(folder / "demo.sqlite3") as app:
                build_demo(app, out=lambda _s: None, until=Step.PLENARY,
                           after_step=lambda n: app.snapshot(template) if n == Step.PLENARY else None)
            self._demo = template
        from app.sealing.keys import root_pem_path_for
        from app.services.documents import key_path_for

        target = self.path("meeting.sqlite3")
        shutil.copyfile(self._demo, target)
        key = key_path_for(self._demo.with_name("demo.sqlite3"))      # the demo's key travels with it
        shutil.copyfile(key, key_path_for(target))
        shutil.copyfile(root_pem_path_for(key), root_pem_path_for(key_path_for(target)))
        return target

    def cli(self, *args: str, timeout: float = 120) -> Measured:
        """``python -m app.cli ARGS`` in a child process, timed, with its own peak resident size."""
        return measured(["-m", "app.cli", *args], timeout=timeout)


@dataclass(frozen=True)
class Measured:
    """A finished child process: its exit code, output, wall time and peak resident memory (MB,
    the child's own: /proc's VmHWM read as it exits)."""

    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float


#: Runs a module or ``-c`` program as ``python`` would, then writes the process's own peak
#: resident size (VmHWM: getrusage's ru_maxrss would carry the parent's over the exec) and its
#: run time to the file named by $ATTACK_FIGURES.
_MEASURE = """
import json, os, resource, runpy, sys, time
started = time.monotonic()
def report(code):
    try:
        hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
        peak_mb = int(hwm.split()[1]) / 1024
    except (OSError, StopIteration):
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open(os.environ["ATTACK_FIGURES"], "w") as out:
        json.dump({"seconds": time.monotonic() - started, "peak_mb": peak_mb}, out)
    return code
kind, target, *rest = sys.argv[1:]
sys.argv = [target, *rest]
try:
    if kind == "-m":
        runpy.run_module(target, run_name="__main__", alter_sys=True)
    else:
        exec(compile(target, "<attack>", "exec"), {"__name__": "__main__"})
    code = 0
except SystemExit as exit_:
    code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
sys.stdout.flush()
sys.exit(report(code))
"""


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def measured(args: list[str], *, timeout: float = 120) -> Measured:
    """Run ``python -m MODULE …`` or ``python -c PROGRAM …`` (``args``) measured (see :data:`_MEASURE`)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        figures_path = Path(tmp.name)
    try:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", _MEASURE, *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout, env={**child_env(), "ATTACK_FIGURES": str(figures_path)})
        wall = time.monotonic() - started
        try:
            figures: dict[str, Any] = json.loads(figures_path.read_text() or "{}")
        except ValueError:
            figures = {}
        return Measured(done.returncode, done.stdout, done.stderr, float(figures.get("seconds", wall)),
                        float(figures.get("peak_mb", 0.0)))
    finally:
        figures_path.unlink(missing_ok=True)


@contextmanager
def holding(script: str, *args: str) -> Iterator[subprocess.Popen[str]]:
    """A child running ``script`` that prints ``ready`` once it holds what it holds, and keeps it
    until its stdin is closed (or it is killed)."""
    proc = subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, text=True, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env=child_env())
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
