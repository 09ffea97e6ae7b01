"""Check that the installed environment can run the book; exit 1 with advice if not."""
import sys

ADVICE = {
    'torchvision': 'torchvision does not match torch. Both must come from the same registry: '
                   'run `make env` again (it ignores local find-links folders), or reinstall '
                   'torch==2.13.0 and torchvision==0.28.0 together.',
    'd2l': 'd2l 0.17.6 is missing: `pip install --no-deps d2l==0.17.6`.',
}


def main():
    checks = [
        ('torch', 'import torch'),
        ('torchvision', 'import torchvision; torchvision.ops.nms'),
        ('d2l', 'from d2l import torch as d2l; d2l.train_ch3'),
    ]
    for name, code in checks:
        try:
            exec(code, {})
        except Exception as err:  # report any import failure with advice, then stop
            print(f'Environment check failed at {name}: {type(err).__name__}: {err}\n'
                  f'{ADVICE.get(name, "")}', file=sys.stderr)
            return 1
    import torch
    import torchvision
    print(f'environment ok: torch {torch.__version__}, torchvision {torchvision.__version__}, d2l 0.17.6')
    return 0


if __name__ == '__main__':
    sys.exit(main())
