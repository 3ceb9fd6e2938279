from django.contrib import admin
from django.utils.html import format_html, format_html_join

from linli.uploads.models import Upload


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "purpose", "content_type", "size", "width", "height", "created_at")
    list_filter = ("purpose", "content_type")
    list_select_related = ("owner",)
    search_fields = ("owner__username", "owner__display_name", "file")
    readonly_fields = ("owner", "preview", "file", "purpose", "content_type", "size", "width", "height", "created_at")
    fields = readonly_fields
    date_hierarchy = "created_at"

    @admin.display(description="预览")
    def preview(self, upload):
        if not upload.file.name:
            return "—"
        return format_html('<img src="{}" style="max-width: 320px; max-height: 320px">', upload.file.url)

    def has_add_permission(self, request):
        return False  # residents upload through the API, where the image is verified and cleaned


def photo_previews(links) -> str:
    """Thumbnails of an ordered photo field's links (`obj.photo_links.all()`), for read-only admin fields."""
    uploads = [link.upload for link in links if link.upload.file.name]
    if not uploads:
        return "—"
    return format_html_join(
        " ",
        '<a href="{}" target="_blank" rel="noopener"><img src="{}" style="max-width: 120px; max-height: 120px"></a>',
        ((upload.file.url, upload.file.url) for upload in uploads),
    )
