"""The one Jinja environment factory, and the one Markdown escape.

Templates live beside the component that owns them (``spreiding/<component>/templates``).
Every output of a template is data, escaped for the format it is written in:

- HTML templates (``*.html.j2``) are autoescaped by Jinja.
- Markdown templates (``*.md.j2``) get their own environment, whose ``finalize`` passes every
  ``{{ ... }}`` through :func:`markdown_escape`: stored text can add no heading, link, image,
  HTML tag or table cell. What a template marks safe itself (``md_cell``, ``code``) is kept.

Undefined names fail loudly (``StrictUndefined``). Code that writes Markdown without a
template (the Prefect artifacts) calls :func:`markdown_escape` and :func:`markdown_cell`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from jinja2 import Environment, Template

# The characters that make Markdown syntax inside a line: emphasis, code, links and images
# (no link without brackets), HTML tags, headings and table cells. Escaped with a backslash
# (CommonMark). Numbers such as "+5.051 (+1,6%)" need none of them and stay as they are.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def markdown_escape(value: object) -> str:
    """``value`` as Markdown text that renders literally: ``<script>`` becomes ``\\<script\\>``.

    A :class:`markupsafe.Markup` value is Markdown already written by our own code: kept.
    ``None`` is the empty string.
    """
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


def markdown_cell(value: object) -> Markup:
    """``value`` for a Markdown table cell: on one line, escaped (a ``|`` cannot split it)."""
    return Markup(markdown_escape(" ".join(str("" if value is None else value).split())))


def markdown_code(value: object) -> Markup:
    """``value`` as an inline code span, fenced with more backticks than it holds."""
    text = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


@cache
def environment(package: str, *, markdown: bool = False) -> Environment:
    """The environment for ``package``'s ``templates`` folder (cached per package and kind).

    ``markdown=True`` is the one for ``*.md.j2`` templates (see the module docstring).
    Callers add their own filters and globals; the cache makes that one-time.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=markdown_escape if markdown else None,
    )
    if markdown:  # Markup from these filters would pass HTML autoescaping: Markdown only
        env.filters.update(md_cell=markdown_cell, code=markdown_code)
    return env


def template(package: str, name: str, **filters: object) -> Template:
    """The template ``name`` of ``package`` from the environment its kind needs."""
    env = environment(package, markdown=name.endswith(".md.j2"))
    env.filters.update(filters)
    return env.get_template(name)
