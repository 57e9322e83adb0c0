"""Field encryption and lookup digests: keys outside the database, rotation, tamper detection."""

import json

import pytest
from cryptography.fernet import Fernet

from medoffice.core import crypto


@pytest.fixture
def key_file(settings, tmp_path):
    settings.MEDOFFICE_FIELD_KEYS = ""
    settings.MEDOFFICE_LOOKUP_KEY = ""
    settings.MEDOFFICE_FIELD_KEY_FILE = tmp_path / "field-keys.json"
    crypto.clear_cache()
    yield settings.MEDOFFICE_FIELD_KEY_FILE
    crypto.clear_cache()


def test_a_key_file_is_created_once_private_and_reused(key_file) -> None:
    token = crypto.encrypt("123456789")
    assert key_file.stat().st_mode & 0o777 == 0o600
    crypto.clear_cache()
    assert crypto.decrypt(token) == "123456789"


def test_encryption_is_randomized_but_digests_are_stable(key_file) -> None:
    assert crypto.encrypt("123456789") != crypto.encrypt("123456789")
    assert crypto.lookup_digest("ssn", "123456789") == crypto.lookup_digest("ssn", "123456789")
    assert crypto.lookup_digest("ssn", "123456789") != crypto.lookup_digest("ssn", "123456780")
    assert "123456789" not in crypto.lookup_digest("ssn", "123456789")


def test_rotated_keys_still_decrypt_old_values(key_file, settings) -> None:
    old_token = crypto.encrypt("123456789")
    old_key = json.loads(key_file.read_text())["fernet"][0]
    settings.MEDOFFICE_FIELD_KEYS = f"{Fernet.generate_key().decode()},{old_key}"
    settings.MEDOFFICE_LOOKUP_KEY = "x" * 64
    crypto.clear_cache()
    assert crypto.decrypt(old_token) == "123456789"
    new_token = crypto.encrypt("987654321")
    settings.MEDOFFICE_FIELD_KEYS = old_key
    crypto.clear_cache()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(new_token)


def test_a_tampered_value_does_not_decrypt(key_file) -> None:
    token = crypto.encrypt("123456789")
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)
