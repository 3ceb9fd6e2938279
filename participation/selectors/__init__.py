"""Reads of the participation app that need care (scoping, joins), by subject: party, alliance, votes."""
