"""`fanfold tag_counts_refresh` puts every cached count right."""

from io import StringIO

import pytest
from django.core.management import call_command

from fanfold.tags.models import Tag
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.django_db


def test_recount_puts_counts_right(alice):
    make_work(alice, fandoms=["Harbour Tales"])
    make_work(alice, fandoms=["Harbour Tales"], is_restricted=True)
    make_work(alice, fandoms=["Harbour Tales"], post=False)
    Tag.objects.update(works_count=7, public_works_count=7)
    out = StringIO()
    call_command("tag_counts_refresh", stdout=out)
    harbour = Tag.objects.get(name="Harbour Tales")
    assert (harbour.works_count, harbour.public_works_count) == (2, 1)
    assert out.getvalue().startswith("Recounted ")
