"""Suppression: annotations and comments that silence findings, and the baseline.

It runs after the rules on positioned findings and returns what it kept, silenced and
found stale; it never writes into the index.
"""
