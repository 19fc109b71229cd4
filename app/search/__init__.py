"""Search: Vietnamese- and English-aware full-text search over the site's items."""
