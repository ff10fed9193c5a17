"""Write + read 256 MB of float32 arrays as a TF tensor bundle, beside numpy.save / numpy.load.

    python benchmarks/bench_checkpoint_format.py [--mb 256] [--arrays 16] [--dir DIR]

Prints MB/s for: write_bundle (fsynced, as checkpoints are), write_bundle without fsync,
numpy.save (plain, and with fsync), BundleReader.read (every crc verified) and numpy.load, plus
the crc32c speed alone. Files go to a temporary directory beside --dir (default: the system's).
"""

import argparse
import os
import shutil
import tempfile

import numpy as np

from eagerflow.checkpoint import checksum
from eagerflow.checkpoint.bundle import BundleReader, write_bundle
from timing import best  # benchmarks/timing.py


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=256)
    ap.add_argument("--arrays", type=int, default=16)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n = args.mb * 2**20 // 4 // args.arrays
    rng = np.random.default_rng(0)
    arrays = {f"layer_{i:02d}/kernel/.ATTRIBUTES/VARIABLE_VALUE": rng.standard_normal(n, dtype=np.float32)
              for i in range(args.arrays)}
    total = sum(a.nbytes for a in arrays.values()) / 2**20
    d = tempfile.mkdtemp(dir=args.dir)
    try:
        prefix = os.path.join(d, "ckpt")

        def np_save(sync):
            for i, a in enumerate(arrays.values()):
                with open(os.path.join(d, f"a{i}.npy"), "wb") as f:
                    np.save(f, a)
                    if sync:
                        f.flush()
                        os.fsync(f.fileno())

        def np_load():
            return [np.load(os.path.join(d, f"a{i}.npy")) for i in range(len(arrays))]

        def ef_read():
            with BundleReader(prefix) as r:
                return [r.read(k) for k in r.keys()]

        print(f"{total:.0f} MB in {args.arrays} float32 arrays; crc32c: {checksum.implementation()}")
        rows = [
            ("crc32c alone", best(lambda: [checksum.crc32c(a) for a in arrays.values()], args.repeat)),
            ("numpy.save", best(lambda: np_save(False), args.repeat)),
            ("numpy.save + fsync", best(lambda: np_save(True), args.repeat)),
            ("write_bundle (fsync)", best(lambda: write_bundle(prefix, arrays), args.repeat)),
            ("write_bundle (sync=False)", best(lambda: write_bundle(prefix, arrays, sync=False), args.repeat)),
            ("numpy.load", best(np_load, args.repeat)),
            ("BundleReader.read (verified)", best(ef_read, args.repeat)),
        ]
        speed = {name: total / t for name, t in rows}
        for name, t in rows:
            print(f"  {name:32s} {t * 1000:8.1f} ms  {total / t:8.0f} MB/s")
        print(f"  write ratio vs numpy.save:          {speed['write_bundle (fsync)'] / speed['numpy.save']:.2f}x "
              f"(vs numpy.save + fsync: {speed['write_bundle (fsync)'] / speed['numpy.save + fsync']:.2f}x)")
        print(f"  read ratio vs numpy.load:           "
              f"{speed['BundleReader.read (verified)'] / speed['numpy.load']:.2f}x")
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    main()
