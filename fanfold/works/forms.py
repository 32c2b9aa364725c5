"""The posting forms. They parse what the writer typed; the rules (lengths, required tags,
permissions) live in fanfold.works.services, whose errors the views put back on these forms."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from fanfold.accounts.models import Pseud
from fanfold.tags.models import CATEGORIES, RATINGS, WARNINGS, TagType
from fanfold.tags.services import tag_names_split

from .languages import LANGUAGES
from .models import CommentPermission, Work
from .services import MAX_NOTES, MAX_SUMMARY, MAX_TITLE, ChapterInput

TEXT_FORMAT_CHOICES = [("rich", "Rich text"), ("html", "HTML"), ("plain", "Plain text")]
TAG_HELP = "Separate tags with commas."


def _textarea(rows: int, maxlength: int | None = None, **attrs) -> forms.Textarea:
    if maxlength:
        attrs["maxlength"] = maxlength
    return forms.Textarea(attrs={"rows": rows, **attrs})


def _html_field(label: str, *, rows: int, limit: int) -> forms.CharField:
    """A summary or notes box: optional HTML with AO3's length limit shown to the writer."""
    return forms.CharField(
        label=label,
        required=False,
        widget=_textarea(rows, limit),
        help_text=f"At most {limit:,} characters. HTML is allowed.",
    )


def _tag_input(placeholder: str = "") -> forms.TextInput:
    attrs = {"autocomplete": "off", "autocapitalize": "off"}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.TextInput(attrs=attrs)


class TextFormatMixin:
    """The writer's choice of editor for one text. "Rich text" is HTML written by the editor in
    static/js/editor.js (without JavaScript it is an ordinary box that takes HTML)."""

    cleaned_data: dict

    def chapter_text_format(self) -> str:
        return "plain" if self.cleaned_data.get("text_format") == "plain" else "html"


def _text_fields():
    return {
        "text_format": forms.ChoiceField(
            label="Format",
            choices=TEXT_FORMAT_CHOICES,
            initial="rich",
            widget=forms.RadioSelect(attrs={"class": "text-format"}),
            required=False,
        ),
        "content": forms.CharField(
            label="Work Text",
            required=False,
            strip=False,
            widget=forms.Textarea(
                attrs={"rows": 18, "class": "text", "data-editor": "rich", "spellcheck": "true"}
            ),
            help_text="Rich text: use the buttons above the box. HTML: type HTML (a blank line "
            "also starts a new paragraph). Plain text: a blank line starts a new paragraph.",
        ),
    }


