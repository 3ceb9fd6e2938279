"""Photos were lists of URLs; they become links to upload records. URLs that are not this
system's uploads are dropped (and counted in the log): see linli/uploads/legacy.py. Reports that
came from outside — an Open311 client's media_url, an AI camera's snapshot — keep their first
such URL as text in external_media_url (never fetched, never shown as one of our uploads)."""

from django.db import migrations

from linli.uploads.legacy import links_to_urls, urls_to_links

REPORTS = {'legacy_photos': ('enforcement.ReportPhoto', 'report')}
FINDINGS = {'legacy_photos': ('enforcement.FindingPhoto', 'finding')}
FROM_OUTSIDE = ('open311', 'camera')


def forward(apps, schema_editor):
    ProblemReport = apps.get_model('enforcement', 'ProblemReport')
    dropped = urls_to_links(apps, model='enforcement.ProblemReport', fields=REPORTS)['legacy_photos']
    outside = ProblemReport.objects.filter(pk__in=list(dropped), channel__in=FROM_OUTSIDE, external_media_url='')
    for pk in outside.values_list('pk', flat=True):
        ProblemReport.objects.filter(pk=pk).update(external_media_url=dropped[pk][0][:500])
    urls_to_links(apps, model='enforcement.Finding', fields=FINDINGS)


def backward(apps, schema_editor):
    ProblemReport = apps.get_model('enforcement', 'ProblemReport')
    links_to_urls(apps, model='enforcement.ProblemReport', fields=REPORTS)
    for report in ProblemReport.objects.exclude(external_media_url=''):
        report.legacy_photos = [*report.legacy_photos, report.external_media_url]
        report.save(update_fields=['legacy_photos'])
    links_to_urls(apps, model='enforcement.Finding', fields=FINDINGS)


class Migration(migrations.Migration):

    dependencies = [
        ('enforcement', '0007_report_and_finding_photo_links'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
