from enforcement.open311.urls import root_urlpatterns as urlpatterns

__all__ = ["urlpatterns"]
