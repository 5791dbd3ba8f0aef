"""Sources: which inputs a run reads (files, directories, standard input) and where each came from.

The first stage of the flow; it hands bytes with names to the loader.
"""
