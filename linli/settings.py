"""Settings for Linli, read from the environment.

Production unless told otherwise: without `DEBUG=1` the app refuses to start without SECRET_KEY,
has the sandbox integrations off and passes `check --deploy`. `python3 dev.py run` (and the test
suite, tests/settings.py) set DEBUG=1, which gives the *embedded default* on a developer's machine:
SQLite under var/, Celery tasks run eagerly in-process, integrations in sandbox mode. Setting
DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, WECHAT_APP_ID, … switches each part to the real service.
"""

import ipaddress
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from linli.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LINLI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG=0 (the default). On a developer's machine set DEBUG=1, "
            "as `python3 dev.py run` does."
        )
    # Only for the embedded default on a developer's machine.
    SECRET_KEY = "embedded-default-insecure-key-do-not-use-in-production-8f3k2l"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])

# Sandbox integrations (WeChat login with `dev-<name>` codes as user `wx_dev-<name>`, sandbox payments, console SMS).
# On with DEBUG; a non-debug server (a demo or staging host) must opt in with SANDBOX=1.
LINLI_SANDBOX = env_bool("SANDBOX", env_bool("LINLI_SANDBOX", DEBUG))

INSTALLED_APPS = [
    "linli.console.apps.LinliAdminConfig",  # django.contrib.admin with the dashboard site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    # Platform
    "linli.api",
    "linli.regions",
    "linli.accounts",
    "linli.console",
    "linli.uploads",
    "linli.notifications",
    "linli.points",
    "linli.devices",
    "linli.payments",
    "linli.limits",
    "linli.ops",
    "linli.observability",
    "linli.family",
    # Scenarios
    "residents",
    "merchants",
    "events",
    "health",
    "enforcement",
    "care",
    "property",
    "participation",
]

MIDDLEWARE = [
    # First: the request id is on every log line and every response, the metrics time the rest.
    "linli.observability.middleware.RequestIdMiddleware",
    "linli.observability.middleware.RequestMetricsMiddleware",
    "enforcement.open311.middleware.Open311ErrorMiddleware",  # GeoReport v2 errors under /open311/
    "linli.api.middleware.ApiErrorEnvelopeMiddleware",
    "linli.api.middleware.PrivateApiResponseMiddleware",  # Cache-Control: no-store when authenticated
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "linli.urls"
WSGI_APPLICATION = "linli.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "linli" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        # In production a worker keeps its connection for a minute instead of opening one per request
        # (a PostgreSQL connection costs a fork and authentication); the health check drops a broken
        # one before the request uses it. The embedded default's SQLite file gains nothing from it.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG or DATABASE_URL.startswith("sqlite") else 60),
        conn_health_checks=True,
    )
}
SQLITE_OPTIONS = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several request threads and the eager Celery tasks share one file. A deferred transaction that
    # reads and then writes fails at once with "database is locked" when another writer got there
    # first (the busy timeout cannot help a lock upgrade); taking the write lock at BEGIN makes
    # concurrent writers queue for up to `timeout` seconds instead.
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttles, replay nonces, tokens) -------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Process-local: only correct for the single-process embedded default.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (served by the app itself through whitenoise) -----------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded images (linli.uploads): local disk under MEDIA_ROOT by default. For several hosts use
# S3-compatible object storage (Aliyun OSS, Tencent COS, MinIO, S3): set S3_BUCKET and install
# django-storages[s3] (README, "Uploads"). Files are private there and served by signed URLs.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 40_000_000)
if env_str("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("S3_URL_EXPIRE_SECONDS", 3600),
            "file_overwrite": False,
        },
    }

