# tf.test.main() under a test runner: sharding (round-robin over each class's sorted tests), the
# JUnit-style XML report (times normalised), --benchmark_filter, and Benchmark.evaluate.
import os

from main_flags_helper import root, run, show_xml

status = os.path.join(root, "shard_status")
for total in ["3", "5"]:
    for index in range(int(total)):
        run(["--", "-q"], TEST_TOTAL_SHARDS=total, TEST_SHARD_INDEX=str(index))
run(["--", "-q"], module="pass_mod.py", TEST_TOTAL_SHARDS="3", TEST_SHARD_INDEX="2", TEST_SHARD_STATUS_FILE=status)
print("status file written:", os.path.exists(status))
run(["--", "-q"], TEST_TOTAL_SHARDS="2", TEST_SHARD_INDEX="2")
run(["--test_randomize_ordering_seed=7", "--", "-q"], TEST_TOTAL_SHARDS="2", TEST_SHARD_INDEX="1")

xml = os.path.join(root, "reports", "out.xml")
run(["--xml_output_file=" + xml, "--test_randomize_ordering_seed=5", "--", "-q"])
show_xml(xml)
env_xml = os.path.join(root, "env.xml")
run(["--", "-q"], module="pass_mod.py", XML_OUTPUT_FILE=env_xml)
show_xml(env_xml)
run(["--", "-q", "Gamma.test_a"], module="pass_mod.py", TEST_XMLOUTPUTDIR=os.path.join(root, "xmldir"))
show_xml(os.path.join(root, "xmldir", "pass_mod.xml"))

run(["--benchmark_filter=Bench.benchmark_f"], module="pass_mod.py")
run(["--benchmark_filter=all"], module="pass_mod.py", sort_output=True)
run(["--benchmark_filter=nothing"], module="pass_mod.py")
run(["--benchmark_filter=Evaluating"], module="pass_mod.py")
