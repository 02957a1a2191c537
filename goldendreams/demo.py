"""Fictional demo data: organisations in Thailand, Malaysia and the countries workers come from,
the links between them, reviews in five scripts (some waiting for a moderator), and one
user per role. Loading it twice changes nothing.

Every organisation here is made up; each is stored with ``is_demo`` so pages say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select

from goldendreams.accounts import services as accounts
from goldendreams.accounts.models import User
from goldendreams.agencies import demo as licences_demo
from goldendreams.agencies import services as directory
from goldendreams.agencies.models import LinkKind, Organisation, OrganisationLink
from goldendreams.brands import demo as brands_demo
from goldendreams.cases import consent, taxonomy
from goldendreams.cases import demo as corridors_demo
from goldendreams.cases import services as cases
from goldendreams.cases.models import Case, RoutingRule
from goldendreams.collective import demo as collective_demo
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.inbox import permissions as inbox_permissions
from goldendreams.inbox import services as inbox
from goldendreams.inbox.models import Conversation
from goldendreams.jobs import demo as jobs_demo
from goldendreams.jobs import services as jobs
from goldendreams.jobs.models import Job
from goldendreams.plans import demo as plans_demo
from goldendreams.reviews import services as reviews
from goldendreams.reviews.models import Review
from goldendreams.rights import seed as rights_seed
from goldendreams.safeguarding import demo as safeguarding_demo
from goldendreams.support import demo as support_demo
from goldendreams.trends import demo as trends_demo
from goldendreams.validation import demo as validation_demo

DEMO_PASSWORD = "golden-dreams-demo"

AUTHORITIES = {
    "MM": "Department of Labour, Ministry of Labour (Myanmar)",
    "KH": "Ministry of Labour and Vocational Training (Cambodia)",
    "LA": "Ministry of Labour and Social Welfare (Lao PDR)",
    "NP": "Department of Foreign Employment (Nepal)",
    "TH": "Department of Employment, Ministry of Labour (Thailand)",
    "MY": "Department of Labour Peninsular Malaysia (JTKSM)",
}


@dataclass(frozen=True)
class DemoOrg:
    kind: str
    name: str
    name_local: str | None
    country: str
    province: str
    sector: str
    # Agencies: licence status and days from today to expiry (negative: already past).
    licence: str | None = None
    expires_in_days: int | None = None
    verified: bool = False
    phone: str | None = None


E, A, B = "employer", "agency", "buyer"


# CSOs of the network (fictional, like every organisation here): what each covers.
# (kind, name, name in local script, country, province, countries, provinces, languages,
# services, phone, e-mail)
CSOS = [
    ("ngo", "Golden Path Migrant Support (Yangon)", "ရွှေလမ်း ရွှေ့ပြောင်းအလုပ်သမား အထောက်အကူ",
     "MM", "Yangon", ["MM", "TH"], ["Yangon", "Mandalay", "Kayin"], ["my", "en"],
     ["hotline", "outreach", "case_support"], "+95 1 555 0101", "help@goldenpath.demo.example"),
    ("ngo", "Mae Sot Workers' Rights Centre", "ศูนย์สิทธิแรงงานแม่สอด", "TH", "Tak",
     ["TH", "MM"], ["Tak", "Samut Sakhon", "Ranong"], ["my", "th", "km", "lo"],
     ["hotline", "legal_aid", "shelter", "case_support"], "+66 55 555 0102", None),
    ("union", "Malaysian Migrant Workers' Union", None, "MY", "Selangor",
     ["MY", "NP"], ["Selangor", "Penang", "Johor"], ["ms", "ne", "my", "en"],
     ["union_representation", "legal_aid", "case_support"], "+60 3 5555 0103", None),
]  # fmt: skip

# fmt: off
ORGANISATIONS = [
    # Employers in Thailand
    DemoOrg(E, "Siam Ocean Seafood Co., Ltd.", "บริษัท สยามโอเชียนซีฟู้ด จำกัด", "TH", "Samut Sakhon", "seafood", verified=True, phone="+66 34 410 200"),
    DemoOrg(E, "Mahachai Frozen Foods Co., Ltd.", "บริษัท มหาชัยโฟรเซ่นฟู้ดส์ จำกัด", "TH", "Samut Sakhon", "seafood"),
    DemoOrg(E, "Andaman Tuna Canning Co., Ltd.", "บริษัท อันดามันทูน่ากระป๋อง จำกัด", "TH", "Songkhla", "seafood", verified=True),
    DemoOrg(E, "Songkhla Blue Fishing Fleet", "กองเรือประมงสงขลาบลู", "TH", "Songkhla", "fishing"),
    DemoOrg(E, "Ranong Sea Harvest Partnership", "ห้างหุ้นส่วน ระนองซีฮาร์เวสต์", "TH", "Ranong", "fishing"),
    DemoOrg(E, "Golden Field Poultry Co., Ltd.", "บริษัท โกลเด้นฟิลด์ โพลทรี จำกัด", "TH", "Lop Buri", "poultry", verified=True),
    DemoOrg(E, "Korat Fresh Chicken Co., Ltd.", "บริษัท โคราชเฟรชชิคเก้น จำกัด", "TH", "Nakhon Ratchasima", "poultry"),
    DemoOrg(E, "Mae Sot Garment Works", "โรงงานแม่สอดการ์เมนต์", "TH", "Tak", "garments"),
    DemoOrg(E, "Bangkok Fine Knitting Co., Ltd.", "บริษัท บางกอกไฟน์นิตติ้ง จำกัด", "TH", "Bangkok", "garments", verified=True),
    DemoOrg(E, "Eastern Circuit Electronics (Thailand) Co., Ltd.", "บริษัท อีสเทิร์นเซอร์กิต อิเล็กทรอนิกส์ (ประเทศไทย) จำกัด", "TH", "Chon Buri", "electronics", verified=True),
    DemoOrg(E, "Rayong Precision Parts Co., Ltd.", "บริษัท ระยองพรีซิชั่นพาร์ท จำกัด", "TH", "Rayong", "electronics"),
    DemoOrg(E, "Chao Phraya Builders Co., Ltd.", "บริษัท เจ้าพระยาบิลเดอร์ส จำกัด", "TH", "Bangkok", "construction"),
    DemoOrg(E, "Northern Hills Longan Orchard", "สวนลำไยนอร์เทิร์นฮิลส์", "TH", "Chiang Mai", "agriculture"),
    DemoOrg(E, "Surat Palm Plantation Co., Ltd.", "บริษัท สุราษฎร์ปาล์ม จำกัด", "TH", "Surat Thani", "agriculture"),
    DemoOrg(E, "Pathum Thani Home Care Services", "ปทุมธานีโฮมแคร์เซอร์วิส", "TH", "Pathum Thani", "domestic_work"),
    # Employers in Malaysia
    DemoOrg(E, "Klang Valley Gloves Sdn. Bhd.", None, "MY", "Selangor", "manufacturing", verified=True),
    DemoOrg(E, "Penang Microchip Assembly Sdn. Bhd.", None, "MY", "Penang", "electronics", verified=True),
    DemoOrg(E, "Johor Straits Electronics Sdn. Bhd.", None, "MY", "Johor", "electronics"),
    DemoOrg(E, "Sabah Green Palm Estates Sdn. Bhd.", None, "MY", "Sabah", "agriculture"),
    DemoOrg(E, "Pahang Highland Tea Estate", None, "MY", "Pahang", "agriculture"),
    DemoOrg(E, "Twin Towers Construction Sdn. Bhd.", None, "MY", "Kuala Lumpur", "construction"),
    DemoOrg(E, "Seremban Furniture Makers Sdn. Bhd.", None, "MY", "Negeri Sembilan", "manufacturing"),
    DemoOrg(E, "Selangor Hotel Group Sdn. Bhd.", None, "MY", "Selangor", "hospitality"),
    # Recruitment agencies in countries of origin
    DemoOrg(A, "Golden Lotus Overseas Employment Agency", "ရွှေကြာ ပြည်ပအလုပ်အကိုင်ရှာဖွေရေး အေဂျင်စီ", "MM", "Yangon", "recruitment", "valid", 540, verified=True, phone="+95 1 230 4455"),
    DemoOrg(A, "Shwe Pyi Manpower Services", "ရွှေပြည် လူ့စွမ်းအားဝန်ဆောင်မှု", "MM", "Yangon", "recruitment", "valid", 200),
    DemoOrg(A, "Ayeyarwady Bridge Recruitment Co., Ltd.", "ဧရာဝတီတံတား အလုပ်အကိုင်ရှာဖွေရေး ကုမ္ပဏီ", "MM", "Mandalay", "recruitment", "valid", -45),
    DemoOrg(A, "Myawaddy Border Job Services", "မြဝတီနယ်စပ် အလုပ်အကိုင်ဝန်ဆောင်မှု", "MM", "Kayin", "recruitment", "suspended", 300),
    DemoOrg(A, "Angkor Bright Manpower Co., Ltd.", "ក្រុមហ៊ុន អង្គរប្រាយ ម៉ែនផៅវើ", "KH", "Phnom Penh", "recruitment", "valid", 700, verified=True),
    DemoOrg(A, "Mekong Hands Recruitment Co., Ltd.", "ក្រុមហ៊ុន ដៃមេគង្គ ជ្រើសរើសពលករ", "KH", "Phnom Penh", "recruitment", "valid", 120),
    DemoOrg(A, "Battambang Workers Link", "បាត់ដំបង ភ្ជាប់កម្មករ", "KH", "Battambang", "recruitment", "expired", -200),
    DemoOrg(A, "Mekong Star Labour Service Co., Ltd.", "ບໍລິສັດ ແມ່ຂອງສະຕາ ບໍລິການແຮງງານ ຈຳກັດ", "LA", "Vientiane", "recruitment", "valid", 400, verified=True),
    DemoOrg(A, "Champasak Job Centre", "ສູນຈັດຫາງານ ຈຳປາສັກ", "LA", "Champasak", "recruitment", "valid", -10),
    DemoOrg(A, "Savannakhet Employment Service", "ບໍລິການຈັດຫາງານ ສະຫວັນນະເຂດ", "LA", "Savannakhet", "recruitment"),
    DemoOrg(A, "Himal Manpower Services Pvt. Ltd.", "हिमाल म्यानपावर सर्भिसेस प्रा. लि.", "NP", "Kathmandu", "recruitment", "valid", 365, verified=True),
    DemoOrg(A, "Sagarmatha Overseas Pvt. Ltd.", "सगरमाथा ओभरसिज प्रा. लि.", "NP", "Kathmandu", "recruitment", "valid", 90),
    DemoOrg(A, "Pokhara Global Recruiters Pvt. Ltd.", "पोखरा ग्लोबल रिक्रुटर्स प्रा. लि.", "NP", "Gandaki", "recruitment", "revoked", 100),
    DemoOrg(A, "Janakpur Foreign Employment Pvt. Ltd.", "जनकपुर वैदेशिक रोजगार प्रा. लि.", "NP", "Madhesh", "recruitment", "valid", -400),
    # Recruitment agencies in destination countries
    DemoOrg(A, "Thai Migrant Placement Co., Ltd.", "บริษัท ไทยไมแกรนท์เพลสเมนท์ จำกัด", "TH", "Bangkok", "recruitment", "valid", 600, verified=True),
    DemoOrg(A, "Samut Sakhon Labour Import Co., Ltd.", "บริษัท สมุทรสาครนำเข้าแรงงาน จำกัด", "TH", "Samut Sakhon", "recruitment", "valid", -30),
    DemoOrg(A, "Chon Buri Workforce Solutions Co., Ltd.", "บริษัท ชลบุรีเวิร์คฟอร์ซโซลูชั่น จำกัด", "TH", "Chon Buri", "recruitment", "suspended", 250),
    DemoOrg(A, "Malaya Workforce Sdn. Bhd.", None, "MY", "Kuala Lumpur", "recruitment", "valid", 450, verified=True),
    DemoOrg(A, "Johor Link Manpower Sdn. Bhd.", None, "MY", "Johor", "recruitment", "valid", 30),
    # Brands and buyers (sourcing offices)
    DemoOrg(B, "Northwind Apparel (Bangkok sourcing office)", None, "TH", "Bangkok", "garments", verified=True),
    DemoOrg(B, "Blue Harbour Foods (Asia sourcing)", None, "TH", "Bangkok", "seafood", verified=True),
    DemoOrg(B, "Lumen Devices (Malaysia sourcing)", None, "MY", "Penang", "electronics"),
    DemoOrg(B, "Evergreen Home Goods Trading", None, "MY", "Selangor", "retail"),
]
# fmt: on

# (source, target): agencies recruit for employers; buyers buy from employers.
LINKS = [
    ("Golden Lotus Overseas Employment Agency", "Siam Ocean Seafood Co., Ltd."),
    ("Golden Lotus Overseas Employment Agency", "Mahachai Frozen Foods Co., Ltd."),
    ("Golden Lotus Overseas Employment Agency", "Klang Valley Gloves Sdn. Bhd."),
    ("Shwe Pyi Manpower Services", "Mae Sot Garment Works"),
    ("Shwe Pyi Manpower Services", "Golden Field Poultry Co., Ltd."),
    ("Ayeyarwady Bridge Recruitment Co., Ltd.", "Songkhla Blue Fishing Fleet"),
    ("Ayeyarwady Bridge Recruitment Co., Ltd.", "Ranong Sea Harvest Partnership"),
    ("Myawaddy Border Job Services", "Mae Sot Garment Works"),
    ("Angkor Bright Manpower Co., Ltd.", "Eastern Circuit Electronics (Thailand) Co., Ltd."),
    ("Angkor Bright Manpower Co., Ltd.", "Chao Phraya Builders Co., Ltd."),
    ("Mekong Hands Recruitment Co., Ltd.", "Andaman Tuna Canning Co., Ltd."),
    ("Battambang Workers Link", "Surat Palm Plantation Co., Ltd."),
    ("Mekong Star Labour Service Co., Ltd.", "Korat Fresh Chicken Co., Ltd."),
    ("Mekong Star Labour Service Co., Ltd.", "Northern Hills Longan Orchard"),
    ("Champasak Job Centre", "Pathum Thani Home Care Services"),
    ("Himal Manpower Services Pvt. Ltd.", "Penang Microchip Assembly Sdn. Bhd."),
    ("Himal Manpower Services Pvt. Ltd.", "Klang Valley Gloves Sdn. Bhd."),
    ("Sagarmatha Overseas Pvt. Ltd.", "Twin Towers Construction Sdn. Bhd."),
    ("Sagarmatha Overseas Pvt. Ltd.", "Selangor Hotel Group Sdn. Bhd."),
    ("Pokhara Global Recruiters Pvt. Ltd.", "Sabah Green Palm Estates Sdn. Bhd."),
    ("Janakpur Foreign Employment Pvt. Ltd.", "Seremban Furniture Makers Sdn. Bhd."),
    ("Thai Migrant Placement Co., Ltd.", "Siam Ocean Seafood Co., Ltd."),
    ("Thai Migrant Placement Co., Ltd.", "Bangkok Fine Knitting Co., Ltd."),
    ("Samut Sakhon Labour Import Co., Ltd.", "Mahachai Frozen Foods Co., Ltd."),
    ("Chon Buri Workforce Solutions Co., Ltd.", "Rayong Precision Parts Co., Ltd."),
    ("Malaya Workforce Sdn. Bhd.", "Johor Straits Electronics Sdn. Bhd."),
    ("Malaya Workforce Sdn. Bhd.", "Pahang Highland Tea Estate"),
    ("Johor Link Manpower Sdn. Bhd.", "Johor Straits Electronics Sdn. Bhd."),
    ("Northwind Apparel (Bangkok sourcing office)", "Bangkok Fine Knitting Co., Ltd."),
    ("Northwind Apparel (Bangkok sourcing office)", "Mae Sot Garment Works"),
    ("Blue Harbour Foods (Asia sourcing)", "Siam Ocean Seafood Co., Ltd."),
    ("Blue Harbour Foods (Asia sourcing)", "Andaman Tuna Canning Co., Ltd."),
    ("Blue Harbour Foods (Asia sourcing)", "Golden Field Poultry Co., Ltd."),
    ("Lumen Devices (Malaysia sourcing)", "Penang Microchip Assembly Sdn. Bhd."),
    ("Lumen Devices (Malaysia sourcing)", "Eastern Circuit Electronics (Thailand) Co., Ltd."),
    ("Evergreen Home Goods Trading", "Klang Valley Gloves Sdn. Bhd."),
]

# The network's other members (fictional): a government office and an industry association.
GOVERNMENT_OFFICE = "Samut Sakhon Provincial Labour Protection Office"
ASSOCIATION = "Thai Frozen Seafood Processors Association (demo)"
# (kind, name, country, province, sector, office kind)
MEMBERS = [
    ("government", GOVERNMENT_OFFICE, "TH", "Samut Sakhon", None, "labour_inspection"),
    ("association", ASSOCIATION, "TH", "Bangkok", "seafood", None),
]
#: The association's members (employers of its sector).
ASSOCIATION_MEMBERS = [
    "Siam Ocean Seafood Co., Ltd.",
    "Mahachai Frozen Foods Co., Ltd.",
    "Andaman Tuna Canning Co., Ltd.",
]

# One user per role, and a CSO's admin: (email, role, organisation name or None, org admin).
USERS = [
    ("admin@demo.goldendreams.example", "admin", None, False),
    ("moderator@demo.goldendreams.example", "moderator", None, False),
    ("caseworker@demo.goldendreams.example", "caseworker", "Mae Sot Workers' Rights Centre", False),
    ("cso-admin@demo.goldendreams.example", "caseworker", "Golden Path Migrant Support (Yangon)",
     True),
    ("mobilizer@demo.goldendreams.example", "mobilizer", "Mae Sot Workers' Rights Centre", False),
    ("government@demo.goldendreams.example", "government", GOVERNMENT_OFFICE, False),
    ("association@demo.goldendreams.example", "association", ASSOCIATION, False),
    ("agency@demo.goldendreams.example", "agency_staff", "Golden Lotus Overseas Employment Agency",
     False),
    ("employer@demo.goldendreams.example", "employer_staff", "Siam Ocean Seafood Co., Ltd.", False),
    ("brand@demo.goldendreams.example", "brand", "Blue Harbour Foods (Asia sourcing)", False),
]  # fmt: skip


# Reviews: (organisation, publish?, rating, title, body, answers). Unpublished ones wait in
# the moderation queue; one is typed in Zawgyi and one holds a phone number to hide.
REVIEWS = [
    ("Golden Lotus Overseas Employment Agency", True, 5, "ပေးရမယ့်ငွေ အမှန်အတိုင်း ပြောတယ်",
     "အေဂျင်စီက ပေးရမယ့်ငွေ အားလုံးကို ကြိုပြောပြတယ်။ စာချုပ်ကို မြန်မာလို ရှင်းပြတယ်။ "
     "ထိုင်းရောက်တော့ အလုပ်က ပြောထားတဲ့အတိုင်းပဲ။",
     {"fees_paid": "yes", "fee_amount": "450000", "fee_currency": "MMK", "fee_paid_to": "agency",
      "documents_holder": "me", "job_as_promised": "yes", "contract_in_language": "yes",
      "sub_ratings": {"honest_costs": 5, "contract_explained": 5, "respect": 4}}),
    ("Golden Lotus Overseas Employment Agency", True, 3, "The fee was higher than they said",
     "At the start they told us 300,000 kyat. In the end we paid 650,000 kyat. "
     "The factory job itself was as they said.",
     {"fees_paid": "yes", "fee_amount": "650000", "fee_currency": "MMK", "fee_paid_to": "agency",
      "documents_holder": "me", "job_as_promised": "yes", "sub_ratings": {"honest_costs": 2}}),
    ("Golden Lotus Overseas Employment Agency", True, 4, "အလုပ်ကောင်းတယ်",
     "အလုပ်ကောင်းတယ်။ ပွဲစားခ နည်းနည်းများတယ်။ ပြဿနာရှိတော့ အေဂျင်စီက ကူညီတယ်။",
     {"fees_paid": "yes", "fee_amount": "500000", "fee_currency": "MMK", "fee_paid_to": "agency",
      "documents_holder": "employer", "job_as_promised": "yes", "sub_ratings": {"helped": 5}}),
    ("Siam Ocean Seafood Co., Ltd.", True, 4, "လစာ အချိန်မှန် ပေးတယ်",
     "လစာကို လတိုင်း အချိန်မှန်ပေးတယ်။ အိပ်ဆောင်က သန့်ရှင်းတယ်။ အချိန်ပိုက နည်းနည်းများတယ်။",
     {"wages_on_time": "yes", "documents_holder": "me", "forced_overtime": "no",
      "sub_ratings": {"wages": 5, "housing": 4}}),
    ("Siam Ocean Seafood Co., Ltd.", True, 3, "ប្រាក់ខែទាន់ពេល ប៉ុន្តែម៉ោងធ្វើការច្រើន",
     "ប្រាក់ខែបើកទាន់ពេល។ ប៉ុន្តែយើងត្រូវធ្វើការថែមម៉ោងស្ទើររាល់ថ្ងៃ។",
     {"wages_on_time": "yes", "forced_overtime": "yes", "sub_ratings": {"hours": 2}}),
    ("Siam Ocean Seafood Co., Ltd.", True, 2, "They keep our passports",
     "The company keeps every worker's passport in the office. "
     "When I asked for mine they said I must pay 3,000 baht first.",
     {"documents_holder": "employer", "free_to_leave": "no", "sub_ratings": {"freedom": 1}}),
    ("Mahachai Frozen Foods Co., Ltd.", False, 2, "ပတ္စပို႔ သိမ္းထားတယ္",
     "ပတ္စပို႔ကို ကုမၸဏီက သိမ္းထားတယ္။ အလုပ္ထြက္ခ်င္ရင္ ေငြေပးရမယ္လို႔ ေျပာတယ္။ "
     "ဆက္သြယ္ရန္ ဖုန္း 09 450 123 456",
     {"documents_holder": "employer", "free_to_leave": "no"}),
    ("Himal Manpower Services Pvt. Ltd.", False, 2, "भनेभन्दा धेरै पैसा लियो",
     "म्यानपावरले सुरुमा ५० हजार भन्यो, पछि १ लाख ५० हजार लियो। मलाई ९८४१२३४५६७ मा फोन गर्नुहोस्।",
     {"fees_paid": "yes", "fee_amount": "150000", "fee_currency": "NPR",
      "fee_paid_to": "agency"}),
    ("Thai Migrant Placement Co., Ltd.", False, 4, "บริษัทช่วยทำเอกสารให้",
     "บริษัทช่วยทำใบอนุญาตทำงานให้ ไม่ต้องจ่ายค่าหัวคิว ถ้าสงสัยโทร 081-234-5678 ได้",
     {"fees_paid": "no", "contract_in_language": "yes"}),
    ("Mekong Star Labour Service Co., Ltd.", False, 3, "ວຽກໜັກ ແຕ່ນາຍຈ້າງດີ",
     "ວຽກໜັກ ແຕ່ນາຍຈ້າງດີ. ເງິນເດືອນໄດ້ຕາມສັນຍາ. ຕ້ອງຈ່າຍຄ່າເອກະສານເອງ.",
     {"fees_paid": "yes", "fee_amount": "3000000", "fee_currency": "LAK",
      "fee_paid_to": "agency"}),
]  # fmt: skip


# Jobs: (agency, employer, {locale: (title, description)}, terms, fee lines).
JOBS = [
    ("Golden Lotus Overseas Employment Agency", "Siam Ocean Seafood Co., Ltd.",
     {"my": ("ပုစွန်စက်ရုံ အလုပ်သမား", "ပုစွန် အခွံခွာခြင်း၊ ထုပ်ပိုးခြင်း။ အိပ်ဆောင် အခမဲ့။ "
             "တစ်ပတ်ကို တစ်ရက် နားရက်။"),
      "en": ("Shrimp factory worker", "Peeling and packing shrimp. Free dormitory. "
             "One day off a week.")},
     {"sector": "seafood", "destination_country": "TH", "province": "Samut Sakhon",
      "positions": 40, "salary_amount": "400", "salary_currency": "THB", "salary_period": "day",
      "hours_per_day": "8", "rest_days_per_week": 1, "overtime_rate": "1.5",
      "accommodation": "free", "food": "deducted", "contract_months": 24, "gender": "any",
      "languages": ["my"], "recruiting_from": ["MM"]},
     [("passport", "45000", "MMK", "worker"), ("visa", "2000", "THB", "employer"),
      ("work_permit", "1900", "THB", "employer"), ("medical", "500", "THB", "employer")]),
    ("Himal Manpower Services Pvt. Ltd.", "Penang Microchip Assembly Sdn. Bhd.",
     {"ne": ("इलेक्ट्रोनिक्स कारखाना अपरेटर", "सर्किट बोर्ड जाँच र प्याकिङ। रोजगारदाताले सबै "
             "खर्च तिर्छ।"),
      "en": ("Electronics production operator", "Checking and packing circuit boards. "
             "The employer pays every recruitment cost.")},
     {"sector": "electronics", "destination_country": "MY", "province": "Penang",
      "positions": 60, "salary_amount": "1900", "salary_currency": "MYR", "salary_period": "month",
      "hours_per_day": "8", "rest_days_per_week": 1, "overtime_rate": "1.5",
      "accommodation": "free", "food": "none", "contract_months": 36, "gender": "any",
      "age_min": 18, "age_max": 40, "languages": ["ne", "en"], "recruiting_from": ["NP"]},
     [("recruitment", "150000", "NPR", "employer"), ("transport", "2500", "MYR", "employer"),
      ("medical", "300", "MYR", "employer")]),
    ("Angkor Bright Manpower Co., Ltd.", "Chao Phraya Builders Co., Ltd.",
     {"km": ("កម្មករសំណង់", "ជួយការងារសំណង់ និងលាយស៊ីម៉ងត៍។ មានកន្លែងស្នាក់នៅ។"),
      "th": ("คนงานก่อสร้าง", "งานก่อสร้างทั่วไป ผสมปูน มีที่พักให้")},
     {"sector": "construction", "destination_country": "TH", "province": "Bangkok",
      "positions": 25, "salary_amount": "12000", "salary_currency": "THB",
      "salary_period": "month", "hours_per_day": "8", "rest_days_per_week": 1,
      "accommodation": "free", "food": "none", "contract_months": 24, "gender": "men",
      "languages": ["km"], "recruiting_from": ["KH"]},
     [("recruitment", "200", "USD", "worker"), ("transport", "800", "THB", "worker"),
      ("work_permit", "1900", "THB", "employer")]),
    ("Mekong Star Labour Service Co., Ltd.", "Northern Hills Longan Orchard",
     {"lo": ("ຄົນງານສວນລຳໄຍ", "ເກັບລຳໄຍ ແລະ ຄັດແຍກໝາກ. ມີທີ່ພັກ ແລະ ອາຫານ."),
      "en": ("Longan orchard worker", "Picking and sorting longan. Room and meals given.")},
     {"sector": "agriculture", "destination_country": "TH", "province": "Chiang Mai",
      "positions": 15, "salary_amount": "350", "salary_currency": "THB", "salary_period": "day",
      "hours_per_day": "8", "rest_days_per_week": 1, "accommodation": "free", "food": "free",
      "contract_months": 6, "gender": "any", "languages": ["lo"], "recruiting_from": ["LA"]},
     [("work_permit", "1900", "THB", "employer"), ("transport", "300", "THB", "employer")]),
]  # fmt: skip


def _licence_number(org: DemoOrg, index: int) -> str:
    return f"DEMO-{org.country}-{2020 + index % 6}-{1000 + index * 37}"


def _load_organisations() -> dict[str, Organisation]:
    query = select(Organisation).filter_by(is_demo=True)
    existing = {org.name: org for org in db.session.scalars(query)}
    for index, spec in enumerate(ORGANISATIONS):
        if spec.name in existing:
            continue
        licence = {}
        if spec.licence:
            licence = {
                "licence_number": _licence_number(spec, index),
                "licence_authority": AUTHORITIES[spec.country],
                "licence_status": spec.licence,
                "licence_expiry": today() + timedelta(days=spec.expires_in_days or 0),
            }
        org = directory.create_organisation(
            None,
            kind=spec.kind,
            name=spec.name,
            name_local=spec.name_local,
            country=spec.country,
            province=spec.province,
            sector=spec.sector,
            contact_phone=spec.phone,
            is_demo=True,
            **licence,
        )
        if spec.verified:
            directory.set_verified(org, True, None)
        existing[spec.name] = org
    return existing


def _load_csos(orgs: dict[str, Organisation]) -> None:
    """The network's demo CSOs, where missing (``orgs`` gets them too)."""
    for kind, name, local, country, province, countries, provinces, languages, services, phone, \
            email in CSOS:  # fmt: skip
        if name in orgs:
            continue
        orgs[name] = directory.create_organisation(
            None, kind=kind, name=name, name_local=local, country=country, province=province,
            countries_covered=countries, provinces_covered=provinces, languages=languages,
            services=services, contact_phone=phone, contact_email=email, is_demo=True,
        )  # fmt: skip
        directory.set_verified(orgs[name], True, None)