# --- DRF ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["linli.accounts.tokens.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "linli.api.parsers.JSONParser",  # size and depth limits (API_JSON_MAX_BYTES, API_JSON_MAX_DEPTH)
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["linli.api.filters.ListFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "linli.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "linli.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "linli.api.errors.exception_handler",
    # DRF's anon/user rates counted in one Redis round trip (linli/api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "linli.api.throttling.AnonThrottle",
        "linli.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON", "120/min"),
        "user": env_str("THROTTLE_USER", "600/min"),
        "login": env_str("THROTTLE_LOGIN", "10/min"),
        "refresh": env_str("THROTTLE_REFRESH", "30/min"),
        "device": env_str("THROTTLE_DEVICE", "600/min"),  # per signed device (linli.devices)
    },
    # 0: trust REMOTE_ADDR only (X-Forwarded-For is spoofable); behind one load balancer set 1.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": False,
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 30)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14)),
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
    # Rotation and revocation are ours (linli.accounts.tokens): one-time refresh tokens in families.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "邻礼通 Linli API",
    "DESCRIPTION": (
        "「邻礼通」未来社区小程序与联合执法平台的后端接口。"
        "Errors always use the envelope {code, message, fields}; money is integer fen; times are ISO 8601."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        # residents
        "WorkOrderStatusEnum": "residents.models.WorkOrder.Status",
        "WorkOrderKindEnum": "residents.models.WorkOrder.Kind",
        "BoundaryKindEnum": "enforcement.models.Boundary.Kind",
        "WorkOrderChannelEnum": "residents.models.WorkOrder.Channel",
        "WorkOrderActionEnum": "residents.models.WorkOrderHistory.Action",
        "VerificationStatusEnum": "residents.models.Verification.Status",
        "RelationEnum": "residents.models.Relation",
        # payments, merchants
        "PaymentIntentStatusEnum": "linli.payments.models.PaymentIntent.Status",
        "RefundStatusEnum": "linli.payments.models.Refund.Status",
        "PaymentContractStatusEnum": "linli.payments.models.PaymentContract.Status",
        "MarketOrderStatusEnum": "merchants.models.Order.Status",
        "MarketOrderKindEnum": "merchants.models.Order.Kind",
        "MerchantStatusEnum": "merchants.models.Merchant.Status",
        "MerchantApplicationStatusEnum": "merchants.models.MerchantApplication.Status",
        "CabinetSessionStatusEnum": "merchants.models.CabinetSession.Status",
        # health
        "ConsultationStatusEnum": "health.models.Consultation.Status",
        "PrescriptionStatusEnum": "health.models.Prescription.Status",
        "AppointmentStatusEnum": "health.models.Appointment.Status",
        "InsuranceApplicationStatusEnum": "health.models.InsuranceApplication.Status",
        "InsuranceApplicationTypeEnum": "health.models.InsuranceApplication.Type",
        "PolicyArticleStatusEnum": "health.models.PolicyArticle.Status",
        "VitalTypeEnum": "health.models.VitalType",
        "HealthConditionEnum": "health.models.Condition",
        "ClinicKindEnum": "health.models.Clinic.Kind",
        # events
        "EventStatusEnum": "events.models.Event.Status",
        "EventCategoryEnum": "events.models.Event.Category",
        "EventRegistrationStatusEnum": "events.models.Registration.Status",
        "SessionAttendanceStatusEnum": "events.models.SessionAttendance.Status",
        "VenueBookingStatusEnum": "events.models.VenueBooking.Status",
        "VenueWeekdayEnum": "events.models.VenueOpeningHours.Weekday",
        "VenueBusySlotKindEnum": "events.api.serializers.BUSY_KINDS",
        "EventCheckInResultEnum": "events.api.serializers.CHECK_IN_RESULTS",
        "WaitlistOutcomeEnum": "events.api.serializers.WAITLIST_OUTCOMES",
        # points
        "RedemptionKindEnum": "linli.points.models.RedemptionKind",
        "RedemptionStatusEnum": "linli.points.models.Redemption.Status",
        "EarningRuleEnum": "linli.points.models.EarningRuleKey",
        # family
        "FamilyBindingStatusEnum": "linli.family.models.FamilyBinding.Status",
        "FamilyBindingSideEnum": "linli.family.models.FamilyBinding.Side",
        "FamilyBindingActionEnum": "linli.family.models.FamilyBinding.Action",
        # devices
        "DeviceKindEnum": "linli.devices.models.Device.Kind",
        "DeviceStatusEnum": "linli.devices.models.Device.Status",
        "DeviceCommandStatusEnum": "linli.devices.models.DeviceCommand.Status",
        # named because events' category made "category" ambiguous
        "MerchantCategoryEnum": "merchants.models.Category",
        # enforcement
        "ProblemReportStatusEnum": "enforcement.models.ProblemReport.Status",
        "ProblemReportChannelEnum": "enforcement.models.ProblemReport.Channel",
        "ProblemReportOutcomeEnum": "enforcement.models.ProblemReport.Outcome",
        "ProblemReportActionEnum": "enforcement.models.ReportHistory.Action",
        "StaffReportChannelEnum": "enforcement.api.serializers.reports.STAFF_CHANNELS",
        "ReportRequestKindEnum": "enforcement.models.ReportRequest.Kind",
        "ReportRequestStatusEnum": "enforcement.models.ReportRequest.Status",
        "EnforcementTeamKindEnum": "enforcement.models.Team.Kind",
        "InspectionTargetKindEnum": "enforcement.models.Target.Kind",
        "JointInspectionKindEnum": "enforcement.models.Inspection.Kind",
        "JointInspectionStatusEnum": "enforcement.models.Inspection.Status",
        "FindingSeverityEnum": "enforcement.models.Finding.Severity",
        # participation: votes and surveys
        "VoteKindEnum": "participation.models.Vote.Kind",
        "VoteStatusEnum": "participation.models.Vote.Status",
        "VoteUnitEnum": "participation.models.Vote.Unit",
        "VoteResultsVisibilityEnum": "participation.models.Vote.Visibility",
        "QuestionKindEnum": "participation.models.Question.Kind",
        # property: fees and vehicles
        "BillStatusEnum": "property.models.Bill.Status",
        "BillActionEnum": "property.models.Bill.Action",
        "ReceiptMethodEnum": "property.models.Receipt.Method",
        "OfflinePaymentMethodEnum": "property.api.serializers.bills.OFFLINE_METHODS",
        "VehicleStatusEnum": "property.models.Vehicle.Status",
        "ParkingPermitStatusEnum": "property.models.ParkingPermit.Status",
        "EnforcementCaseStatusEnum": "enforcement.models.Case.Status",
        "EnforcementCasePushStatusEnum": "enforcement.models.Case.PushStatus",
        "EnforcementCaseActionEnum": "enforcement.models.CaseHistory.Action",
        # care: emergency alarms and childcare
        "CareAlarmKindEnum": "care.models.Alarm.Kind",
        "CareAlarmStatusEnum": "care.models.Alarm.Status",
        "CareAlarmActionEnum": "care.models.Alarm.Action",
        "CareAlarmOutcomeEnum": "care.models.AlarmOutcome",
        "ChildcareEnrolmentStatusEnum": "care.models.Enrolment.Status",
        "ChildcareEnrolmentActionEnum": "care.models.Enrolment.Action",
        "ChildcareFeeBillStatusEnum": "care.models.FeeBill.Status",
        # care
        "CareOrderStatusEnum": "care.models.CareOrder.Status",
        "CareOrderActionEnum": "care.models.CareOrder.Action",
        "CareServiceKindEnum": "care.models.ServiceKind",
        "CareCheckInMethodEnum": "care.models.orders.CheckInMethod",
        "SubsidyEntryKindEnum": "care.models.SubsidyEntry.Kind",
        "VisitStatusEnum": "care.models.Visit.Status",
        "VisitActionEnum": "care.models.Visit.Action",
        # property: visitors and the gate
        "GateEntryMethodEnum": "property.models.gate.GateEntry.Method",
        "GateEntryResultEnum": "property.models.gate.GateEntry.Result",
        "GateEntryReasonEnum": "property.models.gate.GateEntry.Reason",
        "PlateReadResultEnum": "property.models.gate.PlateRead.Result",
        "PlateReadReasonEnum": "property.models.gate.PlateRead.Reason",
        # participation: party members and the alliance
        "PartyMemberKindEnum": "participation.models.PartyMember.Kind",
        "PartyMemberStatusEnum": "participation.models.PartyMember.Status",
        "PartyMemberActionEnum": "participation.models.PartyMember.Action",
        "AllianceUnitKindEnum": "participation.models.UnitKind",
        "AllianceResourceKindEnum": "participation.models.ResourceKind",
        "AllianceResourceStatusEnum": "participation.models.Resource.Status",
        "AllianceNeedStatusEnum": "participation.models.Need.Status",
        "AllianceProjectStatusEnum": "participation.models.Project.Status",
        "AllianceProjectActionEnum": "participation.models.Project.Action",
        "VisitorPassStateEnum": "property.models.gate.VisitorPass.State",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers a task whose worker died unacknowledged after this many seconds (acks_late).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}

