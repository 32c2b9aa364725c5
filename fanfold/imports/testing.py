"""EPUBs made in the tests, by hand, so each test says what is in the file it imports (and
broken ones can be broken in exactly one way)."""

import io
import zipfile

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""


def xhtml(body: str, title: str = "Chapter") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title}</title></head><body>{body}</body></html>"
    )


def opf(
    *,
    title: str = "Generated Title",
    creators=("Test Writer",),
    subjects=(),
    description: str = "",
    language: str = "en",
    documents=(),
    version: str = "3.0",
) -> str:
    meta = [f"<dc:title>{title}</dc:title>", f"<dc:language>{language}</dc:language>"]
    meta += [f"<dc:creator>{c}</dc:creator>" for c in creators]
    meta += [f"<dc:subject>{s}</dc:subject>" for s in subjects]
    if description:
        meta.append(f"<dc:description>{description}</dc:description>")
    items = "".join(
        f'<item id="d{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, name in enumerate(documents)
    )
    spine = "".join(f'<itemref idref="d{i}"/>' for i in range(len(documents)))
    return (
        f'<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        f'version="{version}" unique-identifier="id"><metadata '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">urn:uuid:1</dc:identifier>'
        f"{''.join(meta)}</metadata><manifest>{items}</manifest><spine>{spine}</spine></package>"
    )


def make_epub(
    documents: dict[str, str],
    *,
    package: str | None = None,
    container: str | None = CONTAINER,
    extra: dict[str, bytes] | None = None,
    **opf_args,
) -> bytes:
    """An EPUB with these XHTML documents (name under OEBPS/ -> text), in this reading order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        if container is not None:
            archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", package or opf(documents=list(documents), **opf_args))
        for name, text in documents.items():
            archive.writestr(f"OEBPS/{name}", text, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
