"""The environment the notebooks rely on (fonts: test_setup_cell.py; data: test_data.py)."""
import subprocess
import sys

from conftest import ROOT


def test_environment_check_passes():
    result = subprocess.run([sys.executable, '-m', 'bookkit.check_env'], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