# Operations watch (linli.ops; meaning in linli/ops/conf.py and docs/operations.md).
OPS_BEAT_STALE_MINUTES = env_int("OPS_BEAT_STALE_MINUTES", 5)
OPS_QUEUE_ALERT_LENGTH = env_int("OPS_QUEUE_ALERT_LENGTH", 1000)
OPS_CELERY_QUEUES = env_list("OPS_CELERY_QUEUES", ["celery"])
OPS_HEALTHZ_TOKEN = env_str("OPS_HEALTHZ_TOKEN")
# The release shown on the operations page: set by the deployment (e.g. the image's git commit).
APP_VERSION = env_str("APP_VERSION")

# --- Integrations ---------------------------------------------------------------------------
WECHAT_APP_ID = env_str("WECHAT_APP_ID")
WECHAT_APP_SECRET = env_str("WECHAT_APP_SECRET")
WECHAT_API_BASE = env_str("WECHAT_API_BASE", "https://api.weixin.qq.com")
WECHAT_TIMEOUT_SECONDS = 5
# Notifications (linli.notifications; kinds → channels in linli/notifications/conf.py, NOTIFICATION_KINDS
# overrides it): subscribe-message template id per topic, "work_order=<id>,health=<id>"; which mini-program
# version a message opens (developer | trial | formal); SMS backend ("console" or a dotted class path).
WECHAT_SUBSCRIBE_TEMPLATES = dict(
    item.split("=", 1) for item in env_list("WECHAT_SUBSCRIBE_TEMPLATES", []) if "=" in item
)
WECHAT_MINIPROGRAM_STATE = env_str("WECHAT_MINIPROGRAM_STATE", "formal")
if WECHAT_MINIPROGRAM_STATE not in {"developer", "trial", "formal"}:
    raise ImproperlyConfigured("WECHAT_MINIPROGRAM_STATE must be developer, trial or formal")
