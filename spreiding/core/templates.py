"""The one Jinja environment factory: every report, overview and page renders through it.

Templates live beside the component that owns them (``spreiding/<component>/templates``).
HTML templates (``*.html.j2``) are autoescaped, so stored text is data there; Markdown
templates are not autoescaped: they escape stored text with a filter of their own.
Undefined names fail loudly (``StrictUndefined``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def environment(package: str) -> Environment:
    """The environment for ``package``'s ``templates`` folder (cached per package).

    Callers add their own filters and globals once; the cache makes that one-time.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
