"""Reads of the participation app that need care, by subject (`votes`)."""
