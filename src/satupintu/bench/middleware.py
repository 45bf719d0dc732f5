"""Counts the database queries of each request and says so in an ``X-Queries`` header.

Installed only while a benchmark runs (``SATUPINTU_BENCH_QUERIES=1``): the load generator
reads the header to report queries per request.
"""

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counting):
            response = self.get_response(request)
        response["X-Queries"] = str(count)
        return response
