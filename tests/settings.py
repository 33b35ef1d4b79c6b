"""Settings for the test suite: PostgreSQL by default, fast password hashing, captured e-mail."""

import os
import tempfile
from pathlib import Path
from typing import cast

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cocomm")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in live-server tests
# The project's settings fail closed (DEBUG off, no key), so the tests say what they run under: the
# local settings (no HTTPS redirect, plain static files; pytest-django still runs each test with
# DEBUG off) and a key used by nothing else. Set in the environment, so the Celery worker processes
# that some tests start, on cocomm.settings, read the same.
os.environ["DEBUG"] = "true"
os.environ["SECRET_KEY"] = "tests-only-key-never-used-outside-the-test-suite-0123456789"

from cocomm.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_cocomm")}  # noqa: F405

# Templates used only by the tests (such as a sample document for the PDF renderer).
TEMPLATES[0]["DIRS"] = [*cast(list[Path], TEMPLATES[0]["DIRS"]), BASE_DIR / "tests" / "templates"]  # noqa: F405

# Uploaded papers go to a scratch folder, never into the working tree.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cocomm-test-media-"))
