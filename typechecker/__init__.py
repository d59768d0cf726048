"""The Harn static checker (types.md): diagnostics, linter, type facts, ``lang check``.

Entry points live in :mod:`typechecker.api`; the command in :mod:`typechecker.cli`.
"""
