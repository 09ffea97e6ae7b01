"""Fashion-MNIST for the build: the real files from the first source that has them.

    python -m bookkit.fashion_mnist          # prepare book/data, print where it came from
    python -m bookkit.fashion_mnist --status

The notebooks load data the book's way, ``d2l.load_data_fashion_mnist``, which
reads torchvision's files under ``../data`` relative to the notebook, i.e.
``book/data/FashionMNIST/raw`` for every chapter folder. Sources, in order:

1. real files already in place;
2. the download (torchvision), each connection bounded by NETWORK_TIMEOUT;
3. Debian's package ``dataset-fashion-mnist`` (installed through
   scripts/install-system-packages.sh --data where apt is available);
4. a generated stand-in in the same IDX format, with a marker file ``STAND_IN``
   that the Sphinx extension turns into a warning on every page that uses it.
   BOOK_REQUIRE_REAL_DATA=1 (the publishing workflow sets it) forbids it.

Real data is recognised by the SHA-256 of the unpacked IDX files, so Debian's
recompressed gzip files (other MD5s than upstream's) count as real too.
The source in use is recorded in ``SOURCE`` beside ``raw``.
"""
import argparse
import gzip
import hashlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from . import ROOT

DATA_ROOT = ROOT / 'book' / 'data'
# SHA-256 of the unpacked IDX files of Fashion-MNIST (zalandoresearch/fashion-mnist)
IDX_SHA256 = {
    'train-images-idx3-ubyte': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    'train-labels-idx1-ubyte': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    't10k-images-idx3-ubyte': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    't10k-labels-idx1-ubyte': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
}
UPSTREAM_GZ_MD5 = {  # the upstream gzip files, as torchvision checks them
    'train-images-idx3-ubyte': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
    'train-labels-idx1-ubyte': '25c81989df183df01b3e8a0aad5dffbe',
    't10k-images-idx3-ubyte': 'bef4ecab320f06d8554ea6380940ec79',
    't10k-labels-idx1-ubyte': 'bb300cfdad3c16e7a12a480ee83cd310',
}
DEBIAN_PACKAGE = 'dataset-fashion-mnist'
DEBIAN_DIR = Path('/usr/share/datasets/fashion-mnist')
STAND_IN_SIZES = {'train': 6000, 't10k': 1000}
NETWORK_TIMEOUT = 15  # seconds any one connection may wait


def require_real():
    return os.environ.get('BOOK_REQUIRE_REAL_DATA', '') not in ('', '0')


def page_root(page):
    """The data folder a page's notebook reaches as '../data' (d2l's root)."""
    return Path(page).parent.parent / 'data'


def folders(root=None):
    """(raw files, stand-in marker, source record) of the data under `root`.

    `root` is the folder a notebook reaches as '../data'; the book's is book/data.
    """
    base = Path(root or DATA_ROOT) / 'FashionMNIST'
    return base / 'raw', base / 'STAND_IN', base / 'SOURCE'


def status(root=None):
    """'real', 'stand-in' or 'missing'."""
    raw, marker, _ = folders(root)
    if not all((raw / name).exists() for name in IDX_SHA256):
        return 'missing'
    return 'stand-in' if marker.exists() else 'real'


def source(root=None):
    """Where the data came from, as recorded when it was put there."""
    record = folders(root)[2]
    if status(root) == 'missing' or not record.exists():
        return status(root)
    return record.read_text(encoding='utf-8').strip()


def fingerprint(root=None):
    """Identifies the data in use, so that cached pages built on other data are re-run."""
    images = folders(root)[0] / 'train-images-idx3-ubyte'
    return f'{status(root)} {sha256(images.read_bytes()) if images.exists() else "-"}'


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def unpacked(folder, name):
    """The IDX bytes of `name` in `folder`: the unpacked file, else its .gz unpacked."""
    path = Path(folder) / name
    if path.exists():
        return path.read_bytes()
    gz = path.with_name(f'{name}.gz')
    if not gz.exists():
        raise ValueError(f'{path} and {gz} are both missing')
    try:
        return gzip.decompress(gz.read_bytes())
    except (OSError, EOFError) as err:
        raise ValueError(f'{gz} is corrupt: {err}') from err


def verify_real(folder):
    """Raise ValueError naming the first file in `folder` that is not the real data.

    A file is real when its unpacked content has the pinned SHA-256; a lone .gz with
    the upstream MD5 is accepted as it is (that is what torchvision downloads).
    """
    folder = Path(folder)
    for name, digest in IDX_SHA256.items():
        gz = folder / f'{name}.gz'
        if not (folder / name).exists() and gz.exists() and \
                hashlib.md5(gz.read_bytes()).hexdigest() == UPSTREAM_GZ_MD5[name]:
            continue
        if sha256(unpacked(folder, name)) != digest:
            raise ValueError(f'{folder / name} is corrupt: its SHA-256 is not that of '
                             'the real Fashion-MNIST')


