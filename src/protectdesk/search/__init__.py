"""Encrypted search: a per-case blind index of the words of searchable fields."""
