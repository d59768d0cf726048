"""Plain-Python twins of the ``bench/fixtures`` programs of ``stdlib_paths.py``.

Each twin does the same work the way a Python programmer would write it and
returns the text the Harn program prints, so the suite can check both agree.
"""

from __future__ import annotations

import re


def dict_merge_loop() -> str:
    result: dict[str, int] = {}
    for i in range(2000):
        k = "key" + str(i % 250)
        merged = result.copy()
        merged.update({k: i})
        result = merged
    return f"{len(result)}\n"


def _filter_nil(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != "" and v != "null"}


def _merge(a: dict, b: dict) -> dict:
    out = a.copy()
    out.update(b)
    return out


def _pick_keys(d: dict, keys: list) -> dict:
    return {k: d[k] for k in keys if k in d}


def filter_nil_loop() -> str:
    config = {"model": "m1", "temperature": None, "max_tokens": 256, "stop": "", "tag": "null",
              "top_p": 0.9}
    overlay = {"temperature": 0.2, "stop": None, "user": "u1", "seed": None}
    wanted = ["model", "temperature", "max_tokens", "user"]
    total = 0
    for _ in range(4000):
        clean = _filter_nil(_merge(config, overlay))
        view = _pick_keys(clean, wanted)
        total = total + len(view)
    return f"{total}\n"


LINES = [
    "ERROR 2024-01-01T10:00:00 disk full code=17",
    "INFO 2024-01-01T10:00:01 started worker 3",
    "WARN 2024-01-01T10:00:02 slow response code=504",
    "INFO 2024-01-01T10:00:03 request ok",
    "ERROR 2024-01-01T10:00:04 timeout code=408",
    "DEBUG 2024-01-01T10:00:05 cache hit",
    "INFO 2024-01-01T10:00:06 request ok",
    "WARN 2024-01-01T10:00:07 retrying code=429",
    "INFO 2024-01-01T10:00:08 shutting down",
    "ERROR 2024-01-01T10:00:09 crash code=500",
]


def regex_scan_loop() -> str:
    errors = warnings = codes = 0
    for _ in range(4000):
        for line in LINES:
            if "ERROR" in line:
                errors += 1
            if "WARN" in line:
                warnings += 1
            found = [m.group() for m in re.finditer(r"code=(\d+)", line)]
            if found:
                codes += len(found)
    return f"{errors} {warnings} {codes}\n"


def list_map_filter() -> str:
    xs = list(range(1000))
    total = 0
    for _ in range(200):
        ys = list(map(lambda x: x * 2, filter(lambda x: x % 3 == 0, xs)))
        total = total + len(ys)
    return f"{total}\n"


def method_call_dispatch() -> str:
    items = [1, 3, 5, 7, 9, 11, 13, 15]
    found = 0
    for i in range(100000):
        if (i % 16) in items:
            found = found + 1
    return f"{found}\n"


TWINS = {
    "dict_merge_loop": dict_merge_loop,
    "filter_nil_loop": filter_nil_loop,
    "regex_scan_loop": regex_scan_loop,
    "list_map_filter": list_map_filter,
    "method_call_dispatch": method_call_dispatch,
}
