"""Importing official lists of licensed recruitment agencies (issue 21)."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from sqlalchemy import func, select

from goldendreams.agencies import licences, services
from goldendreams.agencies.licences import LicenceImportError
from goldendreams.agencies.models import LicenceList, Organisation
from goldendreams.core.audit import AuditLog
from goldendreams.extensions import db
from goldendreams.search.models import SearchChange
from tests.factories import AgencyFactory

DATA = Path(__file__).parent / "data" / "licences"
LIST_DATE = date(2026, 6, 1)


def sample(key: str) -> bytes:
    return (DATA / f"{key}.csv").read_bytes()


def as_xlsx(tmp_path: Path, key: str, *, dates: bool = True) -> Path:
    """The sample CSV of ``key`` as an XLSX sheet (ISO dates as real date cells)."""
    book = Workbook()
    sheet = book.active
    with open(DATA / f"{key}.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            cells: list[object] = []
            for value in row:
                try:
                    cells.append(date.fromisoformat(value) if dates else value)
                except ValueError:
                    cells.append(value)
            sheet.append(cells)
    path = tmp_path / f"{key}.xlsx"
    book.save(path)
    return path


def patched(path: Path, part: str, edit) -> bytes:
    """The XLSX file at ``path`` with its zip part ``part`` changed by ``edit`` (text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as to:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                data = edit(data.decode()).encode()
            to.writestr(info, data)
    return out.getvalue()


def import_list(key, data, name="list.csv", when=LIST_DATE, **kwargs):
    return services.import_licence_list(key, data, name, when, None, **kwargs)


def counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(Organisation.id))),
        db.session.scalar(select(func.count(LicenceList.id))),
        db.session.scalar(select(func.count(AuditLog.id))),
    )


def thai_agencies():
    return {
        "siam": AgencyFactory(
            name="Siam Recruitment Co., Ltd.", country="TH", licence_number="ทก.123/2560",
            licence_status="valid", licence_expiry=date(2027, 12, 31),
        ),
        "labour": AgencyFactory(  # no licence number on record: found by name
            name="THAI LABOUR COMPANY LIMITED", country="TH", licence_number=None,
            licence_status="valid", licence_expiry=date(2027, 1, 1),
        ),
        "chonburi": AgencyFactory(
            name="Chon Buri Manpower", country="TH", licence_number="ทก 789-2562",
            licence_status="valid", licence_expiry=date(2027, 9, 30),
        ),
        "myanmar": AgencyFactory(name="Siam Recruitment Co., Ltd.", country="MM",
                                 licence_number="ทก.456/2561"),
    }  # fmt: skip


# Reading each authority's list --------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("th-doe", [("ทก. ๑๒๓/๒๕๖๐", "Siam Recruitment Co., Ltd.", "valid", date(2027, 12, 31)),
                    ("ทก. 456/2561", "Thai Labour Co., Ltd.", "expired", date(2026, 3, 15)),
                    ("ทก. 789/2562", "Chon Buri Manpower Co., Ltd.", "revoked", date(2027, 9, 30)),
                    ("ทก. 999/2566", "New Horizon Recruitment Co., Ltd.", "valid",
                     date(2028, 1, 1))]),
        ("mm-dol", [("၁၂၃/၂၀၁၉", "Golden Bridge Overseas Employment Agency", "valid",
                     date(2027, 12, 31)),
                    ("၂၃၄/၂၀၂၀", "Ayeyar Manpower Co., Ltd.", "suspended", date(2027, 8, 15))]),
        ("np-dofe", [("१२३४/०७५/७६", "Himal Star Manpower Pvt. Ltd.", "valid", date(2027, 7, 15)),
                     ("567/070/71", "Everest Overseas Pvt. Ltd.", "revoked", date(2026, 12, 31))]),
        ("kh-mlvt", [("០៥៦/MLVT", "Angkor Workers Co., Ltd.", "valid", date(2027, 3, 1)),
                     ("078/MLVT", "Tonle Sap Manpower Co., Ltd.", "expired", date(2026, 1, 31))]),
        ("my-jtksm", [("JTKSM 1234", "Malaya Placement Sdn. Bhd.", "valid", date(2027, 5, 31)),
                      ("JTKSM 5678", "Johor Jaya Manpower Sdn. Bhd.", "suspended",
                       date(2027, 1, 15)),
                      ("JTKSM 9012", "Penang Pekerja Sdn. Bhd.", "revoked", date(2027, 2, 20))]),
    ],
)  # fmt: skip
def test_each_authority_reads_its_sample_as_csv_and_as_xlsx(app, tmp_path, key, expected):
    source = licences.authority(key)
    for data, name in (
        (sample(key), f"{key}.csv"),
        (as_xlsx(tmp_path, key).read_bytes(), "l.xlsx"),
    ):
        listed, _skipped = licences.read_list(data, name, source, LIST_DATE)
        found = [(row.number, row.name, row.status.value, row.expiry) for row in listed]
        assert found == expected, name
    if key != "my-jtksm":  # Malay names are in Latin letters: no second name
        assert all(row.name_local for row in listed)


