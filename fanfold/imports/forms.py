"""The import forms: the upload/paste form, and the preview form where the writer corrects what
was read and fills in the tags a work must have. Rules live in fanfold.imports.services and
fanfold.works.services."""

from django import forms
from django.conf import settings

from fanfold.works.forms import WorkForm

from .parsing import ParsedWork
from .services import ChapterChoice

FORMAT_CHOICES = [
    ("auto", "Find out from the file"),
    ("text", "Plain text"),
    ("markdown", "Markdown"),
    ("html", "HTML"),
    ("epub", "EPUB"),
]


class ImportStartForm(forms.Form):
    file = forms.FileField(
        label="File",
        required=False,
        help_text=f"Plain text (.txt), Markdown (.md), HTML (.html) or EPUB (.epub), at most "
        f"{settings.FANFOLD_IMPORT_MAX_BYTES // 2**20} MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".txt,.text,.md,.markdown,.html,.htm,.xhtml,.epub"}
        ),
    )
    text = forms.CharField(
        label="Or paste the text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="Chapter headings (Chapter 1, Chapter Two: Title, Prologue, Part II) start "
        'chapters; paragraphs starting "A/N:", "Author\'s Note:" or "Disclaimer:" at the '
        "start or end become notes; ***, ~*~ or a line of dashes becomes a scene break.",
    )
    format = forms.ChoiceField(label="Format", choices=FORMAT_CHOICES, initial="auto")


class ImportPreviewForm(WorkForm):
    """The work's metadata, as on Post New Work (the same fields and checks), prefilled from
    the file. The text itself is not on this form: it stays with the pending import."""

    def __init__(self, *args, user, parsed: ParsedWork, **kwargs):
        if not args or args[0] is None:
            kwargs.setdefault("initial", self.initial_from_parsed(parsed, user))
        super().__init__(*args, user=user, **kwargs)
        for name in (
            "text_format",
            "content",
            "chapter_title",
            "published_on",
            "expected_chapters",
        ):
            self.fields.pop(name, None)

    @staticmethod
    def initial_from_parsed(parsed: ParsedWork, user) -> dict:
        from fanfold.works.languages import LANGUAGE_NAMES

        return {
            "pseuds": [p.pk for p in user.pseuds.filter(is_default=True)],
            "title": parsed.title,
            "summary": parsed.summary,
            "notes": parsed.notes,
            "end_notes": parsed.end_notes,
            "rating": parsed.rating,
            "warnings": parsed.warnings,
            "categories": parsed.categories,
            "fandoms": ", ".join(parsed.fandoms),
            "relationships": ", ".join(parsed.relationships),
            "characters": ", ".join(parsed.characters),
            "freeforms": ", ".join(parsed.freeforms),
            "language": parsed.language if parsed.language in LANGUAGE_NAMES else "en",
        }

    def import_fields(self) -> dict:
        """Keyword arguments for services.import_save (besides the chapters)."""
        self.cleaned_data.setdefault("published_on", None)
        self.cleaned_data.setdefault("expected_chapters", None)
        fields = self.service_fields()
        # The date and the number of chapters come from the imported chapters.
        del fields["published_on"], fields["expected_chapters"]
        return fields


class ChapterChoiceForm(forms.Form):
    title = forms.CharField(label="Chapter title", required=False, max_length=255)
    notes = forms.CharField(
        label="Chapter notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    end_notes = forms.CharField(
        label="Chapter end notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    merge_with_previous = forms.BooleanField(
        label="Not a new chapter: join it to the one before", required=False
    )
    leave_out = forms.BooleanField(label="Leave this part out", required=False)

    def choice(self) -> ChapterChoice:
        data = self.cleaned_data
        return ChapterChoice(
            title=data.get("title", ""),
            notes=data.get("notes", ""),
            end_notes=data.get("end_notes", ""),
            merge_with_previous=data.get("merge_with_previous", False),
            leave_out=data.get("leave_out", False),
        )


ChapterChoiceFormSet = forms.formset_factory(ChapterChoiceForm, extra=0, max_num=2000)


def chapter_formset(data, parsed: ParsedWork):
    initial = [
        {"title": c.title, "notes": c.notes, "end_notes": c.end_notes} for c in parsed.chapters
    ]
    return ChapterChoiceFormSet(data, initial=initial, prefix="chapters")
