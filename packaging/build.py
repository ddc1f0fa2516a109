"""One build command per target: the offline bundle, or the wheelhouse, of Conclave.

    python packaging/build.py --target linux      # dist/conclave-<version>-linux.zip
    python packaging/build.py --target windows    # dist/conclave-<version>-windows.zip (on Windows)
    python packaging/build.py --wheelhouse --target linux|windows [--pythons 3.11,3.12,3.13]
    python packaging/build.py --lock              # resolve packaging/locks/ again (needs uv)

Why each step (the meeting laptop has no network, so whatever is wrong with a bundle is found
there, by a secretary, on the morning of the meeting — unless it is found here):

* **A clean venv from a hash-pinned lock** (packaging/locks/bundle-<target>.txt, resolved by
  ``uv pip compile --generate-hashes --python-platform …`` for the target, not for the build
  machine): the bundle holds exactly the versions that were tested, and the Linux lock resolves
  for manylinux_2_28, which keeps PySide6 at 6.9.x — glibc 2.28, Kylin V10 and UOS 20.
* **PyInstaller with packaging/conclave.spec**, which checks after its analysis that app/, ui/,
  resources/ (fonts, texts, the demo), PySide6 and the Qt platform plugin are collected and
  fails the build loudly otherwise.
* **A smoke test of the frozen program with the network removed** (``unshare -rn``; where that is
  not permitted — Windows, a container without user namespaces — a dead proxy, and it says so):
  demo, verify-db, documents, verify and screenshots, from a fresh home folder.
* **The zip**: the folder, ``LICENSES/`` (the fonts', Qt's LGPL, PyInstaller's bootloader
  exception, Python's, every bundled distribution's), a one-page Chinese install sheet
  (安装说明.txt) and ``SHA256SUMS`` of every file; the zip's own checksum beside it.

The wheelhouse route (``--wheelhouse``) downloads, for each Python minor, the wheels the
committed runtime lock of the target names (setuptools and wheel included; on Windows the
Windows-only colorama and tzdata), checked against their hashes, plus the project's own wheel,
and an ``install.sh`` / ``install.bat`` that install ``conclave`` by name with ``--no-index
--find-links`` into a fresh venv.

Only the standard library here: the script runs from any Python 3.11+, before any venv exists.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
LOCKS = PACKAGING / "locks"
BUNDLE_PYTHON = "3.11"                       # the bundle's interpreter, and its lock's
WHEELHOUSE_PYTHONS = ("3.11", "3.12", "3.13")  # requires-python's range
DEMO_PASSPHRASE = "demo-key-not-for-real-use"  # the demo committee key's (README)


@dataclass(frozen=True)
class Target:
    name: str
    uv_platform: str            # uv pip compile --python-platform
    pip_platforms: tuple[str, ...]  # pip download --platform … (pip does not widen a manylinux tag itself)
    host: str                   # sys.platform of a machine that can build the bundle
    exe: str                    # suffix of the programs


TARGETS = {
    "linux": Target("linux", "x86_64-manylinux_2_28",
                    (*(f"manylinux_2_{n}_x86_64" for n in range(28, 4, -1)),
                     "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"), "linux", ""),
    "windows": Target("windows", "x86_64-pc-windows-msvc", ("win_amd64",), "win32", ".exe"),
}


def version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    if found is None:
        raise SystemExit("build: no __version__ in app/__init__.py")
    return found.group(1)


def say(text: str) -> None:
    print(f"[build] {text}", flush=True)


def run(args: Sequence[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command, its output shown; a failure stops the build naming the command."""
    shown = " ".join(str(a) for a in args)
    say(f"$ {shown}")
    done = subprocess.run([str(a) for a in args], text=True, encoding="utf-8", errors="replace",
                          **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise SystemExit(f"build: failed (exit {done.returncode}): {shown}")
    return done


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def lock_path(kind: str, target: Target, python: str = BUNDLE_PYTHON) -> Path:
    if kind == "bundle":
        return LOCKS / f"bundle-{target.name}.txt"
    return LOCKS / f"runtime-{target.name}-py{python.replace('.', '')}.txt"


# ---------------------------------------------------------------------------------------------
# Locks
# ---------------------------------------------------------------------------------------------

def resolve_locks(uv: str) -> None:
    """Every lock again: the bundle's (3.11, with PyInstaller) and the runtime ones per Python
    minor (with setuptools and wheel, for the wheelhouse), for each target's platform."""
    for target in TARGETS.values():
        jobs = [("bundle", BUNDLE_PYTHON, ["packaging/locks/bundle.in"])]
        jobs += [("runtime", py, ["packaging/locks/wheelhouse.in"]) for py in WHEELHOUSE_PYTHONS]
        for kind, python, extra in jobs:
            out = lock_path(kind, target, python)
            run([uv, "pip", "compile", "--quiet", "--generate-hashes", "--python-platform", target.uv_platform,
                 "--python-version", python, "--custom-compile-command", "python packaging/build.py --lock",
                 "pyproject.toml", *extra, "-o", out.relative_to(ROOT).as_posix()], cwd=ROOT)
            say(f"{out.relative_to(ROOT)}: {len(pinned(out))} packages")


def pinned(lock: Path) -> dict[str, str]:
    """name -> version of a lock file."""
    found = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", lock.read_text(encoding="utf-8"), re.MULTILINE)
    return {name.lower().replace("_", "-"): v for name, v in found}


# ---------------------------------------------------------------------------------------------
# Offline runs
# ---------------------------------------------------------------------------------------------

def offline_prefix() -> tuple[list[str], str]:
    """How to run a command with the network removed: ``unshare -rn`` (a new network namespace
    with nothing but a down loopback) where permitted; else no prefix, and the caller sets a dead
    proxy — the second is weaker and the build says so."""
    unshare = shutil.which("unshare")
    if unshare and sys.platform.startswith("linux"):
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True)
        if probe.returncode == 0:
            return [unshare, "-rn"], "network removed (unshare -rn)"
    why = "no unshare on Windows" if sys.platform == "win32" else "unshare not permitted here"
    return [], f"NETWORK NOT REMOVED by this script ({why}): ran with a dead proxy (127.0.0.1:9)"


