"""Documents a plan cites: the campaign's plan, the decision forming a team.

A notice a chief signs cites each document by number, date and issuer ("Kế hoạch số 114/KH-UBND
ngày 23/4/2025 của Ủy ban nhân dân Thành phố"). A scenario may give only the number (the older
``legal_basis: 114/KH-UBND``); the date and issuer are then left out, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field

from models.field_work import Strict

# The document kind from the code in its number (Nghị định 30/2020/NĐ-CP, Appendix III).
KIND_BY_CODE = {"KH": ("Kế hoạch", "Plan"), "QĐ": ("Quyết định", "Decision"),
                "TB": ("Thông báo", "Notice"), "CV": ("Công văn", "Letter"),
                "CT": ("Chỉ thị", "Directive"), "NQ": ("Nghị quyết", "Resolution"),
                "BC": ("Báo cáo", "Report"), "HD": ("Hướng dẫn", "Guidance")}
_CODE = re.compile(r"/([^\W\d_]+)-")


def _nfc_text(value: Any) -> Any:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_nfc_text), Field(min_length=1)]


class LegalDocument(Strict):
    """A document by number, date and issuer; ``kind`` defaults from the number's code."""

    number: Text = Field(description='e.g. "114/KH-UBND"')
    issued_on: date | None = Field(None, alias="date", description="date of issue (leave out if unknown)")
    issuer: Text | None = Field(None, description='e.g. "Ủy ban nhân dân Thành phố"')
    kind: Text | None = Field(None, description='e.g. "Kế hoạch"; default from the number ("/KH-")')

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def kind_name(self, lang: str = "vi") -> str | None:
        if self.kind:
            return self.kind
        match = _CODE.search(self.number)
        names = KIND_BY_CODE.get(match.group(1).upper()) if match else None
        return None if names is None else names[0 if lang == "vi" else 1]

    def citation(self, lang: str = "vi") -> str:
        """"Kế hoạch số 114/KH-UBND ngày 23/4/2025 của Ủy ban nhân dân Thành phố", with only the
        parts the scenario gives."""
        vi = lang == "vi"
        kind = self.kind_name(lang)
        text = f"{kind} {'số' if vi else 'No.'} {self.number}" if kind else self.number
        if self.issued_on is not None:
            day = f"{self.issued_on.day}/{self.issued_on.month}/{self.issued_on.year}"
            text += f" {'ngày' if vi else 'of'} {day}"
        if self.issuer:
            text += f" {'của' if vi else 'by'} {self.issuer}"
        return text


def as_documents(value: Any) -> Any:
    """``legal_basis`` as a list: a bare number or one mapping becomes a one-item list."""
    if value is None:
        return []
    if isinstance(value, str | dict | LegalDocument):
        value = [value]
    if isinstance(value, list):
        return [{"number": v} if isinstance(v, str) else v for v in value]
    return value


def numbers(documents: list[LegalDocument]) -> str:
    """The numbers only ("114/KH-UBND; 2745/QĐ-UBND"), for titles and one-line headers."""
    return "; ".join(d.number for d in documents)


def citations(documents: list[LegalDocument], lang: str = "vi") -> str:
    """Every document cited in full, "; " between them."""
    return "; ".join(d.citation(lang) for d in documents)
