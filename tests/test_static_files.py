"""Static files as the image serves them: Bootstrap trimmed to what the pages use, hashed names
cached for a year, gzip twins (issue 22, first visit)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BOOTSTRAP = REPO / "static/vendor/bootstrap"
# Classes the templates build at run time, which PurgeCSS keeps by its safelist
# (tools/css/purge.mjs): alert-{{ message.tags }} and text-bg-{% if %}success{% else %}secondary.
BUILT_AT_RUN_TIME = {
    "alert-info",
    "alert-success",
    "alert-warning",
    "alert-danger",
    "text-bg-success",
    "text-bg-secondary",
}


def selector_classes(css: str) -> set[str]:
    """Every class named in a selector of `css` (declaration blocks removed first)."""
    selectors = re.sub(r"\{[^{}]*\}", "{}", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    return set(re.findall(r"\.(-?[A-Za-z_][\w-]*)", selectors))


def page_classes() -> dict[str, set[str]]:
    """class="..." words written out whole in the templates and in the Python that writes
    HTML, per file; a word with template syntax in it is built at run time and skipped."""
    found: dict[str, set[str]] = {}
    sources = [*REPO.glob("templates/**/*.html"), *REPO.glob("*/templatetags/*.py")]
    for path in sources:
        text = path.read_text()
        for value in re.findall(r'class="([^"]*)"', text):
            value = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{[^}]*\}", " ", value)
            words = {word for word in value.split() if re.fullmatch(r"[A-Za-z][\w-]*", word)}
            found.setdefault(str(path.relative_to(REPO)), set()).update(words)
    return found


def test_the_trimmed_bootstrap_keeps_every_class_the_pages_use():
    full = selector_classes((BOOTSTRAP / "bootstrap.min.css").read_text())
    trimmed = selector_classes((BOOTSTRAP / "bootstrap.purged.min.css").read_text())
    used = page_classes()
    assert sum(len(words & full) for words in used.values()) > 100  # the parse found Bootstrap's classes
    missing = {path: sorted((words & full) - trimmed) for path, words in used.items() if (words & full) - trimmed}
    assert missing == {}, "run `make css` (tools/css/purge.mjs) after using a new Bootstrap class"
    assert BUILT_AT_RUN_TIME <= trimmed
    # The navbar's collapse, which static/js/app.js toggles.
    assert {"navbar-collapse", "collapse", "show", "navbar-toggler", "navbar-expand-md"} <= trimmed
    assert len(trimmed) < len(full) / 2


def test_the_trimmed_bootstrap_keeps_its_license_and_the_pages_link_it():
    css = (BOOTSTRAP / "bootstrap.purged.min.css").read_text()
    assert "Licensed under MIT (https://github.com/twbs/bootstrap/blob/main/LICENSE)" in css[:400]
    base = (REPO / "templates/base.html").read_text()
    assert "vendor/bootstrap/bootstrap.purged.min.css" in base
    assert "bootstrap.min.css" not in base and "bootstrap.bundle" not in base


def test_every_script_is_deferred_and_chart_js_is_only_on_the_dashboard():
    tags = {
        str(path.relative_to(REPO)): re.findall(r"<script\b[^>]*\bsrc=[^>]*>", path.read_text())
        for path in REPO.glob("templates/**/*.html")
    }
    assert any(tags.values())
    assert [(path, tag) for path, found in tags.items() for tag in found if " defer" not in tag] == []
    assert [path for path, found in tags.items() if any("chart" in tag for tag in found)] == [
        "templates/surveys/dashboard/index.html"
    ]


COLLECT_AND_GET = """
import django, json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
django.setup()
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
answers = {}
for name in ["vendor/bootstrap/bootstrap.purged.min.css", "css/app.css", "js/app.js"]:
    url = static(name)
    response = Client().get(url, headers={"accept-encoding": "gzip, br"})
    body = b"".join(response.streaming_content)
    answers[name] = [url, response.status_code, response["Cache-Control"], response.get("Content-Encoding"), len(body)]
print(json.dumps(answers))
"""


def test_collected_static_files_have_hashed_names_a_years_cache_and_gzip(tmp_path):
    """As the image builds and serves them (Dockerfile: collectstatic with
    WHITENOISE_USE_FINDERS=false, then whitenoise)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DEBUG", "STATIC"))}
    env.update(
        SECRET_KEY="collectstatic-only",
        DATABASE_URL=f"sqlite:///{tmp_path / 'build.sqlite3'}",
        WHITENOISE_USE_FINDERS="false",
        STATIC_ROOT=str(tmp_path / "static"),
        PYTHONPATH=str(REPO),
    )
    result = subprocess.run(
        [sys.executable, "-c", COLLECT_AND_GET],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()  # STATIC_ROOT from the environment
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    for name, (url, status, cache_control, encoding, size) in answers.items():
        stem, suffix = name.rsplit(".", 1)
        assert re.fullmatch(rf"/static/{re.escape(stem)}\.[0-9a-f]{{12}}\.{suffix}", url), url
        assert status == 200
        directives = dict(part.strip().partition("=")[::2] for part in cache_control.split(","))
        assert int(directives["max-age"]) >= 31536000 and "immutable" in directives and "public" in directives
        assert encoding == "gzip"
        assert size < (REPO / "static" / name).stat().st_size
