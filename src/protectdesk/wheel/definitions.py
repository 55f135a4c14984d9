"""The security wheels as data (``vocabularies/wheels.yaml``): each wheel, its spokes, their
labels in every shipped language.

:func:`load` refuses a file it cannot trust with a ``ValueError`` that names the wheel and the
spoke (a missing or empty label, a repeated code, a wheel with no spokes), so a desk that edits
the file learns at ``protectdesk check`` (``wheel/checks.py``) what to fix, not from a page that
fails later. Codes are stored with every session and score; labels follow the active language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils import translation

from protectdesk.vocabularies import DATA_DIR, LANGUAGES

#: The shipped file (a test points the loader and the system check at another one).
DEFAULT_PATH = DATA_DIR / "wheels.yaml"
#: A stored code: it goes into the database (40 characters) and into URLs.
_CODE = re.compile(r"[a-z0-9_]{1,40}")


def _active(labels: Mapping[str, str]) -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return labels.get(language) or labels["en"]


@dataclass(frozen=True)
class Spoke:
    code: str
    labels: Mapping[str, str]

    @property
    def label(self) -> str:
        return _active(self.labels)


@dataclass(frozen=True)
class Wheel:
    code: str
    labels: Mapping[str, str]
    spokes: tuple[Spoke, ...]

    @property
    def label(self) -> str:
        return _active(self.labels)

    def codes(self) -> tuple[str, ...]:
        return tuple(spoke.code for spoke in self.spokes)

    def spoke(self, code: str) -> Spoke | None:
        return next((spoke for spoke in self.spokes if spoke.code == code), None)


def load(path: Path | None = None) -> dict[str, Wheel]:
    """Every wheel of ``path`` (the shipped file by default), by code, in the file's order."""
    return dict(_read(Path(path or DEFAULT_PATH)))


@cache
def _read(path: Path) -> tuple[tuple[str, Wheel], ...]:
    # Cached per path: the file is read once per process. A refusal is not cached (the
    # exception leaves the cache empty), so a fixed file is read again.
    where = path.name
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, ValueError, RecursionError) as error:
        raise ValueError(f"{where}: cannot be read ({type(error).__name__})") from None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{where}: expected a list of wheels")
    wheels: dict[str, Wheel] = {}
    for number, entry in enumerate(entries, start=1):
        code = _code(entry, f"{where}: wheel {number}")
        name = f"{where}: wheel {code!r}"
        if code in wheels:
            raise ValueError(f"{name} is defined twice (each wheel code once)")
        labels = _labels(entry, name)
        spokes = entry.get("spokes")
        if not isinstance(spokes, list) or not spokes:
            raise ValueError(f"{name} has no spokes (expected a list under 'spokes')")
        seen: dict[str, Spoke] = {}
        for place, item in enumerate(spokes, start=1):
            spoke_code = _code(item, f"{name}, spoke {place}")
            spoke_name = f"{name}, spoke {spoke_code!r}"
            if spoke_code in seen:
                raise ValueError(f"{spoke_name} is listed twice (each spoke code once per wheel)")
            seen[spoke_code] = Spoke(spoke_code, _labels(item, spoke_name))
        wheels[code] = Wheel(code, labels, tuple(seen.values()))
    return tuple(wheels.items())


def _code(entry: Any, name: str) -> str:
    if not isinstance(entry, dict):
        raise ValueError(f"{name}: expected code and labels")
    code = entry.get("code")
    if not isinstance(code, str) or not code.strip():
        raise ValueError(f"{name}: no code")
    if not _CODE.fullmatch(code):
        raise ValueError(f"{name}: code {code!r} is not lower-case letters, digits and _")
    return code


def _labels(entry: dict[str, Any], name: str) -> dict[str, str]:
    labels = {}
    for language in LANGUAGES:
        label = entry.get(language)
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"{name}: no {language!r} label (every language needs one)")
        labels[language] = label.strip()
    return labels


def get(code: str) -> Wheel | None:
    """The shipped wheel ``code``, or None (a wheel since removed from the file)."""
    return load().get(code)


def choices() -> list[tuple[str, str]]:
    return [(wheel.code, wheel.label) for wheel in load().values()]