def quiet_env(home: Path) -> dict[str, str]:
    """A fresh user: its own home and data folders, Qt offscreen, the demo key's passphrase, a
    dead proxy (what the fallback relies on; harmless under unshare), no Python of ours leaking in."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}}
    dead = "http://127.0.0.1:9"
    env.update({
        "HOME": str(home), "USERPROFILE": str(home), "APPDATA": str(home / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(home / "AppData" / "Local"), "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(home / "run"), "QT_QPA_PLATFORM": "offscreen",
        "CONCLAVE_PASSPHRASE": DEMO_PASSPHRASE, "PYTHONUTF8": "1",
        "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "ALL_PROXY": dead, "http_proxy": dead, "https_proxy": dead,
        "all_proxy": dead, "NO_PROXY": "", "no_proxy": "",
    })
    (home / "run").mkdir(parents=True, exist_ok=True)
    os.chmod(home / "run", 0o700)
    return env


def smoke(folder: Path, target: Target, scratch: Path, steps: Sequence[str]) -> dict[str, float]:
    """Run the frozen programs of ``folder`` with the network removed; seconds per step.
    Each step checks what it made, not only its exit status."""
    prefix, how = offline_prefix()
    say(f"smoke test of {folder.name}: {how}")
    cli = folder / f"conclave-cli{target.exe}"
    home = scratch / "home"
    env = quiet_env(home)
    db, docs, shots = scratch / "meeting" / "demo.sqlite3", scratch / "documents", scratch / "screenshots"
    times: dict[str, float] = {}

    def step(name: str, *args: str | Path, program: Path = cli) -> str:
        started = time.perf_counter()
        done = subprocess.run([*prefix, str(program), *map(str, args)], env=env, cwd=scratch, capture_output=True,
                              text=True, encoding="utf-8", errors="replace", timeout=900)
        times[name] = round(time.perf_counter() - started, 1)
        if done.returncode != 0:
            raise SystemExit(f"build: smoke step {name!r} failed (exit {done.returncode}, {how}):\n"
                             f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        say(f"  {name}: ok in {times[name]} s")
        return done.stdout

    out = step("version", "--version")
    if version() not in out:
        raise SystemExit(f"build: conclave-cli --version printed {out!r}")
    step("window program", "--version", program=folder / f"conclave{target.exe}")
    if "demo" in steps:
        db.parent.mkdir(parents=True, exist_ok=True)
        step("demo", "demo", "--db", db, "--quiet")
        step("verify-db", "verify-db", "--db", db)
    if "documents" in steps:
        step("documents", "documents", "--db", db, "--out", docs)
        pdfs = sorted(docs.glob("*.pdf"))
        if len(pdfs) < 10 or not list(docs.glob("*.xlsx")):
            raise SystemExit(f"build: documents wrote only {sorted(p.name for p in docs.iterdir())}")
        minutes = next((p for p in pdfs if "评审会议记录" in p.name), pdfs[0])
        step("verify", "verify", "--db", db, minutes)
    if "screenshots" in steps:
        step("screenshots", "screenshots", "--out", shots)
        if len(list(shots.glob("*.png"))) < 10:
            raise SystemExit(f"build: screenshots saved only {len(list(shots.glob('*.png')))} pictures")
    times["network"] = 0.0 if prefix else -1.0
    return times


# ---------------------------------------------------------------------------------------------
# Bundle
# ---------------------------------------------------------------------------------------------

def make_venv(python: str, venv: Path, lock: Path) -> Path:
    shutil.rmtree(venv, ignore_errors=True)
    run([python, "-m", "venv", venv])
    py = venv_python(venv)
    got = subprocess.run([py, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True,
                         text=True).stdout.strip()
    if got != BUNDLE_PYTHON:
        raise SystemExit(f"build: the bundle's lock is for Python {BUNDLE_PYTHON}, {python} is {got} "
                         f"(give --python a {BUNDLE_PYTHON} interpreter)")
    run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes", "--no-deps",
         "--only-binary", ":all:", "-r", lock])
    return py


def licences(py: Path, folder: Path) -> int:
    """Copy into ``folder/LICENSES`` every licence the bundle carries; the count of files."""
    out = folder / "LICENSES"
    out.mkdir()
    copied = 0
    for font_licence in sorted((ROOT / "resources" / "fonts").glob("*.LICENSE.txt")):
        shutil.copy(font_licence, out / f"font-{font_licence.name}")
        copied += 1
    for text in sorted((PACKAGING / "licences").glob("*.txt")):     # the wheels of Qt carry none
        shutil.copy(text, out / text.name)
        copied += 1
    listing = subprocess.run([py, "-c", _LIST_LICENCES], capture_output=True, text=True, encoding="utf-8",
                             check=True).stdout
    for entry in json.loads(listing):
        dest = out / f"{entry['name']}-{entry['version']}"
        dest.mkdir(exist_ok=True)
        for source in entry["files"]:
            shutil.copy(source, dest / Path(source).name)
            copied += 1
    (out / "README.txt").write_text(_LICENCES_README, encoding="utf-8")
    return copied


_LIST_LICENCES = r"""
import json, sys
from importlib import metadata
from pathlib import Path
found = []
for dist in metadata.distributions():
    if dist.metadata["Name"].lower() in {"pip"}:          # in the build venv, not in the bundle
        continue
    files = [Path(dist.locate_file(f)) for f in (dist.files or ())
             if any(w in f.name.upper() for w in ("LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS"))
             and ".dist-info" in str(f) or "/licenses/" in str(f).replace("\\", "/")]
    files = [str(f) for f in files if f.is_file()]
    if files:
        found.append({"name": dist.metadata["Name"], "version": dist.version, "files": sorted(set(files))})
