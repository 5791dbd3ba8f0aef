"""Configuration: discovery of ``.gwlint.yaml`` / ``pyproject.toml``, its schema, and validation.

A typo in a key is an error with its file, line and column, because a silently ignored
key in CI configuration means checks silently not run.
"""
