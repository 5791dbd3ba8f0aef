"""Core records every stage speaks: data paths, findings, run errors, the run's result.

Nothing here knows YAML, Kubernetes objects or rules; every other stage may import it.
"""
