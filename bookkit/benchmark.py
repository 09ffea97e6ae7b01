"""Build-speed benchmark: `make benchmark` (starts from an empty cache; ~15 minutes).

Measured in one run on this machine, through the same make targets contributors use:

1. clean `make html` with serial execution (JOBS=1) and with one kernel per core
   (JOBS=N); the execution phase of each is the prefill's time, so their ratio is
   the speed-up of parallel execution;
2. the PDF from the cache;
3. no-op `make book` (the README's command), and `make book` after editing one
   notebook (median of REPEATS runs each; how many notebooks each executed, and
   whether it ran LaTeX);
4. every notebook's execution time, alone (serial run) and side by side (parallel run).

The Fashion-MNIST in use (bookkit.fashion_mnist.source) is recorded with the figures.

Writes _build/benchmark.{json,md} and prints the table.
"""
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

from . import ROOT, fashion_mnist

BUILD = ROOT / '_build'
EDITED = ROOT / 'book' / 'chapter_preliminaries' / 'ndarray.md'
REPEATS = 3
LATEX_SKIPPED = 'LaTeX skipped'  # what `make pdf` prints when the PDF's inputs did not change


def machine():
    model = next((line.split(':', 1)[1].strip() for line in
                  open('/proc/cpuinfo', encoding='utf-8') if line.startswith('model name')),
                 platform.processor())
    mem = next(int(line.split()[1]) for line in open('/proc/meminfo', encoding='utf-8')
               if line.startswith('MemTotal'))
    return f'{os.cpu_count()} cores ({model}), {mem / 2**20:.0f} GiB RAM, ' \
           f'{platform.system()} {platform.release()}, Python {platform.python_version()}'


def make(*targets, **variables):
    """Run make; return (seconds, what it printed)."""
    args = ['make', '-s', *targets] + [f'{k}={v}' for k, v in variables.items()]
    start = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return seconds, result.stdout


def report():
    return json.loads((BUILD / 'exec-report.json').read_text())


def executed(rows):
    return sum(r['executed'] != 'cache' for r in rows)


def clean_build(jobs):
    shutil.rmtree(BUILD, ignore_errors=True)
    BUILD.mkdir()
    total, _ = make('html', JOBS=jobs)
    rows = report()
    return {'jobs': jobs, 'seconds': round(total, 1), 'executed': executed(rows),
            'execution_wall': prefill_seconds(),
            'notebooks': {r['notebook']: r['seconds'] for r in rows}}


def prefill_seconds():
    """Wall time of the execution phase (the prefill's report, kept by the build)."""
    return json.loads((BUILD / 'prefill-last.json').read_text())['seconds']


def median_of(runs):
    return round(statistics.median(runs), 1)


def book_runs(edit=False):
    """REPEATS runs of `make book`, each after a new edit of one notebook if `edit`."""
    original = EDITED.read_text(encoding='utf-8')
    seconds, executions, latex = [], [], []
    try:
        for i in range(REPEATS):
            if edit:
                EDITED.write_text(original + f'\n```{{code-cell}} ipython3\nedit_probe = {i}\n```\n',
                                  encoding='utf-8')
            took, printed = make('book')
            seconds.append(round(took, 1))
            executions.append(executed(report()))
            latex.append(LATEX_SKIPPED not in printed)
    finally:
        if edit:
            EDITED.write_text(original, encoding='utf-8')
            make('book')
    return {'seconds': seconds, 'median': median_of(seconds), 'executed': executions,
            'latex_ran': latex}


def run():
    results = {'machine': machine(), 'repeats': REPEATS, 'data': fashion_mnist.source()}
    serial, parallel = clean_build(1), clean_build(os.cpu_count())
    results['clean'] = {'serial': serial, 'parallel': parallel,
                        'speedup_execution': round(serial['execution_wall']
                                                   / parallel['execution_wall'], 2),
                        'speedup_build': round(serial['seconds'] / parallel['seconds'], 2)}
    results['pdf'] = {'seconds': round(make('pdf')[0], 1)}
    results['noop'] = book_runs()
    results['noop']['share_of_clean'] = round(results['noop']['median'] / parallel['seconds'], 3)
    results['one_edit'] = book_runs(edit=True)
    BUILD.joinpath('benchmark.json').write_text(json.dumps(results, indent=1, ensure_ascii=False))
    BUILD.joinpath('benchmark.md').write_text(markdown(results))
    print(markdown(results))


def markdown(r):
    c, noop, edit = r['clean'], r['noop'], r['one_edit']
    lines = [f"Machine: {r['machine']}", f"Fashion-MNIST: {r['data']}", '',
             '| measurement | seconds | notebooks executed | LaTeX ran |', '|---|---|---|---|',
             f"| clean `make html`, serial execution (JOBS=1) | {c['serial']['seconds']} "
             f"| {c['serial']['executed']} | |",
             f"| clean `make html`, parallel execution (JOBS={c['parallel']['jobs']}) "
             f"| {c['parallel']['seconds']} | {c['parallel']['executed']} | |",
             f"| execution phase, serial / parallel | {c['serial']['execution_wall']} / "
             f"{c['parallel']['execution_wall']} (x{c['speedup_execution']}) | | |",
             f"| `make pdf` from the cache | {r['pdf']['seconds']} | 0 | yes |",
             f"| no-op `make book` (median of {r['repeats']}) | {noop['median']} "
             f"({noop['share_of_clean']:.1%} of the clean build) | {noop['executed']} "
             f"| {noop['latex_ran']} |",
             f"| `make book` after editing one notebook (median of {r['repeats']}) "
             f"| {edit['median']} | {edit['executed']} | {edit['latex_ran']} |", '',
             '| notebook | alone (s) | two at a time (s) |', '|---|---|---|']
    for name, alone in c['serial']['notebooks'].items():
        lines.append(f"| {name} | {alone} | {c['parallel']['notebooks'].get(name)} |")
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    run()
