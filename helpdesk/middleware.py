"""Project middleware (the apps' own live in the apps: schools.middleware, surveys.middleware).

QueryCountHeaderMiddleware: an optional response header with the number of SQL
queries a request made. Switched on by the QUERY_COUNT_HEADER setting (the benchmark
does), so the benchmark can report queries per request from outside the server process.
"""

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


class QueryCountHeaderMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
