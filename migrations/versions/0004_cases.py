"""cases, issue categories, case events

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 01:32:18.089574

"""
from alembic import op
import sqlalchemy as sa

# Version 1 of the issue taxonomy, as it was when this migration was written (a copy of
# goldendreams/cases/data/taxonomy.json then); `flask taxonomy` stores later versions.
TAXONOMY_V1 = [
    {
        "code": "ILO-01",
        "group": "ilo",
        "names": {
            "en": "Abuse of vulnerability",
            "my": "အလုပ်သမားရဲ့ အားနည်းချက်ကို အခွင့်ကောင်းယူခြင်း",
            "km": "ការឆ្លៀតយកប្រយោជន៍ពីការលំបាករបស់កម្មករ",
            "th": "ฉวยโอกาสจากความลำบากของคนงาน",
            "lo": "ສວຍໂອກາດຈາກຄວາມລຳບາກຂອງຄົນງານ",
            "ne": "कामदारको कमजोर अवस्थाको फाइदा उठाएको"
        }
    },
    {
        "code": "ILO-02",
        "group": "ilo",
        "names": {
            "en": "Deception about the job",
            "my": "အလုပ်အကြောင်း လိမ်ညာပြောခြင်း",
            "km": "ការកុហកអំពីការងារ",
            "th": "ถูกหลอกเรื่องงาน",
            "lo": "ຖືກຫຼອກເລື່ອງວຽກ",
            "ne": "कामबारे झुक्याइएको"
        }
    },
    {
        "code": "ILO-03",
        "group": "ilo",
        "names": {
            "en": "Not free to move or leave",
            "my": "လွတ်လပ်စွာ သွားလာခွင့်၊ အလုပ်ထွက်ခွင့် မရှိခြင်း",
            "km": "មិនអាចទៅណាមកណា ឬឈប់ពីការងារបាន",
            "th": "ไปไหนมาไหนหรือลาออกไม่ได้",
            "lo": "ໄປໃສມາໃສ ຫຼື ອອກຈາກວຽກບໍ່ໄດ້",
            "ne": "हिँडडुल गर्न वा काम छोड्न नपाएको"
        }
    },
    {
        "code": "ILO-04",
        "group": "ilo",
        "names": {
            "en": "Kept away from other people",
            "my": "အခြားလူတွေနဲ့ မတွေ့ရအောင် ခွဲထားခြင်း",
            "km": "ត្រូវគេដាក់ឱ្យនៅដាច់ពីអ្នកដទៃ",
            "th": "ถูกกันไม่ให้พบเจอคนอื่น",
            "lo": "ຖືກກັນບໍ່ໃຫ້ພົບຄົນອື່ນ",
            "ne": "अरू मानिससँग भेट्न नदिइएको"
        }
    },
    {
        "code": "ILO-05",
        "group": "ilo",
        "names": {
            "en": "Physical or sexual violence",
            "my": "ရိုက်နှက်ခြင်း (သို့) လိင်ပိုင်း အကြမ်းဖက်ခြင်း",
            "km": "ការវាយដំ ឬអំពើហិង្សាផ្លូវភេទ",
            "th": "ถูกทำร้ายร่างกายหรือทางเพศ",
            "lo": "ຖືກທຳຮ້າຍຮ່າງກາຍ ຫຼື ທາງເພດ",
            "ne": "कुटपिट वा यौन हिंसा"
        }
    },
    {
        "code": "ILO-06",
        "group": "ilo",
        "names": {
            "en": "Threats and intimidation",
            "my": "ခြိမ်းခြောက်ခြင်း၊ ကြောက်အောင် လုပ်ခြင်း",
            "km": "ការគំរាមកំហែង និងបំភិតបំភ័យ",
            "th": "ถูกข่มขู่ให้กลัว",
            "lo": "ຖືກຂົ່ມຂູ່ ແລະ ເຮັດໃຫ້ຢ້ານ",
            "ne": "धम्की र डरत्रास"
        }
    },
    {
        "code": "ILO-07",
        "group": "ilo",
        "names": {
            "en": "Passport or papers kept by others",
            "my": "ပတ်စ်ပို့ (သို့) စာရွက်စာတမ်းကို သူများက သိမ်းထားခြင်း",
            "km": "គេយកលិខិតឆ្លងដែន ឬឯកសារទុក",
            "th": "ถูกยึดหนังสือเดินทางหรือเอกสาร",
            "lo": "ຖືກຍຶດໜັງສືຜ່ານແດນ ຫຼື ເອກະສານ",
            "ne": "पासपोर्ट वा कागजात अरूले राखेको"
        }
    },
    {
        "code": "ILO-08",
        "group": "ilo",
        "names": {
            "en": "Wages held back",
            "my": "လစာကို ထိန်းထားပြီး မပေးခြင်း",
            "km": "គេទុកប្រាក់ឈ្នួលមិនបើកឱ្យ",
            "th": "ถูกกักค่าจ้างไว้ไม่จ่าย",
            "lo": "ຖືກກັກຄ່າແຮງໄວ້ບໍ່ຈ່າຍ",
            "ne": "तलब रोकिएको"
        }
    },
    {
        "code": "ILO-09",
        "group": "ilo",
        "names": {
            "en": "Debt bondage",
            "my": "အကြွေးကြောင့် အလုပ်ထွက်လို့ မရခြင်း",
            "km": "ជាប់បំណុល ចេញពីការងារមិនរួច",
            "th": "ติดหนี้จนออกจากงานไม่ได้",
            "lo": "ຕິດໜີ້ຈົນອອກຈາກວຽກບໍ່ໄດ້",
            "ne": "ऋणका कारण काम छोड्न नसकेको"
        }
    },
    {
        "code": "ILO-10",
        "group": "ilo",
        "names": {
            "en": "Bad working and living conditions",
            "my": "အလုပ်ခွင်နဲ့ နေစရာ အခြေအနေ မကောင်းခြင်း",
            "km": "កន្លែងធ្វើការ និងកន្លែងរស់នៅមិនល្អ",
            "th": "สภาพการทำงานและที่พักแย่",
            "lo": "ບ່ອນເຮັດວຽກ ແລະ ບ່ອນຢູ່ບໍ່ດີ",
            "ne": "काम गर्ने र बस्ने अवस्था नराम्रो"
        }
    },
    {
        "code": "ILO-11",
        "group": "ilo",
        "names": {
            "en": "Too much overtime",
            "my": "အချိန်ပို (OT) အရမ်းများခြင်း",
            "km": "ធ្វើការថែមម៉ោងច្រើនពេក",
            "th": "ทำงานล่วงเวลา (โอที) มากเกินไป",
            "lo": "ເຮັດວຽກລ່ວງເວລາຫຼາຍເກີນໄປ",
            "ne": "धेरै बढी ओभरटाइम"
        }
    },
    {
        "code": "FEE-01",
        "group": "fees",
        "names": {
            "en": "Recruitment fees paid by the worker",
            "my": "အလုပ်ရဖို့ အလုပ်သမားက အခကြေးငွေ ပေးရခြင်း",
            "km": "កម្មករត្រូវបង់ថ្លៃសេវា ដើម្បីបានការងារ",
            "th": "คนงานต้องจ่ายเงินเพื่อให้ได้งาน",
            "lo": "ຄົນງານຕ້ອງເສຍຄ່າທຳນຽມເພື່ອໃຫ້ໄດ້ວຽກ",
            "ne": "काम पाउन कामदारले शुल्क तिरेको"
        }
    },
    {
        "code": "DHK-01",
        "group": "dhaka",
        "names": {
            "en": "No contract, or not in the worker's language",
            "my": "စာချုပ် မရှိ (သို့) ကိုယ့်ဘာသာစကားနဲ့ ရေးမထားခြင်း",
            "km": "គ្មានកិច្ចសន្យា ឬកិច្ចសន្យាមិនមែនជាភាសារបស់កម្មករ",
            "th": "ไม่มีสัญญาจ้าง หรือสัญญาไม่ใช่ภาษาของคนงาน",
            "lo": "ບໍ່ມີສັນຍາ ຫຼື ສັນຍາບໍ່ແມ່ນພາສາຂອງຄົນງານ",
            "ne": "करार नभएको वा कामदारको भाषामा नभएको"
        }
    },
    {
        "code": "DHK-02",
        "group": "dhaka",
        "names": {
            "en": "Wages too low or paid late",
            "my": "လစာ နည်းလွန်းခြင်း (သို့) နောက်ကျမှ ပေးခြင်း",
            "km": "ប្រាក់ឈ្នួលទាបពេក ឬបើកយឺត",
            "th": "ค่าจ้างต่ำเกินไปหรือจ่ายช้า",
            "lo": "ຄ່າແຮງຕ່ຳເກີນໄປ ຫຼື ຈ່າຍຊ້າ",
            "ne": "तलब धेरै कम वा ढिलो पाएको"
        }
    },
    {
        "code": "DHK-03",
        "group": "dhaka",
        "names": {
            "en": "Unsafe work",
            "my": "ဘေးကင်းမှု မရှိတဲ့ အလုပ်",
            "km": "ការងារគ្មានសុវត្ថិភាព",
            "th": "งานไม่ปลอดภัย",
            "lo": "ວຽກບໍ່ປອດໄພ",
            "ne": "असुरक्षित काम"
        }
    },
    {
        "code": "DHK-04",
        "group": "dhaka",
        "names": {
            "en": "Poor housing",
            "my": "နေစရာ မကောင်းခြင်း",
            "km": "កន្លែងស្នាក់នៅមិនល្អ",
            "th": "ที่พักไม่ดี",
            "lo": "ບ່ອນພັກອາໄສບໍ່ດີ",
            "ne": "बस्ने ठाउँ नराम्रो"
        }
    },
    {
        "code": "DHK-05",
        "group": "dhaka",
        "names": {
            "en": "No voice: cannot organise or speak up",
            "my": "စုစည်းခွင့် (သို့) ထုတ်ပြောခွင့် မရှိခြင်း",
            "km": "គ្មានសំឡេង៖ មិនអាចរួមគ្នាជាក្រុម ឬបញ្ចេញមតិបាន",
            "th": "ไม่มีสิทธิ์มีเสียง: รวมกลุ่มหรือพูดออกมาไม่ได้",
            "lo": "ບໍ່ມີສຽງ: ລວມກຸ່ມ ຫຼື ເວົ້າບັນຫາອອກມາບໍ່ໄດ້",
            "ne": "आवाज नभएको: समूह बनाउन र बोल्न नपाएको"
        }
    },
    {
        "code": "DHK-06",
        "group": "dhaka",
        "names": {
            "en": "No way to complain or get remedy",
            "my": "တိုင်ကြားဖို့ (သို့) အကူအညီ ရဖို့ လမ်း မရှိခြင်း",
            "km": "គ្មានកន្លែងប្ដឹង ឬរកយុត្តិធម៌",
            "th": "ไม่มีที่ร้องเรียนหรือขอความเป็นธรรม",
            "lo": "ບໍ່ມີບ່ອນຮ້ອງທຸກ ຫຼື ຂໍຄວາມເປັນທຳ",
            "ne": "उजुरी गर्ने वा न्याय पाउने बाटो नभएको"
        }
    },
    {
        "code": "OTH-01",
        "group": "other",
        "names": {
            "en": "Harassment",
            "my": "နှောင့်ယှက်ခြင်း",
            "km": "ការបៀតបៀន",
            "th": "ถูกคุกคาม",
            "lo": "ຖືກຂົ່ມເຫັງ ຫຼື ກັ່ນແກ້ງ",
            "ne": "दुर्व्यवहार र हैरानी"
        }
    },
    {
        "code": "OTH-02",
        "group": "other",
        "names": {
            "en": "Discrimination",
            "my": "ခွဲခြားဆက်ဆံခြင်း",
            "km": "ការរើសអើង",
            "th": "ถูกเลือกปฏิบัติ",
            "lo": "ຖືກຈຳແນກ",
            "ne": "भेदभाव"
        }
    }
]


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('issue_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('group', sa.String(length=10), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issue_categories')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_issue_categories_code_version'))
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('workers_affected', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('contact', sa.Text(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('stage_since', sa.Date(), nullable=False),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=25), nullable=True),
    sa.Column('worker_answer', sa.String(length=6), nullable=True),
    sa.Column('worker_comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_cases_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_cases_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_cases_review_id_reviews'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('reference', name=op.f('uq_cases_reference')),
    sa.UniqueConstraint('review_id', name=op.f('uq_cases_review_id'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_status'), ['status'], unique=False)

    op.create_table('case_categories',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_categories_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['category_id'], ['issue_categories.id'], name=op.f('fk_case_categories_category_id_issue_categories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('case_id', 'category_id', name=op.f('pk_case_categories'))
    )
    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=15), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('status_from', sa.String(length=15), nullable=True),
    sa.Column('status_to', sa.String(length=15), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('remediation_kind', sa.String(length=20), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('workers_covered', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('by_organisation', sa.Boolean(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_case_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)

    categories = sa.table(
        "issue_categories",
        sa.column("code", sa.String),
        sa.column("version", sa.Integer),
        sa.column("group", sa.String),
        sa.column("names", sa.JSON),
    )
    op.bulk_insert(categories, [{**row, "version": 1} for row in TAXONOMY_V1])
    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))

    op.drop_table('case_events')
    op.drop_table('case_categories')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_status'))
        batch_op.drop_index(batch_op.f('ix_cases_organisation_id'))

    op.drop_table('cases')
    op.drop_table('issue_categories')
    # ### end Alembic commands ###
