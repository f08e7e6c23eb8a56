"""What PymoNNto's StorageManagerGroup does for load + sort_by + get_param_list + a query, timed.

One ConfigParser per run folder, load_param per value (PymoNNto's typing rule), a stable sort with
missing values as -inf, and the query evaluated per run (PymoNNto evals the query text; here the same
comparison is done in Python without eval, which is only faster). Prints JSON with seconds and peak RSS.
Usage: python3 bench/group_baseline.py <Data folder> <Name>
"""
import configparser, json, os, resource, sys, time

def load_param(cfg, key, section="Parameters", default=None):
    if not cfg.has_section(section) or not cfg.has_option(section, key):
        return default
    v = cfg.get(section, key)
    if v in ("True", "False"):
        return v == "True"
    if "." in v:
        try:
            return float(v)
        except ValueError:
            return v
    try:
        return int(v)
    except ValueError:
        return v

data, name = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
group = os.path.join(data, "StorageManager", name)
folders = [os.path.join(group, f) for f in os.listdir(group) if name in f]
configs = []
for f in folders:
    c = configparser.ConfigParser()
    c.read(os.path.join(f, "config.ini"))
    configs.append(c)
t1 = time.perf_counter()
keyed = [(load_param(c, "score", default=-float("inf")), i) for i, c in enumerate(configs)]
keyed.sort(key=lambda k: k[0])
order = [configs[i] for _, i in keyed]
scores = [load_param(c, "score") for c in order]
matched = [c for c in order if (lambda p1: p1 is not None and p1 > 0.5)(load_param(c, "p1"))]
t2 = time.perf_counter()
print(json.dumps({
    "runs": len(configs), "load_s": t1 - t0, "analyse_s": t2 - t1, "total_s": t2 - t0,
    "matched": len(matched), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
