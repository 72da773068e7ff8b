"""Interviews: a candidate, a set of questions, limits the server enforces, an invite link.

``models`` holds the table, ``service`` the rules (used by the API and the web app alike),
``views`` the JSON views and their live-status payloads.
"""
