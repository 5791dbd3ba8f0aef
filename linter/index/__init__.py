"""The index: every object of a run by kind, name and label, and every edge between objects.

Which pods a Service selects, which routes use it, which HPAs and PDBs act on a
workload: built once per run, lazily where that pays, then only read by the rules.
"""
