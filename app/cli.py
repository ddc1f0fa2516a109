"""The ``conclave`` command line.

Every sub-command lives in its own module and exposes ``run(ns) -> int``; this file
only declares the arguments and imports the module when the command is used, so
``conclave --help`` stays fast and nothing here imports Qt. Bad input never gives
a traceback: :class:`~app.errors.RuleViolation` becomes one line on stderr naming
the rule, with exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from collections.abc import Callable, Sequence

from app import __version__
from app.errors import RuleViolation, file_refusal, one_line

# command -> (module implementing run(ns), one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "recount": ("app.record.recount", "recount a meeting record file (conclave-record/1)"),
    "draw": ("app.record.drawfile", "draw the review panel from an expert pool file (conclave-draw/1)"),
    "demo": ("app.demo", "build the demo meeting and run it through all ten steps"),
    "export-record": ("app.record.export", "write a stored meeting as a conclave-record/1 file"),
    "verify-db": ("app.storage.verify", "check a meeting database against its audit trail (and an archived copy)"),
    "bench": ("app.bench", "benchmark a provincial-size meeting and print the figures (--terminals N: over the LAN)"),
    "terminal": ("ui.terminal_app", "open an expert terminal: pair with the meeting's host on the closed LAN, then "
                                    "the expert signs in, scores, drafts questions and votes"),
    "documents": ("app.commands.documents", "write every document of a stored meeting (PDF and Excel)"),
    "verify": ("app.commands.verify", "check a sealed PDF, or a QR payload read from a paper sheet"),
    "key": ("app.commands.key", "create the committee key of a meeting database, or show it"),
    "calendar": ("app.commands.calendar", "store a year of the working-day calendar in a meeting database, or show "
                                          "a year (years the bundled calendar does not know)"),
    "backup": ("app.commands.backup", "write one encrypted backup of a meeting: database, committee key and archive"),
    "restore": ("app.commands.backup", "restore a meeting from its backup, after checking it (the current files are "
                                       "kept as …before-restore-…)"),
    "gui": ("ui.main", "open the meeting window (the wizard) — --demo for the demo meeting"),
    "screenshots": ("ui.screenshots", "screenshots of every page, dialog and terminal screen of the demo"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="conclave",
        description="Conclave 职称评审会议系统 — professional-title review meeting.",
    )
    parser.add_argument("--version", action="version", version=f"conclave {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p: dict[str, argparse.ArgumentParser] = {
        name: sub.add_parser(name, help=help_, description=help_)
        for name, (_, help_) in COMMANDS.items()
    }

    p["recount"].add_argument("record", metavar="RECORD.json")
    p["recount"].add_argument("--out", required=True, metavar="DIR")
    p["recount"].add_argument(
        "--calendar", metavar="FILE",
        help="working-day calendar for years the bundled calendar does not know (conclave-calendar/1)",
    )

    p["draw"].add_argument("draw", metavar="DRAW.json")
    p["draw"].add_argument("--out", required=True, metavar="DIR")

    for name in ("demo", "export-record", "verify-db", "documents", "verify"):
        p[name].add_argument("--db", metavar="PATH", help="meeting database (default: in the user data folder)")
    calendar_help = ("working-day calendar file (conclave-calendar/1) whose years this run uses — "
                     "`conclave calendar import` stores them")
    for name in ("demo", "documents", "gui"):
        p[name].add_argument("--calendar", metavar="FILE", help=calendar_help)
    p["demo"].add_argument("--vote-date", metavar="YYYY-MM-DD",
                           help="hold the demo meeting (and its vote) on this day; the plan and the draw move with it")
    p["demo"].add_argument("--quiet", action="store_true", help="print only the results")
    p["demo"].add_argument("--force", action="store_true", help="replace an existing demo database")
    p["verify-db"].add_argument("--against", metavar="ARCHIVE",
                                help="an archive folder of the meeting (or its .zip): check its manifest and that "
                                     "its database's audit trail is the start of this one")
    p["export-record"].add_argument("--out", required=True, metavar="FILE")
    p["export-record"].add_argument("--meeting", type=int, metavar="ID", help="meeting id (default: the only one)")

    p["documents"].add_argument("--out", required=True, metavar="DIR")
    p["documents"].add_argument("--meeting", type=int, metavar="ID", help="meeting id (default: the only one)")
    p["documents"].add_argument(
        "--passphrase-file", metavar="FILE",
        help="file holding the committee key passphrase (else $CONCLAVE_PASSPHRASE, else asked)",
    )
    key = p["key"].add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, help_ in (("create", "create the committee key beside the database (once, before the first "
                                     "documents)"),
                          ("status", "show whether the key exists, where, and its root fingerprint"),
                          ("export-root", "write the committee root (PEM) the audit trail vouches for, to hand "
                                          "to the HR department and every verifier")):
        q = key.add_parser(action, help=help_, description=help_)
        q.add_argument("--db", metavar="PATH", help="meeting database (default: in the user data folder)")
        q.add_argument("--meeting", type=int, metavar="ID", help="meeting id (default: the only one)")
        if action == "export-root":
            q.add_argument("--out", required=True, metavar="ROOT.pem")
        if action == "create":
            q.add_argument("--passphrase-file", metavar="FILE",
                           help="file holding the new key's passphrase (else $CONCLAVE_PASSPHRASE, else asked twice)")
    p["verify"].add_argument("pdf", nargs="?", metavar="FILE.pdf")
    p["verify"].add_argument("--qr", metavar="TEXT", help="QR payload read from a printed sheet")
    p["verify"].add_argument("--trust", metavar="ROOT.pem",
                             help="the committee root handed out (conclave key export-root): no database needed")
    p["verify"].add_argument("--fingerprint", metavar="HEX",
                             help="the committee root's SHA-256 as printed on the papers (a sealed PDF only)")

    p["gui"].add_argument("--db", metavar="PATH", help="meeting database (default: in the user data folder)")
    p["gui"].add_argument("--demo", action="store_true", help="build and open the demo meeting")
    p["gui"].add_argument("--demo-until", type=int, default=6, choices=range(0, 11), metavar="STEP",
                          help="with --demo: the last finished step (0–10; 0: set up, step 1 next; "
                               "default 6: the ballot is next)")
    p["gui"].add_argument("--lang", choices=("zh", "en"), default="zh")
    p["gui"].add_argument("--meeting", type=int, metavar="ID")
    cal = p["calendar"].add_subparsers(dest="action", metavar="ACTION", required=True)
    q = cal.add_parser("import", help="store every year of a conclave-calendar/1 file in the meeting database "
                                      "(audited, archived with it)",
                       description="store every year of a conclave-calendar/1 file in the meeting database")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--db", required=True, metavar="PATH", help="meeting database")
    q.add_argument("--by", metavar="NAME", help="who enters it (default: the meeting's secretary)")
    q = cal.add_parser("show", help="print a year's holidays and make-up working days, and where they come from",
                       description="print a year's holidays and make-up working days, and where they come from")
    q.add_argument("year", metavar="YEAR")
    q.add_argument("--db", metavar="PATH", help="meeting database (default: in the user data folder)")
    q.add_argument("--calendar", metavar="FILE", help="a calendar file whose years come first for this run")
    passphrase_help = "file holding the backup's passphrase (else $CONCLAVE_PASSPHRASE, else asked)"
    p["backup"].add_argument("--db", metavar="PATH", help="meeting database (default: in the user data folder)")
    p["backup"].add_argument("--out", required=True, metavar="FILE", help="the backup file (*.conclave-backup)")
    p["backup"].add_argument("--passphrase-file", metavar="FILE", help=passphrase_help)
    p["backup"].add_argument("--force", action="store_true", help="replace an existing backup file")
    p["restore"].add_argument("file", metavar="FILE", help="the backup file (*.conclave-backup)")
    p["restore"].add_argument("--db", metavar="PATH", help="where the meeting database goes (default: in the user "
                                                           "data folder); what is there is kept as "
                                                           "<db>.before-restore-<time>")
    p["restore"].add_argument("--passphrase-file", metavar="FILE", help=passphrase_help)
    p["restore"].add_argument("--force", action="store_true",
                              help="replace the meeting at --db even if it is another meeting (it is kept aside)")
    p["screenshots"].add_argument("--out", required=True, metavar="DIR")
    p["screenshots"].add_argument("--lang", choices=("zh", "en"), default="zh")

    p["bench"].add_argument("--candidates", type=int, default=1500, metavar="N",
                            help="candidates of the bench meeting, at least 5 (default 1500)")
    p["bench"].add_argument("--voters", type=int, default=41, metavar="N",
                            help="its experts: an odd number, at least 25 (default 41)")
    p["bench"].add_argument("--runoffs", type=int, default=3, metavar="N",
                            help="runoff rounds to hold when the ballot needs them, 0 to 3 (default 3)")
    p["bench"].add_argument("--db", metavar="PATH", help="where to store the bench meeting (default: a temporary file)")
    p["bench"].add_argument("--terminals", type=int, metavar="N",
                            help="instead: start a real host and N terminal clients over TLS on loopback (N: the "
                                 "meeting's experts, odd, at least 25), each submitting its ballot, and compare "
                                 "with the same casts in process")
    p["bench"].add_argument("--runs", type=int, metavar="K",
                            help="with --terminals: runs of each side (default 5); the figures are the fastest of each")
    p["terminal"].add_argument("options", nargs="*", metavar="OPTION",
                               help="options of the terminal window, passed on to it as they are")
    return parser


def utf8_output() -> None:
    """Print UTF-8 whatever the console's code page: on Chinese Windows a redirected stdout is
    cp936, which has no 䶮 (王䶮 is a candidate's name in the demo) — printing it would raise
    UnicodeEncodeError. A stream that cannot be reconfigured (a test's capture) is left alone."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8", errors="backslashreplace")


#: Commands that write to a meeting database (and their action, for those that have several): the
#: start-up check (``PRAGMA quick_check`` and the audit chain) runs before them.
WRITING: dict[str, str | None] = {"documents": None, "key": "create", "calendar": "import"}


def startup_check(ns: argparse.Namespace) -> None:
    """Refuse to write to a meeting database that fails the start-up check, naming its latest backup."""
    action = WRITING.get(ns.command, "-")
    if action == "-" or (action is not None and getattr(ns, "action", None) != action):
        return
    from pathlib import Path

    from app.services.backup import unsound
    from app.storage.db import default_db_path

    path = Path(ns.db) if getattr(ns, "db", None) else default_db_path()
    if path.is_file() and path.stat().st_size:
        refusal = unsound(path)
        if refusal is not None:
            raise refusal


def main(argv: Sequence[str] | None = None) -> int:
    try:
        try:
            return _main(argv)
        finally:
            if sys.stdout is not None:  # None in a windowed program
                sys.stdout.flush()      # here, not at exit: a reader that has gone is seen below
    except BrokenPipeError:
        # whoever read the output stopped reading (``conclave documents … | head``): nothing to tell
        # them, and no traceback (Python's own recipe). Output on a terminal cannot be a broken pipe:
        # there, it was another one's (a socket), and it is raised as it was.
        if _output_is_terminal():
            raise
        _discard_output()
        return 1


def _output_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _discard_output() -> None:
    """What is still to be written goes nowhere: Python would otherwise fail again, and say so on
    stderr, as it flushes the output at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass                                   # not a file (a test's StringIO): nothing is flushed at exit


def _main(argv: Sequence[str] | None) -> int:
    utf8_output()
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["terminal"] and not {"-h", "--help"} & set(args[1:]):
        # the terminal window parses its own options (ui.terminal_app.main)
        terminal = importlib.import_module(COMMANDS["terminal"][0])
        return _told("terminal", lambda: int(terminal.main(args[1:])))
    parser = build_parser()
    ns = parser.parse_args(args)
    if ns.command is None:
        parser.print_help()
        return 0
    name = COMMANDS[ns.command][0]
    if ns.command == "bench" and ns.terminals is not None:
        name = "app.lan.bench"                 # the same bench, over TLS on loopback
    module = importlib.import_module(name)

    def run() -> int:
        startup_check(ns)
        return int(module.run(ns))

    return _told(ns.command, run)


def _told(command: str, run: Callable[[], int]) -> int:
    """``run()``'s exit status, a refusal told on one line (exit status 2) instead of a traceback."""
    try:
        return run()
    except RuleViolation as exc:
        print(f"conclave {command}: {one_line(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise                               # the output's reader has gone: main's to tell
        print(f"conclave {command}: {one_line(file_refusal(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"conclave {command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
