"""HTML pages of the property app outside the API (mounted at /property/)."""

from django.urls import path

from property.receipts import receipt_print

urlpatterns = [
    path("receipts/<str:token>/", receipt_print, name="property-receipt-print"),
]
