"""Encryption of sensitive values at rest (identity numbers, private notes).

Fernet (AES-128-CBC + HMAC) from the cryptography package. settings.FIELD_ENCRYPTION_KEYS
holds one or more keys: the first encrypts, all decrypt, so a new key can be put first and
`xinshao rotate-encryption-key` re-encrypts every stored value before the old one is dropped.
"""
import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps as global_apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models


class EncryptionKeyError(ImproperlyConfigured):
    """FIELD_ENCRYPTION_KEY is missing or holds something that is not a Fernet key."""


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, ...]:
    keys = tuple(key.strip() for key in keys if key.strip())
    if not keys:
        raise EncryptionKeyError("FIELD_ENCRYPTION_KEY is empty: give one Fernet key, or several separated by commas")
    fernets = []
    for place, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode()))
        except ValueError as error:
            raise EncryptionKeyError(f"FIELD_ENCRYPTION_KEY: key {place} of {len(keys)} is not a Fernet key "
                            "(32 url-safe base64-encoded bytes, 44 characters)") from error
    if len(set(keys)) != len(keys):
        raise EncryptionKeyError("FIELD_ENCRYPTION_KEY names the same key twice")
    return tuple(fernets)


def configured_fernets() -> tuple[Fernet, ...]:
    """The keys in order (first = current), checked; raises EncryptionKeyError with the reason."""
    return _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))


def _fernet() -> MultiFernet:
    return MultiFernet(list(configured_fernets()))


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("a stored value cannot be decrypted with the configured FIELD_ENCRYPTION_KEY") from error


def is_current(token: str) -> bool:
    """Whether `token` is already encrypted with the first (current) key."""
    try:
        configured_fernets()[0].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate(token: str) -> str:
    """The same plaintext encrypted with the current key; ValueError if no key opens it."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("no configured key decrypts this value") from error


class EncryptedTextField(models.TextField):
    """Text kept encrypted in the database and plain in Python; empty stays empty.

    Encrypted values cannot be searched or compared in SQL: look them up by another key.
    """

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


def encrypted_fields(app_registry=global_apps) -> dict[type[models.Model], list[EncryptedTextField]]:
    """Every concrete model with its EncryptedTextFields, from the app registry."""
    found = {}
    for model in app_registry.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [field for field in model._meta.local_fields if isinstance(field, EncryptedTextField)]
        if fields:
            found[model] = fields
    return found


def raw_values(queryset, field_names):
    """(pk, {field: stored text}) rows as they are in the database: nothing decrypted."""
    raw = {f"raw_{name}": models.ExpressionWrapper(models.F(name), output_field=models.TextField())
           for name in field_names}
    for row in queryset.annotate(**raw).values("pk", *raw).order_by("pk").iterator(chunk_size=500):
        yield row["pk"], {name: row[f"raw_{name}"] for name in field_names}


def write_raw(model, column_values: dict[str, dict[int, str]]) -> None:
    """Store already-prepared text per field and pk, one UPDATE per field (nothing encrypted again)."""
    for name, by_pk in column_values.items():
        if by_pk:
            whens = [models.When(pk=pk, then=models.Value(text, output_field=models.TextField()))
                     for pk, text in by_pk.items()]
            model._base_manager.filter(pk__in=list(by_pk)).update(
                **{name: models.Case(*whens, output_field=models.TextField())})


def _convert(apps, model_label: str, field_names: tuple[str, ...], change) -> None:
    model = apps.get_model(model_label)
    batch: dict[str, dict[int, str]] = {name: {} for name in field_names}
    for pk, values in raw_values(model._base_manager.all(), field_names):
        for name, stored in values.items():
            new = change(stored) if stored else None
            if new is not None and new != stored:
                batch[name][pk] = new
        if sum(map(len, batch.values())) >= 500:
            write_raw(model, batch)
            batch = {name: {} for name in field_names}
    write_raw(model, batch)


def _encrypt_plain(stored: str) -> str:
    try:
        decrypt(stored)
    except ValueError:
        return encrypt(stored)  # plaintext from before the field was encrypted
    return stored


def encrypt_existing(model_label: str, *field_names: str) -> migrations.RunPython:
    """A data migration turning the plaintext already stored in `field_names` into ciphertext.

    Put it after the AlterField to EncryptedTextField; reversing decrypts the values again
    (before the AlterField is reversed). Values already encrypted are left as they are.
    """
    def forwards(apps, schema_editor):
        _convert(apps, model_label, field_names, _encrypt_plain)

    def backwards(apps, schema_editor):
        _convert(apps, model_label, field_names, decrypt)

    return migrations.RunPython(forwards, backwards, elidable=False)


def detail_text_to_field(model_label: str, key: str, field_name: str) -> migrations.RunPython:
    """A data migration moving a person's text kept under `key` of an event row's JSON `detail`
    (plaintext in the database) into its EncryptedTextField `field_name`, added just before.

    Reversing puts the text back into `detail` and empties the field."""
    def moved(apps, forwards: bool) -> None:
        model = apps.get_model(model_label)
        rows = model._base_manager.filter(detail__has_key=key) if forwards else \
            model._base_manager.exclude(**{field_name: ""})
        pks = list(rows.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), 500):
            batch = list(model._base_manager.filter(pk__in=pks[start:start + 500]).only("pk", "detail", field_name))
            for row in batch:
                if forwards:
                    setattr(row, field_name, str(row.detail.pop(key) or ""))
                else:
                    row.detail[key] = getattr(row, field_name)
                    setattr(row, field_name, "")
            model._base_manager.bulk_update(batch, ["detail", field_name])

    return migrations.RunPython(lambda apps, schema_editor: moved(apps, True),
                                lambda apps, schema_editor: moved(apps, False), elidable=False)


class RotationCount:
    """What a rotation did to one model's values."""

    def __init__(self, label: str):
        self.label, self.rotated, self.current, self.failed = label, 0, 0, []

    def __str__(self) -> str:
        return (f"{self.label}: {self.rotated} re-encrypted, {self.current} already current, "
                f"{len(self.failed)} unreadable (values)")


