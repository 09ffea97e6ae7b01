"""Lint the book: ruff on the notebooks' code cells and on the infrastructure code,
two checks of the pages' prose (display math, numbers), and a parse check of every YAML file.

    python -m bookkit.lint            # exit 1 and list problems as path:line: message

Code cells of a MyST notebook are written to a temporary .py file (IPython magics
commented out) and ruff's findings are mapped back to the line in the .md file.
"""
import io
import json
import re
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

import yaml

from . import ROOT

FENCE = re.compile(r'^```\{code-cell\}')
# Cells import late, redefine helpers and end in an expression to display it; the book names a loss `l`.
NOTEBOOK_RULES = ['--ignore', 'E402,E731,E741,F811,B015,B018']
INFRA = ['bookkit', 'tests']
QUOTED = ROOT / 'bookkit' / 'quoted_numbers.yml'
YAML_FILES = ['_config.yml', '_toc.yml', 'book/exercises.yml', 'bookkit/quoted_numbers.yml',
              '.pre-commit-config.yaml',
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


# --- NUM001: a decimal in prose is glued, checked by the nearest code cell, or quoted -----
ANY_FENCE = re.compile(r'^\s*(`{3,}|~{3,}|:{3,})\s*(.*)$')
CODE_DIRECTIVES = {'code-cell', 'code-block', 'code', 'sourcecode', 'literalinclude'}
# 0.5, .5, 2.0, 1.5e-3, 1e-4; not the parts of 2.6.1 or of a name such as v2.0
DECIMAL = re.compile(r'(?<![\w.])(?:\d*\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?!\w|\.\d)')
CODE_SPAN = re.compile(r'(`+).+?\1')  # also a role's content, e.g. {glue:text}`acc:.3f`
NOT_PROSE = [re.compile(r'\]\([^)]*\)'),                 # a link's target
             re.compile(r'<?https?://[^\s>]+>?'),          # a bare URL
             re.compile(r'\\[A-Za-z]+'),                    # a LaTeX command (\approx0.5)
             re.compile(r'\d+\.\d+(?=\s*节)'),              # a section: 2.6 节
             re.compile(r'练习\s*\d+(?:\.\d+)+')]           # an exercise: 练习 1.2


def section_titles():
    """'2.6 概率', … as the pages write them in headings and links."""
    data = yaml.safe_load((ROOT / 'book' / 'exercises.yml').read_text(encoding='utf-8'))
    names = sorted((f"{s['section']} {s['title']}" for s in data['sections']), key=len, reverse=True)
    return re.compile('|'.join(re.escape(n).replace(r'\ ', r'\s*') for n in names))


def blocks(md_text):
    """Yield ('code', first line, source) for each code cell, ('prose', line, text) for each
    line a reader sees as text or math, and ('break', line, '') where a paragraph ends.

    Front matter, fences, directive options and code blocks that are not cells are left out."""
    lines = md_text.splitlines()
    i = lines.index('---', 1) + 1 if lines and lines[0] == '---' else 0
    open_fences = []  # fences of the directives whose content is prose
    while i < len(lines):
        match = ANY_FENCE.match(lines[i])
        if not match:
            yield ('prose', i + 1, lines[i]) if lines[i].strip() else ('break', i + 1, '')
            i += 1
            continue
        yield 'break', i + 1, ''
        fence, info = match.groups()
        i += 1
        if open_fences and not info and fence == open_fences[-1]:
            open_fences.pop()
            continue
        name = re.match(r'\{([\w:-]+)\}', info)
        holds_prose = fence[0] == ':' or (name is not None and name.group(1) not in CODE_DIRECTIVES)
        if i < len(lines) and lines[i].strip() == '---':  # YAML options
            i = lines.index('---', i + 1) + 1
        while i < len(lines) and lines[i].startswith(':') and not ANY_FENCE.match(lines[i]):
            i += 1
        if holds_prose:
            open_fences.append(fence)
            continue
        first = i
        while i < len(lines) and lines[i].strip() != fence:
            i += 1
        if name and name.group(1) == 'code-cell':
            yield 'code', first + 1, '\n'.join(lines[first:i])
        i += 1


def code_literals(source):
    """Values of the decimals a code cell writes as numbers or inside strings (not in comments)."""
    code = '\n'.join('' if c.lstrip().startswith(('%', '!')) else c for c in source.splitlines())
    strings = {tokenize.STRING, getattr(tokenize, 'FSTRING_MIDDLE', tokenize.STRING)}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code + '\n').readline))
    except (tokenize.TokenError, SyntaxError):  # ruff reports the cell's syntax error
        return set()
    return {float(m.group()) for t in tokens if t.type == tokenize.NUMBER or t.type in strings
            for m in DECIMAL.finditer(t.string)}


def prose_decimals(text, titles):
    text = CODE_SPAN.sub(' ', text)
    for pattern in [*NOT_PROSE, titles]:
        text = pattern.sub(' ', text)
    return [m.group() for m in DECIMAL.finditer(text)]


def load_quoted(path=QUOTED):
    """{page: [{'number': …, 'source': …}, …]} from bookkit/quoted_numbers.yml"""
    return yaml.safe_load(path.read_text(encoding='utf-8')) or {}


def lint_numbers(pages, quoted=None):
    """NUM001: every decimal in prose (math included, code excluded) is glued, written as a
    literal in the nearest code cell before or after its paragraph, or allow-listed with a source."""
    quoted = load_quoted() if quoted is None else quoted
    titles, problems = section_titles(), []
    for page in pages:
        items = list(blocks(page.read_text(encoding='utf-8')))
        cells = [(n, code_literals(src)) for kind, n, src in items if kind == 'code']
        entries = quoted.get(str(shown(page)), [])
        allowed = {float(e['number']) for e in entries}
        used = set()
        paragraph = []
        for kind, n, text in items + [('break', None, '')]:
            if kind == 'prose':
                paragraph.append((n, text))
                continue
            if not paragraph:
                continue
            start, end = paragraph[0][0], paragraph[-1][0]
            before = [v for c, v in cells if c < start][-1:]
            after = [v for c, v in cells if c > end][:1]
            near = set().union(*before, *after)
            for line, words in paragraph:
                for number in prose_decimals(words, titles):
                    value = float(number)
                    if value in allowed:
                        used.add(value)
                    elif value not in near:
                        problems.append(f'{shown(page)}:{line}: NUM001 bare decimal in prose: '
                                        f'{number} (not glued, not in the nearest code cell, '
                                        'not quoted)')
            paragraph = []
        for e in entries:
            if not str(e.get('source', '')).strip():
                problems.append(f"{shown(QUOTED)}: NUM001 {shown(page)}: {e['number']} has no source")
            elif float(e['number']) not in used:
                problems.append(f"{shown(QUOTED)}: NUM001 {shown(page)}: {e['number']} is not "
                                'quoted in the prose any more')
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
    problems = lint_notebooks(pages) + lint_prose(pages) + lint_numbers(pages) + (
        [] if argv else lint_infrastructure() + lint_yaml())
    for p in problems:
        print(p)
    print(f'lint: {len(problems)} problem(s) in {len(pages)} page(s)'
          + ('' if argv else ', bookkit/, tests/ and the YAML files'))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