def test_thai_list_reads_buddhist_era_years_thai_digits_and_month_names(app):
    listed, skipped = licences.read_list(
        sample("th-doe"), "th-doe.csv", licences.authority("th-doe"), LIST_DATE
    )
    assert listed[0].name_local == "บริษัท สยามจัดหางาน จำกัด"
    assert listed[0].province == "กรุงเทพมหานคร"
    assert skipped == [(8, "no licence number")]  # row 8 of the file
    source = licences.authority("th-doe")
    assert licences.parse_date("๓๑/๑๒/๒๕๖๘", source) == date(2025, 12, 31)
    assert licences.parse_date("1 ธันวาคม 2568", source) == date(2025, 12, 1)
    assert licences.parse_date("2025-12-31", source) == date(2025, 12, 31)


def test_buddhist_era_years_are_corrected_in_spreadsheet_date_cells_too(app, tmp_path):
    thai, malay = licences.authority("th-doe"), licences.authority("my-jtksm")
    assert licences.parse_date(date(2568, 12, 31), thai) == date(2025, 12, 31)
    assert licences.parse_date(datetime(2570, 9, 30, 0, 0), thai) == date(2027, 9, 30)
    assert licences.parse_date(date(2025, 12, 31), thai) == date(2025, 12, 31)
    assert licences.parse_date(date(2568, 12, 31), malay) == date(2568, 12, 31)  # no BE years
    book = Workbook()
    book.active.append(["เลขที่ใบอนุญาต", "Company name", "วันหมดอายุ"])
    book.active.append(["ทก. 1/2560", "A Co., Ltd.", date(2568, 12, 31)])  # typed 31/12/2568
    book.active.append(["ทก. 2/2560", "B Co., Ltd.", datetime(2570, 1, 1)])
    book.save(tmp_path / "be.xlsx")
    listed, _ = licences.read_list((tmp_path / "be.xlsx").read_bytes(), "be.xlsx", thai, LIST_DATE)
    assert [(row.expiry, row.status.value) for row in listed] == [
        (date(2025, 12, 31), "expired"),
        (date(2027, 1, 1), "valid"),
    ]
    # 29 February of a Buddhist-era year that is no leap year in the Common Era.
    book.active.append(["ทก. 3/2560", "C Co., Ltd.", date(2568, 2, 29)])
    book.save(tmp_path / "be.xlsx")
    with pytest.raises(LicenceImportError, match=r"row 4: .* is not a date"):
        licences.read_list((tmp_path / "be.xlsx").read_bytes(), "be.xlsx", thai, LIST_DATE)


def test_a_thai_list_saved_in_windows_874_is_read(app):
    text = sample("th-doe").decode("utf-8-sig")
    listed, _ = licences.read_list(
        text.encode("cp874"), "th.csv", licences.authority("th-doe"), LIST_DATE
    )
    assert listed[0].name_local == "บริษัท สยามจัดหางาน จำกัด"


