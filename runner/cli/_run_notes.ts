/**
 * `sweepstore run --help`: the notes after the options — how values are read, stopping, exit codes,
 * search, examples (what a user reads before the first sweep).
 *
 * @module
 */

/** The text `run --help` shows after its options. */
export const RUN_NOTES = `
Values (--grid, --point, choice:) are read like config.ini values: 1, 2.5, 1e-3, nan, inf, -inf, -0
(the numbers NaN, Infinity, -Infinity, -0), true/false/True/False, None, [1, 2], 'text'; anything
else is text. A comma inside a list, dict or quoted text is part of the value (--grid x=[1,2],'a,b'
has two values); spaces around a value are dropped, as configparser drops them (quote it to keep
them: ' a '). A --grid KEY may be given once: a second --grid of the same KEY (in any case, as
config.ini keys ignore case) is refused, not merged; list all its values in one --grid.

Stopping: Ctrl-C (SIGINT), SIGTERM and SIGHUP stop the sweep alike: no new runs, ctx.signal is
aborted in the running simulations, which get --grace to return before they are killed and marked
interrupted; the summary so far is written and printed. A second signal makes the CLI exit at once:
local runs still going are killed min(--grace, 4 s) + 0.5 s after that exit unless they return
first, and marked interrupted.

Exit codes: 0 all runs done, 1 some run not done (or a file could not be written), 2 bad command
line, 75 (--resume) the runs started all done but another live sweep of the name holds some points:
resume again once it has ended, 130 / 143 / 129 stopped by SIGINT / SIGTERM / SIGHUP.

Search: --evolve KEY=START:MIN:MAX[:log][:int] (or --search FILE) runs an evolution (or --method
random / grid) instead of points: --population individuals per generation, --generations of them
(population × generations evaluations) or --budget evaluations; each evaluation is a run folder with
[Run] generation, individual and parents; --resume continues a stopped search without repeating a
finished evaluation. --no-wait cannot drive a search (each generation needs the last one's scores).

Examples:
  sweepstore run sim.ts --name X --grid n=100,1000 --grid lr=0.1,0.01 --repeats 3 -j 2 --timeout 60s
  sweepstore run sim.ts --name Evo --evolve lr=0.01:1e-5:1:log --evolve n=100:10:10000:int \\
    --population 16 --generations 10 --maximize score`;
