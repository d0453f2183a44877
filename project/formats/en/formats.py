"""Dates as the whole site writes them, pages and forms alike: 2009-12-16 (ISO 8601),
the order the date fields take and the API sends. Anything not set here comes from
Django's own English formats."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
