"""The exercise catalogue (book/exercises.yml, a copy of ../shared/exercises.yml).

The catalogue marks chapter 1's discussion questions `optional: true` (they are
extras in its sources); this book answers them like every other section.
"""
from functools import cache

import yaml

from . import ROOT

PATH = ROOT / 'book' / 'exercises.yml'
PLACEHOLDER = '本节的解答正在编写中'


@cache
def sections():
    """Every section of the catalogue, in book order: the book covers them all."""
    return tuple(yaml.safe_load(PATH.read_text(encoding='utf-8'))['sections'])


def by_docname():
    """{'chapter_preliminaries/ndarray': section, ...}"""
    return {s['source'].removesuffix('.md'): s for s in sections()}


def anchor(exercise_id):
    """'2.3.6' -> 'ex-2-3-6'"""
    return 'ex-' + exercise_id.replace('.', '-')
