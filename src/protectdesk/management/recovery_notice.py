"""Printing the recovery phrase once, with the warning that must come with it."""

from __future__ import annotations

from typing import Protocol


class _Writer(Protocol):
    def write(self, text: str) -> object: ...


WARNING = """\
=====================================================================
 DESK RECOVERY PHRASE - shown once, never stored on this server
=====================================================================
 {phrase}
---------------------------------------------------------------------
 Print or write this down now and keep it in a safe place away from
 the server (a sealed envelope in a locked drawer, with a second copy
 elsewhere). With it a coordinator can restore the access of someone
 who lost their password. Without it and without their password,
 that person's cases cannot be opened again: the data is gone.
 Anyone holding this phrase and a copy of the database can read every
 case: guard it like the cases themselves.
=====================================================================
"""


def print_recovery_phrase(out: _Writer, phrase: str) -> None:
    out.write(WARNING.format(phrase=phrase))
