"""Demo data of the service directory: example services in each country of the site, every
one clearly an example and not checked yet, and one referral of a Mae Sot case's worker to
a legal-aid clinic (accepted by the clinic, a follow-up date set)."""

from __future__ import annotations

from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.agencies.models import Organisation
from goldendreams.cases.models import Case, ConsentItem, ConsentMethod
from goldendreams.extensions import db
from goldendreams.support import services
from goldendreams.support.models import ReferralState, Service, ServiceKind

MAE_SOT = "Mae Sot Workers' Rights Centre"
YANGON = "Golden Path Migrant Support (Yangon)"
UNION = "Malaysian Migrant Workers' Union"
ADMIN = "admin@demo.goldendreams.example"
CASEWORKER = "caseworker@demo.goldendreams.example"
LEGAL_AID = "Example Legal Aid Clinic (Mae Sot)"

# (kind, name, name in local script, country, province, languages, phone, website, address,
#  hours, what it offers, free, the CSO that keeps it). Fictional: 555 numbers, example.org.
SERVICES = [
    (ServiceKind.LEGAL_AID, LEGAL_AID, "คลินิกช่วยเหลือทางกฎหมาย (ตัวอย่าง) แม่สอด", "TH", "Tak",
     ["my", "th", "en"], "+66 55 555 0201", "https://legal-aid.example.org/mae-sot",
     "12 Example Road, Mae Sot, Tak", "Monday to Friday, 9:00 to 17:00",
     "Advice on unpaid wages, contracts and documents; a lawyer for labour court cases.",
     True, MAE_SOT),
    (ServiceKind.HEALTH_CARE, "Example Migrant Health Clinic (Mae Sot)", None, "TH", "Tak",
     ["my", "th", "en"], "+66 55 555 0202", None, "40 Example Lane, Mae Sot, Tak",
     "Every day, 8:00 to 16:00", "Treatment for migrant workers with or without papers.",
     True, MAE_SOT),
    (ServiceKind.SHELTER, "Example Migrant Shelter (Samut Sakhon)", None, "TH", "Samut Sakhon",
     ["my", "km", "th"], "+66 34 555 0203", None, None, "24 hours",
     "A safe place to stay for workers who left an abusive employer, with food.", True,
     MAE_SOT),
    (ServiceKind.EMBASSY, "Example Myanmar Embassy Labour Attaché (Bangkok)", None, "TH",
     "Bangkok", ["my", "en"], "+66 2 555 0204", "https://embassy.example.org/labour",
     None, "Monday to Friday, 9:00 to 16:00",
     "Help with passports and papers, and with employers who do not pay.", True, None),
    (ServiceKind.UNION, "Example Workers' Union Help Desk (Penang)", None, "MY", "Penang",
     ["ms", "ne", "my", "en"], "+60 4 555 0205", None, "Example Street 5, George Town",
     "Monday to Saturday, 10:00 to 18:00",
     "Join a union; support to claim wages and overtime.", True, UNION),
    (ServiceKind.EMBASSY, "Example Nepal Embassy Labour Desk (Kuala Lumpur)", None, "MY",
     "Kuala Lumpur", ["ne", "en"], "+60 3 555 0206", "https://embassy.example.org/nepal",
     None, "Monday to Friday, 9:00 to 17:00", "Help for Nepali workers in trouble at work.",
     True, None),
    (ServiceKind.DEBT_COUNSELLING, "Example Returnee Debt Counselling Desk (Yangon)",
     "ပြန်လာသူ ကြွေးမြီ အကြံပေး (ဥပမာ)", "MM", "Yangon", ["my"], "+95 1 555 0207", None,
     "Example Road 7, Yangon", "Monday to Friday, 9:30 to 16:30",
     "Plan how to repay recruitment debts; talk to lenders together.", True, YANGON),
    (ServiceKind.LEGAL_AID, "Example Legal Aid Office (Phnom Penh)", None, "KH", "Phnom Penh",
     ["km", "en"], "+855 23 555 0208", "https://legal-aid.example.org/phnom-penh", None,
     "Monday to Friday, 8:00 to 17:00",
     "Help to claim fees back from recruitment agencies.", True, None),
    (ServiceKind.SHELTER, "Example Women Workers' Shelter (Vientiane)", None, "LA",
     "Vientiane", ["lo", "th"], "+856 21 555 0209", None, None, "24 hours",
     "A safe place for women coming home from work abroad.", True, None),
    (ServiceKind.LEGAL_AID, "Example Foreign Employment Help Desk (Kathmandu)", None, "NP",
     "Kathmandu", ["ne", "en"], "+977 1 555 0210", None, None, "Sunday to Friday, 10:00 to 17:00",
     "Complaints against agencies; help to claim insurance and compensation.", False, None),
]  # fmt: skip


def _org(name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).filter_by(name=name))


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).filter_by(email=email))


def seed() -> None:
    """Add the example services and the demo referral, once (nothing when any service is
    there already)."""
    if db.session.scalar(select(Service.id).limit(1)):
        return
    admin = _user(ADMIN)
    for row in SERVICES:
        kind, name, local, country, province, languages, phone, website, address = row[:9]
        hours, offers, free, cso_name = row[9:]
        cso = _org(cso_name) if cso_name else None
        services.save_service(
            admin, None, kind=kind, name=name, name_local=local, country=country,
            province=province, languages=languages, phone=phone, website=website,
            chat=None, address=address, hours=hours, offers=offers, free=free,
            cso_id=cso.id if cso else None,
        )  # fmt: skip
    _seed_referral()


def _seed_referral() -> None:
    """The Mae Sot centre's hotline case: its worker was sent to the legal-aid clinic."""
    mae_sot, worker = _org(MAE_SOT), _user(CASEWORKER)
    clinic = db.session.scalar(select(Service).filter_by(name=LEGAL_AID))
    if mae_sot is None or worker is None or clinic is None:
        return
    query = select(Case).where(Case.owner_id == mae_sot.id, Case.source == "hotline")
    case = db.session.scalar(query.order_by(Case.id).limit(1)) or db.session.scalar(
        select(Case).where(Case.owner_id == mae_sot.id).order_by(Case.id).limit(1)
    )
    if case is None or not case.is_open:
        return
    referral = services.refer(
        worker, case, clinic,
        "Needs advice on getting the 25,000 baht broker fee back, and on the labour court.",
        consent_method=ConsentMethod.PHONE,
        consent_items=[ConsentItem.ISSUE, ConsentItem.IDENTITY],
        consent_note="On the phone, in Burmese (demo).",
    )  # fmt: skip
    services.update_referral(
        worker, referral, ReferralState.ACCEPTED,
        "The clinic will see the worker next week (demo).", None,
    )  # fmt: skip
