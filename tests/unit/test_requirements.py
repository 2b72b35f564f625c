"""The two requirement files: the runtime set is complete without the development set.

README command 1 installs only requirements.txt, so every package the app imports, and every
package those need, must be pinned there; requirements-dev.txt adds the tools on top.
"""

from __future__ import annotations

import pathlib
import re
from importlib import metadata

from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parents[2]
# What the app's own code imports (app.py, app_pages/, ui/, engine/, teach/, server.py).
APP_IMPORTS = ("streamlit", "numba", "numpy", "plotly", "pandas", "pillow", "starlette")
DEV_TOOLS = ("pytest", "hypothesis", "playwright", "ruff", "pre-commit")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(filename: str) -> dict[str, str]:
    """{package: version} of one file's ``name==version`` lines (not the ``-r`` it includes)."""
    found = {}
    for line in (ROOT / filename).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-r"):
            name, sep, version = line.partition("==")
            assert sep, f"{filename}: {line!r} is not pinned with =="
            found[canonical(name)] = version
    return found


def dependencies(names) -> set[str]:
    """``names`` and everything they need, from the installed packages' metadata."""
    seen: set[str] = set()
    todo = [canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonical(requirement.name))
    return seen


def test_the_runtime_set_holds_the_app_and_all_it_needs_and_no_dev_tool():
    runtime = pins("requirements.txt")
    missing = dependencies(APP_IMPORTS) - set(runtime)
    assert not missing, f"needed to run the app but not in requirements.txt: {sorted(missing)}"
    assert not set(map(canonical, DEV_TOOLS)) & set(runtime)


def test_the_dev_set_includes_the_runtime_set_and_pins_each_package_once():
    text = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert "-r requirements.txt" in text.splitlines()
    dev = pins("requirements-dev.txt")
    assert not set(dev) & set(pins("requirements.txt"))
    assert set(map(canonical, DEV_TOOLS)) <= set(dev)
