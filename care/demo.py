def seed(log):
    """Filled in below."""