SMS_BACKEND = env_str("SMS_BACKEND", "console" if LINLI_SANDBOX else "")
NOTIFICATION_READ_RETENTION_DAYS = env_int("NOTIFICATION_READ_RETENTION_DAYS", 180)
if WECHAT_APP_ID and not WECHAT_APP_SECRET:
    raise ImproperlyConfigured("WECHAT_APP_SECRET must be set together with WECHAT_APP_ID")

# Payments (linli.payments). Provider for new cash payments: PAYMENTS_PROVIDER (sandbox | wechat_pay),
# else wechat_pay when WECHATPAY_MCH_ID is set, else the sandbox when LINLI_SANDBOX is on.
PAYMENTS_PROVIDER = env_str("PAYMENTS_PROVIDER")
PAYMENT_INTENT_TTL_MINUTES = env_int("PAYMENT_INTENT_TTL_MINUTES", 15)
WECHATPAY_MCH_ID = env_str("WECHATPAY_MCH_ID")
WECHATPAY_APP_ID = env_str("WECHATPAY_APP_ID", WECHAT_APP_ID)
WECHATPAY_SERIAL_NO = env_str("WECHATPAY_SERIAL_NO")  # serial of the merchant API certificate
WECHATPAY_PRIVATE_KEY = env_str("WECHATPAY_PRIVATE_KEY")  # merchant private key: PEM text or a file path
WECHATPAY_PLATFORM_PUBLIC_KEY = env_str("WECHATPAY_PLATFORM_PUBLIC_KEY")  # WeChat Pay public key: PEM or path
WECHATPAY_PLATFORM_SERIAL = env_str("WECHATPAY_PLATFORM_SERIAL")  # its id (PUB_KEY_ID_…) or certificate serial
WECHATPAY_APIV3_KEY = env_str("WECHATPAY_APIV3_KEY")
WECHATPAY_API_BASE = env_str("WECHATPAY_API_BASE", "https://api.mch.weixin.qq.com")
WECHATPAY_NOTIFY_BASE = env_str("WECHATPAY_NOTIFY_BASE")  # public https origin of this API, for notify_url
WECHATPAY_TIMEOUT_SECONDS = 5
# Medical-insurance mixed orders (method insurance_account): med_ins_sandbox | wechat_med_ins.
PAYMENTS_INSURANCE_PROVIDER = env_str("PAYMENTS_INSURANCE_PROVIDER")
WECHATPAY_MED_INS_CITY_ID = env_str("WECHATPAY_MED_INS_CITY_ID")  # 医保城市编码, e.g. 330800 (衢州)
WECHATPAY_MED_INST_NO = env_str("WECHATPAY_MED_INST_NO")  # 定点医药机构编码 of the drug machine's pharmacy
WECHATPAY_MED_INST_NAME = env_str("WECHATPAY_MED_INST_NAME")
if WECHATPAY_MCH_ID:
    _missing = [
        name
        for name in (
            "WECHATPAY_APP_ID",
            "WECHATPAY_SERIAL_NO",
            "WECHATPAY_PRIVATE_KEY",
            "WECHATPAY_PLATFORM_PUBLIC_KEY",
            "WECHATPAY_PLATFORM_SERIAL",
            "WECHATPAY_APIV3_KEY",
            "WECHATPAY_NOTIFY_BASE",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(f"WECHATPAY_MCH_ID is set but {', '.join(_missing)} are not")
# Pay Score (支付分, 免确认模式) service of the merchant: needed by the unmanned cabinet in real mode.
WECHATPAY_PAYSCORE_SERVICE_ID = env_str("WECHATPAY_PAYSCORE_SERVICE_ID")
if WECHATPAY_PAYSCORE_SERVICE_ID:
    if not WECHATPAY_MCH_ID:
        raise ImproperlyConfigured("WECHATPAY_PAYSCORE_SERVICE_ID is set but WECHATPAY_MCH_ID is not")
    if not re.fullmatch(r"[0-9A-Za-z]{1,32}", WECHATPAY_PAYSCORE_SERVICE_ID):
        raise ImproperlyConfigured("WECHATPAY_PAYSCORE_SERVICE_ID must be the service id (1-32 letters or digits)")

# Device gateway (linli.devices; defaults and meaning in linli/devices/conf.py). DEVICE_SECRET_KEY encrypts
# device secrets at rest (comma-separated while rotating); unset, it is derived from SECRET_KEY.
DEVICE_SECRET_KEY = env_str("DEVICE_SECRET_KEY")

# A shop's member invitation (merchants.conf) can be accepted this long.
MERCHANT_INVITATION_TTL_HOURS = env_int("MERCHANT_INVITATION_TTL_HOURS", 72)
DEVICE_MISSED_HEARTBEATS = env_int("DEVICE_MISSED_HEARTBEATS", 3)
DEVICE_COMMAND_TTL_SECONDS = env_int("DEVICE_COMMAND_TTL_SECONDS", 3600)

# --- Security -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "linli.api.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# JSON bodies (linli.api.parsers): larger is 413, deeper nesting is 400 (json recursion would be a 500).
API_JSON_MAX_BYTES = env_int("API_JSON_MAX_BYTES", 1024 * 1024)
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer's health probe and the Prometheus scrape speak plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Observability (linli.observability; docs/operations.md) ---------------------------------
# Prometheus scrape token for GET /metrics (Authorization: Bearer <token>). Unset: /metrics is 404 in
# production (open with DEBUG=1). The multiprocess directory is PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py).
METRICS_TOKEN = env_str("METRICS_TOKEN")
# A Celery worker's own counters (task outcomes) at http://WORKER_METRICS_ADDR:WORKER_METRICS_PORT/
# (no token: localhost or a private address behind a network rule). 0: not served.
WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", 0)
WORKER_METRICS_ADDR = env_str("WORKER_METRICS_ADDR", "127.0.0.1")
# Peers (REMOTE_ADDR) whose X-Request-ID is kept: the load balancers, as addresses or CIDRs.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None
# Error reporting (sentry-sdk) only when SENTRY_DSN is set; personal data scrubbed (linli/observability/sentry.py).
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production")
SENTRY_RELEASE = env_str("SENTRY_RELEASE")  # e.g. the deployed git commit

# JSON lines in production (one object per line: time, level, logger, message, request_id, extra
# fields), plain text on a developer's machine; both scrub personal data and secrets.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "linli.observability.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"()": "linli.observability.logging.PlainFormatter"},
        "json": {"()": "linli.observability.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # urllib3 logs full request URLs at DEBUG, and WeChat puts the app secret in the query.
        "urllib3": {"level": "WARNING"},
        # A line per request from the app (view, status, duration_ms, queries, request_id) instead of
        # gunicorn's plain access log (then set GUNICORN_ACCESS_LOG="").
        "linli.request": {"level": "INFO" if env_bool("LOG_REQUESTS", False) else "WARNING"},
    },
}
if CELERY_TASK_ALWAYS_EAGER:
    # Tasks run in-process (the embedded default): no per-task "succeeded" INFO line while seeding or
    # serving, and no "no hostname" warning about a broker that is never used. A real worker (a
    # broker is set, so tasks are not eager) keeps its logs.
    LOGGING["loggers"].update({"celery": {"level": "WARNING"}, "kombu.connection": {"level": "ERROR"}})
