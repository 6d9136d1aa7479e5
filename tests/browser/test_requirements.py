"""A missing browser skips the browser tests on a laptop but fails them in CI."""

import pytest

from tests.browser.conftest import require_chromium


def test_missing_browser_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests"):
        require_chromium()


def test_missing_browser_skips_elsewhere(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        require_chromium()


def test_an_installed_browser_is_used(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("")
    monkeypatch.setenv("CHROMIUM", str(fake))
    assert require_chromium() == str(fake)
