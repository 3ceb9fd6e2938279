import django_filters

from linli.uploads.models import Upload


class UploadFilterSet(django_filters.FilterSet):
    class Meta:
        model = Upload
        fields = ["purpose"]
