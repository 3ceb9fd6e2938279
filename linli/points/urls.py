"""HTML pages of the points app outside the API (mounted at /points/)."""

from django.urls import path

from linli.points.statement_print import statement_print

urlpatterns = [path("statements/<str:token>/", statement_print, name="points-statement-print")]
