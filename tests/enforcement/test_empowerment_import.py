"""赋权清单 CSV import: management command and admin upload, all rows or none, idempotent."""

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from enforcement.models import Empowerment
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = """street,matter,since,until,document
fushan,NY-001,2024-03-01,,越政办发〔2024〕3 号
陶堰街道,SC-001,2024-03-01,2026-01-01,越政办发〔2024〕3 号
"""


def test_the_command_imports_and_a_second_run_changes_nothing(world, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_empowerments", str(path), stdout=out)
    assert "created 2" in out.getvalue()
    assert Empowerment.objects.filter(street=world.fushan, matter=world.fishing, since=date(2024, 3, 1)).exists()
    food = Empowerment.objects.get(street=world.taoyan, matter=world.food)
    assert food.until == date(2026, 1, 1)
    call_command("import_empowerments", str(path), stdout=(again := StringIO()))
    assert "created 0, updated 0, unchanged 2" in again.getvalue()


def test_one_bad_row_rejects_the_whole_file(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(GOOD + "nowhere,NY-001,2024-03-01,,\nfushan,XX-999,2024-13-01,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_empowerments", str(path), stdout=StringIO())
    message = str(error.value)
    assert "第 4 行" in message and "第 5 行" in message and "XX-999" in message
    assert Empowerment.objects.count() == 1  # only the world's own


def test_admins_upload_the_list_in_the_admin(world, client):
    admin = factories.make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/enforcement/empowerment/import/")
    assert page.status_code == 200
    upload = SimpleUploadedFile("list.csv", GOOD.encode("utf-8-sig"), content_type="text/csv")
    response = client.post("/admin/enforcement/empowerment/import/", {"file": upload})
    assert response.status_code == 302
    assert Empowerment.objects.count() == 3
