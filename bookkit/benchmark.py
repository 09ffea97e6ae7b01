"""Build-speed benchmark: `make benchmark` (starts from an empty cache; ~15 minutes).

Measured in one run on this machine, through the same make targets contributors use:

1. clean build with serial execution (JOBS=1) and with one kernel per core (JOBS=N);
   the execution phase of each is the prefill's time, so their ratio is the
   speed-up of parallel execution;
2. no-op rebuild, and rebuild after editing one notebook (median of REPEATS runs);
3. the PDF from the cache;
4. every notebook's execution time, alone (serial run) and side by side (parallel run).

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

from . import ROOT

BUILD = ROOT / '_build'
EDITED = ROOT / 'book' / 'chapter_preliminaries' / 'ndarray.md'
REPEATS = 3


def machine():
    model = next((line.split(':', 1)[1].strip() for line in
                  open('/proc/cpuinfo', encoding='utf-8') if line.startswith('model name')),
                 platform.processor())
    mem = next(int(line.split()[1]) for line in open('/proc/meminfo', encoding='utf-8')
               if line.startswith('MemTotal'))
    return f'{os.cpu_count()} cores ({model}), {mem / 2**20:.0f} GiB RAM, ' \
           f'{platform.system()} {platform.release()}, Python {platform.python_version()}'


def make(*targets, **variables):
    args = ['make', '-s', *targets] + [f'{k}={v}' for k, v in variables.items()]
    start = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return seconds


def report():
    return json.loads((BUILD / 'exec-report.json').read_text())


def executed(rows):
    return sum(r['executed'] != 'cache' for r in rows)


def clean_build(jobs):
    shutil.rmtree(BUILD, ignore_errors=True)
    BUILD.mkdir()
    total = make('html', JOBS=jobs)
    rows = report()
    return {'jobs': jobs, 'seconds': round(total, 1), 'executed': executed(rows),
            'execution_wall': prefill_seconds(),
            'notebooks': {r['notebook']: r['seconds'] for r in rows}}


def prefill_seconds():
    """Wall time of the execution phase (the prefill's report, kept by the build)."""
    return json.loads((BUILD / 'prefill-last.json').read_text())['seconds']


def median_of(runs):
    return round(statistics.median(runs), 1)


def edit_rebuilds():
    original = EDITED.read_text(encoding='utf-8')
    edits, executions = [], []
    try:
        for i in range(REPEATS):
            EDITED.write_text(original + f'\n```{{code-cell}} ipython3\nedit_probe = {i}\n```\n',
                              encoding='utf-8')
            edits.append(make('html'))
            executions.append(executed(report()))
    finally:
        EDITED.write_text(original, encoding='utf-8')
        make('html')
    return edits, executions


def run():
    results = {'machine': machine(), 'repeats': REPEATS}
    serial, parallel = clean_build(1), clean_build(os.cpu_count())
    results['clean'] = {'serial': serial, 'parallel': parallel,
                        'speedup_execution': round(serial['execution_wall']
                                                   / parallel['execution_wall'], 2),
                        'speedup_build': round(serial['seconds'] / parallel['seconds'], 2)}
    noop = [make('html') for _ in range(REPEATS)]
    results['noop'] = {'seconds': noop, 'median': median_of(noop), 'executed': executed(report()),
                       'share_of_clean': round(median_of(noop) / parallel['seconds'], 3)}
    edits, executions = edit_rebuilds()
    results['one_edit'] = {'seconds': [round(s, 1) for s in edits], 'median': median_of(edits),
                           'executed': executions}
    results['pdf'] = {'seconds': round(make('pdf'), 1)}
    BUILD.joinpath('benchmark.json').write_text(json.dumps(results, indent=1, ensure_ascii=False))
    BUILD.joinpath('benchmark.md').write_text(markdown(results))
    print(markdown(results))


def markdown(r):
    c = r['clean']
    lines = [f"Machine: {r['machine']}", '',
             '| measurement | seconds | notebooks executed |', '|---|---|---|',
             f"| clean build, serial execution (JOBS=1) | {c['serial']['seconds']} "
             f"| {c['serial']['executed']} |",
             f"| clean build, parallel execution (JOBS={c['parallel']['jobs']}) "
             f"| {c['parallel']['seconds']} | {c['parallel']['executed']} |",
             f"| execution phase, serial / parallel | {c['serial']['execution_wall']} / "
             f"{c['parallel']['execution_wall']} (x{c['speedup_execution']}) | |",
             f"| no-op rebuild (median of {r['repeats']}) | {r['noop']['median']} "
             f"({r['noop']['share_of_clean']:.1%} of the clean build) | {r['noop']['executed']} |",
             f"| rebuild after editing one notebook (median of {r['repeats']}) "
             f"| {r['one_edit']['median']} | {r['one_edit']['executed']} |",
             f"| PDF from the cache | {r['pdf']['seconds']} | 0 |", '',
             '| notebook | alone (s) | two at a time (s) |', '|---|---|---|']
    for name, alone in c['serial']['notebooks'].items():
        lines.append(f"| {name} | {alone} | {c['parallel']['notebooks'].get(name)} |")
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    run()