def test_numbers_and_names_are_compared_normalised():
    assert licences.normalise_number("ทก. ๑๒๓/๒๕๖๐") == licences.normalise_number("ทก123-2560")
    assert licences.normalise_number("JTKSM 1234") == licences.normalise_number("jtksm-1234")
    assert licences.normalise_name("Thai Labour Co., Ltd.") == licences.normalise_name(
        "THAI LABOUR COMPANY LIMITED"
    )
    assert licences.normalise_name("บริษัท ไทยแรงงาน จำกัด") == "ไทยแรงงาน"


# Matching and what the import reports ------------------------------------------------------


def test_import_matches_by_number_then_name_and_adds_new_agencies_unverified(app):
    orgs = thai_agencies()
    plan, record = import_list("th-doe", sample("th-doe"), "doe-2026-06.csv")
    how = {c.listed.number: (c.how, c.org.id) for c in plan.changes}
    assert how["ทก. ๑๒๓/๒๕๖๐"] == ("number", orgs["siam"].id)
    assert how["ทก. 456/2561"] == ("name", orgs["labour"].id)  # not the Myanmar agency
    assert how["ทก. 789/2562"] == ("number", orgs["chonburi"].id)  # written differently

    labour = db.session.get(Organisation, orgs["labour"].id)
    assert (labour.licence_number, labour.licence_state(LIST_DATE)) == ("ทก. 456/2561", "expired")
    assert labour.name_local == orgs["labour"].name_local  # a name already there is kept
    chonburi = db.session.get(Organisation, orgs["chonburi"].id)
    assert chonburi.licence_status == "revoked"
    assert chonburi.licence_authority == "Department of Employment, Thailand"
    assert (chonburi.licence_checked_on, chonburi.licence_list_id) == (LIST_DATE, record.id)
    new = db.session.scalar(
        select(Organisation).filter_by(name="New Horizon Recruitment Co., Ltd.")
    )
    assert (new.kind, new.country, new.verified, new.is_demo) == ("agency", "TH", False, False)
    assert new.name_local == "บริษัท นิวฮอไรซันจัดหางาน จำกัด"
    assert (new.licence_status, new.licence_expiry) == ("valid", date(2028, 1, 1))
    assert db.session.get(Organisation, orgs["myanmar"].id).licence_checked_on is None

    assert (record.authority, record.file_name, record.list_date) == (
        "th-doe", "doe-2026-06.csv", LIST_DATE,
    )  # fmt: skip
    assert (record.rows, record.matched, record.new, record.revoked, record.expired) == (
        5, 3, 1, 1, 1,
    )  # fmt: skip
    assert (record.unchanged, record.skipped, record.no_longer_listed) == (0, 1, 0)
    # New and changed organisations go to the search index's change feed.
    fed = set(db.session.scalars(select(SearchChange.record_id).filter_by(kind="organisation")))
    assert {new.id, labour.id, chonburi.id} <= fed


def test_a_name_match_never_overwrites_a_different_licence_number(app):
    licensed = AgencyFactory(
        name="Golden Star Manpower Company Limited", country="TH", licence_number="123/2560",
        licence_status="valid", licence_expiry=date(2027, 12, 31),
    )  # fmt: skip
    typed = AgencyFactory(name="Silver Moon Recruitment", country="TH", licence_number=None)
    data = (
        "เลขที่ใบอนุญาต,Company name,สถานะ\n"
        '999/2561,"Golden Star Manpower Co., Ltd.",เพิกถอน\n'
        '555/2563,"Silver Moon Recruitment Co., Ltd.",เพิกถอน\n'
    ).encode()
    before = db.session.scalar(select(func.count(Organisation.id)))
    plan, record = import_list("th-doe", data)
    assert [(c.listed.number, c.org.id, c.how) for c in plan.changes] == [
        ("555/2563", typed.id, "name")  # no number on record: the name is enough
    ]
    (skip,) = plan.skipped
    assert skip[0] == 2 and skip[1].startswith("name matches, licence number differs")
    assert "123/2560" in skip[1]
    db.session.expire_all()
    licensed = db.session.get(Organisation, licensed.id)
    assert (licensed.licence_number, licensed.licence_status, licensed.licence_checked_on) == (
        "123/2560", "valid", None,
    )  # fmt: skip
    assert db.session.get(Organisation, typed.id).licence_status == "revoked"
    assert db.session.scalar(select(func.count(Organisation.id))) == before  # none added
    assert (record.matched, record.new, record.revoked, record.skipped) == (1, 0, 1, 1)


