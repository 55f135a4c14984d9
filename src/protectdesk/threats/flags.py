"""Each stored escalation flag, said in one sentence in the reader's language.

A member of the case reads the flag with the incidents behind it named (their titles, opened
with the member's keys) and the actor named; the coordinator's desk-wide view passes no keys
and reads the same sentence without any name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from protectdesk.threats import escalation


@dataclass(frozen=True)
class Explained:
    code: str
    sentence: str
    incidents: list[str]  # ids, oldest first
    note: str = ""  # what the flag left out (incidents known only by year)


def _unplaced(flag: dict[str, Any]) -> str:
    count = int(flag.get("unplaced") or 0)
    if not count:
        return ""
    return ngettext(
        "%(count)s incident known only by its year is not counted.",
        "%(count)s incidents known only by their year are not counted.",
        count,
    ) % {"count": count}


def explain(flag: dict[str, Any], actor_names: dict[str, str] | None = None) -> Explained:
    """The sentence for one stored flag; ``actor_names`` (id → name) only for members."""
    code = str(flag.get("code"))
    incidents = [str(i) for i in flag.get("incidents", [])]
    if code == escalation.MORE_OFTEN:
        sentence = ngettext(
            "More frequent: %(recent)s incidents in the last %(days)s days, against "
            "%(before)s in the %(days)s days before.",
            "More frequent: %(recent)s incidents in the last %(days)s days, against "
            "%(before)s in the %(days)s days before.",
            int(flag["recent"]),
        ) % {"recent": flag["recent"], "days": flag["days"], "before": flag["before"]}
        return Explained(code, sentence, incidents, _unplaced(flag))
    if code == escalation.SEVERITY_RISING:
        levels = [str(level) for level in flag.get("severities", [])]
        sentence = _(
            "More severe: the last three incidents, oldest first, were rated %(levels)s of 5."
        ) % {"levels": ", ".join(levels)}
        return Explained(code, sentence, incidents, _unplaced(flag))
    if code == escalation.REPEATED_PERPETRATOR:
        name = (actor_names or {}).get(str(flag.get("actor")))
        if name:
            sentence = _("The same actor, %(name)s, is named in %(count)s incidents.") % {
                "name": name,
                "count": flag["count"],
            }
        else:
            sentence = _("The same actor is named in %(count)s incidents.") % {
                "count": flag["count"]
            }
        return Explained(code, sentence, incidents)
    if code == escalation.THREAT_THEN_PHYSICAL:
        sentence = _("From words to acts: a declared threat was followed by a physical incident.")
        return Explained(code, sentence, incidents)
    if code == escalation.LIKELY_THREAT:
        sentence = _(
            "A threat assessment concludes the threat is likely to be carried out "
            "(%(likelihood)s of 5)."
        ) % {"likelihood": flag.get("likelihood")}
        return Explained(code, sentence, incidents)
    return Explained(
        code, _("An escalation flag of an unknown kind (%(code)s).") % {"code": code}, incidents
    )
