"""Shared fixtures: the exercise catalogue, the toc, and the built site."""
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / 'book'
HTML = ROOT / '_build' / 'html'
PLACEHOLDER = '本节的解答正在编写中'


def catalogue():
    """Sections of book/exercises.yml that the book must cover (chapter 1 is optional)."""
    data = yaml.safe_load((BOOK / 'exercises.yml').read_text(encoding='utf-8'))
    return [s for s in data['sections'] if not s.get('optional')]


def anchor(exercise_id):
    return 'ex-' + exercise_id.replace('.', '-')


def is_written(section):
    return PLACEHOLDER not in (BOOK / section['source']).read_text(encoding='utf-8')


def written_sections():
    return [s for s in catalogue() if is_written(s)]


def page_html(source):
    path = HTML / re.sub(r'\.md$', '.html', source)
    return path.read_text(encoding='utf-8')


@pytest.fixture(scope='session')
def site():
    if not (HTML / 'index.html').exists():
        pytest.fail('no built site: run `make html` first (`make test` does)')
    return HTML


@pytest.fixture(scope='session')
def exec_report(site):
    return json.loads((ROOT / '_build' / 'exec-report.json').read_text())
