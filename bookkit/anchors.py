"""Meaningful, unique anchors for headings.

docutils cannot make an id out of a Chinese heading, so `## 练习 2.3.2` becomes
`#id3`, and that is what the heading's permalink and the page's contents use.
Here the heading of an exercise takes over the exercise's own label
(`ex-2-3-2`): every link to the exercise, from the coverage table or the
contents, lands on its heading, above the question. Other headings get an id
made from their title. sphinx-exercise gives the body of every exercise and
solution the same id (`exercise-content`, `solution-content`); those become
`ex-2-3-2-question` and `ex-2-3-2-solution`.
"""
import re

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

AUTO_ID = re.compile(r'id\d+')
REPEATED_IDS = {'exercise-content': 'question', 'solution-content': 'solution'}


def slug(title):
    """'2.3 线性代数' -> 'sec-2-3-线性代数': word characters (CJK included) and dashes,
    starting with a letter, so that it is also a valid CSS selector."""
    text = re.sub(r'[^\w]+', '-', title, flags=re.UNICODE).strip('-').lower()
    return text if re.match(r'[^\W\d_]', text) else f'sec-{text}'


class HeadingAnchors(SphinxTransform):
    default_priority = 700  # after sphinx-exercise merged the gated solutions (10)

    def rename(self, section, new_id):
        for old in section['ids']:
            self.document.ids.pop(old, None)
        section['ids'] = [new_id]
        self.document.ids[new_id] = section

    def apply(self):
        for section in list(self.document.findall(nodes.section)):
            repeated = [i for i in section['ids'] if i in REPEATED_IDS]
            if repeated:
                block = section.parent
                label = block.get('target_label') or block.get('label', '')
                section['ids'] = [i for i in section['ids'] if i not in REPEATED_IDS]
                if label.startswith('ex-'):
                    section['ids'].insert(0, f'{label}-{REPEATED_IDS[repeated[0]]}')
                    self.document.ids[section['ids'][0]] = section
                else:
                    self.document.set_id(section)
        for exercise in self.document.findall(
                lambda n: isinstance(n, (exercise_node, exercise_enumerable_node))):
            section, label = exercise.parent, exercise.get('label', '')
            if isinstance(section, nodes.section) and label.startswith('ex-') and \
                    all(AUTO_ID.fullmatch(i) for i in section['ids']):
                exercise['ids'].remove(label)
                self.rename(section, label)
        for section in self.document.findall(nodes.section):
            if section['ids'] and all(AUTO_ID.fullmatch(i) for i in section['ids']):
                new_id, n = slug(section[0].astext()), 1
                while new_id in self.document.ids:
                    n += 1
                    new_id = f'{slug(section[0].astext())}-{n}'
                self.rename(section, new_id)
