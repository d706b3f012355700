"""Running axe-core (vendored in tests/browser/vendor/) in a page, and describing what it finds."""

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --- running axe -----------------------------------------------------------------------------


def axe_violations(page: Any) -> list[dict[str, Any]]:
    # A button just pressed is still fading into its hover colours; axe must judge the colours a
    # person reads, not a frame halfway between (4.35:1 mid-fade, 4.69:1 once it settles).
    # Two animation frames first: what reacts to a new width (a chart) has drawn itself again.
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    page.evaluate("document.getAnimations().forEach((animation) => animation.finish())")
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # the same page at its second width
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return result["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
        lines.extend(f"      {node['failureSummary']}".replace("\n", " ") for node in violation["nodes"][:2])
    return "\n".join(lines)
