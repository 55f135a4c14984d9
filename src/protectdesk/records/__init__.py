"""The floor under every domain app: encrypted case records and their one write path.

crypto (no Django) → **records** → domain apps (cases, incidents, attachments, search, …) →
views. See ``docs/architecture.md``. Nothing here imports a domain app; domain apps plug in by
registering from their own ``integration.py`` (:mod:`protectdesk.records.registry`).
"""