def _load_members(orgs: dict[str, Organisation]) -> None:
    """The government office and the industry association with its members, where missing
    (``orgs`` gets them too)."""
    for kind, name, country, province, sector, office_kind in MEMBERS:
        if name in orgs:
            continue
        orgs[name] = directory.create_organisation(
            None, kind=kind, name=name, country=country, province=province, sector=sector,
            office_kind=office_kind, is_demo=True,
        )  # fmt: skip
        directory.set_verified(orgs[name], True, None)
    association = orgs[ASSOCIATION]
    members = set(
        db.session.scalars(
            select(OrganisationLink.source_id).filter_by(
                kind=LinkKind.MEMBER_OF, target_id=association.id
            )
        )
    )
    for name in ASSOCIATION_MEMBERS:
        if orgs[name].id not in members:
            directory.add_link(orgs[name], association, None)


#: Where new cases go (worker country, worker language, organisation country, CSO): Burmese
#: speakers to the Mae Sot centre, cases at Malaysian workplaces to the union, the rest to
#: the Mae Sot centre.
ROUTING = [
    (None, "my", None, "Mae Sot Workers' Rights Centre"),
    (None, None, "MY", "Malaysian Migrant Workers' Union"),
    (None, None, None, "Mae Sot Workers' Rights Centre"),
]


