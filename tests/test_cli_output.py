"""The command line prints UTF-8 whatever the console's code page: on Chinese Windows a redirected
stdout is cp936, which cannot encode 䶮 (the demo's 王䶮)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_a_windowed_program_without_standard_output_runs(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    """The Windows bundle's ``conclave.exe`` is windowed: there ``sys.stdout`` and ``sys.stderr`` are
    None, and a command that prints (or a refusal) must still end as it would with a console."""
    from app.cli import main

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    with pytest.raises(SystemExit) as shown:
        main(["--version"])
    assert shown.value.code == 0
    assert main(["export-record", "--db", str(tmp_path / "none.sqlite3"), "--out", str(tmp_path / "r.json")]) == 2


def test_an_error_of_the_system_names_its_path_when_it_has_one() -> None:
    import errno

    from app.errors import file_refusal

    named = file_refusal(NotADirectoryError(errno.ENOTDIR, "Not a directory", "纪要/x.pdf"))
    assert named.rule == "file.access" and "纪要/x.pdf" in str(named)
    assert named.violations[0].message.zh == "无法使用纪要/x.pdf：路径中有一项不是文件夹——请检查路径后重试"  # type: ignore[attr-defined]
    unnamed = file_refusal(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"))
    assert unnamed.rule == "system.refused" and "path" not in str(unnamed) and "Connection refused" in str(unnamed)


def test_the_terminal_refuses_a_journal_folder_it_cannot_make_before_any_window(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``conclave terminal --journal PATH`` where PATH is a file: the same one line as every command
    (the terminal parses its own options, and its refusals went past the command line's handling)."""
    from app.cli import main

    taken = tmp_path / "journal"
    taken.write_text("a file, not a folder", encoding="utf-8")
    assert main(["terminal", "--journal", str(taken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"conclave terminal: [file.access] cannot use {taken}") and err.count("\n") == 1


@pytest.mark.parametrize(("args", "names"), [
    (["--voters", "10"], ["--voters", "25", "单数"]),
    (["--terminals", "3", "--candidates", "20"], ["--terminals", "25", "单数"]),
    (["--runoffs", "4", "--candidates", "3"], ["--runoffs", "--candidates", "0 至 3"]),
    (["--terminals", "41", "--runs", "0"], ["--runs", "至少 1 次"]),
])
def test_a_bench_option_out_of_range_is_refused_before_anything_is_built(
        args: list[str], names: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The bench meeting is a real one: ten voters used to be refused by the panel rule several steps into
    building it, a line of nine violations; now the option is named, at once, on stderr (exit status 2)."""
    from app.cli import main

    db = tmp_path / "bench.sqlite3"
    assert main(["bench", *args, *(["--db", str(db)] if "--terminals" not in args else [])]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("conclave bench: "), err
    assert all(name in err for name in names), err
    assert not db.exists()
