"""A plain-text progress bar on stderr (redrawn in place on a terminal, occasional lines otherwise)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int, out: TextIO | None = None) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.out = out or sys.stderr
        self._tty = self.out.isatty()
        self._last = 0.0
        self._last_percent = -1

    def advance(self, amount: int) -> None:
        self.done += amount
        percent = min(100, self.done * 100 // self.total)
        now = time.monotonic()
        if self._tty and (now - self._last > 0.1 or percent == 100):
            filled = percent // 4
            self.out.write(
                f"\r{self.label}: [{'#' * filled}{'-' * (25 - filled)}] {percent:3d}%  {self.done / 1e6:.1f} of {self.total / 1e6:.1f} MB"
            )
            self.out.flush()
            self._last = now
        elif not self._tty and percent // 25 > self._last_percent // 25:
            self.out.write(f"{self.label}: {percent}%\n")
            self._last_percent = percent

    def finish(self) -> None:
        if self._tty:
            self.out.write("\n")
        self.out.flush()
