"""Personal data in review text: what must be hidden, and what must survive."""

# Local digits (and the Burmese letter WA typed for zero) are what these tests are about.
# ruff: noqa: RUF001

import itertools
import re

import pytest

from goldendreams.core.pii import Span, find_personal_data, redact, to_ascii_digits

MARKER = "[•••]"

# (text, the exact substring that must be hidden, kind)
MUST_REDACT = [
    # English
    pytest.param(
        "The agent Mr. Somchai gave me his number 081-234-5678, call him before you pay.",
        "081-234-5678",
        "phone",
        id="en-thai-mobile-dashes",
    ),
    pytest.param(
        "Boss said call +66 81 234 5678 if you want the job.",
        "+66 81 234 5678",
        "phone",
        id="en-thai-international",
    ),
    pytest.param(
        "Broker in Yangon, phone 09 450 123 456, took 1,500,000 kyat from each of us.",
        "09 450 123 456",
        "phone",
        id="en-myanmar-mobile-spaces",
    ),
    pytest.param(
        "Office in Kuala Lumpur: 03-1234 5678, ask for the manager.",
        "03-1234 5678",
        "phone",
        id="en-malaysia-landline",
    ),
    pytest.param(
        "The recruiter's WhatsApp is +60 12-345 6789 but he blocks people who complain.",
        "+60 12-345 6789",
        "phone",
        id="en-malaysia-international",
    ),
    pytest.param(
        "Second agent in Penang 011-2345 6789 asked for RM 2,000 more.",
        "011-2345 6789",
        "phone",
        id="en-malaysia-mobile-011",
    ),
    pytest.param(
        "Since 15.03.2024 081-234-5678 keeps calling me for money.",
        "081-234-5678",
        "phone",
        id="en-phone-right-after-date",
    ),
    pytest.param(
        "The Yangon broker 09-4501234567 promised a job in a factory.",
        "09-4501234567",
        "phone",
        id="en-myanmar-mobile-ten-digits",
    ),
    pytest.param(
        "Call Ram dai on 9841234567 for the visa, he charges 150,000 rupees.",
        "9841234567",
        "phone",
        id="en-nepal-mobile",
    ),
    pytest.param(
        "Send your CV to recruit.mgmg99@gmail.com and they ask for 500 dollars.",
        "recruit.mgmg99@gmail.com",
        "email",
        id="en-email",
    ),
    pytest.param(
        "They post jobs on facebook.com/goldenjobs.agency every week.",
        "facebook.com/goldenjobs.agency",
        "link",
        id="en-bare-facebook-link",
    ),
    pytest.param(
        "Apply at https://www.example-jobs.com/apply?id=42. It is a scam.",
        "https://www.example-jobs.com/apply?id=42",
        "link",
        id="en-https-link",
    ),
    pytest.param(
        "Add the agent on LINE ID: somchai_job99 and he sends fake contracts.",
        "somchai_job99",
        "handle",
        id="en-line-id",
    ),
    pytest.param(
        "Follow @kl_jobs_agent on TikTok, they lie about overtime.",
        "@kl_jobs_agent",
        "handle",
        id="en-at-handle",
    ),
    pytest.param(
        "They kept my passport MB1234567 for two years.",
        "MB1234567",
        "id",
        id="en-passport",
    ),
    pytest.param(
        "My NRC 12/MaYaKa(N)123456 was copied by the agent.",
        "12/MaYaKa(N)123456",
        "id",
        id="en-myanmar-nrc-latin",
    ),
    pytest.param(
        "My card says 12/ma ya ka (N) 123456 and they photographed it.",
        "12/ma ya ka (N) 123456",
        "id",
        id="en-myanmar-nrc-spaced",
    ),
    pytest.param(
        "They made me pay into bank account 123456789012 in 2019.",
        "123456789012",
        "number",
        id="en-bank-account",
    ),
    # Thai
    pytest.param(
        "นายหน้าชื่อสมชาย โทร0812345678 อย่าเชื่อเขา",
        "0812345678",
        "phone",
        id="th-phone-glued-to-thai",
    ),
    pytest.param(
        "เบอร์นายจ้าง ๐๘๑-๒๓๔-๕๖๗๘ ไม่เคยรับสาย",
        "๐๘๑-๒๓๔-๕๖๗๘",
        "phone",
        id="th-thai-digits",
    ),
    pytest.param(
        "ฝ่ายบุคคลโทร +66 (0)2 123 4567 ก็ไม่มีใครรับ",
        "+66 (0)2 123 4567",
        "phone",
        id="th-international-trunk-zero",
    ),
    pytest.param("แอดไลน์: somchai.job ได้เลย", "somchai.job", "handle", id="th-line-keyword"),
    pytest.param(
        "เลขบัตรประชาชน 1-1017-00230-70-8 ถูกนายจ้างเอาไป",
        "1-1017-00230-70-8",
        "id",
        id="th-national-id",
    ),
    pytest.param(
        "หนังสือเดินทาง เลขที่ AA1234567 อยู่กับนายหน้า",
        "AA1234567",
        "id",
        id="th-passport",
    ),
    pytest.param(
        "สมัครงานที่ www.thaijobs.co.th/apply แต่ไม่มีงานจริง",
        "www.thaijobs.co.th/apply",
        "link",
        id="th-www-link",
    ),
    pytest.param(
        "ส่งอีเมลไปที่ hr.factory@company.co.th แล้วไม่มีใครตอบ",
        "hr.factory@company.co.th",
        "email",
        id="th-email",
    ),
    # Burmese
    pytest.param(
        "အေးဂျင့် ဖုန်း ၀၉-၄၅၀၁၂၃၄၅၆ ကို ဆက်ရင် မကိုင်ဘူး",
        "၀၉-၄၅၀၁၂၃၄၅၆",
        "phone",
        id="my-burmese-digits",
    ),
    pytest.param(
        "ပွဲစားဖုန်း ဝ၉၄၅၀၁၂၃၄၅၆ ပါ၊ သတိထားပါ",
        "ဝ၉၄၅၀၁၂၃၄၅၆",
        "phone",
        id="my-letter-wa-as-zero",
    ),
    pytest.param(
        "ပွဲစား ဖုန်း +95-9-450-123-456 ကို မယုံပါနဲ့",
        "+95-9-450-123-456",
        "phone",
        id="my-international-dashes",
    ),
    pytest.param(
        "ရန်ကုန်ရုံး ၀၁-၂၃၄၅၆၇ ကို ဖုန်းဆက်ပါ",
        "၀၁-၂၃၄၅၆၇",
        "phone",
        id="my-yangon-landline",
    ),
    pytest.param(
        "မှတ်ပုံတင် ၁၂/မရက(နိုင်)၁၂၃၄၅၆ ကို ကုမ္ပဏီက သိမ်းထားတယ်",
        "၁၂/မရက(နိုင်)၁၂၃၄၅၆",
        "id",
        id="my-nrc-burmese",
    ),
    pytest.param(
        "ပတ်စ်ပို့ နံပါတ် MD၁၂၃၄၅၆ ကို ပြန်မပေးဘူး",
        "MD၁၂၃၄၅၆",
        "id",
        id="my-passport",
    ),
    pytest.param(
        "အီးမေးလ်mgmg.agency@gmail.comကို ပို့ပါ",
        "mgmg.agency@gmail.com",
        "email",
        id="my-email-glued-to-burmese",
    ),
    pytest.param(
        "ကြော်ငြာကို facebook.com/mgmg.broker မှာ တင်တယ်",
        "facebook.com/mgmg.broker",
        "link",
        id="my-facebook-link",
    ),
    pytest.param(
        "ဘဏ်အကောင့် ၁၂၃၄၅၆၇၈၉၀၁ ထဲကို ပိုက်ဆံလွှဲခိုင်းတယ်",
        "၁၂၃၄၅၆၇၈၉၀၁",
        "number",
        id="my-bank-account",
    ),
    # Khmer
    pytest.param(
        "ភ្នាក់ងារ លេខ ០១២ ៣៤៥ ៦៧៨ មិនឆ្លើយ",
        "០១២ ៣៤៥ ៦៧៨",
        "phone",
        id="km-khmer-digits",
    ),
    pytest.param(
        "ទូរស័ព្ទ +855 97 1234 567 របស់មេការ",
        "+855 97 1234 567",
        "phone",
        id="km-international",
    ),
    pytest.param(
        "លិខិតឆ្លងដែន N01234567 ក្រុមហ៊ុនរក្សាទុក",
        "N01234567",
        "id",
        id="km-passport",
    ),
    pytest.param(
        "Telegram: sokha_agent ជួយរកការងារ",
        "sokha_agent",
        "handle",
        id="km-telegram-keyword",
    ),
    pytest.param(
        "ផ្ញើអ៊ីមែលទៅ sokha.job@yahoo.com ហើយគ្មានចម្លើយ",
        "sokha.job@yahoo.com",
        "email",
        id="km-email",
    ),
    pytest.param("ទំព័រ fb.com/sokhajobs បោកប្រាស់", "fb.com/sokhajobs", "link", id="km-fb-link"),
    pytest.param(
        "គណនីធនាគារ ១២៣៤៥៦៧៨៩០ ដាក់ប្រាក់",
        "១២៣៤៥៦៧៨៩០",
        "number",
        id="km-bank-account",
    ),
    # Lao
    pytest.param(
        "ນາຍໜ້າ ເບີ ໐໒໐ ໕໕໕໕ ໑໒໓໔ ຢ່າໂທ",
        "໐໒໐ ໕໕໕໕ ໑໒໓໔",
        "phone",
        id="lo-lao-digits",
    ),
    pytest.param(
        "ໂທ +856 20 5555 1234 ບໍ່ມີຄົນຮັບ",
        "+856 20 5555 1234",
        "phone",
        id="lo-international",
    ),
    pytest.param(
        "ເບີບໍລິສັດ 030 5123 456 ໂທບໍ່ຕິດ",
        "030 5123 456",
        "phone",
        id="lo-030-mobile",
    ),
    pytest.param(
        "ໜັງສືຜ່ານແດນ P1234567 ຢູ່ນຳນາຍຈ້າງ",
        "P1234567",
        "id",
        id="lo-passport",
    ),
    pytest.param(
        "WhatsApp: lao_agent88 ໂກງເງິນ",
        "lao_agent88",
        "handle",
        id="lo-whatsapp-keyword",
    ),
    pytest.param("ເບິ່ງ t.me/laojobs ແຕ່ເປັນການຫຼອກລວງ", "t.me/laojobs", "link", id="lo-telegram-link"),
    # Nepali
    pytest.param(
        "एजेन्टको फोन ९८४१२३४५६७ हो, नउठाउन सक्छ",
        "९८४१२३४५६७",
        "phone",
        id="ne-devanagari-mobile",
    ),
    pytest.param(
        "काठमाडौं अफिस ०१-४१२३४५६ मा फोन गर्नुहोस्",
        "०१-४१२३४५६",
        "phone",
        id="ne-kathmandu-landline",
    ),
    pytest.param(
        "+977-9812345678 मा फोन गर्दा कोही उठाउँदैन",
        "+977-9812345678",
        "phone",
        id="ne-international",
    ),
    pytest.param(
        "राहदानी नम्बर PA1234567 एजेन्टले राख्यो",
        "PA1234567",
        "id",
        id="ne-passport",
    ),
    pytest.param(
        "इमेल ram.agent@gmail.com मा पठाउनुहोस्",
        "ram.agent@gmail.com",
        "email",
        id="ne-email",
    ),
    pytest.param(
        "FB: ram.sharma.77 मा म्यासेज गर्नुहोस्",
        "ram.sharma.77",
        "handle",
        id="ne-facebook-keyword",
    ),
    pytest.param(
        "खाता नम्बर १२३४५६७८९०१२ मा पैसा पठायो",
        "१२३४५६७८९०१२",
        "number",
        id="ne-bank-account",
    ),
]

