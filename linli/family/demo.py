def seed(log):
    """Filled in below (demo elder and family member)."""
