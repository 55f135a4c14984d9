"""Encrypted backups that restore byte-for-byte (security.md "Backups").

A backup is one archive: a consistent database dump, the encrypted files and the server
secret, in a tar stream encrypted under a random key sealed to every desk's recovery key
(:mod:`protectdesk.crypto.archive`). Writing one needs no secret; opening one needs a recovery
phrase. Restore verifies the whole archive before touching anything and commits with one atomic
rename, so an interrupted restore leaves the target untouched or complete.
"""