class WorkForm(TextFormatMixin, forms.Form):
    """AO3's "Post New Work" and "Edit Work" form. For a new work it carries the first chapter's
    text too; for an existing one the text is edited chapter by chapter."""

    # Creators
    pseuds = forms.ModelMultipleChoiceField(
        label="Creator/Pseud(s)",
        queryset=Pseud.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    co_creators = forms.CharField(
        label="Add co-creators",
        required=False,
        widget=_tag_input("pseud, or pseud (username)"),
        help_text="Other users' pseuds, separated by commas. Each of them is invited to be a "
        "co-creator and must accept the invitation before they are listed as a creator of "
        "this work.",
    )
    # Tags
    rating = forms.ChoiceField(
        label="Rating",
        choices=[("", "Choose a rating")] + [(r, r) for r in RATINGS],
        required=False,
    )
    warnings = forms.MultipleChoiceField(
        label="Archive Warnings",
        choices=[(w, w) for w in WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fandoms = forms.CharField(
        label="Fandoms",
        required=False,
        widget=_tag_input(),
        help_text=TAG_HELP + " At least one fandom is required.",
    )
    categories = forms.MultipleChoiceField(
        label="Categories",
        choices=[(c, c) for c in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    relationships = forms.CharField(
        label="Relationships", required=False, widget=_tag_input(), help_text=TAG_HELP
    )
    characters = forms.CharField(
        label="Characters", required=False, widget=_tag_input(), help_text=TAG_HELP
    )
    freeforms = forms.CharField(
        label="Additional Tags",
        required=False,
        widget=_tag_input(),
        help_text=TAG_HELP + f" Fandoms, relationships, characters and additional tags: at most "
        f"{settings.FANFOLD_MAX_USER_TAGS} in all.",
    )
    # Preface
    title = forms.CharField(
        label="Work Title",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_TITLE}),
    )
    summary = _html_field("Summary", rows=5, limit=MAX_SUMMARY)
    notes = _html_field("Notes at the beginning", rows=4, limit=MAX_NOTES)
    end_notes = _html_field("Notes at the end", rows=4, limit=MAX_NOTES)
    # Associations and settings
    language = forms.ChoiceField(
        label="Choose a language", choices=LANGUAGES, initial="en", required=False
    )
    published_on = forms.DateField(
        label="Publication date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave empty to use the day you post. You may set an earlier date "
        "(backdating), but not a future one.",
    )
    expected_chapters = forms.IntegerField(
        label="Expected number of chapters",
        required=False,
        initial=1,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        help_text='Leave empty if you don\'t know yet (shown as "1/?"). The work is complete '
        "when that many chapters are posted.",
        error_messages={"invalid": "Please enter the number of chapters as a whole number."},
    )
    is_restricted = forms.BooleanField(
        label="Only show your work to registered users", required=False
    )
    comment_permission = forms.ChoiceField(
        label="Who can comment on this work",
        choices=CommentPermission.choices,
        initial=CommentPermission.EVERYONE,
        widget=forms.RadioSelect,
        required=False,
    )
    # The first chapter (new works only)
    chapter_title = forms.CharField(
        label="Chapter title",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_TITLE}),
        help_text="Optional: a title for the first chapter.",
    )

    def __init__(self, *args, user, work: Work | None = None, **kwargs):
        self.user = user
        self.work = work
        if work is not None:
            kwargs.setdefault("initial", self._initial_from(work))
        super().__init__(*args, **kwargs)
        pseuds_field = self.fields["pseuds"]
        assert isinstance(pseuds_field, forms.ModelMultipleChoiceField)
        pseuds_field.queryset = user.pseuds.all()
        if work is None:
            self.fields.update(_text_fields())
            self.fields["pseuds"].initial = [p.pk for p in user.pseuds.filter(is_default=True)]
        else:
            del self.fields["chapter_title"]
            others = [
                c
                for c in work.creatorships.select_related("pseud__user")
                if c.pseud.user_id != user.pk
            ]
            # Kept as they are when the form is saved: co-creators can only remove themselves,
            # and invitations stay open until the invited user answers.
            self.other_creators = [c.pseud for c in others if c.approved]
            self.invited_creators = [c.pseud for c in others if not c.approved]

    def _initial_from(self, work: Work) -> dict:
        tags = work.tags_by_type()

        def names(type_):
            return ", ".join(tag.name for tag in tags[type_])

        return {
            "pseuds": [
                c.pseud_id
                for c in work.creatorships.select_related("pseud")
                if c.pseud.user_id == self.user.pk and c.approved
            ],
            "title": work.title,
            "rating": tags[TagType.RATING][0].name if tags[TagType.RATING] else "",
            "warnings": [tag.name for tag in tags[TagType.WARNING]],
            "categories": [tag.name for tag in tags[TagType.CATEGORY]],
            "fandoms": names(TagType.FANDOM),
            "relationships": names(TagType.RELATIONSHIP),
            "characters": names(TagType.CHARACTER),
            "freeforms": names(TagType.FREEFORM),
            "summary": work.summary,
            "notes": work.notes,
            "end_notes": work.end_notes,
            "language": work.language,
            "published_on": work.published_on,
            "expected_chapters": work.expected_chapters,
            "is_restricted": work.is_restricted,
            "comment_permission": work.comment_permission,
        }

    def clean_co_creators(self) -> list[Pseud]:
        pseuds = []
        errors = []
        for name in tag_names_split(self.cleaned_data.get("co_creators", "")):
            try:
                pseuds.append(find_pseud(name))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return pseuds

    def service_fields(self) -> dict:
        """Keyword arguments for work_create / work_update."""
        data = self.cleaned_data
        pseuds = list(data["pseuds"])
        if self.work is not None:
            pseuds += self.other_creators + self.invited_creators
        pseuds += [p for p in data["co_creators"] if p not in pseuds]
        fields = {
            "pseuds": pseuds,
            "title": data["title"],
            "rating": data["rating"],
            "warnings": data["warnings"],
            "categories": data["categories"],
            "fandoms": tag_names_split(data["fandoms"]),
            "relationships": tag_names_split(data["relationships"]),
            "characters": tag_names_split(data["characters"]),
            "freeforms": tag_names_split(data["freeforms"]),
            "summary": data["summary"],
            "notes": data["notes"],
            "end_notes": data["end_notes"],
            "language": data["language"],
            "published_on": data["published_on"],
            "expected_chapters": data["expected_chapters"],
            "is_restricted": data["is_restricted"],
            "comment_permission": data["comment_permission"] or CommentPermission.EVERYONE,
        }
        return fields

    def chapter_input(self) -> ChapterInput:
        data = self.cleaned_data
        return ChapterInput(
            content=data.get("content", ""),
            text_format=self.chapter_text_format(),
            title=data.get("chapter_title", ""),
        )


_PSEUD_WITH_USER = re.compile(r"^(?P<pseud>.+?)\s*\((?P<user>[^()]+)\)$")


def find_pseud(name: str) -> Pseud:
    """A pseud by what a writer types to add a co-creator: "pseud (username)", or a pseud name
    when only one user has a pseud of that name."""
    match = _PSEUD_WITH_USER.match(name)
    pseuds = Pseud.objects.select_related("user").annotate(lower_name=Lower("name"))
    if match:
        found = list(
            pseuds.filter(
                lower_name=match["pseud"].strip().lower(),
                user__username__iexact=match["user"].strip(),
            )
        )
    else:
        found = list(pseuds.filter(lower_name=name.lower()))
    if not found:
        raise ValidationError(f"There is no pseud called “{name}”.")
    if len(found) > 1:
        raise ValidationError(
            f"More than one user has a pseud called “{name}”: please add the username in "
            f"brackets, for example “{found[0].name} ({found[0].user.username})”."
        )
    return found[0]


class ChapterForm(TextFormatMixin, forms.Form):
    """AO3's chapter form: a chapter's own title, summary, notes, date and text."""

    title = forms.CharField(
        label="Chapter Title",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_TITLE}),
    )
    published_on = forms.DateField(
        label="Chapter publication date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave empty to use the day the chapter is posted.",
    )
    summary = _html_field("Chapter Summary", rows=4, limit=MAX_SUMMARY)
    notes = _html_field("Notes at the beginning", rows=4, limit=MAX_NOTES)
    end_notes = _html_field("Notes at the end", rows=4, limit=MAX_NOTES)

    def __init__(self, *args, chapter=None, **kwargs):
        if chapter is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": chapter.title,
                    "published_on": chapter.published_on,
                    "summary": chapter.summary,
                    "notes": chapter.notes,
                    "end_notes": chapter.end_notes,
                    "content": chapter.content,
                    "text_format": "rich",
                },
            )
        super().__init__(*args, **kwargs)
        self.fields.update(_text_fields())
        self.fields["content"].label = "Chapter Text"

    def chapter_input(self) -> ChapterInput:
        data = self.cleaned_data
        return ChapterInput(
            content=data["content"],
            text_format=self.chapter_text_format(),
            title=data["title"],
            summary=data["summary"],
            notes=data["notes"],
            end_notes=data["end_notes"],
            published_on=data["published_on"],
        )


class ChapterOrderForm(forms.Form):
    """The "Manage Chapters" form: a position number for every chapter."""

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = list(chapters)
        for chapter in self.chapters:
            self.fields[f"position_{chapter.pk}"] = forms.IntegerField(
                label=f"Position of {chapter.display_title}",
                initial=chapter.position,
                min_value=1,
                widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
                error_messages={
                    "required": "Please give every chapter a position number.",
                    "invalid": "Please give every chapter a position number.",
                    "min_value": "Position numbers start at 1.",
                },
            )

    def rows(self):
        return [(chapter, self[f"position_{chapter.pk}"]) for chapter in self.chapters]

    def chapter_ids(self) -> list[int]:
        """The chapters sorted by the numbers typed; a tie keeps the current order."""
        return [
            chapter.pk
            for chapter in sorted(
                self.chapters,
                key=lambda c: (self.cleaned_data[f"position_{c.pk}"], c.position),
            )
        ]


class CreatorshipAnswerForm(forms.Form):
    """Accept or decline one co-creator invitation (AO3's "Co-Creator Requests")."""

    creatorship = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
