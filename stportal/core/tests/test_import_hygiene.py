"""Issue 9: no app imports another app's private names (a leading underscore), so that what
one app offers the others is its public functions (`registrations.services.lock_week`)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _private_imports_across_apps() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or len(parts) < 2:
            continue
        app = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            module = node.module.split(".")
            if module[0] != "stportal" or len(module) < 2 or module[1] == app:
                continue
            for alias in node.names:
                if alias.name.startswith("_") or any(p.startswith("_") for p in module[2:]):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.append(f"{where} {node.module}.{alias.name}")
    return found


def test_no_app_imports_another_apps_private_names():
    assert _private_imports_across_apps() == []
