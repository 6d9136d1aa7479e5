"""Corroborate: the project package (settings, URLs) and the small pieces both apps share."""
