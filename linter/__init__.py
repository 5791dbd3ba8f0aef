"""gwlint: a static linter for the Kubernetes manifest mistakes behind gateway 502/503/504s."""

__version__ = "0.1.0"
