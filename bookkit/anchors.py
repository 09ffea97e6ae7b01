"""Meaningful, unique anchors for headings.

docutils cannot make an id out of a Chinese heading, so `## 练习 2.3.2` becomes
`#id3`, and that is what the heading's permalink and the page's contents use.
Here the heading of an exercise takes over the exercise's own label (`ex-2-3-2`):
every link to the exercise, from the coverage table or the contents, lands on
its heading, above the question. A heading with a label keeps only the label;
any other heading gets an id made from its title. sphinx-exercise gives the body
of every exercise and solution the same id (`exercise-content`,
`solution-content`); those become `ex-2-3-2-question` and `ex-2-3-2-solution`.
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


def is_exercise(node):
    return isinstance(node, (exercise_node, exercise_enumerable_node))


class HeadingAnchors(SphinxTransform):
    default_priority = 700  # after sphinx-exercise merged the gated solutions (10)

    def set_ids(self, node, ids):
        for old in node['ids']:
            self.document.ids.pop(old, None)
        node['ids'] = ids
        self.document.ids.update((i, node) for i in ids)

    def unique(self, base):
        new_id, n = base, 1
        while new_id in self.document.ids:
            n += 1
            new_id = f'{base}-{n}'
        return new_id

    def apply(self):
        for section in list(self.document.findall(nodes.section)):
            repeated = [i for i in section['ids'] if i in REPEATED_IDS]
            if repeated:  # the body of an exercise or a solution
                block = section.parent
                label = block.get('target_label') or block.get('label', '')
                part = REPEATED_IDS[repeated[0]]
                self.set_ids(section, [self.unique(f'{label}-{part}' if label else part)])
        for exercise in list(self.document.findall(is_exercise)):
            section, label = exercise.parent, exercise.get('label', '')
            if isinstance(section, nodes.section) and label.startswith('ex-') and \
                    all(AUTO_ID.fullmatch(i) for i in section['ids']):
                self.set_ids(exercise, [i for i in exercise['ids'] if i != label])
                self.set_ids(section, [label])
        for section in list(self.document.findall(nodes.section)):
            named = [i for i in section['ids'] if not AUTO_ID.fullmatch(i)]
            if section['ids'] != named:
                self.set_ids(section, named or [self.unique(slug(section[0].astext()))])
