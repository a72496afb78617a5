"""Reading back the PDFs the app makes (pypdf): their text, and the marks of a tagged PDF/UA-1 file
that screen readers need."""

from __future__ import annotations

import io
import re

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


def read(data: bytes) -> pypdf.PdfReader:
    assert data[:5] == b"%PDF-", "not a PDF"
    return pypdf.PdfReader(io.BytesIO(data))


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    """Text with every run of white space as one space (table cells come out on several lines)."""
    return re.sub(r"\s+", " ", text).strip()


def all_text(reader: pypdf.PdfReader) -> str:
    return flat(" ".join(page_texts(reader)))


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def struct_elements(reader: pypdf.PdfReader, tag: str) -> list[DictionaryObject]:
    """Every element of the structure tree whose type is ``tag`` (for example "/Figure")."""
    found: list[DictionaryObject] = []
    seen: set[int] = set()
    stack = [_resolve(reader.trailer["/Root"]["/StructTreeRoot"])]
    while stack:
        node = _resolve(stack.pop())
        if isinstance(node, ArrayObject):
            stack.extend(node)
            continue
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        if node.get("/S") == tag:
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)
    return found


def assert_pdf_ua(reader: pypdf.PdfReader, *, title: str, lang: str = "en-GB") -> None:
    """The marks of a tagged PDF/UA-1 document: marked content, a structure tree, the language,
    the title (shown by viewers instead of the file name) and the PDF/UA identification."""
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == title
    xmp = _resolve(root["/Metadata"]).get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert title.replace("&", "&amp;") in xmp  # dc:title


def image_xobjects(reader: pypdf.PdfReader) -> list:
    """Raster images placed on any page (a vector chart has none)."""
    images = []
    for page in reader.pages:
        resources = _resolve(page.get("/Resources")) or {}
        for obj in (_resolve(resources.get("/XObject")) or {}).values():
            obj = _resolve(obj)
            if obj.get("/Subtype") == "/Image":
                images.append(obj)
    return images
