"""The shape of the demo's text templates, one module per language (``demo_texts_es`` …).

:mod:`protectdesk.demo_generated` tells each generated incident with one :class:`Variant` of
its type, in the language of the defender's country, filling the slots below with what the
case data (``demo_people_*``) says about the defender. Everything is fictional.

Slots, written ``{name}`` (``{Name}`` for the same value capitalised, at a sentence start):

* ``subject``: who was targeted, as the narrative names them ("Yolanda", "una integrante
  del consejo"); templates never make a word agree with it in gender;
* ``group``: their organisation or community, with its article ("el consejo comunitario");
* ``place``: a place of the case, of the kind the variant names (``where``);
* ``who``: unnamed people, always plural ("dos hombres en moto");
* ``time``: when in the day ("de madrugada").

Articles meeting prepositions are contracted afterwards (:data:`CONTRACTIONS`: "de el" →
"del", "em a" → "na", "à le" → "au"), so templates can put ``de {place}`` before any place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: Where a variant happens: the kind of place the case data offers for it.
WHERE = ("office", "public", "road", "home")


@dataclass(frozen=True)
class Variant:
    """One way of telling an incident of a type."""

    nature: str  # physical | digital | both
    title: str
    narrative: str
    where: str = "public"  # one of WHERE
    only: tuple[str, ...] = ()  # the foci it fits (demo_generated.MIXES); () for any


@dataclass(frozen=True)
class PlanTemplate:
    """A first protection plan: one threat scenario with its components, the plan's
    objectives and measures, and which shipped protocols and contingency plans to start from."""

    scenario: str
    threat: int
    likelihood: int
    impact: int
    components: tuple[tuple[str, str, int, str], ...]  # (code, kind, rating, note)
    objectives: tuple[str, str, str]  # threats to reduce, vulnerabilities, capacities
    measures: tuple[tuple[str, str, str], ...]  # (description, strategy, owner)
    protocols: tuple[str, ...] = ()
    contingencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Texts:
    """Everything the generator writes in one language."""

    variants: Mapping[str, tuple[Variant, ...]]  # incident type → ways of telling it
    who: tuple[str, ...]
    times: tuple[tuple[str, int, int], ...]  # (phrase, first hour, last hour) for exact_time
    consequences: Mapping[str, tuple[str, ...]]  # "physical" | "digital" → sentences
    reactions: Mapping[str, tuple[str, ...]]  # "physical" | "digital" → sentences
    analyses: tuple[str, ...]  # staff-only reasoning
    authority: Mapping[str, tuple[str, ...]]  # authority response code → details
    sources: tuple[str, ...]  # descriptions of where the information came from
    plans: tuple[PlanTemplate, ...]
    contact: str  # the desk's line in contingency plans
    decider: str  # who decides what risk is acceptable
    statement: str  # an attached statement: slots {title}, {day}, {narrative}
    screenshot: tuple[str, ...]  # lines of a drawn screenshot of an online threat


V, C = "vulnerability", "capacity"

CONTRACTIONS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "es": ((r"\bde el\b", "del"), (r"\ba el\b", "al"), (r"\bDe el\b", "Del"), (r"\bA el\b", "Al")),
    "pt": (
        (r"\bde o\b", "do"),
        (r"\bde a\b", "da"),
        (r"\bde os\b", "dos"),
        (r"\bde as\b", "das"),
        (r"\bem o\b", "no"),
        (r"\bem a\b", "na"),
        (r"\bem os\b", "nos"),
        (r"\bem as\b", "nas"),
        (r"\ba o\b", "ao"),
        (r"\ba a\b", "à"),
        (r"\bpor o\b", "pelo"),
        (r"\bpor a\b", "pela"),
    ),
    "fr": (
        (r"\bde le\b", "du"),
        (r"\bde les\b", "des"),
        (r"\bà le\b", "au"),
        (r"\bà les\b", "aux"),
        (r"\bDe le\b", "Du"),
        (r"\bÀ le\b", "Au"),
        (r"\bde (?=[aeiouyéèêâîôûAEIOUYÉÈÊ])", "d'"),  # de Espérance → d'Espérance
        (r"\bque (?=[aeiouyéèêâîôûAEIOUYÉÈÊ])", "qu'"),
    ),
    "en": (),
}


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def fill(language: str, template: str, slots: Mapping[str, str]) -> str:
    """``template`` with its slots filled, articles contracted as ``language`` wants."""
    values = dict(slots)
    values.update({capitalised(name): capitalised(value) for name, value in slots.items()})
    text = template.format(**values)
    for pattern, contracted in CONTRACTIONS[language]:
        text = re.sub(pattern, contracted, text)
    return text
