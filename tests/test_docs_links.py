"""Every relative Markdown link in README.md and docs/*.md points at a file of the repository (the
anchor part is not checked), and none points outside it: someone who clones the repo has nothing else."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) and ![alt](target), the target up to a space or ")"; code spans and blocks are skipped.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")


def relative_links(doc: Path) -> list[str]:
    text = CODE.sub("", FENCE.sub("", doc.read_text()))
    targets = LINK.findall(text)
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t, re.I) and not t.startswith("#")]


def test_there_are_docs_to_check():
    assert {d.name for d in DOCS} >= {"README.md", "architecture.md", "api.md", "demo.md", "glossary.md"}


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_relative_link_points_at_a_file_of_the_repo(doc):
    links = relative_links(doc)
    for link in links:
        target = (doc.parent / link.split("#", 1)[0]).resolve()
        assert target.is_relative_to(ROOT), f"{doc.name}: {link} points outside the repository"
        assert target.exists(), f"{doc.name}: {link} does not exist"


def test_the_checker_catches_a_link_outside_the_repo(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("See [design](../shared/DESIGN.md), [ok](https://example.com) and `[code](nowhere.md)`.\n")
    assert relative_links(doc) == ["../shared/DESIGN.md"]
