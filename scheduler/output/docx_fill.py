"""Filling ``{{name}}`` placeholders in a Word template, and joining filled documents.

Word splits text into runs wherever formatting, spell-checking or editing history changes, so a
placeholder a planner typed may sit across several runs (``{{don_`` + ``vi}}``). Each paragraph's
runs are read as one text; a match is written into the run where it starts and cut out of the
runs it spans, so the formatting of everything around it stays as the planner set it.

Paragraphs are found wherever they are: body, tables (nested too), text boxes, headers, footers.
A placeholder whose name starts with ``REPEAT_PREFIX`` repeats its table row (or, outside a
table, its paragraph) once per item of a list, e.g. one row per member of a visiting group.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import CONTENT_TYPE as CT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml.etree import _Element

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")  # loose, so "{{don-vi}}" is caught as unknown
REPEAT_PREFIX = "tv_"
_TEXT_PARTS = (CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER)
# Runs a paragraph shows, in order, also inside hyperlinks, tracked insertions and fields.
_RUNS_XPATH = "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r"


class TemplateError(ValueError):
    """The template cannot be used; ``problems`` are (where, what to do) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{where}: {what}" for where, what in problems))


def open_docx(data: bytes) -> DocumentObject:
    """A python-docx Document from bytes; TemplateError if it is not a Word .docx file."""
    try:
        return Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError([("template", f"not a Word .docx file ({exc}); save it from Word "
                                          "as .docx, or write the default with --write-template")]) from None


def docx_bytes(doc: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def paragraphs(doc: DocumentObject) -> Iterator[_Element]:
    """Every w:p of the body, tables, text boxes, headers and footers."""
    for part in doc.part.package.iter_parts():
        if part.content_type in _TEXT_PARTS:
            yield from list(part.element.iter(qn("w:p")))


def _runs(p: _Element) -> list[_Element]:
    return list(p.xpath(_RUNS_XPATH))


def paragraph_text(p: _Element) -> str:
    return "".join(r.text for r in _runs(p))


def placeholder_names(doc: DocumentObject) -> set[str]:
    """Names of the placeholders the template holds."""
    return {m.group(1) for p in paragraphs(doc) for m in PLACEHOLDER.finditer(paragraph_text(p))}


def check_placeholders(doc: DocumentObject, known: Sequence[str]) -> None:
    """TemplateError naming every unknown placeholder and listing the known ones."""
    unknown = sorted(placeholder_names(doc) - set(known))
    if unknown:
        listing = ", ".join("{{" + k + "}}" for k in known)
        raise TemplateError([("{{" + name + "}}", f"unknown placeholder; the known ones are: {listing}")
                             for name in unknown])


def fill_paragraph(p: _Element, values: Mapping[str, str]) -> None:
    """Replace every placeholder of ``p`` found in ``values`` (split across runs or not)."""
    runs = _runs(p)
    texts = [r.text for r in runs]
    joined = "".join(texts)
    matches = [m for m in PLACEHOLDER.finditer(joined) if m.group(1) in values]
    if not matches:
        return
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text)
    changed: set[int] = set()
    for m in reversed(matches):  # from the end, so earlier offsets stay valid
        first = bisect_right(starts, m.start()) - 1
        last = bisect_right(starts, m.end() - 1) - 1
        head = texts[first][: m.start() - starts[first]]
        tail = texts[last][m.end() - starts[last]:]
        for k in range(first + 1, last + 1):
            texts[k] = ""
        texts[first] = head + values[m.group(1)] + (tail if first == last else "")
        if last > first:
            texts[last] = tail
        changed.update(range(first, last + 1))
    for k in changed:
        runs[k].text = texts[k]  # "\n" becomes a line break


def _repeat_container(p: _Element) -> _Element:
    """The table row holding ``p``, else ``p`` itself."""
    row = next(p.iterancestors(qn("w:tr")), None)
    return row if row is not None else p


def fill_repeats(doc: DocumentObject, items: Sequence[Mapping[str, str]],
                 values: Mapping[str, str]) -> None:
    """Repeat each row (or paragraph) holding a repeat placeholder once per item, filled."""
    containers: list[_Element] = []
    for p in paragraphs(doc):
        names = {m.group(1) for m in PLACEHOLDER.finditer(paragraph_text(p))}
        container = _repeat_container(p)
        if any(n.startswith(REPEAT_PREFIX) for n in names) and container not in containers:
            containers.append(container)
    for container in containers:
        for item in items:
            clone = copy.deepcopy(container)
            for p in list(clone.iter(qn("w:p"))):  # iter() includes the clone when it is a w:p
                fill_paragraph(p, {**values, **item})
            container.addprevious(clone)
        parent = container.getparent()
        if parent is not None:
            parent.remove(container)


def fill_document(doc: DocumentObject, values: Mapping[str, str],
                  items: Sequence[Mapping[str, str]] = ()) -> None:
    """Fill repeats first (they need the item values), then every other placeholder."""
    fill_repeats(doc, items, values)
    for p in paragraphs(doc):
        fill_paragraph(p, values)


# sectPr children that come after w:pgNumType (ECMA-376 schema order)
_AFTER_PGNUM = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _numbered_from_one(section: _Element) -> _Element:
    """``section`` (a w:sectPr) with its pages numbered from 1."""
    for old in section.findall(qn("w:pgNumType")):
        section.remove(old)
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    later = next((el for el in section if el.tag in {qn(t) for t in _AFTER_PGNUM}), None)
    if later is not None:
        later.addprevious(numbering)
    else:
        section.append(numbering)
    return section


def _section_break(section: _Element) -> _Element:
    """A paragraph ending a section laid out like ``section`` (a new page), so that the next
    letter's pages are numbered from 1 again."""
    p = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    properties.append(_numbered_from_one(copy.deepcopy(section)))
    p.append(properties)
    return p


def join_documents(filled: Sequence[bytes]) -> bytes:
    """One document holding every document of ``filled`` (all made from one template), each in
    its own section (a new page, page numbers from 1); the first one's page setup, headers,
    footers and styles serve for all."""
    combined = Document(io.BytesIO(filled[0]))
    body = combined.element.body
    section = body.find(qn("w:sectPr"))
    if section is None:
        section = combined.sections[0]._sectPr
    _numbered_from_one(section)
    for data in filled[1:]:
        other = Document(io.BytesIO(data)).element.body
        elements = [_section_break(section)]
        elements += [copy.deepcopy(el) for el in other if el.tag != qn("w:sectPr")]
        for el in elements:
            section.addprevious(el)
    return docx_bytes(combined)
