"""Fonts and the environment the notebooks rely on (data: test_data.py)."""
import os
import subprocess
import sys

from conftest import ROOT

RC = ROOT / 'bookkit' / 'matplotlibrc'
DRAW_CHINESE = """
import warnings, matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
from matplotlib import font_manager
warnings.simplefilter('error')          # 'Glyph ... missing from font' becomes an error
fig, ax = plt.subplots()
ax.set_title('训练损失与学习率'); ax.set_xlabel('迭代周期'); ax.plot([0, 1], [-1, 1])
fig.savefig({out!r})
print(font_manager.findfont(matplotlib.rcParams['font.sans-serif'][0], fallback_to_default=False))
"""


def draw(tmp_path, rc):
    env = dict(os.environ, MATPLOTLIBRC=str(rc))
    return subprocess.run([sys.executable, '-c', DRAW_CHINESE.format(out=str(tmp_path / 'zh.png'))],
                          env=env, capture_output=True, text=True)


def test_chinese_plot_labels_have_glyphs(tmp_path):
    result = draw(tmp_path, RC)
    assert result.returncode == 0, result.stderr
    assert 'NotoSansCJK' in result.stdout, 'install fonts-noto-cjk (scripts/install-system-packages.sh)'


def test_missing_cjk_font_is_detected(tmp_path):
    plain = tmp_path / 'matplotlibrc'
    plain.write_text('font.sans-serif: DejaVu Sans\n')
    result = draw(tmp_path, plain)
    assert result.returncode != 0 and 'missing from font' in result.stderr


def test_environment_check_passes():
    result = subprocess.run([sys.executable, '-m', 'bookkit.check_env'], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
