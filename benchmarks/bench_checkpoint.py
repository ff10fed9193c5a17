"""Checkpoint save and restore of 256 MB of variables, in MB/s, beside numpy.save / numpy.load.

    python benchmarks/bench_checkpoint.py [--mb 256] [--variables 64] [--repeat 3] [--dir DIR]

Saves with `ef.train.Checkpoint.write` (every tensor crc32c-checksummed, files fsynced and renamed)
and restores with `Checkpoint.restore` (every file and checksum verified, then each value assigned
in place), next to `numpy.save` of the same arrays to one .npy file each (without and with fsync)
and `numpy.load` of them, in the same run. The crc32c runs through the compiled `google-crc32c`
(a dependency) or `crc32c` package, else through the pure NumPy path; with a compiled one, the
pure path is measured too, in a subprocess with EAGERFLOW_CRC32C=pure.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

import eagerflow as ef
from eagerflow.checkpoint import checksum
from timing import best  # benchmarks/timing.py


def run(mb, n_vars, repeat, directory):
    per = mb * 2**20 // 4 // n_vars
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(per, dtype=np.float32) for _ in range(n_vars)]
    variables = [ef.Variable(a) for a in arrays]
    total = sum(a.nbytes for a in arrays) / 2**20
    work = tempfile.mkdtemp(prefix="bench_ckpt_", dir=directory)
    try:
        ckpt = ef.train.Checkpoint(model=variables)
        prefix = os.path.join(work, "ckpt")
        t_save = best(lambda: ckpt.write(prefix), repeat)
        targets = [ef.Variable(np.zeros(per, np.float32)) for _ in range(n_vars)]
        restore_ckpt = ef.train.Checkpoint(model=targets)
        t_restore = best(lambda: restore_ckpt.restore(prefix).assert_consumed(), repeat)
        assert all(np.array_equal(t.numpy(), a) for t, a in zip(targets, arrays))

        npy = [os.path.join(work, f"a{i}.npy") for i in range(n_vars)]

        def np_save(sync):
            for a, p in zip(arrays, npy):
                with open(p, "wb") as f:
                    np.save(f, a)
                    if sync:
                        f.flush()
                        os.fsync(f.fileno())

        t_np_save = best(lambda: np_save(False), repeat)
        t_np_save_sync = best(lambda: np_save(True), repeat)
        t_np_load = best(lambda: [np.load(p) for p in npy], repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rate = lambda t: total / t  # noqa: E731
    print(f"{total:.0f} MB in {n_vars} float32 variables, best of {repeat}; crc32c: {checksum.implementation()}")
    print(f"  Checkpoint.write (crc + fsync)     {rate(t_save):8.0f} MB/s")
    print(f"  numpy.save                         {rate(t_np_save):8.0f} MB/s   -> write/save  "
          f"{t_np_save / t_save:.2f}x")
    print(f"  numpy.save + fsync                 {rate(t_np_save_sync):8.0f} MB/s   -> write/save  "
          f"{t_np_save_sync / t_save:.2f}x")
    print(f"  Checkpoint.restore (crc + assign)  {rate(t_restore):8.0f} MB/s")
    print(f"  numpy.load                         {rate(t_np_load):8.0f} MB/s   -> restore/load "
          f"{t_np_load / t_restore:.2f}x")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=256)
    parser.add_argument("--variables", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default=None)
    parser.add_argument("--no-pure", action="store_true", help="skip the pure-NumPy crc32c run")
    args = parser.parse_args(argv)
    run(args.mb, args.variables, args.repeat, args.dir)
    if not args.no_pure and checksum.implementation() != "pure":
        sys.stdout.flush()
        cmd = [sys.executable, __file__, "--mb", str(args.mb), "--variables", str(args.variables),
               "--repeat", str(args.repeat), "--no-pure"] + (["--dir", args.dir] if args.dir else [])
        subprocess.run(cmd, env=dict(os.environ, EAGERFLOW_CRC32C="pure"), check=True)


if __name__ == "__main__":
    main()
