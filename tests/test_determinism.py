"""Two executions of a page print the same text.

Every written page's notebook, as executed by the build, is compared with its run
as a downloaded copy (test_standalone.py runs it, in another environment and
folder: one execution of every page serves both tests). The documented
exceptions: the setup cell (its output says what that environment lacked), cells
tagged `timing` (their output is a measurement of this machine's speed), lines
that report a wall time, i.e. contain 用时 or 耗时, and the folders of installed
packages in warnings (the two runs use different environments).
"""
import re

import nbformat
import pytest
from conftest import executed_notebook, written_sections
from myst_nb.core.utils import coalesce_streams

WALL_TIME = re.compile(r'用时|耗时')
ADDRESS = re.compile(r' at 0x[0-9a-f]+')  # object reprs carry memory addresses
PACKAGES = re.compile(r'\S*/site-packages/')  # /…/site-packages/torch/_tensor.py -> torch/_tensor.py
SKIPPED = {'setup', 'timing'}


def joined(outputs):
    """Consecutive messages of one stream joined as printed. A kernel under load may
    split print(a, b) anywhere, e.g. after `a`; coalesce_streams ends every message
    with a newline, so only a split before the newline would count as one output."""
    result = []
    for out in outputs:
        if out.get('output_type') == 'stream' and result and \
                result[-1].get('output_type') == 'stream' and result[-1]['name'] == out['name']:
            result[-1] = dict(result[-1], text=result[-1]['text'] + out['text'])
        else:
            result.append(out)
    return result


def text_outputs(nb):
    """[(cell index, text)] for every code cell not in SKIPPED, wall-time lines removed."""
    texts = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != 'code' or SKIPPED & set(cell.metadata.get('tags', [])):
            continue
        # joined as the page shows them (nb_merge_streams): under load a kernel can
        # send print(x) as `x` and a separate newline
        for out in coalesce_streams(joined(cell.get('outputs', []))):
            text = out.get('text') or out.get('data', {}).get('text/plain', '')
            lines = [PACKAGES.sub('', ADDRESS.sub('', line)) for line in ''.join(text).splitlines()
                     if not WALL_TIME.search(line)]
            texts.append((i, '\n'.join(lines)))
    return texts


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_text_outputs_are_reproducible(section, standalone_runs):
    second = standalone_runs[0][section['section']].notebook
    assert second is not None, 'the standalone run failed (test_standalone.py)'
    first = text_outputs(nbformat.read(executed_notebook(section), as_version=4))
    assert first == text_outputs(second)


def test_rule_catches_a_difference():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x')])
    nb.cells[0].outputs = [nbformat.v4.new_output('stream', text='精度 0.81\n用时 3.2 秒\n')]
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x')])
    other.cells[0].outputs = [nbformat.v4.new_output('stream', text='精度 0.82\n用时 9.9 秒\n')]
    assert text_outputs(nb) != text_outputs(other)
    other.cells[0].outputs[0].text = '精度 0.81\n用时 9.9 秒\n'
    assert text_outputs(nb) == text_outputs(other)


def test_split_stream_counts_as_one_output():
    whole = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('print(x)')])
    whole.cells[0].outputs = [nbformat.v4.new_output('stream', text="['cumsum']\n")]
    split = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('print(x)')])
    split.cells[0].outputs = [nbformat.v4.new_output('stream', text="['cumsum']"),
                              nbformat.v4.new_output('stream', text='\n')]
    assert text_outputs(split) == text_outputs(whole)
    split.cells[0].outputs[1] = nbformat.v4.new_output('stream', name='stderr', text='\n')
    assert text_outputs(split) != text_outputs(whole)
    # split in mid-line, as seen in 2.7: print(list(sig.parameters), head(...))
    whole.cells[0].outputs = [nbformat.v4.new_output('stream', text="['input'] ['Apply']\n")]
    split.cells[0].outputs = [nbformat.v4.new_output('stream', text="['input']"),
                              nbformat.v4.new_output('stream', text=" ['Apply']\n")]
    assert text_outputs(split) == text_outputs(whole)


def test_setup_cell_and_package_folders_do_not_count():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('setup'),
                                         nbformat.v4.new_code_cell('x')])
    nb.cells[0].metadata.tags = ['hide-input', 'setup']
    nb.cells[0].outputs = [nbformat.v4.new_output('stream', text='已安装 d2l==0.17.6\n')]
    nb.cells[1].outputs = [nbformat.v4.new_output(
        'stream', name='stderr', text='/a/.venv/lib/python3.11/site-packages/torch/x.py:9: Warn\n')]
    other = nbformat.from_dict(nb)
    other.cells[0].outputs = []
    other.cells[1].outputs[0].text = '/tmp/env/colab/site-packages/torch/x.py:9: Warn\n'
    assert text_outputs(nb) == text_outputs(other)
    other.cells[1].outputs[0].text = '/tmp/env/colab/site-packages/torch/y.py:9: Warn\n'
    assert text_outputs(nb) != text_outputs(other)
