"""Stored text written into Markdown renders as the text it is: no markup, no links, no cells."""

from __future__ import annotations

from markupsafe import Markup

from spreiding.core.templates import markdown_cell, markdown_code, markdown_escape, template


def test_markdown_syntax_in_stored_text_is_escaped() -> None:
    assert markdown_escape("<script>x()</script>") == "\\<script\\>x()\\</script\\>"
    assert markdown_escape("[klik](javascript:alert(1))") == "\\[klik\\](javascript:alert(1))"
    assert markdown_escape("+5.051 fte (+1,6%)") == "+5.051 fte (+1,6%)"
    assert markdown_escape("# kop *nadruk* _x_ `code`") == (
        "\\# kop \\*nadruk\\* \\_x\\_ \\`code\\`"
    )
    assert markdown_escape(None) == ""
    assert markdown_escape(Markup("**al opgemaakt**")) == "**al opgemaakt**"


def test_a_cell_stays_one_cell_on_one_line() -> None:
    assert markdown_cell("a | b\nc") == "a \\| b c"


def test_a_code_span_is_fenced_longer_than_the_backticks_it_holds() -> None:
    assert markdown_code("var/reports") == "`var/reports`"
    assert markdown_code("a`b") == "``a`b``"


def test_markdown_templates_escape_every_value_and_html_templates_autoescape() -> None:
    markdown = template("spreiding.opportunities", "opportunities.md.j2").environment
    assert markdown.finalize is markdown_escape
    html = template("spreiding.opportunities", "opportunities.html.j2").environment
    assert html.finalize is None and html.autoescape("x.html.j2")
    assert "md_cell" not in html.filters  # its Markup would pass HTML autoescaping
