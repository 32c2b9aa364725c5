import pytest
from django.core.exceptions import ValidationError

from fanfold.tags.models import Tag, TagType
from fanfold.tags.services import tag_names_split, tags_find_or_create

pytestmark = pytest.mark.django_db


def test_new_names_are_created_in_the_order_typed():
    tags = tags_find_or_create(names=["Sea Stories", "Lighthouse Keepers"], type=TagType.FANDOM)
    assert [tag.name for tag in tags] == ["Sea Stories", "Lighthouse Keepers"]
    assert all(tag.type == TagType.FANDOM for tag in tags)
    assert Tag.objects.filter(type=TagType.FANDOM).count() == 2


def test_existing_tag_is_reused_whatever_its_case():
    first = tags_find_or_create(names=["Sea Stories"], type=TagType.FANDOM)[0]
    again = tags_find_or_create(names=["sea   STORIES "], type=TagType.FANDOM)[0]
    assert again == first
    assert again.name == "Sea Stories"
    assert Tag.objects.filter(type=TagType.FANDOM).count() == 1


def test_names_are_trimmed_collapsed_and_deduplicated_case_insensitively():
    assert tag_names_split("  Found  Family ,found family,, Fluff ,  ") == [
        "Found Family",
        "Fluff",
    ]
    tags = tags_find_or_create(names=["Found  Family", "FOUND FAMILY"], type=TagType.FREEFORM)
    assert [tag.name for tag in tags] == ["Found Family"]


@pytest.mark.parametrize("char", list(",^*<>{}=`\\%"))
def test_forbidden_characters_are_refused_with_a_message_naming_them(char):
    with pytest.raises(ValidationError) as exc:
        tags_find_or_create(names=[f"Heart{char}Break"], type=TagType.FREEFORM)
    message = exc.value.messages[0]
    assert f"contains {char}" in message
    assert "can't be used in tag names" in message
    assert not Tag.objects.filter(type=TagType.FREEFORM).exists()


def test_a_name_of_more_than_100_characters_is_refused():
    tags_find_or_create(names=["x" * 100], type=TagType.FREEFORM)
    with pytest.raises(ValidationError) as exc:
        tags_find_or_create(names=["y" * 101], type=TagType.FREEFORM)
    assert "at most 100 characters" in exc.value.messages[0]


def test_a_name_used_by_another_type_is_an_error_naming_that_type():
    tags_find_or_create(names=["Marlowe"], type=TagType.FANDOM)
    with pytest.raises(ValidationError) as exc:
        tags_find_or_create(names=["Quiet Harbour", "marlowe"], type=TagType.CHARACTER)
    assert exc.value.messages == [
        "The tag “marlowe” is already in the archive as a Fandom tag. All tags have to be "
        "unique; try being more specific, for example by adding the fandom in brackets."
    ]
    # Nothing from the refused call was stored, not even the good name.
    assert not Tag.objects.filter(name="Quiet Harbour").exists()


def test_fixed_tags_are_found_but_never_created():
    rating = tags_find_or_create(names=["Mature"], type=TagType.RATING)[0]
    assert rating.type == TagType.RATING
    with pytest.raises(ValidationError) as exc:
        tags_find_or_create(names=["Very Mature"], type=TagType.RATING)
    assert "not one of the archive's Rating tags" in exc.value.messages[0]
    assert not Tag.objects.filter(name="Very Mature").exists()
