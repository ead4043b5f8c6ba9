"""The model fingerprint: retrain exactly when data, config or domain change."""
import shutil

from scripts import model_files
from tests.helpers import ROOT


def test_fingerprint_is_stable_and_follows_the_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    config = tmp_path / "config.yml"
    shutil.copy(ROOT / "config.yml", config)
    first = model_files.fingerprint(config, data)
    assert model_files.fingerprint(config, data) == first
    (data / "nlu.yml").write_text((data / "nlu.yml").read_text() + "\n    - one more example\n")
    second = model_files.fingerprint(config, data)
    assert second != first
    config.write_text(config.read_text() + "\n# a changed setting\n")
    assert model_files.fingerprint(config, data) not in (first, second)
    assert model_files.model_path(first).name == f"model-{first}.tar.gz"
