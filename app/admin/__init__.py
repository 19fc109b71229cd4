"""Editors' workspace: accounts, value entry, drafts, CSV import and the audit trail."""
