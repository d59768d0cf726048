"""The ``lang`` command line.

Each subcommand lives with the package that implements it and exposes
``add_arguments(parser)`` and ``run(args) -> int``; this module only wires
them up, importing each lazily so ``lang run`` does not pay for the checker's
or the language server's imports. No input may produce a Python traceback:
an unexpected internal failure prints one line and exits 3.
"""

from __future__ import annotations

import argparse
import importlib
import sys

VERSION = "0.1.0"

# subcommand -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("vm.cli", "run a Harn script"),
    "check": ("typechecker.cli", "typecheck files or directories of .harn files"),
    "parse": ("lang.parse_cli", "parse a file and print its syntax tree or syntax errors"),
    "fmt": ("lang.fmt_cli", "format .harn files"),
    "lsp": ("lsp.cli", "start the language server on stdio"),
    "bench": ("vm.bench_cli", "time a script's entry point over repeated runs"),
}


def _available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lang", description="Toolchain for the Harn scripting language."
    )
    parser.add_argument("--version", action="version", version=f"lang {VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if not _available(module):
            continue
        p = sub.add_parser(name, help=help_text, description=help_text)
        if only is None or only == name:
            importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(only=command if command in COMMANDS else None)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    args = parser.parse_args(argv)
    args.extra = extra
    if not args.command:
        parser.print_help()
        return 2
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # pragma: no cover - last line of defence
        print(f"lang: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