def _load_routing(orgs: dict[str, Organisation]) -> None:
    if db.session.scalar(select(RoutingRule.id).limit(1)):
        return
    for worker_country, worker_language, organisation_country, cso in ROUTING:
        db.session.add(
            RoutingRule(
                worker_country=worker_country, worker_language=worker_language,
                organisation_country=organisation_country, cso=orgs[cso],
            )
        )  # fmt: skip
    db.session.commit()


def _load_links(orgs: dict[str, Organisation]) -> None:
    present = {
        (link.source_id, link.target_id)
        for link in db.session.scalars(select(OrganisationLink))
        if link.kind != LinkKind.MEMBER_OF
    }
    for source, target in LINKS:
        if (orgs[source].id, orgs[target].id) not in present:
            directory.add_link(orgs[source], orgs[target], None)


def _load_reviews(orgs: dict[str, Organisation]) -> None:
    """Reviews for the organisations that have none yet (so a second run adds nothing)."""
    reviewed = set(db.session.scalars(select(Review.organisation_id).distinct()))
    for name, publish, rating, title, body, answers in REVIEWS:
        org = orgs[name]
        if org.id in reviewed:
            continue
        answers = dict(answers)
        if "fee_amount" in answers:
            answers["fee_amount"] = Decimal(answers["fee_amount"])
        review, _code = reviews.submit_review(
            org,
            reviews.ReviewInput(
                rating=rating,
                title=title,
                body=body,
                relationship_kind="former",
                year=today().year - 1,
                **answers,
            ),
        )
        if publish:
            reviews.publish_review(review, None, set(range(len(review.redactions))), [])