def rotate_model(model, fields, *, dry_run: bool, batch_size: int = 500) -> RotationCount:
    """Re-encrypt under the current key every value of `fields` not already under it, in batches."""
    count, names = RotationCount(model._meta.label), [field.name for field in fields]
    batch: dict[str, dict[int, str]] = {name: {} for name in names}
    for pk, values in raw_values(model._base_manager.all(), names):
        for name, stored in values.items():
            if not stored:
                continue
            if is_current(stored):
                count.current += 1
                continue
            try:
                batch[name][pk] = rotate(stored)
            except ValueError:
                count.failed.append((pk, name))
                continue
            count.rotated += 1
        if sum(map(len, batch.values())) >= batch_size:
            if not dry_run:
                write_raw(model, batch)
            batch = {name: {} for name in names}
    if not dry_run:
        write_raw(model, batch)
    return count


def normalise_identity(value: str) -> str:
    """An identity number as compared: full-width folded, spaces and hyphens gone, x as X."""
    return unicodedata.normalize("NFKC", value or "").replace(" ", "").replace("-", "").strip().upper()


def blind_index(value: str) -> str:
    """HMAC-SHA256 of the normalised value under the blind index key ("" for no value): equality only.

    The key is XINSHAO_BLIND_INDEX_KEY, or when unset one derived from SECRET_KEY, never the
    encryption key; `xinshao rotate-encryption-key` recomputes every index after a key change.
    """
    value = normalise_identity(value)
    if not value:
        return ""
    key = settings.BLIND_INDEX_KEY or hmac.new(settings.SECRET_KEY.encode(), b"xinshao.blind-index",
                                               hashlib.sha256).hexdigest()
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


class BlindIndexField(models.CharField):
    """An indexed HMAC of the EncryptedTextField `source`, kept in step on save (and bulk_create)."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.update(max_length=64, editable=False, blank=True, default="", db_index=True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "editable", "blank", "default", "db_index"):
            kwargs.pop(key, None)
        return name, path, args, {**kwargs, "source": self.source}

    def pre_save(self, model_instance, add):
        value = blind_index(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def reindex_model(model, fields) -> int:
    """Recompute the blind indexes of `model` (after the blind index key changed); how many changed."""
    changed = []
    for row in model._base_manager.order_by("pk").iterator(chunk_size=500):
        for field in fields:
            value = blind_index(getattr(row, field.source))
            if getattr(row, field.attname) != value:
                setattr(row, field.attname, value)
                changed.append(row)
    model._base_manager.bulk_update(changed, [field.name for field in fields], batch_size=500)
    return len(changed)


def blind_index_fields(app_registry=global_apps) -> dict[type[models.Model], list[BlindIndexField]]:
    return {model: fields for model in app_registry.get_models()
            if (fields := [f for f in model._meta.local_fields if isinstance(f, BlindIndexField)])}
