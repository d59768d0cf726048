"""``lang lsp``: the language server on stdin/stdout.

stdout carries the protocol and nothing else (a stray write there corrupts
the stream for every client); logs go to stderr at ``LANG_LSP_LOG`` level
(default WARNING). ``--stdio`` is accepted and ignored, as some clients add it.
The exit status is 0 after a ``shutdown`` request, else 1 (as LSP asks).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stdio", action="store_true", help="use stdin/stdout (the default)")


def run(args: argparse.Namespace) -> int:
    level = os.environ.get("LANG_LSP_LOG", "WARNING").upper()
    logging.basicConfig(stream=sys.stderr, level=getattr(logging, level, logging.WARNING),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from lang.source import ensure_recursion_limit
    from lsp.server import server

    ensure_recursion_limit()
    server.start_io()
    # LSP: exit status 0 after a shutdown request, 1 when the client exited (or
    # went away) without one
    return 0 if server.protocol._shutdown else 1
