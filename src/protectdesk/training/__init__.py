"""Capacity building (methodology.md §8): questionnaires and their scoring so far; workshops,
participants and coaching come next (issue 16)."""
