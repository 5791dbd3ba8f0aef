"""The loader: bytes to YAML documents with positions, and positions back from data paths.

The only stage that imports ruamel.yaml. It splits streams into documents, composes
them with libyaml, builds plain data safely, and answers "where is this path?".
"""
