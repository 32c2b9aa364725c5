from django import forms

from .engine.files import MAX_BYTES


class HideForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The work's creators see this reason.",
        error_messages={"required": "Please say why the work is hidden; its creators see it."},
    )


class ReferenceSourceForm(forms.Form):
    title = forms.CharField(
        max_length=255, error_messages={"required": "Please give the source a title."}
    )
    file = forms.FileField(
        required=False, help_text="A UTF-8 text or HTML file (up to 20 MB); or paste the text."
    )
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(
                    {"file": f"The file is too large (the limit is {MAX_BYTES:,} bytes)."}
                )
            raw = upload.read()
            if b"\x00" in raw[:8192]:
                raise forms.ValidationError(
                    {"file": "This is a binary file, not a text: upload a .txt or .html file."}
                )
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    {"file": "The file is not UTF-8 text; save it as UTF-8 and upload it again."}
                ) from None
            if upload.name.lower().endswith((".html", ".htm")):
                from .engine.text import html_to_text

                text = html_to_text(text)
            cleaned["text"] = text
        if not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(
                {"text": "The source has no text: upload a file or paste the text."}
            )
        return cleaned
