"""The model: typed views of Kubernetes objects (pod templates, Services, routes, PDBs...).

Each view reads one object and validates the fields it models; views never look at
other objects (that is the index's job) and never import the index.
"""
