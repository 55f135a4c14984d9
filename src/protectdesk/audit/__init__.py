"""The tamper-evident audit log: a keyed hash chain of who did what to which record, and when."""
