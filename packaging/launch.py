"""Entry point of both bundled programs, which share one folder.

``conclave`` (windowed on Windows: no console opens) starts on the meeting window when given
no arguments; ``conclave-cli`` is the console program, the command line of ``conclave`` as
installed by pip (``conclave-cli demo``, ``documents``, ``verify`` …; no arguments: the help).
"""

import sys
from pathlib import Path

from app.cli import main

if __name__ == "__main__":
    console = Path(sys.executable).stem.lower().endswith("-cli")
    sys.exit(main(sys.argv[1:] if console or sys.argv[1:] else ["gui"]))
