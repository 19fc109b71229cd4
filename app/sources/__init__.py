"""The sources registry: every document Xanh draws on or names, and where each is cited."""
