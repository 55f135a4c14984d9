"""Translation catalogues are current, complete and compiled (es, fr, pt ship with en)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "protectdesk"
LOCALE = PACKAGE / "locale"
TRANSLATED = ["es", "fr", "pt"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{\{[^}]*\}\}|</?[a-z]+>")


def _key(entry: polib.POEntry) -> tuple[str | None, str, str | None]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


@pytest.fixture(scope="module")
def fresh_msgids(tmp_path_factory) -> set:
    """What makemessages would extract from the source now (run on a copy, never in place)."""
    copy = tmp_path_factory.mktemp("catalogue") / "protectdesk"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (copy / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "--no-location",
            "--no-obsolete",
            "-l",
            "en",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin"},
    )
    catalogue = polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
    return {_key(e) for e in catalogue if not e.obsolete}


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_catalogue_is_current(language, fresh_msgids):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    committed = {_key(e) for e in catalogue if not e.obsolete}
    missing, stale = fresh_msgids - committed, committed - fresh_msgids
    assert not missing and not stale, (
        f"{language}: catalogue out of date, run `make messages` "
        f"(missing {sorted(m[1] for m in missing)[:5]}, stale {sorted(s[1] for s in stale)[:5]})"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert not catalogue.fuzzy_entries(), [e.msgid for e in catalogue.fuzzy_entries()][:5]
    assert not catalogue.untranslated_entries(), [
        e.msgid for e in catalogue.untranslated_entries()
    ][:5]
    for entry in catalogue:
        if entry.msgid_plural:
            # A plural form may leave out the count ("one file"), never add a placeholder.
            allowed = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
            for translation in entry.msgstr_plural.values():
                assert _placeholders(translation) <= allowed, f"{language}: {entry.msgid!r}"
        else:
            assert _placeholders(entry.msgstr) == _placeholders(entry.msgid), (
                f"{language}: {entry.msgid!r}"
            )


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_matches_its_source(language):
    directory = LOCALE / language / "LC_MESSAGES"
    compiled = polib.mofile(str(directory / "django.mo"))
    source = polib.pofile(str(directory / "django.po"))
    as_compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in compiled if e.msgid
    }
    as_source = {
        (e.msgctxt, e.msgid): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
        for e in source.translated_entries()
    }
    normalised = {k: (s, {int(i): v for i, v in p.items()}) for k, (s, p) in as_compiled.items()}
    assert normalised == as_source, f"{language}: django.mo is stale, run `make messages`"
