"""Official lists of licensed recruitment agencies: the rules of their import.

Each licensing authority publishes a list (CSV or XLSX) with its own headers, in English or
its own language, its own status words and date formats (Thailand writes Buddhist-era
years: 31/12/2568 is 31 December 2025). ``AUTHORITIES`` says how to read each one. This
module reads a file into ``ListedAgency`` rows and plans what the import changes
(``plan``); ``services.import_licence_list`` writes the plan.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from goldendreams.agencies.models import LicenceList, LicenceStatus, Organisation, OrgKind
from goldendreams.core.pii import to_ascii_digits
from goldendreams.extensions import db

#: A list bigger than this is refused before it is read (the largest real lists are a few
#: thousand rows: well under 2 MB).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: An XLSX file is a zip: its parts may not unpack to more than this (a zip bomb; openpyxl
#: loads the shared strings part whole).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 50_000
#: Only this many columns of a spreadsheet are read. openpyxl pads each row to the width the
#: sheet declares (up to 16,384 columns): a small file could otherwise fill the memory.
MAX_COLUMNS = 50
#: The header row is looked for among the first rows (titles and notes come before it).
HEADER_SEARCH_ROWS = 30
#: At most this many row problems are listed in the error.
MAX_PROBLEMS_SHOWN = 10
NAME_MAX, NUMBER_MAX, PROVINCE_MAX = 200, 100, 100

FIELDS = ("number", "name", "name_local", "status", "expiry", "province")


class LicenceImportError(ValueError):
    """The file cannot be imported; ``str(error)`` says why (nothing was written)."""


@dataclass(frozen=True)
class Columns:
    """For each field, the header names that give it (compared without case, spaces or
    punctuation)."""

    number: tuple[str, ...]
    name: tuple[str, ...]
    name_local: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    expiry: tuple[str, ...] = ()
    province: tuple[str, ...] = ()


#: Status words every list may use (compared case-folded, spaces trimmed).
COMMON_STATUS_WORDS = {
    "active": LicenceStatus.VALID,
    "valid": LicenceStatus.VALID,
    "licensed": LicenceStatus.VALID,
    "in force": LicenceStatus.VALID,
    "renewed": LicenceStatus.VALID,
    "expired": LicenceStatus.EXPIRED,
    "suspended": LicenceStatus.SUSPENDED,
    "temporarily suspended": LicenceStatus.SUSPENDED,
    "revoked": LicenceStatus.REVOKED,
    "cancelled": LicenceStatus.REVOKED,
    "canceled": LicenceStatus.REVOKED,
    "terminated": LicenceStatus.REVOKED,
    "blacklisted": LicenceStatus.REVOKED,
}

COMMON_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d %m %Y")


@dataclass(frozen=True)
class LicenceAuthority:
    """A licensing authority: its key (``--authority``), English name (stored on each
    agency), the same name for readers (translated), country, public register and how its
    list reads."""

    key: str
    name: str
    label: object  # a lazy gettext string
    country: str
    register_url: str
    columns: Columns
    status_words: dict[str, LicenceStatus] = field(default_factory=dict)
    date_formats: tuple[str, ...] = COMMON_DATE_FORMATS
    #: Years above 2400 are Buddhist-era years (BE = CE + 543).
    buddhist_era: bool = False
    #: Single-byte encodings tried after UTF-8 (Thai lists often come in Windows-874).
    fallback_encodings: tuple[str, ...] = ()

    def status_for(self, word: str) -> LicenceStatus | None:
        key = " ".join(word.casefold().split())
        return self.status_words.get(key) or COMMON_STATUS_WORDS.get(key)


_NUMBER = ("licence no", "license no", "licence number", "license number", "lic no")
_NAME = ("agency name", "company name", "name of agency", "name of company", "name", "name en")
_STATUS = ("status", "licence status", "license status")
_EXPIRY = ("expiry date", "expiry", "expires", "valid until", "valid till", "date of expiry")
_ADDRESS = ("province", "address", "location")

AUTHORITIES: dict[str, LicenceAuthority] = {
    authority.key: authority
    for authority in (
        LicenceAuthority(
            key="th-doe",
            name="Department of Employment, Thailand",
            label=_l("Department of Employment, Thailand"),
            country="TH",
            register_url="https://www.doe.go.th/",
            columns=Columns(
                number=(*_NUMBER, "เลขที่ใบอนุญาต", "ใบอนุญาตเลขที่", "เลขใบอนุญาต"),
                name=(*_NAME, "ชื่อบริษัท ภาษาอังกฤษ", "ชื่อภาษาอังกฤษ"),
                name_local=("ชื่อบริษัท", "ชื่อผู้รับอนุญาต", "ชื่อนิติบุคคล", "name th", "thai name"),
                status=(*_STATUS, "สถานะ", "สถานะใบอนุญาต"),
                expiry=(*_EXPIRY, "วันหมดอายุ", "วันที่หมดอายุ", "ใบอนุญาตหมดอายุ"),
                province=(*_ADDRESS, "จังหวัด", "ที่อยู่", "ที่ตั้ง"),
            ),
            status_words={
                "ปกติ": LicenceStatus.VALID,
                "ใช้งาน": LicenceStatus.VALID,
                "ใช้งานได้": LicenceStatus.VALID,
                "มีผล": LicenceStatus.VALID,
                "หมดอายุ": LicenceStatus.EXPIRED,
                "พักใช้": LicenceStatus.SUSPENDED,
                "พักใช้ใบอนุญาต": LicenceStatus.SUSPENDED,
                "เพิกถอน": LicenceStatus.REVOKED,
                "ถูกเพิกถอน": LicenceStatus.REVOKED,
                "เพิกถอนใบอนุญาต": LicenceStatus.REVOKED,
                "ยกเลิก": LicenceStatus.REVOKED,
            },
            buddhist_era=True,
            fallback_encodings=("cp874",),
        ),
        LicenceAuthority(
            key="mm-dol",
            name="Ministry of Labour, Myanmar",
            label=_l("Ministry of Labour, Myanmar"),
            country="MM",
            register_url="https://www.mol.gov.mm/",
            columns=Columns(
                number=(*_NUMBER, "လိုင်စင်အမှတ်", "လိုင်စင်နံပါတ်"),
                name=_NAME,
                name_local=("အေဂျင်စီအမည်", "ကုမ္ပဏီအမည်", "name mm", "myanmar name"),
                status=(*_STATUS, "အခြေအနေ"),
                expiry=(*_EXPIRY, "သက်တမ်းကုန်ဆုံးရက်", "သက်တမ်းကုန်ရက်"),
                province=(*_ADDRESS, "region", "state region", "တိုင်းဒေသကြီးပြည်နယ်", "လိပ်စာ"),
            ),
            status_words={
                "တရားဝင်": LicenceStatus.VALID,
                "သက်တမ်းရှိ": LicenceStatus.VALID,
                "သက်တမ်းကုန်": LicenceStatus.EXPIRED,
                "ဆိုင်းငံ့": LicenceStatus.SUSPENDED,
                "ယာယီပိတ်": LicenceStatus.SUSPENDED,
                "ပယ်ဖျက်": LicenceStatus.REVOKED,
                "ပိတ်သိမ်း": LicenceStatus.REVOKED,
            },
        ),
        LicenceAuthority(
            key="np-dofe",
            name="Department of Foreign Employment, Nepal",
            label=_l("Department of Foreign Employment, Nepal"),
            country="NP",
            register_url="https://dofe.gov.np/",
            columns=Columns(
                number=(*_NUMBER, "इजाजतपत्र नं", "इजाजत नं", "इजाजतपत्र नम्बर"),
                name=_NAME,
                name_local=("कम्पनीको नाम", "संस्थाको नाम", "name np", "nepali name"),
                status=(*_STATUS, "अवस्था", "स्थिति"),
                expiry=(*_EXPIRY, "renewed till", "renew date", "म्याद", "नवीकरण मिति"),
                province=(*_ADDRESS, "ठेगाना", "प्रदेश"),
            ),
            status_words={
                "सक्रिय": LicenceStatus.VALID,
                "नवीकरण भएको": LicenceStatus.VALID,
                "म्याद सकिएको": LicenceStatus.EXPIRED,
                "निलम्बित": LicenceStatus.SUSPENDED,
                "खारेज": LicenceStatus.REVOKED,
                "रद्द": LicenceStatus.REVOKED,
            },
        ),
        LicenceAuthority(
            key="kh-mlvt",
            name="Ministry of Labour and Vocational Training, Cambodia",
            label=_l("Ministry of Labour and Vocational Training, Cambodia"),
            country="KH",
            register_url="https://www.mlvt.gov.kh/",
            columns=Columns(
                number=(*_NUMBER, "លេខអាជ្ញាប័ណ្ណ"),
                name=_NAME,
                name_local=("ឈ្មោះក្រុមហ៊ុន", "ឈ្មោះទីភ្នាក់ងារ", "name kh", "khmer name"),
                status=(*_STATUS, "ស្ថានភាព"),
                expiry=(*_EXPIRY, "កាលបរិច្ឆេទផុតកំណត់", "ថ្ងៃផុតកំណត់"),
                province=(*_ADDRESS, "អាសយដ្ឋាន", "ខេត្តរាជធានី", "រាជធានីខេត្ត"),
            ),
            status_words={
                "សកម្ម": LicenceStatus.VALID,
                "មានសុពលភាព": LicenceStatus.VALID,
                "ផុតកំណត់": LicenceStatus.EXPIRED,
                "ព្យួរ": LicenceStatus.SUSPENDED,
                "ដកហូត": LicenceStatus.REVOKED,
                "លុបចោល": LicenceStatus.REVOKED,
            },
        ),
        LicenceAuthority(
            key="my-jtksm",
            name="Labour Department of Peninsular Malaysia (JTKSM)",
            label=_l("Labour Department of Peninsular Malaysia (JTKSM)"),
            country="MY",
            register_url="https://jtksm.mohr.gov.my/",
            columns=Columns(
                number=(*_NUMBER, "no lesen", "nombor lesen", "no pendaftaran lesen"),
                name=(*_NAME, "nama agensi", "nama syarikat", "nama agensi pekerjaan swasta"),
                status=(*_STATUS, "status lesen"),
                expiry=(*_EXPIRY, "tarikh tamat", "tarikh tamat lesen", "tamat tempoh"),
                province=(*_ADDRESS, "negeri", "state", "alamat"),
            ),
            status_words={
                "aktif": LicenceStatus.VALID,
                "sah": LicenceStatus.VALID,
                "tamat tempoh": LicenceStatus.EXPIRED,
                "digantung": LicenceStatus.SUSPENDED,
                "dibatalkan": LicenceStatus.REVOKED,
                "ditarik balik": LicenceStatus.REVOKED,
            },
        ),
    )
}


def authority(key: str) -> LicenceAuthority:
    try:
        return AUTHORITIES[key]
    except KeyError:
        known = ", ".join(AUTHORITIES)
        raise LicenceImportError(f"Unknown authority {key!r}. Known: {known}.") from None


# Normalising -------------------------------------------------------------------------------


def _letters(text: str) -> str:
    """Case-folded letters, marks and digits only (ASCII digits), in NFC."""
    text = to_ascii_digits(unicodedata.normalize("NFKC", text).casefold())
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LMN")


def header_key(text: str) -> str:
    return _letters(text)


def normalise_number(number: str) -> str:
    """A licence number to compare: digits of any script as ASCII, no spaces, dashes,
    slashes or dots, case-folded ("ทก. ๑๒๓/๒๕๖๐" and "ทก123-2560" are the same)."""
    return _letters(number)


#: Words of a company's legal form, left out when comparing names.
_LEGAL_WORDS = frozenset(
    unicodedata.normalize("NFKC", word)
    for word in [
        "co",
        "ltd",
        "limited",
        "company",
        "pvt",
        "private",
        "pte",
        "plc",
        "inc",
        "corp",
        "corporation",
        "sdn",
        "bhd",
        "บริษัท",
        "จำกัด",
        "มหาชน",
        "ကုမ္ပဏီ",
        "လီမိတက်",
        "ក្រុមហ៊ុន",
        "ឯក",
        "प्रा",
        "लि",
        "प्राइभेट",
        "लिमिटेड",
    ]
)


def normalise_name(name: str) -> str:
    """A name to compare: case-folded, punctuation and legal-form words ("Co., Ltd.",
    "Company Limited", "Sdn. Bhd.", "บริษัท … จำกัด", "प्रा. लि.") left out."""
    text = to_ascii_digits(unicodedata.normalize("NFKC", name).casefold())
    text = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text)
    return "".join(word for word in text.split() if word not in _LEGAL_WORDS)


# Reading -----------------------------------------------------------------------------------


def read_rows(data: bytes, file_name: str, source: LicenceAuthority) -> list[list[object]]:
    """The cells of the file's first sheet (CSV or XLSX), at most MAX_ROWS + header rows."""
    if not data.strip():
        raise LicenceImportError("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise LicenceImportError(
            f"The file is too big ({len(data):,} bytes; at most {MAX_FILE_BYTES:,})."
        )
    lower = file_name.casefold()
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return _read_csv(data, source)
    if lower.endswith(".xlsx"):
        try:
            return _read_xlsx(data)
        except LicenceImportError:
            raise
        except Exception as error:  # openpyxl and its XML parser raise many kinds
            raise LicenceImportError("The file is not a readable .xlsx spreadsheet.") from error
    if lower.endswith((".xlsm", ".xls", ".xlsb", ".ods")):
        raise LicenceImportError(
            "Only .csv and .xlsx files can be read (no macros, no old .xls). "
            "Save the sheet as .xlsx or CSV UTF-8."
        )
    raise LicenceImportError("Give a .csv or .xlsx file.")