def test_one_audit_entry_for_the_import_with_its_counts(app):
    thai_agencies()
    before = db.session.scalar(select(func.count(AuditLog.id)))
    _plan, record = import_list("th-doe", sample("th-doe"))
    entries = list(db.session.scalars(select(AuditLog).where(AuditLog.id > 0)))[before:]
    assert [(e.action, e.target_type, e.target_id) for e in entries] == [
        ("licences.import", "licence_list", record.id)
    ]
    assert entries[0].detail["new"] == 1 and entries[0].detail["authority"] == "th-doe"


def test_the_audit_entry_names_the_agencies_changed_barred_expired_and_added(app, monkeypatch):
    orgs = thai_agencies()
    import_list("th-doe", sample("th-doe"))
    new = db.session.scalar(
        select(Organisation).filter_by(name="New Horizon Recruitment Co., Ltd.")
    )
    (entry,) = db.session.scalars(select(AuditLog).filter_by(action="licences.import"))
    detail = entry.detail
    assert sorted(detail["status_changed_ids"]) == sorted([orgs["labour"].id, orgs["chonburi"].id])
    assert detail["barred_ids"] == [orgs["chonburi"].id]
    assert detail["expired_ids"] == [orgs["labour"].id]
    assert detail["added_ids"] == [new.id]
    assert (detail["status_changed_count"], detail["added_count"]) == (2, 1)
    # Long lists are cut, their counts kept; still one entry per import.
    monkeypatch.setattr(services, "MAX_AUDIT_IDS", 1)
    many = "Licence No,Agency Name\n" + "".join(f"JTKSM {n},Agency {n}\n" for n in range(3))
    import_list("my-jtksm", many.encode())
    entries = list(db.session.scalars(select(AuditLog).filter_by(action="licences.import")))
    assert len(entries) == 2
    assert (len(entries[1].detail["added_ids"]), entries[1].detail["added_count"]) == (1, 3)


def test_agencies_missing_from_the_next_list_are_reported_not_changed(app):
    orgs = thai_agencies()
    import_list("th-doe", sample("th-doe"))
    text = sample("th-doe").decode("utf-8-sig")
    shorter = "\n".join(line for line in text.splitlines() if "สยามจัดหางาน" not in line)
    plan, record = import_list("th-doe", shorter.encode(), when=date(2026, 7, 1))
    assert [o.id for o in plan.no_longer_listed] == [orgs["siam"].id]
    assert record.no_longer_listed == 1
    siam = db.session.get(Organisation, orgs["siam"].id)
    assert (siam.licence_status, siam.licence_checked_on) == ("valid", LIST_DATE)
    # The same list again: nothing changes, every agency is unchanged.
    again, record = import_list("th-doe", shorter.encode(), when=date(2026, 7, 1))
    assert (record.new, record.unchanged, record.no_longer_listed) == (0, 3, 0)
    assert not any(c.barred or c.expired for c in again.changes)


def test_an_older_list_does_not_undo_a_newer_one(app):
    orgs = thai_agencies()
    import_list("th-doe", sample("th-doe"), when=date(2026, 7, 1))
    plan, _record = import_list("th-doe", sample("th-doe"), when=date(2026, 5, 1))
    assert sum("newer list" in reason for _row, reason in plan.skipped) == 4
    assert db.session.get(Organisation, orgs["siam"].id).licence_checked_on == date(2026, 7, 1)


def test_dry_run_writes_nothing(app):
    thai_agencies()
    before = counts()
    changes_before = db.session.scalar(select(func.count(SearchChange.id)))
    plan, record = import_list("th-doe", sample("th-doe"), dry_run=True)
    assert record is None and plan.counts()["new"] == 1
    db.session.expire_all()
    assert counts() == before
    assert db.session.scalar(select(func.count(SearchChange.id))) == changes_before
    assert db.session.scalar(select(func.count(Organisation.id)).where(
        Organisation.licence_checked_on.is_not(None))) == 0  # fmt: skip


