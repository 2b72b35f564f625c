"""Name → value registries whose unknown keys fail early and list the valid ones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")


def lookup(registry: Mapping[str, T], name: str, what: str) -> T:
    """Return ``registry[name]`` or raise a ``ValueError`` naming every valid key.

    >>> lookup({"a": 1}, "a", "thing")
    1
    """
    if isinstance(name, str) and name in registry:
        return registry[name]
    raise ValueError(f"Unknown {what} {name!r}; valid choices are: {', '.join(registry)}.")


def check_choice(name: str, choices: Iterable[str], what: str) -> str:
    """Return ``name`` if it is one of ``choices``, else raise a ``ValueError`` listing them."""
    choices = tuple(choices)
    if isinstance(name, str) and name in choices:
        return name
    raise ValueError(f"Unknown {what} {name!r}; valid choices are: {', '.join(choices)}.")