def _read_csv(data: bytes, source: LicenceAuthority) -> list[list[object]]:
    text = None
    for encoding in ("utf-8-sig", *source.fallback_encodings):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        tried = ", ".join(("UTF-8", *source.fallback_encodings))
        raise LicenceImportError(
            f"The file's text could not be read (tried {tried}). Save it as CSV UTF-8."
        )
    if "\x00" in text:
        raise LicenceImportError("The file is not a text (CSV) file.")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[object]] = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise LicenceImportError(f"The list has more than {MAX_ROWS:,} rows.")
    except csv.Error as error:
        raise LicenceImportError(f"The CSV file cannot be read: {error}.") from error
    return rows


def _read_xlsx(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
                raise LicenceImportError("The spreadsheet unpacks to too much data.")
            if any(part.filename.casefold().endswith("vbaproject.bin") for part in parts):
                raise LicenceImportError(
                    "The spreadsheet holds macros. Save it as .xlsx without macros."
                )
    except zipfile.BadZipFile as error:
        raise LicenceImportError("The file is not a readable .xlsx spreadsheet.") from error
    try:
        # data_only=False: formulas show as formulas, and are refused (their values are
        # not in the file unless Excel saved them, and a list should hold values only).
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise LicenceImportError("The file is not a readable .xlsx spreadsheet.") from error
    rows: list[list[object]] = []
    try:
        if not book.worksheets:
            raise LicenceImportError("The spreadsheet has no sheet with a list.")
        sheet = book.worksheets[0]
        # The size the sheet declares may be false (a huge one fills the memory): read
        # rows as they come, at most one column more than MAX_COLUMNS (to see a header
        # wider than that, refused in read_list).
        sheet.reset_dimensions()
        cells = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        for number, row in enumerate(cells, start=1):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            for value in values:
                if isinstance(value, ArrayFormula | DataTableFormula) or (
                    isinstance(value, str) and value.startswith("=")
                ):
                    raise LicenceImportError(
                        f"Row {number} holds a formula. Copy the sheet and paste values only."
                    )
            rows.append(values)
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise LicenceImportError(f"The list has more than {MAX_ROWS:,} rows.")
    finally:
        book.close()
    return rows


def find_header(rows: list[list[object]], source: LicenceAuthority) -> tuple[int, dict]:
    """The index of the header row (the first whose cells name at least the licence number
    and a name) and, for each field found, its column."""
    aliases = {
        name: {header_key(alias) for alias in getattr(source.columns, name)} for name in FIELDS
    }
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for column, cell in enumerate(row):
            key = header_key(str(cell)) if cell is not None else ""
            for name in FIELDS:
                if key and key in aliases[name] and name not in found:
                    found[name] = column
                    break
        if "number" in found and ("name" in found or "name_local" in found):
            return index, found
    wanted = " / ".join(source.columns.number[:3]) + " and " + " / ".join(source.columns.name[:3])
    raise LicenceImportError(
        f"No header row found: a row must name the licence number and the agency (e.g. {wanted})."
    )


# Rows --------------------------------------------------------------------------------------


@dataclass
class ListedAgency:
    """One row of a list, read."""

    row: int  # 1-based, as a spreadsheet numbers it
    number: str
    name: str
    name_local: str | None
    status: LicenceStatus
    expiry: date | None
    province: str | None


_THAI_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("มกราคม", "ม.ค."),
            ("กุมภาพันธ์", "ก.พ."),
            ("มีนาคม", "มี.ค."),
            ("เมษายน", "เม.ย."),
            ("พฤษภาคม", "พ.ค."),
            ("มิถุนายน", "มิ.ย."),
            ("กรกฎาคม", "ก.ค."),
            ("สิงหาคม", "ส.ค."),
            ("กันยายน", "ก.ย."),
            ("ตุลาคม", "ต.ค."),
            ("พฤศจิกายน", "พ.ย."),
            ("ธันวาคม", "ธ.ค."),
        ),
        start=1,
    )
    for name in names
}
_THAI_MONTH_PATTERN = re.compile(
    "|".join(re.escape(name) for name in sorted(_THAI_MONTHS, key=len, reverse=True))
)
_YEAR = re.compile(r"\b(\d{4})\b")


