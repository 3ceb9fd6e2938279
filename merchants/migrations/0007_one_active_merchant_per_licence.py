import django.db.models.functions.text
from django.db import migrations, models


def suspend_later_duplicates(apps, schema_editor):
    """Before the constraint: of active shops sharing a licence number, the first opened keeps trading
    and the later ones are suspended (they were opened on a licence already in use; staff can review
    them in the console)."""
    Merchant = apps.get_model("merchants", "Merchant")
    seen = set()
    for merchant in Merchant.objects.filter(status="active").order_by("created_at", "id"):
        key = merchant.licence_number.strip().upper()
        if key in seen:
            Merchant.objects.filter(pk=merchant.pk).update(status="suspended")
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("merchants", "0006_merchant_invitations"),
    ]

    operations = [
        migrations.RunPython(suspend_later_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="merchant",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Upper(django.db.models.functions.text.Trim("licence_number")),
                condition=models.Q(("status", "active")),
                name="merchant_unique_active_licence",
                violation_error_message="已有营业中的店铺使用该营业执照号",
            ),
        ),
    ]
