"""The surveys app: its models arrive with its issue."""