# Where the brackets around a number are ambiguous, only its digits must disappear.
MUST_REDACT_DIGITS = [
    pytest.param("Office phone (02) 123 4567, ask for Lek.", "(02) 123 4567", id="en-brackets"),
    pytest.param("เบอร์ (081) 234-5678 ของหัวหน้า", "(081) 234-5678", id="th-brackets"),
]

MUST_KEEP = [
    # English
    pytest.param("Salary was 35,000 baht a month but they paid only ฿28,000.", id="en-baht"),
    pytest.param("We paid 35000 บาท to the broker in 2019.", id="en-baht-thai-word"),
    pytest.param("Basic wage is RM 1,500 but some get 1,700 ringgit.", id="en-ringgit"),
    pytest.param("Agent fee USD 1,200 or $1,200, and 9,000 MMK for the bus.", id="en-dollars"),
    pytest.param("400 baht per day, 12,000 a month, 12 hours a day, 7 days a week.", id="en-wages"),
    pytest.param("I worked there from 2018 to 2022 (2018-2022) with 30 workers.", id="en-years"),
    pytest.param("We lived in room 305, Soi 12, floor 3 for 3 months.", id="en-room-soi"),
    pytest.param(
        "Contract signed 15/03/2024, started 2024-05-12, visa until 05.12.2024.", id="en-dates"
    ),
    pytest.param("Shift 08:30 to 20:30 on 01-05-2024, overtime paid 50% less.", id="en-date-time"),
    pytest.param("Check-in 01-05-2024 09:00, check-out 12-05-2024 18:00.", id="en-date-then-time"),
    pytest.param("ABC Garment Co., Ltd. and Golden Palm Sdn. Bhd. both pay late.", id="en-company"),
    pytest.param("The company owed 300 workers 1500000000 kyat in total.", id="en-long-amount"),
    pytest.param("They sold rice @ 25 baht, deadline: 15/04/2024, online: yes.", id="en-at-price"),
    # Thai
    pytest.param("ค่าจ้างวันละ 400 บาท ทำงาน 12 ชั่วโมง", id="th-wage"),
    pytest.param("ทำงานตั้งแต่ปี ๒๕๖๖ ถึง ๒๕๖๗ สัญญาเริ่ม ๑๕/๐๓/๒๕๖๗", id="th-buddhist-years"),
    pytest.param("ห้อง 305 ซอย 12 ชั้น 3 ค่าเช่า 3,500 บาท", id="th-room-soi"),
    pytest.param("ตลกมาก 5555555555 นายจ้างบอกว่าจะขึ้นเงินเดือน", id="th-laughter"),
    pytest.param("บริษัท เอบีซี จำกัด (ABC Co., Ltd.) หักเงิน 35,000 บาท", id="th-company"),
    # Burmese
    pytest.param("ပွဲစားခ ၂၅၀၀၀၀၀ ကျပ် ပေးခဲ့ရတယ်", id="my-kyat-digits"),
    pytest.param("လစာ ၃၅၀,၀၀၀ ကျပ်၊ ၂၀၁၉ ခုနှစ်က စလုပ်တယ်", id="my-salary-year"),
    pytest.param("တစ်ရက် ၁၂ နာရီ အလုပ်လုပ်ရတယ်၊ အလုပ်သမား ၃၀ ယောက်", id="my-hours-workers"),
    pytest.param("ပွဲစားခ 2,500,000 kyat ပေးရတယ်", id="my-kyat-latin"),
    # Khmer
    pytest.param("ថ្លៃឈ្នួលជើងសា ៤០០០០០ រៀល ឬ 400,000 riel", id="km-riel"),
    pytest.param("ប្រាក់ខែ ៨០០ ដុល្លារ ធ្វើការ ១២ ម៉ោង ឆ្នាំ ២០២២", id="km-salary-hours-year"),
    # Lao
    pytest.param("ຄ່ານາຍໜ້າ 3,000,000 kip ຫຼື ໓,໐໐໐,໐໐໐ ກີບ", id="lo-kip"),
    pytest.param("ເຮັດວຽກ ໑໒ ຊົ່ວໂມງ ແຕ່ປີ ໒໐໑໘ ເຖິງ ໒໐໒໒", id="lo-hours-years"),
    # Nepali
    pytest.param("एजेन्टलाई रु १५०,००० अर्थात 150,000 rupees तिर्यौं", id="ne-rupees"),
    pytest.param("२०८० साल देखि दिनको १२ घण्टा काम, ७ दिन बिदा छैन", id="ne-year-hours"),
    # Mixed scripts
    pytest.param("Salary 9,000 บาท/เดือน, ၃ လ, 3 months, ๑๕/๐๓/๒๕๖๗ 08:30", id="mixed-scripts"),
]