def test_a_hand_edit_of_the_licence_drops_the_check_line(app):
    orgs = thai_agencies()
    import_list("th-doe", sample("th-doe"))
    siam = db.session.get(Organisation, orgs["siam"].id)
    services.update_organisation(siam, None, licence_status="suspended")
    assert (siam.licence_checked_on, siam.licence_list_id) == (None, None)


# Bad input: a clear error, nothing written ------------------------------------------------


def _formula_sheet(tmp_path: Path) -> bytes:
    book = Workbook()
    book.active.append(["Licence No", "Agency Name", "Status"])
    book.active.append(["JTKSM 1", "A Sdn. Bhd.", '=IF(1,"Aktif","")'])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    return path.read_bytes()


BAD_FILES = {
    "empty": (b"", "list.csv", "empty"),
    "blank": (b" \n\n", "list.csv", "empty"),
    "no header": (b"a,b,c\n1,2,3\n", "list.csv", "No header row found"),
    "wrong encoding": ("Licence No,Agency Name\n1,Ayeyar ဧရာ\n".encode("utf-16"), "list.csv",
                       "could not be read"),
    "bad date": (b"Licence No,Agency Name,Expiry Date\n1,A Co,31/13/2027\n", "list.csv",
                 "is not a date"),
    "unknown status": (b"Licence No,Agency Name,Status\n1,A Co,maybe\n", "list.csv",
                       "unknown status"),
    "not a spreadsheet": (b"PK\x03\x04 not really a zip", "list.xlsx", "not a readable"),
    "old excel": (b"\xd0\xcf\x11\xe0", "list.xls", "Only .csv and .xlsx"),
    "other file": (b"%PDF-1.4", "list.pdf", ".csv or .xlsx"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_give_a_clear_error_and_write_nothing(app, case):
    AgencyFactory(country="MM", licence_number="1")
    data, name, message = BAD_FILES[case]
    before = counts()
    with pytest.raises(LicenceImportError, match=message):
        import_list("mm-dol", data, name)
    db.session.rollback()
    assert counts() == before


def test_formula_cells_and_huge_files_are_refused(app, tmp_path, monkeypatch):
    before = counts()
    with pytest.raises(LicenceImportError, match="formula"):
        import_list("my-jtksm", _formula_sheet(tmp_path), "formula.xlsx")
    monkeypatch.setattr(licences, "MAX_ROWS", 2)
    with pytest.raises(LicenceImportError, match="more than 2 rows"):
        import_list("my-jtksm", as_xlsx(tmp_path, "my-jtksm").read_bytes(), "x.xlsx")
    monkeypatch.setattr(licences, "MAX_FILE_BYTES", 100)
    with pytest.raises(LicenceImportError, match="too big"):
        import_list("my-jtksm", sample("my-jtksm"), "x.csv")
    assert counts() == before


@pytest.mark.parametrize("declared", ["A1:XFD300", "A1:XFD1048576"])
def test_an_xlsx_declaring_a_huge_size_is_read_row_by_row(app, tmp_path, declared):
    """openpyxl pads rows to the size a sheet declares: a 5 KB file declaring 16,384
    columns and a million rows must not fill the memory."""
    path = as_xlsx(tmp_path, "my-jtksm")
    data = patched(
        path, "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{declared}"', xml),
    )  # fmt: skip
    assert len(data) < 10_000
    started = time.monotonic()
    rows = licences.read_rows(data, "l.xlsx", licences.authority("my-jtksm"))
    assert time.monotonic() - started < 5
    assert len(rows) == 4 and max(len(row) for row in rows) <= licences.MAX_COLUMNS
    listed, _ = licences.read_list(data, "l.xlsx", licences.authority("my-jtksm"), LIST_DATE)
    assert [row.number for row in listed] == ["JTKSM 1234", "JTKSM 5678", "JTKSM 9012"]
    assert licences.MAX_UNPACKED_BYTES <= 50 * 1024 * 1024


def test_a_header_wider_than_the_columns_read_is_refused(app, tmp_path, monkeypatch):
    monkeypatch.setattr(licences, "MAX_COLUMNS", 3)
    book = Workbook()
    book.active.append(["Licence No", "Agency Name", "Province", "Notes", "Status"])
    book.active.append(["JTKSM 1", "A Sdn. Bhd.", "Johor", "", "Dibatalkan"])
    book.save(tmp_path / "wide.xlsx")
    with pytest.raises(LicenceImportError, match="more than 3 columns"):
        import_list("my-jtksm", (tmp_path / "wide.xlsx").read_bytes(), "wide.xlsx")
    # Data beyond the columns read, right of a narrow header, is left out.
    book = Workbook()
    book.active.append(["Licence No", "Agency Name"])
    book.active.append(["JTKSM 1", "A Sdn. Bhd.", "", "", "a note"])
    book.save(tmp_path / "narrow.xlsx")
    source = licences.authority("my-jtksm")
    listed, _ = licences.read_list((tmp_path / "narrow.xlsx").read_bytes(), "n.xlsx", source,
                                   LIST_DATE)  # fmt: skip
    assert [row.number for row in listed] == ["JTKSM 1"]


def _chart_sheet_first(book: Workbook) -> None:
    """Put a chart sheet (with a chart: openpyxl cannot read back an empty one) first."""
    chart = BarChart()
    chart.add_data(Reference(book["Sheet"], min_col=1, min_row=1, max_row=2))
    book.create_chartsheet("Chart", 0).add_chart(chart)


def _broken_sheets(tmp_path: Path) -> dict[str, bytes]:
    path = as_xlsx(tmp_path, "my-jtksm")
    sheet = "xl/worksheets/sheet1.xml"
    not_a_number = '<row r="9"><c r="A9" t="n"><v>abc</v></c></row></sheetData>'
    chart_only = Workbook()
    _chart_sheet_first(chart_only)
    chart_only.remove(chart_only["Sheet"])
    chart_only.save(tmp_path / "chart.xlsx")
    return {
        "bad xml in the rows": patched(path, sheet, lambda x: x.replace("</sheetData>", "<row")),
        "a number that is not": patched(
            path, sheet, lambda x: x.replace("</sheetData>", not_a_number)
        ),
        "no worksheet": (tmp_path / "chart.xlsx").read_bytes(),
    }


@pytest.mark.parametrize("case", ["bad xml in the rows", "a number that is not", "no worksheet"])
def test_a_broken_xlsx_gives_a_clear_error_not_a_traceback(app, tmp_path, case):
    data = _broken_sheets(tmp_path)[case]
    before = counts()
    with pytest.raises(LicenceImportError, match=r"not a readable \.xlsx|no sheet with a list"):
        import_list("my-jtksm", data, "broken.xlsx")
    db.session.rollback()
    assert counts() == before


def test_a_chart_sheet_before_the_list_is_passed_over(app, tmp_path):
    book = Workbook()
    book["Sheet"].append(["Licence No", "Agency Name"])
    book["Sheet"].append(["JTKSM 1", "A Sdn. Bhd."])
    _chart_sheet_first(book)
    book.save(tmp_path / "chart-first.xlsx")
    source = licences.authority("my-jtksm")
    listed, _ = licences.read_list((tmp_path / "chart-first.xlsx").read_bytes(), "c.xlsx",
                                   source, LIST_DATE)  # fmt: skip
    assert [row.number for row in listed] == ["JTKSM 1"]


def test_unknown_authority_and_future_dates_are_refused(app):
    with pytest.raises(LicenceImportError, match="Unknown authority"):
        import_list("xx-none", sample("th-doe"))
    with pytest.raises(LicenceImportError, match="future"):
        import_list("th-doe", sample("th-doe"), when=date(2999, 1, 1))


# The command ------------------------------------------------------------------------------


def test_command_imports_and_reports(app, tmp_path):
    thai_agencies()
    path = tmp_path / "doe.csv"
    path.write_bytes(sample("th-doe"))
    runner = app.test_cli_runner()
    args = ["licences", "import", str(path), "--authority", "th-doe", "--date", "2026-06-01"]
    dry = runner.invoke(args=[*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run, nothing written" in dry.output
    assert db.session.scalar(select(func.count(LicenceList.id))) == 0
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "new: 1" in result.output and "revoked: 1" in result.output
    assert "Revoked or suspended:\n  Chon Buri Manpower (licence ทก. 789/2562)" in result.output
    assert "Expired:\n  THAI LABOUR COMPANY LIMITED (licence ทก. 456/2561)" in result.output
    assert "New (added unverified):\n  New Horizon Recruitment" in result.output
    assert "row 8: no licence number" in result.output

    authorities = runner.invoke(args=["licences", "authorities"])
    for key in ("th-doe", "mm-dol", "np-dofe", "kh-mlvt", "my-jtksm"):
        assert key in authorities.output
    assert "https://www.doe.go.th/" in authorities.output


def test_command_reports_no_longer_listed_from_an_xlsx(app, tmp_path):
    gone = AgencyFactory(name="Old Kuala Agency Sdn. Bhd.", country="MY", licence_number="JTKSM 1")
    first = tmp_path / "first.csv"
    first.write_text("No. Lesen,Nama Agensi\nJTKSM 1,Old Kuala Agency Sdn. Bhd.\n")
    runner = app.test_cli_runner()
    base = ["licences", "import", "--authority", "my-jtksm"]
    assert runner.invoke(args=[*base, str(first), "--date", "2026-05-01"]).exit_code == 0
    result = runner.invoke(args=[*base, str(as_xlsx(tmp_path, "my-jtksm")), "--date", "2026-06-01"])
    assert result.exit_code == 0, result.output
    assert f"No longer listed (not changed: check them by hand):\n  {gone.name}" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--authority", "zz"], "Unknown authority"),
        (["--authority", "th-doe", "--date", "01/06/2026"], "is not a date"),
        (["--authority", "th-doe", "--date", "2026-02-30"], "is not a date"),
        (["--authority", "th-doe", "missing.csv"], "cannot be read"),
    ],
)
def test_command_refuses_bad_input_with_exit_code_1(app, tmp_path, args, message):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    if args[-1] == "missing.csv":
        args = [*args[:-1], str(tmp_path / "missing.csv")]
    else:
        args = [str(path), *args]
    result = app.test_cli_runner().invoke(args=["licences", "import", *args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert db.session.scalar(select(func.count(LicenceList.id))) == 0


def test_command_says_what_is_wrong_with_the_file(app, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    args = ["licences", "import", str(path), "--authority", "th-doe"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert "empty.csv: The file is empty. Nothing was imported." in result.output


# The agency's page -------------------------------------------------------------------------


def test_the_agency_page_says_where_and_when_the_licence_was_checked(app, client):
    orgs = thai_agencies()
    typed = AgencyFactory(country="TH")
    import_list("th-doe", sample("th-doe"), when=date(2026, 3, 3))
    page = client.get(f"/organisations/{orgs['siam'].id}").get_data(as_text=True)
    assert (
        "Licence checked on March 3, 2026 against the list of the Department of Employment, "
        "Thailand." in page
    )
    assert 'href="https://www.doe.go.th/"' in page
    typed_page = client.get(f"/organisations/{typed.id}").get_data(as_text=True)
    assert "Licence checked on" not in typed_page


def test_demo_imports_a_thai_list_once(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    (record,) = db.session.scalars(select(LicenceList))
    assert (record.authority, record.matched, record.new) == ("th-doe", 3, 0)
    checked = list(db.session.scalars(select(Organisation).filter_by(licence_list_id=record.id)))
    assert {o.country for o in checked} == {"TH"} and all(o.is_demo for o in checked)
    page = client.get(f"/organisations/{checked[0].id}").get_data(as_text=True)
    assert "against the list of the Department of Employment, Thailand" in page
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert db.session.scalar(select(func.count(LicenceList.id))) == 1
