"""render_markdown must never emit anything that runs script, whatever the author typed."""

import re
from html.parser import HTMLParser

import pytest
from django.utils.safestring import SafeString

from tickets.kb.markdown import render_markdown

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Collector(HTMLParser):
    """Parses like a browser would for our purpose: entities in attributes decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _parse(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def _squash(url: str) -> str:
    # Stricter than a browser: drop every blank and control character anywhere.
    return re.sub(r"[\x00-\x20\x7f\s\u200b-\u200f\ufeff]+", "", url).lower()


def assert_harmless(html: str) -> None:
    assert "<script" not in html.lower()
    for tag, attrs in _parse(html):
        assert tag not in {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "base", "meta"}
        for name, value in attrs:
            assert not name.lower().startswith("on"), f"event handler {name} on <{tag}>"
            assert name.lower() not in {"style", "srcdoc", "formaction", "xlink:href"}
            if name.lower() in {"href", "src"} and value is not None:
                assert not _squash(value).startswith(DANGEROUS_SCHEMES), f"{name}={value!r} on <{tag}>"


HOSTILE = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
    "[click](java\nscript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[click](VBScript:msgbox(1))",
    '[click](javascript:alert(1) "title")',
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JAVASCRIPT:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="\tjavascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java\rscript:alert(1)">x</a>',
    '<a href="\x01\x02javascript:alert(1)">x</a>',
    '<a href="ja\u200bvascript:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="jav&#97;script:alert(1)">x</a>',
    '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="java&NewLine;script:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<img src=javascript:alert(1)>",
    '<img src="https://ok.example/a.png" onload="alert(1)">',
    '<p onclick="alert(1)">hi</p>',
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<svg onload="alert(1)"><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<math><a href="javascript:alert(1)">x</a></math>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<!-- <script>alert(1)</script> -->",
    "```\n</code></pre><script>alert(1)</script>\n```",
    '<a href="https://ok.example"\nonclick="alert(1)">x</a>',
    '[x](https://ok.example" onclick="alert(1))',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markup_renders_harmless(text):
    assert_harmless(render_markdown(text))


@pytest.mark.parametrize(
    "text",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="jav&#x61;script:alert(1)">x</a>',
        '<a href="java\nscript:alert(1)">x</a>',
        '<a href="  JavaScript:alert(1)">x</a>',
    ],
)
def test_hostile_link_keeps_its_text_but_loses_its_href(text):
    html = render_markdown(text)
    tags = _parse(html)
    links = [attrs for tag, attrs in tags if tag == "a"]
    assert len(links) == 1
    assert "href" not in dict(links[0])
    assert ">x</a>" in html


def test_script_content_is_dropped_not_shown_as_text():
    html = render_markdown("before <script>alert('x')</script> after")
    assert "alert" not in html
    assert "before" in html and "after" in html


def test_safe_links_survive_with_noopener_noreferrer():
    html = render_markdown(
        "[district](https://district.example/help) [http](http://old.example) "
        "[mail](mailto:help@district.example) [article](/kb/3/)"
    )
    links = [dict(attrs) for tag, attrs in _parse(html) if tag == "a"]
    assert [link["href"] for link in links] == [
        "https://district.example/help",
        "http://old.example",
        "mailto:help@district.example",
        "/kb/3/",
    ]
    assert all(link["rel"] == "noopener noreferrer" for link in links)


def test_author_supplied_rel_and_target_are_replaced():
    html = render_markdown('<a href="https://ok.example" rel="opener" target="_blank">x</a>')
    (attrs,) = [dict(a) for tag, a in _parse(html) if tag == "a"]
    assert attrs == {"href": "https://ok.example", "rel": "noopener noreferrer"}


def test_other_url_schemes_are_refused():
    html = render_markdown("[ftp](ftp://files.example/x) [tel](tel:5551234) [file](file:///etc/passwd)")
    assert all("href" not in dict(attrs) for tag, attrs in _parse(html) if tag == "a")


def test_markdown_formatting_is_kept():
    html = render_markdown(
        "## Steps\n\n1. Press **Input**\n2. Choose *HDMI 1*\n\n`code` and\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Steps</h2>" in html
    assert "<ol>" in html and "<li>Press <strong>Input</strong></li>" in html
    assert "<em>HDMI 1</em>" in html
    assert "<code>code</code>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_html_inside_code_is_escaped_not_rendered():
    html = render_markdown("```\n<img src=x onerror=alert(1)>\n```")
    assert "&lt;img" in html
    assert_harmless(html)


def test_no_class_style_or_id_attributes_survive():
    html = render_markdown('<p class="alert" id="login" style="color:red">hi</p>')
    (attrs,) = [a for tag, a in _parse(html) if tag == "p"]
    assert attrs == []


def test_result_is_safe_string_and_empty_input_is_empty():
    assert isinstance(render_markdown("hi"), SafeString)
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
    assert isinstance(render_markdown(None), SafeString)


@pytest.mark.parametrize(
    "raw",
    [
        '<a href="jav&#x61;script:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="  DATA:text/html,x">x</a>',
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
    ],
)
def test_the_checker_itself_rejects_unsanitized_markup(raw):
    # Guards the guard: if assert_harmless stopped detecting these, every test above would pass vacuously.
    with pytest.raises(AssertionError):
        assert_harmless(raw)
