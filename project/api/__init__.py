"""What the whole REST API shares, whichever app's records it serves.

Settings point here (`REST_FRAMEWORK`): the permission every endpoint checks
(permissions.py), the JSON parser with its nesting limit (parsers.py), the
exception handler that keeps every error JSON and 4xx (errors.py), the page
size rules (pagination.py), the `sort` parameter of every list (filters.py)
and the schema class that documents the error answers (schema.py). views.py
holds the base class of every API view and the JSON 404 for paths the API
does not have; urls.py puts the apps' endpoints under /api/.
"""
