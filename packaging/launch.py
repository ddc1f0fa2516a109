"""Entry point of the bundled program: the meeting window (``conclave gui``)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["gui"]))
