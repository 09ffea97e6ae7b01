"""Two executions of a page print the same text.

Every written page is executed again (as `make nb` does) and its text outputs are
compared with those of the build. The documented exceptions: cells tagged
`timing` (their output is a measurement of this machine's speed) and lines that
report a wall time, i.e. contain 用时 or 耗时.
"""
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from conftest import BOOK, ROOT, written_sections
from myst_nb.core.utils import coalesce_streams

WALL_TIME = re.compile(r'用时|耗时')
ADDRESS = re.compile(r' at 0x[0-9a-f]+')  # object reprs carry memory addresses


def text_outputs(nb):
    """[(cell index, text)] for every untagged code cell, wall-time lines removed."""
    texts = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != 'code' or 'timing' in cell.metadata.get('tags', []):
            continue
        # joined as the page shows them (nb_merge_streams): under load a kernel can
        # send print(x) as `x` and a separate newline
        for out in coalesce_streams(cell.get('outputs', [])):
            text = out.get('text') or out.get('data', {}).get('text/plain', '')
            lines = [ADDRESS.sub('', line) for line in ''.join(text).splitlines()
                     if not WALL_TIME.search(line)]
            texts.append((i, '\n'.join(lines)))
    return texts


def rerun(section, out_dir):
    """Execute the page again in a fresh process, as `make nb` does."""
    out = out_dir / (section['section'] + '.ipynb')
    subprocess.run([sys.executable, '-m', 'bookkit.run_one', str(BOOK / section['source']),
                    '--save', str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=900)
    return nbformat.read(out, as_version=4)


@pytest.fixture(scope='module')
def reruns(site, tmp_path_factory):
    sections, out_dir = written_sections(), tmp_path_factory.mktemp('reruns')
    with ThreadPoolExecutor(max_workers=2) as pool:  # one kernel per core
        results = pool.map(lambda s: rerun(s, out_dir), sections)
        return {s['section']: nb for s, nb in zip(sections, results)}


@pytest.mark.parametrize('section', written_sections(), ids=lambda s: s['section'])
def test_text_outputs_are_reproducible(section, reruns):
    built = ROOT / '_build' / 'jupyter_execute' / section['source'].replace('.md', '.ipynb')
    first = text_outputs(nbformat.read(built, as_version=4))
    second = text_outputs(reruns[section['section']])
    assert first == second


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
