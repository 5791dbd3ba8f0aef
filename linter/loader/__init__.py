"""The loader: bytes to YAML documents with positions, and positions back from data paths.

The only stage that imports ruamel.yaml. Its modules, in the order the data takes:
``decode`` (bytes to text, line breaks as editors count them), ``split`` (documents at
``---`` markers, the nesting guard), ``compose`` (libyaml's composer with a memoised
tag resolver), ``construct`` (nodes to plain data, safely), ``document`` (documents,
loaded files, problems, composing a document again), ``load`` (the entry points that
tie them together), ``locate`` (data paths to positions) and ``parallel`` (loading on
every core). Where a document came from (a Helm template, a Kustomize base) is the
sources' business, not the loader's.
"""
