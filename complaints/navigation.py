"""This app's entries in the dashboard navigation (see vanke_crm.navigation)."""
ITEMS = []
