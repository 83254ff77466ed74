"""Print the rule index of docs/conformance.md: every rule id of docs/methodology/rules.md (the
product's own copy of the methodology, so a clone needs nothing beside it)
with the tests named after it (test_R22_1_…, test_D2_…, test_WD_…).

    python scripts/conformance_index.py > /tmp/index.md
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "docs" / "methodology" / "rules.md"


def rule_ids() -> list[str]:
    ids = re.findall(r"^- \*\*(R\d+(?:\.\d+)?|D\d)\*\*", RULES.read_text(encoding="utf-8"), flags=re.M)
    return [*ids, "WD"]


def tests_by_rule() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for name in re.findall(r"^\s*def (test_\w+)", path.read_text(encoding="utf-8"), flags=re.M):
            found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def main() -> int:
    tests = tests_by_rule()
    print("| rule | tests named after it |")
    print("|---|---|")
    for rule in rule_ids():
        prefix = "test_" + rule.replace(".", "_")
        names = sorted(n for n in tests if n == prefix or n.startswith(prefix + "_"))
        cell = ", ".join(f"`{n}`" for n in names) if names else "— (not yet: no issue has reached it)"
        print(f"| {rule} | {cell} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
