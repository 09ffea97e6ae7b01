"""Lint the book: ruff on the notebooks' code cells and on the infrastructure code,
a MyST check of the pages' prose, and a parse check of every YAML file.

    python -m bookkit.lint            # exit 1 and list problems as path:line: message

Code cells of a MyST notebook are written to a temporary .py file (IPython magics
commented out) and ruff's findings are mapped back to the line in the .md file.
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from . import ROOT

FENCE = re.compile(r'^```\{code-cell\}')
# Cells import late, redefine helpers and end in an expression to display it; the book names a loss `l`.
NOTEBOOK_RULES = ['--ignore', 'E402,E731,E741,F811,B015,B018']
INFRA = ['bookkit', 'tests']
YAML_FILES = ['_config.yml', '_toc.yml', 'book/exercises.yml', '.pre-commit-config.yaml',
              '.github/workflows/*.yml', '.github/ISSUE_TEMPLATE/*.yml']


def code_cells(md_text):
    """Yield (md line number, code line) for every line of every code cell."""
    lines = md_text.splitlines()
    i = 0
    while i < len(lines):
        if not FENCE.match(lines[i]):
            i += 1
            continue
        i += 1
        if i < len(lines) and lines[i] == '---':  # YAML options block
            i = lines.index('---', i + 1) + 1
        while i < len(lines) and lines[i].startswith(':'):  # short options
            i += 1
        while i < len(lines) and lines[i] != '```':
            yield i + 1, lines[i]
            i += 1


def display_math(md_text):
    """Yield (first line, last line) of every $$ display-math block outside code cells."""
    lines, in_code, i = md_text.splitlines(), False, 0
    while i < len(lines):
        text = lines[i].strip()
        if text.startswith('```'):
            in_code = FENCE.match(text) is not None if not in_code else text != '```'
        elif not in_code and text.startswith('$$'):
            end = i if len(text) > 4 and text.endswith('$$') else next(
                (j for j in range(i + 1, len(lines)) if lines[j].strip().endswith('$$')), i)
            yield i, end
            i = end
        i += 1


def lint_prose(pages):
    """$$ … $$ is display math only as a paragraph of its own; glued to a text line,
    MyST reads the dollars as text and the formula breaks (in HTML and PDF alike)."""
    problems = []
    for page in pages:
        lines = page.read_text(encoding='utf-8').splitlines()
        for start, end in display_math('\n'.join(lines)):
            if start > 0 and lines[start - 1].strip():
                problems.append(f'{shown(page)}:{start + 1}: MD001 display math ($$) needs a '
                                'blank line before it')
            if end + 1 < len(lines) and lines[end + 1].strip():
                problems.append(f'{shown(page)}:{end + 1}: MD001 display math ($$) needs a '
                                'blank line after it')
    return problems


def shown(path):
    path = Path(path)
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def ruff(paths, *options):
    result = subprocess.run([sys.executable, '-m', 'ruff', 'check', '--output-format=json',
                             *options, *map(str, paths)],
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout)


def lint_notebooks(pages):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        line_maps = {}
        for page in pages:
            cells = list(code_cells(page.read_text(encoding='utf-8')))
            if not cells:
                continue
            py = Path(tmp) / f'{len(line_maps)}.py'
            py.write_text('\n'.join('# ' + c if c.lstrip().startswith(('%', '!')) else c
                                    for _, c in cells) + '\n', encoding='utf-8')
            line_maps[str(py)] = (page, [n for n, _ in cells])
        if not line_maps:
            return problems
        for f in ruff(line_maps, *NOTEBOOK_RULES):
            page, md_lines = line_maps[f['filename']]
            row = f['location']['row']
            problems.append(f"{shown(page)}:{md_lines[row - 1]}: {f['code']} {f['message']}")
    return problems


def lint_infrastructure():
    return [f"{shown(f['filename'])}:{f['location']['row']}: {f['code']} {f['message']}"
            for f in ruff([ROOT / p for p in INFRA])]


def lint_yaml():
    problems = []
    for pattern in YAML_FILES:
        for path in sorted(ROOT.glob(pattern)):
            try:
                yaml.safe_load(path.read_text(encoding='utf-8'))
            except yaml.YAMLError as err:
                problems.append(f'{shown(path)}: invalid YAML: {err}')
    return problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    pages = [Path(p).resolve() for p in argv] or sorted((ROOT / 'book').rglob('*.md'))
    problems = lint_notebooks(pages) + lint_prose(pages) + (
        [] if argv else lint_infrastructure() + lint_yaml())
    for p in problems:
        print(p)
    print(f'lint: {len(problems)} problem(s) in {len(pages)} page(s)'
          + ('' if argv else ', bookkit/, tests/ and the YAML files'))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
