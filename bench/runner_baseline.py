"""The Python baseline for the runner benchmark: multiprocessing.Pool(2) running N tiny tasks, each in a
randomly named run folder with a configparser config.ini, the way a PymoNNto sweep does it: the
StorageManager writes `time` when it creates the folder, the script saves the point with save_param_dict, and
the result with save_param; each rewrites config.ini in place from the object's cache.
Prints JSON: {"runs": N, "seconds": …, "runs_per_s": …}.
Usage: python3 bench/runner_baseline.py <Data folder> [N] [processes]
"""
import configparser, json, os, random, sys, time
from multiprocessing import Pool

DATA = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
PROCS = int(sys.argv[3]) if len(sys.argv) > 3 else 2
GROUP = os.path.join(DATA, "StorageManager", "PyBench")

def write(cfg, path):
    with open(path, "w") as f:
        cfg.write(f)

def task(k):
    while True:
        folder = os.path.join(GROUP, f"PyBench{random.randint(0, 10**9)}")
        try:
            os.mkdir(folder)
            break
        except FileExistsError:
            continue
    path = os.path.join(folder, "config.ini")
    cfg = configparser.ConfigParser()
    cfg["Parameters"] = {"time": str(time.time())}
    write(cfg, path)  # StorageManager(...) on creation
    cfg.set("Parameters", "k", str(k))
    write(cfg, path)  # sm.save_param_dict(params)
    score = k * 0.5  # the "simulation"
    cfg.set("Parameters", "score", str(score))
    write(cfg, path)  # sm.save_param('score', score)
    return score

if __name__ == "__main__":
    os.makedirs(GROUP, exist_ok=True)
    t0 = time.perf_counter()
    with Pool(PROCS) as pool:
        results = pool.map(task, range(N), chunksize=1)
    dt = time.perf_counter() - t0
    assert len(results) == N
    print(json.dumps({"runs": N, "seconds": dt, "runs_per_s": N / dt}))
