"""Text fields as every scenario file has them: NFC-normalised, stripped, no control characters.

Shared by ``models.scenario`` and ``models.selection``, so that a name typed in either compares
equal to the same name typed elsewhere.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, Field


def nfc(value: Any) -> Any:
    """Vietnamese text is normalised to NFC so that the same name always compares equal; a
    control character is refused here, at its field, since no output could show it (Excel
    refuses it outright)."""
    if isinstance(value, str):
        check_no_control(value)
        return unicodedata.normalize("NFC", value).strip()
    return value


def check_no_control(text: str) -> None:
    """Refuse control characters (tab, line breaks, NUL, escape ...) in names and ids."""
    bad = next((c for c in text if unicodedata.category(c) in ("Cc", "Cs")), None)
    if bad is not None:
        raise ValueError(f"contains the control character U+{ord(bad):04X} at position "
                         f"{text.index(bad) + 1}; retype the text without it (copied text often "
                         "carries one)")


Text = Annotated[str, BeforeValidator(nfc), Field(min_length=1)]
Id = Annotated[
    str,
    BeforeValidator(nfc),
    Field(min_length=1, max_length=64, pattern=r"^[^\s;,]+$", description="short id, no spaces"),
]
