"""The digits example, shortened: the loss falls, the accuracy beats a threshold, resuming is exact."""

import importlib.util
import os

import pytest

pytest.importorskip("sklearn")

EXAMPLE = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "train_digits.py")


def load_example():
    spec = importlib.util.spec_from_file_location("train_digits", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_three_epochs_learn_the_digits(capsys):
    history = load_example().main(["--epochs", "3", "--seed", "0"])
    losses = history["loss"]
    assert len(losses) == 3 and losses[0] > losses[1] > losses[2]
    assert history["final_test_accuracy"] >= 0.9
    out, err = capsys.readouterr()
    assert "epoch   3/3" in out and "loss" in out
    assert "[" in err and "]" in err  # the progress bar


def test_stop_and_resume_from_checkpoints_gives_the_same_run(tmp_path):
    example = load_example()
    ckpt_dir = str(tmp_path / "ckpt")
    first = example.main(["--epochs", "1", "--checkpoint-dir", ckpt_dir, "--quiet"])
    resumed = example.main(["--epochs", "2", "--checkpoint-dir", ckpt_dir, "--quiet"])
    straight = example.main(["--epochs", "2", "--quiet"])
    assert len(first["loss"]) == 1 and len(resumed["loss"]) == 1
    assert resumed["loss"][0] == pytest.approx(straight["loss"][1], rel=1e-6)
    assert resumed["final_test_accuracy"] == straight["final_test_accuracy"]
