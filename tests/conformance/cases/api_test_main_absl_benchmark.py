# tf.test.main() with --benchmark_filter: the run is an absl program too, so each report_benchmark is also
# logged at INFO (by tf.get_logger()'s handler and absl's root handler), and absl's flags apply.
import os

from main_flags_helper import root, run_logged

with open(os.path.join(root, "bench_mod.py"), "w") as f:
    f.write('''
import tensorflow as tf

class Bench(tf.test.Benchmark):
    def benchmark_fast(self):
        self.report_benchmark(iters=3, wall_time=0.5, name="fast")
        self.report_benchmark(iters=1, cpu_time=0.25, throughput=2.0, extras={"a": 1}, name="slow")

if __name__ == "__main__":
    tf.test.main()
''')
run_logged(["--benchmark_filter=all"], module="bench_mod.py")
run_logged(["--benchmark_filter=all", "-v=-1"], module="bench_mod.py")
run_logged(["--benchmark_filter=all", "--zzzz"], module="bench_mod.py")
