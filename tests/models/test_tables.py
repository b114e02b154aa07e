"""The one guarded table writer (models/tables.py): rekey and communes sheets stay inert text."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from conftest import tiny_scenario_data
from models import registry, tables

FORMULA = '=HYPERLINK("http://x","y")'


def sheet_cells(path: Path) -> list[list[object]]:
    """Every row of a written sheet, read back (csv via the csv module, xlsx via openpyxl)."""
    if path.suffix == ".csv":
        return [list(r) for r in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))]
    ws = openpyxl.load_workbook(path).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def assert_inert(path: Path) -> None:
    cells = [c for row in sheet_cells(path) for c in row]
    assert "'" + FORMULA in cells and FORMULA not in cells
    if path.suffix == ".xlsx":
        ws = openpyxl.load_workbook(path).active
        kinds = {c.data_type for row in ws.iter_rows() for c in row if c.value == "'" + FORMULA}
        assert kinds == {"s"}
        with zipfile.ZipFile(path) as book:
            sheet_xml = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
        assert re.search(r"<f[\s>]", sheet_xml) is None  # no formula element anywhere


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_rekey_writes_a_formula_named_unit_as_text(suffix: str, tmp_path: Path) -> None:
    data = tiny_scenario_data()
    data["units"].append({"id": "X1", "name": FORMULA, "kind": "ward",
                          "window": {"from": "2025-06-02", "to": "2025-07-31"}})
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / f"rekey{suffix}"
    result = CliRunner().invoke(main, ["rekey", str(scenario), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert_inert(out)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_communes_writes_a_formula_named_unit_as_text(suffix: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    odd = registry.NewUnit(code="99999", name=FORMULA, division_type="phường",
                           province_code="01", province_name="Hà Nội", lat=-1.5, lon=105.8)
    monkeypatch.setattr(registry, "new_units", lambda code: (odd,))
    out = tmp_path / f"units{suffix}"
    result = CliRunner().invoke(main, ["communes", "--province", "Hà Nội", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert_inert(out)
    header, row = sheet_cells(out)[:2]
    lat = row[header.index("lat")]
    assert lat in ("-1.5", -1.5)  # a negative number is a number, not a formula


def test_every_formula_start_is_guarded_in_both_formats() -> None:
    rows = [{"a": start + "1+1", "b": -2, "c": None} for start in tables.FORMULA_STARTS]
    text = tables.csv_text(("a", "b", "c"), rows)
    parsed = list(csv.reader(io.StringIO(text.lstrip(tables.UTF8_BOM))))
    assert all(r[0].startswith("'") and r[1] == "-2" and r[2] == "" for r in parsed[1:])
    ws = openpyxl.load_workbook(io.BytesIO(tables.xlsx_bytes(("a", "b", "c"), rows))).active
    values = list(ws.iter_rows(min_row=2, values_only=True))
    assert all(str(a).startswith("'") and b == -2 and c is None for a, b, c in values)
