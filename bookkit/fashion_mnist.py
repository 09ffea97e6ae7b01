"""Fashion-MNIST for the build: the real files where they can be fetched, a stand-in otherwise.

    python -m bookkit.fashion_mnist          # fetch, or generate the stand-in
    python -m bookkit.fashion_mnist --status

The notebooks load data the book's way, ``d2l.load_data_fashion_mnist``, which
reads torchvision's files under ``../data`` relative to the notebook, i.e.
``book/data/FashionMNIST/raw`` for every chapter folder. The stand-in has the
same gzip'd IDX format at the same path, plus a marker file ``STAND_IN`` that
the Sphinx extension turns into a warning on every page that uses the data.
Setting BOOK_REQUIRE_REAL_DATA=1 (the publishing workflow does) forbids it.
"""
import argparse
import gzip
import hashlib
import os
import shutil
import socket
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np

from . import ROOT

DATA_ROOT = ROOT / 'book' / 'data'
RAW = DATA_ROOT / 'FashionMNIST' / 'raw'
MARKER = DATA_ROOT / 'FashionMNIST' / 'STAND_IN'
FILES = {  # torchvision's names and the MD5 of the real gzip files
    'train-images-idx3-ubyte': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
    'train-labels-idx1-ubyte': '25c81989df183df01b3e8a0aad5dffbe',
    't10k-images-idx3-ubyte': 'bef4ecab320f06d8554ea6380940ec79',
    't10k-labels-idx1-ubyte': 'bb300cfdad3c16e7a12a480ee83cd310',
}
STAND_IN_SIZES = {'train': 6000, 't10k': 1000}
NETWORK_TIMEOUT = 15  # seconds per connection attempt


def require_real():
    return os.environ.get('BOOK_REQUIRE_REAL_DATA', '') not in ('', '0')


def status():
    """'real', 'stand-in' or 'missing'."""
    if not all((RAW / name).exists() for name in FILES):
        return 'missing'
    return 'stand-in' if MARKER.exists() else 'real'


def fingerprint():
    """Identifies the data in use, so that cached pages built on other data are re-run."""
    images = RAW / 'train-images-idx3-ubyte.gz'
    return f'{status()} {md5(images) if images.exists() else "-"}'


def md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def verify_real(raw=None):
    """Raise ValueError naming the first real file whose checksum is wrong."""
    for name, digest in FILES.items():
        gz = (raw or RAW) / f'{name}.gz'
        if not gz.exists() or md5(gz) != digest:
            raise ValueError(f'{gz} is missing or corrupt (MD5 differs)')


def fetch():
    """Download the real data with torchvision; bounded by NETWORK_TIMEOUT."""
    import torchvision
    socket.setdefaulttimeout(NETWORK_TIMEOUT)
    with tempfile.TemporaryDirectory() as tmp:  # only verified files replace what is there
        for train in (True, False):
            torchvision.datasets.FashionMNIST(root=tmp, train=train, download=True)
        fetched = Path(tmp) / 'FashionMNIST' / 'raw'
        verify_real(fetched)
        shutil.rmtree(RAW, ignore_errors=True)
        shutil.copytree(fetched, RAW)
    MARKER.unlink(missing_ok=True)


# --- the stand-in ------------------------------------------------------------
# Ten coarse garment silhouettes on a 28x28 grid, as (row0, row1, col0, col1)
# rectangles; similar classes (T-shirt, pullover, coat, shirt) overlap on
# purpose so that a linear model learns them well but not perfectly.
SHAPES = [
    [(4, 22, 8, 20), (4, 10, 3, 25)],                     # 0 T-shirt/top
    [(3, 25, 8, 13), (3, 25, 15, 20), (3, 7, 8, 20)],     # 1 trouser
    [(4, 23, 8, 20), (4, 20, 3, 8), (4, 20, 20, 25)],     # 2 pullover
    [(3, 25, 10, 18), (12, 25, 6, 22)],                   # 3 dress
    [(3, 26, 7, 21), (3, 23, 3, 7), (3, 23, 21, 25)],     # 4 coat
    [(18, 21, 2, 26), (14, 18, 16, 24), (21, 23, 2, 26)], # 5 sandal
    [(4, 24, 8, 20), (4, 21, 4, 8), (4, 21, 20, 24)],     # 6 shirt
    [(15, 22, 2, 26), (11, 15, 12, 24)],                  # 7 sneaker
    [(8, 24, 4, 24), (4, 8, 9, 19)],                      # 8 bag
    [(4, 22, 12, 21), (15, 23, 3, 21)],                   # 9 ankle boot
]


def stand_in_images(labels, rng):
    """uint8 images of shape (n, 28, 28): shifted, scaled, noisy silhouettes."""
    templates = np.zeros((10, 28, 28))
    for c, rects in enumerate(SHAPES):
        for r0, r1, c0, c1 in rects:
            templates[c, r0:r1, c0:c1] = 1.0
    n = len(labels)
    images = templates[labels]
    shifts = rng.integers(-4, 5, size=(n, 2))
    for i, (dr, dc) in enumerate(shifts):
        images[i] = np.roll(images[i], (dr, dc), axis=(0, 1))
    brightness = rng.uniform(0.3, 1.0, size=(n, 1, 1))
    texture = rng.normal(0, 0.6, size=(n, 28, 28))
    images = np.clip(images * (brightness + texture), 0, 1)
    return (images * 255).astype(np.uint8)


def idx_bytes(array):
    """Serialize a uint8 array in IDX format (magic 0x0803 images, 0x0801 labels)."""
    header = struct.pack('>HBB', 0, 0x08, array.ndim)
    header += struct.pack(f'>{array.ndim}I', *array.shape)
    return header + array.tobytes()


def write_stand_in(seed=0):
    rng = np.random.default_rng(seed)
    RAW.mkdir(parents=True, exist_ok=True)
    for split, n in STAND_IN_SIZES.items():
        labels = rng.integers(0, 10, size=n).astype(np.uint8)
        for kind, array in (('images-idx3', stand_in_images(labels, rng)),
                            ('labels-idx1', labels)):
            name = f'{split}-{kind}-ubyte'
            data = idx_bytes(array)
            (RAW / name).write_bytes(data)  # torchvision reads the unpacked file
            (RAW / f'{name}.gz').write_bytes(gzip.compress(data, mtime=0))
    MARKER.write_text('Generated by bookkit.fashion_mnist; not real Fashion-MNIST.\n')


def prepare():
    """Make sure book/data holds usable data; return its status."""
    if status() == 'real':
        verify_real()
        return 'real'
    if status() == 'stand-in' and not require_real():
        return 'stand-in'
    try:
        fetch()
        return 'real'
    except (OSError, RuntimeError, ValueError) as err:  # no network, or a bad download
        if require_real():
            raise SystemExit(
                f'Fashion-MNIST could not be fetched ({err}) and BOOK_REQUIRE_REAL_DATA '
                'forbids the stand-in. Put the four real .gz files into '
                f'{RAW} or run where the network allows.') from err
        print(f'Fashion-MNIST not reachable ({type(err).__name__}: {err}); '
              'generating the stand-in.', file=sys.stderr)
    write_stand_in()
    return 'stand-in'


def main(argv=None):
    parser = argparse.ArgumentParser(description='Prepare Fashion-MNIST for the build.')
    parser.add_argument('--status', action='store_true', help='only print the status')
    args = parser.parse_args(argv)
    print(status() if args.status else prepare())


if __name__ == '__main__':
    main()
