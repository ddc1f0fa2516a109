"""The committee key: two processes creating it at once, a crash at any point of its creation, and
what one guess at its passphrase costs (issue 10, point 4)."""

from __future__ import annotations

import contextlib
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.errors import RuleViolation
from app.sealing import keys
from app.services import Conclave
from app.services.documents import key_path_for
from tests.attacks import ROOT, Lab, Outcome, attack, child_env
from tests.engine.small import open_small

PASSPHRASES = ("评审会 第一个窗口 lantern 41", "评审会 第二个窗口 rivers 73")
RACES = 10
CRASHES = 12


def _meeting(lab: Lab) -> Path:
    """A meeting without a committee key yet (the first documents run of a new meeting)."""
    path = lab.path("meeting.sqlite3")
    with Conclave(path) as app:
        open_small(app, [("C1", "李一", "县人民医院")])
    return path


def _create(db: Path, passphrase: str) -> subprocess.Popen[str]:
    file = db.with_name(f"passphrase-{abs(hash(passphrase))}.txt")
    file.write_text(passphrase, encoding="utf-8")
    return subprocess.Popen([sys.executable, "-m", "app.cli", "key", "create", "--db", str(db),
                             "--passphrase-file", str(file)], cwd=ROOT, env=child_env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _state(db: Path) -> tuple[bool, str]:
    """Is the key of ``db`` as the rules want it — none (and a new one may be made), or one in place
    that opens with one of the passphrases and whose root is the one recorded — and which it is."""
    with Conclave(db) as app:
        mid = app.views.only_meeting(None)
        status = app.documents.key_status(mid)
        if not status.exists:
            if status.root_fingerprint is not None:
                return False, "a root recorded but no key file: no document could ever be sealed"
            try:
                app.documents.check_new_key(mid)
            except RuleViolation as refused:
                return False, f"no key, and a new one refused ({refused.rule})"
            return True, "no key"
        for passphrase in PASSPHRASES:
            try:
                key = keys.load_committee_key(status.path, passphrase)
            except RuleViolation:
                continue
            if key.root_fingerprint() != status.root_fingerprint:
                return False, "the key in place is not the one whose root is recorded"
            leftovers = sorted(p.name for p in db.parent.glob("*.pending*"))
            return not leftovers, f"a working key{', leftovers ' + str(leftovers) if leftovers else ''}"
        return False, "a key in place that opens with neither passphrase"


@attack("two processes creating the committee key at once (first documents run, ≥ 10 times)")
def racing_key_creation(lab: Lab) -> Outcome:
    out = Outcome()
    refusals: dict[str, int] = {}
    seconds: list[float] = []
    for _ in range(RACES):
        db = _meeting(lab)
        started = time.monotonic()
        procs = [_create(db, p) for p in PASSPHRASES]
        results = [(proc.wait(timeout=180), *proc.communicate()) for proc in procs]
        seconds.append(time.monotonic() - started)
        made = [r for r in results if r[0] == 0]
        for code, _out, err in results:
            if code != 0:
                rule = err.split("[", 1)[-1].split("]", 1)[0] if "[" in err else f"exit {code}"
                refusals[rule] = refusals.get(rule, 0) + 1
                out.check("Traceback" not in err, f"a traceback: {err[-200:]}")
        ok, what = _state(db)
        out.check(len(made) == 1 and ok, f"{len(made)} creations succeeded; {what}")
    out.figures.append("the other refused as " + ", ".join(f"{r} ×{n}" for r, n in sorted(refusals.items())))
    out.figures.append(f"a race {min(seconds):.1f}–{max(seconds):.1f} s")
    return out


@attack("a crash while the key is made, between writing it and recording its root (killed at random points)")
def killed_key_creation(lab: Lab) -> Outcome:
    out = Outcome()
    rng = random.Random(20261130)
    # How long an undisturbed creation takes here, to spread the kills over all of it.
    db = _meeting(lab)
    started = time.monotonic()
    proc = _create(db, PASSPHRASES[0])
    proc.communicate(timeout=180)
    whole = time.monotonic() - started
    outcomes: dict[str, int] = {}
    for n in range(CRASHES):
        db = _meeting(lab)
        proc = _create(db, PASSPHRASES[0])
        if n % 2:       # anywhere in the run
            time.sleep(rng.uniform(0.3, 1.05) * whole)
        else:           # in the narrow window: once the key is written under its pending name, within 0.2 s
            pending = key_path_for(db).with_name(key_path_for(db).name + ".pending")
            deadline = time.monotonic() + 3 * whole
            while not pending.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.2))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        key = key_path_for(db)
        seen = ("key" if key.exists() else "") + ("+pending" if list(db.parent.glob("*.pending*")) else "")
        ok, what = _state(db)
        outcomes[f"{seen or 'nothing'} → {what}"] = outcomes.get(f"{seen or 'nothing'} → {what}", 0) + 1
        out.check(ok, f"killed with {seen or 'nothing'} on disk: {what}")
    out.figures.append(f"a creation takes {whole:.1f} s; after the kill: "
                       + ", ".join(f"{k} ×{n}" for k, n in sorted(outcomes.items())))
    return out


@attack("guessing the key file's passphrase (production scrypt cost)")
def passphrase_guesses(lab: Lab) -> Outcome:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    out = Outcome()
    path = lab.path("committee-key.p12")
    right = "评审会 correct horse 2026 lantern"
    key = keys.create_committee_key("某省工程系列高级职称评审委员会", right, path)
    header = keys.read_header(path.read_bytes(), path)
    out.check(header is not None and header.stretch == keys.PRODUCTION_STRETCH,
              f"a new key file is stretched at {header.stretch if header else 'nothing'}")
    costs = []
    for guess in ("评审会 correct horse 2025 lantern", "评审会 correct horse 2026 Lantern", "123456", "", right + " "):
        t0 = time.process_time()
        refused = out.refused(lambda guess=guess: keys.load_committee_key(path, guess), "seal.passphrase",
                              f"the guess {guess!r}", "口令不正确")
        costs.append(time.process_time() - t0)
        if refused:
            out.check(costs[-1] >= 0.1, f"a guess cost only {costs[-1] * 1000:.0f} ms")
    try:                                       # the passphrase itself no longer opens the PKCS#12
        pkcs12.load_key_and_certificates(path.read_bytes(), right.encode())
        out.check(False, "the right passphrase, given straight to the PKCS#12 (no scrypt), opened it")
    except ValueError:
        out.check(True, "")
    old = pkcs12.serialize_key_and_certificates(b"conclave committee key", key.private_key, key.certificate,
                                                [key.root], serialization.BestAvailableEncryption(right.encode()))
    t0 = time.process_time()
    for _ in range(100):
        with contextlib.suppress(ValueError):
            pkcs12.load_key_and_certificates(old, b"a wrong guess")
    old_cost = (time.process_time() - t0) / 100
    out.figures.append(f"one guess {min(costs) * 1000:.0f} ms of processor time and "
                       f"{keys.PRODUCTION_STRETCH.memory() >> 20} MiB (the old key file: {old_cost * 1000:.2f} ms)")
    return out
