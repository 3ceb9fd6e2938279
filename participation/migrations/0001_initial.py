# A local placeholder: main's participation app has no migration yet; the merge re-chains 0002_votes
# onto the app's real 0001_initial.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = []
