"""The complaints app: its models arrive with its issue."""
