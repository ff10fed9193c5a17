# tf.test.main()'s logging flags (absl's): the root logger's level from --verbosity/-v (info unless given), each
# record of tf.get_logger() printed by its own handler and by absl's root handler (absl's prefix), named loggers'
# levels from --logger_levels, --showprefixforinfo, and the routing flags (stderr whatever they say, since no
# program here asks absl for a log file); bad values as absl reports them.
import os

import tensorflow as tf
from main_flags_helper import root, run_logged

TF_LOGGER = tf.get_logger().name

run_logged(["Logs"])
for args in (["-v", "1"], ["-v=2"], ["--verbosity=-1"], ["--verbosity", "-2"], ["--v=0"], ["-verbosity=-3"],
             ["--verbosity=0x1"]):
    run_logged(["Logs", *args])
run_logged(["Logs", f"--logger_levels={TF_LOGGER}:DEBUG,other:ERROR"])
run_logged(["Logs", "--logger_levels", " other : WARNING , ", "-v", "-1"])
run_logged(["Logs", "--noshowprefixforinfo"])
run_logged(["Logs", "--showprefixforinfo=false", "-v", "1"])
log_dir = os.path.join(root, "logs")
os.makedirs(log_dir, exist_ok=True)
run_logged(["Logs", "--log_dir=" + log_dir, "--logtostderr", "--noalsologtostderr", "--stderrthreshold=info"])
print("files in --log_dir:", os.listdir(log_dir))
run_logged(["Logs", "--logtostderr=false", "--alsologtostderr=true", "--stderrthreshold", "2"])
run_logged(["Logs", "--stderrthreshold=WARN", "--alsologtostderr=0"])
for args in (["-v=abc"], ["--verbosity"], ["--logtostderr=maybe"], ["--nologtostderr=1"], ["--stderrthreshold=bogus"],
             ["--logger_levels=bad"], [f"--logger_levels={TF_LOGGER}:BOGUS"]):
    run_logged(["Logs", *args])
