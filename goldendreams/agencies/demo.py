"""Demo data: a small official list of the Thai Department of Employment, imported once, so
the Thai demo agencies' pages say when and against which list their licence was checked."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from goldendreams.agencies import services
from goldendreams.agencies.models import LicenceList, LicenceStatus, Organisation, OrgKind
from goldendreams.core.base import today
from goldendreams.extensions import db

AUTHORITY = "th-doe"
FILE_NAME = "demo-doe-licensed-agencies.csv"
#: The list's words for each status (Thai, as the Department writes them).
THAI_STATUS = {
    LicenceStatus.VALID: "ปกติ",
    LicenceStatus.EXPIRED: "หมดอายุ",
    LicenceStatus.SUSPENDED: "พักใช้",
    LicenceStatus.REVOKED: "เพิกถอน",
}


def demo_list() -> bytes:
    """The Thai demo agencies as the Department would list them: a title line, Thai and
    English headers, Buddhist-era dates, UTF-8 with a BOM (as Excel saves "CSV UTF-8")."""
    agencies = db.session.scalars(
        select(Organisation)
        .filter_by(kind=OrgKind.AGENCY, country="TH", is_demo=True)
        .where(Organisation.licence_number.is_not(None))
        .order_by(Organisation.id)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["รายชื่อบริษัทจัดหางานที่ได้รับอนุญาต (ตัวอย่าง ไม่ใช่ข้อมูลจริง)"])
    writer.writerow(["ลำดับ", "เลขที่ใบอนุญาต", "ชื่อบริษัท", "Company name", "จังหวัด",
                     "วันหมดอายุ", "สถานะ"])  # fmt: skip
    for number, org in enumerate(agencies, start=1):
        expiry = org.licence_expiry
        writer.writerow([
            number, org.licence_number, org.name_local, org.name, org.province,
            f"{expiry.day:02d}/{expiry.month:02d}/{expiry.year + 543}" if expiry else "",
            THAI_STATUS[LicenceStatus(org.licence_status)],
        ])  # fmt: skip
    return out.getvalue().encode("utf-8-sig")


def seed() -> None:
    """Import the demo list once (nothing happens when it was imported before)."""
    if db.session.scalar(select(LicenceList.id).filter_by(file_name=FILE_NAME).limit(1)):
        return
    data = demo_list()
    if data.count(b"\n") < 3:  # no Thai demo agency to list
        return
    services.import_licence_list(AUTHORITY, data, FILE_NAME, today(), None, is_demo=True)
