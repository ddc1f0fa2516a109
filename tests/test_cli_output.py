"""The command line prints UTF-8 whatever the console's code page: on Chinese Windows a redirected
stdout is cp936, which cannot encode 䶮 (the demo's 王䶮)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRINT_RARE_NAME = "import sys; from app.cli import utf8_output; {call}; print('王䶮'); print('王䶮', file=sys.stderr)"


def _run(call: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="cp936", PYTHONUTF8="0")
    return subprocess.run([sys.executable, "-c", PRINT_RARE_NAME.format(call=call)], capture_output=True, env=env,
                          timeout=60)


def test_a_cp936_stdout_still_prints_every_name() -> None:
    done = _run("utf8_output()")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8").strip() == "王䶮" and done.stderr.decode("utf-8").strip() == "王䶮"


def test_without_it_cp936_cannot() -> None:
    """The control: the same print under cp936 fails — the test above is not vacuous."""
    done = _run("None")
    assert done.returncode != 0 and b"UnicodeEncodeError" in done.stderr


def _reader_gone(*args: str) -> subprocess.CompletedProcess[bytes]:
    """``conclave ARGS`` whose output's reader has gone before it writes (``conclave … | head`` once
    ``head`` has its lines): the pipe is closed before the interpreter is even up."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    return subprocess.CompletedProcess(args, proc.wait(timeout=60), b"", err)


def test_a_reader_that_stops_reading_gets_no_traceback() -> None:
    """As ``yes | head`` ends: nothing on stderr — neither a traceback from a print nor Python's
    "Exception ignored" from the flush at exit — and exit status 1 (argparse's help swallows the
    error itself, and its exit status is its own)."""
    done = _reader_gone("calendar", "show", "2026")
    assert (done.returncode, done.stderr.decode("utf-8", "replace")) == (1, "")
    assert _reader_gone("--help").stderr == b""
