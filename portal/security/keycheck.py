"""Start-up refuses a wrong FIELD_ENCRYPTION_KEY, not just a missing one.

A well-formed but wrong key (a typo, the key of another installation, a rotated
key without re-encryption) would otherwise surface as a 500 on the first petition
read. The first start against a database records a check value (`KeyCheck`) after
making sure the data already stored decrypts with the key; every later start
compares the configured key with it.
"""

import hmac
import logging

from django.apps import apps
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections

from .crypto import DecryptionError, EncryptedTextField, key_check_digest

logger = logging.getLogger(__name__)

PURPOSE = "field-encryption"
WRONG_KEY = (
    "FIELD_ENCRYPTION_KEY is not the key this database's personal data was "
    "encrypted with: set the original key (see the backups)"
)


def _stored_data_decrypts(using: str, tables) -> bool:
    """Whether one stored value of each encrypted column reads with the key."""
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, EncryptedTextField):
                continue
            rows = model._base_manager.using(using).exclude(**{field.name: ""})
            try:
                rows.exclude(**{f"{field.name}__isnull": True}).values_list(
                    field.name, flat=True
                ).first()
            except DecryptionError:
                return False
    return True


def verify_field_encryption_key(using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise ImproperlyConfigured naming FIELD_ENCRYPTION_KEY when it is wrong.

    Quiet when the database is not reachable or not migrated yet: the key is
    checked on the first start that can read it, and /healthz reports the rest.
    """
    from .models import KeyCheck

    try:
        tables = set(connections[using].introspection.table_names())
        if KeyCheck._meta.db_table not in tables:
            return
        expected = key_check_digest()
        stored = KeyCheck.objects.using(using).filter(purpose=PURPOSE).first()
        if stored is None:
            if not _stored_data_decrypts(using, tables):
                raise ImproperlyConfigured(WRONG_KEY)
            try:
                stored, _created = KeyCheck.objects.using(using).get_or_create(
                    purpose=PURPOSE, defaults={"digest": expected}
                )
            except IntegrityError:  # another process recorded it at the same time
                stored = KeyCheck.objects.using(using).get(purpose=PURPOSE)
    except DatabaseError as error:
        logger.warning(
            "FIELD_ENCRYPTION_KEY not checked: database unavailable (%s)", error
        )
        return
    if not hmac.compare_digest(stored.digest, expected):
        raise ImproperlyConfigured(WRONG_KEY)


@register("security")
def check_field_encryption_key(app_configs=None, **kwargs):
    """System check (manage.py commands, the task worker, the scheduler)."""
    try:
        verify_field_encryption_key()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="security.E001")]
    return []
