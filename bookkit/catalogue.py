"""The exercise catalogue (book/exercises.yml, a copy of ../shared/exercises.yml)."""
from functools import cache

import yaml

from . import ROOT

PATH = ROOT / 'book' / 'exercises.yml'
PLACEHOLDER = '本节的解答正在编写中'


@cache
def sections():
    """The sections the book covers, in book order (chapter 1 is optional)."""
    data = yaml.safe_load(PATH.read_text(encoding='utf-8'))
    return tuple(s for s in data['sections'] if not s.get('optional'))


def by_docname():
    """{'chapter_preliminaries/ndarray': section, ...}"""
    return {s['source'].removesuffix('.md'): s for s in sections()}


def anchor(exercise_id):
    """'2.3.6' -> 'ex-2-3-6'"""
    return 'ex-' + exercise_id.replace('.', '-')
