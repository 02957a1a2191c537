"""Settings: defaults here, then ``instance/config.py``, then ``GOLDENDREAMS_*`` variables.

Every setting can be given in the environment with the ``GOLDENDREAMS_`` prefix, e.g.
``GOLDENDREAMS_DATABASE_URL`` or ``GOLDENDREAMS_SECRET_KEY``. Values that parse as JSON
(numbers, ``true``/``false``) are read as such.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: The secret key used when none is configured; refused outside debug and testing.
DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production

MIN_SECRET_LENGTH = 32

LOCALES = ("en", "my", "km", "th", "lo", "ne")


class Defaults:
    SECRET_KEY = DEFAULT_SECRET_KEY
    # Empty means "the SQLite file in the instance folder" (filled in by load_config).
    DATABASE_URL = ""
    # hide_parameters: a database error logged (or kept as a failed task) shows the SQL,
    # never the values (a worker's words, a keyed hash, a country).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

    LOCALES = LOCALES
    #: Dates such as "today" (licence expiry, review dates) are where the users are.
    SITE_TIMEZONE = "Asia/Bangkok"
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # Flask-Babel resolves relative paths against the package, so give it an absolute one.
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    LOCALE_COOKIE = "gd_lang"

    # Long enough for a slow typist on a shared phone.
    WTF_CSRF_TIME_LIMIT = int(timedelta(hours=8).total_seconds())
    # We send no Referer (Referrer-Policy: no-referrer), so Flask-WTF's https Referer check
    # would refuse every form; the token and SameSite=Lax cookies protect the forms.
    WTF_CSRF_SSL_STRICT = False

    #: Empty means "__Host-gd_session" where the cookie is https-only (the prefix makes
    #: browsers refuse it from subdomains and without https), "gd_session" otherwise.
    SESSION_COOKIE_NAME = ""
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # None means "Secure unless debugging or testing" (decided in load_config).
    SESSION_COOKIE_SECURE = None
    REMEMBER_COOKIE_HTTPONLY = True
    #: The longest a staff login lasts, active or not.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    #: Keys the hashes of tracking codes. Changing it makes every code stop working, so it is
    #: separate from SECRET_KEY (which may be rotated); empty means SECRET_KEY.
    TRACKING_KEY = ""

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    #: Wrong passwords from one client (address or IPv6 /64), whatever the account; logins
    #: that work never count (one office address logs many colleagues in).
    LOGIN_RATE_LIMIT = "30 per 15 minutes"
    #: Wrong passwords for one account (known or not) from one client network: waits that
    #: grow. Someone guessing elsewhere cannot keep the owner out (accounts/throttle.py).
    LOGIN_LOCKOUT = "3 per minute;6 per 15 minutes;12 per day"
    #: Wrong passwords for one account from all networks together.
    LOGIN_ACCOUNT_LIMIT = "100 per hour"
    #: Wrong current passwords at "Change password", per account.
    PASSWORD_CHANGE_LIMIT = "5 per 15 minutes"  # noqa: S105 - a rate, not a password
    #: Minutes without a page opened after which a staff login ends.
    STAFF_IDLE_MINUTES = 30

    #: Bodies and forms larger than these are refused (413) before they are read. The
    #: biggest form, a job's (six languages of 10,000 letters, 3 bytes each and
    #: percent-encoded), is about 550 KB; nginx allows 1 MB too (deploy/nginx.conf).
    MAX_CONTENT_LENGTH = 1024 * 1024
    #: Fields in one form: a job with 50 cost lines has about 250.
    MAX_FORM_PARTS = 500
    #: Bytes of one text field in a multipart form (no form of ours sends files).
    MAX_FORM_MEMORY_SIZE = 200_000

    # Number of trusted proxies in front of the app setting X-Forwarded-For / -Proto.
    PROXY_COUNT = 0

    DIRECTORY_PAGE_SIZE = 20

    REVIEWS_PAGE_SIZE = 10
    #: Scores show once this many reviews are published, so no lone reviewer stands out.
    REVIEW_MIN_FOR_SCORES = 3
    #: Fee figures (share who paid, typical fee) need more answers: an agency keeps its
    #: receipts, and a figure from few amounts could point at one of them.
    FEE_MIN_FOR_SCORES = 5
    REVIEW_RATE_LIMIT = "5 per hour"
    #: Tries at a tracking code: guessing one is hopeless at this pace.
    CODE_RATE_LIMIT = "10 per 10 minutes"
    FLAG_RATE_LIMIT = "10 per hour"

    #: Days a case may stay in each open status before it is overdue.
    CASE_STAGE_DAYS = {"new": 2, "triaged": 7, "referred": 14, "in_remediation": 30, "resolved": 14}
    #: Escalations to brands (brands/): days a brand has to acknowledge one (its staff are
    #: reminded once when it is late).
    ESCALATION_ACK_DAYS = 7
    #: Referrals of a worker to a service (support/): the follow-up date a caseworker is
    #: offered, in days from the referral (or from its last step forward).
    SERVICE_REFERRAL_FOLLOW_UP_DAYS = 7
    #: Services per page of the public directory (/services/).
    SERVICES_PAGE_SIZE = 20
    #: Evidence an organisation attaches to its sign-off (validation/): bytes per file (PDF,
    #: JPEG, PNG) and files per sign-off. nginx must allow the sum (deploy/nginx.conf).
    VALIDATION_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    VALIDATION_EVIDENCE_MAX_FILES = 5
    #: A CSO's rule for "confirmed by workers" until its admin sets its own: the share of
    #: the reachable workers who said yes (percent) and the fewest answers.
    VALIDATION_MIN_YES_PERCENT = 50
    VALIDATION_MIN_ANSWERS = 1
    #: The CSO (by name) that the upgrade to many CSOs (migration 0013) gives every existing
    #: case and caseworker, and the catch-all routing rule; created as an NGO in
    #: DEFAULT_CSO_COUNTRY when no CSO has this name. Read by that migration only.
    DEFAULT_CSO = "ILM Action Network"
    DEFAULT_CSO_COUNTRY = "TH"
    #: Largest evidence file (PDF, JPEG, PNG) for a step of an improvement plan. Under the
    #: 1 MB body limit (MAX_CONTENT_LENGTH, and nginx's client_max_body_size): raise all three
    #: together for larger scans.
    PLAN_EVIDENCE_MAX_BYTES = 900_000

    #: Worker voice (inbox/): new conversations per client, and messages a worker adds with
    #: their code. Only what is stored counts; what a refused worker typed is given back.
    ASK_RATE_LIMIT = "5 per hour"
    WRITE_RATE_LIMIT = "30 per hour"
    #: A worker's chosen contact is erased when the conversation closes, or this many days
    #: after it was given (inbox/tasks.py, daily).
    CONTACT_RETENTION_DAYS = 90
    INBOX_PAGE_SIZE = 25

    #: Messaging apps (channels/): a channel with no credentials is off (its webhook answers
    #: 404). Each *_API_BASE replaces the platform's scheme and host (a test server, a proxy).
    MESSENGER_APP_SECRET = ""
    MESSENGER_PAGE_TOKEN = ""
    MESSENGER_VERIFY_TOKEN = ""
    MESSENGER_API_BASE = "https://graph.facebook.com"
    WHATSAPP_APP_SECRET = ""
    WHATSAPP_TOKEN = ""
    WHATSAPP_PHONE_NUMBER_ID = ""
    WHATSAPP_VERIFY_TOKEN = ""
    WHATSAPP_API_BASE = "https://graph.facebook.com"
    VIBER_AUTH_TOKEN = ""
    VIBER_API_BASE = "https://chatapi.viber.com"
    LINE_CHANNEL_SECRET = ""
    LINE_ACCESS_TOKEN = ""
    LINE_API_BASE = "https://api.line.me"
    TELEGRAM_BOT_TOKEN = ""
    TELEGRAM_SECRET_TOKEN = ""
    TELEGRAM_API_BASE = "https://api.telegram.org"
    SMS_ACCOUNT_SID = ""
    SMS_AUTH_TOKEN = ""
    SMS_API_BASE = "https://api.twilio.com"
    #: The SMS number (or sender name) replies come from.
    SMS_FROM = ""
    #: The Graph API version the Meta channels call.
    META_GRAPH_VERSION = "v21.0"
    #: Seconds a call to a platform may take before it is tried again later.
    CHANNEL_TIMEOUT = 10
    #: The largest voice note, photo or document kept from a messaging app (bytes).
    CHANNEL_MEDIA_MAX_BYTES = 16 * 1024 * 1024
    #: Days a delivery's keyed id is kept to recognise the platform sending it again.
    CHANNEL_DELIVERY_DAYS = 7

    #: Where attachments are kept, encrypted (core/files.py): empty means a "files" folder
    #: in the instance folder; "s3://bucket/prefix" an S3-compatible object store.
    FILES_URL = ""
    #: For s3://: the store's address (empty: Amazon S3), region and keys.
    S3_ENDPOINT_URL = ""
    S3_REGION = ""
    S3_ACCESS_KEY_ID = ""
    S3_SECRET_ACCESS_KEY = ""

    JOBS_PAGE_SIZE = 20
    APPLY_RATE_LIMIT = "10 per hour"
    #: Applicants' personal data is removed this many days after their job closes.
    APPLICATION_RETENTION_DAYS = 180

    #: "Work here? Ask for an account" requests per client (stored ones and repeats count).
    CLAIM_RATE_LIMIT = "5 per hour"
    #: A refused claim's name, e-mail, job title and licence number are erased this many
    #: days after the refusal (agencies/tasks.py, daily).
    CLAIM_RETENTION_DAYS = 90

    #: "whoosh" (files in SEARCH_INDEX_PATH, one machine) or "postgres" (full text in the
    #: database, for several app servers).
    SEARCH_BACKEND = "whoosh"
    #: Empty means "search-index in the instance folder"; ":memory:" keeps it in memory.
    SEARCH_INDEX_PATH = ""
    #: Searches per reader (a hash of the address): a few clients must not stall every worker.
    SEARCH_RATE_LIMIT = "60 per minute"
    #: Distinct words searched; the rest of a longer query is left out (the page says so).
    SEARCH_MAX_TERMS = 8
    #: Words in more than this share of the documents are left out when rarer ones remain.
    SEARCH_COMMON_SHARE = 0.05
    #: Seconds a search may take in the index: Whoosh answers with the hits found so far,
    #: PostgreSQL cancels the statement (and finds nothing).
    SEARCH_TIME_LIMIT = 0.1

    #: The fee calculator warns when paying fees back takes more months of work than this.
    FEE_WARNING_MONTHS = 3

    #: Seconds a worker may reuse figures that scan large tables (lists of provinces, public
    #: metrics); 0: never.
    CACHE_SECONDS = 60
    #: Seconds a worker may give anonymous readers the same rendered public page; 0: never.
    PAGE_CACHE_SECONDS = 30

    #: Where readers reach the site: links in e-mails are built on it (they are sent from
    #: the queue, outside any request).
    SITE_URL = "http://127.0.0.1:5000"
    SITE_NAME = "Golden Dreams"

    #: The task queue: empty means a SQLite file in the instance folder (one machine);
    #: "redis://host:6379/0" for consumers on several machines; "immediate" runs each task
    #: at once where it is queued (tests; a site without a worker).
    QUEUE_URL = ""
    #: Keys the queue in its storage (two sites may share one Redis with two names).
    QUEUE_NAME = "goldendreams"

    #: SMTP for e-mail. Empty MAIL_SERVER: messages are written to MAIL_FOLDER instead
    #: (empty: "mail" in the instance folder).
    MAIL_SERVER = ""
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_DEFAULT_SENDER = "Golden Dreams <no-reply@localhost>"
    #: Certificates (PEM) to trust for STARTTLS besides the system's: for a relay with a
    #: certificate of the organisation's own authority. Empty: the system's only.
    MAIL_CA_FILE = ""
    MAIL_FOLDER = ""

    #: Fernet keys for secrets kept encrypted (first encrypts, all decrypt: core/crypto.py).
    #: Empty: derived from TRACKING_KEY or SECRET_KEY.
    ENCRYPTION_KEYS: list[str] = []

    #: Hours an invitation link works; minutes a password-reset link works.
    INVITATION_HOURS = 72
    PASSWORD_RESET_MINUTES = 60
    #: "Forgot your password?" requests per address typed and per client network.
    PASSWORD_RESET_LIMIT = "3 per hour;10 per day"  # noqa: S105 - a rate, not a password
    #: Roles that must log in with a second factor (they read workers' words and contacts);
    #: add "agency_staff", "employer_staff" or "brand" to require it of them too.
    TWO_FACTOR_ROLES = ["admin", "moderator", "caseworker", "government", "mobilizer"]

    #: gzip pages here. Keep it on behind nginx too: the app knows which pages hold a
    #: CSRF token and must not be compressed (deploy/nginx.conf compresses static files only).
    COMPRESS = True


def load_config(app: Flask, overrides: dict | None = None) -> None:
    """Fill ``app.config`` from the defaults, the instance file, the environment, overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("GOLDENDREAMS")
    if overrides:
        app.config.from_mapping(overrides)

    if not app.config["DATABASE_URL"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'goldendreams.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if not app.config["SEARCH_INDEX_PATH"]:
        app.config["SEARCH_INDEX_PATH"] = str(Path(app.instance_path) / "search-index")

    relaxed = app.debug or app.testing or app.config.get("TESTING")
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = not relaxed
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    if not app.config["SESSION_COOKIE_NAME"]:
        prefix = "__Host-" if app.config["SESSION_COOKIE_SECURE"] else ""
        app.config["SESSION_COOKIE_NAME"] = prefix + "gd_session"

    if app.config["QUEUE_URL"] == "immediate" and not relaxed:
        # In the request, a mail's sending would take longer when an account exists (a
        # "forgot your password" answer would tell), and no scheduler would run the purges.
        raise RuntimeError(
            "QUEUE_URL=immediate is for tests. Leave it empty (a queue file in instance/) "
            "or set redis://…, and run `flask --app goldendreams worker`."
        )
    secret = str(app.config["SECRET_KEY"] or "")
    if (secret == DEFAULT_SECRET_KEY or len(secret) < MIN_SECRET_LENGTH) and not relaxed:
        raise RuntimeError(
            "Refusing to start without a secret key of at least "
            f"{MIN_SECRET_LENGTH} characters. Set GOLDENDREAMS_SECRET_KEY "
            "(for example to the output of: python -c 'import secrets; "
            "print(secrets.token_hex(32))'), or put SECRET_KEY in instance/config.py."
        )
