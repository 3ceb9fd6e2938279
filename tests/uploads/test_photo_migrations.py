"""The data migrations that turned photo URL lists into links to uploads: our URLs become links, in
order; foreign URLs are dropped (counted in the log), except an outside report's first link, kept as text.

Each test migrates its app back to where the legacy JSON column and the new link table both exist,
writes a row the old way, migrates forward and looks."""

import logging

import pytest

from tests import factories
from tests.support.migrations import migrate

# On PostgreSQL only (CI step 3): going back to the photo-URL migrations unapplies every app built on them
# since (family, property, care), and SQLite rebuilds each table it alters — a minute of the README's quick run.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FOREIGN = "http://169.254.169.254/latest/meta-data/iam"


@pytest.fixture
def migrate_back(to_latest):
    """Migrate an app back to `target`; `migrate_back.forward()` (and the end of the test) goes to the latest."""

    def back(app_label, target):
        return migrate([(app_label, target)])

    back.forward = to_latest
    return back


def test_work_order_photo_urls_become_uploads_and_foreign_ones_go(migrate_back, caplog):
    community = factories.make_community()
    resident = factories.make_resident()
    a, b = factories.make_upload(resident), factories.make_upload(resident)
    old = migrate_back("residents", "0003_work_order_photo_links")
    Category = old.get_model("residents", "WorkOrderCategory")
    WorkOrder = old.get_model("residents", "WorkOrder")
    category = Category.objects.create(name="水电维修", response_hours=2, resolution_hours=24)
    order = WorkOrder.objects.create(
        community_id=community.pk,
        reporter_id=resident.pk,
        category=category,
        kind="repair",
        description="漏水",
        response_due_at="2026-11-02T10:00:00+08:00",
        resolution_due_at="2026-11-03T10:00:00+08:00",
        # absolute (as the API returned them) and relative, in the resident's order, with a foreign one
        legacy_photos=[f"http://testserver/media/{b.file.name}", FOREIGN, f"/media/{a.file.name}"],
        legacy_resolution_photos=["https://cdn.example.cn/u/after.jpg"],
    )

    with caplog.at_level(logging.WARNING, logger="linli.uploads.legacy"):
        new = migrate_back.forward()

    links = new.get_model("residents", "WorkOrderPhoto").objects.filter(work_order_id=order.pk)
    assert [link.upload_id for link in links.order_by("position")] == [b.pk, a.pk]
    assert not new.get_model("residents", "WorkOrderResolutionPhoto").objects.filter(work_order_id=order.pk).exists()
    assert "residents.WorkOrder.legacy_photos: dropped 1 photo URL(s)" in caplog.text
    assert "residents.WorkOrder.legacy_resolution_photos: dropped 1 photo URL(s)" in caplog.text


def test_report_photo_urls_become_uploads_and_an_outside_reports_link_stays_as_text(migrate_back):
    from enforcement.models import Category, Domain, Matter

    domain = Domain.objects.create(code="mig", name="迁移领域")
    matter = Matter.objects.create(code="MIG-1", name="迁移事项", domain=domain)
    category = Category.objects.create(code="mig_cat", name="迁移分类", matter=matter)
    resident = factories.make_resident()
    ours = factories.make_upload(resident)
    old = migrate_back("enforcement", "0007_report_and_finding_photo_links")
    Report = old.get_model("enforcement", "ProblemReport")
    common = {"category_id": category.pk, "matter_id": matter.pk, "description": "地笼网"}
    mine = Report.objects.create(channel="resident", legacy_photos=[FOREIGN, f"/media/{ours.file.name}"], **common)
    from_app = Report.objects.create(channel="open311", legacy_photos=["https://img.example.com/x.jpg"], **common)

    new = migrate_back.forward()

    Report, Link = new.get_model("enforcement", "ProblemReport"), new.get_model("enforcement", "ReportPhoto")
    assert list(Link.objects.filter(report_id=mine.pk).values_list("upload_id", flat=True)) == [ours.pk]
    assert Report.objects.get(pk=mine.pk).external_media_url == ""
    assert not Link.objects.filter(report_id=from_app.pk).exists()
    assert Report.objects.get(pk=from_app.pk).external_media_url == "https://img.example.com/x.jpg"


def test_product_image_urls_become_uploads_and_foreign_ones_go(migrate_back):
    from tests.merchants.factories import make_owner

    merchant, owner = make_owner(factories.make_community())
    cover = factories.make_upload(owner)
    old = migrate_back("merchants", "0003_product_image_links")
    Product = old.get_model("merchants", "Product")
    product = Product.objects.create(
        merchant_id=merchant.pk, name="椪柑", price_fen=398, legacy_images=[FOREIGN, f"/media/{cover.file.name}"]
    )

    new = migrate_back.forward()

    links = new.get_model("merchants", "ProductImage").objects.filter(product_id=product.pk)
    assert [link.upload_id for link in links] == [cover.pk]