def parse_date(value: object, source: LicenceAuthority) -> date:
    """A date cell: a date from a spreadsheet, or text in one of the authority's formats
    (digits of any script; for Thailand Buddhist-era years and Thai month names).
    Raises ValueError."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if source.buddhist_era and value.year > 2400:
            return value.replace(year=value.year - 543)  # ValueError for 29 February
        return value
    text = " ".join(to_ascii_digits(str(value)).split())
    if source.buddhist_era:
        text = _THAI_MONTH_PATTERN.sub(lambda m: f" {_THAI_MONTHS[m.group(0)]} ", text)
        text = " ".join(text.split())
        text = _YEAR.sub(lambda m: str(int(m.group(1)) - 543 * (int(m.group(1)) > 2400)), text)
    for pattern in source.date_formats:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def read_list(
    data: bytes, file_name: str, source: LicenceAuthority, list_date: date
) -> tuple[list[ListedAgency], list[tuple[int, str]]]:
    """The rows of a list, and the rows skipped with why (blank number or name, a number
    listed twice). A row that cannot be read (a bad date, an unknown status, a name too
    long) fails the whole file: its mapping or the file needs fixing first."""
    rows = read_rows(data, file_name, source)
    header, columns = find_header(rows, source)
    if any(_text(value) for value in rows[header][MAX_COLUMNS:]):
        raise LicenceImportError(
            f"The header row has more than {MAX_COLUMNS} columns. "
            "Delete the columns the list does not need."
        )
    if len(rows) - header - 1 > MAX_ROWS:
        raise LicenceImportError(f"The list has more than {MAX_ROWS:,} rows.")
    listed: list[ListedAgency] = []
    skipped: list[tuple[int, str]] = []
    problems: list[tuple[int, str]] = []
    seen: set[str] = set()

    def cell(row: list[object], name: str) -> object:
        column = columns.get(name)
        return row[column] if column is not None and column < len(row) else None

    for index, row in enumerate(rows[header + 1 :], start=header + 2):
        if not any(_text(value) for value in row):
            continue  # blank lines between blocks
        number = _text(cell(row, "number"))
        name, local = _text(cell(row, "name")), _text(cell(row, "name_local"))
        if not number:
            skipped.append((index, "no licence number"))
            continue
        if not (name or local):
            skipped.append((index, "no agency name"))
            continue
        if normalise_number(number) in seen:
            skipped.append((index, f"licence {number} is listed twice"))
            continue
        if len(number) > NUMBER_MAX or len(name) > NAME_MAX or len(local) > NAME_MAX:
            problems.append((index, "the licence number or the name is too long"))
            continue
        word = _text(cell(row, "status"))
        status = source.status_for(word) if word else LicenceStatus.VALID
        if status is None:
            problems.append((index, f"unknown status {word!r}"))
            continue
        expiry = None
        raw_expiry = cell(row, "expiry")
        if _text(raw_expiry):
            try:
                expiry = parse_date(raw_expiry, source)
            except ValueError:
                formats = ", ".join(source.date_formats[:3])
                era = " (Buddhist-era years are read)" if source.buddhist_era else ""
                problems.append(
                    (index, f"{_text(raw_expiry)!r} is not a date (e.g. {formats}){era}")
                )
                continue
        if status == LicenceStatus.VALID and expiry and expiry < list_date:
            status = LicenceStatus.EXPIRED
        seen.add(normalise_number(number))
        listed.append(
            ListedAgency(
                row=index,
                number=number,
                name=name or local,
                name_local=local or None,
                status=status,
                expiry=expiry,
                province=_text(cell(row, "province"))[:PROVINCE_MAX] or None,
            )
        )
    if problems:
        shown = "; ".join(f"row {row}: {text}" for row, text in problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        raise LicenceImportError(
            f"{len(problems)} rows cannot be read: {shown}"
            + (f" (and {more} more)." if more > 0 else ".")
        )
    if not listed:
        raise LicenceImportError("The list holds no agency with a licence number and a name.")
    return listed, skipped


# Planning ----------------------------------------------------------------------------------

#: States that stop an agency from recruiting.
BARRED = (LicenceStatus.REVOKED, LicenceStatus.SUSPENDED)


@dataclass
class Change:
    """What the import does for one row: update ``org`` (or create one when it is None)."""

    listed: ListedAgency
    org: Organisation | None
    fields: dict[str, object]
    how: str  # "number", "name" or "new"
    changed: bool
    barred: bool  # now revoked or suspended, and was not
    expired: bool  # now expired, and was not
    status_changed: bool = False  # an agency on record whose licence status changed


@dataclass
class Plan:
    source: LicenceAuthority
    list_date: date
    file_name: str
    rows: int
    changes: list[Change]
    skipped: list[tuple[int, str]]
    no_longer_listed: list[Organisation]
    previous: LicenceList | None

    def count(self, what: str) -> int:
        return {
            "rows": self.rows,
            "matched": sum(c.how != "new" for c in self.changes),
            "new": sum(c.how == "new" for c in self.changes),
            "revoked": sum(c.barred for c in self.changes),
            "expired": sum(c.expired for c in self.changes),
            "unchanged": sum(c.how != "new" and not c.changed for c in self.changes),
            "skipped": len(self.skipped),
            "no_longer_listed": len(self.no_longer_listed),
        }[what]

    def counts(self) -> dict[str, int]:
        return {what: self.count(what) for what in COUNTS}


COUNTS = (
    "rows",
    "matched",
    "new",
    "revoked",
    "expired",
    "unchanged",
    "skipped",
    "no_longer_listed",
)


def _index(orgs: Iterable[Organisation], key) -> dict[str, list[Organisation]]:
    found: dict[str, list[Organisation]] = {}
    for org in orgs:
        for value in key(org):
            if value:
                found.setdefault(value, [])
                if org not in found[value]:
                    found[value].append(org)
    return found


def plan(data: bytes, file_name: str, source: LicenceAuthority, list_date: date) -> Plan:
    """Read a list and work out what importing it changes. Reads only."""
    listed, skipped = read_list(data, file_name, source, list_date)
    rows = len(listed) + len(skipped)
    agencies = list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrgKind.AGENCY, Organisation.country == source.country)
            .order_by(Organisation.id)
        )
    )
    by_number = _index(agencies, lambda o: [normalise_number(o.licence_number or "")])
    by_name = _index(
        agencies, lambda o: [normalise_name(o.name), normalise_name(o.name_local or "")]
    )
    taken: set[int] = set()
    changes: list[Change] = []
    for row in listed:
        org, how = None, "new"
        candidates = [
            o for o in by_number.get(normalise_number(row.number), []) if o.id not in taken
        ]
        if len(candidates) == 1:
            org, how = candidates[0], "number"
        else:
            names = {normalise_name(row.name), normalise_name(row.name_local or "")} - {""}
            candidates = []
            for key in names:
                candidates += [o for o in by_name.get(key, []) if o not in candidates]
            on_record = (
                normalise_number(candidates[0].licence_number or "") if len(candidates) == 1 else ""
            )
            if on_record and on_record != normalise_number(row.number):
                # Another licence of the same name (a revoked "Golden Star Co., Ltd." must
                # not mark the licensed "Golden Star Company Limited" revoked).
                org = candidates[0]
                skipped.append(
                    (
                        row.row,
                        f"name matches, licence number differs ({org.name} has "
                        f"{org.licence_number}): set it by hand if it is the same agency",
                    )
                )
                continue
            if len(candidates) == 1 and candidates[0].id not in taken:
                org, how = candidates[0], "name"
            elif candidates:
                reason = (
                    "matches an agency matched by another row"
                    if len(candidates) == 1
                    else (
                        f"its name matches {len(candidates)} agencies: set the licence number of "
                        "the right one by hand"
                    )
                )
                skipped.append((row.row, reason))
                continue
        if org is not None and org.licence_checked_on and org.licence_checked_on > list_date:
            skipped.append((row.row, f"{org.name} was checked against a newer list"))
            continue
        fields: dict[str, object] = {
            "licence_number": row.number,
            "licence_authority": source.name,
            "licence_status": row.status.value,
            "licence_expiry": row.expiry,
        }
        before = org.licence_state(list_date) if org is not None else None
        after = row.status
        if org is None:
            fields |= {"name": row.name, "name_local": row.name_local, "province": row.province}
            changed = True
        else:
            taken.add(org.id)
            if not org.name_local and row.name_local:
                fields["name_local"] = row.name_local
            if not org.province and row.province:
                fields["province"] = row.province
            changed = any(getattr(org, key) != value for key, value in fields.items())
        changes.append(
            Change(
                listed=row,
                org=org,
                fields=fields,
                how=how,
                changed=changed,
                barred=after in BARRED and before != after,
                expired=after == LicenceStatus.EXPIRED and before != after,
                status_changed=org is not None and before != after,
            )
        )
    previous = db.session.scalar(
        select(LicenceList)
        .where(LicenceList.authority == source.key, LicenceList.list_date <= list_date)
        .order_by(LicenceList.list_date.desc(), LicenceList.id.desc())
        .limit(1)
    )
    gone: list[Organisation] = []
    if previous is not None:
        gone = [o for o in agencies if o.licence_list_id == previous.id and o.id not in taken]
    return Plan(
        source=source,
        list_date=list_date,
        file_name=file_name,
        rows=rows,
        changes=changes,
        skipped=sorted(skipped),
        no_longer_listed=gone,
        previous=previous,
    )