def _load_jobs(orgs: dict[str, Organisation]) -> None:
    """Published jobs for the agencies that have none yet."""
    with_jobs = set(db.session.scalars(select(Job.agency_id).distinct()))
    for agency_name, employer_name, texts, terms, fees in JOBS:
        agency = orgs[agency_name]
        if agency.id in with_jobs:
            continue
        fields = dict.fromkeys(jobs.JOB_FIELDS)
        fields.update(terms)
        for name in ("salary_amount", "hours_per_day", "overtime_rate"):
            if fields[name] is not None:
                fields[name] = Decimal(fields[name])
        fields["employer_id"] = orgs[employer_name].id
        fields["deadline"] = today() + timedelta(days=60)
        lines = [
            {"kind": kind, "amount": Decimal(amount), "currency": currency, "paid_by": paid_by}
            for kind, amount, currency, paid_by in fees
        ]
        job = jobs.save_job(agency, None, fields, texts, lines)
        jobs.submit_job(job, None)
        jobs.publish_job(job, None)


def _load_cases(orgs: dict[str, Organisation], staff: dict[str, User]) -> None:
    """Two cases, once: one from the passport review (referred, documents given back) and
    one from the hotline (referred to the employer). Both are the Mae Sot centre's: the
    routing rules send it the review's case (an employer in Thailand), and its caseworker
    logs the hotline call."""
    if db.session.scalar(select(Case.id).limit(1)):
        return
    worker = staff["caseworker@demo.goldendreams.example"]
    moderator = staff["moderator@demo.goldendreams.example"]
    review = db.session.scalar(select(Review).filter_by(title="They keep our passports"))
    case = cases.open_from_review(review, moderator, ["ILO-07", "ILO-03"], "high", 30)
    cases.move(case, worker, "triaged")
    # The worker agreed the organisation may be told what happened (safeguarding's rule).
    consent.record(worker, "organisation", ["issue"], "phone", "On the phone, in Burmese.",
                   case_id=case.id)  # fmt: skip
    cases.move(case, worker, "referred")
    cases.record_remediation(
        case, worker, "documents_returned", None, None, 30,
        "Passports are now kept in lockers; each worker has the key.",
    )  # fmt: skip
    hotline = cases.open_hotline_case(
        worker, orgs["Mahachai Frozen Foods Co., Ltd."], "hotline", ["FEE-01", "ILO-09"],
        "high", 8, "Eight workers say they still owe 25,000 baht to a broker (fictional).", None,
    )  # fmt: skip
    cases.move(hotline, worker, "triaged")
    consent.record(worker, "organisation", ["issue"], "phone", "On the phone, in Burmese.",
                   case_id=hotline.id)  # fmt: skip
    cases.move(hotline, worker, "referred")


