"""Attachments: evidence files of case records, encrypted before they ever reach the disk."""
