"""Moving the photo fields older versions kept as JSON lists of URLs onto upload records.

Used by the data migrations of the apps that had such fields. A URL is kept when it is the URL of
one of this system's uploads (its path — and its host, when storage URLs carry one — is that upload's
file URL; a signed URL's query string does not matter); every other URL is dropped and counted: a
link to anywhere else is exactly what a photo field may no longer hold.
"""

import logging
from collections import defaultdict
from urllib.parse import unquote, urlsplit

from django.core.files.storage import default_storage

logger = logging.getLogger("linli.uploads.legacy")


def _candidate_names(url: str) -> list[str]:
    """Every tail of the URL's path that could be a stored file name (`uploads/2026/12/<hex>.jpg`)."""
    path = unquote(urlsplit(url).path)
    parts = path.split("/")
    return ["/".join(parts[n:]) for n in range(1, len(parts)) if parts[n]]


def _same_place(url: str, ours: str) -> bool:
    given, stored = urlsplit(url), urlsplit(ours)
    if unquote(given.path) != unquote(stored.path):
        return False
    # A relative MEDIA_URL is served from whatever host the API answered on: any host is ours.
    return not stored.netloc or given.netloc.lower() == stored.netloc.lower()


def uploads_for_urls(Upload, urls) -> dict[str, int]:
    """{url: upload id} for the URLs among `urls` that are this system's uploads."""
    urls = {u for u in urls if isinstance(u, str) and u}
    names = defaultdict(list)
    for url in urls:
        for name in _candidate_names(url):
            names[name].append(url)
    found = {}
    rows = Upload.objects.filter(file__in=list(names)).values_list("pk", "file") if names else []
    for pk, name in rows:
        ours = default_storage.url(name)
        for url in names[name]:
            if _same_place(url, ours):
                found[url] = pk
    return found


def urls_to_links(apps, *, model: str, fields: dict[str, tuple[str, str]]) -> dict[str, dict[int, list[str]]]:
    """For every row of `model`, link the uploads its legacy URL fields reference, in their order.

    `fields` maps a legacy JSON field to (link model, the link's foreign key to the row). Returns
    the dropped URLs: {legacy field: {row pk: [url, …]}}, for a caller that keeps some as text.
    """
    dropped_urls = {}
    Upload = apps.get_model("uploads", "Upload")
    Model = apps.get_model(*model.split("."))
    for legacy, (through_label, fk) in fields.items():
        Through = apps.get_model(*through_label.split("."))
        rows = list(Model.objects.values_list("pk", legacy))
        known = uploads_for_urls(Upload, (url for _, urls in rows if isinstance(urls, list) for url in urls))
        links, dropped = [], 0
        dropped_urls[legacy] = {}
        for pk, urls in rows:
            urls = urls if isinstance(urls, list) else []
            upload_ids = list(dict.fromkeys(known[url] for url in urls if url in known))
            foreign = [url for url in urls if url not in known]
            dropped += len(foreign)
            if foreign:
                dropped_urls[legacy][pk] = foreign
            links += [
                Through(**{f"{fk}_id": pk}, upload_id=upload_id, position=n) for n, upload_id in enumerate(upload_ids)
            ]
        Through.objects.bulk_create(links, batch_size=500)
        if dropped:
            logger.warning("%s.%s: dropped %d photo URL(s) that were not this system's uploads", model, legacy, dropped)
        logger.info("%s.%s: %d photo(s) linked to uploads", model, legacy, len(links))
    return dropped_urls


def links_to_urls(apps, *, model: str, fields: dict[str, tuple[str, str]]) -> None:
    """The way back: each row's linked uploads as their URLs again, in order."""
    Model = apps.get_model(*model.split("."))
    for legacy, (through_label, fk) in fields.items():
        Through = apps.get_model(*through_label.split("."))
        urls = defaultdict(list)
        links = Through.objects.select_related("upload").order_by(fk, "position", "pk")
        for link in links:
            urls[getattr(link, f"{fk}_id")].append(default_storage.url(link.upload.file.name))
        for pk, values in urls.items():
            Model.objects.filter(pk=pk).update(**{legacy: values})
