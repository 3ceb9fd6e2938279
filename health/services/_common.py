from linli.uploads.selectors import own_uploads

__all__ = ["own_uploads"]
