"""The touchpoints app: its models arrive with its issue."""
