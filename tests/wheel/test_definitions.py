"""The wheels are data (vocabularies/wheels.yaml): the shipped file loads, a broken one is
refused with a message naming the wheel and the spoke, and `protectdesk check` reports it."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from protectdesk.vocabularies import LANGUAGES
from protectdesk.wheel import checks, definitions

GOOD = """
- code: travel
  en: Travel
  es: Viajes
  fr: Déplacements
  pt: Viagens
  spokes:
    - code: routes
      en: Routes
      es: Rutas
      fr: Itinéraires
      pt: Rotas
    - code: contacts
      en: Contacts on the way
      es: Contactos en el camino
      fr: Contacts en route
      pt: Contatos no caminho
"""

MISSING_FRENCH = GOOD.replace("      fr: Contacts en route\n", "")
DUPLICATE_SPOKE = GOOD.replace("- code: contacts", "- code: routes")
DUPLICATE_WHEEL = GOOD + GOOD


def _file(tmp_path, text):
    path = tmp_path / "wheels.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_wheels_load_with_the_eight_spokes_of_the_methodology():
    wheels = definitions.load()
    assert list(wheels) == ["organisational", "digital", "psychosocial"]
    assert wheels["organisational"].codes() == (
        "experience",
        "training",
        "awareness",
        "planning",
        "responsibilities",
        "rules",
        "incident_response",
        "evaluation",
    )
    for code in ("digital", "psychosocial"):
        assert 5 <= len(wheels[code].spokes) <= 6, code


def test_labels_follow_the_active_language():
    wheel = definitions.load()["organisational"]
    with translation.override("fr"):
        assert wheel.label == "Sécurité de l'organisation"
        assert wheel.spoke("incident_response").label == "Réaction aux incidents de sécurité"
    with translation.override("es"):
        assert wheel.spoke("planning").label == "Planificación"
    with translation.override("en"):
        assert wheel.spoke("rules").label == "Ownership of and compliance with rules"


def test_every_shipped_label_is_filled_and_french_uses_a_no_break_space():
    for wheel in definitions.load().values():
        for item in (wheel, *wheel.spokes):
            assert all(item.labels[language] for language in LANGUAGES), item.code
            # docs/translation-glossary.md: U+00A0 before : ; ? ! in French, never a space.
            assert not re.search(r"[ \u202f][:;?!]", item.labels["fr"]), item.labels["fr"]


def test_a_good_file_of_its_own_loads(tmp_path):
    wheels = definitions.load(_file(tmp_path, GOOD))
    assert list(wheels) == ["travel"]
    assert wheels["travel"].codes() == ("routes", "contacts")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (MISSING_FRENCH, "wheels.yaml: wheel 'travel', spoke 'contacts': no 'fr' label"),
        (DUPLICATE_SPOKE, "wheels.yaml: wheel 'travel', spoke 'routes' is listed twice"),
        (DUPLICATE_WHEEL, "wheels.yaml: wheel 'travel' is defined twice"),
        (GOOD.replace("  pt: Viagens\n", ""), "wheels.yaml: wheel 'travel': no 'pt' label"),
        (GOOD.split("  spokes:")[0], "wheels.yaml: wheel 'travel' has no spokes"),
        (
            GOOD.replace("code: routes", "code: Routes!"),
            "wheel 'travel', spoke 1: code 'Routes!' is not",
        ),
    ],
)
def test_a_broken_file_is_refused_naming_the_wheel_and_the_spoke(tmp_path, text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        definitions.load(_file(tmp_path, text))


def test_the_system_check_reports_a_broken_file_with_the_loaders_message(tmp_path):
    bad = _file(tmp_path, MISSING_FRENCH)
    errors = checks.wheel_definitions(path=bad)
    assert [e.id for e in errors] == ["protectdesk.E130"]
    assert "wheel 'travel', spoke 'contacts': no 'fr' label" in errors[0].msg
    assert checks.wheel_definitions() == []  # the shipped file


def test_protectdesk_check_fails_on_a_broken_shipped_file(tmp_path, monkeypatch):
    monkeypatch.setattr(definitions, "DEFAULT_PATH", _file(tmp_path, DUPLICATE_SPOKE))
    with pytest.raises(SystemCheckError, match=re.escape("spoke 'routes' is listed twice")):
        call_command("check")
