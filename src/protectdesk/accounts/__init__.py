"""Accounts: desks, users and roles, invitations, two-factor authentication, sessions, keys."""
