#!/usr/bin/env bash
# Collect every wheel Conclave needs into packaging/wheelhouse, on a machine with access
# to the package index, so that the meeting laptop installs with no network at all:
#   pip install --no-index --find-links packaging/wheelhouse conclave
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip wheel --wheel-dir packaging/wheelhouse .
echo "wheelhouse: $(ls packaging/wheelhouse | wc -l) wheels in packaging/wheelhouse"
