"""What one guess at the committee key's passphrase costs someone who has stolen the key file.

Run: ``python tests/bench/bench_key_guess.py [--runs 5]``. It makes a committee key at the
production cost (:data:`app.sealing.keys.PRODUCTION_STRETCH`), writes the same key in the old
form (the passphrase itself the PKCS#12 password, as before issue 10), and times, on this machine:

* a wrong guess against the old form: ``pkcs12.load_key_and_certificates`` refusing it — the MAC,
  2,048 iterations, is all a guesser pays;
* a wrong guess against the new form as a guesser would make it: scrypt of the guess with the
  file's salt and cost, compared with the file's check value (the cheapest way to test a guess; the
  MAC alone would cost the same scrypt first);
* the same through :func:`app.sealing.keys.load_committee_key` (what the refusal costs a person);
* unlocking with the right passphrase (scrypt, the MAC, the PBKDF2 rounds of the two bags, the
  certificate checks): what every documents run adds.

Each figure is the least processor time of ``--runs`` (the machine's other work only adds). Not collected by
pytest (its name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PASSPHRASE = "bench 评审会 lantern 7 rivers"
WRONG = "bench 评审会 lantern 7 river"


@dataclass(frozen=True)
class GuessCost:
    old_guess: float        # seconds, a wrong guess against the old form
    new_guess: float        # scrypt + check value: a guesser's cheapest test
    refusal: float          # load_committee_key refusing a wrong passphrase
    unlock: float           # load_committee_key with the right one
    memory: int             # bytes scrypt needs per guess


def least(job: Callable[[], object], runs: int) -> float:
    """The least processor time of ``runs`` calls: what a guess costs a core of its own (the wall
    time on a shared machine also counts the waits for one)."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        job()
        best = min(best, time.process_time() - t0)
    return best


def measure(folder: Path, runs: int = 5) -> GuessCost:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from app.errors import RuleViolation
    from app.sealing import keys

    keys.STRETCH = keys.PRODUCTION_STRETCH
    path = folder / "committee.p12"
    key = keys.create_committee_key("基准测试评审委员会", PASSPHRASE, path, overwrite=True)
    data = path.read_bytes()
    header = keys.read_header(data, path)
    assert header is not None and header.stretch == keys.PRODUCTION_STRETCH
    old = pkcs12.serialize_key_and_certificates(b"conclave committee key", key.private_key, key.certificate,
                                                [key.root], serialization.BestAvailableEncryption(PASSPHRASE.encode()))

    def old_guess() -> None:
        try:
            pkcs12.load_key_and_certificates(old, WRONG.encode())
        except ValueError:
            return
        raise AssertionError("the wrong passphrase opened the old key file")

    def new_guess() -> None:
        _, check = keys._stretched(WRONG.encode(), header.salt, header.stretch)
        assert check != header.check

    def refusal() -> None:
        try:
            keys.load_committee_key(path, WRONG)
        except RuleViolation as refused:
            assert refused.rule == "seal.passphrase"
            return
        raise AssertionError("the wrong passphrase opened the key file")

    return GuessCost(least(old_guess, runs * 20), least(new_guess, runs), least(refusal, runs),
                     least(lambda: keys.load_committee_key(path, PASSPHRASE), runs), header.stretch.memory())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    ns = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cost = measure(Path(folder), ns.runs)
    print(f"a wrong guess, old key file (PKCS#12 MAC, 2,048 iterations): {cost.old_guess * 1000:.2f} ms")
    print(f"a wrong guess, new key file (scrypt n=2**17 r=8 p=1, {cost.memory >> 20} MiB): "
          f"{cost.new_guess * 1000:.0f} ms — {cost.new_guess / cost.old_guess:,.0f} times the old cost")
    print(f"a wrong passphrase refused by load_committee_key: {cost.refusal * 1000:.0f} ms")
    print(f"unlocking with the right passphrase: {cost.unlock * 1000:.0f} ms")


if __name__ == "__main__":
    main()
