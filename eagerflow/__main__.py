"""`python -m eagerflow`: the version, the array libraries and the devices of this machine."""

import platform
import sys


def main():
    import numpy

    import eagerflow as ef
    from eagerflow.device import registry

    print(f"eagerflow {ef.__version__} (Python {platform.python_version()}, {sys.platform})")
    print(f"NumPy {numpy.__version__}")
    if ef.test.is_built_with_cuda():
        try:
            import cupy

            print(f"CuPy {cupy.__version__}")
        except Exception as e:  # installed but broken (missing CUDA libraries...)
            print(f"CuPy installed but not importable: {e}")
    else:
        print("CuPy not installed (pip install eagerflow[gpu] for NVIDIA GPUs)")
    print("Physical devices:")
    for p in ef.config.list_physical_devices():
        details = ef.config.experimental.get_device_details(p)
        extra = f"  {details}" if details else ""
        print(f"  {p.name}  {p.device_type}{extra}")
    print("Logical devices:")
    for d in registry.devices():
        tag = "  (default)" if d.fast else ""
        print(f"  {d.name}{tag}")


if __name__ == "__main__":
    main()
