"""Print the JSON API's OpenAPI schema (docs/api/openapi-v1.json is this, committed)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand


def schema_text() -> str:
    from protectdesk.api.endpoints import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI 3.1 schema of the JSON API (/api/v1/)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(schema_text(), ending="")
