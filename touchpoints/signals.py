"""What touchpoints tells the apps above it (DESIGN.md: complaints and surveys may import touchpoints).

Sent on commit, so a receiver sees the saved records and never acts on a change that was rolled back.
"""

from django.dispatch import Signal

# A one-year house check recorded issues (J17). Arguments: issue_ids (list of CareIssue ids).
house_check_issues_found = Signal()