#: Workers' questions (topic, country, language, message, a caseworker's reply or None):
#: the Mae Sot centre's inbox holds them (the routing rules send it Burmese speakers and
#: workers in Thailand).
CONVERSATIONS = [
    ("recruitment", "MM", "my",
     "အေဂျင်စီက ပတ်စ်ပို့ ပြန်မပေးဘူး။ ထိုင်းကို သွားဖို့ ငွေ ၃ သိန်း ထပ်တောင်းတယ်။ ဘာလုပ်ရမလဲ။",
     "ပတ်စ်ပို့ကို သင်ကိုယ်တိုင် ကိုင်ခွင့်ရှိတယ်။ အေဂျင်စီ နာမည်ကို ပြောပြပါ။"),
    ("work", "TH", "km",
     "ថៅកែមិនបើកប្រាក់ខែពីរខែហើយ។ ខ្ញុំធ្វើការនៅរោងចក្រត្រី។",
     None),
    ("question", "TH", "ne",
     "थाइल्याण्डमा काम गर्न भिसा कति पर्छ? एजेन्टले ५ लाख माग्यो।",
     "थाइल्याण्ड सरकारको शुल्क धेरै कम छ। रसिद माग्नुहोस्।"),
]  # fmt: skip


def _load_conversations(staff: dict[str, User]) -> None:
    """A few workers' questions in the inbox, once, one answered by the demo caseworker."""
    if db.session.scalar(select(Conversation.id).limit(1)):
        return
    worker = staff["caseworker@demo.goldendreams.example"]
    for topic, country, language, text, answer in CONVERSATIONS:
        conversation, _code = inbox.ask(topic, country, language, text)
        if answer and inbox_permissions.may_reply(worker, conversation):
            inbox.reply(conversation, worker, answer)


