"""The engine: the rule API that plugins import, the rule registry, settings and the run.

``engine.api`` sits below the rules (they import it); ``engine.registry`` and
``engine.run`` sit above them (they import the rules).
"""
