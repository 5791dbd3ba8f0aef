"""Fixes: rules' data-path edits turned into minimal text edits, applied until nothing changes.

``resolve`` turns a fix's edits into replacements on the file's real text while the
engine still holds the document; ``render`` writes the YAML an edit inserts, in the
style of what surrounds it; ``apply`` applies replacements with conflict checks, re-lints
until stable, and writes the files or a unified diff. Imported only by runs that fix,
show a diff, or report fixes, so a plain run never pays for it.
"""
