"""Widgets that other sites embed, their images, the host script and oEmbed."""