base = Path(sys.base_prefix)
for p in (base / "LICENSE.txt", base / "lib" / ("python%d.%d" % sys.version_info[:2]) / "LICENSE.txt"):
    if p.is_file():
        found.append({"name": "Python", "version": "%d.%d.%d" % sys.version_info[:3], "files": [str(p)]})
        break
print(json.dumps(found))
"""

_LICENCES_README = """Licences of what this bundle carries
====================================

font-*.txt            the bundled fonts (SIL Open Font License: Noto Serif SC; GlyphWiki's licence)
Qt-PySide6-LGPL-3.0.txt, GPL-3.0.txt
                      Qt for Python (PySide6, shiboken6) and the Qt libraries, under the GNU LGPL
                      v3 (which adds to the GPL v3): they are the separate shared libraries in
                      _internal/PySide6 and may be replaced by the user with other builds of the
                      same version. Their source is published by The Qt Company (qt.io).
pyinstaller-*         the PyInstaller bootloader that starts conclave / conclave-cli: GPL v2 with
                      the bootloader exception (COPYING.txt), which allows shipping it with any program.
Python-*              the Python interpreter (PSF licence).
everything else       each bundled Python distribution's own licence files, as shipped in its wheel.
"""


def glibc_needed(folder: Path) -> str:
    """The newest ``GLIBC_2.x`` symbol version any program or library of ``folder`` asks for: the
    oldest glibc the bundle runs on (the build machine's Python and system libraries set it, not
    only the wheels), printed on the install sheet instead of a hoped-for figure."""
    newest = 17                                      # manylinux2014's floor
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) != b"\x7fELF":
                    continue
                found = re.findall(rb"GLIBC_2\.(\d+)", f.read())
            newest = max([newest, *(int(n) for n in found)])
    return f"2.{newest}"


def sheet(target: Target, glibc: str | None) -> str:
    """The install sheet, its facts filled in: the version, and on Linux the glibc the bundle needs
    (Kylin V10 and UOS 20 have 2.28: named only when the bundle runs there)."""
    text = (PACKAGING / "sheets" / f"bundle-{target.name}.zh.txt").read_text(encoding="utf-8")
    if glibc is not None:
        reach = ("银河麒麟 V10、统信 UOS 20、Debian 10+、Ubuntu 20.04+、CentOS/RHEL 8+"
                 if tuple(map(int, glibc.split("."))) <= (2, 28) else
                 "银河麒麟 V10、统信 UOS 20 为 glibc 2.28，不能运行本包：请使用在 glibc 2.28 系统上构建的安装包")
        text = text.replace("{glibc}", glibc).replace("{reach}", reach)
    return text.replace("{version}", version())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(folder: Path) -> int:
    """``SHA256SUMS`` of every file below ``folder``, in ``sha256sum -c`` format; the count."""
    lines = [f"{sha256(p)}  {p.relative_to(folder).as_posix()}" for p in sorted(folder.rglob("*"))
             if p.is_file() and not p.is_symlink() and p.name != "SHA256SUMS"]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def write_zip(folder: Path, archive: Path, compress: bool = True) -> None:
    """The folder as ``archive`` (one top folder inside), file modes kept (the programs stay executable)
    and symbolic links kept as links (PyInstaller links Qt's libraries on Linux; `unzip` restores
    them), not stored twice."""
    archive.unlink(missing_ok=True)
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(archive, "w", method, compresslevel=6 if compress else None) as z:
        for path in sorted(folder.rglob("*")):
            arcname = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            if path.is_symlink():
                info = zipfile.ZipInfo(arcname, time.localtime(path.lstat().st_mtime)[:6])
                info.create_system = 3                      # Unix: the mode below is read
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                z.writestr(info, os.readlink(path))
                continue
            info = zipfile.ZipInfo.from_file(path, arcname)
            if path.is_dir():
                z.writestr(info, b"")
            else:
                info.compress_type = method
                with path.open("rb") as src, z.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    (archive.parent / f"{archive.name}.sha256").write_text(f"{sha256(archive)}  {archive.name}\n", encoding="utf-8")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build_bundle(target: Target, python: str, work: Path, dist: Path, steps: Sequence[str]) -> Path:
    if sys.platform != target.host:
        raise SystemExit(f"build: the {target.name} bundle is built on {target.name} (PyInstaller does not cross-"
                         f"compile); for Windows see .github/workflows/windows-bundle.yml")
    lock = lock_path("bundle", target)
    times: dict[str, float] = {}
    started = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    py = make_venv(python, work / "venv", lock)
    times["venv"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    shutil.rmtree(work / "pyinstaller", ignore_errors=True)
    run([py, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", work / "pyinstaller" / "dist", "--workpath", work / "pyinstaller" / "build",
         PACKAGING / "conclave.spec"], cwd=ROOT)
    times["pyinstaller"] = round(time.perf_counter() - started, 1)
    frozen = work / "pyinstaller" / "dist" / f"conclave-{version()}"

    scratch = Path(tempfile.mkdtemp(prefix="conclave-smoke-", dir=work))
    started = time.perf_counter()
    smoked = smoke(frozen, target, scratch, steps)
    times["smoke"] = round(time.perf_counter() - started, 1)
    shutil.rmtree(scratch, ignore_errors=True)

    started = time.perf_counter()
    name = f"conclave-{version()}-{target.name}"
    dist.mkdir(parents=True, exist_ok=True)
    folder = dist / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(frozen, folder, symlinks=True)
    count = licences(py, folder)
    if target.name == "linux":                     # for a desktop shortcut (Icon=…/conclave.png)
        shutil.copy(PACKAGING / "conclave.png", folder / "conclave.png")
    newline = "\r\n" if target.name == "windows" else "\n"
    bom = "\ufeff" if target.name == "windows" else ""       # Notepad before Windows 10 1903 needs it
    glibc = glibc_needed(folder) if target.name == "linux" else None
    (folder / "安装说明.txt").write_text(bom + sheet(target, glibc), encoding="utf-8", newline=newline)
    files = write_sums(folder)
    archive = dist / f"{name}.zip"
    write_zip(folder, archive)
    times["pack"] = round(time.perf_counter() - started, 1)
    report = {
        "target": target.name, "version": version(), "zip": str(archive), "folder": str(folder),
        "zip_bytes": archive.stat().st_size, "folder_bytes": folder_size(folder), "files": files,
        "licence_files": count, "glibc": glibc, "seconds": times, "smoke_seconds": smoked,
        "offline": smoked.get("network") == 0.0,
    }
    (dist / f"{name}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    say(f"{archive}: {report['zip_bytes'] / 1e6:.0f} MB zipped, {report['folder_bytes'] / 1e6:.0f} MB unpacked, "
        f"{files} files; seconds {times}")
    return archive


# ---------------------------------------------------------------------------------------------
# Wheelhouse
# ---------------------------------------------------------------------------------------------

def build_wheelhouse(target: Target, pythons: Sequence[str], dist: Path) -> Path:
    """``dist/conclave-<version>-wheelhouse-<target>/``: per Python minor a folder of wheels (the
    runtime lock's, hash-checked, for the target's platform) and the project's wheel; the install
    script; SHA256SUMS; and the same as a zip."""
    started = time.perf_counter()
    name = f"conclave-{version()}-wheelhouse-{target.name}"
    folder = dist / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    own = folder / "_own"
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--wheel-dir", own, ROOT])
    for python in pythons:
        lock = lock_path("runtime", target, python)
        if not lock.is_file():
            raise SystemExit(f"build: no lock {lock.relative_to(ROOT)} (python packaging/build.py --lock)")
        minor = python.replace(".", "")
        wheels = folder / f"py{minor}"
        run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
             "--require-hashes", "--only-binary", ":all:",
             *(a for tag in target.pip_platforms for a in ("--platform", tag)),
             "--python-version", python, "--implementation", "cp", "--abi", f"cp{minor}",
             "--dest", wheels, "-r", lock])
        for wheel in own.iterdir():
            shutil.copy(wheel, wheels / wheel.name)
        missing = set(pinned(lock)) - {_wheel_project(w) for w in wheels.glob("*.whl")}
        if missing:
            raise SystemExit(f"build: no wheel for {sorted(missing)} (Python {python}, {target.pip_platforms[0]})")
    shutil.rmtree(own)
    script = "install.bat" if target.name == "windows" else "install.sh"
    source = (PACKAGING / "sheets" / script).read_text(encoding="utf-8")
    (folder / script).write_text(source, encoding="utf-8", newline="\r\n" if script.endswith(".bat") else "\n")
    if script == "install.sh":
        os.chmod(folder / script, 0o755)
    files = write_sums(folder)
    archive = dist / f"{name}.zip"
    write_zip(folder, archive, compress=False)      # wheels are zips already
    say(f"{archive}: {archive.stat().st_size / 1e6:.0f} MB, {files} files, Pythons {', '.join(pythons)}; "
        f"{time.perf_counter() - started:.0f} s")
    return folder


def _wheel_project(wheel: Path) -> str:
    return wheel.name.split("-")[0].lower().replace("_", "-")


# ---------------------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="packaging/build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=sorted(TARGETS), default="windows" if sys.platform == "win32" else "linux")
    parser.add_argument("--wheelhouse", action="store_true", help="make the wheelhouse route instead of the bundle")
    parser.add_argument("--pythons", default=",".join(WHEELHOUSE_PYTHONS),
                        help="with --wheelhouse: the Python minors to download wheels for")
    parser.add_argument("--lock", action="store_true", help="resolve packaging/locks/ again with uv, then stop")
    parser.add_argument("--uv", default=shutil.which("uv") or "uv", help="the uv program (for --lock)")
    parser.add_argument("--python", default=sys.executable,
                        help=f"the Python {BUNDLE_PYTHON} that makes the build venv (default: this one)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bundle", help="scratch folder")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the zip goes")
    parser.add_argument("--smoke", default="demo,documents,screenshots",
                        help="smoke steps after the build, comma-separated: demo,documents,screenshots (default: all), "
                             "or none (--version of both programs only)")
    ns = parser.parse_args(argv)
    if ns.lock:
        resolve_locks(ns.uv)
        return 0
    target = TARGETS[ns.target]
    if ns.wheelhouse:
        build_wheelhouse(target, [p.strip() for p in ns.pythons.split(",") if p.strip()], ns.dist.resolve())
        return 0
    steps = [s.strip() for s in ns.smoke.split(",") if s.strip() not in ("", "none")]
    if unknown := set(steps) - {"demo", "documents", "screenshots"}:
        raise SystemExit(f"build: unknown smoke steps {sorted(unknown)}")
    if "documents" in steps and "demo" not in steps:
        raise SystemExit("build: the documents smoke step needs the demo step (its meeting)")
    build_bundle(target, ns.python, ns.work.resolve() / target.name, ns.dist.resolve(), steps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