@pytest.mark.parametrize(("text", "secret", "kind"), MUST_REDACT)
def test_personal_data_is_found_exactly(text: str, secret: str, kind: str) -> None:
    start = text.index(secret)
    spans = find_personal_data(text)
    assert Span(start, start + len(secret), kind) in spans
    assert redact(text, spans) == text.replace(secret, MARKER)


@pytest.mark.parametrize(("text", "secret"), MUST_REDACT_DIGITS)
def test_all_digits_of_the_number_disappear(text: str, secret: str) -> None:
    redacted = redact(text, find_personal_data(text))
    before, after = text.split(secret)
    assert redacted.startswith(before.rstrip(" ("))
    assert redacted.endswith(after)
    assert not re.search(r"\d", redacted)


@pytest.mark.parametrize("text", MUST_KEEP)
def test_harmless_numbers_are_kept(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("๐๑๒๓๔๕๖๗๘๙", "0123456789", id="thai"),
        pytest.param("၀၁၂၃၄၅၆၇၈၉", "0123456789", id="burmese"),
        pytest.param("႐႑႒႓႔႕႖႗႘႙", "0123456789", id="shan"),
        pytest.param("០១២៣៤៥៦៧៨៩", "0123456789", id="khmer"),
        pytest.param("໐໑໒໓໔໕໖໗໘໙", "0123456789", id="lao"),
        pytest.param("०१२३४५६७८९", "0123456789", id="devanagari"),
        pytest.param("０１２３４５６７８９", "0123456789", id="fullwidth"),
        pytest.param("โทร ๐๘๑ call", "โทร 081 call", id="letters-untouched"),
        pytest.param("ဝ၉၄၅", "0945", id="wa-before-digit"),
        pytest.param("၁၀ဝ ကျပ်", "100 ကျပ်", id="wa-after-digit"),
        pytest.param("ဝန်ထမ်း ၅ ယောက်", "ဝန်ထမ်း 5 ယောက်", id="wa-in-word"),
        pytest.param("၅ဝင်", "5ဝင်", id="wa-starting-word-after-digit"),
    ],
)
def test_to_ascii_digits(text: str, expected: str) -> None:
    converted = to_ascii_digits(text)
    assert converted == expected
    assert len(converted) == len(text)


