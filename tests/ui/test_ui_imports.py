"""The interface talks to the services only: no module of ui/ imports the documents, sealing or
storage packages, or cryptography — writing, sealing and checking documents, and the committee
key, are ``app.services`` calls (``Conclave.documents``). An import-linter contract will say the
same; until then this test reads every import statement of ui/."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
FORBIDDEN = ("app.documents", "app.sealing", "app.storage", "cryptography")


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every module ``path`` imports (``import x.y``, ``from x.y import z`` and ``from x import y``
    as ``x.y``), at any depth — inside functions and ``TYPE_CHECKING`` blocks too."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN)


def test_no_ui_module_imports_documents_sealing_storage_or_cryptography() -> None:
    files = sorted(UI.rglob("*.py"))
    assert len(files) > 30, "the scan found almost no modules: is it still reading ui/?"
    bad = [f"{path.relative_to(UI)}:{line} imports {module}"
           for path in files for module, line in _imports(path) if _forbidden(module)]
    assert not bad, "\n".join(bad)


def test_the_check_sees_each_kind_of_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import cryptography.x509\nfrom app import sealing\n"
                      "def f():\n    from app.commands.documents import run\n"
                      "from app.services import documents\n", "utf-8")
    assert [m for m, _ in _imports(sample) if _forbidden(m)] == [
        "cryptography.x509", "app.sealing", "app.commands.documents", "app.commands.documents.run"]
