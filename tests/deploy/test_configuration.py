"""A production configuration: `waarborg check --deploy` passes on a correct one; a missing or
malformed setting stops `waarborg serve` (and every other command) with one line."""

import pytest

from tests.deploy.helpers import clean_env, one_line_error, production_env, waarborg


def test_check_deploy_passes_on_a_correct_production_configuration(tmp_path):
    result = waarborg(["check", "--deploy"], production_env(tmp_path))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout, result.stdout


def test_check_deploy_names_what_is_wrong(tmp_path):
    result = waarborg(["check", "--deploy"], production_env(tmp_path, WAARBORG_SSL_REDIRECT="false"))
    assert "security.W008" in result.stdout + result.stderr
    assert "waarborg.W101" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("drop", "words"),
    [
        ("WAARBORG_SECRET_KEY", "WAARBORG_SECRET_KEY must be set"),
        ("WAARBORG_AUDIT_KEY", "WAARBORG_AUDIT_KEY must be set"),
        ("WAARBORG_ALLOWED_HOSTS", "WAARBORG_ALLOWED_HOSTS must be set"),
    ],
)
def test_serve_refuses_to_start_without_a_key_or_the_allowed_hosts(tmp_path, drop, words):
    env = production_env(tmp_path)
    env.pop(drop)
    line = one_line_error(waarborg(["serve", "--bind", "127.0.0.1:1"], env))
    assert words in line


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ({"WAARBORG_TRUSTED_PROXIES": "127.0.0.1,nginx"}, "WAARBORG_TRUSTED_PROXIES"),
        ({"WAARBORG_METRICS_TOKEN": "short"}, "WAARBORG_METRICS_TOKEN"),
        ({"WAARBORG_WORKERS": "many"}, "WAARBORG_WORKERS"),
        ({"WAARBORG_BIND": "8000"}, "WAARBORG_BIND"),
        ({"WAARBORG_SMTP_TLS": "ssl"}, "WAARBORG_SMTP_TLS"),
        ({"WAARBORG_SMTP_USER": "mailer"}, "WAARBORG_SMTP_USER and WAARBORG_SMTP_PASSWORD"),
        ({"WAARBORG_SMTP_HOST": "smtp.example.nl", "WAARBORG_SMTP_TLS": "none"}, "WAARBORG_SMTP_TLS=none"),
        ({"WAARBORG_HSTS_PRELOAD": "maybe"}, "WAARBORG_HSTS_PRELOAD"),
    ],
)
def test_a_missing_or_malformed_setting_is_one_line(tmp_path, setting, words):
    result = waarborg(["serve"], production_env(tmp_path, **setting))
    line = one_line_error(result)
    assert words in line
    assert result.returncode == 2


def test_mail_over_plain_smtp_is_allowed_to_this_machine_only(tmp_path):
    script = "from django.conf import settings as s; print(s.EMAIL_HOST, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)"
    local = waarborg(["shell", "-v0", "-c", script], production_env(tmp_path, WAARBORG_SMTP_TLS="none"))
    assert local.returncode == 0 and local.stdout.split() == ["localhost", "False", "False"]
    remote = waarborg(["shell", "-v0", "-c", script], production_env(tmp_path, WAARBORG_SMTP_HOST="smtp.example.nl"))
    assert remote.returncode == 0 and remote.stdout.split() == ["smtp.example.nl", "True", "False"]  # starttls
    tls = waarborg(
        ["shell", "-v0", "-c", script],
        production_env(tmp_path, WAARBORG_SMTP_HOST="smtp.example.nl", WAARBORG_SMTP_TLS="tls"),
    )
    assert tls.stdout.split() == ["smtp.example.nl", "False", "True"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--bind", "localhost"], "--bind must be HOST:PORT"),
        (["--bind", "127.0.0.1:99999"], "--bind must be HOST:PORT"),
        (["--workers", "0"], "--workers must be a whole number"),
        (["--workers", "three"], "--workers must be a whole number"),
    ],
)
def test_serve_refuses_bad_flags_in_one_line(tmp_path, args, words):
    result = waarborg(["serve", *args], clean_env(tmp_path))
    assert words in one_line_error(result)
    assert result.returncode == 2


def test_serve_refuses_a_database_that_is_not_up_to_date(tmp_path):
    result = waarborg(["serve", "--bind", "127.0.0.1:1"], clean_env(tmp_path))
    line = one_line_error(result)
    assert "not up to date" in line and "waarborg migrate" in line


def test_staff_add_refuses_an_unknown_role_in_one_line(tmp_path):
    result = waarborg(
        ["staff", "add", "--email", "a@duinhost.example", "--role", "king", "--name", "A"], clean_env(tmp_path)
    )
    assert "--role must be one of support, finance, privacy, admin, finance_archive" in one_line_error(result)
    assert result.returncode == 2
