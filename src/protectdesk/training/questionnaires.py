"""Pre/post self-assessment questionnaires, defined as data and checked before use.

A questionnaire is a mapping (the shipped ones are YAML files in
``vocabularies/questionnaires/``; a desk's own come in the same shape)::

    code: security_self_assessment          # lower case, digits, underscores
    title: {en: …, es: …, fr: …, pt: …}
    scale: {min: 1, max: 5, low: {en: …, …}, high: {en: …, …}}
    questions:
      - code: analyse_risk
        module: risk_analysis               # a code of vocabularies/curriculum_modules.yaml
        en: …  es: …  fr: …  pt: …

:func:`validate` turns a mapping into a :class:`Questionnaire` or raises
:class:`QuestionnaireError` with every problem found, each naming where it is ("question 3
(assess_threat): no Portuguese text"), so a desk that writes its own is told what to fix, and
a broken shipped file fails the test suite rather than a workshop. Unknown keys are refused:
a typo (``modul:``) must not silently drop a field.
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
from django.utils.translation import gettext as _

from protectdesk import vocabularies

FOLDER = vocabularies.DATA_DIR / "questionnaires"
CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
#: The widest scale a questionnaire may use (1–10 at most: wider is not a self-assessment).
MAX_POINTS = 10
MAX_QUESTIONS = 60


class QuestionnaireError(ValueError):
    """A questionnaire definition that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def localised(labels: Mapping[str, str]) -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return labels.get(language) or labels["en"]


@dataclass(frozen=True)
class Question:
    code: str
    module: str
    labels: Mapping[str, str]

    @property
    def label(self) -> str:
        return localised(self.labels)


@dataclass(frozen=True)
class Questionnaire:
    code: str
    titles: Mapping[str, str]
    low: int
    high: int
    low_labels: Mapping[str, str]
    high_labels: Mapping[str, str]
    questions: tuple[Question, ...]

    @property
    def title(self) -> str:
        return localised(self.titles)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(q.code for q in self.questions)

    def check_answers(self, answers: Mapping[str, int]) -> None:
        """Every answer names a question of this questionnaire and lies on its scale."""
        unknown = sorted(set(answers) - set(self.codes))
        if unknown:
            raise ValueError(f"answers to questions this questionnaire does not ask: {unknown}")
        for code, score in answers.items():
            if isinstance(score, bool) or not isinstance(score, int):
                raise ValueError(f"{code}: a score is a whole number")
            if not self.low <= score <= self.high:
                raise ValueError(f"{code}: a score off the scale {self.low}–{self.high}")


def _labels(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        problems.append(
            _("%(where)s: give the text in %(languages)s")
            % {"where": where, "languages": ", ".join(vocabularies.LANGUAGES)}
        )
        return {}
    labels = {}
    for language in vocabularies.LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(
                _("%(where)s: no text in %(language)s") % {"where": where, "language": language}
            )
        else:
            labels[language] = text.strip()
    extra = sorted(set(value) - set(vocabularies.LANGUAGES))
    if extra:
        problems.append(
            _("%(where)s: unknown languages %(extra)s") % {"where": where, "extra": extra}
        )
    return labels


def _unknown_keys(value: Mapping[str, Any], allowed: set[str], where: str) -> list[str]:
    extra = sorted(set(value) - allowed)
    return (
        [_("%(where)s: unknown keys %(extra)s") % {"where": where, "extra": extra}] if extra else []
    )


def validate(definition: Any) -> Questionnaire:
    """A :class:`Questionnaire` from a mapping, or :class:`QuestionnaireError`."""
    problems: list[str] = []
    if not isinstance(definition, Mapping):
        raise QuestionnaireError(
            [_("a questionnaire is a mapping with code, title, scale, questions")]
        )
    problems += _unknown_keys(
        definition, {"code", "title", "scale", "questions"}, _("questionnaire")
    )
    code = definition.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        problems.append(
            _("code: lower-case letters, digits and underscores, starting with a letter")
        )
        code = ""
    titles = _labels(definition.get("title"), _("title"), problems)

    scale = definition.get("scale")
    low = high = 0
    low_labels: dict[str, str] = {}
    high_labels: dict[str, str] = {}
    if not isinstance(scale, Mapping):
        problems.append(_("scale: give min, max, low and high"))
    else:
        problems += _unknown_keys(scale, {"min", "max", "low", "high"}, _("scale"))
        given_low, given_high = scale.get("min"), scale.get("max")
        if (
            isinstance(given_low, int)
            and isinstance(given_high, int)
            and not isinstance(given_low, bool)
            and not isinstance(given_high, bool)
        ):
            low, high = given_low, given_high
            if not low < high or high - low + 1 > MAX_POINTS or low < 0:
                problems.append(
                    _("scale: from a low to a higher number, at most %(points)d points")
                    % {"points": MAX_POINTS}
                )
        else:
            problems.append(_("scale: min and max are whole numbers"))
        low_labels = _labels(scale.get("low"), _("scale low"), problems)
        high_labels = _labels(scale.get("high"), _("scale high"), problems)

    modules = vocabularies.load("curriculum_modules").codes()
    raw = definition.get("questions")
    questions: list[Question] = []
    if not isinstance(raw, list) or not raw:
        problems.append(_("questions: give at least one question"))
        raw = []
    elif len(raw) > MAX_QUESTIONS:
        problems.append(_("questions: at most %(count)d") % {"count": MAX_QUESTIONS})
    seen: set[str] = set()
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            problems.append(
                _("question %(number)d: a mapping with code, module and the texts")
                % {"number": number}
            )
            continue
        qcode = item.get("code")
        where = (
            _("question %(number)d (%(code)s)") % {"number": number, "code": qcode}
            if isinstance(qcode, str)
            else _("question %(number)d") % {"number": number}
        )
        problems += _unknown_keys(item, {"code", "module", *vocabularies.LANGUAGES}, where)
        if not isinstance(qcode, str) or not CODE.match(qcode):
            problems.append(
                _("%(where)s: the code is lower-case letters, digits and underscores")
                % {"where": where}
            )
            qcode = ""
        elif qcode in seen:
            problems.append(_("%(where)s: the code is used twice") % {"where": where})
        seen.add(qcode)
        module = item.get("module")
        if module not in modules:
            problems.append(
                _("%(where)s: module %(module)r is not a curriculum module")
                % {"where": where, "module": module}
            )
        texts = {k: v for k, v in item.items() if k in vocabularies.LANGUAGES}
        labels = _labels(texts, where, problems)
        questions.append(Question(qcode, str(module), labels))
    if problems:
        raise QuestionnaireError(problems)
    return Questionnaire(
        str(code), titles, int(low), int(high), low_labels, high_labels, tuple(questions)
    )


def load_file(path: Path) -> Questionnaire:
    try:
        definition = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError, RecursionError) as error:  # see forms.QuestionnaireForm
        raise QuestionnaireError([f"{path.name}: not valid YAML ({error})"]) from None
    return validate(definition)


@cache
def shipped() -> dict[str, Questionnaire]:
    """The questionnaires that ship with the product, by code (checked on first use)."""
    found: dict[str, Questionnaire] = {}
    for path in sorted(FOLDER.glob("*.yaml")):
        questionnaire = load_file(path)
        if questionnaire.code in found:
            raise QuestionnaireError([f"{path.name}: code {questionnaire.code} is used twice"])
        found[questionnaire.code] = questionnaire
    return found
