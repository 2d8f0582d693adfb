"""Demo data: a fictional Dutch hosting provider's customers (placeholder, filled in below)."""

DEMO_PASSWORD = "waarborg-demo"
DEMO_LOGINS: list[dict] = []


def demo_loaded() -> bool:
    return False
