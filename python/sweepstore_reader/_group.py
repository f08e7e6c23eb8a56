"""load_group: every run of a group, its config.ini sections typed as sweepstore reads them."""

import configparser
import os
import re
import warnings

from ._params import read_param


def _natural_key(name):
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in re.split(r"(\d+)", name)]


def _read_config(path):
    """The sections of a ``config.ini`` as sweepstore reads them: configparser's ``get()`` per value, where
    interpolation would raise the text with only ``%%`` read as ``%``."""
    parser = configparser.ConfigParser()
    with open(path, encoding="utf-8-sig", errors="replace") as f:  # as Deno: BOM skipped, bad bytes replaced
        parser.read_file(f)
    sections = {}
    for section in parser.sections():
        values = {}
        for key in parser.options(section):
            try:
                text = parser.get(section, key)
            except configparser.InterpolationError:
                text = parser.get(section, key, raw=True).replace("%%", "%")
            values[key] = read_param(text)
        sections[section] = values
    return sections


def _run_dict(name, path, sections):
    run = {"run": name, "path": path}
    for key, value in sections.get("Parameters", {}).items():
        run[f"Parameters.{key}" if key in ("run", "path") else key] = value
    for section, values in sections.items():
        if section != "Parameters":
            run.update({f"{section}.{key}": value for key, value in values.items()})
    return run


def load_group(path, as_frame=None):
    """Reads every run of a group folder (``Data/StorageManager/<Name>``), as ``StorageManagerGroup.load``.

    Each sub-folder holding a ``config.ini`` is a run (sweepstore's ``<Name><nr>`` and PymoNNto's ``<Name>``,
    ``<Name>_0``, … alike); hidden and temporary folders are skipped; runs come in natural order (``Exp2``
    before ``Exp10``). A ``config.ini`` that cannot be read or parsed is skipped with a ``UserWarning`` naming
    it (the TypeScript side lists it in ``smg.errors``). A missing group folder is an empty group.

    Each run is a dict: ``run`` (the folder name), ``path`` (the folder), the ``[Parameters]`` values under
    their (lowercase) keys, and every other section's values as ``"<Section>.<key>"`` (``Run.status``,
    ``Run.seed``, … for sweep runs). A parameter named ``run`` or ``path`` is kept as ``Parameters.run`` /
    ``Parameters.path``. Values are typed as the TypeScript side reads them (:func:`read_param`).

    ``as_frame``: ``None`` (default) gives a ``pandas.DataFrame`` (one row per run, a column per key, NaN where
    a run lacks a key) when pandas is installed and the list of dicts otherwise; ``True`` always a DataFrame
    (``ImportError`` without pandas), ``False`` always the list.
    """
    names = []
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        entries = []
    for entry in entries:
        if entry.is_dir() and not entry.name.startswith("."):
            names.append(entry.name)
    names.sort(key=_natural_key)
    runs = []
    for name in names:
        folder = os.path.join(os.path.abspath(path), name)
        config = os.path.join(folder, "config.ini")
        try:
            sections = _read_config(config)
        except FileNotFoundError:
            continue  # not a run, or one still being created
        except (OSError, configparser.Error) as err:
            warnings.warn(f"skipped {config}: {err}", stacklevel=2)
            continue
        runs.append(_run_dict(name, folder, sections))
    if as_frame is False:
        return runs
    try:
        import pandas as pd
    except ImportError:
        if as_frame:
            raise ImportError("load_group(as_frame=True) needs pandas: pip install pandas") from None
        return runs
    return pd.DataFrame(runs)
