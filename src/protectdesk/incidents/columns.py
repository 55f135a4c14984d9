"""The interchange format of incidents: one row per incident, with the defender it concerns.

One declaration shared by the exports (CSV, XLSX, JSON) and the import, so an exported file
imports again as it is, and the published JSON Schema (``exports/schema.py``) is built from it.

* ``statistical`` columns are the clear fields of the models: codes of the shipped
  vocabularies (HURIDOCS codes beside them where a vocabulary has one), ISO country and
  subdivision codes, years and months. They are exported by default.
* ``identifying`` columns hold what is encrypted in the database. They are exported only when a
  member of the case asks for them and confirms it; an import seals them under the case's
  shared key, like the incident form does.
* ``multiple`` columns hold several codes separated by ``;`` (``threat;surveillance``).

Column names are stable English identifiers (never translated: a file moves between desks);
their ``label`` is what a person reads on the mapping screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STATISTICAL = "statistical"
IDENTIFYING = "identifying"

#: Separator of several codes in one cell.
SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    label: Promise
    kind: str  # STATISTICAL or IDENTIFYING
    vocabulary: str = ""  # the vocabulary (vocabularies/*.yaml) its codes come from
    choices: str = ""  # or the model choices it comes from ("DefenderKind", "Nature", ...)
    multiple: bool = False
    required: bool = False  # an import refuses a row without it
    huridocs: bool = False  # the export adds "<name>_huridocs" with the HURIDOCS codes


#: The defender an incident concerns (one case per defender).
DEFENDER_COLUMNS: tuple[Column, ...] = (
    Column("case_reference", _("case reference"), STATISTICAL),
    Column(
        "defender_kind", _("kind of defender"), STATISTICAL, choices="DefenderKind", required=True
    ),
    Column("defender_country", _("country of the defender"), STATISTICAL, required=True),
    Column(
        "defender_sectors",
        _("sectors of the defender"),
        STATISTICAL,
        vocabulary="sectors",
        multiple=True,
    ),
    Column("defender_gender", _("gender"), STATISTICAL, choices="Gender"),
    Column("defender_age_band", _("age"), STATISTICAL, choices="AgeBand"),
    Column("defender_name", _("name of the defender"), IDENTIFYING, required=True),
)

#: The incident itself.
INCIDENT_COLUMNS: tuple[Column, ...] = (
    Column("year", _("year"), STATISTICAL, required=True),
    Column("month", _("month (YYYY-MM)"), STATISTICAL),
    Column("date_precision", _("date precision"), STATISTICAL, choices="DatePrecision"),
    Column("country", _("country"), STATISTICAL, required=True),
    Column("subdivision", _("region"), STATISTICAL),
    Column(
        "types",
        _("types"),
        STATISTICAL,
        vocabulary="incident_types",
        multiple=True,
        required=True,
        huridocs=True,
    ),
    Column("nature", _("physical or digital"), STATISTICAL, choices="Nature", required=True),
    Column("severity", _("severity (1 to 5)"), STATISTICAL),
    Column("affected", _("who was affected"), STATISTICAL, vocabulary="affected", multiple=True),
    Column(
        "authority_response",
        _("reported to the authorities"),
        STATISTICAL,
        vocabulary="authority_responses",
    ),
    Column("step", _("handling"), STATISTICAL, choices="Step"),
    Column("exact_date", _("exact date (YYYY-MM-DD)"), IDENTIFYING),
    Column("title", _("title"), IDENTIFYING, required=True),
    Column("narrative", _("what happened"), IDENTIFYING, required=True),
    Column("place", _("exact place"), IDENTIFYING),
    Column("consequences", _("harm and consequences"), IDENTIFYING),
    Column("authority_details", _("response of the authorities"), IDENTIFYING),
    Column("reaction", _("immediate reaction"), IDENTIFYING),
)

COLUMNS: tuple[Column, ...] = DEFENDER_COLUMNS + INCIDENT_COLUMNS
BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}


def statistical_columns() -> tuple[Column, ...]:
    return tuple(column for column in COLUMNS if column.kind == STATISTICAL)