def test_redact_replaces_several_spans() -> None:
    text = "Call 081-234-5678 or mail aung@gmail.com, LINE ID: aung99."
    spans = find_personal_data(text)
    assert [span.kind for span in spans] == ["phone", "email", "handle"]
    assert redact(text, spans) == f"Call {MARKER} or mail {MARKER}, LINE ID: {MARKER}."
    assert redact(text, spans, marker="***") == "Call *** or mail ***, LINE ID: ***."


def test_redact_without_spans_returns_text() -> None:
    assert redact("Soi 12", []) == "Soi 12"


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        pytest.param("Video at tiktok.com/@mgmg99 today", "tiktok.com/@mgmg99", "link", id="link"),
        pytest.param("Viber: +95 9 450 123 456 ok", "+95 9 450 123 456", "phone", id="keyword"),
        pytest.param("Call +66812345678 now", "+66812345678", "phone", id="long-number"),
    ],
)
def test_overlapping_matches_are_merged(text: str, secret: str, kind: str) -> None:
    start = text.index(secret)
    assert find_personal_data(text) == [Span(start, start + len(secret), kind)]


def test_redact_merges_overlapping_spans_it_is_given() -> None:
    spans = [Span(4, 10, "phone"), Span(0, 6, "number")]
    assert redact("0123456789ab", spans) == f"{MARKER}ab"


