#!/bin/sh
# Conclave 离线安装（wheelhouse）/ offline install from this wheelhouse, no network used.
#   sh install.sh [VENV]          默认 / default: ~/conclave-venv
#   PYTHON=python3.12 sh install.sh
# 需要 Python 3.11–3.13 及其 venv 模块（Debian/Ubuntu: apt install python3-venv）。
# The window also needs the system's X/GL libraries (see README.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-python3}
venv=${1:-$HOME/conclave-venv}
minor=$("$py" -c 'import sys; print("py%d%d" % sys.version_info[:2])')
if [ ! -d "$here/$minor" ]; then
    echo "此离线包没有 $minor 的安装文件 / no wheels for $minor here (have: $(cd "$here" && ls -d py* | tr '\n' ' '))" >&2
    exit 1
fi
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install --no-index --find-links "$here/$minor" conclave
echo "安装完成 / installed: $venv/bin/conclave gui   (演示 / demo: $venv/bin/conclave gui --demo)"
