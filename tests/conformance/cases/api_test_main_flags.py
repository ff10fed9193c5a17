# tf.test.main()'s command line (absltest's): its flags and their environment fallbacks, the temp root,
# filters (-k after --, TESTBRIDGE_TEST_ONLY), the test-ordering seeds and the exit status.
import os

from main_flags_helper import root, run

tmp_root = os.path.join(root, "made_by_main")
run(["--test_tmpdir=" + tmp_root, "Alpha.test_one", "Alpha.test_two"])
run(["--test_tmpdir", tmp_root, "Alpha.test_one"])
run(["-test_tmpdir=" + tmp_root, "Alpha.test_one"])
run(["Alpha.test_one"], TEST_TMPDIR=os.path.join(root, "env_root"))
run(["--test_tmpdir=" + tmp_root, "Alpha.test_one"], TEST_TMPDIR=os.path.join(root, "env_root"))
run([], module="pass_mod.py", TEST_TMPDIR=tmp_root)
run(["--test_random_seed=12", "Alpha.test_two"])
run(["--test_random_seed=0x10", "Alpha.test_two"])
run(["--test_random_seed=abc"])
run(["--test_tmpdir"])
run(["--test_tmpdi=x"])
run(["--no_such_flag"])
run(["-k", "one"])
run(["--", "-k", "one"])
run(["--", "-q", "-k", "Alpha.test_t*"])
run(["Alpha.test_two", "--", "-v"])
run([], TESTBRIDGE_TEST_ONLY="test_x Alpha.test_two")
run([], TESTBRIDGE_TEST_ONLY="nothing_matches")
for seed in ["7", "12345"]:
    run(["--test_randomize_ordering_seed=" + seed, "--", "-q"])
run(["--", "-q"], TEST_RANDOMIZE_ORDERING_SEED="3")
run(["--test_randomize_ordering_seed=0", "--", "-q"], TEST_RANDOMIZE_ORDERING_SEED="3")
run(["--test_randomize_ordering_seed=-1"])
run(["--test_randomize_ordering_seed=abc"])
