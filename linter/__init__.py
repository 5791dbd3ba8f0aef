"""gwlint: a static linter for the Kubernetes manifest mistakes behind gateway 502/503/504s."""

__version__ = "0.1.0"

HOMEPAGE = "https://github.com/gwlint/gwlint"
RULE_DOCS = HOMEPAGE + "/blob/main/docs/rules/{id}.md"
"""Where a built-in rule's page is published (SARIF ``helpUri``, the Markdown report's links)."""
