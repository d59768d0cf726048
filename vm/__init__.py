"""The Harn VM: a compiler from the Harn AST to Python code objects, and its runtime."""
