"""The packages' layers (docs/architecture.md): which package may import which.

    engine  ←  playground  ←  teach  ←  app_pages/, app.py
       ↖──────────────────  ui  ←──────┘

``engine`` is the numerical library (NumPy and Numba); ``playground`` is the Playground's core
without Streamlit or Plotly (settings, the training run, figure builders, pacing, palette);
``teach`` builds the lessons' runs and figures; ``ui`` holds the widgets, session state and the
live component. Checked on the source (every import statement, also inside functions) and by
importing the core in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# package: the project packages and third-party modules it must never import
FORBIDDEN = {
    "engine": {"playground", "teach", "ui", "streamlit", "plotly", "pandas", "PIL"},
    "playground": {"teach", "ui", "streamlit", "plotly"},
    "teach": {"ui", "streamlit"},
    "ui": {"teach"},
}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports (absolute; relative ones are its own)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_package_imports_only_the_layers_below_it(package):
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in sorted(imported_modules(path) & FORBIDDEN[package])
    ]
    assert not offences, f"{package} must not import {sorted(FORBIDDEN[package])}: {offences}"


def test_the_checker_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from streamlit import x\n    import plotly.io\n")
    assert imported_modules(module) == {"streamlit", "plotly"}


def test_importing_the_whole_core_loads_neither_streamlit_nor_plotly():
    modules = sorted(f"playground.{p.stem}" for p in (ROOT / "playground").glob("[!_]*.py"))
    code = (
        f"import sys, importlib\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
        "print(sorted(m for m in ('streamlit', 'plotly') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
    assert len(modules) >= 8  # settings, run, figures, frames, pacing, palette, points, quote…