def install(folder, origin, root=None):
    """Verify the four files in `folder`, then make them the real data under `root`."""
    verify_real(folder)
    raw, marker, record = folders(root)
    raw.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=raw.parent) as tmp:
        staged = Path(tmp) / 'raw'
        staged.mkdir()
        for name in IDX_SHA256:  # torchvision reads the unpacked files; keep the .gz beside
            data = unpacked(folder, name)
            (staged / name).write_bytes(data)
            gz = Path(folder) / f'{name}.gz'
            if gz.exists():
                shutil.copyfile(gz, staged / f'{name}.gz')
            else:
                (staged / f'{name}.gz').write_bytes(gzip.compress(data, mtime=0))
        shutil.rmtree(raw, ignore_errors=True)
        shutil.move(staged, raw)
    marker.unlink(missing_ok=True)
    record.write_text(origin + '\n', encoding='utf-8')


def from_place(root=None):
    """Real files that are already there, gzip'd or unpacked (put there by hand)."""
    raw, marker, record = folders(root)
    if marker.exists():
        raise ValueError('the stand-in is in place')
    if status(root) == 'real' and record.exists():
        verify_real(raw)
    else:
        install(raw, 'in place (put into book/data by hand)', root)


def from_download(root=None):
    """torchvision's download into a temporary folder."""
    import torchvision
    socket.setdefaulttimeout(NETWORK_TIMEOUT)
    with tempfile.TemporaryDirectory() as tmp:
        for train in (True, False):
            torchvision.datasets.FashionMNIST(root=tmp, train=train, download=True)
        install(Path(tmp) / 'FashionMNIST' / 'raw', 'download (torchvision)', root)


def debian_version():
    result = subprocess.run(['dpkg-query', '-W', '-f=${Version}', DEBIAN_PACKAGE],
                            capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def debian_files_present():
    return all((DEBIAN_DIR / f'{name}.gz').exists() for name in IDX_SHA256)


def from_debian(root=None):
    """Debian's package, installed first where apt is available."""
    if not debian_files_present():
        script = ROOT / 'scripts' / 'install-system-packages.sh'
        result = subprocess.run(['bash', str(script), '--data'], capture_output=True, text=True)
        if result.returncode != 0:
            raise OSError(f'{DEBIAN_PACKAGE} could not be installed: '
                          f'{(result.stderr or result.stdout).strip()[-500:]}')
    version = debian_version()
    install(DEBIAN_DIR, f'Debian package {DEBIAN_PACKAGE}' + (f' {version}' if version else ''),
            root)


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


def write_stand_in(seed=0, root=None):
    rng = np.random.default_rng(seed)
    raw, marker, record = folders(root)
    raw.mkdir(parents=True, exist_ok=True)
    for split, n in STAND_IN_SIZES.items():
        labels = rng.integers(0, 10, size=n).astype(np.uint8)
        for kind, array in (('images-idx3', stand_in_images(labels, rng)),
                            ('labels-idx1', labels)):
            name = f'{split}-{kind}-ubyte'
            data = idx_bytes(array)
            (raw / name).write_bytes(data)  # torchvision reads the unpacked file
            (raw / f'{name}.gz').write_bytes(gzip.compress(data, mtime=0))
    marker.write_text('Generated by bookkit.fashion_mnist; not real Fashion-MNIST.\n')
    record.write_text('stand-in (generated by bookkit.fashion_mnist)\n', encoding='utf-8')


SOURCES = {'in place': from_place, 'download': from_download, 'Debian package': from_debian}


def prepare(root=None):
    """Make sure the data folder holds usable data; return where it came from."""
    raw = folders(root)[0]
    if status(root) == 'stand-in' and not require_real() and not debian_files_present():
        # an earlier run found no real data; retry only what needs no network
        print('Fashion-MNIST: keeping the stand-in; to look for the real data again, '
              f'remove {raw.parent} and run `make data`.', file=sys.stderr)
        return source(root)
    failures = []
    for name, fetch in SOURCES.items():
        try:
            fetch(root)
            return source(root)
        except (OSError, RuntimeError, ValueError) as err:  # unreachable, or not the real data
            failures.append(f'{name}: {type(err).__name__}: {err}'.strip())
    tried = '\n  '.join(failures)
    if require_real():
        raise SystemExit(
            f'Fashion-MNIST could not be fetched:\n  {tried}\nBOOK_REQUIRE_REAL_DATA forbids '
            f'the stand-in. Put the four real .gz files into {raw}, install the Debian package '
            f'{DEBIAN_PACKAGE}, or run where the network allows.')
    print(f'Fashion-MNIST not reachable:\n  {tried}\ngenerating the stand-in.', file=sys.stderr)
    write_stand_in(root=root)
    return source(root)


def main(argv=None):
    parser = argparse.ArgumentParser(description='Prepare Fashion-MNIST for the build.')
    parser.add_argument('--status', action='store_true', help='only print the status')
    args = parser.parse_args(argv)
    print(f'{status()}: {source()}' if args.status else f'Fashion-MNIST: {prepare()}')


if __name__ == '__main__':
    main()
