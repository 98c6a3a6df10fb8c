"""Settings are parsed strictly: a bad value stops start-up with the variable's name."""
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from xinshao.env import env_bool, env_choice, env_int, env_list


def test_booleans_accept_the_usual_words_and_refuse_others(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG") is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG")


def test_numbers_lists_and_choices_are_checked(monkeypatch):
    monkeypatch.setenv("N", "12x")
    with pytest.raises(ImproperlyConfigured, match="N='12x' is not a whole number"):
        env_int("N", 1)
    monkeypatch.setenv("N", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("N", 1, minimum=1)
    monkeypatch.setenv("HOSTS", " a.example, b.example ,")
    assert env_list("HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("MODE", "cloud")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env_choice("MODE", ("embedded", "production"), "embedded")


def _boot(env: dict, tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEY", "ALLOWED_HOSTS",
                                                               "DEBUG", "XINSHAO_MODE", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='xinshao.settings'; "
                               "django.setup(); from django.conf import settings; "
                               "print(settings.DEBUG, settings.TIME_ZONE, settings.LANGUAGE_CODE, "
                               "settings.DATABASES['default']['ENGINE'])"],
        env={**clean, "XINSHAO_DATA_DIR": str(tmp_path), **env}, capture_output=True, text=True, timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _boot({"XINSHAO_MODE": "production", "ALLOWED_HOSTS": "xinshao.example"}, tmp_path)
    assert result.returncode != 0 and "SECRET_KEY must be set when XINSHAO_MODE=production" in result.stderr


def test_embedded_mode_makes_a_secret_once_and_keeps_it(tmp_path):
    first = _boot({}, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["False", "Asia/Shanghai", "zh-hans", "django.db.backends.sqlite3"]
    key = (tmp_path / "secret_key").read_text()
    _boot({}, tmp_path)
    assert (tmp_path / "secret_key").read_text() == key and len(key) >= 50


def test_database_url_selects_postgresql(tmp_path):
    result = _boot({"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}, tmp_path)
    assert result.stdout.split()[-1] == "django.db.backends.postgresql"


def test_a_malformed_debug_value_stops_start_up(tmp_path):
    result = _boot({"DEBUG": "sometimes"}, tmp_path)
    assert result.returncode != 0 and "DEBUG='sometimes' is not a boolean" in result.stderr


def _cache_backend(cache_url: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='xinshao.settings'; "
                                "django.setup(); from django.conf import settings; "
                                "print(settings.CACHES['default']['BACKEND'])")],
        env={**os.environ, "XINSHAO_DATA_DIR": str(tmp_path), "CACHE_URL": cache_url},
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_the_cache_is_in_memory_by_default_and_redis_when_cache_url_says_so(tmp_path):
    assert _cache_backend("", tmp_path).stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    redis = _cache_backend("redis://127.0.0.1:6379/2", tmp_path)
    assert redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache", redis.stderr
    wrong = _cache_backend("memcached://127.0.0.1:11211", tmp_path)
    assert wrong.returncode != 0 and "CACHE_URL='memcached://127.0.0.1:11211' must be a redis://" in wrong.stderr
