"""The setup cell: the first code cell of every notebook page, the same everywhere.

Its text is the first code cell of templates/section.md. It installs what a
notebook needs where that is missing (Colab, a plain Jupyter), gives plot labels
a CJK font and explains a failed dataset download; where everything is present,
as in the build, it installs nothing and prints nothing. What it does on a page
run outside the book is tested in test_standalone.py; here: that every page has
it, and its font and download branches, in a kernel of the build's environment.

To put the template's cell into every page (inserted before the first code
cell, or replacing an older setup cell), run this file:

    .venv/bin/python tests/test_setup_cell.py
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from myst_nb.core.read import is_myst_markdown_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # when run as a script
from conftest import ROOT, hide_cjk_fonts  # noqa: E402

from bookkit.prefill import toc_pages  # noqa: E402

TEMPLATE = ROOT / 'templates' / 'section.md'
CODE_CELL = re.compile(r'^```\{code-cell\}.*?^```\n', re.M | re.S)
SETUP_TAG = re.compile(r'^tags: \[.*\bsetup\b.*\]$', re.M)


def setup_cell():
    return CODE_CELL.search(TEMPLATE.read_text(encoding='utf-8')).group(0)


def with_setup_cell(text):
    """The page with the template's setup cell as its first code cell."""
    first = CODE_CELL.search(text)
    if SETUP_TAG.search(first.group(0)):
        return text[:first.start()] + setup_cell() + text[first.end():]
    return text[:first.start()] + setup_cell() + '\n' + text[first.start():]


def notebook_pages():
    return [p for p in toc_pages() if is_myst_markdown_notebook(p.read_text(encoding='utf-8'))
            and CODE_CELL.search(p.read_text(encoding='utf-8'))]


def test_template_cell_is_the_setup_cell():
    assert SETUP_TAG.search(setup_cell()) and 'prepare_environment()' in setup_cell()


@pytest.mark.parametrize('page', notebook_pages(), ids=lambda p: p.stem)
def test_every_page_opens_with_the_setup_cell(page):
    text = page.read_text(encoding='utf-8')
    assert with_setup_cell(text) == text, \
        f'{page.name}: run `.venv/bin/python tests/test_setup_cell.py` to insert the setup cell'
    assert len(SETUP_TAG.findall(text)) == 1


def test_insertion_replaces_an_older_setup_cell():
    page = ('# 标题\n\n```{code-cell} ipython3\n---\ntags: [hide-input, setup]\n---\nold()\n```\n\n'
            '```{code-cell} ipython3\nimport torch\n```\n')
    new = with_setup_cell(page)
    assert 'old()' not in new and new.count('import torch') == 1
    assert with_setup_cell(new) == new
    plain = '# 标题\n\n```{code-cell} ipython3\nimport torch\n```\n'
    assert with_setup_cell(plain).index('prepare_environment()') < \
        with_setup_cell(plain).index('import torch')


# --- the cell's branches, in a kernel of the build's environment -------------------------
DRAW = """
import warnings
import matplotlib.pyplot as plt
warnings.simplefilter('error')  # 'Glyph ... missing from font(s)' becomes an error
fig, ax = plt.subplots()
ax.set_title('训练损失与学习率')
fig.canvas.draw()
print(plt.rcParams['font.sans-serif'][0])
"""
DOWNLOAD = """
import torchvision
torchvision.datasets.FashionMNIST(root='../data', train=True, download=True)
"""


def source(cell):
    """The code of a MyST code cell, without its fences and options."""
    body = cell.split('\n', 1)[1].rsplit('```', 1)[0]
    return body.split('---\n', 2)[2] if body.startswith('---\n') else body


def kernel_env(**changes):
    """This environment with `changes` and without a MATPLOTLIBRC (the cell picks the font)."""
    env = {k: v for k, v in os.environ.items() if k != 'MATPLOTLIBRC'}
    return dict(env, **changes)


def run_cells(folder, *cells, env):
    """Execute the setup cell, then `cells`, in a fresh kernel working in `folder`;
    return the text each cell printed (streams and error messages)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source(setup_cell()))] +
                                  [nbformat.v4.new_code_cell(c) for c in cells])
    path = folder / 'cells.ipynb'
    nbformat.write(nb, path)
    subprocess.run([str(Path(sys.executable).with_name('jupyter-execute')), '--inplace',
                    '--allow-errors', str(path)], env=env, check=True, capture_output=True)
    return [''.join(o.get('text', '') + o.get('evalue', '') for o in c.outputs)
            for c in nbformat.read(path, as_version=4).cells]


def test_finds_the_installed_cjk_font_and_prints_nothing(tmp_path):
    setup, drawn = run_cells(tmp_path, DRAW, env=kernel_env())
    assert setup == '' and drawn.strip() == 'Noto Sans CJK SC', (setup, drawn)


def test_without_a_cjk_font_says_so_in_one_line(tmp_path):
    hide_cjk_fonts(tmp_path)
    env = kernel_env(MPLCONFIGDIR=str(tmp_path), PATH=str(Path(sys.executable).parent))  # no apt
    setup, drawn = run_cells(tmp_path, DRAW, env=env)
    assert setup.count('\n') == 1 and setup.startswith('未找到中文字体'), setup
    assert 'missing from font' in drawn, drawn


def test_as_root_with_apt_it_installs_and_registers_the_font(tmp_path):
    if shutil.which('apt-get') is None or os.geteuid() != 0:
        pytest.skip('needs apt-get as root, as on Colab')
    hide_cjk_fonts(tmp_path)
    setup, drawn = run_cells(tmp_path, DRAW, env=kernel_env(MPLCONFIGDIR=str(tmp_path)))
    assert setup == '已安装 fonts-noto-cjk\n', setup
    assert drawn.strip().startswith('Noto Sans CJK'), drawn


def test_failed_download_names_the_data_folder(tmp_path):
    work = tmp_path / 'work'
    work.mkdir()
    unreachable = 'http://127.0.0.1:9'  # nothing listens there: every download fails at once
    env = kernel_env(http_proxy=unreachable, https_proxy=unreachable, no_proxy='')
    _, failed = run_cells(work, DOWNLOAD, env=env)
    assert 'Error downloading' in failed, failed
    assert f"数据集下载失败：请联网后重新运行，或把数据集的原始文件放进 {tmp_path / 'data' / 'FashionMNIST' / 'raw'}" \
        in failed, failed


if __name__ == '__main__':
    for page in notebook_pages():
        text = page.read_text(encoding='utf-8')
        if with_setup_cell(text) != text:
            page.write_text(with_setup_cell(text), encoding='utf-8')
            print('setup cell written:', page.relative_to(ROOT))