class DemoLogin(NamedTuple):
    """One demo account: its role, login email and organisation (None: the network's staff),
    and whether it is its organisation's admin."""

    role: str
    email: str
    organisation: str | None
    org_admin: bool = False

    @property
    def label(self) -> str:
        """The role as the demo prints it (one word): "caseworker+admin" for a CSO's admin."""
        return f"{self.role}+admin" if self.org_admin else self.role


def _load_users(orgs: dict[str, Organisation]) -> list[DemoLogin]:
    logins = []
    for email, role, org_name, org_admin in USERS:
        exists = db.session.scalar(select(User.id).where(User.email == email))
        if not exists:
            accounts.create_user(
                email,
                DEMO_PASSWORD,
                role,
                organisation=orgs[org_name] if org_name else None,
                org_admin=org_admin,
            )
        logins.append(DemoLogin(role, email, org_name, org_admin))
    return logins


class RealDataPresent(RuntimeError):
    """The database holds organisations that are not demo data."""


def load() -> list[DemoLogin]:
    """Load the demo data where it is missing; returns each demo login (role, email and
    organisation).

    Refuses a database that holds real organisations: demo logins have a published password.
    """
    if db.session.scalar(select(Organisation.id).filter_by(is_demo=False).limit(1)):
        raise RealDataPresent(
            "This database holds real organisations; demo data (with its published "
            "password) is only for a database of its own."
        )
    taxonomy.load()
    orgs = _load_organisations()
    _load_csos(orgs)
    _load_members(orgs)
    _load_routing(orgs)
    _load_links(orgs)
    _load_reviews(orgs)
    _load_jobs(orgs)
    licences_demo.seed()  # an official list imported (issue 21)
    logins = _load_users(orgs)
    staff = {
        u.email: u
        for u in db.session.scalars(select(User).where(User.email.in_([x.email for x in logins])))
    }
    _load_cases(orgs, staff)
    _load_conversations(staff)
    rights_seed.load_articles()
    rights_seed.load_hotlines()
    rights_seed.load_rates()
    # The loop from a case to a fix that lasts (issue 20): one of each, each seed adding
    # only what is missing.
    for seed in (jobs_demo, support_demo, collective_demo, validation_demo, plans_demo,
                 safeguarding_demo, trends_demo, brands_demo, corridors_demo):  # fmt: skip
        seed.seed()
    return logins
