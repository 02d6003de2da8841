"""This app's demo data, called by `manage.py seed_demo` after the apps below it."""


def seed(context: dict) -> str:
    """Add what is missing; return a one-line summary for the command's output."""
    return ""
