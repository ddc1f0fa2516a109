"""The offline routes, built and run as the meeting laptop would: the Linux bundle made by
``packaging/build.py`` (which smoke-tests it offline itself), unpacked from its zip and run with
the network removed (``unshare -rn``); and the wheelhouse installed with ``--no-index`` into a
fresh venv, offline too, then ``conclave demo`` run from it.

Minutes of work (a clean venv from the lock, PyInstaller, a second install): CI runs it —
``.ci/run`` sets ``CONCLAVE_BUNDLE_TESTS=1`` — and a developer does by setting it too; the
everyday ``pytest`` skips it (and the lead's core run stays fast). Needs the package index
(pip's cache is reused) and Linux with ``unshare``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .buildscript import build

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "packaging" / "build.py"
offline_prefix, quiet_env, version, write_sums = build.offline_prefix, build.quiet_env, build.version, build.write_sums

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(2400),
    pytest.mark.skipif(os.environ.get("CONCLAVE_BUNDLE_TESTS") != "1",
                       reason="builds the bundle and the wheelhouse (minutes): set CONCLAVE_BUNDLE_TESTS=1 "
                              "(.ci/run does)"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle is built on Linux"),
]


def _build(*args: str | Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(BUILD), *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=2000)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-6000:]
    return time.perf_counter() - started, log


def _offline(args: list[str | Path], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    prefix, _how = offline_prefix()
    return subprocess.run([*prefix, *map(str, args)], env=env, cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=900)


@pytest.fixture(scope="module")
def unshare_permitted() -> None:
    prefix, how = offline_prefix()
    if not prefix:
        pytest.fail(f"CI must run the bundle with the network removed: {how}")


def test_the_linux_bundle_runs_offline_from_its_zip(tmp_path: Path, unshare_permitted: None) -> None:
    # The build's own smoke test: both programs start offline. Demo and documents are run below, from
    # the unpacked zip (the screenshots step, a minute of CPU, is left to the release build).
    seconds, log = _build("--target", "linux", "--work", tmp_path / "work", "--dist", tmp_path / "dist",
                          "--smoke", "none")
    name = f"conclave-{version()}-linux"
    report = json.loads((tmp_path / "dist" / f"{name}.json").read_text(encoding="utf-8"))
    print(f"bundle built in {seconds:.0f} s: {json.dumps(report['seconds'])}; smoke {report['smoke_seconds']}; "
          f"{report['zip_bytes'] / 1e6:.0f} MB zipped, {report['folder_bytes'] / 1e6:.0f} MB unpacked")
    assert report["offline"], log[-3000:]
    assert "network removed (unshare -rn)" in log
    shutil.rmtree(tmp_path / "work")                 # the build venv: only the zip goes on

    # Unpacked as the install sheet says (`unzip` keeps the programs executable).
    archive = tmp_path / "dist" / f"{name}.zip"
    laptop = tmp_path / "laptop"
    assert shutil.which("unzip"), "unzip is needed (.ci/run installs it): it restores the bundle's links and modes"
    subprocess.run(["unzip", "-q", str(archive), "-d", str(laptop)], check=True)
    folder = laptop / name
    sums = [line.split("  ", 1) for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()]
    assert len(sums) == report["files"]
    shutil.copy(folder / "SHA256SUMS", tmp_path / "SHA256SUMS.shipped")
    write_sums(folder)
    assert (folder / "SHA256SUMS").read_bytes() == (tmp_path / "SHA256SUMS.shipped").read_bytes()
    licences = {p.relative_to(folder / "LICENSES").as_posix() for p in (folder / "LICENSES").rglob("*") if p.is_file()}
    assert {"Qt-PySide6-LGPL-3.0.txt", "font-NotoSerifSC-Regular-glyf.LICENSE.txt"} <= licences
    assert any(p.startswith("pyinstaller-") and p.endswith("COPYING.txt") for p in licences), sorted(licences)
    sheet = (folder / "安装说明.txt").read_text(encoding="utf-8")
    assert "离线安装说明" in sheet and f"glibc {report['glibc']} 或更新" in sheet

    home = tmp_path / "home"
    env = quiet_env(home)
    db, docs = tmp_path / "meeting" / "demo.sqlite3", tmp_path / "documents"
    db.parent.mkdir()
    demo = _offline([folder / "conclave-cli", "demo", "--db", db, "--quiet"], env, tmp_path)
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    documents = _offline([folder / "conclave-cli", "documents", "--db", db, "--out", docs], env, tmp_path)
    assert documents.returncode == 0, documents.stdout[-2000:] + documents.stderr[-2000:]
    names = sorted(p.name for p in docs.iterdir())
    assert any("评审会议记录" in n for n in names) and any(n.endswith(".xlsx") for n in names), names


def test_the_wheelhouse_installs_with_no_index_and_runs_the_demo(tmp_path: Path, unshare_permitted: None) -> None:
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    seconds, _log = _build("--wheelhouse", "--target", "linux", "--pythons", python, "--dist", tmp_path / "dist")
    folder = tmp_path / "dist" / f"conclave-{version()}-wheelhouse-linux"
    wheels = sorted(p.name for p in (folder / f"py{python.replace('.', '')}").glob("*.whl"))
    assert any(w.startswith("setuptools-") for w in wheels) and any(w.startswith("wheel-") for w in wheels), wheels
    assert any(w.startswith("conclave-") for w in wheels), wheels

    env = quiet_env(tmp_path / "home")
    env["PYTHON"] = sys.executable
    for name in [n for n in env if n.startswith("PIP_")]:
        del env[name]
    env["PIP_CONFIG_FILE"] = os.devnull              # only the wheelhouse: no machine-wide pip settings
    venv = tmp_path / "venv"
    started = time.perf_counter()
    install = _offline(["sh", folder / "install.sh", venv], env, tmp_path)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    installed = time.perf_counter() - started
    demo = _offline([venv / "bin" / "conclave", "demo", "--db", tmp_path / "demo.sqlite3", "--quiet"], env, tmp_path)
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    print(f"wheelhouse built in {seconds:.0f} s ({len(wheels)} wheels), installed offline in {installed:.0f} s")