def test_spans_are_sorted_and_do_not_overlap() -> None:
    text = " ".join(param.values[0] for param in MUST_REDACT)
    spans = find_personal_data(text)
    assert len(spans) >= len(MUST_REDACT)
    for previous, current in itertools.pairwise(spans):
        assert previous.end <= current.start


class TestThaiNationalId:
    VALID = "1-1017-00230-70-8"
    WRONG_CHECK = "1-1017-00230-70-5"

    def test_valid_id_is_redacted(self) -> None:
        text = f"บัตรประชาชนเลข {self.VALID} ครับ"
        assert redact(text, find_personal_data(text)) == f"บัตรประชาชนเลข {MARKER} ครับ"

    @pytest.mark.parametrize("separator", ["", " "])
    def test_grouping_is_optional(self, separator: str) -> None:
        number = self.VALID.replace("-", separator)
        text = f"ID {number} stolen"
        assert find_personal_data(text) == [Span(3, 3 + len(number), "id")]

    def test_wrong_check_digit_with_dashes_is_not_an_id(self) -> None:
        assert find_personal_data(f"Code {self.WRONG_CHECK} on the box") == []

    def test_wrong_check_digit_without_dashes_is_only_a_long_number(self) -> None:
        number = self.WRONG_CHECK.replace("-", "")
        assert find_personal_data(number) == [Span(0, 13, "number")]


def test_burmese_wa_typed_as_zero_in_phone() -> None:
    text = "ဖုန်းဝ၉၄၅၀၁၂၃၄၅၆ကိုဆက်ပါ"
    secret = "ဝ၉၄၅၀၁၂၃၄၅၆"
    assert redact(text, find_personal_data(text)) == text.replace(secret, MARKER)


def test_phone_glued_to_thai_text() -> None:
    assert find_personal_data("โทร0812345678") == [Span(3, 13, "phone")]


def test_email_next_to_burmese_text() -> None:
    text = "ကျွန်တော့်အီးမေးလ်aung.aung@gmail.comပါ"
    assert redact(text, find_personal_data(text)) == f"ကျွန်တော့်အီးမေးလ်{MARKER}ပါ"
