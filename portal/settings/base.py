"""Settings shared by every environment; what differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.security.client_ip import check_trusted_proxies

from .env import env_bool, env_int, env_list, env_str
from .services import cache_settings, email_settings, sqlite_options, tasks_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Everything the portal writes at run time (SQLite file, media, attachments) lives here.
DATA_DIR = Path(env_str("PORTAL_DATA_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str(
    "SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "法律服务门户"

INSTALLED_APPS = [
    "portal",
    "home",
    "petitions",
    "search",
    "portal.security",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django_tasks_rq",
    "django_rq",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so that redirects and refusals from the middleware below carry them too.
    "portal.security.middleware.SecurityHeadersMiddleware",
    "portal.security.middleware.ScopedCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "home.cache.AnonymousPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The one gate for staff URLs (see STAFF_URL_PREFIXES) and staff session clocks.
    "portal.security.middleware.StaffAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a lock-out into our sign-in page with a message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite in WAL mode under the project unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = sqlite_options()
    # A fresh checkout has no var/ yet; SQLite cannot create the folder itself.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{PASSWORD_VALIDATION}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{PASSWORD_VALIDATION}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": f"{PASSWORD_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{PASSWORD_VALIDATION}.NumericPasswordValidator"},
]

# Internationalisation: Chinese first (at /), English second (at /en/).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Petition attachments: outside MEDIA_ROOT and STATIC_ROOT, read only by a staff view.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(DATA_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Services with embedded defaults: database task queue unless REDIS_URL is set,
# the database search engine unless ELASTICSEARCH_URL is set.
REDIS_URL = env_str("REDIS_URL")
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
# A secured cluster: an API key (base64 "id:key", as Kibana shows it) and the CA
# bundle that signed the cluster's certificate, when it is not a public CA.
ELASTICSEARCH_API_KEY = env_str("ELASTICSEARCH_API_KEY")
ELASTICSEARCH_CA_CERTS = env_str("ELASTICSEARCH_CA_CERTS")
if ELASTICSEARCH_CA_CERTS and not ELASTICSEARCH_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "ELASTICSEARCH_CA_CERTS is set, but ELASTICSEARCH_URL is not an https:// URL"
    )
if ELASTICSEARCH_CA_CERTS and not Path(ELASTICSEARCH_CA_CERTS).is_file():
    raise ImproperlyConfigured(
        f"ELASTICSEARCH_CA_CERTS: no file at {ELASTICSEARCH_CA_CERTS}"
    )
TASKS, RQ_QUEUES = tasks_settings(REDIS_URL)
CACHES = cache_settings(REDIS_URL)
# Rendered public pages (home.cache): shared by every web process, so files on
# this machine unless Redis is there.
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "pages"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "pages"),
    }
)
SEARCH_INDEX_PREFIX = env_str("SEARCH_INDEX_PREFIX", "portal")

EMAIL_URL = env_str("EMAIL_URL", "console://")
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Staff sign in through our two-step view; Wagtail's own password-only login and its
# password reset (which would sign in without a code) are never reachable.
WAGTAILADMIN_LOGIN_URL = "security_sign_in"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# The admin would ask releases.wagtail.org for news: nothing leaves from staff pages.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Staff pictures from the portal's own default, never Gravatar: that would hand a
# third party a hash of each staff member's address (and the CSP blocks it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "txt"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]

LOGIN_URL = "security_sign_in"
LOGOUT_REDIRECT_URL = "security_sign_in"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Staff security (portal.security). Every path under these prefixes, with or without
# a language prefix, needs a password and a verified second factor; later staff
# pages, APIs, exports and attachment downloads must live under one of them.
STAFF_URL_PREFIXES = ["/admin/", "/api/v1/staff/", "/staff/"]
# Staff paths answered with JSON 401/403 instead of a redirect to sign-in.
STAFF_API_PREFIXES = ["/api/v1/staff/"]
STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
STAFF_SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(STAFF_SESSION_ABSOLUTE_TIMEOUT.total_seconds())
BACKUP_CODE_COUNT = 10

# django-otp: only the current 30-second step (tolerance 0 on each device); the
# phone's clock drift is learnt at enrolment, where its first code may be one step
# off (portal.security.otp.check_enrolment_code); wrong codes throttled with a
# doubling delay.
OTP_TOTP_ISSUER = "Legal Portal"
OTP_TOTP_SYNC = True
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Our reverse proxies (addresses or networks, or "*"), as gunicorn is given them in
# the Procfile: only from these is X-Forwarded-For believed, for the audit log, the
# sign-in lock-out and the per-address petition limits (portal.security.client_ip).
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1")
check_trusted_proxies(FORWARDED_ALLOW_IPS)

# django-axes: lock a username+IP pair after 10 failures within 15 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "portal.security.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
# The lock-out ends 15 minutes after it began, as its message says; tries during
# it are refused without starting the clock again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False

# Personal data at rest (portal.security.crypto). Production refuses this default.
DEV_FIELD_ENCRYPTION_KEY = "dev-only-field-encryption-key-do-not-use-in-production"
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY", DEV_FIELD_ENCRYPTION_KEY)

# Content-Security-Policy (django-csp 4): no inline script or style on our pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail admin's editors need inline styles and scripts; granted under /admin/ only.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

# Periodic jobs the scheduler process enqueues: task path -> interval in seconds.
PERIODIC_TASKS = {
    "portal.tasks.prune_task_results": 24 * 3600,
    # SQLite's planner statistics (the figures' indexes need them; portal/tasks.py).
    "portal.tasks.refresh_planner_statistics": 24 * 3600,
    # Wagtail's scheduled publishing: go-live and expiry times of pages.
    "home.tasks.publish_scheduled": 60,
    # Catch the search index up after an outage, and refresh overdue flags.
    "search.indexing.reconcile_all": 3600,
    # ... and within a minute what a lost job (killed worker, queue down) missed.
    "search.indexing.catch_up_recent": 30,
    # The public transparency page's figures, recomputed into the cache.
    "petitions.transparency.refresh_transparency": 3600,
    # Deadline reminders and escalations (idempotent; petitions/sweep.py).
    "petitions.sweep.sweep_task": 5 * 60,
    # Weekly follow-up sample of closed petitions (petitions/followup.py).
    "petitions.followup.sample_task": 7 * 24 * 3600,
    # Notices whose job was lost (queue down, worker killed) are queued again.
    "petitions.notifications.send_stalled": 15,
    "petitions.staff_notices.send_stalled": 15,
}

# Petitions (defaults and the rest of the knobs: petitions/conf.py).
# SMS: console (prints), locmem (tests), http (POST to the gateway at SMS_URL).
SMS_URL = env_str("SMS_URL")
SMS_TOKEN = env_str("SMS_TOKEN")
SMS_BACKEND = env_str("SMS_BACKEND", "http" if SMS_URL else "console")
# Unit code that receives petitions whose category (and its parents) name no unit.
PETITIONS_DEFAULT_UNIT = env_str("PETITIONS_DEFAULT_UNIT")

PORTAL_NAME = _("Public Legal Services Portal")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "elastic_transport": {"level": "WARNING"},
    },
}
