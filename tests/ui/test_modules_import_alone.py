"""Every module of ``app`` and ``ui`` imports on its own, whichever of its cycle is imported first.

An import cycle shows only in some orders: ``ui.dialogs`` once imported ``ui.pages.common``, whose
package imports the ballot page, which imports ``ui.dialogs`` — fine when the window had imported the
pages first, an ``ImportError`` for a test (or a tool) that imported the dialogs first.

Only modules that import one another in a cycle can fail that way. The import graph (grimp's, as
import-linter reads it; importing ``a.b.c`` also runs ``a`` and ``a.b``) gives the cycles — its
strongly connected components. One fresh interpreter imports every module of a cycle after
forgetting every module of that cycle (what the cycle imports stays loaded: it is imported the same
way in any order), and prints the ones that failed.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import importlib, sys, traceback
import grimp
graph = grimp.build_graph("app", "ui", cache_dir=None)
def parents(m):
    parts = m.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}
edges = {m: set() for m in graph.modules}
for m in graph.modules:
    for d in graph.find_modules_directly_imported_by(m) | {m}:
        edges[m] |= ({d} | parents(d)) - {m}
index, low, stack, on, cycles = {}, {}, [], set(), []
def visit(v):                                    # Tarjan's strongly connected components
    index[v] = low[v] = len(index); stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        component = set()
        while True:
            w = stack.pop(); on.discard(w); component.add(w)
            if w == v:
                break
        if len(component) > 1:
            cycles.append(sorted(component))
sys.setrecursionlimit(10000)
for m in sorted(edges):
    if m not in index:
        visit(m)
print(len(edges), sum(map(len, cycles)))
for cycle in cycles:
    for name in cycle:
        if name.endswith("__main__"):
            continue
        for loaded in cycle:
            sys.modules.pop(loaded, None)
        try:
            importlib.import_module(name)
        except Exception:
            print(name, traceback.format_exc(limit=-3).replace(chr(10), " | "))
"""


def test_every_module_imports_first_of_its_cycle() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    counts, *failed = [line for line in done.stdout.splitlines() if line.strip()]
    modules, in_cycles = map(int, counts.split())
    assert modules > 150 and in_cycles > 50         # the graph and its cycles were found
    assert failed == [], "\n".join(failed)
